//===- Checked.h - the bounds-checked mode's run-time side ------*- C++ -*-===//
//
// With FLAGTREE_CPU_BOUNDS_CHECK=1 every kernel checks its accesses to
// pointer arguments against the extent of the argument's tensor (pass
// flagtree-cpu-bounds-check). The launcher gives the extents per launch;
// a failed check leaves its program like a failed device assertion
// (JITRuntime.h) and the launch returns 3.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LIB_CAPI_CPU_CHECKED_H
#define FLAGTREE_LIB_CAPI_CPU_CHECKED_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace flagtree::cpu {

/// The extents of one checked launch's arguments.
struct CheckedExtents {
  /// Two per argument: bytes addressable before and after its pointer
  /// (negative when unknown: nothing is then out of bounds).
  const int64_t *bytes = nullptr;
  size_t numArguments = 0;
  /// The addresses [first, last) of each pointer argument's tensor, by
  /// argument number, for accesses by address (through a pointer cast to
  /// another width); empty where the extent is unknown (nothing is then
  /// out of bounds) and for other arguments.
  std::vector<std::optional<std::pair<uintptr_t, uintptr_t>>> spans;

  CheckedExtents(const int64_t *bytes, size_t numArguments)
      : bytes(bytes), numArguments(numArguments), spans(numArguments) {}

  /// Records pointer argument `argument`, whose data pointer is `pointer`.
  void addPointer(size_t argument, const void *pointer);
};

/// What the programs running on this thread check against (null: nothing).
CheckedExtents *currentExtents();
void setCurrentExtents(CheckedExtents *extents);

/// The functions the checks call, by their names in JIT-compiled code.
llvm::orc::SymbolMap
checkedRuntimeSymbols(llvm::orc::MangleAndInterner &interner);

/// Makes the functions the checks call resolvable by code JIT-compiled in
/// `engine`.
void registerCheckedRuntime(mlir::ExecutionEngine &engine);

/// Whether FLAGTREE_CPU_BOUNDS_CHECK asks for the checked mode.
bool boundsCheckRequested();

} // namespace flagtree::cpu

#endif // FLAGTREE_LIB_CAPI_CPU_CHECKED_H
