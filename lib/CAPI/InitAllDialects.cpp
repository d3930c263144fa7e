//===- InitAllDialects.cpp - registration of dialects and passes ---------===//

#include "flagtree/InitAllDialects.h"

#include "flagtree/Conversion/TritonToFLIR/Passes.h"
#include "flagtree/Dialect/FlagTree/Transforms/Passes.h"
#include "flagtree/Dialect/Triton/IR/TritonDialect.h"
#include "flagtree/Target/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/Passes.h"

void flagtree::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<flagtree::tt::TritonDialect, flagtree::ft::FlagTreeDialect,
                  mlir::arith::ArithDialect, mlir::math::MathDialect,
                  mlir::scf::SCFDialect, mlir::cf::ControlFlowDialect,
                  mlir::ub::UBDialect, mlir::func::FuncDialect,
                  mlir::LLVM::LLVMDialect, mlir::gpu::GPUDialect,
                  mlir::memref::MemRefDialect, mlir::linalg::LinalgDialect>();
}

void flagtree::registerAllPasses() {
  static bool registered = [] {
    mlir::registerTransformsPasses();
    flagtree::registerTritonToFLIRPasses();
    flagtree::registerFlagTreePasses();
    flagtree::registerFlagTreeTargetPasses();
    return true;
  }();
  (void)registered;
}
