//===- DebugLowering.cpp - tt.print and tt.assert to runtime calls -------===//
//
// `tl.device_print` and `tl.device_assert` call two functions the lane's
// runtime provides (JITRuntime.cpp), once per element, in loops over the
// operand's shape:
//
//   flagtree_cpu_print(prefix, pid_x, pid_y, pid_z, operand, rank,
//                      i0, i1, i2, i3, kind, bits, int_value, float_value)
//   flagtree_cpu_assert_fail(where, message, pid_x, pid_y, pid_z, rank,
//                            i0, i1, i2, i3)
//
// Strings (the prefix, the kernel's file:line and the message) are constant
// `memref.global`s passed by address. `kind` says how the value prints:
// 0 signed integer, 1 unsigned integer, 2 float, 3 hexadecimal bits, 4 no
// value (a print of its prefix alone); the value travels widened to i64
// (integers, hex bits) or f64 (floats). The
// assertion call runs only for elements whose condition is false; the
// runtime stops the program there and the launch reports the first one.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

namespace {

constexpr unsigned kMaxRank = 4;
constexpr const char *kPrint = "flagtree_cpu_print";
constexpr const char *kAssertFail = "flagtree_cpu_assert_fail";

enum PrintKind : int32_t {
  Signed = 0,
  Unsigned = 1,
  Float = 2,
  Hex = 3,
  PrefixOnly = 4
};

/// "file:line" of the first file location inside `loc`.
std::string fileLine(Location loc) {
  std::string text = "<unknown>";
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      text =
          (file.getFilename().getValue() + ":" + Twine(file.getLine())).str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return text;
}

} // namespace

func::FuncOp flagtree::flir::runtimeFunction(ModuleOp module, StringRef name,
                                             FunctionType type) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder builder(module.getBodyRegion());
  auto function = func::FuncOp::create(builder, module.getLoc(), name, type);
  function.setPrivate();
  return function;
}

/// The address (as i64) of a constant, NUL-terminated copy of `text`.
static Value stringAddress(OpBuilder &b, Location loc, ModuleOp module,
                           StringRef text) {
  SmallVector<int8_t> bytes(text.begin(), text.end());
  bytes.push_back(0);
  auto type = MemRefType::get({static_cast<int64_t>(bytes.size())},
                              b.getIntegerType(8));
  auto data = DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(), type.getElementType()),
      ArrayRef<int8_t>(bytes));
  OpBuilder detached(b.getContext());
  auto global = memref::GlobalOp::create(
      detached, loc, "__flir_string", detached.getStringAttr("private"), type,
      data, /*constant=*/true, /*alignment=*/nullptr);
  // Inserting through the symbol table renames on a collision.
  SymbolTable(module).insert(global, module.getBody()->begin());
  Value memref = memref::GetGlobalOp::create(b, loc, type, global.getSymName());
  Value address =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
}

/// Calls `body(indices)` for every element of a tensor of `shape` (once,
/// with no indices, for a scalar), inside a nest of `scf.for`.
static void
forEachElement(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
               function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  if (shape.empty()) {
    body(b, loc, {});
    return;
  }
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t size : shape) {
    lbs.push_back(arith::ConstantIndexOp::create(b, loc, 0));
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, size));
    steps.push_back(arith::ConstantIndexOp::create(b, loc, 1));
  }
  scf::buildLoopNest(b, loc, lbs, ubs, steps, body);
}

/// The element at `indices` of `value`, a tensor, or `value` itself when it
/// is a scalar (no indices).
static Value elementAt(OpBuilder &b, Location loc, Value value,
                       ValueRange indices) {
  if (indices.empty())
    return value;
  return tensor::ExtractOp::create(b, loc, value, indices);
}

/// The four index arguments (rank first) of a runtime call.
static void indexArguments(OpBuilder &b, Location loc, ValueRange indices,
                           SmallVectorImpl<Value> &args) {
  args.push_back(arith::ConstantIntOp::create(b, loc, indices.size(), 32));
  for (unsigned d = 0; d < kMaxRank; ++d)
    args.push_back(
        d < indices.size()
            ? arith::IndexCastOp::create(b, loc, b.getI64Type(), indices[d])
                  .getResult()
            : arith::ConstantIntOp::create(b, loc, 0, 64).getResult());
}

LogicalResult KernelLowering::lowerPrint(tt::PrintOp op) {
  auto module = target->getParentOfType<ModuleOp>();
  MLIRContext *context = b.getContext();
  Type i32 = b.getI32Type(), i64 = b.getI64Type(), f64 = b.getF64Type();
  auto type = FunctionType::get(
      context,
      {i64, i32, i32, i32, i32, i32, i64, i64, i64, i64, i32, i32, i64, f64},
      {});
  func::FuncOp print = runtimeFunction(module, kPrint, type);
  Value prefix = stringAddress(b, loc, module, op.getPrefix());
  ArrayRef<int32_t> isSigned = op.getIsSigned();
  bool several = op.getArgs().size() > 1;
  if (op.getArgs().empty()) {
    SmallVector<Value> args{prefix};
    args.append(gridArgs.begin(), gridArgs.begin() + 3);
    args.push_back(arith::ConstantIntOp::create(b, loc, -1, 32));
    indexArguments(b, loc, {}, args);
    args.push_back(arith::ConstantIntOp::create(b, loc, PrefixOnly, 32));
    args.push_back(arith::ConstantIntOp::create(b, loc, 0, 32));
    args.push_back(arith::ConstantIntOp::create(b, loc, 0, 64));
    args.push_back(arith::ConstantFloatOp::create(b, loc, cast<FloatType>(f64),
                                                  APFloat(0.0)));
    func::CallOp::create(b, loc, print, args);
    return success();
  }
  for (auto [k, arg] : llvm::enumerate(op.getArgs())) {
    Type element = getElementTypeOrSelf(arg.getType());
    if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() > 64)
      return op.emitError() << "'tt.print' of " << arg.getType()
                            << " is not supported by the CPU lane yet";
    auto tensor = dyn_cast<RankedTensorType>(arg.getType());
    ArrayRef<int64_t> shape = tensor ? tensor.getShape() : ArrayRef<int64_t>{};
    if (shape.size() > kMaxRank)
      return op.emitError() << "'tt.print' of a tensor of rank " << shape.size()
                            << " is not supported by the CPU lane yet";
    unsigned bits = element.getIntOrFloatBitWidth();
    int32_t kind =
        op.getHex() ? Hex
        : isa<FloatType>(element)
            ? Float
            : (k < isSigned.size() && isSigned[k] ? Signed : Unsigned);
    Value value = map.lookup(arg);
    // fp8 has no arith.extf lowering on the host: its values widen to f32
    // first (exactly), and still print with the digits of their width.
    if (kind == Float && bits == 8)
      value = widenToF32(b, loc, value);
    forEachElement(
        b, loc, shape, [&](OpBuilder &nb, Location l, ValueRange indices) {
          Value v = elementAt(nb, l, value, indices);
          Value asInt = arith::ConstantIntOp::create(nb, l, 0, 64);
          Value asFloat = arith::ConstantFloatOp::create(
              nb, l, cast<FloatType>(f64), APFloat(0.0));
          if (kind == Float) {
            asFloat = bits < 64
                          ? arith::ExtFOp::create(nb, l, f64, v).getResult()
                          : v;
          } else {
            Value intBits = v;
            if (isa<FloatType>(element))
              intBits =
                  arith::BitcastOp::create(nb, l, nb.getIntegerType(bits), v);
            if (bits == 64)
              asInt = intBits;
            else if (kind == Signed)
              asInt = arith::ExtSIOp::create(nb, l, i64, intBits);
            else
              asInt = arith::ExtUIOp::create(nb, l, i64, intBits);
          }
          SmallVector<Value> args{prefix};
          args.append(gridArgs.begin(), gridArgs.begin() + 3);
          args.push_back(
              arith::ConstantIntOp::create(nb, l, several ? k : -1, 32));
          indexArguments(nb, l, indices, args);
          args.push_back(arith::ConstantIntOp::create(nb, l, kind, 32));
          args.push_back(arith::ConstantIntOp::create(nb, l, bits, 32));
          args.push_back(asInt);
          args.push_back(asFloat);
          func::CallOp::create(nb, l, print, args);
        });
  }
  return success();
}

LogicalResult KernelLowering::lowerAssert(tt::AssertOp op) {
  auto module = target->getParentOfType<ModuleOp>();
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  auto type = FunctionType::get(
      b.getContext(), {i64, i64, i32, i32, i32, i32, i64, i64, i64, i64}, {});
  func::FuncOp fail = runtimeFunction(module, kAssertFail, type);
  auto tensor = dyn_cast<RankedTensorType>(op.getCondition().getType());
  ArrayRef<int64_t> shape = tensor ? tensor.getShape() : ArrayRef<int64_t>{};
  if (shape.size() > kMaxRank)
    return op.emitError() << "'tt.assert' of a tensor of rank " << shape.size()
                          << " is not supported by the CPU lane yet";
  Value where = stringAddress(b, loc, module, fileLine(op.getLoc()));
  Value message = stringAddress(b, loc, module, op.getMessage());
  Value condition = map.lookup(op.getCondition());
  forEachElement(
      b, loc, shape, [&](OpBuilder &nb, Location l, ValueRange indices) {
        Value holds = elementAt(nb, l, condition, indices);
        Value one = arith::ConstantIntOp::create(nb, l, 1, 1);
        Value broken = arith::XOrIOp::create(nb, l, holds, one);
        auto branch = scf::IfOp::create(nb, l, broken, /*withElse=*/false);
        OpBuilder::InsertionGuard guard(nb);
        nb.setInsertionPointToStart(branch.thenBlock());
        SmallVector<Value> args{where, message};
        args.append(gridArgs.begin(), gridArgs.begin() + 3);
        indexArguments(nb, l, indices, args);
        func::CallOp::create(nb, l, fail, args);
      });
  return success();
}
