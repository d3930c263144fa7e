// RUN: flagtree-opt %s --split-input-file --flagtree-lower-hints-to-ttir="honour=num_stages,shared_memory,unroll lane=nvidia" 2>&1 | FileCheck %s

// Remarks come first in the output.
// CHECK: remark: hint 'shared_memory' is ignored by the nvidia lane: outside a loop there is nothing to overlap the copy with
// CHECK: remark: hint 'shared_memory' is ignored by the nvidia lane: in a loop with tl.dot, Triton already stages

// shared_memory on a load in a loop without tl.dot: the load alone gets the
// latency Triton's pipeliner reads, one less than the loop's stages (the
// hinted num_stages=4 here), so that it is staged through shared memory.
// CHECK-LABEL: tt.func @staged_in_hinted_loop
tt.func @staged_in_hinted_loop(%p: tensor<64x!tt.ptr<f32>>, %n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    // CHECK: tt.load %{{.*}} {tt.latency = 3 : i32}
    %x = tt.load %p {ft.shared_memory} : tensor<64x!tt.ptr<f32>>
    // CHECK: tt.load %{{.*}} : tensor<64x!tt.ptr<f32>>
    %y = tt.load %p : tensor<64x!tt.ptr<f32>>
  // CHECK: } {tt.num_stages = 4 : i32}
  } {ft.num_stages = 4 : i32}
  tt.return
}

// -----

// Without a stage count on the loop, the back end's default of 3 stages.
// CHECK-LABEL: tt.func @staged_default
tt.func @staged_default(%p: tensor<64x!tt.ptr<f32>>, %n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    // CHECK: tt.load %{{.*}} {tt.latency = 2 : i32}
    %x = tt.load %p {ft.shared_memory} : tensor<64x!tt.ptr<f32>>
  }
  tt.return
}

// -----

// Outside a loop, and in a loop of tl.dot, the hint is ignored with a reason
// (the remarks, checked at the top of this file).
// CHECK-LABEL: tt.func @not_staged
tt.func @not_staged(%p: tensor<16x16x!tt.ptr<f16>>, %n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  // CHECK: tt.load %{{.*}} : tensor<16x16x!tt.ptr<f16>>
  %a = tt.load %p {ft.shared_memory} : tensor<16x16x!tt.ptr<f16>>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (tensor<16x16xf32>) : i32 {
    // CHECK-NOT: tt.latency
    %b = tt.load %p {ft.shared_memory} : tensor<16x16x!tt.ptr<f16>>
    %d = tt.dot %a, %b, %acc : tensor<16x16xf16> * tensor<16x16xf16> -> tensor<16x16xf32>
    scf.yield %d : tensor<16x16xf32>
  }
  tt.return
}

// -----

// unroll=N unrolls the loop here (Triton's own unrolling has already run):
// two loads per iteration, a step twice as long, and an epilogue loop for
// the remaining iterations of a trip count not known to divide.
// CHECK-LABEL: tt.func @unrolled
tt.func @unrolled(%p: tensor<64x!tt.ptr<f32>>, %n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  // CHECK: scf.for
  // CHECK-COUNT-2: tt.load
  // CHECK: scf.for
  // CHECK-COUNT-1: tt.load
  // CHECK-NOT: ft.unroll
  scf.for %i = %c0 to %n step %c1 : i32 {
    %x = tt.load %p : tensor<64x!tt.ptr<f32>>
  } {ft.unroll = 2 : i32}
  tt.return
}
