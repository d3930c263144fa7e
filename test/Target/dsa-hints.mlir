// RUN: flagtree-opt %s '--pass-pipeline=builtin.module(func.func(flagtree-lower-dsa-hints{target={"name": "toy-dsa", "dma": true, "local_memory_bytes": 65536, "memory_spaces": [{"name": "global", "id": 0}, {"name": "local", "id": 3}]}}))' | FileCheck %s --check-prefix=DSA
// RUN: flagtree-opt %s '--pass-pipeline=builtin.module(func.func(flagtree-lower-dsa-hints{target={"dma": false, "local_memory_bytes": 65536, "memory_spaces": [{"name": "global", "id": 0}, {"name": "local", "id": 3}]}}))' | FileCheck %s --check-prefix=NODMA
// RUN: flagtree-opt %s '--pass-pipeline=builtin.module(func.func(flagtree-lower-dsa-hints{target=host}))' | FileCheck %s --check-prefix=HOST
// RUN: flagtree-opt %s '--pass-pipeline=builtin.module(func.func(flagtree-lower-dsa-hints{target={"dma": true, "local_memory_bytes": 3000, "memory_spaces": [{"name": "global", "id": 0}, {"name": "local", "id": 3}]}}))' 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: flagtree-opt %s '--pass-pipeline=builtin.module(func.func(flagtree-lower-dsa-hints{target={"dma": true, "local_memory_bytes": 1000, "memory_spaces": [{"name": "global", "id": 0}, {"name": "local", "id": 3}]}}))' 2>&1 | FileCheck %s --check-prefix=FULL

// One hinted kernel (column sums of a 16x32 tile per iteration, read
// through a pointer the loop advances; the load is hinted `dma` in a loop
// hinted `num_stages=2`), as convert-triton-to-flir and bufferization
// leave it, compiled for five targets.

// A DSA with DMA: the tile gets two slots in local memory (space 3) and a
// tag per slot; the prologue starts the first iteration's DMA, each
// iteration starts the next one's (the pointer one step further) and
// waits for its own right before the first read of the tile.
// DSA-LABEL: func.func @column_sum
// DSA: %[[BUFS:.*]] = memref.alloc() : memref<2x16x32xf32, 3>
// DSA: %[[TAGS:.*]] = memref.alloc() : memref<2xi32>
// DSA: scf.if
// DSA:   %[[SLOT0:.*]] = memref.subview %[[BUFS]][%{{.*}}, 0, 0] [1, 16, 32] [1, 1, 1]
// DSA:   %[[VIEW0:.*]] = memref.reinterpret_cast %{{.*}} to offset: [%[[BASE:[0-9a-z_]+]]], sizes: [%{{.*}}, %{{.*}}], strides: [%[[STRIDE:[0-9a-z_]+]], 1]
// DSA:   %[[PART0:.*]] = memref.subview %[[SLOT0]][0, 0]
// DSA:   memref.dma_start %[[VIEW0]][%{{.*}}, %{{.*}}], %[[PART0]][%{{.*}}, %{{.*}}], %{{.*}}, %[[TAGS]][%{{.*}}], %[[STRIDE]], %{{.*}} : memref<?x?xf32, strided<[?, 1], offset: ?>>, memref<?x?xf32, strided<[32, 1], offset: ?>, 3>, memref<2xi32>
// DSA: scf.for %[[IV:[0-9a-z_]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %[[PTR:[0-9a-z_]+]] = %[[BASE]])
// DSA:   %[[SLOT:.*]] = arith.remsi
// DSA:   %[[MINE:.*]] = memref.subview %[[BUFS]][%[[SLOT]], 0, 0] [1, 16, 32] [1, 1, 1] : memref<2x16x32xf32, 3> to memref<16x32xf32, strided<[32, 1], offset: ?>, 3>
// DSA:   %[[NEXTSLOT:.*]] = arith.remsi
// DSA:   scf.if
// DSA:     %[[AHEAD:.*]] = arith.addi %[[PTR]], %{{.*}} : index
// DSA:     memref.subview %[[BUFS]][%[[NEXTSLOT]], 0, 0]
// DSA:     memref.reinterpret_cast %{{.*}} to offset: [%[[AHEAD]]]
// DSA:     memref.dma_start {{.*}}, %[[TAGS]][%[[NEXTSLOT]]]
// DSA:   linalg.fill
// DSA:   linalg.fill
// DSA-NOT: linalg.copy
// DSA:   memref.dma_wait %[[TAGS]][%[[SLOT]]]
// DSA-NEXT: linalg.reduce
// DSA-SAME: ins(%[[MINE]] : memref<16x32xf32, strided<[32, 1], offset: ?>, 3>)

// Local memory without DMA: the same slots, filled by plain copies issued
// one iteration ahead.
// NODMA-LABEL: func.func @column_sum
// NODMA: %[[BUFS:.*]] = memref.alloc() : memref<2x16x32xf32, 3>
// NODMA: scf.if
// NODMA:   linalg.copy {{.*}} outs(%{{.*}} : memref<?x?xf32, strided<[32, 1], offset: ?>, 3>)
// NODMA: scf.for
// NODMA:   scf.if
// NODMA:     linalg.copy {{.*}} outs(%{{.*}} : memref<?x?xf32, strided<[32, 1], offset: ?>, 3>)
// NODMA-NOT: memref.dma
// NODMA:   linalg.reduce

// The host: the tile stays packed in its buffer, which the bypass pass
// leaves alone, and each iteration prefetches the next iteration's tile,
// one cache line (16 floats) at a time along its contiguous rows.
// HOST-LABEL: func.func @column_sum
// HOST: scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}, %[[PTR:[0-9a-z_]+]] = %{{.*}})
// HOST:   scf.if
// HOST:     %[[AHEAD:.*]] = arith.addi %[[PTR]], %{{.*}} : index
// HOST:     %[[NEXT:.*]] = memref.reinterpret_cast %{{.*}} to offset: [%[[AHEAD]]]
// HOST:     %[[LINE:.*]] = arith.constant 16 : index
// HOST:     scf.for %[[ROW:[0-9a-z_]+]] = %{{.*}} to %{{.*}} step %{{.*}} {
// HOST:       scf.for %[[COL:[0-9a-z_]+]] = %{{.*}} to %{{.*}} step %[[LINE]] {
// HOST:         memref.prefetch %[[NEXT]][%[[ROW]], %[[COL]]], read, locality<3>, data
// HOST:   memref.alloc() {flir.packed} : memref<16x32xf32>
// HOST:   linalg.copy ins
// HOST-NOT: ft.dma

// Local memory for one tile but not for two: a warning at the load, and
// the tile is staged once, its DMA waited for right before its first use.
// ONE: warning: hint 'num_stages' is not applied to this load: 2 stages of its tile need 4096 bytes of local memory, and 3000 of the target's 3000 are left
// ONE-LABEL: func.func @column_sum
// ONE: scf.for
// ONE:   %[[TILE:.*]] = memref.alloc() : memref<16x32xf32, 3>
// ONE:   %[[TAG:.*]] = memref.alloc() : memref<1xi32>
// ONE:   memref.dma_start {{.*}}, %[[TAG]][%{{.*}}]
// ONE:   memref.dma_wait %[[TAG]]
// ONE-NEXT: linalg.reduce {{.*}} ins(%[[TILE]] : memref<16x32xf32, 3>)

// Not even one tile fits: a warning, and the plain form.
// FULL: warning: hint 'dma' is not applied: the tile needs 2048 bytes of local memory, and 1000 of the target's 1000 are left
// FULL-NOT: warning
// FULL-LABEL: func.func @column_sum
// FULL: memref.alloc() : memref<16x32xf32>
// FULL: linalg.copy ins
// FULL-NOT: memref.dma_start
#map = affine_map<(d0) -> (d0)>
module {
  memref.global "private" constant @zeros : memref<32xf32> = dense<0.000000e+00> {alignment = 64 : i64}
  func.func @column_sum(%x: memref<?xf32>, %out: memref<?xf32>, %M: i32, %N: i32, %stride: i32, %pid: i32) {
    %c32_i32 = arith.constant 32 : i32
    %c16_i32 = arith.constant 16 : i32
    %c0_i32 = arith.constant 0 : i32
    %cst = arith.constant 0.000000e+00 : f32
    %c32 = arith.constant 32 : index
    %c16 = arith.constant 16 : index
    %c0 = arith.constant 0 : index
    %0 = memref.get_global @zeros : memref<32xf32>
    %1 = arith.muli %pid, %c32_i32 : i32
    %2 = arith.index_cast %1 : i32 to index
    %3 = arith.index_cast %stride : i32 to index
    %alloc = memref.alloc() {alignment = 64 : i64} : memref<32xf32>
    memref.copy %0, %alloc : memref<32xf32> to memref<32xf32>
    %4:2 = scf.for %iv = %c0_i32 to %M step %c16_i32 iter_args(%acc = %alloc, %ptr = %2) -> (memref<32xf32>, index)  : i32 {
      %9 = arith.index_cast %iv : i32 to index
      %10 = arith.index_cast %M : i32 to index
      %11 = arith.subi %10, %9 : index
      %12 = arith.index_cast %N : i32 to index
      %13 = arith.subi %12, %2 : index
      %tile = memref.alloc() : memref<16x32xf32>
      %14 = arith.minsi %11, %c16 : index
      %15 = arith.maxsi %14, %c0 : index
      %16 = arith.minsi %13, %c32 : index
      %17 = arith.maxsi %16, %c0 : index
      %view = memref.reinterpret_cast %x to offset: [%ptr], sizes: [%15, %17], strides: [%3, 1] : memref<?xf32> to memref<?x?xf32, strided<[?, 1], offset: ?>>
      %18 = arith.subi %c16, %15 : index
      %rows = memref.subview %tile[%15, 0] [%18, 32] [1, 1] : memref<16x32xf32> to memref<?x32xf32, strided<[32, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%rows : memref<?x32xf32, strided<[32, 1], offset: ?>>)
      %19 = arith.subi %c32, %17 : index
      %cols = memref.subview %tile[0, %17] [%15, %19] [1, 1] : memref<16x32xf32> to memref<?x?xf32, strided<[32, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%cols : memref<?x?xf32, strided<[32, 1], offset: ?>>)
      %valid = memref.subview %tile[0, 0] [%15, %17] [1, 1] : memref<16x32xf32> to memref<?x?xf32, strided<[32, 1]>>
      linalg.copy {ft.dma, ft.num_stages = 2 : i32} ins(%view : memref<?x?xf32, strided<[?, 1], offset: ?>>) outs(%valid : memref<?x?xf32, strided<[32, 1]>>)
      %sums = memref.alloc() {alignment = 64 : i64} : memref<32xf32>
      linalg.reduce { arith.addf } ins(%tile : memref<16x32xf32>) outs(%sums : memref<32xf32>) dimensions = [0]
      %next = memref.alloc() {alignment = 64 : i64} : memref<32xf32>
      linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]} ins(%acc, %sums : memref<32xf32>, memref<32xf32>) outs(%next : memref<32xf32>) {
      ^bb0(%in: f32, %in_9: f32, %o: f32):
        %23 = arith.addf %in, %in_9 : f32
        linalg.yield %23 : f32
      }
      %20 = arith.muli %stride, %c16_i32 : i32
      %21 = arith.index_cast %20 : i32 to index
      %22 = arith.addi %ptr, %21 : index
      scf.yield %next, %22 : memref<32xf32>, index
    } {ft.num_stages = 2 : i32}
    %res = memref.reinterpret_cast %out to offset: [%2], sizes: [32], strides: [1] : memref<?xf32> to memref<32xf32, strided<[1], offset: ?>>
    memref.copy %4#0, %res : memref<32xf32> to memref<32xf32, strided<[1], offset: ?>>
    return
  }
}
