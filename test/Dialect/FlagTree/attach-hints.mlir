// RUN: flagtree-opt %s --flagtree-attach-hints="table=%S/Inputs/hints.json" 2>&1 | FileCheck %s

// Hints reach the ops of their statement, by kind: the loop hint the loop,
// the access hints the load (line 7 is the statement's second line), and
// nothing else; a hint without an op of its kind is a warning at its line.
// CHECK: /k.py:11:30: warning: hint 'shared_memory' found no load op in the compiled kernel on this statement
// CHECK-LABEL: tt.func @kernel
tt.func @kernel(%p: !tt.ptr<f32>, %n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32> loc("/k.py":4:10)
  %ptrs = tt.splat %p : !tt.ptr<f32> -> tensor<64x!tt.ptr<f32>> loc("/k.py":6:10)
  %addrs = tt.addptr %ptrs, %r : tensor<64x!tt.ptr<f32>>, tensor<64xi32> loc("/k.py":6:12)
  // CHECK: scf.for
  scf.for %i = %c0 to %n step %c1 : i32 {
    // CHECK: tt.load %{{.*}} {ft.cache = "cg", ft.evict_first}
    %x = tt.load %addrs : tensor<64x!tt.ptr<f32>> loc("acc"("/k.py":7:16))
    // CHECK: tt.store %{{.*}}, %{{.*}} : tensor<64x!tt.ptr<f32>>
    tt.store %addrs, %x : tensor<64x!tt.ptr<f32>> loc("/k.py":8:4)
  // CHECK: } {ft.num_stages = 2 : i32}
  } loc("/k.py":5:4)
  // CHECK: scf.for
  scf.for %i = %c0 to %n step %c1 : i32 {
  // CHECK: } {ft.unroll = 4 : i32}
  } loc(callsite("/helper.py":3:4 at "/k.py":9:8))
  tt.return
}
