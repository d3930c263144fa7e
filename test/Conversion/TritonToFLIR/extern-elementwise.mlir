// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir --canonicalize --cse | FileCheck %s

// libdevice functions become the math or arith op computing the same thing.
// CHECK-LABEL: func.func @libdevice_f32
// CHECK: %[[T:.*]] = math.tanh %{{.*}} : tensor<8xf32>
// CHECK: %[[P:.*]] = math.powf %[[T]], %{{.*}} : tensor<8xf32>
// CHECK: %[[M:.*]] = arith.remf %[[P]], %{{.*}} : tensor<8xf32>
// CHECK: %[[R:.*]] = math.roundeven %[[M]] : tensor<8xf32>
// CHECK: math.atan2 %[[R]], %{{.*}} : tensor<8xf32>
tt.func @libdevice_f32(%x: tensor<8xf32>, %y: tensor<8xf32>) -> tensor<8xf32> {
  %t = tt.extern_elementwise %x {libname = "", libpath = "", pure = true, symbol = "__nv_tanhf"} : (tensor<8xf32>) -> tensor<8xf32>
  %p = tt.extern_elementwise %t, %y {libname = "", libpath = "", pure = true, symbol = "__nv_powf"} : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %m = tt.extern_elementwise %p, %y {libname = "", libpath = "", pure = true, symbol = "__nv_fmodf"} : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %r = tt.extern_elementwise %m {libname = "", libpath = "", pure = true, symbol = "__nv_rintf"} : (tensor<8xf32>) -> tensor<8xf32>
  %a = tt.extern_elementwise %r, %y {libname = "", libpath = "", pure = true, symbol = "__nv_atan2f"} : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  tt.return %a : tensor<8xf32>
}

// -----

// f64 variants drop no suffix (`erf` is erf); predicates return i32.
// CHECK-LABEL: func.func @libdevice_f64
// CHECK: %[[E:.*]] = math.erf %{{.*}} : f64
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[E]], %[[E]] : f64
// CHECK: arith.extui %[[NAN]] : i1 to i32
tt.func @libdevice_f64(%x: f64) -> i32 {
  %e = tt.extern_elementwise %x {libname = "", libpath = "", pure = true, symbol = "__nv_erf"} : (f64) -> f64
  %n = tt.extern_elementwise %e {libname = "", libpath = "", pure = true, symbol = "__nv_isnand"} : (f64) -> i32
  tt.return %n : i32
}
