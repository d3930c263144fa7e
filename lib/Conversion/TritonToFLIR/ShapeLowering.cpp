//===- ShapeLowering.cpp - tt.join/split/cat/gather to tensor and linalg --===//
//
// Ops that move elements of a block without touching memory:
//
//   tt.join  a, b : tensor<S>    -> tensor<Sx2>  two rank-reducing
//                                                 tensor.insert_slice
//   tt.split x    : tensor<Sx2>  -> 2 x tensor<S> two rank-reducing
//                                                 tensor.extract_slice
//   tt.cat   a, b : tensor<NxR>  -> tensor<2NxR> a then b along dim 0 (any
//                                                 order is allowed; this
//                                                 one is the plain one)
//   tt.gather src[idx] {axis}                     a linalg.generic over the
//                                                 index tensor whose body
//                                                 reads src with
//                                                 tensor.extract
//
// `tl.interleave` is a join followed by a reshape.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

/// Offsets, sizes and unit strides of the slice of `type` at position `at`
/// of its last dimension.
static void lastDimSlice(OpBuilder &b, RankedTensorType type, int64_t at,
                         SmallVectorImpl<OpFoldResult> &offsets,
                         SmallVectorImpl<OpFoldResult> &sizes,
                         SmallVectorImpl<OpFoldResult> &strides) {
  for (int64_t size : type.getShape()) {
    offsets.push_back(b.getIndexAttr(0));
    sizes.push_back(b.getIndexAttr(size));
    strides.push_back(b.getIndexAttr(1));
  }
  offsets.back() = b.getIndexAttr(at);
  sizes.back() = b.getIndexAttr(1);
}

static bool movesPointers(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), isPointerLike) ||
         llvm::any_of(op->getResultTypes(), isPointerLike);
}

LogicalResult KernelLowering::lowerJoin(tt::JoinOp op) {
  if (movesPointers(op))
    return unsupported(op);
  auto type = cast<RankedTensorType>(op.getType());
  Value joined =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  for (auto [k, half] : llvm::enumerate(op->getOperands())) {
    SmallVector<OpFoldResult> offsets, sizes, strides;
    lastDimSlice(b, type, k, offsets, sizes, strides);
    joined = tensor::InsertSliceOp::create(b, loc, map.lookup(half), joined,
                                           offsets, sizes, strides);
  }
  map.map(op.getResult(), joined);
  return success();
}

LogicalResult KernelLowering::lowerSplit(tt::SplitOp op) {
  if (movesPointers(op))
    return unsupported(op);
  Value src = map.lookup(op.getSrc());
  auto srcType = cast<RankedTensorType>(src.getType());
  auto halfType = cast<RankedTensorType>(op.getOutLHS().getType());
  for (auto [k, result] : llvm::enumerate(op->getResults())) {
    SmallVector<OpFoldResult> offsets, sizes, strides;
    lastDimSlice(b, srcType, k, offsets, sizes, strides);
    map.map(result, tensor::ExtractSliceOp::create(b, loc, halfType, src,
                                                   offsets, sizes, strides));
  }
  return success();
}

LogicalResult KernelLowering::lowerCat(tt::CatOp op) {
  if (movesPointers(op))
    return unsupported(op);
  auto type = cast<RankedTensorType>(op.getType());
  auto halfType = cast<RankedTensorType>(op.getLhs().getType());
  Value cat =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  for (auto [k, half] : llvm::enumerate(op->getOperands())) {
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t size : halfType.getShape()) {
      offsets.push_back(b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(size));
      strides.push_back(b.getIndexAttr(1));
    }
    offsets.front() = b.getIndexAttr(k * halfType.getDimSize(0));
    cat = tensor::InsertSliceOp::create(b, loc, map.lookup(half), cat, offsets,
                                        sizes, strides);
  }
  map.map(op.getResult(), cat);
  return success();
}

LogicalResult KernelLowering::lowerGather(tt::GatherOp op) {
  if (movesPointers(op))
    return unsupported(op);
  Value src = map.lookup(op.getSrc());
  Value indices = map.lookup(op.getIndices());
  auto srcType = cast<RankedTensorType>(src.getType());
  auto type = cast<RankedTensorType>(op.getType());
  unsigned axis = op.getAxis();
  unsigned rank = type.getRank();
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  // An index outside the source is undefined behaviour in Triton; it is
  // clamped so that it never reads outside the block.
  int64_t last = srcType.getDimSize(axis) - 1;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{indices}, ValueRange{empty}, maps,
      iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
        SmallVector<Value> at;
        for (unsigned d = 0; d < rank; ++d)
          at.push_back(linalg::IndexOp::create(nb, l, d));
        Value index =
            arith::IndexCastOp::create(nb, l, nb.getIndexType(), args[0]);
        Value zero = arith::ConstantIndexOp::create(nb, l, 0);
        Value top = arith::ConstantIndexOp::create(nb, l, last);
        index = arith::MaxSIOp::create(nb, l, index, zero);
        at[axis] = arith::MinSIOp::create(nb, l, index, top);
        Value picked = tensor::ExtractOp::create(nb, l, src, at);
        linalg::YieldOp::create(nb, l, picked);
      });
  map.map(op.getResult(), generic.getResult(0));
  return success();
}
