// RUN: flagtree-cpu-opt %s --flagtree-cpu-vectorize-linalg | FileCheck %s

// An argmax step: a reduction of (value, index) pairs along rows, whose
// combiner is no vector reduction kind. Tiled one row at a time, each tile
// reduces a loop of one iteration: it becomes an element-wise op over the
// row, vectorized (a select per operand), not a scalar loop.
// CHECK-LABEL: func.func @argmax_rows
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK-NOT:         linalg.
// CHECK:             %[[V:.*]] = vector.transfer_read {{.*}} : memref<8xf32, {{.*}}>, vector<8xf32>
// CHECK:             %[[I:.*]] = vector.transfer_read {{.*}} : memref<8xi32, {{.*}}>, vector<8xi32>
// CHECK:             arith.cmpf ogt, {{.*}} : vector<8xf32>
// CHECK:             arith.select {{.*}} : vector<8xi1>, vector<8xf32>
// CHECK:             arith.select {{.*}} : vector<8xi1>, vector<8xi32>
// CHECK:             vector.transfer_write
// CHECK:             vector.transfer_write
// CHECK-NOT:     linalg.reduce
func.func @argmax_rows(%v: memref<7x64xf32>, %i: memref<7x64xi32>, %best: memref<64xf32>, %at: memref<64xi32>) {
  linalg.reduce ins(%v, %i : memref<7x64xf32>, memref<7x64xi32>) outs(%best, %at : memref<64xf32>, memref<64xi32>) dimensions = [0]
    (%x: f32, %j: i32, %m: f32, %k: i32) {
      %eq = arith.cmpf oeq, %m, %x : f32
      %lt = arith.cmpi slt, %k, %j : i32
      %tie = arith.andi %eq, %lt : i1
      %gt = arith.cmpf ogt, %m, %x : f32
      %keep = arith.ori %gt, %tie : i1
      %nm = arith.select %keep, %m, %x : f32
      %nk = arith.select %keep, %k, %j : i32
      linalg.yield %nm, %nk : f32, i32
    }
  return
}
