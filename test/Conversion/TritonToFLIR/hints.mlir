// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir 2>/dev/null | FileCheck %s
// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// The access hints of a load, and the stage count of the loop right around
// it, move onto the copy the load becomes; the loop keeps its own hint.
// CHECK-LABEL: func.func @hinted_loop
// CHECK: scf.for
// CHECK:   linalg.copy {ft.dma, ft.num_stages = 3 : i32, ft.vectorize = 4 : i32} ins
// CHECK: } {ft.num_stages = 3 : i32}
tt.func @hinted_loop(%x: !tt.ptr<f32>, %n: i32) -> tensor<64xf32> {
  %c0 = arith.constant 0 : i32
  %c64 = arith.constant 64 : i32
  %zero = arith.constant dense<0.000000e+00> : tensor<64xf32>
  %range = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %xs = tt.splat %x : !tt.ptr<f32> -> tensor<64x!tt.ptr<f32>>
  %sum = scf.for %k = %c0 to %n step %c64 iter_args(%acc = %zero) -> (tensor<64xf32>) : i32 {
    %ks = tt.splat %k : i32 -> tensor<64xi32>
    %offs = arith.addi %ks, %range : tensor<64xi32>
    %xp = tt.addptr %xs, %offs : tensor<64x!tt.ptr<f32>>, tensor<64xi32>
    %v = tt.load %xp {ft.dma, ft.vectorize = 4 : i32} : tensor<64x!tt.ptr<f32>>
    %next = arith.addf %acc, %v : tensor<64xf32>
    scf.yield %next : tensor<64xf32>
  } {ft.num_stages = 3 : i32}
  tt.return %sum : tensor<64xf32>
}

// -----

// `vectorize` on a store: the store becomes a copy out of the tile's
// buffer, which carries the hint.
// CHECK-LABEL: func.func @hinted_store
// CHECK: %[[BUF:.*]] = bufferization.to_buffer %{{.*}} read_only
// CHECK: linalg.copy {ft.vectorize = 8 : i32} ins(%[[BUF]] : {{.*}}) outs
tt.func @hinted_store(%x: !tt.ptr<f32>, %v: tensor<64xf32>) {
  %range = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %xs = tt.splat %x : !tt.ptr<f32> -> tensor<64x!tt.ptr<f32>>
  %xp = tt.addptr %xs, %range : tensor<64x!tt.ptr<f32>>, tensor<64xi32>
  tt.store %xp, %v {ft.vectorize = 8 : i32} : tensor<64x!tt.ptr<f32>>
  tt.return
}

// -----

// A hinted load that becomes a gather is reported where it was written.
// REMARK: remark: hint 'shared_memory' is not applied: the load is not a strided tile
tt.func @not_a_tile(%x: !tt.ptr<f32>, %idx: !tt.ptr<i32>) {
  %range = tt.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %is = tt.splat %idx : !tt.ptr<i32> -> tensor<32x!tt.ptr<i32>>
  %ip = tt.addptr %is, %range : tensor<32x!tt.ptr<i32>>, tensor<32xi32>
  %i = tt.load %ip : tensor<32x!tt.ptr<i32>>
  %xs = tt.splat %x : !tt.ptr<f32> -> tensor<32x!tt.ptr<f32>>
  %xp = tt.addptr %xs, %i : tensor<32x!tt.ptr<f32>>, tensor<32xi32>
  %v = tt.load %xp {ft.shared_memory} : tensor<32x!tt.ptr<f32>>
  tt.store %xp, %v : tensor<32x!tt.ptr<f32>>
  tt.return
}

// -----

// A loop hint with no load staged through local memory in the loop is
// reported at the loop.
// REMARK: remark: hint 'num_stages' is not applied: FLIR targets pipeline the loads of the loop hinted shared_memory or dma, and this loop has none
tt.func @nothing_to_stage(%x: !tt.ptr<f32>, %n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %range = tt.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %xs = tt.splat %x : !tt.ptr<f32> -> tensor<32x!tt.ptr<f32>>
  %xp = tt.addptr %xs, %range : tensor<32x!tt.ptr<f32>>, tensor<32xi32>
  scf.for %k = %c0 to %n step %c1 : i32 {
    %v = tt.load %xp : tensor<32x!tt.ptr<f32>>
    tt.store %xp, %v : tensor<32x!tt.ptr<f32>>
  } {ft.num_stages = 2 : i32}
  tt.return
}
