//===- Passes.td - passes of the host-CPU FLIR target ------*- tablegen -*-===//

#ifndef FLAGTREE_TARGET_CPU_PASSES_TD
#define FLAGTREE_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def CPUVectorizeLinalg : Pass<"flagtree-cpu-vectorize-linalg",
                              "::mlir::func::FuncOp"> {
  let summary = "Tile bufferized linalg ops to register-sized vectors";
  let description = [{
    Runs after bufferization. Each linalg op is tiled so that its innermost
    loop covers one vector register of the target (`vector-width-bits`) and
    its other loops step by one; each tile is then vectorized with masks for
    partial tiles. The IR therefore does not grow with the block size. Ops
    that cannot be vectorized stay as they are and become loops later.
    `memref.copy` is first rewritten to `linalg.copy` so that copies take
    the same path instead of calling a runtime library.

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

#endif // FLAGTREE_TARGET_CPU_PASSES_TD
