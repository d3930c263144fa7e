// RUN: flagtree-opt %s --convert-triton-to-flir | FileCheck %s

// Shape ops: make_range, expand_dims, broadcast and trans become tensor and
// linalg ops.
// CHECK-LABEL: func.func @shapes
// CHECK: linalg.generic
// CHECK:   linalg.index 0
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 4] : tensor<4xi32> into tensor<1x4xi32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x4xi32> into tensor<4xi32>
// CHECK: %[[B:.*]] = linalg.broadcast ins(%{{.*}} : tensor<4xi32>) outs(%{{.*}} : tensor<2x4xi32>) dimensions = [0]
// CHECK: linalg.transpose ins(%[[B]] : tensor<2x4xi32>) outs(%{{.*}} : tensor<4x2xi32>) permutation = [1, 0]
tt.func @shapes() -> tensor<4x2xi32> {
  %r = tt.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %e = tt.expand_dims %r {axis = 0 : i32} : tensor<4xi32> -> tensor<1x4xi32>
  %b = tt.broadcast %e : tensor<1x4xi32> -> tensor<2x4xi32>
  %t = tt.trans %b {order = array<i32: 1, 0>} : tensor<2x4xi32> -> tensor<4x2xi32>
  tt.return %t : tensor<4x2xi32>
}
