//===- Buffers.h - what the FLIR passes ask of buffers ----------*- C++ -*-===//

#ifndef FLAGTREE_TARGET_BUFFERS_H
#define FLAGTREE_TARGET_BUFFERS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace flagtree {

/// The allocation (`memref.alloc` / `memref.alloca`) that the memref `value`
/// is a view of, or null when it is not a buffer of this function (a view
/// of an argument, for instance).
mlir::Operation *allocationRoot(mlir::Value value);

/// Whether `op`, or an op nested in it, writes or frees memory other than
/// the function's own buffers (an argument's memory, or unknown memory), or
/// one of the buffers allocated by the ops in `watched`.
bool writesOutsideBuffers(
    mlir::Operation *op,
    const llvm::SmallPtrSetImpl<mlir::Operation *> *watched = nullptr);

} // namespace flagtree

#endif // FLAGTREE_TARGET_BUFFERS_H
