//===- BoundsCheck.cpp - run-time checks of accesses to kernel arguments -===//

#include "flagtree/Conversion/TritonToFLIR/Passes.h"
#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

namespace flagtree::cpu {
#define GEN_PASS_DEF_CPUBOUNDSCHECK
#include "flagtree/Target/CPU/Passes.h.inc"
} // namespace flagtree::cpu

using namespace mlir;

namespace {

constexpr const char *kExtentBefore = "flagtree_cpu_extent_before";
constexpr const char *kExtentAfter = "flagtree_cpu_extent_after";
constexpr const char *kOutOfBounds = "flagtree_cpu_out_of_bounds";
constexpr const char *kCheckAddress = "flagtree_cpu_check_address";

/// `file:line:col` of the innermost source position in `loc`, or "" .
std::string sourcePosition(Location loc) {
  std::string found;
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      llvm::raw_string_ostream os(found);
      os << file.getFilename().getValue() << ":" << file.getLine() << ":"
         << file.getColumn();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

/// The run-time functions the checks call, declared once per module.
void declareRuntime(ModuleOp module) {
  OpBuilder b(module.getBodyRegion());
  MLIRContext *context = module.getContext();
  Type i64 = b.getI64Type();
  Type ptr = LLVM::LLVMPointerType::get(context);
  auto declare = [&](StringRef name, TypeRange inputs, TypeRange results) {
    if (module.lookupSymbol(name))
      return;
    auto decl = func::FuncOp::create(b, module.getLoc(), name,
                                     b.getFunctionType(inputs, results));
    decl.setPrivate();
  };
  declare(kExtentBefore, {i64}, {i64});
  declare(kExtentAfter, {i64}, {i64});
  declare(kOutOfBounds, {ptr, i64, i64, i64, i64, i64}, {});
  declare(kCheckAddress, {ptr, i64, i64, i64}, {});
}

/// Checks the accesses of one kernel function.
class KernelChecker {
public:
  KernelChecker(func::FuncOp kernel, ModuleOp module)
      : kernel(kernel), module(module) {}

  LogicalResult run() {
    SmallVector<Operation *> accesses, byAddress;
    kernel.walk([&](Operation *op) {
      if (argumentOf(op))
        accesses.push_back(op);
      else if (op->hasAttr(flagtree::kCastAccessAttr))
        byAddress.push_back(op);
    });
    for (Operation *op : accesses)
      check(op);
    for (Operation *op : byAddress)
      if (failed(checkAddress(op)))
        return failure();
    return success();
  }

private:
  /// The pointer argument `op` accesses directly, or null.
  BlockArgument argumentOf(Operation *op) {
    Value memref;
    if (auto cast = dyn_cast<memref::ReinterpretCastOp>(op))
      memref = cast.getSource();
    else if (auto load = dyn_cast<memref::LoadOp>(op))
      memref = load.getMemRef();
    else if (auto store = dyn_cast<memref::StoreOp>(op))
      memref = store.getMemRef();
    else if (auto rmw = dyn_cast<memref::AtomicRMWOp>(op))
      memref = rmw.getMemref();
    else if (auto rmw = dyn_cast<memref::GenericAtomicRMWOp>(op))
      memref = rmw.getMemref();
    auto argument = dyn_cast_or_null<BlockArgument>(memref);
    if (!argument || argument.getOwner() != &kernel.getBody().front() ||
        !isa<MemRefType>(argument.getType()))
      return {};
    return argument;
  }

  /// Bytes of one `element`.
  static int64_t bytesOf(Type element) {
    if (element.isIndex())
      return 8;
    return std::max<int64_t>(1, (element.getIntOrFloatBitWidth() + 7) / 8);
  }

  /// Bytes of one element of `memref`.
  static int64_t elementBytes(Value memref) {
    return bytesOf(cast<MemRefType>(memref.getType()).getElementType());
  }

  /// What a failed check reports: `file:line:col: out-of-bounds load` (or
  /// store).
  static std::string siteText(Location loc, bool store) {
    std::string position = sourcePosition(loc);
    return (position.empty() ? "<unknown>" : position) + ": out-of-bounds " +
           (store ? "store" : "load");
  }

  /// The argument's extent in elements around its pointer, computed once
  /// at the function's entry: (elements before, elements after).
  std::pair<Value, Value> extent(BlockArgument argument) {
    auto found = extents.find(argument.getArgNumber());
    if (found != extents.end())
      return found->second;
    OpBuilder b = OpBuilder::atBlockBegin(&kernel.getBody().front());
    Location loc = kernel.getLoc();
    Value index = arith::ConstantIntOp::create(b, loc, b.getI64Type(),
                                               argument.getArgNumber());
    Value size = arith::ConstantIntOp::create(b, loc, b.getI64Type(),
                                              elementBytes(argument));
    auto inElements = [&](StringRef function) -> Value {
      Value bytes = func::CallOp::create(b, loc, function,
                                         TypeRange{b.getI64Type()}, index)
                        .getResult(0);
      return arith::DivSIOp::create(b, loc, bytes, size);
    };
    auto result =
        std::make_pair(inElements(kExtentBefore), inElements(kExtentAfter));
    extents[argument.getArgNumber()] = result;
    return result;
  }

  /// A constant string global holding `text`, and its address at `b`.
  Value siteString(OpBuilder &b, Location loc, StringRef text) {
    std::string name = ("__flagtree_bounds_site_" + kernel.getSymName() + "_" +
                        llvm::Twine(sites++))
                           .str();
    std::string data = text.str();
    data.push_back('\0');
    OpBuilder top(module.getBodyRegion());
    auto type = LLVM::LLVMArrayType::get(b.getI8Type(), data.size());
    LLVM::GlobalOp::create(top, loc, type, /*isConstant=*/true,
                           LLVM::Linkage::Internal, name,
                           top.getStringAttr(data));
    return LLVM::AddressOfOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext()), name);
  }

  /// Whether a view or access writes memory (for the message).
  static bool writes(Operation *op) {
    if (isa<memref::StoreOp, memref::AtomicRMWOp, memref::GenericAtomicRMWOp>(
            op))
      return true;
    for (Operation *user : op->getResult(0).getUsers()) {
      auto effects = dyn_cast<MemoryEffectOpInterface>(user);
      if (effects &&
          effects.getEffectOnValue<MemoryEffects::Write>(op->getResult(0)))
        return true;
      // A view of the view: look one level further.
      if (isa<memref::SubViewOp>(user))
        for (Operation *inner : user->getResult(0).getUsers())
          if (auto innerEffects = dyn_cast<MemoryEffectOpInterface>(inner))
            if (innerEffects.getEffectOnValue<MemoryEffects::Write>(
                    user->getResult(0)))
              return true;
    }
    return false;
  }

  void check(Operation *op) {
    BlockArgument argument = argumentOf(op);
    auto [before, after] = extent(argument);
    OpBuilder b(op);
    Location loc = op->getLoc();
    Type i64 = b.getI64Type();
    auto toI64 = [&](Value value) -> Value {
      return arith::IndexCastOp::create(b, loc, i64, value);
    };
    auto constant = [&](int64_t value) -> Value {
      return arith::ConstantIntOp::create(b, loc, i64, value);
    };
    Value lo, hi,
        empty = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0);
    if (auto view = dyn_cast<memref::ReinterpretCastOp>(op)) {
      // Lowest and highest element the view spans; none when a size is 0.
      lo = hi = toI64(getValueOrCreateConstantIndexOp(
          b, loc, view.getMixedOffsets().front()));
      for (auto [size, stride] :
           llvm::zip(view.getMixedSizes(), view.getMixedStrides())) {
        Value n = toI64(getValueOrCreateConstantIndexOp(b, loc, size));
        Value s = toI64(getValueOrCreateConstantIndexOp(b, loc, stride));
        Value isEmpty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle,
                                              n, constant(0));
        empty = arith::OrIOp::create(b, loc, empty, isEmpty);
        Value span = arith::MulIOp::create(
            b, loc, arith::SubIOp::create(b, loc, n, constant(1)), s);
        lo = arith::AddIOp::create(
            b, loc, lo, arith::MinSIOp::create(b, loc, span, constant(0)));
        hi = arith::AddIOp::create(
            b, loc, hi, arith::MaxSIOp::create(b, loc, span, constant(0)));
      }
    } else {
      ValueRange indices;
      if (auto load = dyn_cast<memref::LoadOp>(op))
        indices = load.getIndices();
      else if (auto store = dyn_cast<memref::StoreOp>(op))
        indices = store.getIndices();
      else if (auto rmw = dyn_cast<memref::AtomicRMWOp>(op))
        indices = rmw.getIndices();
      else
        indices = cast<memref::GenericAtomicRMWOp>(op).getIndices();
      if (indices.size() != 1)
        return;
      lo = hi = toI64(indices.front());
    }
    Value negBefore = arith::SubIOp::create(b, loc, constant(0), before);
    Value aboveStart =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, lo, negBefore);
    Value belowEnd =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, hi, after);
    Value inside = arith::AndIOp::create(b, loc, aboveStart, belowEnd);
    Value fine = arith::OrIOp::create(b, loc, inside, empty);

    std::string what = siteText(loc, writes(op));
    auto check = scf::IfOp::create(b, loc, fine, /*withElseRegion=*/true);
    OpBuilder elseBuilder = check.getElseBodyBuilder();
    Value site = siteString(elseBuilder, loc, what);
    func::CallOp::create(
        elseBuilder, loc, kOutOfBounds, TypeRange{},
        ValueRange{site,
                   arith::ConstantIntOp::create(elseBuilder, loc, i64,
                                                argument.getArgNumber()),
                   lo, hi, before, after});
  }

  /// An access by address into an argument (through a pointer cast to an
  /// element type of another width) has no memref to check against: the
  /// run time checks that its bytes lie within the tensor of the argument
  /// its kCastAccessAttr names.
  LogicalResult checkAddress(Operation *op) {
    auto argument = op->getAttrOfType<IntegerAttr>(flagtree::kCastAccessAttr);
    if (!argument)
      return op->emitError() << "'" << flagtree::kCastAccessAttr
                             << "' must be the number of the argument the "
                                "access's pointer was cast from";
    Value pointer;
    Type type;
    if (auto load = dyn_cast<LLVM::LoadOp>(op)) {
      pointer = load.getAddr();
      type = load.getType();
    } else if (auto store = dyn_cast<LLVM::StoreOp>(op)) {
      pointer = store.getAddr();
      type = store.getValue().getType();
    } else {
      return success();
    }
    OpBuilder b(op);
    Location loc = op->getLoc();
    Type i64 = b.getI64Type();
    Value address = LLVM::PtrToIntOp::create(b, loc, i64, pointer);
    Value bytes = arith::ConstantIntOp::create(b, loc, i64, bytesOf(type));
    Value number = arith::ConstantIntOp::create(b, loc, i64, argument.getInt());
    func::CallOp::create(
        b, loc, kCheckAddress, TypeRange{},
        ValueRange{siteString(b, loc, siteText(loc, isa<LLVM::StoreOp>(op))),
                   address, bytes, number});
    return success();
  }

  func::FuncOp kernel;
  ModuleOp module;
  llvm::DenseMap<unsigned, std::pair<Value, Value>> extents;
  unsigned sites = 0;
};

struct CPUBoundsCheckPass
    : flagtree::cpu::impl::CPUBoundsCheckBase<CPUBoundsCheckPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> kernels;
    for (auto function : module.getOps<func::FuncOp>())
      if (!function.isDeclaration())
        kernels.push_back(function);
    if (kernels.empty())
      return;
    declareRuntime(module);
    for (func::FuncOp kernel : kernels)
      if (failed(KernelChecker(kernel, module).run()))
        return signalPassFailure();
  }
};

} // namespace
