//===- Buffers.h - what the FLIR passes ask of buffers ----------*- C++ -*-===//

#ifndef FLAGTREE_TARGET_BUFFERS_H
#define FLAGTREE_TARGET_BUFFERS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

namespace flagtree {

/// The allocation (`memref.alloc` / `memref.alloca`) that the memref `value`
/// is a view of, or null when it is not a buffer of this function (a view
/// of an argument, for instance).
mlir::Operation *allocationRoot(mlir::Value value);

} // namespace flagtree

#endif // FLAGTREE_TARGET_BUFFERS_H
