//===- Launch.h - a compiled kernel, ready to launch --------------*- C++
//-*-===//
//
// An entry of the fast table: the compiled kernel Triton returned for one
// specialization, and how to launch it: the CPU lane's C entry point, the
// CUDA driver API, or (any other lane) the kernel's own Triton launcher.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LAUNCHER_LAUNCH_H
#define FLAGTREE_LAUNCHER_LAUNCH_H

#include "Specialize.h"

#include <cstdint>
#include <vector>

namespace flagtree::launcher {

/// How one run-time argument is passed to a native launch.
enum class SlotKind : uint8_t {
  Pointer = 0,
  I1,
  I8,
  I16,
  I32,
  I64,
  U8,
  U16,
  U32,
  U64,
  Fp16,
  Bf16,
  Fp32,
  Fp64,
};

struct ArgSlot {
  uint32_t param; ///< index into the bound call
  SlotKind kind;
};

enum class LaunchKind : uint8_t { CPU, CUDA, Triton };

using CPULaunchFn = int (*)(void *, void **, uint32_t, uint32_t, uint32_t,
                            uint32_t);
/// flagtree_cpu_launch's status when a device assertion failed.
constexpr int kCPUAssertionFailed = 2;
using CPULaunchErrorFn = const char *(*)();

struct Entry {
  nb::object kernel;      ///< Triton's CompiledKernel, returned by the call
  nb::object kernelCache; ///< Triton's kernel cache dict it lives in
  nb::object tritonKey;   ///< its key there
  std::vector<nb::object> pins; ///< objects the table key names by identity
  LaunchKind kind = LaunchKind::Triton;
  std::vector<ArgSlot> slots;
  // CPU lane
  void *cpuKernel = nullptr;
  CPULaunchFn cpuLaunch = nullptr;
  CPULaunchErrorFn cpuLaunchError = nullptr; ///< the assertion's message
  nb::object cpuAssertionError;              ///< the class raised with it
  // CUDA
  uint64_t function = 0;
  unsigned numWarps = 4, numCtas = 1, sharedBytes = 0;
  bool cooperative = false, pdl = false;
  /// Per slot: the last pointer validated and its device address.
  std::vector<uint64_t> checkedPointers;
  // Triton's launcher
  nb::object run, functionObject, packedMetadata;
};

enum class LaunchResult { Done, Declined, Failed };

/// Launches `entry` for a bound call over the grid on `stream`. Declined: an
/// argument the native launch does not convert (nothing happened; Triton's
/// path takes the call). Failed: a Python error is set.
LaunchResult launch(Entry &entry, const BoundCall &call, const uint32_t grid[3],
                    PyObject *stream);

} // namespace flagtree::launcher

#endif // FLAGTREE_LAUNCHER_LAUNCH_H
