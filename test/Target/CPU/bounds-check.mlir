// RUN: flagtree-cpu-opt %s --split-input-file --flagtree-cpu-bounds-check --verify-diagnostics | FileCheck %s

// An element access to a pointer argument is compared with the extent of
// that argument's tensor, which the launcher gives per launch.
// CHECK-LABEL: func.func @element
// CHECK-DAG: %[[ARG:.*]] = arith.constant 1 : i64
// CHECK: %[[AFTER:.*]] = call @flagtree_cpu_extent_after(%[[ARG]]) : (i64) -> i64
// CHECK: scf.if
// CHECK: call @flagtree_cpu_out_of_bounds(
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<?xf32>
func.func @element(%a: memref<?xi32>, %b: memref<?xf32>, %i: index) -> f32 {
  %v = memref.load %b[%i] : memref<?xf32>
  return %v : f32
}

// -----

// An access by address through a pointer cast from the second argument's
// is checked against that argument's tensor: the run time gets its
// address, its size in bytes and the argument's number.
// CHECK-LABEL: func.func @by_address
// CHECK-SAME: %[[P:[^:]*]]: !llvm.ptr
// CHECK: %[[AT:.*]] = llvm.ptrtoint %[[P]] : !llvm.ptr to i64
// CHECK: %[[BYTES:.*]] = arith.constant 4 : i64
// CHECK: %[[ARG:.*]] = arith.constant 1 : i64
// CHECK: call @flagtree_cpu_check_address(%{{.*}}, %[[AT]], %[[BYTES]], %[[ARG]]) : (!llvm.ptr, i64, i64, i64) -> ()
// CHECK: llvm.load %[[P]] {alignment = 4 : i64, flir.cast_access = 1 : i64}
// CHECK: %[[AT2:.*]] = llvm.ptrtoint %[[P]] : !llvm.ptr to i64
// CHECK: %[[BYTES2:.*]] = arith.constant 2 : i64
// CHECK: call @flagtree_cpu_check_address(%{{.*}}, %[[AT2]], %[[BYTES2]], %{{.*}})
// CHECK: llvm.store
func.func @by_address(%a: memref<?xi32>, %b: memref<?xi8>, %p: !llvm.ptr) -> i32 {
  %v = llvm.load %p {alignment = 4 : i64, flir.cast_access = 1 : i64} : !llvm.ptr -> i32
  %h = arith.trunci %v : i32 to i16
  llvm.store %h, %p {alignment = 2 : i64, flir.cast_access = 1 : i64} : i16, !llvm.ptr
  return %v : i32
}

// -----

func.func @unnumbered(%b: memref<?xi8>, %p: !llvm.ptr) -> i32 {
  // expected-error @+1 {{'flir.cast_access' must be the number of the argument the access's pointer was cast from}}
  %v = llvm.load %p {flir.cast_access} : !llvm.ptr -> i32
  return %v : i32
}
