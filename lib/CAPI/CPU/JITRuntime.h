//===- JITRuntime.h - helper symbols the JIT-compiled kernels call -*- C++
//-*-===//
//
// LLVM lowers some conversions to compiler-runtime calls (bf16 rounding on
// hosts without native bf16). The host's libgcc may lack them, so the lane
// carries its own and hands them to the JIT.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LIB_CAPI_CPU_JITRUNTIME_H
#define FLAGTREE_LIB_CAPI_CPU_JITRUNTIME_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"

namespace flagtree::cpu {

/// Makes the runtime helpers resolvable by code JIT-compiled in `engine`;
/// call before the first lookup.
void registerJITRuntime(mlir::ExecutionEngine &engine);

} // namespace flagtree::cpu

#endif // FLAGTREE_LIB_CAPI_CPU_JITRUNTIME_H
