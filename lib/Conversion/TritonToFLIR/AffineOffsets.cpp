//===- AffineOffsets.cpp - affine offsets and masks of TTIR tensors ------===//
//
// Facts the lowering records about integer, pointer and mask tensors, in
// program order, from the ops that build them: `tt.make_range` is affine
// with stride 1, `tt.splat` of a scalar has stride 0, sums and products by
// a uniform value stay affine, `expand_dims` and `broadcast` move strides
// between dimensions; `offs < bound` with a unit stride in exactly one
// dimension is a per-dimension upper bound. Unknown ops record nothing.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

bool KernelLowering::isZero(OpFoldResult ofr) const {
  return isConstantIntValue(ofr, 0);
}

bool KernelLowering::sameOfr(OpFoldResult a, OpFoldResult b) const {
  std::optional<int64_t> ca = getConstantIntValue(a);
  std::optional<int64_t> cb = getConstantIntValue(b);
  if (ca && cb)
    return *ca == *cb;
  return a == b;
}

Value KernelLowering::toIndex(Value value) {
  if (value.getType().isIndex())
    return value;
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
}

Value KernelLowering::materialize(OpFoldResult ofr) {
  if (auto value = dyn_cast<Value>(ofr))
    return value;
  return arith::ConstantIndexOp::create(b, loc, *getConstantIntValue(ofr));
}

OpFoldResult KernelLowering::addOfr(OpFoldResult x, OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x);
  std::optional<int64_t> cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx + *cy);
  if (cx == 0)
    return y;
  if (cy == 0)
    return x;
  return arith::AddIOp::create(b, loc, materialize(x), materialize(y))
      .getResult();
}

OpFoldResult KernelLowering::subOfr(OpFoldResult x, OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x);
  std::optional<int64_t> cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx - *cy);
  if (cy == 0)
    return x;
  return arith::SubIOp::create(b, loc, materialize(x), materialize(y))
      .getResult();
}

OpFoldResult KernelLowering::mulOfr(OpFoldResult x, OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x);
  std::optional<int64_t> cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx * *cy);
  if (cx == 0 || cy == 0)
    return b.getIndexAttr(0);
  if (cx == 1)
    return y;
  if (cy == 1)
    return x;
  return arith::MulIOp::create(b, loc, materialize(x), materialize(y))
      .getResult();
}

OpFoldResult KernelLowering::minOfr(OpFoldResult x, OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x);
  std::optional<int64_t> cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(std::min(*cx, *cy));
  if (x == y)
    return x;
  return arith::MinSIOp::create(b, loc, materialize(x), materialize(y))
      .getResult();
}

std::optional<AffineOffsets> KernelLowering::scalarAsAffine(Value source,
                                                            unsigned rank) {
  Value lowered = map.lookupOrNull(source);
  if (!lowered || !(isa<IntegerType, IndexType>(lowered.getType())))
    return std::nullopt;
  AffineOffsets result;
  if (std::optional<int64_t> constant = getConstantIntValue(lowered))
    result.base = b.getIndexAttr(*constant);
  else
    result.base = toIndex(lowered);
  result.strides.assign(rank, b.getIndexAttr(0));
  return result;
}

void KernelLowering::forget(Value value) {
  affine.erase(value);
  masks.erase(value);
}

void KernelLowering::recordCompare(arith::CmpIOp op) {
  auto lhs = affine.find(op.getLhs());
  auto rhs = affine.find(op.getRhs());
  if (lhs == affine.end() || rhs == affine.end())
    return;
  bool swap, strict;
  switch (op.getPredicate()) {
  case arith::CmpIPredicate::slt:
    swap = false, strict = true;
    break;
  case arith::CmpIPredicate::sle:
    swap = false, strict = false;
    break;
  case arith::CmpIPredicate::sgt:
    swap = true, strict = true;
    break;
  case arith::CmpIPredicate::sge:
    swap = true, strict = false;
    break;
  default:
    return;
  }
  const AffineOffsets &small = swap ? rhs->second : lhs->second;
  const AffineOffsets &large = swap ? lhs->second : rhs->second;
  // small[i] - large[i] = diffBase + sum_d diff_d * i_d must be < 0 (or
  // <= 0); with one unit stride in dimension d that is i_d < -diffBase.
  std::optional<unsigned> dim;
  for (unsigned d = 0, e = small.strides.size(); d < e; ++d) {
    if (sameOfr(small.strides[d], large.strides[d]))
      continue;
    if (dim || !isConstantIntValue(small.strides[d], 1) ||
        !isZero(large.strides[d]))
      return;
    dim = d;
  }
  if (!dim)
    return;
  OpFoldResult bound = subOfr(large.base, small.base);
  if (!strict)
    bound = addOfr(bound, b.getIndexAttr(1));
  MaskBounds mask;
  mask.upper.assign(small.strides.size(), OpFoldResult());
  mask.upper[*dim] = bound;
  masks[op.getResult()] = mask;
}

void KernelLowering::recordFacts(Operation *op) {
  for (Value result : op->getResults())
    forget(result);
  if (op->getNumResults() != 1)
    return;
  Value result = op->getResult(0);
  auto type = dyn_cast<RankedTensorType>(result.getType());
  if (!type)
    return;
  unsigned rank = type.getRank();
  auto lookup = [&](Value v) -> const AffineOffsets * {
    auto it = affine.find(v);
    if (it != affine.end())
      return &it->second;
    return nullptr;
  };

  if (auto range = dyn_cast<tt::MakeRangeOp>(op)) {
    affine[result] = {b.getIndexAttr(range.getStart()), {b.getIndexAttr(1)}};
    return;
  }
  if (auto splat = dyn_cast<tt::SplatOp>(op)) {
    if (std::optional<AffineOffsets> facts =
            scalarAsAffine(splat.getSrc(), rank))
      affine[result] = *facts;
    return;
  }
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    auto dense = dyn_cast<DenseIntElementsAttr>(constant.getValue());
    if (dense && dense.isSplat())
      affine[result] = {
          b.getIndexAttr(dense.getSplatValue<APInt>().getSExtValue()),
          SmallVector<OpFoldResult>(rank, b.getIndexAttr(0))};
    return;
  }
  if (isa<arith::AddIOp, arith::SubIOp, tt::AddPtrOp>(op)) {
    const AffineOffsets *x = lookup(op->getOperand(0));
    const AffineOffsets *y = lookup(op->getOperand(1));
    if (!x || !y)
      return;
    bool sub = isa<arith::SubIOp>(op);
    AffineOffsets sum;
    sum.base = sub ? subOfr(x->base, y->base) : addOfr(x->base, y->base);
    for (unsigned d = 0; d < rank; ++d)
      sum.strides.push_back(sub ? subOfr(x->strides[d], y->strides[d])
                                : addOfr(x->strides[d], y->strides[d]));
    affine[result] = sum;
    return;
  }
  if (isa<arith::MulIOp>(op)) {
    const AffineOffsets *x = lookup(op->getOperand(0));
    const AffineOffsets *y = lookup(op->getOperand(1));
    if (!x || !y)
      return;
    auto uniform = [&](const AffineOffsets *v) {
      return llvm::all_of(v->strides,
                          [&](OpFoldResult s) { return isZero(s); });
    };
    if (!uniform(x))
      std::swap(x, y);
    if (!uniform(x))
      return;
    AffineOffsets product;
    product.base = mulOfr(x->base, y->base);
    for (OpFoldResult stride : y->strides)
      product.strides.push_back(mulOfr(stride, x->base));
    affine[result] = product;
    return;
  }
  if (isa<arith::ExtSIOp, arith::TruncIOp, arith::IndexCastOp>(op)) {
    if (const AffineOffsets *x = lookup(op->getOperand(0))) {
      AffineOffsets copy = *x; // copied first: inserting may rehash
      affine[result] = copy;
    }
    return;
  }
  if (auto expand = dyn_cast<tt::ExpandDimsOp>(op)) {
    unsigned axis = expand.getAxis();
    if (const AffineOffsets *x = lookup(expand.getSrc())) {
      AffineOffsets moved = *x;
      moved.strides.insert(moved.strides.begin() + axis, b.getIndexAttr(0));
      affine[result] = moved;
    }
    auto mask = masks.find(expand.getSrc());
    if (mask != masks.end()) {
      MaskBounds moved = mask->second;
      moved.upper.insert(moved.upper.begin() + axis, OpFoldResult());
      masks[result] = moved;
    }
    return;
  }
  if (auto broadcast = dyn_cast<tt::BroadcastOp>(op)) {
    ArrayRef<int64_t> from =
        cast<RankedTensorType>(broadcast.getSrc().getType()).getShape();
    if (const AffineOffsets *x = lookup(broadcast.getSrc())) {
      AffineOffsets spread = *x;
      for (unsigned d = 0; d < rank; ++d)
        if (from[d] == 1 && type.getDimSize(d) != 1)
          spread.strides[d] = b.getIndexAttr(0);
      affine[result] = spread;
    }
    auto mask = masks.find(broadcast.getSrc());
    if (mask != masks.end()) {
      // A bound on a dimension of size 1 is a uniform condition once that
      // dimension is broadcast: not a per-dimension bound any more.
      for (unsigned d = 0; d < rank; ++d)
        if (from[d] == 1 && type.getDimSize(d) != 1 && mask->second.upper[d])
          return;
      MaskBounds copy = mask->second; // copied first: inserting may rehash
      masks[result] = copy;
    }
    return;
  }
  if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    recordCompare(cmp);
    return;
  }
  if (isa<arith::AndIOp>(op)) {
    auto x = masks.find(op->getOperand(0));
    auto y = masks.find(op->getOperand(1));
    if (x == masks.end() || y == masks.end())
      return;
    MaskBounds both;
    for (unsigned d = 0; d < rank; ++d) {
      OpFoldResult u = x->second.upper[d], v = y->second.upper[d];
      both.upper.push_back(u && v ? minOfr(u, v) : (u ? u : v));
    }
    masks[result] = both;
    return;
  }
}
