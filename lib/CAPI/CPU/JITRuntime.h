//===- JITRuntime.h - functions the JIT-compiled kernels call -*- C++ -*-===//
//
// LLVM lowers some conversions to compiler-runtime calls (bf16 rounding on
// hosts without native bf16). The host's libgcc may lack them, so the lane
// carries its own and hands them to the JIT. `tl.device_print` and
// `tl.device_assert` call the lane's own functions (DebugLowering.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LIB_CAPI_CPU_JITRUNTIME_H
#define FLAGTREE_LIB_CAPI_CPU_JITRUNTIME_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"

#include <atomic>
#include <mutex>
#include <string>

namespace flagtree::cpu {

/// Makes the runtime helpers resolvable by code JIT-compiled in `engine`;
/// call before the first lookup.
void registerJITRuntime(mlir::ExecutionEngine &engine);

/// The first `tl.device_assert` that failed in one launch.
class AssertionFailure {
public:
  /// Whether an assertion failed: programs not started yet are skipped.
  bool failed() const { return hasFailed.load(std::memory_order_relaxed); }
  /// Keeps `text` unless an earlier failure was recorded.
  void record(std::string text);
  /// The recorded message (valid once every program has returned).
  const std::string &message() const { return text; }

private:
  std::atomic<bool> hasFailed{false};
  std::mutex mutex;
  std::string text;
};

/// Runs one program: `entry(args)`. A failed `tl.device_assert` records
/// itself in `failure` and leaves the program at once (as a GPU program
/// stops); returns false then. Buffers the program allocated on the heap
/// are not freed in that case.
bool runProgram(void (*entry)(void **), void **args, AssertionFailure &failure);

} // namespace flagtree::cpu

#endif // FLAGTREE_LIB_CAPI_CPU_JITRUNTIME_H
