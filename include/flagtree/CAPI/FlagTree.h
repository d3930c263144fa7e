//===- FlagTree.h - the C API of the flagtree core ---------------*- C -*-===//
//
// The core is one shared library with MLIR and LLVM linked in statically.
// Only the functions below are exported, so any Python (3.11 here, 3.12 on
// the GPU machine) can load it with ctypes, and it never clashes with the
// MLIR copy inside Triton's own extension.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_CAPI_FLAGTREE_H
#define FLAGTREE_CAPI_FLAGTREE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FLAGTREE_EXPORT __attribute__((visibility("default")))

/// Version string of the core, e.g. "0.1.0 (MLIR 22.1.8)". Static storage.
FLAGTREE_EXPORT const char *flagtree_version(void);

/// Newline-separated inventory of the core: one `dialect <name> <#ops>`
/// line per loaded dialect. The caller frees it with flagtree_free.
FLAGTREE_EXPORT char *flagtree_inventory(void);

/// Parses `input` (TTIR or any IR of the registered dialects; `source_name`
/// names it in diagnostics), verifies it, runs the textual pass `pipeline`
/// (may be empty or NULL) on the module, and prints the result the way
/// Triton 3.6 prints TTIR. On success returns 0 and sets `*output`; on
/// failure returns 1 and `*output` is NULL. `*diagnostics` always receives
/// the diagnostics emitted ("file:line:col: error: ..."), possibly empty.
/// Both strings are freed with flagtree_free.
FLAGTREE_EXPORT int flagtree_run_pipeline(const char *input, size_t length,
                                          const char *source_name,
                                          const char *pipeline, char **output,
                                          char **diagnostics);

/// Frees a string returned by this API.
FLAGTREE_EXPORT void flagtree_free(char *string);

/// The `flagtree-opt` driver (mlir-opt with flagtree's dialects and passes).
FLAGTREE_EXPORT int flagtree_opt_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* FLAGTREE_CAPI_FLAGTREE_H */
