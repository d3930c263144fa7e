//===- Passes.td - passes every FLIR target shares ---------*- tablegen -*-===//

#ifndef FLAGTREE_TARGET_PASSES_TD
#define FLAGTREE_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

def FlagTreeLowerDSAHints : Pass<"flagtree-lower-dsa-hints",
                                 "::mlir::func::FuncOp"> {
  let summary = "Lower the access and loop hints for the module's FLIR target";
  let description = [{
    Runs on bufferized FLIR, where a Triton load is a `linalg.copy` from a
    strided view of an argument into a tile buffer (`memref.alloc`), and
    reads the target description of the module (`flir.target`, or the
    `target` option). `convert-triton-to-flir` has put the load's hints on
    that copy: `ft.shared_memory`, `ft.dma`, and `ft.num_stages` from the
    loop right around the load.

    On a target with a memory space named `local`:

    * The tile buffer of a hinted load is allocated in the local memory
      space, filled by an explicit copy from global memory. With DMA the
      copy is a `memref.dma_start` (placed as early as its operands and the
      writes to memory before it allow) and a `memref.dma_wait` (on a tag
      buffer) right before the first use of the tile.
    * With `num_stages = N` (N > 1) the buffer gets N slots, one per stage,
      and the copy of iteration i + N - 1 is issued while iteration i
      computes: a prologue issues the first N - 1 copies, each guarded by
      the trip count, and every iteration issues the copy N - 1 iterations
      ahead, then waits for its own slot. A loop that writes memory outside
      its own buffers is not pipelined (a copy issued ahead could miss
      those writes).
    * Local buffers must fit in the target's local memory
      (`local_memory_bytes`, or the local space's size): a load whose buffer
      does not fit keeps the plain form, with a warning at its location.

    On a target without local memory (the host CPU) the tile buffer is kept
    (`flir.packed`: `flagtree-cpu-bypass-tile-buffers` leaves it alone), so
    the tile is read once into a contiguous buffer, and with `num_stages =
    N` every iteration prefetches (`memref.prefetch`, one per cache line)
    the tile of iteration i + N - 1.

    Before (local space 3, DMA, `num_stages = 2`):

    ```mlir
    scf.for %k = %c0 to %n step %c64 {
      %buf = memref.alloc() : memref<64xf32>
      %view = memref.reinterpret_cast %x to offset: [%k] ...
      linalg.copy {ft.dma, ft.num_stages = 2 : i32} ins(%view : ...) outs(%buf : ...)
      linalg.generic ins(%buf : memref<64xf32>) ...
    }
    ```

    After:

    ```mlir
    %buf = memref.alloc() : memref<2x64xf32, 3>
    %tag = memref.alloc() : memref<2xi32>
    scf.if %first_in_range {
      memref.dma_start %view0[%c0], %slot0[%c0], %c64, %tag[%c0] : ...
    }
    scf.for %k = %c0 to %n step %c64 {
      %s = ... ((%k - %c0) / %c64) mod 2
      %slot = memref.subview %buf[%s, 0] [1, 64] [1, 1] : ... to memref<64xf32, strided<[1], offset: ?>, 3>
      scf.if %next_in_range {
        memref.dma_start %view_next[%c0], %slot_next[%c0], %c64, %tag[%s_next] : ...
      }
      memref.dma_wait %tag[%s], %c64 : memref<2xi32>
      linalg.generic ins(%slot : ...) ...
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect"
  ];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "The target (`host` or JSON as for convert-triton-to-flir) "
           "instead of the module's `flir.target`">
  ];
}

#endif // FLAGTREE_TARGET_PASSES_TD
