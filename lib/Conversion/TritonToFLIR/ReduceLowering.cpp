//===- ReduceLowering.cpp - tt.reduce to linalg reductions ---------------===//
//
// A reduction along the innermost dimension is done in register-wide
// chunks: the axis is reshaped to [N / (k * lanes), k * lanes] and the
// first dimension combined lane by lane into k registers (k independent
// chains, so consecutive vector operations need not wait for each other),
// then the k registers into one, then its lanes into a scalar. Triton
// leaves the order of a reduction unspecified (GPUs use a tree).
//
// When the combine region is one arith op with a neutral element (a sum,
// a product, ...), the first step starts from that element and is a
// `linalg.generic` over the whole input, so element-wise producers (the
// square of a sum of squares) fuse into it. Other reductions start from
// the first slice along the axis and need no neutral element; along an axis
// of two that is one element-wise combine of the two slices.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

/// The value `e` with combine(e, x) == x for every x, when the combine
/// region of `reduce` is one arith op on its two arguments that has one;
/// else null. (max/min that ignore NaN have none: their result for all-NaN
/// input would change.)
static TypedAttr neutralElement(tt::ReduceOp reduce) {
  if (reduce.getSrcs().size() != 1)
    return {};
  Block &combine = reduce.getCombineOp().front();
  if (!llvm::hasSingleElement(combine.without_terminator()))
    return {};
  Operation &op = combine.front();
  if (op.getNumOperands() != 2 || op.getNumResults() != 1 ||
      combine.getTerminator()->getNumOperands() != 1 ||
      combine.getTerminator()->getOperand(0) != op.getResult(0))
    return {};
  Value x = combine.getArgument(0), y = combine.getArgument(1);
  if (!((op.getOperand(0) == x && op.getOperand(1) == y) ||
        (op.getOperand(0) == y && op.getOperand(1) == x)))
    return {};
  Type type = op.getResult(0).getType();
  auto floatAttr = [&](double value) -> TypedAttr {
    return FloatAttr::get(type, value);
  };
  auto intAttr = [&](APInt value) -> TypedAttr {
    return IntegerAttr::get(type, value);
  };
  unsigned bits = type.isIntOrFloat() ? type.getIntOrFloatBitWidth() : 0;
  if (bits == 0)
    return {};
  return llvm::TypeSwitch<Operation *, TypedAttr>(&op)
      .Case([&](arith::AddFOp) { return floatAttr(-0.0); })
      .Case([&](arith::MulFOp) { return floatAttr(1.0); })
      .Case([&](arith::MaximumFOp) { return floatAttr(-INFINITY); })
      .Case([&](arith::MinimumFOp) { return floatAttr(INFINITY); })
      .Case<arith::AddIOp, arith::OrIOp, arith::XOrIOp, arith::MaxUIOp>(
          [&](Operation *) { return intAttr(APInt::getZero(bits)); })
      .Case([&](arith::MulIOp) { return intAttr(APInt(bits, 1)); })
      .Case<arith::AndIOp, arith::MinUIOp>(
          [&](Operation *) { return intAttr(APInt::getAllOnes(bits)); })
      .Case([&](arith::MaxSIOp) {
        return intAttr(APInt::getSignedMinValue(bits));
      })
      .Case([&](arith::MinSIOp) {
        return intAttr(APInt::getSignedMaxValue(bits));
      })
      .Default([](Operation *) { return TypedAttr(); });
}

/// Whether `reduce` sums 16-bit floats: such a sum accumulates in f32 and
/// is rounded once at the end (N additions in f16 would lose about log2(N)
/// bits; GPUs round once per step of their tree instead).
static bool isNarrowFloatSum(tt::ReduceOp reduce) {
  TypedAttr neutral = neutralElement(reduce);
  if (!neutral || !isa<FloatType>(neutral.getType()) ||
      neutral.getType().getIntOrFloatBitWidth() != 16)
    return false;
  return isa<arith::AddFOp>(reduce.getCombineOp().front().front());
}

/// `input` with its dimension `axis` split into [size / width, width].
static Value splitAxis(OpBuilder &b, Location loc, Value input, unsigned axis,
                       int64_t width) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] /= width;
  shape.insert(shape.begin() + axis + 1, width);
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (d < int64_t(axis))
      groups.push_back({d});
    else if (d == int64_t(axis))
      groups.push_back({d, d + 1});
    else
      groups.push_back({d + 1});
  }
  return tensor::ExpandShapeOp::create(b, loc, type.clone(shape), input,
                                       groups);
}

LogicalResult KernelLowering::lowerReduce(tt::ReduceOp reduce) {
  unsigned axis = reduce.getAxis();
  SmallVector<Value> inputs;
  unsigned maxBits = 8;
  for (Value src : reduce.getSrcs()) {
    inputs.push_back(map.lookup(src));
    Type element = getElementTypeOrSelf(src.getType());
    maxBits = std::max(maxBits, element.isIntOrFloat()
                                    ? element.getIntOrFloatBitWidth()
                                    : 64u);
  }
  widenedSum = isNarrowFloatSum(reduce);
  Type narrow;
  if (widenedSum) {
    auto source = cast<RankedTensorType>(inputs.front().getType());
    narrow = source.getElementType();
    inputs.front() = arith::ExtFOp::create(b, loc, source.clone(b.getF32Type()),
                                           inputs.front());
    maxBits = 32;
  }
  auto type = cast<RankedTensorType>(inputs.front().getType());
  int64_t size = type.getDimSize(axis);
  int64_t lanes = vectorWidthBits / maxBits;
  bool innermost = axis + 1 == unsigned(type.getRank());
  // Four registers where the axis has at least two of each, else fewer.
  int64_t registers = 0;
  for (int64_t k : {4, 2, 1}) {
    if (innermost && lanes > 1 && size % (k * lanes) == 0 &&
        size / (k * lanes) >= 2) {
      registers = k;
      break;
    }
  }
  if (registers) {
    int64_t width = registers * lanes;
    for (Value &input : inputs)
      input = splitAxis(b, loc, input, axis, width);
    if (TypedAttr neutral = neutralElement(reduce)) {
      if (widenedSum)
        neutral = b.getF32FloatAttr(-0.0);
      FailureOr<Value> chunks =
          reduceFromNeutral(reduce, inputs.front(), axis, neutral);
      if (failed(chunks))
        return failure();
      inputs = {*chunks};
    } else {
      FailureOr<SmallVector<Value>> chunks = reduceAlong(reduce, inputs, axis);
      if (failed(chunks))
        return failure();
      inputs = *chunks;
    }
    if (registers > 1) {
      for (Value &input : inputs)
        input = splitAxis(b, loc, input, axis, lanes);
      FailureOr<SmallVector<Value>> combined =
          reduceAlong(reduce, inputs, axis);
      if (failed(combined))
        return failure();
      inputs = *combined;
    }
  }
  FailureOr<SmallVector<Value>> results = reduceAlong(reduce, inputs, axis);
  bool widened = widenedSum;
  widenedSum = false;
  if (failed(results))
    return failure();
  loc = reduce.getLoc();
  if (widened) {
    Value &sum = results->front();
    auto wide = cast<RankedTensorType>(sum.getType());
    sum = arith::TruncFOp::create(b, loc, wide.clone(narrow), sum);
  }
  for (auto [result, lowered] : llvm::zip(reduce.getResults(), *results)) {
    if (!isa<RankedTensorType>(result.getType()))
      lowered = tensor::ExtractOp::create(b, loc, lowered, ValueRange{});
    map.map(result, lowered);
  }
  return success();
}

/// Lowers the combine region of `reduce` into the body being built at
/// `nb`, with `accumulators` and `elements` as its arguments, and yields
/// its results.
LogicalResult KernelLowering::lowerCombine(tt::ReduceOp reduce, OpBuilder &nb,
                                           Location l, ValueRange accumulators,
                                           ValueRange elements) {
  if (widenedSum) {
    // The region adds 16-bit floats; the same sum in f32.
    Value sum = arith::AddFOp::create(nb, l, accumulators[0], elements[0]);
    linalg::YieldOp::create(nb, l, sum);
    return success();
  }
  Block &combine = reduce.getCombineOp().front();
  unsigned n = accumulators.size();
  // Triton's combine takes (accumulator..., element...).
  for (unsigned i = 0; i < n; ++i) {
    map.map(combine.getArgument(i), accumulators[i]);
    map.map(combine.getArgument(n + i), elements[i]);
  }
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
  if (failed(lowerBlockOps(combine)))
    return failure();
  SmallVector<Value> yielded;
  for (Value v : combine.getTerminator()->getOperands())
    yielded.push_back(map.lookup(v));
  linalg::YieldOp::create(b, l, yielded);
  return success();
}

FailureOr<Value> KernelLowering::reduceFromNeutral(tt::ReduceOp reduce,
                                                   Value input, unsigned axis,
                                                   TypedAttr neutral) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + axis);
  Value empty = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  Value start = arith::ConstantOp::create(b, loc, neutral);
  Value init = linalg::FillOp::create(b, loc, start, empty).getResult(0);
  unsigned rank = type.getRank();
  SmallVector<AffineExpr> kept;
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  for (unsigned d = 0; d < rank; ++d)
    if (d != axis)
      kept.push_back(b.getAffineDimExpr(d));
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank),
                              AffineMap::get(rank, 0, kept, b.getContext())};
  LogicalResult bodyResult = success();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{input}, ValueRange{init},
      maps, iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
        bodyResult =
            lowerCombine(reduce, nb, l, args.drop_front(), args.take_front());
      });
  if (failed(bodyResult))
    return failure();
  return generic.getResult(0);
}

/// Reduces `inputs` (the lowered sources of `reduce`, or reshaped forms of
/// them) along `axis` with the combine region of `reduce`.
FailureOr<SmallVector<Value>> KernelLowering::reduceAlong(tt::ReduceOp reduce,
                                                          ValueRange inputs,
                                                          unsigned axis) {
  unsigned n = inputs.size();
  auto inputType = cast<RankedTensorType>(inputs.front().getType());
  int64_t axisSize = inputType.getDimSize(axis);
  // The slice of `lowered` from `first` on along `axis`, `count` long;
  // without the axis when `count` is 1.
  auto slice = [&](Value lowered, int64_t first, int64_t count) {
    auto type = cast<RankedTensorType>(lowered.getType());
    SmallVector<int64_t> shape(type.getShape());
    if (count == 1)
      shape.erase(shape.begin() + axis);
    else
      shape[axis] = count;
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, strides(type.getRank(), b.getIndexAttr(1));
    for (int64_t size : type.getShape())
      sizes.push_back(b.getIndexAttr(size));
    offsets[axis] = b.getIndexAttr(first);
    sizes[axis] = b.getIndexAttr(count);
    return tensor::ExtractSliceOp::create(b, loc, type.clone(shape), lowered,
                                          offsets, sizes, strides)
        .getResult();
  };
  // The first slice along `axis` is the initial accumulator, so the
  // combine region needs no neutral element.
  SmallVector<Value> inits;
  for (Value lowered : inputs)
    inits.push_back(slice(lowered, 0, 1));
  if (axisSize == 1)
    return inits;
  LogicalResult bodyResult = success();
  if (axisSize == 2) {
    // One combine per element of the two slices: an element-wise
    // `linalg.generic` (not a reduction over one element), which fuses
    // with what produces and what reads them. tl.sort's network is made of
    // such reductions.
    SmallVector<Value> operands = inits, empties;
    for (Value lowered : inputs)
      operands.push_back(slice(lowered, 1, 1));
    for (Value init : inits) {
      auto type = cast<RankedTensorType>(init.getType());
      empties.push_back(tensor::EmptyOp::create(b, loc, type.getShape(),
                                                type.getElementType()));
    }
    unsigned rank = inputType.getRank() - 1;
    SmallVector<AffineMap> maps(operands.size() + empties.size(),
                                b.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        b, loc, ValueRange(empties).getTypes(), operands, empties, maps,
        iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
          bodyResult =
              lowerCombine(reduce, nb, l, args.take_front(n), args.slice(n, n));
        });
    if (failed(bodyResult))
      return failure();
    return llvm::to_vector_of<Value>(generic.getResults());
  }
  SmallVector<Value> rests;
  for (Value lowered : inputs)
    rests.push_back(slice(lowered, 1, axisSize - 1));
  // linalg passes (element..., accumulator...).
  auto linalgReduce = linalg::ReduceOp::create(
      b, loc, rests, inits, ArrayRef<int64_t>{axis},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        bodyResult =
            lowerCombine(reduce, nb, l, args.drop_front(n), args.take_front(n));
      });
  if (failed(bodyResult))
    return failure();
  return llvm::to_vector_of<Value>(linalgReduce.getResults());
}
