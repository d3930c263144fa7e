//===- TargetDescription.cpp - what a FLIR target offers -----------------===//

#include "flagtree/Target/TargetDescription.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/TargetParser/Host.h"

#include <thread>

using namespace flagtree;

TargetDescription TargetDescription::hostCPU() {
  TargetDescription target;
  target.name = "host";
  target.memorySpaces.push_back({"global", 0, 0});
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto has = [&](llvm::StringRef feature) {
    auto it = features.find(feature);
    return it != features.end() && it->second;
  };
  if (has("avx512f"))
    target.vectorWidthBits = 512;
  else if (has("avx") || has("avx2") || has("sve"))
    target.vectorWidthBits = 256;
  else
    target.vectorWidthBits = 128;
  unsigned cores = std::thread::hardware_concurrency();
  target.numCores = cores ? cores : 1;
  target.hasDMA = false;
  target.localMemoryBytes = 0;
  return target;
}

std::optional<TargetDescription> TargetDescription::parse(llvm::StringRef spec,
                                                          std::string &error) {
  spec = spec.trim();
  if (spec.empty() || spec == "host")
    return hostCPU();
  // MLIR's pass-option parser strips the outer braces of a value, so
  // `target={"cores": 4}` arrives as `"cores": 4`: accept both forms.
  std::string text =
      spec.starts_with("{") ? spec.str() : "{" + spec.str() + "}";
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    error = "invalid target description: " + llvm::toString(parsed.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *object = parsed->getAsObject();
  if (!object) {
    error = "invalid target description: expected `host` or a JSON object";
    return std::nullopt;
  }
  TargetDescription target;
  target.name = "custom";
  if (std::optional<llvm::StringRef> name = object->getString("name"))
    target.name = name->str();
  auto getInt = [&](llvm::StringRef key, auto &field) -> bool {
    if (!object->get(key))
      return true;
    std::optional<int64_t> value = object->getInteger(key);
    if (!value || *value < 0) {
      error = ("invalid target description: `" + key +
               "` must be a non-negative integer")
                  .str();
      return false;
    }
    field = static_cast<std::remove_reference_t<decltype(field)>>(*value);
    return true;
  };
  if (!getInt("vector_width_bits", target.vectorWidthBits) ||
      !getInt("cores", target.numCores) ||
      !getInt("local_memory_bytes", target.localMemoryBytes))
    return std::nullopt;
  if (target.vectorWidthBits == 0 || target.vectorWidthBits % 8 != 0) {
    error = "invalid target description: `vector_width_bits` must be a "
            "positive multiple of 8";
    return std::nullopt;
  }
  if (object->get("dma")) {
    std::optional<bool> dma = object->getBoolean("dma");
    if (!dma) {
      error = "invalid target description: `dma` must be a boolean";
      return std::nullopt;
    }
    target.hasDMA = *dma;
  }
  if (const llvm::json::Array *spaces = object->getArray("memory_spaces")) {
    for (const llvm::json::Value &entry : *spaces) {
      const llvm::json::Object *space = entry.getAsObject();
      std::optional<llvm::StringRef> name =
          space ? space->getString("name") : std::nullopt;
      std::optional<int64_t> id =
          space ? space->getInteger("id") : std::nullopt;
      if (!name || !id || *id < 0) {
        error = "invalid target description: each memory space needs a "
                "`name` and a non-negative `id`";
        return std::nullopt;
      }
      MemorySpace memory{name->str(), static_cast<unsigned>(*id), 0};
      if (std::optional<int64_t> size = space->getInteger("size"))
        memory.sizeBytes = *size;
      target.memorySpaces.push_back(memory);
    }
  } else {
    target.memorySpaces.push_back({"global", 0, 0});
  }
  return target;
}

unsigned TargetDescription::vectorLanes(unsigned elementBits) const {
  if (elementBits == 0 || elementBits >= vectorWidthBits)
    return 1;
  return vectorWidthBits / elementBits;
}

mlir::DictionaryAttr
TargetDescription::toAttr(mlir::MLIRContext *context) const {
  mlir::Builder b(context);
  llvm::SmallVector<mlir::Attribute> spaces;
  for (const MemorySpace &space : memorySpaces)
    spaces.push_back(b.getDictionaryAttr({
        b.getNamedAttr("id", b.getI64IntegerAttr(space.id)),
        b.getNamedAttr("name", b.getStringAttr(space.name)),
        b.getNamedAttr("size", b.getI64IntegerAttr(space.sizeBytes)),
    }));
  return b.getDictionaryAttr({
      b.getNamedAttr("cores", b.getI64IntegerAttr(numCores)),
      b.getNamedAttr("dma", b.getBoolAttr(hasDMA)),
      b.getNamedAttr("local_memory_bytes",
                     b.getI64IntegerAttr(localMemoryBytes)),
      b.getNamedAttr("memory_spaces", b.getArrayAttr(spaces)),
      b.getNamedAttr("name", b.getStringAttr(name)),
      b.getNamedAttr("vector_width_bits", b.getI64IntegerAttr(vectorWidthBits)),
  });
}
