// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir --canonicalize --cse | FileCheck %s

// A scalar float add becomes one memref.atomic_rmw on the argument's memref.
// CHECK-LABEL: func.func @scalar_fadd
// CHECK-SAME: (%[[P:[^:]*]]: memref<?xf32>, %[[V:[^:]*]]: f32
// CHECK: %[[OLD:.*]] = memref.atomic_rmw addf %[[V]], %[[P]][%c0] : (f32, memref<?xf32>) -> f32
// CHECK: return %[[OLD]]
tt.func @scalar_fadd(%p: !tt.ptr<f32>, %v: f32) -> f32 {
  %r = tt.atomic_rmw fadd, acq_rel, gpu, %p, %v : (!tt.ptr<f32>, f32) -> f32
  tt.return %r : f32
}

// -----

// A masked tensor atomic is a loop over its elements, each under its mask;
// the old values are collected into the result.
// CHECK-LABEL: func.func @masked_tensor_add
// CHECK-SAME: (%[[P:[^:]*]]: memref<?xi32>, %[[V:[^:]*]]: tensor<8xi32>, %[[M:[^:]*]]: tensor<8xi1>
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<8xi32>
// CHECK: scf.for %[[I:.*]] = %c0 to %c8 step %c1 {
// CHECK:   %[[VI:.*]] = tensor.extract %[[V]][%[[I]]] : tensor<8xi32>
// CHECK:   %[[MI:.*]] = tensor.extract %[[M]][%[[I]]] : tensor<8xi1>
// CHECK:   %[[OFF:.*]] = tensor.extract %{{.*}}[%[[I]]] : tensor<8xindex>
// CHECK:   %[[OLD:.*]] = scf.if %[[MI]] -> (i32) {
// CHECK:     %[[R:.*]] = memref.atomic_rmw addi %[[VI]], %[[P]][%[[OFF]]] : (i32, memref<?xi32>) -> i32
// CHECK:     scf.yield %[[R]] : i32
// CHECK:   memref.store %[[OLD]], %[[BUF]][%[[I]]] : memref<8xi32>
// CHECK: bufferization.to_tensor %[[BUF]] restrict writable
tt.func @masked_tensor_add(%p: !tt.ptr<i32>, %v: tensor<8xi32>, %m: tensor<8xi1>) -> tensor<8xi32> {
  %r0 = tt.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %ps = tt.splat %p : !tt.ptr<i32> -> tensor<8x!tt.ptr<i32>>
  %pp = tt.addptr %ps, %r0 : tensor<8x!tt.ptr<i32>>, tensor<8xi32>
  %r = tt.atomic_rmw add, relaxed, gpu, %pp, %v, %m : (tensor<8x!tt.ptr<i32>>, tensor<8xi32>, tensor<8xi1>) -> tensor<8xi32>
  tt.return %r : tensor<8xi32>
}

// -----

// Triton's float atomic_max goes through an i32 pointer: the memref keeps
// f32 and a compare-and-swap loop works on the bits.
// CHECK-LABEL: func.func @float_max_through_int
// CHECK-SAME: (%[[P:[^:]*]]: memref<?xf32>, %[[V:[^:]*]]: i32
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[P]] : memref<?xf32> -> index
// CHECK: %[[PTR:.*]] = llvm.inttoptr
// CHECK: %[[INIT:.*]] = llvm.load %[[PTR]] atomic monotonic
// CHECK: %[[OLD:.*]] = scf.while (%[[CUR:.*]] = %[[INIT]]) : (i32) -> i32 {
// CHECK:   %[[NEW:.*]] = arith.maxsi %[[CUR]], %[[V]] : i32
// CHECK:   %[[PAIR:.*]] = llvm.cmpxchg %[[PTR]], %[[CUR]], %[[NEW]] acq_rel monotonic : !llvm.ptr, i32
// CHECK:   scf.condition
// CHECK: return %[[OLD]] : i32
tt.func @float_max_through_int(%p: !tt.ptr<f32>, %v: i32) -> i32 {
  %q = tt.bitcast %p : !tt.ptr<f32> -> !tt.ptr<i32>
  %r = tt.atomic_rmw max, acq_rel, gpu, %q, %v : (!tt.ptr<i32>, i32) -> i32
  tt.return %r : i32
}

// -----

// atomic_cas swaps in the new value only where the old one equals `cmp`.
// CHECK-LABEL: func.func @cas
// CHECK-SAME: (%[[P:[^:]*]]: memref<?xi32>, %[[C:[^:]*]]: i32, %[[V:[^:]*]]: i32
// CHECK: scf.while (%[[CUR:.*]] = %{{.*}}) : (i32) -> i32 {
// CHECK:   %[[EQ:.*]] = arith.cmpi eq, %[[CUR]], %[[C]] : i32
// CHECK:   %[[NEW:.*]] = arith.select %[[EQ]], %[[V]], %[[CUR]] : i32
// CHECK:   llvm.cmpxchg %{{.*}}, %[[CUR]], %[[NEW]] acq_rel monotonic
tt.func @cas(%p: !tt.ptr<i32>, %c: i32, %v: i32) -> i32 {
  %r = tt.atomic_cas acq_rel, gpu, %p, %c, %v : (!tt.ptr<i32>, i32, i32) -> i32
  tt.return %r : i32
}

// -----

// An atomic through a pointer cast to an element type of another width is
// made by address: a compare-and-swap loop on the argument's base address
// plus the offset in bytes, whose first load is marked, with the number of
// the argument it was cast from, for the bounds-checked mode.
// CHECK-LABEL: func.func @atomic_through_wider_bitcast
// CHECK-SAME: (%[[P:[^:]*]]: memref<?xf32>, %[[X:[^:]*]]: i64
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[P]]
// CHECK: %[[WORD:.*]] = arith.index_castui %{{.*}} : index to i64
// CHECK: %[[PTR:.*]] = llvm.inttoptr %[[WORD]] : i64 to !llvm.ptr
// CHECK: %[[FIRST:.*]] = llvm.load %[[PTR]] atomic monotonic {alignment = 8 : i64, flir.cast_access = 0 : i64} : !llvm.ptr -> i64
// CHECK: scf.while (%[[SEEN:.*]] = %[[FIRST]]) : (i64) -> i64
// CHECK: %[[SUM:.*]] = arith.addi %[[SEEN]], %[[X]] : i64
// CHECK: llvm.cmpxchg %[[PTR]], %[[SEEN]], %[[SUM]] acq_rel monotonic
tt.func @atomic_through_wider_bitcast(%p: !tt.ptr<f32>, %x: i64) -> i64 {
  %q = tt.bitcast %p : !tt.ptr<f32> -> !tt.ptr<i64>
  %old = tt.atomic_rmw add, acq_rel, gpu, %q, %x : (!tt.ptr<i64>, i64) -> i64
  tt.return %old : i64
}
