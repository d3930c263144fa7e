//===- Checked.cpp - the bounds-checked mode's run-time side -------------===//

#include "Checked.h"
#include "JITRuntime.h"

#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/raw_ostream.h"

using namespace flagtree::cpu;

namespace {

/// Extent reported for an argument whose tensor is not known: far enough
/// that no offset computed in 64 bits reaches it.
constexpr int64_t kUnknownExtent = INT64_MAX / 4;

thread_local CheckedExtents *current = nullptr;

int64_t extent(int64_t argument, int which) {
  CheckedExtents *extents = current;
  if (!extents || !extents->bytes || argument < 0 ||
      static_cast<size_t>(argument) >= extents->numArguments)
    return kUnknownExtent;
  int64_t bytes = extents->bytes[2 * argument + which];
  return bytes < 0 ? kUnknownExtent : bytes;
}

int64_t flagtreeExtentBefore(int64_t argument) { return extent(argument, 0); }

int64_t flagtreeExtentAfter(int64_t argument) { return extent(argument, 1); }

/// Called by a failed check: records the error of the launch and leaves
/// the program without performing the access.
[[noreturn]] void flagtreeOutOfBounds(const char *what, int64_t argument,
                                      int64_t lo, int64_t hi, int64_t before,
                                      int64_t after) {
  std::string message;
  llvm::raw_string_ostream os(message);
  os << what << " of elements [" << lo << ", " << hi
     << "] through pointer argument #" << argument
     << ", whose tensor spans elements [" << -before << ", " << after
     << ") around the pointer";
  os.flush();
  failProgram(std::move(message), AssertionFailure::kOutOfBounds);
}

/// Called before each access by address through a pointer cast from
/// argument `argument`'s: leaves the program, without performing the
/// access, when its `bytes` bytes at `address` lie outside that argument's
/// tensor.
void flagtreeCheckAddress(const char *what, int64_t address, int64_t bytes,
                          int64_t argument) {
  CheckedExtents *extents = current;
  if (!extents || argument < 0 ||
      static_cast<size_t>(argument) >= extents->spans.size() ||
      !extents->spans[argument])
    return;
  auto [start, end] = *extents->spans[argument];
  auto first = static_cast<uintptr_t>(address);
  auto last = first + static_cast<uintptr_t>(bytes);
  if (start <= first && first <= last && last <= end)
    return;
  std::string message;
  llvm::raw_string_ostream os(message);
  os << what << " of " << bytes << " bytes at address 0x";
  os.write_hex(first);
  os << ", through a pointer cast from pointer argument #" << argument
     << " to an element type of another width, whose tensor spans [0x";
  os.write_hex(start);
  os << ", 0x";
  os.write_hex(end);
  os << ")";
  os.flush();
  failProgram(std::move(message), AssertionFailure::kOutOfBounds);
}

} // namespace

void CheckedExtents::addPointer(size_t argument, const void *pointer) {
  if (!bytes || argument >= numArguments)
    return;
  int64_t before = bytes[2 * argument], after = bytes[2 * argument + 1];
  if (before < 0 || after < 0)
    return; // Not known: nothing through it is out of bounds.
  auto at = reinterpret_cast<uintptr_t>(pointer);
  spans[argument] = std::make_pair(at - static_cast<uintptr_t>(before),
                                   at + static_cast<uintptr_t>(after));
}

CheckedExtents *flagtree::cpu::currentExtents() { return current; }

void flagtree::cpu::setCurrentExtents(CheckedExtents *extents) {
  current = extents;
}

llvm::orc::SymbolMap
flagtree::cpu::checkedRuntimeSymbols(llvm::orc::MangleAndInterner &interner) {
  using llvm::orc::ExecutorAddr;
  return exportedSymbols(interner,
                         {{"flagtree_cpu_extent_before",
                           ExecutorAddr::fromPtr(&flagtreeExtentBefore)},
                          {"flagtree_cpu_extent_after",
                           ExecutorAddr::fromPtr(&flagtreeExtentAfter)},
                          {"flagtree_cpu_out_of_bounds",
                           ExecutorAddr::fromPtr(&flagtreeOutOfBounds)},
                          {"flagtree_cpu_check_address",
                           ExecutorAddr::fromPtr(&flagtreeCheckAddress)}});
}

void flagtree::cpu::registerCheckedRuntime(mlir::ExecutionEngine &engine) {
  engine.registerSymbols([](llvm::orc::MangleAndInterner interner) {
    return checkedRuntimeSymbols(interner);
  });
}

bool flagtree::cpu::boundsCheckRequested() {
  const char *value = std::getenv("FLAGTREE_CPU_BOUNDS_CHECK");
  return value && *value && std::string(value) != "0";
}
