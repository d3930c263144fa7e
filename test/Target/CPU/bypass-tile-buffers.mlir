// RUN: flagtree-cpu-opt %s --split-input-file --flagtree-cpu-bypass-tile-buffers --canonicalize | FileCheck %s

#map = affine_map<(d0) -> (d0)>

// Unmasked loads and store: whole tiles copied in and out, no subviews.
// The generic reads the argument views and writes the stored view
// directly when they do not overlap; the buffered form stays for when
// they do.
// CHECK-LABEL: func.func @whole_tiles
// CHECK-SAME:      (%[[X:.*]]: memref<?xf32>, %[[Y:.*]]: memref<?xf32>, %[[OUT:.*]]: memref<?xf32>, %[[OFF:.*]]: index)
// CHECK-DAG:     %[[XV:.*]] = memref.reinterpret_cast %[[X]]
// CHECK-DAG:     %[[YV:.*]] = memref.reinterpret_cast %[[Y]]
// CHECK-DAG:     %[[OV:.*]] = memref.reinterpret_cast %[[OUT]]
// CHECK:         scf.if %{{.*}} {
// CHECK-NEXT:      linalg.generic {{.*}} ins(%[[XV]], %[[YV]] : {{.*}}) outs(%[[OV]] : {{.*}})
// CHECK:         } else {
// CHECK-NEXT:      linalg.copy ins(%[[XV]] : {{.*}}) outs(%[[XB:.*]] : memref<256xf32>)
// CHECK-NEXT:      linalg.copy ins(%[[YV]] : {{.*}}) outs(%[[YB:.*]] : memref<256xf32>)
// CHECK-NEXT:      linalg.generic {{.*}} ins(%[[XB]], %[[YB]] : {{.*}}) outs(%[[OB:.*]] : memref<256xf32>)
// CHECK:           memref.copy %[[OB]], %[[OV]]
// CHECK-NEXT:    }
// CHECK-NEXT:    return
func.func @whole_tiles(%x: memref<?xf32>, %y: memref<?xf32>, %out: memref<?xf32>, %off: index) {
  %xb = memref.alloc() : memref<256xf32>
  %xv = memref.reinterpret_cast %x to offset: [%off], sizes: [256], strides: [1] : memref<?xf32> to memref<256xf32, strided<[1], offset: ?>>
  linalg.copy ins(%xv : memref<256xf32, strided<[1], offset: ?>>) outs(%xb : memref<256xf32>)
  %yb = memref.alloc() : memref<256xf32>
  %yv = memref.reinterpret_cast %y to offset: [%off], sizes: [256], strides: [1] : memref<?xf32> to memref<256xf32, strided<[1], offset: ?>>
  linalg.copy ins(%yv : memref<256xf32, strided<[1], offset: ?>>) outs(%yb : memref<256xf32>)
  %ob = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]} ins(%xb, %yb : memref<256xf32>, memref<256xf32>) outs(%ob : memref<256xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  %ov = memref.reinterpret_cast %out to offset: [%off], sizes: [256], strides: [1] : memref<?xf32> to memref<256xf32, strided<[1], offset: ?>>
  memref.copy %ob, %ov : memref<256xf32> to memref<256xf32, strided<[1], offset: ?>>
  return
}

// -----

#map = affine_map<(d0) -> (d0)>

// A masked store: the generic runs over the stored (clamped) extent only.
// CHECK-LABEL: func.func @clamped_store
// CHECK-SAME:      (%[[X:.*]]: memref<?xf32>, %[[OUT:.*]]: memref<?xf32>, %[[OFF:.*]]: index, %[[N:.*]]: index)
// CHECK:         %[[XS:.*]] = memref.subview %[[XV:.*]][0] [%[[N]]] [1]
// CHECK:         scf.if %{{.*}} {
// CHECK-NEXT:      linalg.generic {{.*}} ins(%[[XS]] : {{.*}}) outs(%[[OV:.*]] : {{.*}})
// CHECK:         } else {
// CHECK:           linalg.copy
// CHECK:           linalg.generic
// CHECK:           memref.copy
// CHECK-NEXT:    }
func.func @clamped_store(%x: memref<?xf32>, %out: memref<?xf32>, %off: index, %n: index) {
  %xb = memref.alloc() : memref<256xf32>
  %xv = memref.reinterpret_cast %x to offset: [%off], sizes: [256], strides: [1] : memref<?xf32> to memref<256xf32, strided<[1], offset: ?>>
  linalg.copy ins(%xv : memref<256xf32, strided<[1], offset: ?>>) outs(%xb : memref<256xf32>)
  %ob = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%xb : memref<256xf32>) outs(%ob : memref<256xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  }
  %ov = memref.reinterpret_cast %out to offset: [%off], sizes: [%n], strides: [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
  %os = memref.subview %ob[0] [%n] [1] : memref<256xf32> to memref<?xf32, strided<[1]>>
  memref.copy %os, %ov : memref<?xf32, strided<[1]>> to memref<?xf32, strided<[1], offset: ?>>
  return
}
