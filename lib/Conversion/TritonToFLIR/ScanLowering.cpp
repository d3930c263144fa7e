//===- ScanLowering.cpp - tt.scan to a loop over the scanned axis --------===//
//
// A scan is sequential along its axis and parallel across the others: it
// becomes an `scf.for` over the axis whose body combines the previous
// result slice with the current input slice in one `linalg.generic` that
// keeps Triton's combine region (so any associative combiner works, with
// any number of operands), then inserts the new slice. `reverse` walks
// the axis from its end. The IR does not grow with the block size.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

LogicalResult KernelLowering::lowerScan(tt::ScanOp op) {
  unsigned axis = op.getAxis();
  unsigned n = op.getSrcs().size();
  bool reverse = op.getReverse();
  SmallVector<Value> srcs;
  for (Value src : op.getSrcs())
    srcs.push_back(map.lookup(src));
  auto type = cast<RankedTensorType>(srcs.front().getType());
  int64_t length = type.getDimSize(axis);
  unsigned rank = type.getRank();
  if (length == 1) {
    for (auto [result, src] : llvm::zip(op.getResults(), srcs))
      map.map(result, src);
    return success();
  }

  // The first element along the scan is its own prefix: start from a copy
  // of the input and fill positions 1 .. length-1.
  Location scanLoc = loc;
  Value lower = arith::ConstantIndexOp::create(b, scanLoc, 1);
  Value upper = arith::ConstantIndexOp::create(b, scanLoc, length);
  Value step = arith::ConstantIndexOp::create(b, scanLoc, 1);
  Value last = arith::ConstantIndexOp::create(b, scanLoc, length - 1);
  auto loop = scf::ForOp::create(b, scanLoc, lower, upper, step, srcs);
  Block &combine = op.getCombineOp().front();
  LogicalResult bodyResult = success();
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value i = loop.getInductionVar();
    Value pos = i, prev;
    if (reverse) {
      pos = arith::SubIOp::create(b, scanLoc, last, i);
      prev = arith::AddIOp::create(b, scanLoc, pos, step);
    } else {
      prev = arith::SubIOp::create(b, scanLoc, pos, step);
    }
    SmallVector<int64_t> sliceShape(type.getShape());
    sliceShape.erase(sliceShape.begin() + axis);
    auto sliceAt = [&](Value from, Value at) -> Value {
      auto fromType = cast<RankedTensorType>(from.getType());
      SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(rank, b.getIndexAttr(1));
      for (int64_t size : fromType.getShape())
        sizes.push_back(b.getIndexAttr(size));
      offsets[axis] = at;
      sizes[axis] = b.getIndexAttr(1);
      return tensor::ExtractSliceOp::create(b, scanLoc,
                                            fromType.clone(sliceShape), from,
                                            offsets, sizes, strides);
    };
    SmallVector<Value> inputs, inits;
    for (unsigned k = 0; k < n; ++k)
      inputs.push_back(sliceAt(loop.getRegionIterArg(k), prev));
    for (unsigned k = 0; k < n; ++k)
      inputs.push_back(sliceAt(srcs[k], pos));
    SmallVector<Type> sliceTypes;
    for (unsigned k = 0; k < n; ++k) {
      auto sliceType = cast<RankedTensorType>(inputs[k].getType());
      sliceTypes.push_back(sliceType);
      inits.push_back(tensor::EmptyOp::create(b, scanLoc, sliceShape,
                                              sliceType.getElementType()));
    }
    SmallVector<AffineMap> maps(
        3 * n, b.getMultiDimIdentityMap(static_cast<unsigned>(rank - 1)));
    SmallVector<utils::IteratorType> iterators(rank - 1,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        b, scanLoc, sliceTypes, inputs, inits, maps, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          // Triton's combine takes (prefix..., element...).
          for (unsigned k = 0; k < 2 * n; ++k)
            map.map(combine.getArgument(k), args[k]);
          OpBuilder::InsertionGuard inner(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          if (failed(lowerBlockOps(combine))) {
            bodyResult = failure();
            return;
          }
          SmallVector<Value> yielded;
          for (Value v : combine.getTerminator()->getOperands())
            yielded.push_back(map.lookup(v));
          linalg::YieldOp::create(b, l, yielded);
        });
    if (failed(bodyResult))
      return failure();
    SmallVector<Value> next;
    for (unsigned k = 0; k < n; ++k) {
      Value into = loop.getRegionIterArg(k);
      auto intoType = cast<RankedTensorType>(into.getType());
      SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(rank, b.getIndexAttr(1));
      for (int64_t size : intoType.getShape())
        sizes.push_back(b.getIndexAttr(size));
      offsets[axis] = pos;
      sizes[axis] = b.getIndexAttr(1);
      next.push_back(tensor::InsertSliceOp::create(
          b, scanLoc, generic.getResult(k), into, offsets, sizes, strides));
    }
    scf::YieldOp::create(b, scanLoc, next);
  }
  loc = op.getLoc();
  for (auto [result, value] : llvm::zip(op.getResults(), loop.getResults()))
    map.map(result, value);
  return success();
}
