//===- HistogramLowering.cpp - tt.histogram to a counting loop -----------===//
//
// `tt.histogram %x[, %mask] : tensor<NxiK> -> tensor<BxiM>` counts how many
// elements of `x` equal each bin 0 .. B-1; values outside the bins and
// masked-off elements are not counted. It becomes a zero-filled tensor and
// an `scf.for` over the elements that adds 0 or 1 to one bin:
//
//   %h = scf.for %i = 0 to N iter_args(%acc = %zeros) {
//     %v = tensor.extract %x[%i]
//     %counted = (0 <= %v < B) [and %mask[%i]]
//     %bin = select %counted, %v, 0
//     %acc' = tensor.insert (%acc[%bin] + zext %counted) into %acc[%bin]
//   }
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

LogicalResult KernelLowering::lowerHistogram(tt::HistogramOp op) {
  Value src = map.lookup(op.getSrc());
  Value mask = op.getMask() ? map.lookup(op.getMask()) : Value();
  auto srcType = cast<RankedTensorType>(src.getType());
  auto type = cast<RankedTensorType>(op.getType());
  if (srcType.getRank() != 1 || type.getRank() != 1)
    return op.emitError() << "'tt.histogram' of a tensor of rank "
                          << srcType.getRank()
                          << " is not supported by the CPU lane yet";
  Type element = srcType.getElementType();
  Type count = type.getElementType();
  int64_t bins = type.getDimSize(0);

  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(count));
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), count);
  Value zeros =
      linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
          .getResult(0);
  Value lower = arith::ConstantIndexOp::create(b, loc, 0);
  Value upper = arith::ConstantIndexOp::create(b, loc, srcType.getDimSize(0));
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, lower, upper, step, zeros);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value i = loop.getInductionVar();
    Value acc = loop.getRegionIterArg(0);
    Value v = tensor::ExtractOp::create(b, loc, src, i);
    Value first = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
    Value end =
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(element, bins));
    Value counted = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, v, first),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, end));
    if (mask)
      counted = arith::AndIOp::create(
          b, loc, counted, tensor::ExtractOp::create(b, loc, mask, i));
    Value bin = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        arith::SelectOp::create(b, loc, counted, v, first));
    Value old = tensor::ExtractOp::create(b, loc, acc, bin);
    Value added = arith::AddIOp::create(
        b, loc, old, arith::ExtUIOp::create(b, loc, count, counted));
    Value next = tensor::InsertOp::create(b, loc, added, acc, bin);
    scf::YieldOp::create(b, loc, next);
  }
  map.map(op.getResult(), loop.getResult(0));
  return success();
}
