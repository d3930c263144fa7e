//===- AtomicLowering.cpp - tt.atomic_rmw / tt.atomic_cas to memref atomics
//===//
//
// The launcher runs programs in parallel, so every atomic becomes a real
// atomic read-modify-write on the argument's memref: `memref.atomic_rmw`
// where one exists for the operation and type, otherwise
// a compare-and-swap loop (`llvm.cmpxchg` on the memref's address inside
// `scf.while`) with the combine spelled out. The loop is not a
// `memref.generic_atomic_rmw` because buffer deallocation rejects region
// ops it cannot reason about. A tensor atomic is a loop over its elements, each
// under its mask; the old values are collected into the result tensor.
//
// A pointer bitcast to an element type of the same width (Triton's float
// atomic_max / atomic_min go through i32 pointers) keeps the argument's
// memref; the atomic reinterprets the stored bits. `tt.ptr_to_int` is here
// too: the address of the argument's memref plus the pointer's offset.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"
#include "flagtree/Conversion/TritonToFLIR/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

LogicalResult KernelLowering::lowerPointerBitcast(tt::BitcastOp op) {
  Value root = rootOf(op, op.getSrc());
  if (!root)
    return failure();
  if (isAddress(root)) {
    // An address stays the same address, whatever it points to.
    map.map(op.getResult(), map.lookup(op.getSrc()));
    roots[op.getResult()] = root;
    return success();
  }
  Type from = pointeeOf(op.getSrc().getType()),
       to = pointeeOf(op.getResult().getType());
  if (!from.isIntOrFloat() || !to.isIntOrFloat())
    return op.emitError() << "a pointer cast from " << from << " to " << to
                          << " is not supported by the CPU lane yet";
  if (storageType(from).getIntOrFloatBitWidth() !=
      storageType(to).getIntOrFloatBitWidth()) {
    // Another width: the pointer becomes its address, accessed element by
    // element (the argument's memref holds elements of the old width). A
    // memref at an address made from an integer is no argument: its casts
    // are addresses like it.
    map.map(op.getResult(), addressOf(root, map.lookup(op.getSrc())));
    auto argument = dyn_cast<BlockArgument>(root);
    roots[op.getResult()] = argument && argument.getOwner() == &target.front()
                                ? castAddressRoot(argument)
                                : addressSpaceRoot();
    return success();
  }
  map.map(op.getResult(), map.lookup(op.getSrc()));
  roots[op.getResult()] = root;
  return success();
}

LogicalResult KernelLowering::lowerPtrToInt(tt::PtrToIntOp op) {
  Value root = rootOf(op, op.getSrc());
  if (!root)
    return failure();
  Value address = map.lookup(op.getSrc());
  if (!isAddress(root))
    address = addressOf(root, address);
  map.map(op.getResult(),
          arith::IndexCastUIOp::create(b, loc, op.getType(), address));
  return success();
}

/// Atomically replaces `root[offset]` (read as `element`) by
/// `combine(old)` with a compare-and-swap loop on its bits; returns `old`.
/// With `byAddress`, `offset` is the element's address in bytes (a pointer
/// taken as an address) and `root` is not used; the first load then
/// carries `castAccess` (when set) as kCastAccessAttr, for the
/// bounds-checked mode.
static Value compareExchangeLoop(OpBuilder &b, Location loc, Value root,
                                 Value offset, Type element,
                                 function_ref<Value(Value)> combine,
                                 bool byAddress, IntegerAttr castAccess) {
  Type bits = b.getIntegerType(element.getIntOrFloatBitWidth());
  auto pointerType = LLVM::LLVMPointerType::get(b.getContext());
  Value pointer;
  if (byAddress) {
    pointer = addressPointer(b, loc, offset);
  } else {
    Type stored = cast<MemRefType>(root.getType()).getElementType();
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, root);
    Value address = arith::IndexCastOp::create(b, loc, b.getI64Type(), base);
    Value start = LLVM::IntToPtrOp::create(b, loc, pointerType, address);
    Value index = arith::IndexCastOp::create(b, loc, b.getI64Type(), offset);
    pointer = LLVM::GEPOp::create(b, loc, pointerType, stored, start,
                                  ValueRange{index});
  }
  unsigned alignment = element.getIntOrFloatBitWidth() / 8;
  auto initial = LLVM::LoadOp::create(b, loc, bits, pointer, alignment,
                                      /*isVolatile=*/false,
                                      /*isNonTemporal=*/false,
                                      /*isInvariant=*/false,
                                      /*isInvariantGroup=*/false,
                                      LLVM::AtomicOrdering::monotonic);
  if (castAccess)
    initial->setAttr(flagtree::kCastAccessAttr, castAccess);
  auto loop =
      scf::WhileOp::create(b, loc, TypeRange{bits}, initial.getResult());
  Block *before = b.createBlock(&loop.getBefore(), {}, {bits}, {loc});
  {
    Value expected = before->getArgument(0);
    Value current = expected;
    if (element != bits)
      current = arith::BitcastOp::create(b, loc, element, current);
    Value next = combine(current);
    if (element != bits)
      next = arith::BitcastOp::create(b, loc, bits, next);
    Value pair = LLVM::AtomicCmpXchgOp::create(b, loc, pointer, expected, next,
                                               LLVM::AtomicOrdering::acq_rel,
                                               LLVM::AtomicOrdering::monotonic);
    Value seen = LLVM::ExtractValueOp::create(b, loc, pair, 0);
    Value swapped = LLVM::ExtractValueOp::create(b, loc, pair, 1);
    Value retry = arith::XOrIOp::create(
        b, loc, swapped, arith::ConstantIntOp::create(b, loc, 1, 1));
    scf::ConditionOp::create(b, loc, retry, seen);
  }
  Block *after = b.createBlock(&loop.getAfter(), {}, {bits}, {loc});
  scf::YieldOp::create(b, loc, after->getArgument(0));
  b.setInsertionPointAfter(loop);
  Value old = loop.getResult(0);
  if (element != bits)
    old = arith::BitcastOp::create(b, loc, element, old);
  return old;
}

LogicalResult KernelLowering::lowerAtomic(
    Operation *op, Value pointer, Value mask,
    function_ref<Value(OpBuilder &, Location, Value, ValueRange)> combine,
    ValueRange operands, std::optional<arith::AtomicRMWKind> simple) {
  Value root = rootOf(op, pointer);
  if (!root)
    return failure();
  // Through a pointer taken as an address (made from an integer, or cast
  // to an element type of another width), every kind takes the
  // compare-and-swap loop on the address.
  bool byAddress = isAddress(root);
  IntegerAttr castAccess = castAccessOf(root);
  Type element = pointeeOf(pointer.getType());
  if (byAddress || cast<MemRefType>(root.getType()).getElementType() != element)
    simple.reset();
  Value result = op->getResult(0);
  Value offsets = map.lookup(pointer);
  Value masks = mask ? map.lookup(mask) : Value();
  SmallVector<Value> values;
  for (Value operand : operands)
    values.push_back(map.lookup(operand));

  // One atomic on base[offset] with scalar operands; returns the old value.
  auto atomic = [&](OpBuilder &nb, Location l, Value offset,
                    ValueRange args) -> Value {
    if (simple)
      return memref::AtomicRMWOp::create(nb, l, *simple, args.back(), root,
                                         offset);
    return compareExchangeLoop(
        nb, l, root, offset, element,
        [&](Value v) { return combine(nb, l, v, args); }, byAddress,
        castAccess);
  };
  // The atomic under a scalar mask; a masked-off lane reads as zero.
  auto guarded = [&](OpBuilder &nb, Location l, Value offset, Value m,
                     ValueRange args) -> Value {
    if (!m)
      return atomic(nb, l, offset, args);
    auto branch = scf::IfOp::create(nb, l, element, m, /*withElse=*/true);
    OpBuilder::InsertionGuard guard(nb);
    nb.setInsertionPointToStart(branch.thenBlock());
    scf::YieldOp::create(nb, l, atomic(nb, l, offset, args));
    nb.setInsertionPointToStart(branch.elseBlock());
    Value zero = arith::ConstantOp::create(nb, l, nb.getZeroAttr(element));
    scf::YieldOp::create(nb, l, zero);
    return branch.getResult(0);
  };

  auto type = dyn_cast<RankedTensorType>(result.getType());
  if (!type) {
    map.map(result, guarded(b, loc, offsets, masks, values));
    return success();
  }
  bool keep = !result.use_empty();
  Value buffer;
  if (keep)
    buffer = memref::AllocOp::create(b, loc,
                                     MemRefType::get(type.getShape(), element));
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t size : type.getShape()) {
    lbs.push_back(zero);
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, size));
    steps.push_back(one);
  }
  scf::buildLoopNest(
      b, loc, lbs, ubs, steps, [&](OpBuilder &nb, Location l, ValueRange ivs) {
        auto at = [&](Value tensor) -> Value {
          if (!tensor || !isa<RankedTensorType>(tensor.getType()))
            return tensor;
          return tensor::ExtractOp::create(nb, l, tensor, ivs);
        };
        SmallVector<Value> args;
        for (Value value : values)
          args.push_back(at(value));
        Value old = guarded(nb, l, at(offsets), at(masks), args);
        if (keep)
          memref::StoreOp::create(nb, l, old, buffer, ivs);
      });
  if (keep)
    map.map(result, bufferization::ToTensorOp::create(b, loc, type, buffer,
                                                      /*restrict=*/true,
                                                      /*writable=*/true));
  return success();
}

LogicalResult KernelLowering::lowerAtomicRMW(tt::AtomicRMWOp op) {
  using Kind = arith::AtomicRMWKind;
  Type element = pointeeOf(op.getPtr().getType());
  bool isFloat = isa<FloatType>(element);
  std::optional<Kind> simple;
  auto combine = [&](OpBuilder &nb, Location l, Value current,
                     ValueRange args) -> Value {
    Value value = args.back();
    switch (op.getAtomicRmwOp()) {
    case tt::RMWOp::AND:
      return arith::AndIOp::create(nb, l, current, value);
    case tt::RMWOp::OR:
      return arith::OrIOp::create(nb, l, current, value);
    case tt::RMWOp::XOR:
      return arith::XOrIOp::create(nb, l, current, value);
    case tt::RMWOp::ADD:
      return arith::AddIOp::create(nb, l, current, value);
    case tt::RMWOp::FADD:
      return arith::AddFOp::create(nb, l, current, value);
    case tt::RMWOp::MAX:
      return isFloat
                 ? arith::MaximumFOp::create(nb, l, current, value).getResult()
                 : arith::MaxSIOp::create(nb, l, current, value);
    case tt::RMWOp::MIN:
      return isFloat
                 ? arith::MinimumFOp::create(nb, l, current, value).getResult()
                 : arith::MinSIOp::create(nb, l, current, value);
    case tt::RMWOp::UMAX:
      return arith::MaxUIOp::create(nb, l, current, value);
    case tt::RMWOp::UMIN:
      return arith::MinUIOp::create(nb, l, current, value);
    case tt::RMWOp::XCHG:
      return value;
    }
    llvm_unreachable("unknown RMW operation");
  };
  // Kinds LLVM has an `atomicrmw` instruction for; the rest (and f16/bf16)
  // take the compare-and-swap loop.
  switch (op.getAtomicRmwOp()) {
  case tt::RMWOp::AND:
    simple = Kind::andi;
    break;
  case tt::RMWOp::OR:
    simple = Kind::ori;
    break;
  case tt::RMWOp::XOR:
    simple = Kind::xori;
    break;
  case tt::RMWOp::ADD:
    simple = Kind::addi;
    break;
  case tt::RMWOp::FADD:
    if (element.isF32() || element.isF64())
      simple = Kind::addf;
    break;
  case tt::RMWOp::MAX:
    if (!isFloat)
      simple = Kind::maxs;
    break;
  case tt::RMWOp::MIN:
    if (!isFloat)
      simple = Kind::mins;
    break;
  case tt::RMWOp::UMAX:
    simple = Kind::maxu;
    break;
  case tt::RMWOp::UMIN:
    simple = Kind::minu;
    break;
  case tt::RMWOp::XCHG:
    simple = Kind::assign;
    break;
  }
  return lowerAtomic(op, op.getPtr(), op.getMask(), combine,
                     ValueRange{op.getVal()}, simple);
}

LogicalResult KernelLowering::lowerAtomicCAS(tt::AtomicCASOp op) {
  Type element = pointeeOf(op.getPtr().getType());
  if (!element.isIntOrFloat())
    return unsupported(op);
  // Compares bit patterns, as the hardware does, also for floats.
  Type bits = b.getIntegerType(element.getIntOrFloatBitWidth());
  auto combine = [&](OpBuilder &nb, Location l, Value current,
                     ValueRange args) -> Value {
    Value expected = args[0];
    Value now = current;
    if (isa<FloatType>(element)) {
      now = arith::BitcastOp::create(nb, l, bits, now);
      expected = arith::BitcastOp::create(nb, l, bits, expected);
    }
    Value equal =
        arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, now, expected);
    return arith::SelectOp::create(nb, l, equal, args[1], current);
  };
  return lowerAtomic(op, op.getPtr(), Value(), combine,
                     ValueRange{op.getCmp(), op.getVal()}, std::nullopt);
}
