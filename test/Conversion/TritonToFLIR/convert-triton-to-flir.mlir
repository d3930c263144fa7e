// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir --canonicalize --cse | FileCheck %s

// Pointer arguments become memrefs; program ids become trailing i32 arguments.
// CHECK-LABEL: func.func @program_ids
// CHECK-SAME: (%[[X:[^:]*]]: memref<?xf32>, %[[PID:[^:]*]]: i32 {flir.grid = "pid_x"}, %{{.*}}: i32 {flir.grid = "pid_y"}, %{{.*}}: i32 {flir.grid = "pid_z"}, %[[NUM:[^:]*]]: i32 {flir.grid = "num_x"}, %{{.*}}: i32 {flir.grid = "num_y"}, %{{.*}}: i32 {flir.grid = "num_z"})
// CHECK: %[[SUM:.*]] = arith.addi %[[PID]], %[[NUM]] : i32
// CHECK: %[[V:.*]] = arith.sitofp %[[SUM]]
// CHECK: %[[OFF:.*]] = arith.index_cast %[[PID]] : i32 to index
// CHECK: memref.store %[[V]], %[[X]][%[[OFF]]] : memref<?xf32>
tt.func @program_ids(%x: !tt.ptr<f32>) {
  %pid = tt.get_program_id x : i32
  %num = tt.get_num_programs x : i32
  %s = arith.addi %pid, %num : i32
  %v = arith.sitofp %s : i32 to f32
  %p = tt.addptr %x, %pid : !tt.ptr<f32>, i32
  tt.store %p, %v : !tt.ptr<f32>
  tt.return
}

// -----

// A load and a store masked by `offs < n` copy through a view clamped to n.
// CHECK-LABEL: func.func @masked_copy
// CHECK-SAME: (%[[X:[^:]*]]: memref<?xf32>, %[[Y:[^:]*]]: memref<?xf32>, %[[N:[^:]*]]: i32, %[[PID:[^:]*]]: i32
// CHECK: %[[BASE:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<64xf32>
// CHECK: %[[VALID:.*]] = arith.maxsi %{{.*}}, %c0 : index
// CHECK: %[[VIEW:.*]] = memref.reinterpret_cast %[[X]] to offset: [%[[BASE]]], sizes: [%[[VALID]]], strides: [1]
// CHECK: %[[SUB:.*]] = memref.subview %[[BUF]][0] [%[[VALID]]] [1]
// CHECK: linalg.copy ins(%[[VIEW]] : {{.*}}) outs(%[[SUB]] : {{.*}})
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[BUF]] restrict writable
// CHECK: %[[OUT:.*]] = memref.reinterpret_cast %[[Y]] to offset: [%[[BASE]]], sizes: [%[[VALID]]], strides: [1]
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[T]][0] [%[[VALID]]] [1]
// CHECK: bufferization.materialize_in_destination %[[SLICE]] in restrict writable %[[OUT]]
tt.func @masked_copy(%x: !tt.ptr<f32>, %y: !tt.ptr<f32>, %n: i32) {
  %c64 = arith.constant 64 : i32
  %pid = tt.get_program_id x : i32
  %start = arith.muli %pid, %c64 : i32
  %range = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %starts = tt.splat %start : i32 -> tensor<64xi32>
  %offs = arith.addi %starts, %range : tensor<64xi32>
  %ns = tt.splat %n : i32 -> tensor<64xi32>
  %mask = arith.cmpi slt, %offs, %ns : tensor<64xi32>
  %xs = tt.splat %x : !tt.ptr<f32> -> tensor<64x!tt.ptr<f32>>
  %xp = tt.addptr %xs, %offs : tensor<64x!tt.ptr<f32>>, tensor<64xi32>
  %v = tt.load %xp, %mask : tensor<64x!tt.ptr<f32>>
  %ys = tt.splat %y : !tt.ptr<f32> -> tensor<64x!tt.ptr<f32>>
  %yp = tt.addptr %ys, %offs : tensor<64x!tt.ptr<f32>>, tensor<64xi32>
  tt.store %yp, %v, %mask : tensor<64x!tt.ptr<f32>>
  tt.return
}

// -----

// A masked load with `other` fills the part of the buffer past the valid
// extent with it, then copies the valid extent.
// CHECK-LABEL: func.func @masked_other
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<16xf32>
// CHECK: %[[VALID:.*]] = arith.maxsi
// CHECK: %[[REST:.*]] = arith.subi %c16, %[[VALID]] : index
// CHECK: %[[TAIL:.*]] = memref.subview %[[BUF]][%[[VALID]]] [%[[REST]]] [1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[TAIL]] : memref<?xf32, strided<[1], offset: ?>>)
// CHECK: linalg.copy
tt.func @masked_other(%x: !tt.ptr<f32>, %n: i32) -> tensor<16xf32> {
  %other = arith.constant dense<0xFF800000> : tensor<16xf32>
  %range = tt.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %ns = tt.splat %n : i32 -> tensor<16xi32>
  %mask = arith.cmpi slt, %range, %ns : tensor<16xi32>
  %xs = tt.splat %x : !tt.ptr<f32> -> tensor<16x!tt.ptr<f32>>
  %xp = tt.addptr %xs, %range : tensor<16x!tt.ptr<f32>>, tensor<16xi32>
  %v = tt.load %xp, %mask, %other : tensor<16x!tt.ptr<f32>>
  tt.return %v : tensor<16xf32>
}

// -----

// Offsets read from memory are not affine: the load falls back to a gather
// that reads base[offset] under the mask, element by element.
// CHECK-LABEL: func.func @gather_fallback
// CHECK-SAME: (%[[X:[^:]*]]: memref<?xf32>, %[[IDX:[^:]*]]: memref<?xi32>
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<32xf32>
// CHECK: scf.for %[[I:.*]] = %c0 to %c32 step %c1 {
// CHECK:   %[[OFF:.*]] = tensor.extract %{{.*}}[%[[I]]] : tensor<32xindex>
// CHECK:   %[[M:.*]] = tensor.extract %{{.*}}[%[[I]]] : tensor<32xi1>
// CHECK:   scf.if %[[M]] {
// CHECK:     %[[V:.*]] = memref.load %[[X]][%[[OFF]]] : memref<?xf32>
// CHECK:     memref.store %[[V]], %[[BUF]][%[[I]]] : memref<32xf32>
// CHECK: bufferization.to_tensor %[[BUF]] restrict writable
tt.func @gather_fallback(%x: !tt.ptr<f32>, %idx: !tt.ptr<i32>, %n: i32) -> tensor<32xf32> {
  %range = tt.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %is = tt.splat %idx : !tt.ptr<i32> -> tensor<32x!tt.ptr<i32>>
  %ip = tt.addptr %is, %range : tensor<32x!tt.ptr<i32>>, tensor<32xi32>
  %i = tt.load %ip : tensor<32x!tt.ptr<i32>>
  %ns = tt.splat %n : i32 -> tensor<32xi32>
  %mask = arith.cmpi slt, %i, %ns : tensor<32xi32>
  %xs = tt.splat %x : !tt.ptr<f32> -> tensor<32x!tt.ptr<f32>>
  %xp = tt.addptr %xs, %i : tensor<32x!tt.ptr<f32>>, tensor<32xi32>
  %v = tt.load %xp, %mask : tensor<32x!tt.ptr<f32>>
  tt.return %v : tensor<32xf32>
}

// -----

// tt.reduce becomes linalg.reduce over the rest of the axis, starting from
// the first slice and keeping the combine region.
// CHECK-LABEL: func.func @reduce_sum
// CHECK-SAME: (%[[T:[^:]*]]: tensor<8x4xf32>
// CHECK: %[[INIT:.*]] = tensor.extract_slice %[[T]][0, 0] [1, 4] [1, 1] : tensor<8x4xf32> to tensor<4xf32>
// CHECK: %[[REST:.*]] = tensor.extract_slice %[[T]][1, 0] [7, 4] [1, 1] : tensor<8x4xf32> to tensor<7x4xf32>
// CHECK: %[[R:.*]] = linalg.reduce { arith.addf } ins(%[[REST]] : tensor<7x4xf32>) outs(%[[INIT]] : tensor<4xf32>) dimensions = [0]
// CHECK: return %[[R]]
tt.func @reduce_sum(%t: tensor<8x4xf32>) -> tensor<4xf32> {
  %r = "tt.reduce"(%t) <{axis = 0 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.reduce.return %s : f32
  }) : (tensor<8x4xf32>) -> tensor<4xf32>
  tt.return %r : tensor<4xf32>
}

// -----

// tt.dot becomes linalg.matmul accumulating into its third operand.
// CHECK-LABEL: func.func @dot
// CHECK-SAME: (%[[A:[^:]*]]: tensor<16x8xf16>, %[[B:[^:]*]]: tensor<8x32xf16>, %[[C:[^:]*]]: tensor<16x32xf32>
// CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<16x8xf16>, tensor<8x32xf16>) outs(%[[C]] : tensor<16x32xf32>)
tt.func @dot(%a: tensor<16x8xf16>, %b: tensor<8x32xf16>, %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %d = tt.dot %a, %b, %c : tensor<16x8xf16> * tensor<8x32xf16> -> tensor<16x32xf32>
  tt.return %d : tensor<16x32xf32>
}

// -----

// A pointer carried by scf.for and advanced by a uniform step keeps its
// strides; the loop carries its base offset as an extra index argument.
// CHECK-LABEL: func.func @loop_carried_pointer
// CHECK-SAME: (%[[X:[^:]*]]: memref<?xf32>, %[[S:[^:]*]]: i32, %[[K:[^:]*]]: i32
// CHECK: %[[STRIDE:.*]] = arith.index_cast %[[S]] : i32 to index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[K]] step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %[[ACC:.*]] = %{{.*}}, %[[BASE:.*]] = %c0) -> (tensor<4x8xindex>, tensor<4x8xf32>, index)
// CHECK:   memref.reinterpret_cast %[[X]] to offset: [%[[BASE]]], sizes: [4, 8], strides: [%[[STRIDE]], 1]
// CHECK:   %[[NEXT:.*]] = arith.addi %[[BASE]], %c8 : index
// CHECK:   scf.yield %{{.*}}, %{{.*}}, %[[NEXT]] : tensor<4x8xindex>, tensor<4x8xf32>, index
tt.func @loop_carried_pointer(%x: !tt.ptr<f32>, %s: i32, %k: i32) -> tensor<4x8xf32> {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %step = arith.constant dense<8> : tensor<4x8xi32>
  %zero = arith.constant dense<0.0> : tensor<4x8xf32>
  %rows = tt.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %cols = tt.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %r2 = tt.expand_dims %rows {axis = 1 : i32} : tensor<4xi32> -> tensor<4x1xi32>
  %ss = tt.splat %s : i32 -> tensor<4x1xi32>
  %rs = arith.muli %r2, %ss : tensor<4x1xi32>
  %c2 = tt.expand_dims %cols {axis = 0 : i32} : tensor<8xi32> -> tensor<1x8xi32>
  %rb = tt.broadcast %rs : tensor<4x1xi32> -> tensor<4x8xi32>
  %cb = tt.broadcast %c2 : tensor<1x8xi32> -> tensor<4x8xi32>
  %offs = arith.addi %rb, %cb : tensor<4x8xi32>
  %xs = tt.splat %x : !tt.ptr<f32> -> tensor<4x8x!tt.ptr<f32>>
  %p0 = tt.addptr %xs, %offs : tensor<4x8x!tt.ptr<f32>>, tensor<4x8xi32>
  %res:2 = scf.for %i = %c0 to %k step %c1 iter_args(%p = %p0, %acc = %zero) -> (tensor<4x8x!tt.ptr<f32>>, tensor<4x8xf32>) : i32 {
    %v = tt.load %p : tensor<4x8x!tt.ptr<f32>>
    %a = arith.addf %acc, %v : tensor<4x8xf32>
    %pn = tt.addptr %p, %step : tensor<4x8x!tt.ptr<f32>>, tensor<4x8xi32>
    scf.yield %pn, %a : tensor<4x8x!tt.ptr<f32>>, tensor<4x8xf32>
  }
  tt.return %res#1 : tensor<4x8xf32>
}
