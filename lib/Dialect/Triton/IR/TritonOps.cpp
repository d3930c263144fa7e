//===- TritonOps.cpp - verifiers and custom syntax of `tt` ops -----------===//

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "OpHelpers.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/FunctionImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace flagtree::tt;
using namespace flagtree::tt::detail;

#define GET_OP_CLASSES
#include "flagtree/Dialect/Triton/IR/TritonOps.cpp.inc"

LogicalResult flagtree::tt::OpTrait::verifyTensorSize(Operation *op) {
  auto check = [&](Type type) -> LogicalResult {
    if (auto ptr = dyn_cast<PointerType>(type))
      type = ptr.getPointeeType();
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape())
      return success();
    int64_t numElements = tensor.getNumElements();
    if (!llvm::isPowerOf2_64(numElements))
      return op->emitOpError("tensor ")
             << tensor << " has " << numElements
             << " elements; Triton needs a power of two";
    return success();
  };
  for (Type type : op->getOperandTypes())
    if (failed(check(type)))
      return failure();
  for (Type type : op->getResultTypes())
    if (failed(check(type)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Functions, calls, returns
//===----------------------------------------------------------------------===//

ParseResult FuncOp::parse(OpAsmParser &parser, OperationState &result) {
  auto buildFuncType =
      [](Builder &builder, ArrayRef<Type> argTypes, ArrayRef<Type> results,
         function_interface_impl::VariadicFlag,
         std::string &) { return builder.getFunctionType(argTypes, results); };
  return function_interface_impl::parseFunctionOp(
      parser, result, /*allowVariadic=*/false,
      getFunctionTypeAttrName(result.name), buildFuncType,
      getArgAttrsAttrName(result.name), getResAttrsAttrName(result.name));
}

void FuncOp::print(OpAsmPrinter &printer) {
  function_interface_impl::printFunctionOp(
      printer, *this, /*isVariadic=*/false, getFunctionTypeAttrName(),
      getArgAttrsAttrName(), getResAttrsAttrName());
}

LogicalResult FuncOp::verify() {
  if (auto visibility = getSymVisibility())
    if (*visibility != "public" && *visibility != "private" &&
        *visibility != "nested")
      return emitOpError("unknown visibility '") << *visibility << "'";
  return success();
}

LogicalResult CallOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto callee =
      symbolTable.lookupNearestSymbolFrom<FuncOp>(*this, getCalleeAttr());
  if (!callee)
    return emitOpError("'")
           << getCallee() << "' does not name a tt.func in this module";
  FunctionType type = callee.getFunctionType();
  if (type.getNumInputs() != getNumOperands())
    return emitOpError("passes ")
           << getNumOperands() << " operands but '" << getCallee() << "' takes "
           << type.getNumInputs();
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(type.getInputs(), getOperandTypes())))
    if (std::get<0>(pair) != std::get<1>(pair))
      return emitOpError("operand #")
             << index << " has type " << std::get<1>(pair) << " but '"
             << getCallee() << "' expects " << std::get<0>(pair);
  if (!llvm::equal(type.getResults(), getResultTypes()))
    return emitOpError("result types do not match those of '")
           << getCallee() << "'";
  return success();
}

LogicalResult ReturnOp::verify() {
  auto func = (*this)->getParentOfType<FuncOp>();
  ArrayRef<Type> expected = func.getFunctionType().getResults();
  if (getSrcs().size() != expected.size())
    return emitOpError("returns ")
           << getSrcs().size() << " values but the function returns "
           << expected.size();
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(getSrcs().getTypes(), expected)))
    if (std::get<0>(pair) != std::get<1>(pair))
      return emitOpError("value #")
             << index << " has type " << std::get<0>(pair)
             << " but the function returns " << std::get<1>(pair);
  return success();
}

//===----------------------------------------------------------------------===//
// Casts
//===----------------------------------------------------------------------===//

static unsigned bitWidthOf(Type element) {
  if (isa<PointerType>(element))
    return 64;
  return element.getIntOrFloatBitWidth();
}

LogicalResult BitcastOp::verify() {
  Type from = getElementTypeOrSelf(getSrc().getType());
  Type to = getElementTypeOrSelf(getType());
  if (isa<PointerType>(from) != isa<PointerType>(to))
    return emitOpError("cannot bitcast between pointers and non-pointers; "
                       "use tt.ptr_to_int / tt.int_to_ptr");
  if (bitWidthOf(from) != bitWidthOf(to))
    return emitOpError("element types ")
           << from << " and " << to << " have different bit widths";
  return success();
}

LogicalResult FpToFpOp::verify() {
  auto from = cast<FloatType>(getElementTypeOrSelf(getSrc().getType()));
  auto to = cast<FloatType>(getElementTypeOrSelf(getType()));
  if (to.getWidth() < from.getWidth() && !getRounding())
    return emitOpError("a down-cast from ")
           << from << " to " << to << " needs a rounding mode";
  if (getRounding() && to.getWidth() > from.getWidth())
    return emitOpError("a rounding mode is only meaningful on a down-cast, "
                       "not from ")
           << from << " to " << to;
  return success();
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

LogicalResult MakeRangeOp::verify() {
  int64_t start = static_cast<int32_t>(getStart());
  int64_t end = static_cast<int32_t>(getEnd());
  if (end <= start)
    return emitOpError("end (")
           << end << ") must be greater than start (" << start << ")";
  RankedTensorType type = getType();
  if (type.getRank() != 1 || type.getDimSize(0) != end - start)
    return emitOpError("result must be a 1-D tensor of ")
           << end - start << " elements, not " << type;
  return success();
}

LogicalResult UnsplatOp::verify() {
  auto type = cast<RankedTensorType>(getSrc().getType());
  if (type.getNumElements() != 1)
    return emitOpError("needs a tensor with exactly one element, not ") << type;
  return success();
}

LogicalResult ExpandDimsOp::verify() {
  auto src = cast<RankedTensorType>(getSrc().getType());
  auto result = cast<RankedTensorType>(getType());
  int64_t axis = static_cast<int32_t>(getAxis());
  if (axis < 0 || axis > src.getRank())
    return emitOpError("axis ")
           << axis << " is out of range for rank " << src.getRank();
  SmallVector<int64_t> expected(src.getShape());
  expected.insert(expected.begin() + axis, 1);
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << shapeString(result.getShape()) << " should be "
           << shapeString(expected);
  return success();
}

LogicalResult BroadcastOp::verify() {
  auto src = cast<RankedTensorType>(getSrc().getType());
  auto result = cast<RankedTensorType>(getType());
  if (src.getRank() != result.getRank())
    return emitOpError("source and result must have the same rank");
  for (auto [from, to] : llvm::zip(src.getShape(), result.getShape()))
    if (from != to && from != 1)
      return emitOpError("cannot broadcast ")
             << shapeString(src.getShape()) << " to "
             << shapeString(result.getShape());
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto src = cast<RankedTensorType>(getSrc().getType());
  auto result = cast<RankedTensorType>(getType());
  if (src.getNumElements() != result.getNumElements())
    return emitOpError("cannot reshape ")
           << shapeString(src.getShape()) << " to "
           << shapeString(result.getShape())
           << ": the number of elements differs";
  return success();
}

LogicalResult TransOp::verify() {
  auto src = cast<RankedTensorType>(getSrc().getType());
  auto result = cast<RankedTensorType>(getType());
  if (failed(verifyPermutation(*this, getOrder(), src.getRank())))
    return failure();
  SmallVector<int64_t> expected;
  for (int32_t dim : getOrder())
    expected.push_back(src.getDimSize(dim));
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << shapeString(result.getShape()) << " should be "
           << shapeString(expected);
  return success();
}

LogicalResult CatOp::verify() {
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto result = cast<RankedTensorType>(getType());
  if (result.getNumElements() != 2 * lhs.getNumElements())
    return emitOpError("result must hold the elements of both operands");
  return success();
}

LogicalResult JoinOp::verify() {
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  SmallVector<int64_t> expected(lhs.getShape());
  expected.push_back(2);
  if (getType().getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << shapeString(getType().getShape()) << " should be "
           << shapeString(expected);
  return success();
}

LogicalResult SplitOp::verify() {
  auto src = cast<RankedTensorType>(getSrc().getType());
  if (src.getRank() == 0 || src.getShape().back() != 2)
    return emitOpError("the last dimension of the source must be 2, not ")
           << shapeString(src.getShape());
  if (getOutLHS().getType().getShape() != src.getShape().drop_back())
    return emitOpError("result shape ")
           << shapeString(getOutLHS().getType().getShape()) << " should be "
           << shapeString(src.getShape().drop_back());
  return success();
}

void SplitOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  setNameFn(getOutLHS(), "outLHS");
  setNameFn(getOutRHS(), "outRHS");
}

LogicalResult GatherOp::verify() {
  auto src = cast<RankedTensorType>(getSrc().getType());
  auto indices = cast<RankedTensorType>(getIndices().getType());
  auto result = cast<RankedTensorType>(getType());
  int64_t axis = static_cast<int32_t>(getAxis());
  if (axis < 0 || axis >= src.getRank())
    return emitOpError("axis ")
           << axis << " is out of range for rank " << src.getRank();
  if (indices.getRank() != src.getRank())
    return emitOpError("indices must have the rank of the source");
  for (int64_t dim = 0; dim < src.getRank(); ++dim)
    if (dim != axis && indices.getDimSize(dim) != src.getDimSize(dim))
      return emitOpError("indices dimension ")
             << dim << " (" << indices.getDimSize(dim)
             << ") must match the source (" << src.getDimSize(dim) << ")";
  if (result.getShape() != indices.getShape() ||
      result.getElementType() != src.getElementType())
    return emitOpError("result must have the shape of the indices and the "
                       "element type of the source");
  return success();
}

LogicalResult HistogramOp::verify() {
  auto src = cast<RankedTensorType>(getSrc().getType());
  auto result = cast<RankedTensorType>(getType());
  if (src.getRank() != 1 || result.getRank() != 1)
    return emitOpError("source and result must be 1-D");
  if (getMask() && getMask().getType() != getI1SameShape(src))
    return emitOpError("mask must be an i1 tensor of the source's shape");
  return success();
}

//===----------------------------------------------------------------------===//
// Matrix
//===----------------------------------------------------------------------===//

LogicalResult DotOp::verify() {
  auto a = cast<RankedTensorType>(getA().getType());
  auto b = cast<RankedTensorType>(getB().getType());
  auto d = cast<RankedTensorType>(getType());
  int64_t rank = a.getRank();
  if ((rank != 2 && rank != 3) || b.getRank() != rank || d.getRank() != rank)
    return emitOpError("operands must all be 2-D, or all 3-D (batched)");
  if (a.getDimSize(rank - 1) != b.getDimSize(rank - 2))
    return emitOpError("inner dimensions differ: ")
           << shapeString(a.getShape()) << " * " << shapeString(b.getShape());
  SmallVector<int64_t> expected(a.getShape().drop_back());
  expected.push_back(b.getDimSize(rank - 1));
  if (rank == 3 && a.getDimSize(0) != b.getDimSize(0))
    return emitOpError("batch dimensions differ");
  unsigned aWidth = a.getElementType().getIntOrFloatBitWidth();
  unsigned bWidth = b.getElementType().getIntOrFloatBitWidth();
  if (aWidth != bWidth)
    return emitOpError("operand element types ")
           << a.getElementType() << " and " << b.getElementType()
           << " must have the same bit width";
  if (d.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << shapeString(d.getShape()) << " should be "
           << shapeString(expected);
  return success();
}

LogicalResult DotScaledOp::verify() {
  auto a = cast<RankedTensorType>(getA().getType());
  auto b = cast<RankedTensorType>(getB().getType());
  if (a.getRank() < 2 || b.getRank() != a.getRank())
    return emitOpError("operands must have the same rank, at least 2");
  // e2m1 packs two values per i8 along K (or along M/N without k-packing).
  auto unpackedK = [](RankedTensorType type, int64_t dim, ScaleDotElemType elem,
                      bool kPack) {
    int64_t size = type.getDimSize(dim);
    return elem == ScaleDotElemType::E2M1 && kPack ? 2 * size : size;
  };
  int64_t rank = a.getRank();
  int64_t aK = unpackedK(a, rank - 1, getAElemType(), getLhsKPack());
  int64_t bK = unpackedK(b, rank - 2, getBElemType(), getRhsKPack());
  if (aK != bK)
    return emitOpError("the K dimensions differ: ")
           << aK << " (lhs) and " << bK << " (rhs), after unpacking";
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions and scans
//===----------------------------------------------------------------------===//

/// Checks that a combine region takes two values per operand (the running
/// value and the next one) and yields one per operand.
static LogicalResult verifyCombineRegion(Operation *op, Region &region,
                                         TypeRange elementTypes) {
  Block &block = region.front();
  size_t numOperands = elementTypes.size();
  if (block.getNumArguments() != 2 * numOperands)
    return op->emitOpError("combine region must take ")
           << 2 * numOperands << " arguments, not " << block.getNumArguments();
  for (size_t i = 0; i < 2 * numOperands; ++i)
    if (block.getArgument(i).getType() != elementTypes[i % numOperands])
      return op->emitOpError("combine region argument #")
             << i << " has type " << block.getArgument(i).getType()
             << " but the operand elements are "
             << elementTypes[i % numOperands];
  Operation *terminator = block.getTerminator();
  if (terminator->getNumOperands() != numOperands)
    return op->emitOpError("combine region must yield ")
           << numOperands << (numOperands == 1 ? " value" : " values")
           << ", not " << terminator->getNumOperands();
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(terminator->getOperandTypes(), elementTypes)))
    if (std::get<0>(pair) != std::get<1>(pair))
      return op->emitOpError("combine region yields ")
             << std::get<0>(pair) << " as value #" << index << " but "
             << std::get<1>(pair) << " is expected";
  return success();
}

static SmallVector<Type> elementTypesOf(ValueRange values) {
  SmallVector<Type> types;
  for (Value value : values)
    types.push_back(getElementTypeOrSelf(value.getType()));
  return types;
}

LogicalResult ReduceOp::verify() {
  if (getSrcs().empty())
    return emitOpError("needs at least one operand");
  auto first = cast<RankedTensorType>(getSrcs()[0].getType());
  int64_t axis = static_cast<int32_t>(getAxis());
  if (axis < 0 || axis >= first.getRank())
    return emitOpError("axis ")
           << axis << " is out of range for rank " << first.getRank();
  if (getNumResults() != getSrcs().size())
    return emitOpError("must have one result per operand");
  SmallVector<int64_t> shape(first.getShape());
  shape.erase(shape.begin() + axis);
  for (auto [src, result] : llvm::zip(getSrcs(), getResults())) {
    Type element = getElementTypeOrSelf(src.getType());
    Type expected = element;
    if (!shape.empty())
      expected = RankedTensorType::get(shape, element, first.getEncoding());
    if (result.getType() != expected)
      return emitOpError("result type ")
             << result.getType() << " should be " << expected;
  }
  return success();
}

LogicalResult ReduceOp::verifyRegions() {
  return verifyCombineRegion(*this, getCombineOp(), elementTypesOf(getSrcs()));
}

LogicalResult ScanOp::verify() {
  if (getSrcs().empty())
    return emitOpError("needs at least one operand");
  auto first = cast<RankedTensorType>(getSrcs()[0].getType());
  int64_t axis = static_cast<int32_t>(getAxis());
  if (axis < 0 || axis >= first.getRank())
    return emitOpError("axis ")
           << axis << " is out of range for rank " << first.getRank();
  if (getNumResults() != getSrcs().size())
    return emitOpError("must have one result per operand");
  for (auto [src, result] : llvm::zip(getSrcs(), getResults()))
    if (src.getType() != result.getType())
      return emitOpError("result type ")
             << result.getType() << " should be " << src.getType();
  return success();
}

LogicalResult ScanOp::verifyRegions() {
  return verifyCombineRegion(*this, getCombineOp(), elementTypesOf(getSrcs()));
}

LogicalResult MapElementwiseOp::verifyRegions() {
  if (getScalarOp().empty())
    return emitOpError("needs a scalar region");
  Block &block = getScalarOp().front();
  int64_t pack = static_cast<int32_t>(getPack());
  if (pack < 1)
    return emitOpError("pack must be at least 1");
  // The region sees `pack` consecutive elements of each operand in turn and
  // yields `pack` elements of each result.
  SmallVector<Type> argTypes, yieldTypes;
  for (Value src : getSrcs())
    argTypes.append(pack, getElementTypeOrSelf(src.getType()));
  for (Value result : getResults())
    yieldTypes.append(pack, getElementTypeOrSelf(result.getType()));
  if (!llvm::equal(block.getArgumentTypes(), argTypes))
    return emitOpError("scalar region must take ")
           << argTypes.size() << " arguments of the operand element types";
  for (Block &each : getScalarOp())
    if (auto ret = dyn_cast<MapElementwiseReturnOp>(each.getTerminator()))
      if (!llvm::equal(ret.getResult().getTypes(), yieldTypes))
        return emitOpError("scalar region must yield ")
               << yieldTypes.size() << " values of the result element types";
  return success();
}

//===----------------------------------------------------------------------===//
// External code and debugging
//===----------------------------------------------------------------------===//

void ExternElementwiseOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (getPure())
    return;
  effects.emplace_back(MemoryEffects::Read::get(), GlobalMemory::get());
  effects.emplace_back(MemoryEffects::Write::get(), GlobalMemory::get());
}

void ElementwiseInlineAsmOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (getPure())
    return;
  effects.emplace_back(MemoryEffects::Read::get(), GlobalMemory::get());
  effects.emplace_back(MemoryEffects::Write::get(), GlobalMemory::get());
}

LogicalResult ElementwiseInlineAsmOp::verify() {
  int64_t packed = static_cast<int32_t>(getPackedElement());
  if (packed < 1)
    return emitOpError("packed_element must be at least 1");
  auto divides = [&](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return !tensor || tensor.getNumElements() % packed == 0;
  };
  if (!llvm::all_of(getArgs().getTypes(), divides) ||
      !llvm::all_of(getResultTypes(), divides))
    return emitOpError("packed_element (")
           << packed << ") must divide the number of elements of every tensor";
  return success();
}

LogicalResult PrintOp::verify() {
  if (getIsSigned().size() != getArgs().size())
    return emitOpError("isSigned has ")
           << getIsSigned().size() << " entries for " << getArgs().size()
           << " printed values";
  return success();
}
