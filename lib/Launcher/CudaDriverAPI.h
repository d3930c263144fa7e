//===- CudaDriverAPI.h - the few CUDA driver entry points used ----*- C++
//-*-===//
//
// The launcher reaches the CUDA driver through dlopen("libcuda.so.1"), so it
// builds and loads on machines without CUDA. With the toolkit's cuda.h at
// hand (FLAGTREE_HAVE_CUDA_H) its declarations are used; otherwise the types
// below, which follow the driver API's documented layout, stand in for them.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LAUNCHER_CUDADRIVERAPI_H
#define FLAGTREE_LAUNCHER_CUDADRIVERAPI_H

#ifdef FLAGTREE_HAVE_CUDA_H
#include <cuda.h>
#else
#include <cstdint>

extern "C" {
typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUstream_st *CUstream;
typedef struct CUfunc_st *CUfunction;

enum {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CU_POINTER_ATTRIBUTE_DEVICE_POINTER = 3,
  CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED = 14,
  CU_LAUNCH_ATTRIBUTE_COOPERATIVE = 2,
  CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION = 4,
  CU_LAUNCH_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE = 5,
  CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION = 6,
  CU_CLUSTER_SCHEDULING_POLICY_SPREAD = 1,
};

typedef union CUlaunchAttributeValue_union {
  char pad[64];
  struct {
    unsigned int x, y, z;
  } clusterDim;
  int clusterSchedulingPolicyPreference;
  int cooperative;
  int programmaticStreamSerializationAllowed;
} CUlaunchAttributeValue;

typedef struct CUlaunchAttribute_st {
  int id;
  char pad[8 - sizeof(int)];
  CUlaunchAttributeValue value;
} CUlaunchAttribute;

typedef struct CUlaunchConfig_st {
  unsigned int gridDimX, gridDimY, gridDimZ;
  unsigned int blockDimX, blockDimY, blockDimZ;
  unsigned int sharedMemBytes;
  CUstream hStream;
  CUlaunchAttribute *attrs;
  unsigned int numAttrs;
} CUlaunchConfig;
}
#endif

namespace flagtree::launcher {

/// The driver entry points, resolved once; all null when libcuda.so.1 does
/// not load.
struct CudaDriverAPI {
  CUresult (*launchKernelEx)(const CUlaunchConfig *, CUfunction, void **,
                             void **) = nullptr;
  /// The plain launch, for kernels that need no launch attributes.
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **) = nullptr;
  CUresult (*pointerGetAttribute)(void *, int, CUdeviceptr) = nullptr;
  CUresult (*ctxGetCurrent)(CUcontext *) = nullptr;
  CUresult (*deviceGet)(CUdevice *, int) = nullptr;
  CUresult (*devicePrimaryCtxRetain)(CUcontext *, CUdevice) = nullptr;
  CUresult (*ctxSetCurrent)(CUcontext) = nullptr;
  CUresult (*funcSetAttribute)(CUfunction, int, int) = nullptr;
  CUresult (*getErrorString)(CUresult, const char **) = nullptr;

  bool loaded() const { return launchKernelEx != nullptr; }
  static const CudaDriverAPI &get();
};

} // namespace flagtree::launcher

#endif // FLAGTREE_LAUNCHER_CUDADRIVERAPI_H
