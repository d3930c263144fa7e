//===- Pipeline.cpp - the host-CPU pipeline from TTIR to LLVM ------------===//

#include "flagtree/Conversion/TritonToFLIR/Passes.h"
#include "flagtree/Target/CPU/Passes.h"
#include "flagtree/Target/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void flagtree::cpu::buildCPUPipeline(OpPassManager &pm,
                                     const TargetDescription &target,
                                     llvm::StringRef targetSpec,
                                     bool boundsCheck) {
  ConvertTritonToFLIROptions lowering;
  lowering.target = targetSpec.str();
  pm.addPass(createConvertTritonToFLIR(lowering));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (boundsCheck)
    pm.addPass(createCPUBoundsCheck());
  // Offset tensors that only fed structured accesses are dead now, also
  // when a loop still carries them.
  pm.addPass(createRemoveDeadValuesPass());
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createCPUGeneralizeBroadcasts());
  pm.addPass(createLinalgElementwiseOpFusionPass());
  // Fusion propagates reshapes, which leaves ops with unit dimensions
  // (a sort's [2, 1, 1, 2, ...]): each would become a loop to tile.
  pm.addPass(createLinalgFoldUnitExtentDimsPass());
  pm.addPass(createCanonicalizerPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = false;
  // Loop-carried tensors rebuilt each iteration (online softmax state) are
  // new buffers; the deallocation pipeline frees them.
  bufferize.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
  // Hinted loads: packed tiles kept, later iterations' tiles prefetched.
  pm.addNestedPass<func::FuncOp>(createFlagTreeLowerDSAHints());

  // Element-wise ops read the loaded views and write the stored one
  // instead of streaming tiles through buffers (guarded at run time).
  pm.addNestedPass<func::FuncOp>(createCPUBypassTileBuffers());
  // Tiles read several times are read where they were loaded from.
  pm.addNestedPass<func::FuncOp>(createCPUForwardLoadedTiles());
  // Matmuls keep blocks of C in registers over their K loop.
  CPUMatmulMicroKernelOptions microKernel;
  microKernel.vectorWidthBits = target.vectorWidthBits;
  pm.addNestedPass<func::FuncOp>(createCPUMatmulMicroKernel(microKernel));
  CPUVectorizeLinalgOptions vectorize;
  vectorize.vectorWidthBits = target.vectorWidthBits;
  pm.addNestedPass<func::FuncOp>(createCPUVectorizeLinalg(vectorize));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Tiles of static size live on the stack, allocated once at the entry,
  // instead of being malloc'ed and freed by every program.
  pm.addNestedPass<func::FuncOp>(createCPUStackAllocateBuffers());
  bufferization::buildBufferDeallocationPipeline(pm);

  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  // A register-wide reduction becomes one `vector.reduction` (a shuffle
  // tree in LLVM) instead of a chain of scalar ops, one per lane.
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMultiReductionPass(
      vector::VectorMultiReductionLowering::InnerReduction));
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMaskPass());
  // Fully unrolled: the default lowering stages masked transfers through
  // stack buffers allocated inside loops, which grow the stack on every
  // iteration until it overflows.
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // The host has no bf16 arithmetic and libm has no f16/bf16 functions:
  // compute in f32 and expand the bf16 conversions to integer code, so the
  // JIT needs no compiler-runtime helpers.
  pm.addPass(math::createMathExtendToSupportedTypes());
  pm.addNestedPass<func::FuncOp>(createCPUApproximateMath());
  arith::ArithEmulateUnsupportedFloatsOptions emulate;
  emulate.sourceTypeStrs = {"bf16"};
  pm.addPass(arith::createArithEmulateUnsupportedFloats(emulate));
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createConvertMathToLLVMPass());
  // What LLVM has no intrinsic for (erf, tanh, atan2, ...) calls libm,
  // which the in-process JIT resolves from the host process.
  pm.addPass(createConvertMathToLibmPass());
  // Floating-point sums need not be reduced in lane order: as on GPUs, a
  // tree order is allowed.
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.reassociateFPReductions = true;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}
