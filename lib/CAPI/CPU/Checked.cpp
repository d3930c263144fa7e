//===- Checked.cpp - the bounds-checked mode's run-time side -------------===//

#include "Checked.h"

#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace flagtree::cpu;

namespace {

/// Extent reported for an argument whose tensor is not known: far enough
/// that no offset computed in 64 bits reaches it.
constexpr int64_t kUnknownExtent = INT64_MAX / 4;

int64_t extent(int64_t argument, int which) {
  CheckedLaunch *launch = checkedThread().launch;
  if (!launch || !launch->extents || argument < 0 ||
      static_cast<size_t>(argument) >= launch->numArguments)
    return kUnknownExtent;
  int64_t bytes = launch->extents[2 * argument + which];
  return bytes < 0 ? kUnknownExtent : bytes;
}

extern "C" int64_t flagtreeExtentBefore(int64_t argument) {
  return extent(argument, 0);
}

extern "C" int64_t flagtreeExtentAfter(int64_t argument) {
  return extent(argument, 1);
}

/// Called by a failed check: records the first error of the launch and
/// leaves the program without performing the access.
extern "C" void flagtreeOutOfBounds(const char *what, int64_t argument,
                                    int64_t lo, int64_t hi, int64_t before,
                                    int64_t after) {
  CheckedThread &thread = checkedThread();
  std::string message;
  llvm::raw_string_ostream os(message);
  os << what << " of elements [" << lo << ", " << hi
     << "] through pointer argument #" << argument
     << ", whose tensor spans elements [" << -before << ", " << after
     << ") around the pointer";
  if (thread.launch) {
    std::lock_guard<std::mutex> lock(thread.launch->mutex);
    if (thread.launch->error.empty())
      thread.launch->error = message;
    thread.launch->stopped.store(true);
  }
  if (thread.exit)
    std::longjmp(*thread.exit, 1);
  // A checked kernel always runs under a jump buffer; never go on to
  // perform the access.
  llvm::errs() << "flagtree: " << message << "\n";
  std::abort();
}

} // namespace

CheckedThread &flagtree::cpu::checkedThread() {
  static thread_local CheckedThread state;
  return state;
}

void flagtree::cpu::registerCheckedRuntime(mlir::ExecutionEngine &engine) {
  engine.registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](const char *name, auto *function) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                 llvm::JITSymbolFlags::Exported};
    };
    add("flagtree_cpu_extent_before", &flagtreeExtentBefore);
    add("flagtree_cpu_extent_after", &flagtreeExtentAfter);
    add("flagtree_cpu_out_of_bounds", &flagtreeOutOfBounds);
    return symbols;
  });
}

bool flagtree::cpu::boundsCheckRequested() {
  const char *value = std::getenv("FLAGTREE_CPU_BOUNDS_CHECK");
  return value && *value && std::string(value) != "0";
}
