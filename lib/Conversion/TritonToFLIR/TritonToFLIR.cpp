//===- TritonToFLIR.cpp - the convert-triton-to-flir pass ----------------===//
//
// Rebuilds each `tt.func` as a `func.func` over memrefs, tensors and linalg,
// op by op in program order (see KernelLowering.h). Loads and stores are in
// MemoryAccess.cpp, the facts about offsets and masks in AffineOffsets.cpp.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "flagtree/Conversion/TritonToFLIR/Passes.h"
#include "flagtree/Target/TargetDescription.h"

#include "mlir/Conversion/ControlFlowToSCF/ControlFlowToSCF.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/CFGToSCF.h"
#include "llvm/ADT/TypeSwitch.h"

namespace flagtree {
#define GEN_PASS_DEF_CONVERTTRITONTOFLIR
#include "flagtree/Conversion/TritonToFLIR/Passes.h.inc"
} // namespace flagtree

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

static bool isScalarPointer(Type type) {
  auto pointer = dyn_cast<tt::PointerType>(type);
  return pointer && !isa<RankedTensorType>(pointer.getPointeeType());
}

Type KernelLowering::storageType(Type pointee) {
  if (pointee.isInteger(1))
    return IntegerType::get(pointee.getContext(), 8);
  return pointee;
}

Type KernelLowering::convertType(Type type) {
  if (isa<tt::PointerType>(type))
    return IndexType::get(type.getContext());
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    if (isa<tt::PointerType>(tensor.getElementType()))
      return tensor.clone(IndexType::get(type.getContext()));
  return type;
}

KernelLowering::KernelLowering(tt::FuncOp source, func::FuncOp target)
    : source(source), target(target), b(target.getContext()),
      loc(source.getLoc()) {}

LogicalResult KernelLowering::unsupported(Operation *op) {
  return op->emitError() << "'" << op->getName()
                         << "' is not supported by the CPU lane yet";
}

LogicalResult KernelLowering::run() {
  Block &from = source.getBody().front();
  Block &to = target.getBody().front();
  b.setInsertionPointToStart(&to);
  unsigned numSourceArgs = from.getNumArguments();
  for (auto [index, arg] : llvm::enumerate(from.getArguments())) {
    Value lowered = to.getArgument(index);
    if (isScalarPointer(arg.getType())) {
      roots[arg] = lowered;
      map.map(arg, arith::ConstantIndexOp::create(b, loc, 0).getResult());
    } else {
      map.map(arg, lowered);
    }
  }
  for (unsigned i = 0; i < 6; ++i)
    gridArgs.push_back(to.getArgument(numSourceArgs + i));
  for (Operation &op : from)
    if (failed(lowerOp(&op)))
      return failure();
  SmallVector<Value> placeholders;
  if (addressRoot)
    placeholders.push_back(addressRoot);
  for (auto [root, argument] : castArguments)
    placeholders.push_back(root);
  for (Value placeholder : placeholders) {
    // A placeholder only: every access through it became an LLVM access.
    if (!placeholder.use_empty())
      return source.emitError()
             << "internal error: a pointer taken as an address reached an "
                "access the CPU lane cannot make through it";
    placeholder.getDefiningOp()->erase();
  }
  return success();
}

LogicalResult KernelLowering::lowerBlockOps(Block &block) {
  for (Operation &op : block.without_terminator())
    if (failed(lowerOp(&op)))
      return failure();
  return success();
}

LogicalResult KernelLowering::lowerGeneric(Operation *op) {
  if (op->getNumRegions() != 0 ||
      llvm::any_of(op->getOperandTypes(), isPointerLike) ||
      llvm::any_of(op->getResultTypes(), isPointerLike))
    return unsupported(op);
  b.clone(*op, map);
  return success();
}

LogicalResult KernelLowering::lowerOp(Operation *op) {
  loc = op->getLoc();
  LogicalResult result =
      llvm::TypeSwitch<Operation *, LogicalResult>(op)
          .Case([&](tt::ReturnOp ret) {
            SmallVector<Value> values;
            for (Value v : ret.getSrcs())
              values.push_back(map.lookup(v));
            func::ReturnOp::create(b, loc, values);
            return success();
          })
          .Case([&](tt::GetProgramIdOp pid) {
            map.map(pid.getResult(),
                    gridArgs[static_cast<unsigned>(pid.getAxis())]);
            return success();
          })
          .Case([&](tt::GetNumProgramsOp num) {
            map.map(num.getResult(),
                    gridArgs[3 + static_cast<unsigned>(num.getAxis())]);
            return success();
          })
          .Case([&](tt::LoadOp load) { return lowerLoad(load); })
          .Case([&](tt::StoreOp store) { return lowerStore(store); })
          .Case([&](tt::AddPtrOp add) -> LogicalResult {
            Value root = rootOf(add, add.getPtr());
            if (!root)
              return failure();
            Type type = convertType(add.getType());
            Value offset = map.lookup(add.getOffset());
            if (!offset.getType().isIndex() &&
                getElementTypeOrSelf(offset.getType()) != b.getIndexType())
              offset = arith::IndexCastOp::create(b, loc, type, offset);
            // A pointer taken as an address counts in bytes.
            if (isAddress(root)) {
              Type stored = storageType(pointeeOf(add.getType()));
              offset = arith::MulIOp::create(
                  b, loc, offset,
                  constantLike(b, loc, b.getIndexAttr(elementBytes(stored)),
                               offset.getType()));
            }
            Value sum =
                arith::AddIOp::create(b, loc, map.lookup(add.getPtr()), offset);
            map.map(add.getResult(), sum);
            roots[add.getResult()] = root;
            return success();
          })
          .Case([&](arith::SelectOp select) -> LogicalResult {
            if (!isPointerLike(select.getType()))
              return lowerGeneric(select);
            Value root = roots.lookup(select.getTrueValue());
            if (!root || root != roots.lookup(select.getFalseValue()))
              return unsupported(select);
            map.map(select.getResult(),
                    arith::SelectOp::create(
                        b, loc, map.lookup(select.getCondition()),
                        map.lookup(select.getTrueValue()),
                        map.lookup(select.getFalseValue())));
            roots[select.getResult()] = root;
            return success();
          })
          .Case([&](tt::DotOp dot) { return lowerDot(dot); })
          .Case([&](tt::DotScaledOp dot) { return lowerDotScaled(dot); })
          .Case([&](tt::ReduceOp reduce) { return lowerReduce(reduce); })
          .Case([&](tt::ScanOp scan) { return lowerScan(scan); })
          .Case([&](tt::AtomicRMWOp rmw) { return lowerAtomicRMW(rmw); })
          .Case([&](tt::AtomicCASOp cas) { return lowerAtomicCAS(cas); })
          .Case([&](tt::CallOp call) { return lowerCall(call); })
          .Case([&](tt::JoinOp join) { return lowerJoin(join); })
          .Case([&](tt::SplitOp split) { return lowerSplit(split); })
          .Case([&](tt::CatOp cat) { return lowerCat(cat); })
          .Case([&](tt::GatherOp gather) { return lowerGather(gather); })
          .Case([&](tt::HistogramOp histogram) {
            return lowerHistogram(histogram);
          })
          .Case([&](tt::PrintOp print) { return lowerPrint(print); })
          .Case([&](tt::AssertOp check) { return lowerAssert(check); })
          .Case([&](tt::ExternElementwiseOp call) {
            return lowerExternElementwise(call);
          })
          .Case([&](tt::MapElementwiseOp apply) {
            return lowerMapElementwise(apply);
          })
          .Case([&](scf::ForOp loop) { return lowerFor(loop); })
          .Case([&](scf::IfOp branch) { return lowerIf(branch); })
          .Case([&](scf::WhileOp loop) { return lowerWhile(loop); })
          .Case([&](scf::IndexSwitchOp branch) {
            return lowerIndexSwitch(branch);
          })
          .Case<tt::MakeRangeOp, tt::SplatOp, tt::BroadcastOp, tt::ExpandDimsOp,
                tt::ReshapeOp, tt::TransOp, tt::UnsplatOp>(
              [&](Operation *shape) { return lowerShapeOp(shape); })
          .Case([&](tt::FpToFpOp cast) {
            if (getElementTypeOrSelf(cast.getType()).getIntOrFloatBitWidth() ==
                    8 ||
                getElementTypeOrSelf(cast.getSrc().getType())
                        .getIntOrFloatBitWidth() == 8)
              return lowerFp8Cast(cast);
            return lowerFloatCast(cast);
          })
          .Case([&](tt::PtrToIntOp cast) { return lowerPtrToInt(cast); })
          .Case([&](tt::IntToPtrOp cast) {
            if (Value root = addressMemRef(cast)) {
              map.map(cast.getResult(),
                      arith::ConstantIndexOp::create(b, loc, 0));
              roots[cast.getResult()] = root;
              return success();
            }
            Value address = arith::IndexCastUIOp::create(
                b, loc, convertType(cast.getType()), map.lookup(cast.getSrc()));
            map.map(cast.getResult(), address);
            roots[cast.getResult()] = addressSpaceRoot();
            return success();
          })
          .Case([&](tt::BitcastOp cast) -> LogicalResult {
            if (isPointerLike(cast.getType()) &&
                isPointerLike(cast.getSrc().getType()))
              return lowerPointerBitcast(cast);
            if (isPointerLike(cast.getType()) ||
                isPointerLike(cast.getSrc().getType()))
              return unsupported(cast);
            map.map(cast.getResult(),
                    arith::BitcastOp::create(b, loc, cast.getType(),
                                             map.lookup(cast.getSrc())));
            return success();
          })
          .Case([&](tt::ClampFOp clamp) {
            Value x = map.lookup(clamp.getX());
            Value low = map.lookup(clamp.getMin());
            Value high = map.lookup(clamp.getMax());
            // propagate_nan=ALL: a NaN input gives NaN; NONE: the bound.
            Value result;
            if (clamp.getPropagateNan() == tt::PropagateNan::ALL)
              result = arith::MinimumFOp::create(
                  b, loc, arith::MaximumFOp::create(b, loc, x, low), high);
            else
              result = arith::MinNumFOp::create(
                  b, loc, arith::MaxNumFOp::create(b, loc, x, low), high);
            map.map(clamp.getResult(), result);
            return success();
          })
          .Case([&](tt::PreciseSqrtOp sqrt) {
            map.map(sqrt.getResult(),
                    math::SqrtOp::create(b, loc, map.lookup(sqrt.getX())));
            return success();
          })
          .Case([&](tt::PreciseDivFOp div) {
            map.map(div.getResult(),
                    arith::DivFOp::create(b, loc, map.lookup(div.getX()),
                                          map.lookup(div.getY())));
            return success();
          })
          .Case([](gpu::BarrierOp) {
            // `tl.debug_barrier` orders the threads of one program; a
            // program here runs on one thread, in program order.
            return success();
          })
          .Case([](LLVM::AssumeOp) {
            // `tl.assume` only informs the optimizer, and bufferization
            // cannot move LLVM's assume (it declares memory effects):
            // dropping it keeps every result the same.
            return success();
          })
          .Case([&](math::AbsFOp abs) -> LogicalResult {
            // The host has no fp8 arithmetic: |x| of an fp8 value clears
            // its sign bit, except in the "fnuz" formats' NaN, 0x80.
            Type element = getElementTypeOrSelf(abs.getType());
            if (element.getIntOrFloatBitWidth() != 8)
              return lowerGeneric(abs);
            Type bits = typeLike(abs.getType(), b.getI8Type());
            Value word = arith::BitcastOp::create(b, loc, bits,
                                                  map.lookup(abs.getOperand()));
            Value cleared = arith::AndIOp::create(
                b, loc, word,
                constantLike(b, loc, b.getI8IntegerAttr(0x7f), bits));
            if (isa<Float8E4M3FNUZType, Float8E5M2FNUZType>(element)) {
              Value nan = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::eq, word,
                  constantLike(b, loc, b.getI8IntegerAttr(0x80), bits));
              cleared = arith::SelectOp::create(b, loc, nan, word, cleared);
            }
            map.map(abs.getResult(),
                    arith::BitcastOp::create(b, loc, abs.getType(), cleared));
            return success();
          })
          .Case([&](tt::MulhiUIOp mul) {
            auto wide = arith::MulUIExtendedOp::create(
                b, loc, map.lookup(mul.getX()), map.lookup(mul.getY()));
            map.map(mul.getResult(), wide.getHigh());
            return success();
          })
          .Default([&](Operation *other) -> LogicalResult {
            if (isa<arith::ArithDialect, math::MathDialect, ub::UBDialect>(
                    other->getDialect()))
              return lowerGeneric(other);
            return unsupported(other);
          });
  if (failed(result))
    return failure();
  recordFacts(op);
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

/// Groups the dimensions of a shape so that each group holds exactly one of
/// the `kept` dimensions plus neighbouring unit dimensions.
static SmallVector<ReassociationIndices> groupAround(unsigned rank,
                                                     ArrayRef<unsigned> kept) {
  SmallVector<ReassociationIndices> groups;
  if (kept.empty())
    return groups;
  unsigned next = 0;
  for (auto [i, dim] : llvm::enumerate(kept)) {
    ReassociationIndices group;
    unsigned last = i + 1 == kept.size() ? rank - 1 : dim;
    for (; next <= last; ++next)
      group.push_back(next);
    groups.push_back(group);
  }
  return groups;
}

LogicalResult KernelLowering::lowerShapeOp(Operation *op) {
  Value result = op->getResult(0);
  auto resultType = dyn_cast<RankedTensorType>(convertType(result.getType()));
  Value lowered;
  if (auto range = dyn_cast<tt::MakeRangeOp>(op)) {
    Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                          resultType.getElementType());
    int32_t start = range.getStart();
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{resultType}, ValueRange{}, ValueRange{empty},
        ArrayRef<AffineMap>{b.getMultiDimIdentityMap(1)},
        ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
        [&](OpBuilder &nb, Location l, ValueRange) {
          Value i = linalg::IndexOp::create(nb, l, 0);
          Value v = arith::IndexCastOp::create(nb, l, nb.getI32Type(), i);
          Value s = arith::ConstantIntOp::create(nb, l, start, 32);
          linalg::YieldOp::create(
              nb, l, ValueRange{arith::AddIOp::create(nb, l, v, s)});
        });
    lowered = generic.getResult(0);
  } else if (auto splat = dyn_cast<tt::SplatOp>(op)) {
    Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                          resultType.getElementType());
    lowered = linalg::FillOp::create(b, loc, map.lookup(splat.getSrc()), empty)
                  .getResult(0);
  } else if (auto unsplat = dyn_cast<tt::UnsplatOp>(op)) {
    auto srcType = cast<RankedTensorType>(unsplat.getSrc().getType());
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    SmallVector<Value> indices(srcType.getRank(), zero);
    lowered = tensor::ExtractOp::create(b, loc, map.lookup(unsplat.getSrc()),
                                        indices);
  } else if (auto broadcast = dyn_cast<tt::BroadcastOp>(op)) {
    Value src = map.lookup(broadcast.getSrc());
    auto srcType = cast<RankedTensorType>(src.getType());
    SmallVector<unsigned> kept;
    SmallVector<int64_t> spread, keptShape;
    for (unsigned d = 0, e = srcType.getRank(); d < e; ++d) {
      if (srcType.getDimSize(d) == 1 && resultType.getDimSize(d) != 1) {
        spread.push_back(d);
      } else {
        kept.push_back(d);
        keptShape.push_back(srcType.getDimSize(d));
      }
    }
    if (spread.empty()) {
      lowered = src;
    } else {
      Value collapsed =
          tensor::CollapseShapeOp::create(b, loc, srcType.clone(keptShape), src,
                                          groupAround(srcType.getRank(), kept));
      Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                            resultType.getElementType());
      lowered = linalg::BroadcastOp::create(b, loc, collapsed, empty, spread)
                    .getResult()[0];
    }
  } else if (auto expand = dyn_cast<tt::ExpandDimsOp>(op)) {
    Value src = map.lookup(expand.getSrc());
    unsigned rank = resultType.getRank();
    SmallVector<unsigned> kept;
    for (unsigned d = 0; d < rank; ++d)
      if (d != expand.getAxis())
        kept.push_back(d);
    lowered = tensor::ExpandShapeOp::create(b, loc, resultType, src,
                                            groupAround(rank, kept));
  } else if (auto reshape = dyn_cast<tt::ReshapeOp>(op)) {
    Value src = map.lookup(reshape.getSrc());
    auto srcType = cast<RankedTensorType>(src.getType());
    if (srcType == resultType) {
      lowered = src;
    } else {
      auto all = [](unsigned rank) {
        ReassociationIndices group;
        for (unsigned d = 0; d < rank; ++d)
          group.push_back(d);
        return SmallVector<ReassociationIndices>{group};
      };
      Value flat = src;
      auto flatType = srcType.clone({srcType.getNumElements()});
      if (srcType.getRank() != 1)
        flat = tensor::CollapseShapeOp::create(b, loc, flatType, src,
                                               all(srcType.getRank()));
      lowered = flat;
      if (resultType.getRank() != 1)
        lowered = tensor::ExpandShapeOp::create(b, loc, resultType, flat,
                                                all(resultType.getRank()));
    }
  } else if (auto trans = dyn_cast<tt::TransOp>(op)) {
    Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                          resultType.getElementType());
    SmallVector<int64_t> order(trans.getOrder().begin(),
                               trans.getOrder().end());
    lowered = linalg::TransposeOp::create(b, loc, map.lookup(trans.getSrc()),
                                          empty, order)
                  .getResult()[0];
  } else {
    return unsupported(op);
  }
  map.map(result, lowered);
  if (isPointerLike(result.getType())) {
    Value root = roots.lookup(op->getOperand(0));
    if (!root)
      return rootOf(op, op->getOperand(0)), failure();
    roots[result] = root;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Dot
//===----------------------------------------------------------------------===//

LogicalResult KernelLowering::lowerDot(tt::DotOp dot) {
  auto type = cast<RankedTensorType>(dot.getType());
  SmallVector<Value> inputs{map.lookup(dot.getA()), map.lookup(dot.getB())};
  // The host has no fp8 arithmetic: fp8 operands are widened to f32, which
  // holds every fp8 value exactly, so the products are the same.
  for (Value &input : inputs) {
    Type element = getElementTypeOrSelf(input.getType());
    if (isa<FloatType>(element) && element.getIntOrFloatBitWidth() == 8)
      input = widenToF32(b, loc, input);
  }
  Value acc = map.lookup(dot.getC());
  // A 16-bit float accumulator sums in f32 and is rounded once at the end,
  // as tensor cores do within one dot: summing K products in f16 loses
  // about log2(K) bits more.
  Type element = type.getElementType();
  RankedTensorType accType = type;
  if (isa<FloatType>(element) && element.getIntOrFloatBitWidth() == 16) {
    accType = type.clone(b.getF32Type());
    acc = arith::ExtFOp::create(b, loc, accType, acc);
  }
  Operation *product;
  if (type.getRank() == 2)
    product = linalg::MatmulOp::create(b, loc, TypeRange{accType}, inputs,
                                       ValueRange{acc});
  else if (type.getRank() == 3)
    product = linalg::BatchMatmulOp::create(b, loc, TypeRange{accType}, inputs,
                                            ValueRange{acc});
  else
    return unsupported(dot);
  Value result = product->getResult(0);
  if (accType != type)
    result = arith::TruncFOp::create(b, loc, type, result);
  map.map(dot.getResult(), result);
  return success();
}

//===----------------------------------------------------------------------===//
// Structured control flow
//===----------------------------------------------------------------------===//

static void eraseTerminator(Block *block) {
  if (!block->empty() && block->back().hasTrait<OpTrait::IsTerminator>())
    block->back().erase();
}

LogicalResult KernelLowering::lowerFor(scf::ForOp op) {
  SmallVector<bool> speculate;
  for (Value init : op.getInitArgs())
    speculate.push_back(affine.count(init) != 0);
  while (true) {
    SmallVector<bool> confirmed;
    if (failed(lowerFor(op, speculate, confirmed)))
      return failure();
    if (confirmed == speculate)
      return success();
    speculate = confirmed;
  }
}

LogicalResult KernelLowering::lowerFor(scf::ForOp op, ArrayRef<bool> speculate,
                                       SmallVectorImpl<bool> &confirmed) {
  Location forLoc = op.getLoc();
  unsigned numArgs = op.getInitArgs().size();
  SmallVector<Value> inits;
  SmallVector<AffineOffsets> initFacts(numArgs);
  for (Value init : op.getInitArgs())
    inits.push_back(map.lookup(init));
  for (unsigned i = 0; i < numArgs; ++i) {
    if (!speculate[i])
      continue;
    initFacts[i] = affine.lookup(op.getInitArgs()[i]);
    loc = forLoc;
    inits.push_back(materialize(initFacts[i].base));
  }
  auto loop = scf::ForOp::create(b, forLoc, map.lookup(op.getLowerBound()),
                                 map.lookup(op.getUpperBound()),
                                 map.lookup(op.getStep()), inits);
  Block *body = loop.getBody();
  eraseTerminator(body);
  map.map(op.getInductionVar(), loop.getInductionVar());
  unsigned extra = 0;
  for (unsigned i = 0; i < numArgs; ++i) {
    Value arg = op.getRegionIterArg(i);
    forget(arg);
    map.map(arg, loop.getRegionIterArg(i));
    if (Value root = roots.lookup(op.getInitArgs()[i]))
      roots[arg] = root;
    if (speculate[i])
      affine[arg] = {loop.getRegionIterArg(numArgs + extra++),
                     initFacts[i].strides};
  }
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(body);
    if (failed(lowerBlockOps(*op.getBody())))
      return failure();
    Operation *yield = op.getBody()->getTerminator();
    loc = yield->getLoc();
    SmallVector<Value> yielded;
    for (Value v : yield->getOperands())
      yielded.push_back(map.lookup(v));
    confirmed.assign(numArgs, false);
    for (unsigned i = 0; i < numArgs; ++i) {
      Value next = yield->getOperand(i);
      if (isPointerLike(next.getType()) &&
          roots.lookup(next) != roots.lookup(op.getInitArgs()[i]))
        return yield->emitError()
               << "a loop-carried pointer that changes its base argument is "
                  "not supported by the CPU lane yet";
      if (!speculate[i])
        continue;
      auto facts = affine.find(next);
      if (facts == affine.end())
        continue;
      confirmed[i] = llvm::all_of_zip(
          facts->second.strides, initFacts[i].strides,
          [&](OpFoldResult x, OpFoldResult y) { return sameOfr(x, y); });
      if (confirmed[i])
        yielded.push_back(materialize(facts->second.base));
    }
    if (ArrayRef<bool>(confirmed) != speculate) {
      loop.erase();
      return success();
    }
    scf::YieldOp::create(b, loc, yielded);
  }
  carryLoopHints(op, loop);
  extra = 0;
  for (unsigned i = 0; i < numArgs; ++i) {
    Value result = op.getResult(i);
    forget(result);
    map.map(result, loop.getResult(i));
    if (Value root = roots.lookup(op.getInitArgs()[i]))
      roots[result] = root;
    if (speculate[i])
      affine[result] = {loop.getResult(numArgs + extra++),
                        initFacts[i].strides};
  }
  return success();
}

LogicalResult KernelLowering::lowerIf(scf::IfOp op) {
  SmallVector<Type> types;
  for (Type type : op.getResultTypes())
    types.push_back(convertType(type));
  bool withElse = !op.getElseRegion().empty();
  auto branch = scf::IfOp::create(b, op.getLoc(), types,
                                  map.lookup(op.getCondition()), withElse);
  auto lowerRegion = [&](Block *from, Block *to) {
    eraseTerminator(to);
    return lowerBranchBody(*from, *to);
  };
  if (failed(lowerRegion(op.thenBlock(), branch.thenBlock())))
    return failure();
  if (withElse && failed(lowerRegion(op.elseBlock(), branch.elseBlock())))
    return failure();
  for (unsigned i = 0, e = op.getNumResults(); i < e; ++i) {
    map.map(op.getResult(i), branch.getResult(i));
    if (!isPointerLike(op.getResult(i).getType()))
      continue;
    Value root = roots.lookup(op.thenYield().getOperand(i));
    if (!root || root != roots.lookup(op.elseYield().getOperand(i)))
      return op.emitError() << "a pointer chosen between different base "
                               "arguments is not supported by the CPU lane yet";
    roots[op.getResult(i)] = root;
  }
  return success();
}

LogicalResult KernelLowering::lowerBranchBody(Block &from, Block &to) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(&to);
  if (failed(lowerBlockOps(from)))
    return failure();
  SmallVector<Value> yielded;
  Operation *terminator = from.getTerminator();
  for (Value v : terminator->getOperands())
    yielded.push_back(map.lookup(v));
  scf::YieldOp::create(b, terminator->getLoc(), yielded);
  return success();
}

/// An `scf.index_switch` comes from lifting returns out of nested branches
/// (several exits of one region); its cases lower like an if's branches.
LogicalResult KernelLowering::lowerIndexSwitch(scf::IndexSwitchOp op) {
  SmallVector<Type> types;
  for (Type type : op.getResultTypes()) {
    if (isPointerLike(type))
      return op.emitError() << "a pointer chosen in a multi-way branch is not "
                               "supported by the CPU lane yet";
    types.push_back(convertType(type));
  }
  auto lowered =
      scf::IndexSwitchOp::create(b, op.getLoc(), types, map.lookup(op.getArg()),
                                 op.getCases(), op.getNumCases());
  auto lowerRegion = [&](Region &from, Region &to) {
    return lowerBranchBody(from.front(), *b.createBlock(&to));
  };
  {
    OpBuilder::InsertionGuard guard(b);
    if (failed(lowerRegion(op.getDefaultRegion(), lowered.getDefaultRegion())))
      return failure();
    for (auto [from, to] :
         llvm::zip(op.getCaseRegions(), lowered.getCaseRegions()))
      if (failed(lowerRegion(from, to)))
        return failure();
  }
  for (auto [result, value] : llvm::zip(op.getResults(), lowered.getResults()))
    map.map(result, value);
  return success();
}

LogicalResult KernelLowering::lowerWhile(scf::WhileOp op) {
  SmallVector<Value> inits;
  SmallVector<Type> beforeTypes, afterTypes;
  for (Value init : op.getInits()) {
    inits.push_back(map.lookup(init));
    beforeTypes.push_back(convertType(init.getType()));
  }
  for (Type type : op.getResultTypes())
    afterTypes.push_back(convertType(type));
  auto loop = scf::WhileOp::create(b, op.getLoc(), afterTypes, inits);
  Block *before = b.createBlock(&loop.getBefore(), {}, beforeTypes,
                                SmallVector<Location>(beforeTypes.size(), loc));
  Block *after = b.createBlock(&loop.getAfter(), {}, afterTypes,
                               SmallVector<Location>(afterTypes.size(), loc));
  b.setInsertionPointAfter(loop);
  for (auto [i, arg] : llvm::enumerate(op.getBeforeArguments())) {
    forget(arg);
    map.map(arg, before->getArgument(i));
    if (Value root = roots.lookup(op.getInits()[i]))
      roots[arg] = root;
  }
  scf::ConditionOp condition = op.getConditionOp();
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(before);
    if (failed(lowerBlockOps(*op.getBeforeBody())))
      return failure();
    SmallVector<Value> args;
    for (Value v : condition.getArgs())
      args.push_back(map.lookup(v));
    scf::ConditionOp::create(b, condition.getLoc(),
                             map.lookup(condition.getCondition()), args);
  }
  for (auto [i, arg] : llvm::enumerate(op.getAfterArguments())) {
    forget(arg);
    map.map(arg, after->getArgument(i));
    if (Value root = roots.lookup(condition.getArgs()[i]))
      roots[arg] = root;
  }
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(after);
    if (failed(lowerBlockOps(*op.getAfterBody())))
      return failure();
    SmallVector<Value> yielded;
    Operation *yield = op.getAfterBody()->getTerminator();
    for (auto [i, v] : llvm::enumerate(yield->getOperands())) {
      yielded.push_back(map.lookup(v));
      if (isPointerLike(v.getType()) &&
          roots.lookup(v) != roots.lookup(op.getInits()[i]))
        return yield->emitError()
               << "a loop-carried pointer that changes its base argument is "
                  "not supported by the CPU lane yet";
    }
    scf::YieldOp::create(b, yield->getLoc(), yielded);
  }
  for (auto [i, result] : llvm::enumerate(op.getResults())) {
    forget(result);
    map.map(result, loop.getResult(i));
    if (Value root = roots.lookup(condition.getArgs()[i]))
      roots[result] = root;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

/// Lifts unstructured control flow in a `tt.func` body to scf ops; a path
/// that cannot be taken ends with a `tt.return` of poison values.
class TritonCFGToSCF : public ControlFlowToSCFTransformation {
public:
  FailureOr<Operation *> createUnreachableTerminator(Location loc,
                                                     OpBuilder &builder,
                                                     Region &region) override {
    auto function = dyn_cast<tt::FuncOp>(region.getParentOp());
    if (!function)
      return failure();
    SmallVector<Value> values;
    for (Type type : function.getResultTypes())
      values.push_back(ub::PoisonOp::create(builder, loc, type));
    return tt::ReturnOp::create(builder, loc, values).getOperation();
  }
};

struct ConvertTritonToFLIR
    : public flagtree::impl::ConvertTritonToFLIRBase<ConvertTritonToFLIR> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string error;
    std::optional<TargetDescription> description =
        TargetDescription::parse(target, error);
    if (!description) {
      module.emitError() << error;
      return signalPassFailure();
    }
    module->setAttr("flir.target", description->toAttr(&getContext()));

    // Triton's f32 `/` is an approximate division on its GPU targets (PTX's
    // div.full.f32, within 2 ulp); `tl.math.div_rn` (tt.precise_divf,
    // lowered below without the mark) rounds correctly. The mark lets a
    // target divide by multiplying with a reciprocal.
    module.walk([](arith::DivFOp division) {
      if (getElementTypeOrSelf(division.getType()).isF32())
        division.setFastmath(division.getFastmath() |
                             arith::FastMathFlags::arcp);
    });

    // A `return` before the end of a function leaves unstructured control
    // flow (cf.cond_br, cf.br) in its body: lifted to scf.if first.
    bool failed = false;
    for (tt::FuncOp function : module.getOps<tt::FuncOp>())
      failed |= mlir::failed(liftControlFlow(function));
    if (failed)
      return signalPassFailure();
    for (tt::FuncOp function : module.getOps<tt::FuncOp>()) {
      undoPointerBitcasts(function);
      splitPointerSelects(function);
    }

    // Private functions are `@triton.jit` helpers: lowered at their call
    // sites (CallLowering.cpp), then dropped.
    SmallVector<tt::FuncOp> kernels, helpers;
    for (tt::FuncOp function : module.getOps<tt::FuncOp>())
      (function.isPrivate() ? helpers : kernels).push_back(function);
    for (tt::FuncOp kernel : kernels)
      failed |= mlir::failed(convert(kernel, description->vectorWidthBits));
    if (failed)
      return signalPassFailure();
    for (tt::FuncOp helper : helpers)
      helper.erase();
  }

  LogicalResult liftControlFlow(tt::FuncOp function) {
    if (function.isExternal() || function.getBody().hasOneBlock())
      return success();
    TritonCFGToSCF interface;
    DominanceInfo dominance(function);
    if (mlir::failed(
            transformCFGToSCF(function.getBody(), interface, dominance)))
      return function.emitError()
             << "the control flow of this function (returns, branches) "
                "cannot be made structured for the CPU lane";
    return success();
  }

  LogicalResult convert(tt::FuncOp kernel, unsigned vectorWidthBits) {
    if (kernel.isExternal())
      return kernel.emitError()
             << "external functions are not supported by the CPU lane yet";
    MLIRContext *context = &getContext();
    SmallVector<Type> inputs;
    for (Type type : kernel.getArgumentTypes()) {
      if (isScalarPointer(type)) {
        inputs.push_back(
            MemRefType::get({ShapedType::kDynamic},
                            KernelLowering::storageType(
                                cast<tt::PointerType>(type).getPointeeType())));
      } else if (isa<tt::PointerType, tt::TensorDescType>(type)) {
        return kernel.emitError() << "kernel argument of type " << type
                                  << " is not supported by the CPU lane yet";
      } else {
        inputs.push_back(type);
      }
    }
    unsigned numSourceArgs = inputs.size();
    inputs.append(6, IntegerType::get(context, 32));
    SmallVector<Type> results;
    for (Type type : kernel.getResultTypes())
      results.push_back(KernelLowering::convertType(type));

    OpBuilder builder(kernel);
    auto function =
        func::FuncOp::create(builder, kernel.getLoc(), kernel.getSymName(),
                             builder.getFunctionType(inputs, results));
    if (auto visibility = kernel.getSymVisibility())
      function.setSymVisibility(*visibility);
    if (ArrayAttr argAttrs = kernel.getArgAttrsAttr())
      for (unsigned i = 0; i < numSourceArgs; ++i)
        function.setArgAttrs(i, cast<DictionaryAttr>(argAttrs[i]));
    static const char *gridNames[] = {"pid_x", "pid_y", "pid_z",
                                      "num_x", "num_y", "num_z"};
    for (unsigned i = 0; i < 6; ++i)
      function.setArgAttr(numSourceArgs + i, "flir.grid",
                          builder.getStringAttr(gridNames[i]));
    SmallVector<Location> locations;
    for (BlockArgument arg : kernel.getArguments())
      locations.push_back(arg.getLoc());
    locations.append(6, kernel.getLoc());
    builder.createBlock(&function.getBody(), {}, inputs, locations);

    KernelLowering lowering(kernel, function);
    lowering.vectorWidthBits = vectorWidthBits;
    if (mlir::failed(lowering.run())) {
      function.erase();
      return failure();
    }
    kernel.erase();
    return success();
  }
};

} // namespace
