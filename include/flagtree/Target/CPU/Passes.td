//===- Passes.td - passes of the host-CPU FLIR target ------*- tablegen -*-===//

#ifndef FLAGTREE_TARGET_CPU_PASSES_TD
#define FLAGTREE_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def CPUBypassTileBuffers : Pass<"flagtree-cpu-bypass-tile-buffers",
                                "::mlir::func::FuncOp"> {
  let summary = "Run element-wise ops on the loaded and stored views";
  let description = [{
    Runs after bufferization, before vectorization. A Triton load becomes a
    copy from a (clamped) view of an argument into a tile buffer, a store a
    copy from a tile buffer into such a view. An element-wise
    `linalg.generic` between them would stream its tile through memory
    three times; with large tiles the buffers do not even fit in the L1
    cache.

    For a generic (all loops parallel, one result) whose result buffer is
    only copied into a view of an argument, and whose input buffers are
    only filled by copies from views of arguments over at least the stored
    extent, the generic instead reads those views and writes the stored
    view directly, over the stored extent (masked-off elements are neither
    read nor written, as before). Inputs that are other buffers of the
    function are read over the same leading extent. Loads then happen where
    the store was, so nothing between the two may write memory outside the
    function's own buffers.

    Triton's semantics are that every load of a program happens before its
    store: a run-time check keeps the direct form to the case where the
    bytes written do not overlap the bytes read, or where a view is read
    and written in place at the same indices. Otherwise the original,
    buffered ops run.

    Before:

    ```mlir
    linalg.copy ins(%x_view : memref<?xf32, strided<[1], offset: ?>>)
                outs(%x_sub : memref<?xf32, strided<[1]>>)
    linalg.generic ... ins(%x_buf : memref<4096xf32>) outs(%y_buf : memref<4096xf32>)
    memref.copy %y_sub, %y_view
    ```

    After:

    ```mlir
    %apart = ... (byte ranges of %x_view and %y_view)
    scf.if %apart {
      linalg.generic ... ins(%x_view : ...) outs(%y_view : ...)
    } else {
      linalg.copy ins(%x_view : ...) outs(%x_sub : ...)
      linalg.generic ... ins(%x_buf : ...) outs(%y_buf : ...)
      memref.copy %y_sub, %y_view
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def CPUForwardLoadedTiles : Pass<"flagtree-cpu-forward-loaded-tiles",
                                 "::mlir::func::FuncOp"> {
  let summary = "Read loaded tiles from memory instead of a copy";
  let description = [{
    Runs after flagtree-cpu-bypass-tile-buffers. A tile that a program
    loads once and reads several times (a row that a layer norm reduces
    twice and then normalizes) is a copy of a view of an argument into a
    tile buffer: each program first streams its row through that copy.
    When nothing between the copy and the tile's last reader writes memory
    outside the function's own buffers, the readers (`linalg.generic`,
    `linalg.reduce`, loads, and views of the tile that only they use) read
    the view itself.

    A masked load copies a clamped extent and fills the rest with the
    load's `other` value; there the view is read only when, at run time,
    the extent is the whole tile, and the copy runs otherwise. Tiles that
    a hint packed (`flir.packed`) and tiles that matmuls read keep their
    copies.

    Before:

    ```mlir
    %t = memref.alloc() : memref<1024xf32>
    linalg.fill ins(%zero : f32) outs(%tail : memref<?xf32, ...>)
    linalg.copy ins(%row : memref<?xf32, strided<[1], offset: ?>>)
                outs(%head : memref<?xf32, strided<[1]>>)
    linalg.generic ... ins(%t : memref<1024xf32>) ...
    ```

    After:

    ```mlir
    %whole = arith.cmpi eq, %n, %c1024 : index
    %src = scf.if %whole -> (memref<1024xf32, strided<[1], offset: ?>>) {
      %v = memref.cast %row : ... to memref<1024xf32, strided<[1], offset: ?>>
      scf.yield %v
    } else {
      linalg.fill ...
      linalg.copy ...
      %c = memref.cast %t : memref<1024xf32> to memref<1024xf32, strided<[1], offset: ?>>
      scf.yield %c
    }
    linalg.generic ... ins(%src : memref<1024xf32, strided<[1], offset: ?>>) ...
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def CPUGeneralizeBroadcasts : Pass<"flagtree-cpu-generalize-broadcasts",
                                   "::mlir::func::FuncOp"> {
  let summary = "Turn tensor linalg.broadcast ops into linalg.generic ops";
  let description = [{
    Runs on tensors, before element-wise fusion, which fuses producers that
    are `linalg.generic` ops only. A broadcast that feeds element-wise ops
    then becomes part of them (its input read through a projected indexing
    map) instead of a tensor of its own that bufferization materializes
    and a loop of its own writes. A bitonic sort's compare-and-swap stage
    (broadcasts of partners and of the direction pattern, a compare, a
    select) becomes one loop instead of several.

    Before:

    ```mlir
    %b = linalg.broadcast ins(%row : tensor<4xf32>)
                          outs(%e : tensor<4x8xf32>) dimensions = [1]
    ```

    After:

    ```mlir
    %b = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>,
                                          affine_map<(d0, d1) -> (d0, d1)>],
                         iterator_types = ["parallel", "parallel"]}
           ins(%row : tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
      ^bb0(%in: f32, %out: f32):
        linalg.yield %in : f32
    } -> tensor<4x8xf32>
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def CPUVectorizeLinalg : Pass<"flagtree-cpu-vectorize-linalg",
                              "::mlir::func::FuncOp"> {
  let summary = "Tile bufferized linalg ops to register-sized vectors";
  let description = [{
    Runs after bufferization. Each linalg op is tiled so that its innermost
    loop covers one vector register of the target (`vector-width-bits`), or
    all of that loop when it is shorter, and its other loops step by one; each tile is then vectorized with masks for
    partial tiles. The IR therefore does not grow with the block size. Ops
    that cannot be vectorized stay as they are and become loops later.
    `memref.copy` is first rewritten to `linalg.copy` so that copies take
    the same path instead of calling a runtime library.

    Before tiling, neighbouring loops that every operand walks contiguously
    (same iterator type, consecutive in every indexing map, and memory whose
    strides let each operand be viewed with those dimensions merged) become
    one loop; named ops become `linalg.generic` for that. A tile of shape
    [2, 2, ..., 2], as a bitonic sort reshapes its operand, is then one loop
    of 512 elements rather than a nest of nine loops of two, which would
    otherwise grow the code (and LLVM's compile time) with every op.
    Contractions and ops carrying the lane's own attributes are left alone.

    Before:

    ```mlir
    linalg.copy ins(%view : memref<?xf32, strided<[1], offset: ?>>)
                outs(%sub : memref<?xf32, strided<[1]>>)
    ```

    After (vector width 256 bits):

    ```mlir
    scf.for %i = %c0 to %n step %c8 {
      %m = vector.create_mask %rem : vector<8xi1>
      %v = vector.mask %m { vector.transfer_read %view[%i], %pad ... }
      vector.mask %m { vector.transfer_write %v, %sub[%i] ... }
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect", "::mlir::arith::ArithDialect"
  ];
  let options = [
    Option<"vectorWidthBits", "vector-width-bits", "unsigned",
           /*default=*/"256", "Width of one vector register in bits">
  ];
}

def CPUMatmulMicroKernel : Pass<"flagtree-cpu-matmul-micro-kernel",
                                "::mlir::func::FuncOp"> {
  let summary = "Register-blocked micro-kernels for bufferized matmuls";
  let description = [{
    Runs after bufferization, before `flagtree-cpu-vectorize-linalg`. A
    `linalg.matmul` (or `linalg.batch_matmul`, one batch at a time) on
    buffers whose B and C rows are contiguous becomes loops over blocks of
    `rows` x (`column-registers` registers) of C. Each block keeps its
    accumulators in registers for the whole K loop: it loads them once,
    then for every k loads one row of B and, for each of its rows, one
    element of A broadcast to a register and multiplied into that row with
    a fused multiply-add; it stores them once at the end. Edges get blocks
    of the rows that are left, and columns that do not fill a block take
    narrower (static extent) or masked (dynamic extent) vectors. f16 and
    bf16 rows of B are extended to the accumulator's type as they are
    loaded; a static f16/bf16 A is first converted into a buffer of that
    type by an element-wise `linalg.generic` (each element of A is used once
    per column panel).
    Matmuls of other element types or layouts are left to the
    vectorizer.

    Before:

    ```mlir
    linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x64xf32>)
                  outs(%c : memref<64x64xf32>)
    ```

    After (6 rows, 2 registers of 8 lanes; edge blocks not shown):

    ```mlir
    scf.for %i = %c0 to %c60 step %c6 {
      scf.for %j = %c0 to %c64 step %c16 {
        %c0r = vector.load %c[%i, %j] : memref<64x64xf32>, vector<16xf32>
        ...
        %acc:6 = scf.for %k = %c0 to %c32 step %c1 iter_args(...) {
          %brow = vector.load %b[%k, %j] : memref<32x64xf32>, vector<16xf32>
          %a0 = memref.load %a[%i, %k] : memref<64x32xf32>
          %a0v = vector.broadcast %a0 : f32 to vector<16xf32>
          %r0 = vector.fma %a0v, %brow, %acc0 : vector<16xf32>
          ...
        }
        vector.store %acc#0, %c[%i, %j] : memref<64x64xf32>, vector<16xf32>
        ...
      }
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
  let options = [
    Option<"vectorWidthBits", "vector-width-bits", "unsigned",
           /*default=*/"256", "Width of one vector register in bits">,
    Option<"rows", "rows", "unsigned", /*default=*/"6",
           "Rows of C one micro-kernel block keeps in registers">,
    Option<"columnRegisters", "column-registers", "unsigned",
           /*default=*/"2",
           "Registers per row of C one micro-kernel block keeps">
  ];
}

def CPUStackAllocateBuffers : Pass<"flagtree-cpu-stack-allocate-buffers",
                                   "::mlir::func::FuncOp"> {
  let summary = "Turn small static buffers into stack buffers at the entry";
  let description = [{
    Runs after bufferization, before buffer deallocation. A `memref.alloc`
    of static shape becomes a `memref.alloca` at the start of the function,
    while the function's stack buffers stay within `max-stack-bytes`
    (first come, first served). Kernels then no longer call `malloc` and
    `free` for their tiles on every program.

    An allocation nested in a loop or a conditional is only moved when its
    buffer (or a view of it) never leaves the region it was made in (no
    `scf.yield`, `scf.condition`, return or call uses it): every iteration
    then reuses one buffer, and no `alloca` is ever left inside a loop,
    where it would grow the stack on each iteration. Loop-carried buffers
    and buffers of dynamic size stay on the heap.

    Before:

    ```mlir
    scf.for %k = %c0 to %n step %c1 {
      %a = memref.alloc() : memref<64x32xf32>
      linalg.copy ins(%view : ...) outs(%a : memref<64x32xf32>)
      ...
    }
    ```

    After:

    ```mlir
    %a = memref.alloca() {alignment = 64 : i64} : memref<64x32xf32>
    scf.for %k = %c0 to %n step %c1 {
      linalg.copy ins(%view : ...) outs(%a : memref<64x32xf32>)
      ...
    }
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
  let options = [
    Option<"maxStackBytes", "max-stack-bytes", "int64_t",
           /*default=*/"131072",
           "Most bytes of stack buffers one function may use">
  ];
}

def CPUApproximateMath : Pass<"flagtree-cpu-approximate-math",
                              "::mlir::func::FuncOp"> {
  let summary = "Vector math functions as inline polynomials";
  let description = [{
    LLVM lowers a math function on a vector (`math.exp` on `vector<8xf32>`)
    to one libm call per lane. This pass rewrites the f32 vector forms of
    exp, exp2, expm1, log, log2, log1p, tanh and erf into MLIR's polynomial
    approximations, which stay in vector registers. They keep the special
    values (exp(-inf) = 0, log(0) = -inf, NaN in, NaN out) and are accurate
    to a few ulp, as GPUs' fast math functions are. Scalar ops keep calling
    libm.

    It also rewrites an f32 vector division marked `arcp` (Triton's `/`,
    which is PTX's approximate div.full.f32 on GPUs) by a divisor that is
    the same in every lane into a multiply by the divisor's reciprocal,
    scaled so that it stays within 2 ulp over the whole f32 range, and
    drops every `arcp` mark, so LLVM's own reciprocal rewrites never apply.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def CPUBoundsCheck : Pass<"flagtree-cpu-bounds-check", "::mlir::ModuleOp"> {
  let summary = "Check every access through a pointer argument at run time";
  let description = [{
    The bounds-checked mode of the CPU lane (`FLAGTREE_CPU_BOUNDS_CHECK=1`),
    for finding kernels that read or write outside the tensors they were
    given without a mask. Runs right after `convert-triton-to-flir`, on
    what it makes of a kernel's accesses: views of a pointer argument
    (`memref.reinterpret_cast`) and element accesses (`memref.load`,
    `memref.store`, `memref.atomic_rmw`, `memref.generic_atomic_rmw`).

    Before each one, the lowest and highest element it touches are compared
    with the extent of the argument's tensor, which the launcher provides
    per launch (`flagtree_cpu_extent_before` / `flagtree_cpu_extent_after`,
    in bytes around the pointer). An access outside it calls
    `flagtree_cpu_out_of_bounds` with the kernel's `file:line:col`, what was
    accessed and the extent; that call stops the program without touching
    memory, the launch runs no further programs, and the launch reports the
    error. An empty view (a fully masked access) touches nothing and is
    never an error. Accesses the lowering makes through raw LLVM pointers
    (compare-and-swap loops) are not checked.

    An access by address into an argument (an `llvm.load` / `llvm.store`
    marked `flir.cast_access = N`: through a pointer cast from argument N's
    to an element type of another width) has no memref to compare with.
    Before it, `flagtree_cpu_check_address` checks that its bytes lie within
    argument N's tensor, and stops the program as above when they do not.

    Before:

    ```mlir
    %v = memref.reinterpret_cast %x to offset: [%o], sizes: [%n], strides: [1]
    ```

    After:

    ```mlir
    %after = call @flagtree_cpu_extent_after(%c0_i64) : (i64) -> i64
    ...
    %ok = arith.andi %above_start, %below_end : i1
    scf.if %ok_or_empty {} else {
      call @flagtree_cpu_out_of_bounds(%site, %c0_i64, %lo, %hi, %before, %after) : ...
    }
    %v = memref.reinterpret_cast %x to offset: [%o], sizes: [%n], strides: [1]
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

#endif // FLAGTREE_TARGET_CPU_PASSES_TD
