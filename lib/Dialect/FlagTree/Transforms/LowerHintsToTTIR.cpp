//===- LowerHintsToTTIR.cpp - hints into what Triton's passes honour -----===//

#include "flagtree/Dialect/FlagTree/Transforms/Passes.h"

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"

namespace flagtree {
#define GEN_PASS_DEF_FLAGTREELOWERHINTSTOTTIR
#include "flagtree/Dialect/FlagTree/Transforms/Passes.h.inc"
} // namespace flagtree

using namespace mlir;
namespace tt = flagtree::tt;

namespace {

/// Applies one hint to `op`; returns false where the hint means nothing to
/// this op in TTIR (reported as ignored).
bool applyHint(Operation *op, StringRef name, Attribute value) {
  MLIRContext *context = op->getContext();
  Builder b(context);
  if (isa<scf::ForOp>(op)) {
    if (name == "num_stages") {
      auto stages = dyn_cast<IntegerAttr>(value);
      if (!stages)
        return false;
      op->setAttr("tt.num_stages", b.getI32IntegerAttr(stages.getInt()));
      return true;
    }
    if (name == "flatten" || name == "warp_specialize") {
      op->setAttr("tt." + name.str(), UnitAttr::get(context));
      return true;
    }
    return false;
  }
  auto setEviction = [&](auto access) {
    access.setEvict(name == "evict_first" ? tt::EvictionPolicy::EVICT_FIRST
                                          : tt::EvictionPolicy::EVICT_LAST);
  };
  auto setCache = [&](auto access) {
    auto text = dyn_cast<StringAttr>(value);
    auto modifier =
        text ? tt::symbolizeCacheModifier(text.getValue()) : std::nullopt;
    if (!modifier)
      return false;
    access.setCache(*modifier);
    return true;
  };
  auto applyToAccess = [&](auto access) {
    if (name == "evict_first" || name == "evict_last") {
      setEviction(access);
      return true;
    }
    if (name == "cache")
      return setCache(access);
    return false;
  };
  if (auto load = dyn_cast<tt::LoadOp>(op))
    return applyToAccess(load);
  if (auto store = dyn_cast<tt::StoreOp>(op))
    return applyToAccess(store);
  if (auto load = dyn_cast<tt::DescriptorLoadOp>(op))
    return applyToAccess(load);
  return false;
}

struct LowerHintsToTTIR
    : public flagtree::impl::FlagTreeLowerHintsToTTIRBase<LowerHintsToTTIR> {
  using FlagTreeLowerHintsToTTIRBase::FlagTreeLowerHintsToTTIRBase;

  void runOnOperation() override {
    getOperation().walk([&](Operation *op) {
      SmallVector<NamedAttribute> hints;
      for (NamedAttribute attr : op->getDiscardableAttrs())
        if (attr.getName().getValue().starts_with("ft."))
          hints.push_back(attr);
      for (NamedAttribute hint : hints) {
        StringRef name = hint.getName().getValue().drop_front(3);
        op->removeDiscardableAttr(hint.getName());
        bool honoured = llvm::is_contained(honour, name.str()) &&
                        applyHint(op, name, hint.getValue());
        if (!honoured)
          op->emitRemark() << "hint '" << name << "' is ignored by the " << lane
                           << " lane";
      }
    });
  }
};

} // namespace
