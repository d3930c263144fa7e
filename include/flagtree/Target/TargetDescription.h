//===- TargetDescription.h - what a FLIR target offers ----------*- C++ -*-===//
//
// The DSA lane (FLIR) compiles for a target described at run time: its
// memory spaces, local memory, vector width, cores and DMA. The host CPU is
// the first target; a lit test can describe a made-up DSA in JSON.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_TARGET_TARGETDESCRIPTION_H
#define FLAGTREE_TARGET_TARGETDESCRIPTION_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flagtree {

/// One addressable memory of a target, e.g. global memory or a core-local
/// scratchpad; `id` is the memref memory space the lane uses for it.
struct MemorySpace {
  std::string name;
  unsigned id = 0;
  int64_t sizeBytes = 0; ///< 0 when unbounded (host memory).
};

/// A FLIR target. Passes receive it as an object (or its JSON text through
/// a pass option); nothing about a target is decided at link time.
struct TargetDescription {
  std::string name;
  std::vector<MemorySpace> memorySpaces;
  int64_t localMemoryBytes = 0;
  unsigned vectorWidthBits = 128;
  unsigned numCores = 1;
  bool hasDMA = false;

  /// The machine this process runs on: vector width from the host CPU's
  /// features, cores from std::thread::hardware_concurrency.
  static TargetDescription hostCPU();

  /// Parses `host` or a JSON object such as
  /// `{"name": "dsa", "vector_width_bits": 1024, "cores": 4, "dma": true,
  ///   "local_memory_bytes": 262144,
  ///   "memory_spaces": [{"name": "global", "id": 0},
  ///                     {"name": "local", "id": 3, "size": 262144}]}`.
  /// The outer braces may be left out. Missing fields keep their defaults. On
  /// failure returns std::nullopt and sets `error`.
  static std::optional<TargetDescription> parse(llvm::StringRef spec,
                                                std::string &error);

  /// Number of elements of `elementBits` bits in one vector register.
  unsigned vectorLanes(unsigned elementBits) const;

  /// The description as a dictionary attribute (attached to modules as
  /// `flir.target`).
  mlir::DictionaryAttr toAttr(mlir::MLIRContext *context) const;
};

} // namespace flagtree

#endif // FLAGTREE_TARGET_TARGETDESCRIPTION_H
