// RUN: flagtree-cpu-opt %s --split-input-file --flagtree-cpu-vectorize-linalg | FileCheck %s

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// An element-wise op over a [2, 2, 2, 2] buffer walks 16 contiguous
// elements: one loop of two 8-lane vectors, not a nest of four loops.
// CHECK-LABEL: func.func @elementwise_nest
// CHECK-DAG:     %[[A:.*]] = memref.collapse_shape %arg0 {{\[\[}}0, 1, 2, 3]] : memref<2x2x2x2xf32> into memref<16xf32>
// CHECK-DAG:     %[[O:.*]] = memref.collapse_shape %arg1 {{\[\[}}0, 1, 2, 3]] : memref<2x2x2x2xf32> into memref<16xf32>
// CHECK:         scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK-NOT:       scf.for
// CHECK:           vector.transfer_read {{.*}} : memref<8xf32, strided<[1], offset: ?>>, vector<8xf32>
// CHECK:           arith.addf {{.*}} : vector<8xf32>
// CHECK:           vector.transfer_write
func.func @elementwise_nest(%a: memref<2x2x2x2xf32>, %out: memref<2x2x2x2xf32>) {
  linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a : memref<2x2x2x2xf32>) outs(%out : memref<2x2x2x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A broadcast along the last dimension: the three leading loops merge (the
// input walks them contiguously), the broadcast one stays apart. Its four
// elements take a vector of four: no mask.
// CHECK-LABEL: func.func @broadcast_last
// CHECK-DAG:     memref.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : memref<2x2x2xi32> into memref<8xi32>
// CHECK-DAG:     memref.collapse_shape %arg1 {{\[\[}}0, 1, 2], [3]] : memref<2x2x2x4xi32> into memref<8x4xi32>
// CHECK:         scf.for %{{.*}} = %c0 to %c8 step %c1
// CHECK:           scf.for %{{.*}} = %c0 to %c4 step %c4
// CHECK-NOT:         vector.create_mask
// CHECK:             vector.transfer_write {{.*}} {in_bounds = [true, true]} : vector<1x4xi32>
// CHECK-NOT:     linalg.broadcast
// CHECK-NOT:     vector.create_mask
// CHECK:         return
func.func @broadcast_last(%a: memref<2x2x2xi32>, %out: memref<2x2x2x4xi32>) {
  linalg.broadcast ins(%a : memref<2x2x2xi32>) outs(%out : memref<2x2x2x4xi32>) dimensions = [3]
  return
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// Rows of a strided view are not contiguous with each other: the two loops
// stay two.
// CHECK-LABEL: func.func @strided_rows
// CHECK-NOT:     memref.collapse_shape
// CHECK:         scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK:           scf.for
func.func @strided_rows(%a: memref<4x8xf32>, %out: memref<4x4xf32>) {
  %v = memref.subview %a[0, 0] [4, 4] [1, 1] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 1]>>
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%v : memref<4x4xf32, strided<[8, 1]>>) outs(%out : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

#rows = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#sums = affine_map<(d0, d1, d2) -> (d0)>

// Two reduction loops merge with each other, not with the parallel one.
// CHECK-LABEL: func.func @reduce_trailing
// CHECK-DAG:     memref.collapse_shape %arg0 {{\[\[}}0], [1, 2]] : memref<4x2x8xf32> into memref<4x16xf32>
// CHECK:         scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK:           scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK:             vector.multi_reduction <add>, {{.*}} [1] : vector<1x8xf32> to vector<1xf32>
func.func @reduce_trailing(%a: memref<4x2x8xf32>, %out: memref<4xf32>) {
  linalg.generic {indexing_maps = [#rows, #sums], iterator_types = ["parallel", "reduction", "reduction"]} ins(%a : memref<4x2x8xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%x: f32, %s: f32):
    %t = arith.addf %x, %s : f32
    linalg.yield %t : f32
  }
  return
}

// -----

#id2d = affine_map<(d0, d1) -> (d0, d1)>

// Dynamic sizes: whether the memory is contiguous is unknown, nothing merges.
// CHECK-LABEL: func.func @dynamic_rows
// CHECK-NOT:     memref.collapse_shape
func.func @dynamic_rows(%a: memref<?x?xf32, strided<[?, 1]>>, %out: memref<?x?xf32>) {
  linalg.generic {indexing_maps = [#id2d, #id2d], iterator_types = ["parallel", "parallel"]} ins(%a : memref<?x?xf32, strided<[?, 1]>>) outs(%out : memref<?x?xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

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
