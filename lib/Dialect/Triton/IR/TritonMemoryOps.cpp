//===- TritonMemoryOps.cpp - loads, stores, atomics, block pointers -----===//
//
// Custom syntax and verifiers of the `tt` ops that touch global memory:
// loads and stores, atomics, block pointers and tensor descriptors.
//
//===----------------------------------------------------------------------===//

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "OpHelpers.h"

#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace flagtree::tt;
using namespace flagtree::tt::detail;

//===----------------------------------------------------------------------===//
// Loads and stores
//===----------------------------------------------------------------------===//

/// Prints the cache-modifier and eviction-policy clauses when they are not
/// the defaults, in the order Triton prints them.
static void printCacheClauses(OpAsmPrinter &printer, CacheModifier cache,
                              EvictionPolicy evict) {
  if (cache != CacheModifier::NONE)
    printer << " cacheModifier = " << stringifyCacheModifier(cache);
  if (evict != EvictionPolicy::NORMAL)
    printer << " evictionPolicy = " << stringifyEvictionPolicy(evict);
}

/// Parses `= keyword` naming a case of an enum; `what` names the enum in the
/// diagnostic.
template <typename EnumAttr, typename Symbolize>
static ParseResult parseEnumClause(OpAsmParser &parser, OperationState &result,
                                   StringRef name, StringRef what,
                                   Symbolize symbolize) {
  StringRef keyword;
  if (parser.parseEqual())
    return failure();
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeyword(&keyword))
    return failure();
  auto value = symbolize(keyword);
  if (!value)
    return parser.emitError(loc, "unknown ") << what << " '" << keyword << "'";
  result.addAttribute(name, EnumAttr::get(parser.getContext(), *value));
  return success();
}

/// Parses `cacheModifier = X` / `evictionPolicy = Y` clauses in any order.
static ParseResult parseCacheClauses(OpAsmParser &parser,
                                     OperationState &result,
                                     StringRef cacheName, StringRef evictName) {
  while (true) {
    if (succeeded(parser.parseOptionalKeyword("cacheModifier"))) {
      if (parseEnumClause<CacheModifierAttr>(
              parser, result, cacheName, "cache modifier",
              [](StringRef k) { return symbolizeCacheModifier(k); }))
        return failure();
    } else if (succeeded(parser.parseOptionalKeyword("evictionPolicy"))) {
      if (parseEnumClause<EvictionPolicyAttr>(
              parser, result, evictName, "eviction policy",
              [](StringRef k) { return symbolizeEvictionPolicy(k); }))
        return failure();
    } else {
      return success();
    }
  }
}

static void collectDefaultElisions(Operation *op,
                                   SmallVectorImpl<StringRef> &elided) {
  for (NamedAttribute attr : op->getAttrs()) {
    if (auto array = dyn_cast<DenseI32ArrayAttr>(attr.getValue()))
      if (attr.getName() == "boundaryCheck" && array.empty())
        elided.push_back(attr.getName());
    if (auto flag = dyn_cast<BoolAttr>(attr.getValue()))
      if (attr.getName() == "isVolatile" && !flag.getValue())
        elided.push_back(attr.getName());
  }
}

/// Parses what loads and stores share: `operands cache-clauses attr-dict :
/// pointer-type`.
static ParseResult
parseAccess(OpAsmParser &parser, OperationState &result, StringRef cacheName,
            StringRef evictName,
            SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands,
            SMLoc &operandsLoc, Type &ptrType) {
  operandsLoc = parser.getCurrentLocation();
  return failure(parser.parseOperandList(operands) ||
                 parseCacheClauses(parser, result, cacheName, evictName) ||
                 parser.parseOptionalAttrDict(result.attributes) ||
                 parser.parseColon() || parser.parseType(ptrType));
}

ParseResult LoadOp::parse(OpAsmParser &parser, OperationState &result) {
  SmallVector<OpAsmParser::UnresolvedOperand, 3> operands;
  Type ptrType;
  SMLoc operandsLoc;
  if (parseAccess(parser, result, getCacheAttrName(result.name),
                  getEvictAttrName(result.name), operands, operandsLoc,
                  ptrType))
    return failure();
  if (operands.empty() || operands.size() > 3)
    return parser.emitError(operandsLoc,
                            "expected a pointer, an optional mask and an "
                            "optional other value");
  SmallVector<Type, 3> types = {ptrType, getI1SameShape(ptrType),
                                getPointeeType(ptrType)};
  types.resize(operands.size());
  if (parser.resolveOperands(operands, types, operandsLoc, result.operands))
    return failure();
  result.addTypes(getPointeeType(ptrType));
  int32_t hasMask = operands.size() > 1, hasOther = operands.size() > 2;
  result.addAttribute(
      getOperandSegmentSizesAttrName(result.name),
      parser.getBuilder().getDenseI32ArrayAttr({1, hasMask, hasOther}));
  return success();
}

void LoadOp::print(OpAsmPrinter &printer) {
  printer << " " << getPtr();
  if (getMask())
    printer << ", " << getMask();
  if (getOther())
    printer << ", " << getOther();
  printCacheClauses(printer, getCache(), getEvict());
  SmallVector<StringRef, 6> elided = {getOperandSegmentSizesAttrName(),
                                      getCacheAttrName(), getEvictAttrName()};
  collectDefaultElisions(*this, elided);
  printer.printOptionalAttrDict((*this)->getAttrs(), elided);
  printer << " : " << getPtr().getType();
}

/// Checks the boundary-check dimensions of a block-pointer access.
static LogicalResult verifyBoundaryCheck(Operation *op, Type ptrType,
                                         ArrayRef<int32_t> boundaryCheck) {
  if (boundaryCheck.empty())
    return success();
  if (!isBlockPointer(ptrType))
    return op->emitOpError("boundaryCheck needs a block pointer, not ")
           << ptrType;
  int64_t rank = shapeOf(ptrType).size();
  for (int32_t dim : boundaryCheck)
    if (dim < 0 || dim >= rank)
      return op->emitOpError("boundaryCheck dimension ")
             << dim << " is out of range for a block of rank " << rank;
  return success();
}

LogicalResult LoadOp::verify() {
  Type ptrType = getPtr().getType();
  if (getMask() && getMask().getType() != getI1SameShape(ptrType))
    return emitOpError("mask type ")
           << getMask().getType() << " does not match pointer type " << ptrType;
  if (getOther() && !getMask())
    return emitOpError("'other' needs a mask");
  if (getOther() && getOther().getType() != getType())
    return emitOpError("other value type ")
           << getOther().getType() << " does not match the loaded type "
           << getType();
  if (isBlockPointer(ptrType) && getMask())
    return emitOpError("block-pointer loads take boundaryCheck, not a mask");
  if (getPadding() && !isBlockPointer(ptrType))
    return emitOpError("padding needs a block pointer");
  return verifyBoundaryCheck(*this, ptrType, getBoundaryCheck());
}

void LoadOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  effects.emplace_back(MemoryEffects::Read::get(), &getPtrMutable(),
                       GlobalMemory::get());
  if (getIsVolatile())
    effects.emplace_back(MemoryEffects::Write::get(), GlobalMemory::get());
}

ParseResult StoreOp::parse(OpAsmParser &parser, OperationState &result) {
  SmallVector<OpAsmParser::UnresolvedOperand, 3> operands;
  Type ptrType;
  SMLoc operandsLoc;
  if (parseAccess(parser, result, getCacheAttrName(result.name),
                  getEvictAttrName(result.name), operands, operandsLoc,
                  ptrType))
    return failure();
  if (operands.size() < 2 || operands.size() > 3)
    return parser.emitError(operandsLoc,
                            "expected a pointer, a value and an optional mask");
  SmallVector<Type, 3> types = {ptrType, getPointeeType(ptrType),
                                getI1SameShape(ptrType)};
  types.resize(operands.size());
  return parser.resolveOperands(operands, types, operandsLoc, result.operands);
}

void StoreOp::print(OpAsmPrinter &printer) {
  printer << " " << getPtr() << ", " << getValue();
  if (getMask())
    printer << ", " << getMask();
  printCacheClauses(printer, getCache(), getEvict());
  SmallVector<StringRef, 4> elided = {getCacheAttrName(), getEvictAttrName()};
  collectDefaultElisions(*this, elided);
  printer.printOptionalAttrDict((*this)->getAttrs(), elided);
  printer << " : " << getPtr().getType();
}

LogicalResult StoreOp::verify() {
  Type ptrType = getPtr().getType();
  if (getValue().getType() != getPointeeType(ptrType))
    return emitOpError("stored value type ")
           << getValue().getType() << " does not match pointer type "
           << ptrType;
  if (getMask() && getMask().getType() != getI1SameShape(ptrType))
    return emitOpError("mask type ")
           << getMask().getType() << " does not match pointer type " << ptrType;
  if (isBlockPointer(ptrType) && getMask())
    return emitOpError("block-pointer stores take boundaryCheck, not a mask");
  return verifyBoundaryCheck(*this, ptrType, getBoundaryCheck());
}

void StoreOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  effects.emplace_back(MemoryEffects::Write::get(), &getPtrMutable(),
                       GlobalMemory::get());
}

LogicalResult AtomicRMWOp::verify() {
  if (getMask() && getMask().getType() != getI1SameShape(getPtr().getType()))
    return emitOpError("mask type ")
           << getMask().getType() << " does not match pointer type "
           << getPtr().getType();
  Type element = getElementTypeOrSelf(getVal().getType());
  switch (getAtomicRmwOp()) {
  case RMWOp::AND:
  case RMWOp::OR:
  case RMWOp::XOR:
  case RMWOp::ADD:
  case RMWOp::UMAX:
  case RMWOp::UMIN:
    if (!element.isInteger())
      return emitOpError("'") << stringifyRMWOp(getAtomicRmwOp())
                              << "' needs integer values, not " << element;
    break;
  case RMWOp::FADD:
    if (!isa<FloatType>(element))
      return emitOpError("'fadd' needs floating-point values, not ") << element;
    break;
  default:
    break;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Block pointers and tensor descriptors
//===----------------------------------------------------------------------===//

LogicalResult MakeTensorPtrOp::verify() {
  int64_t rank = shapeOf(getType()).size();
  if (static_cast<int64_t>(getShape().size()) != rank ||
      static_cast<int64_t>(getStrides().size()) != rank ||
      static_cast<int64_t>(getOffsets().size()) != rank)
    return emitOpError("needs one shape, stride and offset per dimension of "
                       "the block (rank ")
           << rank << ")";
  return verifyPermutation(*this, getOrder(), rank);
}

LogicalResult AdvanceOp::verify() {
  int64_t rank = shapeOf(getType()).size();
  if (static_cast<int64_t>(getOffsets().size()) != rank)
    return emitOpError("has ")
           << getOffsets().size() << " offsets for a block of rank " << rank;
  return success();
}

LogicalResult MakeTensorDescOp::verify() {
  RankedTensorType block = getType().getBlockType();
  int64_t rank = block.getRank();
  if (static_cast<int64_t>(getShape().size()) != rank ||
      static_cast<int64_t>(getStrides().size()) != rank)
    return emitOpError("needs one shape and one stride per dimension of the "
                       "block (rank ")
           << rank << ")";
  Type pointee = getBase().getType().getPointeeType();
  if (!sameIgnoringSign(pointee, block.getElementType()))
    return emitOpError("base points to ")
           << pointee << " but the block holds " << block.getElementType();
  return success();
}

/// A descriptor access moves a block with the element type of the
/// descriptor and as many elements (leading unit dimensions may be dropped).
static LogicalResult verifyDescriptorAccess(Operation *op,
                                            TensorDescType descType,
                                            RankedTensorType value,
                                            size_t numIndices) {
  RankedTensorType block = descType.getBlockType();
  if (static_cast<int64_t>(numIndices) != block.getRank())
    return op->emitOpError("has ")
           << numIndices << " indices for a block of rank " << block.getRank();
  if (!sameIgnoringSign(value.getElementType(), block.getElementType()))
    return op->emitOpError("value element type ")
           << value.getElementType() << " does not match the descriptor's "
           << block.getElementType();
  // The value may drop leading unit dimensions of the block, nothing else.
  ArrayRef<int64_t> blockShape = block.getShape();
  ArrayRef<int64_t> valueShape = value.getShape();
  size_t dropped =
      blockShape.size() - std::min(blockShape.size(), valueShape.size());
  if (valueShape.size() > blockShape.size() ||
      blockShape.drop_front(dropped) != valueShape ||
      llvm::any_of(blockShape.take_front(dropped),
                   [](int64_t dim) { return dim != 1; }))
    return op->emitOpError("value shape ")
           << shapeString(valueShape) << " must be the descriptor block "
           << shapeString(blockShape) << " less some leading unit dimensions";
  return success();
}

LogicalResult DescriptorLoadOp::verify() {
  return verifyDescriptorAccess(*this, getDesc().getType(), getType(),
                                getIndices().size());
}

LogicalResult DescriptorStoreOp::verify() {
  return verifyDescriptorAccess(*this, getDesc().getType(), getSrc().getType(),
                                getIndices().size());
}

LogicalResult DescriptorReduceOp::verify() {
  return verifyDescriptorAccess(*this, getDesc().getType(), getSrc().getType(),
                                getIndices().size());
}

/// A row gather/scatter moves one descriptor row (of the block's width) per
/// row offset.
static LogicalResult verifyDescriptorRows(Operation *op, TensorDescType desc,
                                          Value xOffsets,
                                          RankedTensorType value) {
  RankedTensorType block = desc.getBlockType();
  auto offsets = cast<RankedTensorType>(xOffsets.getType());
  SmallVector<int64_t> expected = {offsets.getNumElements(),
                                   block.getShape().back()};
  if (value.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError("value shape ")
           << shapeString(value.getShape()) << " should be "
           << shapeString(expected) << " (one descriptor row per row offset)";
  if (!sameIgnoringSign(value.getElementType(), block.getElementType()))
    return op->emitOpError("value element type ")
           << value.getElementType() << " does not match the descriptor's "
           << block.getElementType();
  return success();
}

LogicalResult DescriptorGatherOp::verify() {
  return verifyDescriptorRows(*this, getDesc().getType(), getXOffsets(),
                              cast<RankedTensorType>(getType()));
}

LogicalResult DescriptorScatterOp::verify() {
  return verifyDescriptorRows(*this, getDesc().getType(), getXOffsets(),
                              cast<RankedTensorType>(getSrc().getType()));
}
