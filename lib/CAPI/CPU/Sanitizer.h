//===- Sanitizer.h - AddressSanitizer for JIT-compiled kernels --*- C++ -*-===//
//
// With FLAGTREE_CPU_SANITIZE=address the lane instruments every kernel it
// JIT-compiles for AddressSanitizer, so that a process started with the
// ASan runtime preloaded (`make asan`) reports any access a kernel makes
// outside the memory it was given, masked-off lanes included.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LIB_CAPI_CPU_SANITIZER_H
#define FLAGTREE_LIB_CAPI_CPU_SANITIZER_H

#include "llvm/Support/Error.h"

#include <string>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace flagtree::cpu {

/// The sanitizer FLAGTREE_CPU_SANITIZE asks for: "" (none) or "address".
/// Any other value is an error that names the accepted ones, and so is
/// "address" in a process without the AddressSanitizer runtime.
llvm::Expected<std::string> requestedSanitizer();

/// Instruments the kernels of `module` for AddressSanitizer. The runtime
/// must already be in the process (its `__asan_init` has run, as
/// requestedSanitizer() checks): the module gets no constructor of its own.
void instrumentForAddressSanitizer(llvm::Module &module,
                                   llvm::TargetMachine *machine);

} // namespace flagtree::cpu

#endif // FLAGTREE_LIB_CAPI_CPU_SANITIZER_H
