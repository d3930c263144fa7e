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
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"

#include <atomic>
#include <initializer_list>
#include <mutex>
#include <string>
#include <utility>

namespace flagtree::cpu {

/// `functions` (name, address), exported to JIT-compiled code.
llvm::orc::SymbolMap exportedSymbols(
    llvm::orc::MangleAndInterner &interner,
    std::initializer_list<std::pair<const char *, llvm::orc::ExecutorAddr>>
        functions);

/// The runtime helpers, by their names in JIT-compiled code.
llvm::orc::SymbolMap jitRuntimeSymbols(llvm::orc::MangleAndInterner &interner);

/// Makes the runtime helpers resolvable by code JIT-compiled in `engine`;
/// call before the first lookup.
void registerJITRuntime(mlir::ExecutionEngine &engine);

/// The first failure that stopped a program of one launch: a
/// `tl.device_assert` or a bounds check (FLAGTREE_CPU_BOUNDS_CHECK).
class AssertionFailure {
public:
  /// flagtree_cpu_launch's status for each kind of failure.
  static constexpr int kAssertion = 2;
  static constexpr int kOutOfBounds = 3;

  /// Whether a program failed: programs not started yet are skipped.
  bool failed() const { return hasFailed.load(std::memory_order_relaxed); }
  /// Keeps `text` and its status unless an earlier failure was recorded.
  void record(std::string text, int status = kAssertion);
  /// The recorded message (valid once every program has returned).
  const std::string &message() const { return text; }
  /// The launch status of the recorded failure.
  int status() const { return kind; }

private:
  std::atomic<bool> hasFailed{false};
  std::mutex mutex;
  std::string text;
  int kind = kAssertion;
};

/// Runs one program: `entry(args)`. A failed `tl.device_assert` or bounds
/// check records itself in `failure` and leaves the program at once (as a
/// GPU program stops); returns false then. Buffers the program allocated on
/// the heap are not freed in that case.
bool runProgram(void (*entry)(void **), void **args, AssertionFailure &failure);

/// Records `text` as the failure of the program running on this thread and
/// leaves it (through runProgram's jump buffer). Outside runProgram, prints
/// `text` and aborts.
[[noreturn]] void failProgram(std::string text, int status);

} // namespace flagtree::cpu

#endif // FLAGTREE_LIB_CAPI_CPU_JITRUNTIME_H
