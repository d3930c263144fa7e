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

// -----

// Functions with no math op call the C library's, element by element: the
// f32 name carries `f`, the f64 one none. `signbit` reads the top bit.
// CHECK-DAG: func.func private @hypotf(f32, f32) -> f32
// CHECK-DAG: func.func private @lgamma(f64) -> f64
// CHECK-LABEL: func.func @libdevice_libm
// CHECK: linalg.generic
// CHECK: func.call @hypotf(%{{.*}}, %{{.*}}) : (f32, f32) -> f32
// CHECK: %[[W:.*]] = arith.bitcast %{{.*}} : tensor<8xf32> to tensor<8xi32>
// CHECK: arith.shrui %[[W]], %{{.*}} : tensor<8xi32>
// CHECK: %[[L:.*]] = call @lgamma(%{{.*}}) : (f64) -> f64
// CHECK: %[[B:.*]] = arith.bitcast %[[L]] : f64 to i64
// CHECK: %[[S:.*]] = arith.shrui %[[B]], %{{.*}} : i64
// CHECK: arith.trunci %[[S]] : i64 to i32
tt.func @libdevice_libm(%x: tensor<8xf32>, %y: tensor<8xf32>, %z: f64) -> (tensor<8xi32>, i32) {
  %h = tt.extern_elementwise %x, %y {libname = "", libpath = "", pure = true, symbol = "__nv_hypotf"} : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %s = tt.extern_elementwise %h {libname = "", libpath = "", pure = true, symbol = "__nv_signbitf"} : (tensor<8xf32>) -> tensor<8xi32>
  %l = tt.extern_elementwise %z {libname = "", libpath = "", pure = true, symbol = "__nv_lgamma"} : (f64) -> f64
  %t = tt.extern_elementwise %l {libname = "", libpath = "", pure = true, symbol = "__nv_signbitd"} : (f64) -> i32
  tt.return %s, %t : tensor<8xi32>, i32
}
