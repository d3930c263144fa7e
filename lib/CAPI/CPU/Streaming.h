//===- Streaming.h - Streaming stores for large launches --------*- C++ -*-===//
//
// A store to memory that is not in the cache first reads the line it
// writes (read for ownership). A launch that writes more than the caches
// keep loses that read for nothing: its output is written back to memory
// before anyone reads it. Such launches run a second copy of the kernel
// (`<name>__stream`) whose vector stores to the kernel's arguments are
// non-temporal: they go to memory without the read and without evicting
// what the caches hold.
//
// A launch picks the copy when the bytes its programs store reach a quarter
// of the last-level cache and every pointer argument is 32-byte aligned
// (the copy is compiled assuming so); the first launch that picks it
// compiles it. FLAGTREE_CPU_STREAM_STORES=never makes no copy, `always`
// picks it for every launch with aligned pointers, `auto` (the default) as
// above.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LIB_CAPI_CPU_STREAMING_H
#define FLAGTREE_LIB_CAPI_CPU_STREAMING_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace flagtree::cpu {

/// The suffix of the streaming copy's name.
inline constexpr llvm::StringLiteral kStreamSuffix = "__stream";

/// Alignment, in bytes, the streaming copy assumes of every pointer.
inline constexpr uint64_t kStreamAlignment = 32;

/// What FLAGTREE_CPU_STREAM_STORES asks for: the bytes a launch must store
/// to stream, or no value for `never`. An unknown setting is an error that
/// names the accepted ones.
llvm::Expected<std::optional<uint64_t>> streamingThreshold();

/// Bytes that one program of the first kernel of `ttirModule` stores at
/// least: each store's tensor, times the trip counts of the loops around it
/// that have constant bounds. 0 when the kernel stores nothing or must not
/// stream: it uses atomics, whose ordering non-temporal stores would not
/// keep.
uint64_t storedBytesPerProgram(mlir::ModuleOp ttirModule);

/// Adds `<name>__stream` to the LLVM-dialect `module`: a copy of kernel
/// `name` whose pointer arguments carry `align 32` and whose integer
/// arguments carry their `tt.divisibility` as assumptions, so that LLVM
/// can prove its vector stores aligned. `pointerSlots[i]` tells whether
/// kernel argument i is a pointer (five LLVM arguments) or a scalar (one).
void addStreamingCopy(mlir::ModuleOp module, llvm::StringRef name,
                      llvm::ArrayRef<bool> pointerSlots);

/// After optimization: makes non-temporal every vector store of the
/// streaming copy (and of its packed wrapper) that writes at least 16 bytes,
/// is aligned to its size (or to 32 bytes) and writes through a kernel
/// argument. Returns how many it marked.
unsigned markStreamingStores(llvm::Module &module);

/// Whether a launch of `programs` programs storing `bytesPerProgram` each
/// streams under `threshold` (see streamingThreshold).
bool launchStreams(uint64_t programs, uint64_t bytesPerProgram,
                   std::optional<uint64_t> threshold);

/// Makes this thread's non-temporal stores visible before it reports its
/// programs done: they are weakly ordered with later stores.
inline void fenceStreamingStores() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_sfence();
#else
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}

} // namespace flagtree::cpu

#endif // FLAGTREE_LIB_CAPI_CPU_STREAMING_H
