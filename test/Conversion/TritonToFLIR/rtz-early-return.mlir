// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir | FileCheck %s --enable-var-scope

// Rounding toward zero: the nearest value, one ulp nearer to zero (its
// integer bits minus one) where it is farther from zero than the input.
// CHECK-LABEL: func.func @fp_to_fp_rtz
// CHECK: %[[N:.*]] = arith.truncf %arg0 : tensor<8xf32> to tensor<8xf16>
// CHECK: %[[B:.*]] = arith.extf %[[N]] : tensor<8xf16> to tensor<8xf32>
// CHECK: %[[AX:.*]] = math.absf %arg0 : tensor<8xf32>
// CHECK: %[[AB:.*]] = math.absf %[[B]] : tensor<8xf32>
// CHECK: %[[FAR:.*]] = arith.cmpf ogt, %[[AB]], %[[AX]] : tensor<8xf32>
// CHECK: %[[ONE:.*]] = arith.constant dense<1> : tensor<8xi16>
// CHECK: %[[BITS:.*]] = arith.bitcast %[[N]] : tensor<8xf16> to tensor<8xi16>
// CHECK: %[[LESS:.*]] = arith.subi %[[BITS]], %[[ONE]] : tensor<8xi16>
// CHECK: %[[NEAR:.*]] = arith.bitcast %[[LESS]] : tensor<8xi16> to tensor<8xf16>
// CHECK: %[[R:.*]] = arith.select %[[FAR]], %[[NEAR]], %[[N]] : tensor<8xi1>, tensor<8xf16>
// CHECK: return %[[R]]
tt.func @fp_to_fp_rtz(%x: tensor<8xf32>) -> tensor<8xf16> {
  %y = tt.fp_to_fp %x, rounding = rtz : tensor<8xf32> -> tensor<8xf16>
  tt.return %y : tensor<8xf16>
}

// -----

// Rounding to nearest even is a plain truncf.
// CHECK-LABEL: func.func @fp_to_fp_rtne
// CHECK-NEXT: %[[N:.*]] = arith.truncf %arg0 : tensor<8xf64> to tensor<8xbf16>
// CHECK-NEXT: return %[[N]]
tt.func @fp_to_fp_rtne(%x: tensor<8xf64>) -> tensor<8xbf16> {
  %y = tt.fp_to_fp %x, rounding = rtne : tensor<8xf64> -> tensor<8xbf16>
  tt.return %y : tensor<8xbf16>
}

// -----

// A `return` before the end: the branches become an scf.if whose then
// region is empty.
// CHECK-LABEL: func.func @early_return
// CHECK-NOT: cf.
// CHECK: %[[C:.*]] = arith.cmpi sge, %arg2, %arg1 : i32
// CHECK: scf.if %[[C]] {
// CHECK-NEXT: } else {
// CHECK: memref.store %{{.*}}, %arg0[%{{.*}}] : memref<?xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return
tt.func @early_return(%p: !tt.ptr<f32>, %n: i32) {
  %pid = tt.get_program_id x : i32
  %c = arith.cmpi sge, %pid, %n : i32
  cf.cond_br %c, ^bb1, ^bb2
^bb1:
  tt.return
^bb2:
  %q = tt.addptr %p, %pid : !tt.ptr<f32>, i32
  %v = arith.constant 1.0 : f32
  tt.store %q, %v : !tt.ptr<f32>
  tt.return
}

// -----

// Returns with values: the scf.if yields the value each branch returns.
// CHECK-LABEL: func.func @early_return_value
// CHECK-NOT: cf.
// CHECK: %[[R:.*]] = scf.if %{{.*}} -> (f32) {
// CHECK-NEXT: scf.yield %arg0 : f32
// CHECK-NEXT: } else {
// CHECK-NEXT: %[[M:.*]] = arith.mulf %arg0, %arg0 : f32
// CHECK-NEXT: scf.yield %[[M]] : f32
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]] : f32
tt.func @early_return_value(%x: f32, %c: i1) -> f32 {
  cf.cond_br %c, ^bb1, ^bb2
^bb1:
  tt.return %x : f32
^bb2:
  %m = arith.mulf %x, %x : f32
  tt.return %m : f32
}
