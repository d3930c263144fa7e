//===- FlagTreeDialect.cpp - the `ft` dialect and its hint attributes ----===//

#include "flagtree/Dialect/FlagTree/IR/FlagTreeDialect.h"

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace flagtree::ft;

#include "flagtree/Dialect/FlagTree/IR/FlagTreeDialect.cpp.inc"

void FlagTreeDialect::initialize() {}

LogicalResult FlagTreeDialect::verifyOperationAttribute(Operation *op,
                                                        NamedAttribute attr) {
  // A hint's value is absent (unit), an integer, or an identifier/string.
  if (isa<UnitAttr, IntegerAttr, StringAttr>(attr.getValue()))
    return success();
  return op->emitOpError("hint attribute '")
         << attr.getName().getValue()
         << "' must be a unit, an integer or a string, not " << attr.getValue();
}

StringRef flagtree::ft::opKindOf(Operation *op) {
  namespace tt = flagtree::tt;
  return llvm::TypeSwitch<Operation *, StringRef>(op)
      .Case<tt::LoadOp, tt::DescriptorLoadOp, tt::DescriptorGatherOp>(
          [](auto) { return "load"; })
      .Case<tt::StoreOp, tt::DescriptorStoreOp, tt::DescriptorScatterOp>(
          [](auto) { return "store"; })
      .Case<tt::DotOp, tt::DotScaledOp>([](auto) { return "dot"; })
      .Case<scf::ForOp, scf::WhileOp>([](auto) { return "loop"; })
      .Case<tt::AtomicRMWOp, tt::AtomicCASOp, tt::DescriptorReduceOp>(
          [](auto) { return "atomic"; })
      .Default([](Operation *) { return StringRef(); });
}
