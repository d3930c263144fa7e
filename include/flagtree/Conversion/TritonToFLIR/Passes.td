//===- Passes.td - lowering TTIR to the structured FLIR lane ---*- tablegen -*-===//

#ifndef FLAGTREE_CONVERSION_TRITONTOFLIR_PASSES_TD
#define FLAGTREE_CONVERSION_TRITONTOFLIR_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTritonToFLIR : Pass<"convert-triton-to-flir", "::mlir::ModuleOp"> {
  let summary = "Lower `tt.func` kernels to structured IR over memrefs";
  let description = [{
    Rewrites every `tt.func` of the module into a `func.func` over structured
    IR (linalg, tensor, memref, scf, arith, math) that the DSA lane (FLIR)
    compiles further. The host CPU is the reference target.

    * Every `!tt.ptr<T>` argument becomes a `memref<?xT>`; six `i32`
      arguments `pid_x, pid_y, pid_z, num_x, num_y, num_z` are appended and
      replace `tt.get_program_id` / `tt.get_num_programs`.
    * A pointer value becomes an element offset (`index`, or a tensor of
      `index`) into the memref of the argument it derives from.
    * Offsets that are affine in `tt.make_range` / `tt.splat` /
      `tt.expand_dims` / `tt.broadcast` (also when carried by `scf.for`) turn
      a load or store into a copy through a strided view
      (`memref.reinterpret_cast`). A mask of the form `offs < bound` clamps
      the view, so masked-off memory is never touched.
    * Any other access falls back, per access, to a gather or scatter loop
      that reads or writes `base[offset]` element by element under the mask.
    * `tt.dot` becomes `linalg.matmul` / `linalg.batch_matmul`, `tt.reduce`
      becomes `linalg.reduce` with the combine region kept, shape ops become
      tensor / linalg ops; element-wise arith and math stay on tensors.
    * `tt.scan` becomes an `scf.for` over the scanned axis combining slices
      in a `linalg.generic` that keeps the combine region (`reverse` walks
      from the end).
    * `tt.atomic_rmw` / `tt.atomic_cas` become real atomics on the
      argument's memref (`memref.atomic_rmw`, or a `llvm.cmpxchg` loop), one
      per element under the mask for tensors; a pointer bitcast to a type of
      the same width is followed by atomics on the stored bits.
    * `tt.call` of a private helper is lowered at the call site; helpers are
      dropped afterwards. `tt.extern_elementwise` of a libdevice function
      (`__nv_tanhf`, ...) becomes the matching math / arith op.
    * An op the lane cannot lower yet is reported at its location, e.g.
      `'tt.histogram' is not supported by the CPU lane yet`.

    The target description (option `target`, `host` or a JSON object) is
    attached to the module as `flir.target`.

    Before:

    ```mlir
    tt.func @add(%x: !tt.ptr<f32>, %n: i32) {
      %pid = tt.get_program_id x : i32
      %r = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
      %m = arith.cmpi slt, %r, %bound : tensor<64xi32>   // %bound = splat %n
      %p = tt.addptr %xs, %r : tensor<64x!tt.ptr<f32>>, tensor<64xi32>
      %v = tt.load %p, %m : tensor<64x!tt.ptr<f32>>
      ...
    }
    ```

    After:

    ```mlir
    func.func @add(%x: memref<?xf32>, %n: i32, %pid_x: i32, ...) {
      %valid = ...   // clamp(n - 0, 0, 64)
      %view = memref.reinterpret_cast %x to offset: [%c0], sizes: [%valid],
                strides: [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
      %buf = memref.alloc() : memref<64xf32>
      linalg.copy ins(%view : ...) outs(%sub : ...)
      %v = bufferization.to_tensor %buf restrict writable : ...
      ...
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::cf::ControlFlowDialect", "::mlir::func::FuncDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::ub::UBDialect"
  ];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"host\"",
           "Target description: `host` or a JSON object (see "
           "TargetDescription.h)">
  ];
}

#endif // FLAGTREE_CONVERSION_TRITONTOFLIR_PASSES_TD
