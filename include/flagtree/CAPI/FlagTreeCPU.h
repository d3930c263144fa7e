/*===- FlagTreeCPU.h - C API of the host-CPU lane -----------------*- C -*-===//
 *
 * A separate shared library, libflagtree_cpu.so, so that the GPU-side core
 * stays small: it compiles TTIR through the FLIR lane to native code with an
 * in-process JIT and runs the whole launch grid on a small thread pool.
 * Only the functions below are exported.
 *
 *===----------------------------------------------------------------------===*/

#ifndef FLAGTREE_CAPI_FLAGTREECPU_H
#define FLAGTREE_CAPI_FLAGTREECPU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FLAGTREE_CPU_EXPORT __attribute__((visibility("default")))

/// A compiled kernel. Opaque; freed with flagtree_cpu_free.
typedef struct flagtree_cpu_kernel flagtree_cpu_kernel;

/// Compiles the first kernel of `ttir` (text of `length` bytes, named
/// `source_name` in diagnostics). `options` is NULL, empty, or a list of
/// `key=value` separated by `;`: `target=host` or `target={...JSON...}`
/// (see TargetDescription.h). On success returns 0 and sets `*kernel`; on
/// failure returns 1 and `*kernel` is NULL. `*diagnostics` always receives
/// the diagnostics ("file:line:col: error: ..."), freed with
/// flagtree_cpu_free_string.
FLAGTREE_CPU_EXPORT int flagtree_cpu_compile(const char *ttir, size_t length,
                                             const char *source_name,
                                             const char *options,
                                             flagtree_cpu_kernel **kernel,
                                             char **diagnostics);

/// The native object code of a kernel flagtree_cpu_compile made, for a
/// cache of compiled kernels: `*size` bytes owned by the kernel, or NULL
/// (size 0) when it keeps none (a kernel instrumented for a sanitizer, or
/// one loaded by flagtree_cpu_load).
FLAGTREE_CPU_EXPORT const void *
flagtree_cpu_object(const flagtree_cpu_kernel *kernel, size_t *size);

/// Makes a kernel as flagtree_cpu_compile does, but takes its machine code
/// from `object`: what flagtree_cpu_object gave for the same `ttir` and
/// `options`, with the same library, host CPU and settings (see
/// flagtree_cpu_code_identity; callers key their cache by it). The TTIR is
/// only parsed, for the kernel's signature (and lowered later, should a
/// launch need the streaming copy). Returns 1 with diagnostics when the
/// object does not load; the caller then compiles.
FLAGTREE_CPU_EXPORT int
flagtree_cpu_load(const char *ttir, size_t length, const char *source_name,
                  const char *options, const void *object, size_t object_size,
                  flagtree_cpu_kernel **kernel, char **diagnostics);

/// What a kernel's machine code depends on besides its TTIR and options:
/// this library's build, the host CPU and its features, and the settings
/// read when a kernel compiles. Empty when the build cannot be identified
/// (then no object code may be reused). Owned by the library.
FLAGTREE_CPU_EXPORT const char *flagtree_cpu_code_identity(void);

/// The kernel's arguments in Triton's signature spelling, comma-separated,
/// e.g. `*fp32,*fp32,i32`. Owned by the kernel.
FLAGTREE_CPU_EXPORT const char *
flagtree_cpu_signature(const flagtree_cpu_kernel *kernel);

/// Name of the kernel function. Owned by the kernel.
FLAGTREE_CPU_EXPORT const char *
flagtree_cpu_name(const flagtree_cpu_kernel *kernel);

/// Milliseconds spent in flagtree_cpu_compile for this kernel.
FLAGTREE_CPU_EXPORT double
flagtree_cpu_compile_ms(const flagtree_cpu_kernel *kernel);

/// Runs the grid `grid_x * grid_y * grid_z`. `args[i]` points to the value
/// of argument i: a `void *` for a pointer argument, an int32_t for `i32`,
/// a float for `fp32`, and so on. `num_threads` 0 uses FLAGTREE_CPU_THREADS
/// when set, else every core the process may run on; programs
/// are spread over the threads, one program runs on the caller's thread.
/// Returns 0 on success, 2 when a `tl.device_assert` failed, 3 when a
/// bounds check failed (see flagtree_cpu_launch_checked; the message is
/// then in flagtree_cpu_launch_error, and programs not started yet were
/// skipped), 1 for a null kernel.
FLAGTREE_CPU_EXPORT int flagtree_cpu_launch(flagtree_cpu_kernel *kernel,
                                            void **args, uint32_t grid_x,
                                            uint32_t grid_y, uint32_t grid_z,
                                            uint32_t num_threads);

/// The message of the last launch on the calling thread that returned 2
/// or 3: the kernel's file:line and what failed. Owned by the library,
/// valid until the next such launch on this thread.
FLAGTREE_CPU_EXPORT const char *flagtree_cpu_launch_error(void);

/// Whether the kernel was compiled with the run-time bounds checks
/// (FLAGTREE_CPU_BOUNDS_CHECK set when it was compiled).
FLAGTREE_CPU_EXPORT int flagtree_cpu_checked(const flagtree_cpu_kernel *kernel);

/// flagtree_cpu_launch for a checked kernel: `extents` holds, per argument,
/// the bytes addressable before and after its pointer (-1 when unknown;
/// ignored for scalars). An access outside them is not made: its program
/// stops, programs not started yet are skipped, and the launch returns 3
/// (the message is in flagtree_cpu_launch_error).
FLAGTREE_CPU_EXPORT int flagtree_cpu_launch_checked(
    flagtree_cpu_kernel *kernel, void **args, const int64_t *extents,
    uint32_t grid_x, uint32_t grid_y, uint32_t grid_z, uint32_t num_threads);

/// Whether flagtree_cpu_launch with these arguments and grid would run the
/// kernel's copy with non-temporal (streaming) stores: the launch stores
/// at least a quarter of the last-level cache, every pointer is 32-byte
/// aligned, and FLAGTREE_CPU_STREAM_STORES (auto, always or never; read
/// when the kernel was compiled) allows it.
FLAGTREE_CPU_EXPORT int flagtree_cpu_streams(const flagtree_cpu_kernel *kernel,
                                             void **args, uint32_t grid_x,
                                             uint32_t grid_y, uint32_t grid_z);

/// Frees a compiled kernel.
FLAGTREE_CPU_EXPORT void flagtree_cpu_free(flagtree_cpu_kernel *kernel);

/// Runs the CPU target's passes on IR files, like mlir-opt (the driver of
/// `flagtree-cpu-opt`, which the lit tests use).
FLAGTREE_CPU_EXPORT int flagtree_cpu_opt_main(int argc, char **argv);

/// Frees a string returned by this API.
FLAGTREE_CPU_EXPORT void flagtree_cpu_free_string(char *string);

/// Writes one byte of every 64-byte line of `bytes` bytes at `memory` with
/// plain stores, on the calling thread: the caches end up holding these
/// lines, dirty, and nothing else. For benchmarks that start each run with
/// cold caches (the C library's memset can write large blocks around the
/// caches, leaving what they held in place).
FLAGTREE_CPU_EXPORT void flagtree_cpu_evict_caches(void *memory, size_t bytes);

#ifdef __cplusplus
}
#endif

#endif /* FLAGTREE_CAPI_FLAGTREECPU_H */
