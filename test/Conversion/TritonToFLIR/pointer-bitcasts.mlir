// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir --canonicalize --cse | FileCheck %s

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

// -----

// A cast to another width makes the pointer its address: the accesses
// through it are LLVM accesses, marked with the number of the argument
// the pointer came from (here the second), for the bounds-checked mode.
// CHECK-LABEL: func.func @words_of_second
// CHECK-SAME: (%[[OUT:[^:]*]]: memref<?xi32>, %[[BYTES:[^:]*]]: memref<?xi8>
// CHECK: memref.extract_aligned_pointer_as_index %[[BYTES]]
// CHECK: llvm.load %{{.*}} {alignment = 4 : i64, flir.cast_access = 1 : i64} : !llvm.ptr -> i32
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64, flir.cast_access = 1 : i64} : i32, !llvm.ptr
tt.func @words_of_second(%out: !tt.ptr<i32>, %bytes: !tt.ptr<i8>) {
  %r = tt.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %w = tt.bitcast %bytes : !tt.ptr<i8> -> !tt.ptr<i32>
  %s = tt.splat %w : !tt.ptr<i32> -> tensor<4x!tt.ptr<i32>>
  %p = tt.addptr %s, %r : tensor<4x!tt.ptr<i32>>, tensor<4xi32>
  %v = tt.load %p : tensor<4x!tt.ptr<i32>>
  %one = arith.constant dense<1> : tensor<4xi32>
  %n = arith.addi %v, %one : tensor<4xi32>
  tt.store %p, %n : tensor<4x!tt.ptr<i32>>
  %so = tt.splat %out : !tt.ptr<i32> -> tensor<4x!tt.ptr<i32>>
  %po = tt.addptr %so, %r : tensor<4x!tt.ptr<i32>>, tensor<4xi32>
  tt.store %po, %v : tensor<4x!tt.ptr<i32>>
  tt.return
}

// -----

// A pointer made from an integer is an address already: its casts are
// not the argument's, and carry no mark.
// CHECK-LABEL: func.func @words_of_address
// CHECK: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> i32
// CHECK-NOT: flir.cast_access
tt.func @words_of_address(%out: !tt.ptr<i32>, %at: i64) {
  %r = tt.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %b = tt.int_to_ptr %at : i64 -> !tt.ptr<i8>
  %w = tt.bitcast %b : !tt.ptr<i8> -> !tt.ptr<i32>
  %s = tt.splat %w : !tt.ptr<i32> -> tensor<4x!tt.ptr<i32>>
  %p = tt.addptr %s, %r : tensor<4x!tt.ptr<i32>>, tensor<4xi32>
  %v = tt.load %p : tensor<4x!tt.ptr<i32>>
  %so = tt.splat %out : !tt.ptr<i32> -> tensor<4x!tt.ptr<i32>>
  %po = tt.addptr %so, %r : tensor<4x!tt.ptr<i32>>, tensor<4xi32>
  tt.store %po, %v : tensor<4x!tt.ptr<i32>>
  tt.return
}
