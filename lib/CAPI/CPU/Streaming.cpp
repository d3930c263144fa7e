//===- Streaming.cpp - Streaming stores for large launches ----------------===//

#include "Streaming.h"
#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace mlir;

namespace {

/// The last-level cache of this machine in bytes, or 0 when the system
/// does not say. The kernel's view (sysfs) first: under a hypervisor the
/// C library's CPUID-based figure can be the whole host's.
uint64_t lastLevelCacheBytes() {
  uint64_t best = 0;
  unsigned bestLevel = 0;
  for (unsigned index = 0;; ++index) {
    std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index);
    std::ifstream level(dir + "/level"), type(dir + "/type"),
        size(dir + "/size");
    if (!level || !size)
      break;
    unsigned levelValue = 0;
    std::string typeText, sizeText;
    level >> levelValue;
    type >> typeText;
    size >> sizeText;
    if (typeText == "Instruction" || levelValue < bestLevel)
      continue;
    char *end = nullptr;
    unsigned long long bytes = std::strtoull(sizeText.c_str(), &end, 10);
    if (end && (*end == 'K' || *end == 'k'))
      bytes <<= 10;
    else if (end && *end == 'M')
      bytes <<= 20;
    if (bytes > 0) {
      best = bytes;
      bestLevel = levelValue;
    }
  }
  if (best)
    return best;
  for (int level : {_SC_LEVEL3_CACHE_SIZE, _SC_LEVEL2_CACHE_SIZE}) {
    long bytes = sysconf(level);
    if (bytes > 0)
      return static_cast<uint64_t>(bytes);
  }
  return 0;
}

} // namespace

llvm::Expected<std::optional<uint64_t>> flagtree::cpu::streamingThreshold() {
  const char *value = std::getenv("FLAGTREE_CPU_STREAM_STORES");
  llvm::StringRef setting = value ? llvm::StringRef(value).trim() : "";
  if (setting == "never")
    return std::optional<uint64_t>();
  if (setting == "always")
    return std::optional<uint64_t>(0);
  if (!setting.empty() && setting != "auto")
    return llvm::createStringError(
        "FLAGTREE_CPU_STREAM_STORES=" + setting.str() +
        " is not a setting; use auto (the default), always or never");
  // A quarter of the last-level cache: where, on the development machine,
  // a kernel streaming its output followed by one reading it back stops
  // being slower than with ordinary stores (docs/performance.md). 8 MiB
  // when the system does not report its caches. Read once per process.
  static const uint64_t cache = lastLevelCacheBytes();
  return std::optional<uint64_t>(cache ? cache / 4 : uint64_t(8) << 20);
}

uint64_t flagtree::cpu::storedBytesPerProgram(ModuleOp ttirModule) {
  auto kernels = ttirModule.getOps<tt::FuncOp>();
  if (kernels.empty())
    return 0;
  tt::FuncOp kernel = *kernels.begin();
  uint64_t total = 0;
  bool ordered = false;
  auto tensorBytes = [](Type type) -> uint64_t {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() ||
        !tensor.getElementType().isIntOrFloat())
      return 0;
    return tensor.getNumElements() *
           ((tensor.getElementType().getIntOrFloatBitWidth() + 7) / 8);
  };
  kernel.walk([&](Operation *op) {
    if (isa<tt::AtomicRMWOp, tt::AtomicCASOp, tt::DescriptorReduceOp,
            tt::ElementwiseInlineAsmOp>(op)) {
      ordered = true;
      return;
    }
    uint64_t bytes = 0;
    if (auto store = dyn_cast<tt::StoreOp>(op))
      bytes = tensorBytes(store.getValue().getType());
    else if (auto store = dyn_cast<tt::DescriptorStoreOp>(op))
      bytes = tensorBytes(store.getSrc().getType());
    if (!bytes)
      return;
    for (auto loop = op->getParentOfType<scf::ForOp>(); loop;
         loop = loop->getParentOfType<scf::ForOp>()) {
      std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound());
      std::optional<int64_t> upper = getConstantIntValue(loop.getUpperBound());
      std::optional<int64_t> step = getConstantIntValue(loop.getStep());
      if (lower && upper && step && *step > 0 && *upper > *lower)
        bytes *= static_cast<uint64_t>((*upper - *lower + *step - 1) / *step);
    }
    total += bytes;
  });
  return ordered ? 0 : total;
}

void flagtree::cpu::addStreamingCopy(ModuleOp module, llvm::StringRef name,
                                     llvm::ArrayRef<bool> pointerSlots) {
  auto kernel = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
  if (!kernel || kernel.isExternal())
    return;
  auto copy = cast<LLVM::LLVMFuncOp>(kernel->clone());
  copy.setSymName((name + kStreamSuffix).str());
  // Inlined into its packed wrapper, the copy would lose the alignment of
  // its arguments (LLVM drops parameter attributes when inlining) and with
  // it every store that could stream. One call per program.
  copy.setNoInline(true);
  module.insert(std::next(Block::iterator(kernel)), copy);

  OpBuilder builder(copy.getBody());
  Location loc = copy.getLoc();
  auto alignment = builder.getI64IntegerAttr(kStreamAlignment);
  unsigned argument = 0;
  for (bool pointer : pointerSlots) {
    if (pointer) {
      // The allocated and the aligned pointer of the memref descriptor.
      copy.setArgAttr(argument, LLVM::LLVMDialect::getAlignAttrName(),
                      alignment);
      copy.setArgAttr(argument + 1, LLVM::LLVMDialect::getAlignAttrName(),
                      alignment);
      argument += 5;
      continue;
    }
    BlockArgument value = copy.getArgument(argument++);
    auto divisibility = copy.getArgAttrOfType<IntegerAttr>(value.getArgNumber(),
                                                           "tt.divisibility");
    auto type = dyn_cast<IntegerType>(value.getType());
    if (!divisibility || !type)
      continue;
    uint64_t divisor = divisibility.getValue().getZExtValue();
    if (divisor < 2 || !llvm::isPowerOf2_64(divisor))
      continue;
    // Triton passes a value here only when it is a multiple of `divisor`
    // (the specialization is part of the kernel's cache key).
    Value lowBits = LLVM::ConstantOp::create(
        builder, loc, type, builder.getIntegerAttr(type, divisor - 1));
    Value zero = LLVM::ConstantOp::create(builder, loc, type,
                                          builder.getIntegerAttr(type, 0));
    Value remainder = LLVM::AndOp::create(builder, loc, value, lowBits);
    Value multiple = LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::eq,
                                          remainder, zero);
    LLVM::AssumeOp::create(builder, loc, multiple);
  }
}

unsigned flagtree::cpu::markStreamingStores(llvm::Module &module) {
  unsigned marked = 0;
  const llvm::DataLayout &layout = module.getDataLayout();
  for (llvm::Function &function : module) {
    if (function.isDeclaration() ||
        !function.getName().ends_with(kStreamSuffix))
      continue;
    for (llvm::Instruction &instruction : llvm::instructions(function)) {
      auto *store = llvm::dyn_cast<llvm::StoreInst>(&instruction);
      if (!store || store->isVolatile() || !store->isSimple() ||
          !store->getValueOperand()->getType()->isVectorTy())
        continue;
      uint64_t bytes =
          layout.getTypeStoreSize(store->getValueOperand()->getType());
      if (bytes < 16 || store->getAlign().value() <
                            std::min<uint64_t>(bytes, kStreamAlignment))
        continue;
      // Only the kernel's own memory: never its stack (tiles, packed
      // copies), which the next instructions read back.
      if (!llvm::isa<llvm::Argument>(
              llvm::getUnderlyingObject(store->getPointerOperand(), 0)))
        continue;
      llvm::LLVMContext &context = module.getContext();
      store->setMetadata(
          llvm::LLVMContext::MD_nontemporal,
          llvm::MDNode::get(
              context, llvm::ConstantAsMetadata::get(llvm::ConstantInt::get(
                           llvm::Type::getInt32Ty(context), 1))));
      ++marked;
    }
  }
  return marked;
}

bool flagtree::cpu::launchStreams(uint64_t programs, uint64_t bytesPerProgram,
                                  std::optional<uint64_t> threshold) {
  if (!threshold || bytesPerProgram == 0)
    return false;
  // Saturates instead of wrapping for absurd grids.
  uint64_t bytes =
      bytesPerProgram > UINT64_MAX / std::max<uint64_t>(programs, 1)
          ? UINT64_MAX
          : programs * bytesPerProgram;
  return bytes >= *threshold;
}
