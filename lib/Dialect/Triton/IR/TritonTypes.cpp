//===- TritonTypes.cpp - pointer and tensor-descriptor types -------------===//

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace flagtree::tt;

#define GET_TYPEDEF_CLASSES
#include "flagtree/Dialect/Triton/IR/TritonTypes.cpp.inc"

/// Pointers live in the global address space unless they say otherwise.
static constexpr int kGlobalAddressSpace = 1;

void TritonDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "flagtree/Dialect/Triton/IR/TritonTypes.cpp.inc"
      >();
}

Type PointerType::parse(AsmParser &parser) {
  Type pointee;
  int addressSpace = kGlobalAddressSpace;
  if (parser.parseLess() || parser.parseType(pointee))
    return {};
  if (succeeded(parser.parseOptionalComma()) &&
      parser.parseInteger(addressSpace))
    return {};
  if (parser.parseGreater())
    return {};
  return PointerType::get(pointee, addressSpace);
}

void PointerType::print(AsmPrinter &printer) const {
  printer << "<" << getPointeeType();
  if (getAddressSpace() != kGlobalAddressSpace)
    printer << ", " << getAddressSpace();
  printer << ">";
}

namespace flagtree::tt {

Type getPointeeType(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    if (auto ptr = dyn_cast<PointerType>(tensor.getElementType()))
      return RankedTensorType::get(tensor.getShape(), ptr.getPointeeType(),
                                   tensor.getEncoding());
    return type;
  }
  if (auto ptr = dyn_cast<PointerType>(type))
    return ptr.getPointeeType();
  return type;
}

Type getI1SameShape(Type type) {
  auto i1 = IntegerType::get(type.getContext(), 1);
  if (auto ptr = dyn_cast<PointerType>(type))
    if (auto block = dyn_cast<RankedTensorType>(ptr.getPointeeType()))
      return RankedTensorType::get(block.getShape(), i1, block.getEncoding());
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return RankedTensorType::get(tensor.getShape(), i1, tensor.getEncoding());
  return i1;
}

Type getBlockBasePointerType(Type type) {
  auto ptr = dyn_cast<PointerType>(type);
  if (!ptr)
    return type;
  auto block = dyn_cast<RankedTensorType>(ptr.getPointeeType());
  if (!block)
    return type;
  return PointerType::get(block.getElementType(), ptr.getAddressSpace());
}

} // namespace flagtree::tt
