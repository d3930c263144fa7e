//===- LowerHintsToTTIR.cpp - hints into what Triton's passes honour -----===//

#include "flagtree/Dialect/FlagTree/Transforms/Passes.h"

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"

#include <algorithm>
#include <string>

namespace flagtree {
#define GEN_PASS_DEF_FLAGTREELOWERHINTSTOTTIR
#include "flagtree/Dialect/FlagTree/Transforms/Passes.h.inc"
} // namespace flagtree

using namespace mlir;
namespace tt = flagtree::tt;

namespace {

/// The stages Triton pipelines a loop over when nothing says otherwise
/// (the NVIDIA back end's default `num_stages`).
constexpr int64_t kDefaultStages = 3;

/// The stage count a loop is hinted or annotated with, or 0.
int64_t loopStages(scf::ForOp loop) {
  for (StringRef name : {"tt.num_stages", "ft.num_stages"})
    if (auto stages = loop->getAttrOfType<IntegerAttr>(name))
      return stages.getInt();
  return 0;
}

/// `shared_memory` on a load: inside a loop, the load alone is given the
/// latency Triton's pipeliner reads (`tt.latency`), so that the pipeliner
/// stages it through multi-buffered shared memory filled by asynchronous
/// copies, `stages - 1` iterations ahead. Returns why it cannot, or "".
std::string stageThroughSharedMemory(tt::LoadOp load) {
  auto loop = load->getParentOfType<scf::ForOp>();
  if (!loop)
    return "outside a loop there is nothing to overlap the copy with";
  if (loop->walk([](tt::DotOp) { return WalkResult::interrupt(); })
          .wasInterrupted())
    return "in a loop with tl.dot, Triton already stages the loads of the "
           "loop through shared memory (num_stages sets how deep)";
  int64_t stages = loopStages(loop);
  if (stages == 0)
    stages = kDefaultStages;
  if (stages < 2)
    return "the loop is hinted num_stages=1, which turns pipelining off";
  Builder b(load->getContext());
  load->setAttr("tt.latency", b.getI32IntegerAttr(stages - 1));
  return "";
}

/// Applies one hint to `op`; returns false where the hint means nothing to
/// this op in TTIR (reported as ignored, with `why` when it says more).
bool applyHint(Operation *op, StringRef name, Attribute value,
               std::string &why) {
  MLIRContext *context = op->getContext();
  Builder b(context);
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
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
    if (name == "unroll") {
      // Triton's own unrolling has run by now; the loop is unrolled here.
      auto factor = dyn_cast<IntegerAttr>(value);
      if (!factor || factor.getInt() < 1)
        return false;
      if (factor.getInt() > 1 &&
          failed(loopUnrollByFactor(loop, factor.getInt()))) {
        why = "the loop cannot be unrolled";
        return false;
      }
      return true;
    }
    return false;
  }
  if (name == "shared_memory") {
    auto load = dyn_cast<tt::LoadOp>(op);
    if (!load)
      return false;
    why = stageThroughSharedMemory(load);
    return why.empty();
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
  // An access takes a cache modifier or an eviction policy, not both
  // (ptxas rejects ld.global.cg.L1::evict_first): a hint never adds one to
  // an access the kernel already gave the other.
  auto applyToAccess = [&](auto access) {
    if (name == "evict_first" || name == "evict_last") {
      if (access.getCache() != tt::CacheModifier::NONE) {
        why = "the access already has a cache modifier, and an access takes "
              "a cache modifier or an eviction policy, not both";
        return false;
      }
      setEviction(access);
      return true;
    }
    if (name == "cache") {
      if (access.getEvict() != tt::EvictionPolicy::NORMAL) {
        why = "the access already has an eviction policy, and an access "
              "takes a cache modifier or an eviction policy, not both";
        return false;
      }
      return setCache(access);
    }
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
    // Loads first, while their loops still carry `ft.num_stages`; loops
    // are unrolled last, once the hints inside them have been applied.
    SmallVector<Operation *> hinted;
    getOperation().walk([&](Operation *op) {
      if (llvm::any_of(op->getDiscardableAttrs(), [](NamedAttribute attr) {
            return attr.getName().getValue().starts_with("ft.");
          }))
        hinted.push_back(op);
    });
    std::stable_partition(hinted.begin(), hinted.end(),
                          [](Operation *op) { return !isa<scf::ForOp>(op); });
    for (Operation *op : hinted) {
      SmallVector<NamedAttribute> hints;
      for (NamedAttribute attr : op->getDiscardableAttrs())
        if (attr.getName().getValue().starts_with("ft."))
          hints.push_back(attr);
      // A loop's unroll comes after its other hints: unrolling may replace
      // the loop.
      std::stable_partition(hints.begin(), hints.end(), [](NamedAttribute a) {
        return a.getName().getValue() != "ft.unroll";
      });
      for (NamedAttribute hint : hints)
        op->removeDiscardableAttr(hint.getName());
      for (NamedAttribute hint : hints) {
        StringRef name = hint.getName().getValue().drop_front(3);
        std::string why;
        bool honoured = llvm::is_contained(honour, name.str());
        if (honoured && keep)
          op->setAttr(hint.getName(), hint.getValue());
        else if (honoured)
          honoured = applyHint(op, name, hint.getValue(), why);
        if (!honoured) {
          InFlightDiagnostic remark = op->emitRemark() << "hint '" << name
                                                       << "' is ignored by the "
                                                       << lane << " lane";
          if (!why.empty())
            remark << ": " << why;
        }
      }
    }
  }
};

} // namespace
