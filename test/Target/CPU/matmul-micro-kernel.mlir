// RUN: flagtree-cpu-opt %s --split-input-file --flagtree-cpu-matmul-micro-kernel --cse | FileCheck %s

// A 64x32 by 32x64 tile: panels of 16 columns outside, blocks of 6 rows
// inside; each block keeps its accumulators in registers over the K loop.
// The 4 rows left in each panel take one block of 4 rows.
// CHECK-LABEL: func.func @tile
// CHECK-SAME:      (%[[A:.*]]: memref<64x32xf32>, %[[B:.*]]: memref<32x64xf32>, %[[C:.*]]: memref<64x64xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG:     %[[C60:.*]] = arith.constant 60 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK:         scf.for %[[J:.*]] = %[[C0]] to %{{.*}} step %[[C16]] {
// CHECK:           scf.for %[[I:.*]] = %[[C0]] to %[[C60]] step %[[C6]] {
// CHECK:             %[[ACC0:.*]] = vector.load %[[C]][%[[I]], %[[J]]] : memref<64x64xf32>, vector<16xf32>
// CHECK-COUNT-5:     vector.load %[[C]]
// CHECK:             %[[SUMS:.*]]:6 = scf.for %[[K:.*]] = %[[C0]] to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[ACC0]], {{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK:               %[[BROW:.*]] = vector.load %[[B]][%[[K]], %[[J]]] : memref<32x64xf32>, vector<16xf32>
// CHECK:               %[[AIK:.*]] = memref.load %[[A]][%[[I]], %[[K]]] : memref<64x32xf32>
// CHECK:               %[[SPLAT:.*]] = vector.broadcast %[[AIK]] : f32 to vector<16xf32>
// CHECK:               vector.fma %[[SPLAT]], %[[BROW]], %[[ACC]] : vector<16xf32>
// CHECK-COUNT-5:       vector.fma
// CHECK:               scf.yield
// CHECK:             vector.store %[[SUMS]]#0, %[[C]][%[[I]], %[[J]]] : memref<64x64xf32>, vector<16xf32>
// CHECK-COUNT-5:     vector.store
// CHECK:           vector.load %[[C]][%[[C60]], %[[J]]]
// CHECK:           scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NOT:     linalg.matmul
func.func @tile(%a: memref<64x32xf32>, %b: memref<32x64xf32>, %c: memref<64x64xf32>) {
  linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x64xf32>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// f16 rows of B are extended to f32 as they are loaded, the f16 A tile is
// converted once into an f32 buffer; an 8-column matrix is one narrower
// vector per row, and its 2 rows make one block.
// CHECK-LABEL: func.func @half_inputs
// CHECK-SAME:      (%[[A:.*]]: memref<2x5xf16>,
// CHECK:         %[[WIDE:.*]] = memref.alloc() : memref<2x5xf32>
// CHECK:         linalg.generic {{.*}} ins(%[[A]] : memref<2x5xf16>) outs(%[[WIDE]] : memref<2x5xf32>)
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK-NOT:     scf.for
// CHECK:         vector.load {{.*}} : memref<2x8xf32>, vector<8xf32>
// CHECK:         vector.load {{.*}} : memref<2x8xf32>, vector<8xf32>
// CHECK:         scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>) {
// CHECK:           %[[BROW:.*]] = vector.load {{.*}} : memref<5x8xf16>, vector<8xf16>
// CHECK:           %[[BWIDE:.*]] = arith.extf %[[BROW]] : vector<8xf16> to vector<8xf32>
// CHECK:           %[[AIK:.*]] = memref.load %[[WIDE]][{{.*}}] : memref<2x5xf32>
// CHECK:           %[[SPLAT:.*]] = vector.broadcast %[[AIK]] : f32 to vector<8xf32>
// CHECK:           vector.fma %[[SPLAT]], %[[BWIDE]], %{{.*}} : vector<8xf32>
func.func @half_inputs(%a: memref<2x5xf16>, %b: memref<5x8xf16>, %c: memref<2x8xf32>) {
  linalg.matmul ins(%a, %b : memref<2x5xf16>, memref<5x8xf16>) outs(%c : memref<2x8xf32>)
  return
}

// -----

// Dynamic extents: the columns left over are one masked panel, the rows
// left over in a panel take one row at a time.
// CHECK-LABEL: func.func @dynamic
// CHECK:         %[[ROWS:.*]] = memref.dim %{{.*}}, %[[C0:.*]] : memref<?x?xf32>
// CHECK:         %[[DEPTH:.*]] = memref.dim %{{.*}}, %{{.*}} : memref<?x?xf32>
// CHECK:         %[[COLS:.*]] = memref.dim %{{.*}}, %{{.*}} : memref<?x?xf32>
// CHECK:         %[[PANELS:.*]] = arith.divui %[[COLS]], %[[C16:.*]] : index
// CHECK:         %[[FULLCOLS:.*]] = arith.muli %[[PANELS]], %[[C16]] : index
// CHECK:         scf.for %[[J:.*]] = %[[C0]] to %[[FULLCOLS]] step %[[C16]] {
// CHECK:           %[[BLOCKS:.*]] = arith.divui %[[ROWS]], %[[C6:.*]] : index
// CHECK:           %[[FULL:.*]] = arith.muli %[[BLOCKS]], %[[C6]] : index
// CHECK:           scf.for %{{.*}} = %[[C0]] to %[[FULL]] step %[[C6]] {
// CHECK:             scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK:           scf.for %{{.*}} = %[[FULL]] to %[[ROWS]] step %{{.*}} {
// CHECK:             scf.for {{.*}} -> (vector<16xf32>) {
// CHECK:         %[[LEFT:.*]] = arith.subi %[[COLS]], %[[FULLCOLS]] : index
// CHECK:         %[[ANY:.*]] = arith.cmpi sgt, %[[LEFT]], %[[C0]] : index
// CHECK:         scf.if %[[ANY]] {
// CHECK:           scf.for
// CHECK:             %[[MASK:.*]] = vector.create_mask %[[LEFT]] : vector<16xi1>
// CHECK:             vector.maskedload %{{.*}}, %[[MASK]], %{{.*}} : memref<?x?xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK:             scf.for %{{.*}} = %[[C0]] to %[[DEPTH]]
// CHECK:               vector.maskedload
// CHECK:             vector.maskedstore %{{.*}}, %[[MASK]], %{{.*}} : memref<?x?xf32>, vector<16xi1>, vector<16xf32>
func.func @dynamic(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// A batched product runs the 2-D blocks on each batch's slices.
// CHECK-LABEL: func.func @batched
// CHECK-SAME:      (%[[A:.*]]: memref<3x6x4xf32>, %[[B:.*]]: memref<3x4x16xf32>, %[[C:.*]]: memref<3x6x16xf32>)
// CHECK:         scf.for %[[BATCH:.*]] = %{{.*}} to %{{.*}} step
// CHECK:           %[[A2:.*]] = memref.subview %[[A]][%[[BATCH]], 0, 0] [1, 6, 4] [1, 1, 1] : memref<3x6x4xf32> to memref<6x4xf32, strided<[4, 1], offset: ?>>
// CHECK:           %[[B2:.*]] = memref.subview %[[B]][%[[BATCH]], 0, 0] [1, 4, 16] [1, 1, 1]
// CHECK:           %[[C2:.*]] = memref.subview %[[C]][%[[BATCH]], 0, 0] [1, 6, 16] [1, 1, 1]
// CHECK:           vector.load %[[C2]]
// CHECK:           vector.load %[[B2]]
// CHECK:           memref.load %[[A2]]
// CHECK-NOT:     linalg.batch_matmul
func.func @batched(%a: memref<3x6x4xf32>, %b: memref<3x4x16xf32>, %c: memref<3x6x16xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x6x4xf32>, memref<3x4x16xf32>) outs(%c : memref<3x6x16xf32>)
  return
}

// -----

// Integer products, and B rows that are not contiguous, are left to the
// vectorizer.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     vector.fma
// CHECK:         linalg.matmul ins(%{{.*}}, %{{.*}} : memref<8x8xi32>, memref<8x8xi32>)
// CHECK:         linalg.matmul ins(%{{.*}}, %{{.*}} : memref<8x8xf32>, memref<8x8xf32, strided<[1, 8]>>)
func.func @left_alone(%a: memref<8x8xi32>, %b: memref<8x8xi32>, %c: memref<8x8xi32>,
                      %x: memref<8x8xf32>, %y: memref<8x8xf32, strided<[1, 8]>>, %z: memref<8x8xf32>) {
  linalg.matmul ins(%a, %b : memref<8x8xi32>, memref<8x8xi32>) outs(%c : memref<8x8xi32>)
  linalg.matmul ins(%x, %y : memref<8x8xf32>, memref<8x8xf32, strided<[1, 8]>>) outs(%z : memref<8x8xf32>)
  return
}
