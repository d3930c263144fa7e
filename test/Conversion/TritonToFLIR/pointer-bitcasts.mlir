// RUN: flagtree-opt %s --convert-triton-to-flir --canonicalize --cse | FileCheck %s

// Pointers cast to a type of the same width read and write the argument's
// memref in its own type; the values are bitcast instead.
// CHECK-LABEL: func.func @int_view
// CHECK-SAME: (%[[X:[^:]*]]: memref<?xf32>, %[[OUT:[^:]*]]: memref<?xf32>
// CHECK: memref.reinterpret_cast %[[X]]
// CHECK: %[[F:.*]] = bufferization.to_tensor %{{.*}} : memref<8xf32> to tensor<8xf32>
// CHECK: %[[I:.*]] = arith.bitcast %[[F]] : tensor<8xf32> to tensor<8xi32>
// CHECK: %[[SUM:.*]] = arith.addi %[[I]], %{{.*}} : tensor<8xi32>
// CHECK: %[[BACK:.*]] = arith.bitcast %[[SUM]] : tensor<8xi32> to tensor<8xf32>
// CHECK: %[[VIEW:.*]] = memref.reinterpret_cast %[[OUT]]
// CHECK: bufferization.materialize_in_destination %[[BACK]] in restrict writable %[[VIEW]]
tt.func @int_view(%x: !tt.ptr<f32>, %out: !tt.ptr<f32>) {
  %r = tt.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %xi = tt.bitcast %x : !tt.ptr<f32> -> !tt.ptr<i32>
  %sx = tt.splat %xi : !tt.ptr<i32> -> tensor<8x!tt.ptr<i32>>
  %px = tt.addptr %sx, %r : tensor<8x!tt.ptr<i32>>, tensor<8xi32>
  %v = tt.load %px : tensor<8x!tt.ptr<i32>>
  %w = arith.addi %v, %r : tensor<8xi32>
  %oi = tt.bitcast %out : !tt.ptr<f32> -> !tt.ptr<i32>
  %so = tt.splat %oi : !tt.ptr<i32> -> tensor<8x!tt.ptr<i32>>
  %po = tt.addptr %so, %r : tensor<8x!tt.ptr<i32>>, tensor<8xi32>
  tt.store %po, %w : tensor<8x!tt.ptr<i32>>
  tt.return
}
