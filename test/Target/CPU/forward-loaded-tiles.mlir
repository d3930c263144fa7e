// RUN: flagtree-cpu-opt %s --split-input-file --flagtree-cpu-forward-loaded-tiles | FileCheck %s

#map = affine_map<(d0) -> (d0)>
#red = affine_map<(d0, d1) -> (d0, d1)>
#acc = affine_map<(d0, d1) -> (d1)>

// A masked row read twice (a sum through a view, then an element-wise
// op): both read the row itself when the copy is not clamped, the copy
// into the padded tile runs otherwise.
// CHECK-LABEL: func.func @row_read_twice
// CHECK-SAME:      (%[[X:.*]]: memref<?xf32>, %[[OUT:.*]]: memref<?xf32>, %[[N:.*]]: index)
// CHECK:         %[[T:.*]] = memref.alloc() : memref<256xf32>
// CHECK:         %[[V:.*]] = memref.reinterpret_cast %[[X]]
// CHECK:         %[[WHOLE:.*]] = arith.cmpi eq, %[[N]], %{{.*}} : index
// CHECK:         %[[SRC:.*]] = scf.if %{{.*}} -> (memref<256xf32, strided<[1], offset: ?>>) {
// CHECK-NEXT:      %[[C:.*]] = memref.cast %[[V]] : memref<?xf32, strided<[1], offset: ?>> to memref<256xf32, strided<[1], offset: ?>>
// CHECK-NEXT:      scf.yield %[[C]]
// CHECK-NEXT:    } else {
// CHECK-NEXT:      %[[TC:.*]] = memref.cast %[[T]] : memref<256xf32> to memref<256xf32, strided<[1], offset: ?>>
// CHECK:           linalg.fill
// CHECK:           linalg.copy ins(%[[V]]
// CHECK-NEXT:      scf.yield %[[TC]]
// CHECK-NEXT:    }
// CHECK:         memref.expand_shape %[[SRC]] {{\[\[}}0, 1]] output_shape [32, 8] : memref<256xf32, strided<[1], offset: ?>> into memref<32x8xf32, strided<[8, 1], offset: ?>>
// CHECK:         linalg.generic {{.*}} ins(%[[SRC]] : memref<256xf32, strided<[1], offset: ?>>)
func.func @row_read_twice(%x: memref<?xf32>, %out: memref<?xf32>, %n: index) {
  %zero = arith.constant 0.0 : f32
  %c256 = arith.constant 256 : index
  %t = memref.alloc() : memref<256xf32>
  %v = memref.reinterpret_cast %x to offset: [0], sizes: [%n], strides: [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
  %rest = arith.subi %c256, %n : index
  %tail = memref.subview %t[%n] [%rest] [1] : memref<256xf32> to memref<?xf32, strided<[1], offset: ?>>
  linalg.fill ins(%zero : f32) outs(%tail : memref<?xf32, strided<[1], offset: ?>>)
  %head = memref.subview %t[0] [%n] [1] : memref<256xf32> to memref<?xf32, strided<[1]>>
  linalg.copy ins(%v : memref<?xf32, strided<[1], offset: ?>>) outs(%head : memref<?xf32, strided<[1]>>)
  %sums = memref.alloc() : memref<8xf32>
  %rows = memref.expand_shape %t [[0, 1]] output_shape [32, 8] : memref<256xf32> into memref<32x8xf32>
  linalg.fill ins(%zero : f32) outs(%sums : memref<8xf32>)
  linalg.generic {indexing_maps = [#red, #acc], iterator_types = ["reduction", "parallel"]} ins(%rows : memref<32x8xf32>) outs(%sums : memref<8xf32>) {
  ^bb0(%a: f32, %s: f32):
    %r = arith.addf %s, %a : f32
    linalg.yield %r : f32
  }
  %c0 = arith.constant 0 : index
  %s0 = memref.load %sums[%c0] : memref<8xf32>
  %y = memref.alloc() : memref<256xf32>
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%t : memref<256xf32>) outs(%y : memref<256xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.subf %a, %s0 : f32
    linalg.yield %r : f32
  }
  %ov = memref.reinterpret_cast %out to offset: [0], sizes: [%n], strides: [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
  %ys = memref.subview %y[0] [%n] [1] : memref<256xf32> to memref<?xf32, strided<[1]>>
  memref.copy %ys, %ov : memref<?xf32, strided<[1]>> to memref<?xf32, strided<[1], offset: ?>>
  return
}

// -----

#map = affine_map<(d0) -> (d0)>

// A store to an argument between the copy and the last read could change
// what the copy holds: the tile keeps its copy.
// CHECK-LABEL: func.func @written_between
// CHECK-NOT:     scf.if
// CHECK:         linalg.copy
// CHECK:         memref.store
func.func @written_between(%x: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  %t = memref.alloc() : memref<64xf32>
  %v = memref.reinterpret_cast %x to offset: [0], sizes: [64], strides: [1] : memref<?xf32> to memref<64xf32, strided<[1], offset: ?>>
  linalg.copy ins(%v : memref<64xf32, strided<[1], offset: ?>>) outs(%t : memref<64xf32>)
  %a = memref.load %t[%c0] : memref<64xf32>
  memref.store %one, %x[%c0] : memref<?xf32>
  %b = memref.load %t[%c0] : memref<64xf32>
  %s = arith.addf %a, %b : f32
  return %s : f32
}

// -----

// An unmasked tile copied whole: readers read the view, the copy goes.
// CHECK-LABEL: func.func @whole_tile
// CHECK-SAME:      (%[[X:.*]]: memref<?xf32>)
// CHECK:         %[[V:.*]] = memref.reinterpret_cast %[[X]]
// CHECK-NOT:     linalg.copy
// CHECK:         memref.load %[[V]]
// CHECK:         memref.load %[[V]]
func.func @whole_tile(%x: memref<?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c5 = arith.constant 5 : index
  %t = memref.alloc() : memref<64xf32>
  %v = memref.reinterpret_cast %x to offset: [0], sizes: [64], strides: [1] : memref<?xf32> to memref<64xf32, strided<[1], offset: ?>>
  linalg.copy ins(%v : memref<64xf32, strided<[1], offset: ?>>) outs(%t : memref<64xf32>)
  %a = memref.load %t[%c0] : memref<64xf32>
  %b = memref.load %t[%c5] : memref<64xf32>
  %s = arith.addf %a, %b : f32
  return %s : f32
}

// -----

// A tile that a matmul reads keeps its (packing) copy.
// CHECK-LABEL: func.func @matmul_operand
// CHECK-NOT:     scf.if
// CHECK:         linalg.copy
// CHECK:         linalg.matmul
func.func @matmul_operand(%x: memref<?xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>) {
  %t = memref.alloc() : memref<8x8xf32>
  %v = memref.reinterpret_cast %x to offset: [0], sizes: [8, 8], strides: [8, 1] : memref<?xf32> to memref<8x8xf32, strided<[8, 1], offset: ?>>
  linalg.copy ins(%v : memref<8x8xf32, strided<[8, 1], offset: ?>>) outs(%t : memref<8x8xf32>)
  linalg.matmul ins(%t, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%c : memref<8x8xf32>)
  return
}

// -----

#red = affine_map<(d0, d1) -> (d0, d1)>
#acc = affine_map<(d0, d1) -> (d1)>

// A max reduction starts its accumulator from the tile's first slice: a
// rank-reducing subview of a view of the tile, copied out. It reads the
// row too, through the rebuilt views.
// CHECK-LABEL: func.func @first_slice_copied_out
// CHECK:         %[[SRC:.*]] = scf.if %{{.*}} -> (memref<64xf32, strided<[1], offset: ?>>)
// CHECK:         %[[ROWS:.*]] = memref.expand_shape %[[SRC]] {{\[\[}}0, 1]] output_shape [8, 8] : memref<64xf32, strided<[1], offset: ?>> into memref<8x8xf32, strided<[8, 1], offset: ?>>
// CHECK:         %[[FIRST:.*]] = memref.subview %[[ROWS]][0, 0] [1, 8] [1, 1] : memref<8x8xf32, strided<[8, 1], offset: ?>> to memref<8xf32, strided<[1], offset: ?>>
// CHECK:         memref.copy %[[FIRST]], %{{.*}} : memref<8xf32, strided<[1], offset: ?>> to memref<8xf32>
// CHECK:         %[[REST:.*]] = memref.subview %[[ROWS]][1, 0] [7, 8] [1, 1]
// CHECK:         linalg.generic {{.*}} ins(%[[REST]] :
func.func @first_slice_copied_out(%x: memref<?xf32>, %n: index) -> f32 {
  %ninf = arith.constant 0xFF800000 : f32
  %c64 = arith.constant 64 : index
  %c0 = arith.constant 0 : index
  %t = memref.alloc() : memref<64xf32>
  %v = memref.reinterpret_cast %x to offset: [0], sizes: [%n], strides: [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
  %rest = arith.subi %c64, %n : index
  %tail = memref.subview %t[%n] [%rest] [1] : memref<64xf32> to memref<?xf32, strided<[1], offset: ?>>
  linalg.fill ins(%ninf : f32) outs(%tail : memref<?xf32, strided<[1], offset: ?>>)
  %head = memref.subview %t[0] [%n] [1] : memref<64xf32> to memref<?xf32, strided<[1]>>
  linalg.copy ins(%v : memref<?xf32, strided<[1], offset: ?>>) outs(%head : memref<?xf32, strided<[1]>>)
  %rows = memref.expand_shape %t [[0, 1]] output_shape [8, 8] : memref<64xf32> into memref<8x8xf32>
  %first = memref.subview %rows[0, 0] [1, 8] [1, 1] : memref<8x8xf32> to memref<8xf32, strided<[1]>>
  %acc = memref.alloc() : memref<8xf32>
  memref.copy %first, %acc : memref<8xf32, strided<[1]>> to memref<8xf32>
  %others = memref.subview %rows[1, 0] [7, 8] [1, 1] : memref<8x8xf32> to memref<7x8xf32, strided<[8, 1], offset: 8>>
  linalg.generic {indexing_maps = [#red, #acc], iterator_types = ["reduction", "parallel"]} ins(%others : memref<7x8xf32, strided<[8, 1], offset: 8>>) outs(%acc : memref<8xf32>) {
  ^bb0(%a: f32, %m: f32):
    %r = arith.maxnumf %m, %a : f32
    linalg.yield %r : f32
  }
  %m0 = memref.load %acc[%c0] : memref<8xf32>
  return %m0 : f32
}
