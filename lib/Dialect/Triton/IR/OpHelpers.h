//===- OpHelpers.h - helpers shared by the tt op files --------*- C++ -*-===//

#ifndef FLAGTREE_LIB_DIALECT_TRITON_IR_OPHELPERS_H
#define FLAGTREE_LIB_DIALECT_TRITON_IR_OPHELPERS_H

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

namespace flagtree::tt::detail {

using namespace mlir;

/// The shape of a tensor, or of the block a block pointer points to; empty
/// for scalars.
inline ArrayRef<int64_t> shapeOf(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.getShape();
  if (auto ptr = dyn_cast<PointerType>(type))
    if (auto block = dyn_cast<RankedTensorType>(ptr.getPointeeType()))
      return block.getShape();
  return {};
}

/// Triton gives the blocks of integer tensor descriptors a signedness
/// (`si32`) that pointers and values lack (`i32`).
inline bool sameIgnoringSign(Type a, Type b) {
  auto intA = dyn_cast<IntegerType>(a), intB = dyn_cast<IntegerType>(b);
  if (intA && intB)
    return intA.getWidth() == intB.getWidth();
  return a == b;
}

inline bool isBlockPointer(Type type) {
  auto ptr = dyn_cast<PointerType>(type);
  return ptr && isa<RankedTensorType>(ptr.getPointeeType());
}

inline std::string shapeString(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

/// Checks that `order` is a permutation of 0..rank-1.
inline LogicalResult verifyPermutation(Operation *op, ArrayRef<int32_t> order,
                                       int64_t rank) {
  if (static_cast<int64_t>(order.size()) != rank)
    return op->emitOpError("order has ")
           << order.size() << " entries but the rank is " << rank;
  llvm::SmallBitVector seen(rank);
  for (int32_t dim : order) {
    if (dim < 0 || dim >= rank || seen.test(dim))
      return op->emitOpError("order must be a permutation of 0..") << rank - 1;
    seen.set(dim);
  }
  return success();
}

} // namespace flagtree::tt::detail

#endif // FLAGTREE_LIB_DIALECT_TRITON_IR_OPHELPERS_H
