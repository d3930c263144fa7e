//===- Checked.h - the bounds-checked mode's run-time side ------*- C++ -*-===//
//
// With FLAGTREE_CPU_BOUNDS_CHECK=1 every kernel checks its accesses to
// pointer arguments against the extent of the argument's tensor (pass
// flagtree-cpu-bounds-check). The launcher gives the extents per launch;
// a failed check records the error and leaves the program at once, through
// the jump buffer its thread set before running it.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LIB_CAPI_CPU_CHECKED_H
#define FLAGTREE_LIB_CAPI_CPU_CHECKED_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"

#include <atomic>
#include <csetjmp>
#include <cstdint>
#include <mutex>
#include <string>

namespace flagtree::cpu {

/// The state of one checked launch, shared by the threads that run it.
struct CheckedLaunch {
  /// Two per argument: bytes addressable before and after its pointer;
  /// null when unknown (nothing is then out of bounds).
  const int64_t *extents = nullptr;
  size_t numArguments = 0;
  /// Set by the first failed check: no program starts after it.
  std::atomic<bool> stopped{false};
  std::mutex mutex;
  std::string error;
};

/// What the running thread checks against, and where a failed check jumps.
struct CheckedThread {
  CheckedLaunch *launch = nullptr;
  std::jmp_buf *exit = nullptr;
};

/// The calling thread's state (thread-local).
CheckedThread &checkedThread();

/// Makes the functions the checks call resolvable by code JIT-compiled in
/// `engine`.
void registerCheckedRuntime(mlir::ExecutionEngine &engine);

/// Whether FLAGTREE_CPU_BOUNDS_CHECK asks for the checked mode.
bool boundsCheckRequested();

} // namespace flagtree::cpu

#endif // FLAGTREE_LIB_CAPI_CPU_CHECKED_H
