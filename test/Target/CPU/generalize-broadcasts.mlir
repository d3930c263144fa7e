// RUN: flagtree-cpu-opt %s --flagtree-cpu-generalize-broadcasts | FileCheck %s

// A tensor broadcast becomes the equivalent linalg.generic, which
// element-wise fusion can then fold into the op that reads it.
// CHECK-DAG:   #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG:   #[[$ALL:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @row_to_tile
// CHECK-NOT:     linalg.broadcast
// CHECK:         %[[B:.*]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$ALL]]], iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<4xf32>) outs(%{{.*}} : tensor<4x8xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[IN]] : f32
// CHECK:         arith.addf %[[B]], %arg1 : tensor<4x8xf32>
func.func @row_to_tile(%row: tensor<4xf32>, %tile: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %b = linalg.broadcast ins(%row : tensor<4xf32>) outs(%e : tensor<4x8xf32>) dimensions = [1]
  %s = arith.addf %b, %tile : tensor<4x8xf32>
  return %s : tensor<4x8xf32>
}

// Broadcasts on buffers are left alone.
// CHECK-LABEL: func.func @on_buffers
// CHECK:         linalg.broadcast
func.func @on_buffers(%row: memref<4xf32>, %tile: memref<4x8xf32>) {
  linalg.broadcast ins(%row : memref<4xf32>) outs(%tile : memref<4x8xf32>) dimensions = [1]
  return
}
