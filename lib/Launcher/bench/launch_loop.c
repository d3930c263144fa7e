/*===- launch_loop.c - the floor of a launch, measured from C -------------===//
 *
 * Loops that launch an already loaded kernel `n` times from C, with its
 * arguments prepared once: what a launch costs with no Python at all. Built
 * by scripts/bench_launch.py with the system C compiler into a shared
 * library it calls through ctypes; needs no CUDA headers (the driver API is
 * reached through dlopen, with the few declarations below).
 *
 *===----------------------------------------------------------------------===*/

#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef int (*cpu_launch_fn)(void *kernel, void **args, uint32_t gx,
                             uint32_t gy, uint32_t gz, uint32_t threads);

/* Seconds for `n` launches of a CPU-lane kernel through flagtree_cpu_launch
 * (passed as `launch`); a negative value when a launch failed. */
double cpu_launch_loop(void *launch, void *kernel, void **args, uint64_t n) {
  cpu_launch_fn fn = (cpu_launch_fn)launch;
  double start = now_seconds();
  for (uint64_t i = 0; i < n; ++i)
    if (fn(kernel, args, 1, 1, 1, 0) != 0)
      return -1.0;
  return now_seconds() - start;
}

typedef int (*cu_launch_kernel_fn)(void *f, unsigned gx, unsigned gy,
                                   unsigned gz, unsigned bx, unsigned by,
                                   unsigned bz, unsigned shared, void *stream,
                                   void **params, void **extra);
typedef int (*cu_stream_synchronize_fn)(void *stream);

/* Seconds for `n` cuLaunchKernel calls of `function` (one block of
 * `threads` threads) on `stream`, then one stream synchronization; a
 * negative value when the driver or a launch failed. */
double cu_launch_loop(void *function, void *stream, unsigned threads,
                      unsigned shared, void **params, uint64_t n) {
  static cu_launch_kernel_fn launch = NULL;
  static cu_stream_synchronize_fn synchronize = NULL;
  if (!launch) {
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      return -1.0;
    launch = (cu_launch_kernel_fn)dlsym(lib, "cuLaunchKernel");
    synchronize = (cu_stream_synchronize_fn)dlsym(lib, "cuStreamSynchronize");
    if (!launch || !synchronize)
      return -1.0;
  }
  double start = now_seconds();
  for (uint64_t i = 0; i < n; ++i)
    if (launch(function, 1, 1, 1, threads, 1, 1, shared, stream, params,
               NULL) != 0)
      return -2.0;
  if (synchronize(stream) != 0)
    return -3.0;
  return now_seconds() - start;
}
