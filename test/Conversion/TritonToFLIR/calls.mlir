// RUN: flagtree-opt %s --convert-triton-to-flir --canonicalize --cse | FileCheck %s

// A noinline helper is lowered at its call site, its pointer argument still
// reading the kernel's memref; the private helper itself is dropped.
// CHECK-LABEL: func.func @kernel
// CHECK-SAME: (%[[X:[^:]*]]: memref<?xf32>, %[[N:[^:]*]]: i32
// CHECK: %[[OFF:.*]] = arith.index_cast %[[N]] : i32 to index
// CHECK: %[[V:.*]] = memref.load %[[X]][%[[OFF]]] : memref<?xf32>
// CHECK: %[[W:.*]] = arith.mulf %[[V]], %[[V]] : f32
// CHECK: memref.store %[[W]], %[[X]][%c0] : memref<?xf32>
// CHECK-NOT: helper
tt.func @kernel(%x: !tt.ptr<f32>, %n: i32) {
  %v = tt.call @helper(%x, %n) : (!tt.ptr<f32>, i32) -> f32
  tt.store %x, %v : !tt.ptr<f32>
  tt.return
}
tt.func private @helper(%p: !tt.ptr<f32>, %i: i32) -> f32 attributes {noinline = true} {
  %q = tt.addptr %p, %i : !tt.ptr<f32>, i32
  %v = tt.load %q : !tt.ptr<f32>
  %w = arith.mulf %v, %v : f32
  tt.return %w : f32
}
