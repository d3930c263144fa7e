// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir --canonicalize --cse | FileCheck %s

// tt.scan walks its axis with scf.for; each step combines the previous
// result slice with the input slice in a linalg.generic holding the region.
// CHECK-LABEL: func.func @cumsum_rows
// CHECK-SAME: (%[[T:[^:]*]]: tensor<4x8xf32>
// CHECK: scf.for %[[I:.*]] = %c1 to %c8 step %c1 iter_args(%[[ACC:.*]] = %[[T]]) -> (tensor<4x8xf32>) {
// CHECK:   %[[PREV:.*]] = arith.subi %[[I]], %c1 : index
// CHECK:   %[[A:.*]] = tensor.extract_slice %[[ACC]][0, %[[PREV]]] [4, 1] [1, 1] : tensor<4x8xf32> to tensor<4xf32>
// CHECK:   %[[B:.*]] = tensor.extract_slice %[[T]][0, %[[I]]] [4, 1] [1, 1] : tensor<4x8xf32> to tensor<4xf32>
// CHECK:   %[[S:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<4xf32>, tensor<4xf32>)
// CHECK:     arith.addf
// CHECK:   %[[NEXT:.*]] = tensor.insert_slice %[[S]] into %[[ACC]][0, %[[I]]] [4, 1] [1, 1]
// CHECK:   scf.yield %[[NEXT]]
tt.func @cumsum_rows(%t: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = "tt.scan"(%t) <{axis = 1 : i32, reverse = false}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.scan.return %s : f32
  }) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  tt.return %r : tensor<4x8xf32>
}

// -----

// A reverse scan of two operands walks from the end; the previous slice is
// the one after the current position.
// CHECK-LABEL: func.func @reverse_pair
// CHECK: scf.for %[[I:.*]] = %c1 to %c16 step %c1 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<16xf32>, tensor<16xi32>) {
// CHECK:   %[[POS:.*]] = arith.subi %c15, %[[I]] : index
// CHECK:   %[[PREV:.*]] = arith.subi %c16, %[[I]] : index
// CHECK:   linalg.generic {{.*}} iterator_types = []
// CHECK:     arith.cmpf ogt
// CHECK:   tensor.insert_slice %{{.*}}[%[[POS]]] [1] [1] : tensor<f32> into tensor<16xf32>
// CHECK:   tensor.insert_slice %{{.*}}[%[[POS]]] [1] [1] : tensor<i32> into tensor<16xi32>
tt.func @reverse_pair(%v: tensor<16xf32>, %i: tensor<16xi32>) -> (tensor<16xf32>, tensor<16xi32>) {
  %r:2 = "tt.scan"(%v, %i) <{axis = 0 : i32, reverse = true}> ({
  ^bb0(%a: f32, %ai: i32, %b: f32, %bi: i32):
    %c = arith.cmpf ogt, %a, %b : f32
    %m = arith.select %c, %a, %b : f32
    %mi = arith.select %c, %ai, %bi : i32
    tt.scan.return %m, %mi : f32, i32
  }) : (tensor<16xf32>, tensor<16xi32>) -> (tensor<16xf32>, tensor<16xi32>)
  tt.return %r#0, %r#1 : tensor<16xf32>, tensor<16xi32>
}
