//===- Launch.cpp - launching a compiled kernel ---------------------------===//
//
// Native launches convert the run-time arguments as Triton's launchers do
// (pointers from data_ptr(), integers within their type's range, floats
// packed to the parameter's width); a value outside what they accept is
// declined, so that Triton's own launcher reports it in its own words.
//
//===----------------------------------------------------------------------===//

#include "Launch.h"

#include "CudaDriverAPI.h"

#include <cstring>
#include <dlfcn.h>
#include <string>

namespace flagtree::launcher {

const CudaDriverAPI &CudaDriverAPI::get() {
  static CudaDriverAPI api = [] {
    CudaDriverAPI a;
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      return a;
    auto sym = [&](auto &fn, const char *name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
          dlsym(lib, name));
    };
    sym(a.launchKernelEx, "cuLaunchKernelEx");
    sym(a.launchKernel, "cuLaunchKernel");
    sym(a.pointerGetAttribute, "cuPointerGetAttribute");
    sym(a.ctxGetCurrent, "cuCtxGetCurrent");
    sym(a.deviceGet, "cuDeviceGet");
    sym(a.devicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
    sym(a.ctxSetCurrent, "cuCtxSetCurrent");
    sym(a.funcSetAttribute, "cuFuncSetAttribute");
    sym(a.getErrorString, "cuGetErrorString");
    if (!a.pointerGetAttribute || !a.ctxGetCurrent || !a.deviceGet ||
        !a.devicePrimaryCtxRetain || !a.ctxSetCurrent || !a.funcSetAttribute ||
        !a.getErrorString || !a.launchKernel)
      a.launchKernelEx = nullptr;
    return a;
  }();
  return api;
}

namespace {

/// One argument's value, as the kernel reads it.
union SlotValue {
  uint64_t u64;
  int64_t i64;
  int32_t i32;
  uint32_t u32;
  int16_t i16;
  uint16_t u16;
  int8_t i8;
  uint8_t u8;
  bool b;
  float f32;
  double f64;
};

bool integerIn(PyObject *value, long long lo, unsigned long long hi,
               SlotValue &out) {
  if (!PyLong_Check(value))
    return false;
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
  if (PyErr_Occurred()) {
    PyErr_Clear();
    return false;
  }
  if (overflow > 0) {
    unsigned long long u = PyLong_AsUnsignedLongLong(value);
    if (PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    if (u > hi)
      return false;
    out.u64 = u;
    return true;
  }
  if (overflow < 0 || v < lo ||
      (v > 0 && static_cast<unsigned long long>(v) > hi))
    return false;
  out.i64 = v;
  return true;
}

uint16_t halfBits(double value) {
  uint16_t bits = 0;
  PyFloat_Pack2(value, reinterpret_cast<char *>(&bits), 1);
  return bits;
}

/// Converts the run-time arguments of `call` into `values`.
bool convertArgs(const Entry &entry, const BoundCall &call,
                 std::vector<SlotValue> &values) {
  values.resize(entry.slots.size());
  for (size_t i = 0; i < entry.slots.size(); ++i) {
    const ArgSlot &slot = entry.slots[i];
    PyObject *value = call.values[slot.param];
    const ArgClass &cls = call.classes[slot.param];
    SlotValue &out = values[i];
    out.u64 = 0;
    switch (slot.kind) {
    case SlotKind::Pointer:
      if (cls.kind == ArgKind::Tensor)
        out.u64 = cls.dataPtr;
      else if (value == Py_None)
        out.u64 = 0;
      else if (!integerIn(value, 0, UINT64_MAX, out))
        return false;
      break;
    case SlotKind::I1:
      if (!integerIn(value, 0, 1, out))
        return false;
      out.u64 = out.u64 ? 1 : 0;
      break;
    case SlotKind::I8:
      if (!integerIn(value, INT8_MIN, INT8_MAX, out))
        return false;
      out.i8 = static_cast<int8_t>(out.i64);
      break;
    case SlotKind::I16:
      if (!integerIn(value, INT16_MIN, INT16_MAX, out))
        return false;
      out.i16 = static_cast<int16_t>(out.i64);
      break;
    case SlotKind::I32:
      if (!integerIn(value, INT32_MIN, INT32_MAX, out))
        return false;
      out.i32 = static_cast<int32_t>(out.i64);
      break;
    case SlotKind::I64:
      if (!integerIn(value, INT64_MIN, INT64_MAX, out))
        return false;
      break;
    case SlotKind::U8:
      if (!integerIn(value, 0, UINT8_MAX, out))
        return false;
      out.u8 = static_cast<uint8_t>(out.u64);
      break;
    case SlotKind::U16:
      if (!integerIn(value, 0, UINT16_MAX, out))
        return false;
      out.u16 = static_cast<uint16_t>(out.u64);
      break;
    case SlotKind::U32:
      if (!integerIn(value, 0, UINT32_MAX, out))
        return false;
      out.u32 = static_cast<uint32_t>(out.u64);
      break;
    case SlotKind::U64:
      if (!integerIn(value, 0, UINT64_MAX, out))
        return false;
      break;
    case SlotKind::Fp16:
    case SlotKind::Bf16:
    case SlotKind::Fp32:
    case SlotKind::Fp64: {
      if (!PyFloat_CheckExact(value) && !PyLong_CheckExact(value))
        return false;
      double d = PyFloat_AsDouble(value);
      if (PyErr_Occurred()) {
        PyErr_Clear();
        return false;
      }
      if (slot.kind == SlotKind::Fp64) {
        out.f64 = d;
      } else if (slot.kind == SlotKind::Fp32) {
        out.f32 = static_cast<float>(d);
      } else if (slot.kind == SlotKind::Fp16) {
        out.u16 = halfBits(d);
      } else {
        float f = static_cast<float>(d);
        uint32_t bits;
        std::memcpy(&bits, &f, sizeof(bits));
        out.u16 = static_cast<uint16_t>(bits >> 16);
      }
      break;
    }
    }
  }
  return true;
}

LaunchResult launchCPU(Entry &entry, const BoundCall &call,
                       const uint32_t grid[3]) {
  thread_local std::vector<SlotValue> values;
  thread_local std::vector<void *> pointers;
  if (!convertArgs(entry, call, values))
    return LaunchResult::Declined;
  pointers.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    pointers[i] = &values[i];
  int status;
  Py_BEGIN_ALLOW_THREADS;
  status = entry.cpuLaunch(entry.cpuKernel, pointers.data(), grid[0], grid[1],
                           grid[2], 0);
  Py_END_ALLOW_THREADS;
  if (status == kCPUAssertionFailed && entry.cpuLaunchError &&
      entry.cpuAssertionError.is_valid()) {
    PyErr_SetString(entry.cpuAssertionError.ptr(), entry.cpuLaunchError());
    return LaunchResult::Failed;
  }
  if (status != 0) {
    PyErr_Format(PyExc_RuntimeError,
                 "the CPU lane failed to launch the kernel (status %d)",
                 status);
    return LaunchResult::Failed;
  }
  return LaunchResult::Done;
}

void setCudaError(const CudaDriverAPI &api, CUresult code) {
  const char *text = nullptr;
  api.getErrorString(code, &text);
  PyErr_Format(PyExc_RuntimeError, "Triton Error [CUDA]: %s",
               text ? text : "unknown error");
}

LaunchResult launchCUDA(Entry &entry, const BoundCall &call,
                        const uint32_t grid[3], PyObject *stream) {
  const CudaDriverAPI &api = CudaDriverAPI::get();
  if (!api.loaded())
    return LaunchResult::Declined;
  thread_local std::vector<SlotValue> values;
  thread_local std::vector<void *> params;
  if (!convertArgs(entry, call, values))
    return LaunchResult::Declined;
  uint64_t streamHandle = PyLong_AsUnsignedLongLong(stream);
  if (PyErr_Occurred()) {
    PyErr_Clear();
    return LaunchResult::Declined;
  }
  // As Triton's launcher: a context must be current before pointer queries.
  CUcontext context = nullptr;
  CUresult status = api.ctxGetCurrent(&context);
  if (status == CUDA_SUCCESS && !context) {
    CUdevice device;
    status = api.deviceGet(&device, 0);
    if (status == CUDA_SUCCESS)
      status = api.devicePrimaryCtxRetain(&context, device);
    if (status == CUDA_SUCCESS)
      status = api.ctxSetCurrent(context);
  }
  if (status != CUDA_SUCCESS) {
    setCudaError(api, status);
    return LaunchResult::Failed;
  }
  // As Triton's launcher: a tensor's pointer must be device-accessible (an
  // integer passes as it is); a pointer seen valid at this slot on the
  // previous launch is not asked about again.
  entry.checkedPointers.resize(2 * entry.slots.size(), 0);
  for (size_t i = 0; i < entry.slots.size(); ++i) {
    if (entry.slots[i].kind != SlotKind::Pointer || !values[i].u64 ||
        call.classes[entry.slots[i].param].kind != ArgKind::Tensor)
      continue;
    if (entry.checkedPointers[2 * i] == values[i].u64) {
      values[i].u64 = entry.checkedPointers[2 * i + 1];
      continue;
    }
    uint64_t devicePointer = 0;
    status = api.pointerGetAttribute(
        &devicePointer, CU_POINTER_ATTRIBUTE_DEVICE_POINTER, values[i].u64);
    if (status == CUDA_ERROR_INVALID_VALUE) {
      PyErr_Format(PyExc_ValueError,
                   "Pointer argument (at %d) cannot be accessed from Triton "
                   "(cpu tensor?)",
                   static_cast<int>(entry.slots[i].param));
      return LaunchResult::Failed;
    }
    if (status != CUDA_SUCCESS) {
      setCudaError(api, status);
      return LaunchResult::Failed;
    }
    entry.checkedPointers[2 * i] = values[i].u64;
    entry.checkedPointers[2 * i + 1] = devicePointer;
    values[i].u64 = devicePointer;
  }
  uint64_t globalScratch = 0, profileScratch = 0;
  params.resize(values.size() + 2);
  for (size_t i = 0; i < values.size(); ++i)
    params[i] = &values[i];
  params[values.size()] = &globalScratch;
  params[values.size() + 1] = &profileScratch;
  if (uint64_t(grid[0]) * grid[1] * grid[2] == 0)
    return LaunchResult::Done;

  CUlaunchAttribute attrs[4];
  std::memset(attrs, 0, sizeof(attrs));
  unsigned numAttrs = 0;
  if (entry.pdl) {
    attrs[numAttrs].id = CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION;
    attrs[numAttrs++].value.programmaticStreamSerializationAllowed = 1;
  }
  if (entry.cooperative) {
    attrs[numAttrs].id = CU_LAUNCH_ATTRIBUTE_COOPERATIVE;
    attrs[numAttrs++].value.cooperative = 1;
  }
  if (entry.numCtas != 1) {
    attrs[numAttrs].id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
    attrs[numAttrs].value.clusterDim.x = entry.numCtas;
    attrs[numAttrs].value.clusterDim.y = 1;
    attrs[numAttrs++].value.clusterDim.z = 1;
    attrs[numAttrs].id =
        CU_LAUNCH_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE;
    attrs[numAttrs++].value.clusterSchedulingPolicyPreference =
        CU_CLUSTER_SCHEDULING_POLICY_SPREAD;
  }
  CUlaunchConfig config;
  std::memset(&config, 0, sizeof(config));
  config.gridDimX = grid[0] * entry.numCtas;
  config.gridDimY = grid[1];
  config.gridDimZ = grid[2];
  config.blockDimX = 32 * entry.numWarps;
  config.blockDimY = 1;
  config.blockDimZ = 1;
  config.sharedMemBytes = entry.sharedBytes;
  config.hStream = reinterpret_cast<CUstream>(streamHandle);
  config.attrs = attrs;
  config.numAttrs = numAttrs;
  CUfunction function = reinterpret_cast<CUfunction>(entry.function);
  Py_BEGIN_ALLOW_THREADS;
  if (entry.numCtas == 16)
    status = api.funcSetAttribute(
        function, CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED, 1);
  // Without attributes, the plain launch says the same and costs less.
  if (status == CUDA_SUCCESS && numAttrs == 0)
    status = api.launchKernel(function, config.gridDimX, config.gridDimY,
                              config.gridDimZ, config.blockDimX, 1, 1,
                              config.sharedMemBytes, config.hStream,
                              params.data(), nullptr);
  else if (status == CUDA_SUCCESS)
    status = api.launchKernelEx(&config, function, params.data(), nullptr);
  Py_END_ALLOW_THREADS;
  if (status != CUDA_SUCCESS) {
    setCudaError(api, status);
    return LaunchResult::Failed;
  }
  return LaunchResult::Done;
}

/// Triton's own launcher: `kernel.run(gx, gy, gz, stream, function,
/// packed_metadata, launch_metadata, enter_hook, exit_hook, *args)`. The
/// fast path runs only without launch hooks, where Triton's launch metadata
/// has no reader.
LaunchResult launchTriton(Entry &entry, const BoundCall &call,
                          const uint32_t grid[3], PyObject *stream) {
  const size_t fixed = 9;
  PyObject *args = PyTuple_New(static_cast<Py_ssize_t>(fixed + call.numParams));
  if (!args)
    return LaunchResult::Failed;
  for (int i = 0; i < 3; ++i)
    PyTuple_SET_ITEM(args, i, PyLong_FromUnsignedLong(grid[i]));
  PyObject *fixedItems[] = {stream,
                            entry.functionObject.ptr(),
                            entry.packedMetadata.ptr(),
                            Py_None,
                            Py_None,
                            Py_None};
  for (int i = 0; i < 6; ++i) {
    Py_INCREF(fixedItems[i]);
    PyTuple_SET_ITEM(args, 3 + i, fixedItems[i]);
  }
  for (size_t i = 0; i < call.numParams; ++i) {
    Py_INCREF(call.values[i]);
    PyTuple_SET_ITEM(args, static_cast<Py_ssize_t>(fixed + i), call.values[i]);
  }
  PyObject *result = PyObject_Call(entry.run.ptr(), args, nullptr);
  Py_DECREF(args);
  if (!result)
    return LaunchResult::Failed;
  Py_DECREF(result);
  return LaunchResult::Done;
}

} // namespace

LaunchResult launch(Entry &entry, const BoundCall &call, const uint32_t grid[3],
                    PyObject *stream) {
  switch (entry.kind) {
  case LaunchKind::CPU:
    return launchCPU(entry, call, grid);
  case LaunchKind::CUDA:
    return launchCUDA(entry, call, grid, stream);
  case LaunchKind::Triton:
    return launchTriton(entry, call, grid, stream);
  }
  return LaunchResult::Declined;
}

} // namespace flagtree::launcher
