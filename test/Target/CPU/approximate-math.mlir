// RUN: flagtree-cpu-opt %s --split-input-file --flagtree-cpu-approximate-math | FileCheck %s

// Triton's f32 `/` (marked arcp) by one scalar for every lane: the scalar's
// scaled reciprocal is computed once, and each lane takes two products.
// CHECK-LABEL: func.func @by_scalar
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>, %[[S:.*]]: f32)
// CHECK-DAG: %[[ABS:.*]] = math.absf %[[S]] : f32
// CHECK-DAG: %[[LARGE:.*]] = arith.cmpf ogt, %[[ABS]], %{{.*}} : f32
// CHECK-DAG: %[[SMALL:.*]] = arith.cmpf olt, %[[ABS]], %{{.*}} : f32
// CHECK: %[[R:.*]] = arith.divf %{{.*}}, %[[S]] : f32
// CHECK: %[[RV:.*]] = vector.broadcast %[[R]] : f32 to vector<16xf32>
// CHECK: %[[P:.*]] = arith.mulf %[[X]], %[[RV]] : vector<16xf32>
// CHECK: %[[CV:.*]] = vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK: %[[Y:.*]] = arith.mulf %[[P]], %[[CV]] : vector<16xf32>
// CHECK-NOT: arith.divf {{.*}} vector<16xf32>
// CHECK: return %[[Y]]
func.func @by_scalar(%x: vector<16xf32>, %s: f32) -> vector<16xf32> {
  %b = vector.broadcast %s : f32 to vector<16xf32>
  %y = arith.divf %x, %b fastmath<arcp> : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// The one element of a reduction's vector<1xf32> is the scalar.
// CHECK-LABEL: func.func @by_one_element
// CHECK: %[[S:.*]] = vector.extract %arg1[0] : f32 from vector<1xf32>
// CHECK: arith.divf %{{.*}}, %[[S]] : f32
// CHECK-NOT: arith.divf {{.*}} vector<2x8xf32>
func.func @by_one_element(%x: vector<2x8xf32>, %s: vector<1xf32>) -> vector<2x8xf32> {
  %b = vector.broadcast %s : vector<1xf32> to vector<2x8xf32>
  %y = arith.divf %x, %b fastmath<arcp> : vector<2x8xf32>
  return %y : vector<2x8xf32>
}

// -----

// A splat constant divisor is a scalar constant.
// CHECK-LABEL: func.func @by_constant
// CHECK: %[[THREE:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: arith.divf %{{.*}}, %[[THREE]] : f32
// CHECK-NOT: arith.divf {{.*}} vector<8xf32>
func.func @by_constant(%x: vector<8xf32>) -> vector<8xf32> {
  %c = arith.constant dense<3.0> : vector<8xf32>
  %y = arith.divf %x, %c fastmath<arcp> : vector<8xf32>
  return %y : vector<8xf32>
}

// -----

// Left as divisions, with the arcp mark dropped so that LLVM does not use
// its own reciprocal: divisors that differ between lanes, scalar divisions,
// and f64.
// CHECK-LABEL: func.func @kept
// CHECK: arith.divf %arg0, %arg1 : vector<8xf32>
// CHECK: arith.divf %arg2, %arg3 : f32
// CHECK: arith.divf %{{.*}}, %{{.*}} : vector<4xf64>
// CHECK-NOT: arcp
func.func @kept(%x: vector<8xf32>, %y: vector<8xf32>, %a: f32, %b: f32, %d: vector<4xf64>, %e: f64) -> (vector<8xf32>, f32, vector<4xf64>) {
  %q = arith.divf %x, %y fastmath<arcp> : vector<8xf32>
  %r = arith.divf %a, %b fastmath<arcp> : f32
  %eb = vector.broadcast %e : f64 to vector<4xf64>
  %s = arith.divf %d, %eb fastmath<arcp> : vector<4xf64>
  return %q, %r, %s : vector<8xf32>, f32, vector<4xf64>
}

// -----

// Without the mark (tl.math.div_rn), a division stays correctly rounded.
// CHECK-LABEL: func.func @precise
// CHECK: arith.divf %arg0, %{{.*}} : vector<16xf32>
// CHECK-NOT: arith.mulf
func.func @precise(%x: vector<16xf32>, %s: f32) -> vector<16xf32> {
  %b = vector.broadcast %s : f32 to vector<16xf32>
  %y = arith.divf %x, %b : vector<16xf32>
  return %y : vector<16xf32>
}
