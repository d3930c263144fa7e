//===- TritonDialect.cpp - registration of the `tt` dialect --------------===//

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace flagtree::tt;

#include "flagtree/Dialect/Triton/IR/TritonDialect.cpp.inc"
#include "flagtree/Dialect/Triton/IR/TritonEnums.cpp.inc"

namespace {
/// Device functions are inlined into kernels by the front end already; this
/// only lets generic passes inline what remains (`noinline` is respected).
struct TritonInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;

  bool isLegalToInline(Operation *call, Operation *callable,
                       bool wouldBeCloned) const final {
    auto func = dyn_cast<FuncOp>(callable);
    if (!func)
      return true;
    auto noinline = func->getAttrOfType<BoolAttr>("noinline");
    return !(noinline && noinline.getValue());
  }
  bool isLegalToInline(Region *, Region *, bool, IRMapping &) const final {
    return true;
  }
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
  void handleTerminator(Operation *op, ValueRange valuesToRepl) const final {
    auto ret = dyn_cast<ReturnOp>(op);
    if (!ret)
      return;
    for (auto [value, replacement] : llvm::zip(valuesToRepl, ret.getSrcs()))
      value.replaceAllUsesWith(replacement);
  }
};
} // namespace

void TritonDialect::initialize() {
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "flagtree/Dialect/Triton/IR/TritonOps.cpp.inc"
      >();
  addInterfaces<TritonInlinerInterface>();
}
