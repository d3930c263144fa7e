// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir --canonicalize --cse | FileCheck %s

// A choice between pointers into two arguments becomes two loads: the true
// side under the condition (here a bound, so a structured copy of 4
// elements), the false side under its negation; a select of the loaded
// values takes their place.
// CHECK-LABEL: func.func @where_pointers
// CHECK-SAME: (%[[A:[^:]*]]: memref<?xf32>, %[[B:[^:]*]]: memref<?xf32>
// CHECK: %[[C:.*]] = arith.cmpi slt
// CHECK: %[[NOT:.*]] = arith.xori %[[C]], %{{.*}} : tensor<8xi1>
// CHECK: memref.reinterpret_cast %[[A]] to offset: [0], sizes: [4]
// CHECK: linalg.copy
// CHECK: scf.for
// CHECK: %[[ON:.*]] = tensor.extract %[[NOT]]
// CHECK: scf.if %[[ON]]
// CHECK: memref.load %[[B]]
// CHECK: arith.select %[[C]], %{{.*}}, %{{.*}} : tensor<8xi1>, tensor<8xf32>
tt.func @where_pointers(%a: !tt.ptr<f32>, %b: !tt.ptr<f32>, %out: !tt.ptr<f32>) {
  %r = tt.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %four = arith.constant dense<4> : tensor<8xi32>
  %c = arith.cmpi slt, %r, %four : tensor<8xi32>
  %sa = tt.splat %a : !tt.ptr<f32> -> tensor<8x!tt.ptr<f32>>
  %pa = tt.addptr %sa, %r : tensor<8x!tt.ptr<f32>>, tensor<8xi32>
  %sb = tt.splat %b : !tt.ptr<f32> -> tensor<8x!tt.ptr<f32>>
  %s = arith.select %c, %sa, %sb : tensor<8xi1>, tensor<8x!tt.ptr<f32>>
  %p = tt.addptr %s, %r : tensor<8x!tt.ptr<f32>>, tensor<8xi32>
  %v = tt.load %p : tensor<8x!tt.ptr<f32>>
  %so = tt.splat %out : !tt.ptr<f32> -> tensor<8x!tt.ptr<f32>>
  %po = tt.addptr %so, %r : tensor<8x!tt.ptr<f32>>, tensor<8xi32>
  tt.store %po, %v : tensor<8x!tt.ptr<f32>>
  tt.return
}

// -----

// A compare-and-swap has no mask to split it with: it goes through the
// address chosen per element between both pointers' addresses, one
// compare-and-swap loop per element on that address.
// CHECK-LABEL: func.func @where_pointers_cas
// CHECK-DAG: memref.extract_aligned_pointer_as_index %arg0
// CHECK-DAG: memref.extract_aligned_pointer_as_index %arg1
// CHECK: %[[CHOSEN:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<8xi1>, tensor<8xi64>
// CHECK: %[[ADDRESSES:.*]] = arith.index_castui %[[CHOSEN]] : tensor<8xi64> to tensor<8xindex>
// CHECK: scf.for
// CHECK: %[[ONE:.*]] = tensor.extract %[[ADDRESSES]]
// CHECK: %[[WORD:.*]] = arith.index_castui %[[ONE]] : index to i64
// CHECK: %[[PTR:.*]] = llvm.inttoptr %[[WORD]] : i64 to !llvm.ptr
// CHECK: llvm.cmpxchg %[[PTR]]
tt.func @where_pointers_cas(%a: !tt.ptr<i32>, %b: !tt.ptr<i32>, %cmp: tensor<8xi32>, %val: tensor<8xi32>) -> tensor<8xi32> {
  %r = tt.make_range {end = 8 : i32, start = 0 : i32} : tensor<8xi32>
  %four = arith.constant dense<4> : tensor<8xi32>
  %c = arith.cmpi slt, %r, %four : tensor<8xi32>
  %sa = tt.splat %a : !tt.ptr<i32> -> tensor<8x!tt.ptr<i32>>
  %pa = tt.addptr %sa, %r : tensor<8x!tt.ptr<i32>>, tensor<8xi32>
  %sb = tt.splat %b : !tt.ptr<i32> -> tensor<8x!tt.ptr<i32>>
  %pb = tt.addptr %sb, %r : tensor<8x!tt.ptr<i32>>, tensor<8xi32>
  %s = arith.select %c, %pa, %pb : tensor<8xi1>, tensor<8x!tt.ptr<i32>>
  %old = tt.atomic_cas acq_rel, gpu, %s, %cmp, %val : (tensor<8x!tt.ptr<i32>>, tensor<8xi32>, tensor<8xi32>) -> tensor<8xi32>
  tt.return %old : tensor<8xi32>
}
