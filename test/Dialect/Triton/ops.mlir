// RUN: flagtree-opt %s | flagtree-opt | FileCheck %s
// RUN: flagtree-opt %s --mlir-print-op-generic | flagtree-opt | FileCheck %s

// Round-trip tests for every op of the `tt` dialect. Each CHECK line spells
// out the printed form of the op, which must be the form Triton 3.6 prints.

// Private function with results and a function-level attribute; tt.return of values.
// CHECK-LABEL: tt.func private @callee
// CHECK-SAME: (%[[A:[a-z0-9_]+]]: i32, %[[B:[a-z0-9_]+]]: f32) -> (i32, f32) attributes {noinline = true} {
// CHECK-NEXT: tt.return %[[A]], %[[B]] : i32, f32
tt.func private @callee(%a: i32, %b: f32) -> (i32, f32) attributes {noinline = true} {
  tt.return %a, %b : i32, f32
}

// Private declaration (no body).
// CHECK-LABEL: tt.func private @decl(i32) -> i32{{$}}
tt.func private @decl(i32) -> i32

// Public kernel with argument attributes, noinline = false, and tt.call with one and two results.
// CHECK-LABEL: tt.func public @calls
// CHECK-SAME: (%[[X:[a-z0-9_]+]]: i32 {tt.divisibility = 16 : i32}, %[[Y:[a-z0-9_]+]]: f32) -> i32 attributes {noinline = false} {
// CHECK-NEXT: %[[R:[a-z0-9_]+]]:2 = tt.call @callee(%[[X]], %[[Y]]) : (i32, f32) -> (i32, f32)
// CHECK-NEXT: %[[S:[a-z0-9_]+]] = tt.call @decl(%[[R]]#0) : (i32) -> i32
// CHECK-NEXT: tt.return %[[S]] : i32
tt.func public @calls(%x: i32 {tt.divisibility = 16 : i32}, %y: f32) -> i32 attributes {noinline = false} {
  %0:2 = tt.call @callee(%x, %y) : (i32, f32) -> (i32, f32)
  %1 = tt.call @decl(%0#0) : (i32) -> i32
  tt.return %1 : i32
}

// Kernel arguments with several attributes each, as Triton specializes them.
// CHECK-LABEL: tt.func public @arg_attrs
// CHECK-SAME: (%{{.*}}: !tt.ptr<f32> {tt.divisibility = 16 : i32, tt.pointer_range = 32 : i32}, %{{.*}}: i32 {tt.divisibility = 16 : i32}) attributes {noinline = false} {
// CHECK-NEXT: tt.return{{$}}
tt.func public @arg_attrs(%p: !tt.ptr<f32> {tt.divisibility = 16 : i32, tt.pointer_range = 32 : i32}, %n: i32 {tt.divisibility = 16 : i32}) attributes {noinline = false} {
  tt.return
}

// get_program_id and get_num_programs on all three grid axes.
// CHECK-LABEL: tt.func @program_ids
// CHECK-NEXT: %{{.*}} = tt.get_program_id x : i32
// CHECK-NEXT: %{{.*}} = tt.get_program_id y : i32
// CHECK-NEXT: %{{.*}} = tt.get_program_id z : i32
// CHECK-NEXT: %{{.*}} = tt.get_num_programs x : i32
// CHECK-NEXT: %{{.*}} = tt.get_num_programs y : i32
// CHECK-NEXT: %{{.*}} = tt.get_num_programs z : i32
tt.func @program_ids() {
  %0 = tt.get_program_id x : i32
  %1 = tt.get_program_id y : i32
  %2 = tt.get_program_id z : i32
  %3 = tt.get_num_programs x : i32
  %4 = tt.get_num_programs y : i32
  %5 = tt.get_num_programs z : i32
  tt.return
}

// int_to_ptr / ptr_to_int / bitcast on scalars, tensors and pointers (incl. address space 3).
// CHECK-LABEL: tt.func @casts
// CHECK-NEXT: %{{.*}} = tt.int_to_ptr %{{.*}} : i64 -> !tt.ptr<f32>
// CHECK-NEXT: %{{.*}} = tt.ptr_to_int %{{.*}} : !tt.ptr<f32> -> i64
// CHECK-NEXT: %{{.*}} = tt.int_to_ptr %{{.*}} : tensor<16xi64> -> tensor<16x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.ptr_to_int %{{.*}} : tensor<16x!tt.ptr<f32>> -> tensor<16xi64>
// CHECK-NEXT: %{{.*}} = tt.bitcast %{{.*}} : f32 -> i32
// CHECK-NEXT: %{{.*}} = tt.bitcast %{{.*}} : tensor<16xf32> -> tensor<16xi32>
// CHECK-NEXT: %{{.*}} = tt.bitcast %{{.*}} : !tt.ptr<f32> -> !tt.ptr<i8>
// CHECK-NEXT: %{{.*}} = tt.bitcast %{{.*}} : !tt.ptr<f16, 3> -> !tt.ptr<i16, 3>
tt.func @casts(%p: !tt.ptr<f32>, %i: i64, %f: f32, %tp: tensor<16x!tt.ptr<f32>>, %ti: tensor<16xi64>, %tf: tensor<16xf32>, %p3: !tt.ptr<f16, 3>) {
  %0 = tt.int_to_ptr %i : i64 -> !tt.ptr<f32>
  %1 = tt.ptr_to_int %p : !tt.ptr<f32> -> i64
  %2 = tt.int_to_ptr %ti : tensor<16xi64> -> tensor<16x!tt.ptr<f32>>
  %3 = tt.ptr_to_int %tp : tensor<16x!tt.ptr<f32>> -> tensor<16xi64>
  %4 = tt.bitcast %f : f32 -> i32
  %5 = tt.bitcast %tf : tensor<16xf32> -> tensor<16xi32>
  %6 = tt.bitcast %p : !tt.ptr<f32> -> !tt.ptr<i8>
  %7 = tt.bitcast %p3 : !tt.ptr<f16, 3> -> !tt.ptr<i16, 3>
  tt.return
}

// fp_to_fp: down-casts with a rounding mode, up-cast without.
// CHECK-LABEL: tt.func @fp_to_fp
// CHECK-NEXT: %[[E5:[a-z0-9_]+]] = tt.fp_to_fp %{{.*}}, rounding = rtne : tensor<16xf32> -> tensor<16xf8E5M2>
// CHECK-NEXT: %{{.*}} = tt.fp_to_fp %[[E5]] : tensor<16xf8E5M2> -> tensor<16xf32>
// CHECK-NEXT: %{{.*}} = tt.fp_to_fp %{{.*}}, rounding = rtz : tensor<16xf32> -> tensor<16xf16>
// CHECK-NEXT: %{{.*}} = tt.fp_to_fp %{{.*}}, rounding = rtne : f32 -> f8E4M3FN
// CHECK-NEXT: %{{.*}} = tt.fp_to_fp %{{.*}} : bf16 -> f32
tt.func @fp_to_fp(%tf: tensor<16xf32>, %f: f32, %h: bf16) {
  %0 = tt.fp_to_fp %tf, rounding = rtne : tensor<16xf32> -> tensor<16xf8E5M2>
  %1 = tt.fp_to_fp %0 : tensor<16xf8E5M2> -> tensor<16xf32>
  %2 = tt.fp_to_fp %tf, rounding = rtz : tensor<16xf32> -> tensor<16xf16>
  %3 = tt.fp_to_fp %f, rounding = rtne : f32 -> f8E4M3FN
  %4 = tt.fp_to_fp %h : bf16 -> f32
  tt.return
}

// clampf (both propagateNan values), precise_sqrt, precise_divf, mulhiui on scalars and tensors.
// CHECK-LABEL: tt.func @math
// CHECK: %{{.*}} = tt.clampf %{{.*}}, %{{.*}}, %{{.*}}, propagateNan = none : f32
// CHECK-NEXT: %{{.*}} = tt.clampf %{{.*}}, %{{.*}}, %{{.*}}, propagateNan = all : tensor<16xf32>
// CHECK-NEXT: %{{.*}} = tt.precise_sqrt %{{.*}} : f32
// CHECK-NEXT: %{{.*}} = tt.precise_sqrt %{{.*}} : tensor<16xf32>
// CHECK-NEXT: %{{.*}} = tt.precise_divf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT: %{{.*}} = tt.precise_divf %{{.*}}, %{{.*}} : tensor<16xf32>
// CHECK-NEXT: %{{.*}} = tt.mulhiui %{{.*}}, %{{.*}} : i32
// CHECK-NEXT: %{{.*}} = tt.mulhiui %{{.*}}, %{{.*}} : tensor<16xi64>
tt.func @math(%f: f32, %t: tensor<16xf32>, %i: i32, %ti: tensor<16xi64>) {
  %c0 = arith.constant 0.0 : f32
  %c1 = arith.constant 1.0 : f32
  %0 = tt.clampf %f, %c0, %c1, propagateNan = none : f32
  %1 = tt.clampf %t, %t, %t, propagateNan = all : tensor<16xf32>
  %2 = tt.precise_sqrt %f : f32
  %3 = tt.precise_sqrt %t : tensor<16xf32>
  %4 = tt.precise_divf %f, %c1 : f32
  %5 = tt.precise_divf %t, %t : tensor<16xf32>
  %6 = tt.mulhiui %i, %i : i32
  %7 = tt.mulhiui %ti, %ti : tensor<16xi64>
  tt.return
}

// addptr on scalar pointers (i32 and i64 offsets), tensors of pointers, and address space 3.
// CHECK-LABEL: tt.func @addptr
// CHECK-NEXT: %{{.*}} = tt.addptr %{{.*}}, %{{.*}} : !tt.ptr<f32>, i32
// CHECK-NEXT: %{{.*}} = tt.addptr %{{.*}}, %{{.*}} : !tt.ptr<f32>, i64
// CHECK-NEXT: %[[SPLAT:[a-z0-9_]+]] = tt.splat %{{.*}} : !tt.ptr<f32> -> tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %[[RANGE:[a-z0-9_]+]] = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.addptr %[[SPLAT]], %[[RANGE]] : tensor<128x!tt.ptr<f32>>, tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.addptr %{{.*}}, %{{.*}} : !tt.ptr<i8, 3>, i32
tt.func @addptr(%p: !tt.ptr<f32>, %i: i32, %l: i64, %p3: !tt.ptr<i8, 3>) {
  %0 = tt.addptr %p, %i : !tt.ptr<f32>, i32
  %1 = tt.addptr %p, %l : !tt.ptr<f32>, i64
  %2 = tt.splat %p : !tt.ptr<f32> -> tensor<128x!tt.ptr<f32>>
  %3 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  %4 = tt.addptr %2, %3 : tensor<128x!tt.ptr<f32>>, tensor<128xi32>
  %5 = tt.addptr %p3, %i : !tt.ptr<i8, 3>, i32
  tt.return
}

// tt.load through tensors of pointers and scalar pointers: mask, other, cache modifiers, eviction policies, isVolatile.
// CHECK-LABEL: tt.func @loads
// CHECK-SAME: (%[[P:[a-z0-9_]+]]: tensor<128x!tt.ptr<f32>>, %[[M:[a-z0-9_]+]]: tensor<128xi1>, %[[O:[a-z0-9_]+]]: tensor<128xf32>, %[[SP:[a-z0-9_]+]]: !tt.ptr<f32>, %[[SM:[a-z0-9_]+]]: i1)
// CHECK-NEXT: %{{.*}} = tt.load %[[P]] : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]], %[[M]] : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]], %[[M]], %[[O]] : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]], %[[M]], %[[O]] cacheModifier = cg : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]] evictionPolicy = evict_last : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]] cacheModifier = ca evictionPolicy = evict_first : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]] {isVolatile = true} : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]], %[[M]] cacheModifier = cv evictionPolicy = evict_first {isVolatile = true} : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]] cacheModifier = cs : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]] cacheModifier = wb : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[P]] cacheModifier = wt : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.load %[[SP]] : !tt.ptr<f32>
// CHECK-NEXT: %{{.*}} = tt.load %[[SP]], %[[SM]] : !tt.ptr<f32>
// CHECK-NEXT: %[[C:[a-z0-9_]+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{.*}} = tt.load %[[SP]], %[[SM]], %[[C]] : !tt.ptr<f32>
tt.func @loads(%ptrs: tensor<128x!tt.ptr<f32>>, %mask: tensor<128xi1>, %other: tensor<128xf32>, %sp: !tt.ptr<f32>, %sm: i1) {
  %0 = tt.load %ptrs : tensor<128x!tt.ptr<f32>>
  %1 = tt.load %ptrs, %mask : tensor<128x!tt.ptr<f32>>
  %2 = tt.load %ptrs, %mask, %other : tensor<128x!tt.ptr<f32>>
  %3 = tt.load %ptrs, %mask, %other cacheModifier = cg : tensor<128x!tt.ptr<f32>>
  %4 = tt.load %ptrs evictionPolicy = evict_last : tensor<128x!tt.ptr<f32>>
  %5 = tt.load %ptrs cacheModifier = ca evictionPolicy = evict_first : tensor<128x!tt.ptr<f32>>
  %6 = tt.load %ptrs {isVolatile = true} : tensor<128x!tt.ptr<f32>>
  %7 = tt.load %ptrs, %mask cacheModifier = cv evictionPolicy = evict_first {isVolatile = true} : tensor<128x!tt.ptr<f32>>
  %8 = tt.load %ptrs cacheModifier = cs : tensor<128x!tt.ptr<f32>>
  %9 = tt.load %ptrs cacheModifier = wb : tensor<128x!tt.ptr<f32>>
  %10 = tt.load %ptrs cacheModifier = wt : tensor<128x!tt.ptr<f32>>
  %11 = tt.load %sp : !tt.ptr<f32>
  %12 = tt.load %sp, %sm : !tt.ptr<f32>
  %c = arith.constant 0.0 : f32
  %13 = tt.load %sp, %sm, %c : !tt.ptr<f32>
  tt.return
}

// Default-valued clauses written explicitly are elided when printed.
// CHECK-LABEL: tt.func @load_store_defaults
// CHECK-NEXT: %[[V:[a-z0-9_]+]] = tt.load %{{.*}} : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: tt.store %{{.*}}, %[[V]] : tensor<128x!tt.ptr<f32>>
tt.func @load_store_defaults(%ptrs: tensor<128x!tt.ptr<f32>>) {
  %0 = tt.load %ptrs cacheModifier = none evictionPolicy = evict_normal {isVolatile = false} : tensor<128x!tt.ptr<f32>>
  tt.store %ptrs, %0 cacheModifier = none evictionPolicy = evict_normal : tensor<128x!tt.ptr<f32>>
  tt.return
}

// tt.store through tensors of pointers and scalar pointers, with mask and cache clauses.
// CHECK-LABEL: tt.func @stores
// CHECK-SAME: (%[[P:[a-z0-9_]+]]: tensor<128x!tt.ptr<f32>>, %[[M:[a-z0-9_]+]]: tensor<128xi1>, %[[V:[a-z0-9_]+]]: tensor<128xf32>, %[[SP:[a-z0-9_]+]]: !tt.ptr<f32>, %[[SM:[a-z0-9_]+]]: i1, %[[SV:[a-z0-9_]+]]: f32)
// CHECK-NEXT: tt.store %[[P]], %[[V]] : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: tt.store %[[P]], %[[V]], %[[M]] : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: tt.store %[[P]], %[[V]], %[[M]] cacheModifier = wt : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: tt.store %[[P]], %[[V]] cacheModifier = cs evictionPolicy = evict_last : tensor<128x!tt.ptr<f32>>
// CHECK-NEXT: tt.store %[[SP]], %[[SV]] : !tt.ptr<f32>
// CHECK-NEXT: tt.store %[[SP]], %[[SV]], %[[SM]] : !tt.ptr<f32>
tt.func @stores(%ptrs: tensor<128x!tt.ptr<f32>>, %mask: tensor<128xi1>, %v: tensor<128xf32>, %sp: !tt.ptr<f32>, %sm: i1, %sv: f32) {
  tt.store %ptrs, %v : tensor<128x!tt.ptr<f32>>
  tt.store %ptrs, %v, %mask : tensor<128x!tt.ptr<f32>>
  tt.store %ptrs, %v, %mask cacheModifier = wt : tensor<128x!tt.ptr<f32>>
  tt.store %ptrs, %v cacheModifier = cs evictionPolicy = evict_last : tensor<128x!tt.ptr<f32>>
  tt.store %sp, %sv : !tt.ptr<f32>
  tt.store %sp, %sv, %sm : !tt.ptr<f32>
  tt.return
}

// Block pointers: make_tensor_ptr, load with boundaryCheck/padding, advance, store with boundaryCheck.
// CHECK-LABEL: tt.func @block_pointers
// CHECK: %[[BP:[a-z0-9_]+]] = tt.make_tensor_ptr %{{.*}}, [%{{.*}}, %{{.*}}], [%{{.*}}, %{{.*}}], [%{{.*}}, %{{.*}}] {order = array<i32: 1, 0>} : <tensor<64x64xf16>>
// CHECK-NEXT: %{{.*}} = tt.load %[[BP]] : !tt.ptr<tensor<64x64xf16>>
// CHECK-NEXT: %[[V:[a-z0-9_]+]] = tt.load %[[BP]] {boundaryCheck = array<i32: 0, 1>, padding = 1 : i32} : !tt.ptr<tensor<64x64xf16>>
// CHECK-NEXT: %{{.*}} = tt.load %[[BP]] {boundaryCheck = array<i32: 1>, padding = 2 : i32} : !tt.ptr<tensor<64x64xf16>>
// CHECK-NEXT: %{{.*}} = tt.load %[[BP]] {boundaryCheck = array<i32: 0>} : !tt.ptr<tensor<64x64xf16>>
// CHECK-NEXT: %{{.*}} = tt.load %[[BP]] cacheModifier = cg {boundaryCheck = array<i32: 0, 1>, padding = 1 : i32} : !tt.ptr<tensor<64x64xf16>>
// CHECK-NEXT: %[[ADV:[a-z0-9_]+]] = tt.advance %[[BP]], [%{{.*}}, %{{.*}}] : <tensor<64x64xf16>>
// CHECK-NEXT: tt.store %[[ADV]], %[[V]] : !tt.ptr<tensor<64x64xf16>>
// CHECK-NEXT: tt.store %[[ADV]], %[[V]] {boundaryCheck = array<i32: 0, 1>} : !tt.ptr<tensor<64x64xf16>>
// CHECK-NEXT: tt.store %[[ADV]], %[[V]] cacheModifier = wb {boundaryCheck = array<i32: 1>} : !tt.ptr<tensor<64x64xf16>>
tt.func @block_pointers(%base: !tt.ptr<f16>, %M: i64, %N: i64, %s0: i64, %o: i32) {
  %c1 = arith.constant 1 : i64
  %bp = tt.make_tensor_ptr %base, [%M, %N], [%s0, %c1], [%o, %o] {order = array<i32: 1, 0>} : <tensor<64x64xf16>>
  %0 = tt.load %bp : !tt.ptr<tensor<64x64xf16>>
  %1 = tt.load %bp {boundaryCheck = array<i32: 0, 1>, padding = 1 : i32} : !tt.ptr<tensor<64x64xf16>>
  %2 = tt.load %bp {boundaryCheck = array<i32: 1>, padding = 2 : i32} : !tt.ptr<tensor<64x64xf16>>
  %3 = tt.load %bp {boundaryCheck = array<i32: 0>} : !tt.ptr<tensor<64x64xf16>>
  %4 = tt.load %bp cacheModifier = cg {boundaryCheck = array<i32: 0, 1>, padding = 1 : i32} : !tt.ptr<tensor<64x64xf16>>
  %5 = tt.advance %bp, [%o, %o] : <tensor<64x64xf16>>
  tt.store %5, %1 : !tt.ptr<tensor<64x64xf16>>
  tt.store %5, %1 {boundaryCheck = array<i32: 0, 1>} : !tt.ptr<tensor<64x64xf16>>
  tt.store %5, %1 cacheModifier = wb {boundaryCheck = array<i32: 1>} : !tt.ptr<tensor<64x64xf16>>
  tt.return
}

// A 1-D block pointer into shared memory (address space 3).
// CHECK-LABEL: tt.func @block_pointer_addrspace
// CHECK-NEXT: %[[BP:[a-z0-9_]+]] = tt.make_tensor_ptr %{{.*}}, [%{{.*}}], [%{{.*}}], [%{{.*}}] {order = array<i32: 0>} : <tensor<128xf32>, 3>
// CHECK-NEXT: %{{.*}} = tt.advance %[[BP]], [%{{.*}}] : <tensor<128xf32>, 3>
tt.func @block_pointer_addrspace(%base: !tt.ptr<f32, 3>, %n: i64, %o: i32) {
  %0 = tt.make_tensor_ptr %base, [%n], [%n], [%o] {order = array<i32: 0>} : <tensor<128xf32>, 3>
  %1 = tt.advance %0, [%o] : <tensor<128xf32>, 3>
  tt.return
}

// atomic_rmw with every RMW kind, sem and scope, with and without mask; atomic_cas on scalars and tensors.
// CHECK-LABEL: tt.func @atomics
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw fadd, acq_rel, gpu, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>, tensor<128xi1>) -> tensor<128xf32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw fadd, relaxed, cta, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw and, acquire, sys, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>, tensor<128xi1>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw or, release, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw xor, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw add, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw max, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw min, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw umax, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw umin, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw exch, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw max, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw min, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw exch, acq_rel, gpu, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw add, acq_rel, gpu, %{{.*}}, %{{.*}} : (!tt.ptr<i64>, i64) -> i64
// CHECK-NEXT: %{{.*}} = tt.atomic_rmw fadd, acq_rel, gpu, %{{.*}}, %{{.*}}, %{{.*}} : (!tt.ptr<f16>, f16, i1) -> f16
// CHECK-NEXT: %{{.*}} = tt.atomic_cas acq_rel, gpu, %{{.*}}, %{{.*}}, %{{.*}} : (!tt.ptr<i64>, i64, i64) -> i64
// CHECK-NEXT: %{{.*}} = tt.atomic_cas relaxed, cta, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>, tensor<128xi32>) -> tensor<128xi32>
tt.func @atomics(%ptrs: tensor<128x!tt.ptr<f32>>, %mask: tensor<128xi1>, %v: tensor<128xf32>, %ip: tensor<128x!tt.ptr<i32>>, %iv: tensor<128xi32>, %sp: !tt.ptr<i64>, %sv: i64, %hp: !tt.ptr<f16>, %hv: f16, %sm: i1) {
  %0 = tt.atomic_rmw fadd, acq_rel, gpu, %ptrs, %v, %mask : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>, tensor<128xi1>) -> tensor<128xf32>
  %1 = tt.atomic_rmw fadd, relaxed, cta, %ptrs, %v : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
  %2 = tt.atomic_rmw and, acquire, sys, %ip, %iv, %mask : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>, tensor<128xi1>) -> tensor<128xi32>
  %3 = tt.atomic_rmw or, release, gpu, %ip, %iv : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
  %4 = tt.atomic_rmw xor, acq_rel, gpu, %ip, %iv : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
  %5 = tt.atomic_rmw add, acq_rel, gpu, %ip, %iv : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
  %6 = tt.atomic_rmw max, acq_rel, gpu, %ip, %iv : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
  %7 = tt.atomic_rmw min, acq_rel, gpu, %ip, %iv : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
  %8 = tt.atomic_rmw umax, acq_rel, gpu, %ip, %iv : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
  %9 = tt.atomic_rmw umin, acq_rel, gpu, %ip, %iv : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
  %10 = tt.atomic_rmw exch, acq_rel, gpu, %ip, %iv : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
  %11 = tt.atomic_rmw max, acq_rel, gpu, %ptrs, %v : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
  %12 = tt.atomic_rmw min, acq_rel, gpu, %ptrs, %v : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
  %13 = tt.atomic_rmw exch, acq_rel, gpu, %ptrs, %v : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
  %14 = tt.atomic_rmw add, acq_rel, gpu, %sp, %sv : (!tt.ptr<i64>, i64) -> i64
  %15 = tt.atomic_rmw fadd, acq_rel, gpu, %hp, %hv, %sm : (!tt.ptr<f16>, f16, i1) -> f16
  %16 = tt.atomic_cas acq_rel, gpu, %sp, %sv, %sv : (!tt.ptr<i64>, i64, i64) -> i64
  %17 = tt.atomic_cas relaxed, cta, %ip, %iv, %iv : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>, tensor<128xi32>) -> tensor<128xi32>
  tt.return
}

// Tensor descriptors: make_tensor_descriptor (default and NaN padding) and descriptor_load/store/reduce/gather/scatter.
// CHECK-LABEL: tt.func @descriptors
// CHECK: %[[D:[a-z0-9_]+]] = tt.make_tensor_descriptor %{{.*}}, [%{{.*}}, %{{.*}}], [%{{.*}}, %{{.*}}] : <f32>, <tensor<32x32xf32>>
// CHECK-NEXT: %{{.*}} = tt.make_tensor_descriptor %{{.*}}, [%{{.*}}, %{{.*}}], [%{{.*}}, %{{.*}}] {padding = 2 : i32} : <f32>, <tensor<32x32xf32>>
// CHECK-NEXT: %[[G:[a-z0-9_]+]] = tt.make_tensor_descriptor %{{.*}}, [%{{.*}}, %{{.*}}], [%{{.*}}, %{{.*}}] : <f32>, <tensor<1x32xf32>>
// CHECK-NEXT: %{{.*}} = tt.descriptor_load %[[D]][%{{.*}}, %{{.*}}] : !tt.tensordesc<tensor<32x32xf32>> -> tensor<32x32xf32>
// CHECK-NEXT: %{{.*}} = tt.descriptor_load %[[D]][%{{.*}}, %{{.*}}] cacheModifier = cg evictionPolicy = evict_last : !tt.tensordesc<tensor<32x32xf32>> -> tensor<32x32xf32>
// CHECK-NEXT: tt.descriptor_store %[[D]][%{{.*}}, %{{.*}}], %{{.*}} : !tt.tensordesc<tensor<32x32xf32>>, tensor<32x32xf32>
// CHECK-NEXT: tt.descriptor_reduce add, %[[D]][%{{.*}}, %{{.*}}], %{{.*}} : !tt.tensordesc<tensor<32x32xf32>>, tensor<32x32xf32>
// CHECK-NEXT: tt.descriptor_reduce max, %[[D]][%{{.*}}, %{{.*}}], %{{.*}} : !tt.tensordesc<tensor<32x32xf32>>, tensor<32x32xf32>
// CHECK-NEXT: %{{.*}} = tt.descriptor_gather %[[G]][%{{.*}}, %{{.*}}] : (!tt.tensordesc<tensor<1x32xf32>>, tensor<8xi32>, i32) -> tensor<8x32xf32>
// CHECK-NEXT: tt.descriptor_scatter %[[G]][%{{.*}}, %{{.*}}], %{{.*}} : !tt.tensordesc<tensor<1x32xf32>>, tensor<8xi32>, i32, tensor<8x32xf32>
tt.func @descriptors(%base: !tt.ptr<f32>, %M: i32, %N: i32, %s0: i64, %x: i32, %y: i32, %v: tensor<32x32xf32>, %xo: tensor<8xi32>, %rows: tensor<8x32xf32>) {
  %c1 = arith.constant 1 : i64
  %d = tt.make_tensor_descriptor %base, [%M, %N], [%s0, %c1] : <f32>, <tensor<32x32xf32>>
  %d2 = tt.make_tensor_descriptor %base, [%M, %N], [%s0, %c1] {padding = 2 : i32} : <f32>, <tensor<32x32xf32>>
  %g = tt.make_tensor_descriptor %base, [%M, %N], [%s0, %c1] : <f32>, <tensor<1x32xf32>>
  %0 = tt.descriptor_load %d[%x, %y] : !tt.tensordesc<tensor<32x32xf32>> -> tensor<32x32xf32>
  %1 = tt.descriptor_load %d[%x, %y] cacheModifier = cg evictionPolicy = evict_last : !tt.tensordesc<tensor<32x32xf32>> -> tensor<32x32xf32>
  tt.descriptor_store %d[%x, %y], %v : !tt.tensordesc<tensor<32x32xf32>>, tensor<32x32xf32>
  tt.descriptor_reduce add, %d[%x, %y], %v : !tt.tensordesc<tensor<32x32xf32>>, tensor<32x32xf32>
  tt.descriptor_reduce max, %d[%x, %y], %v : !tt.tensordesc<tensor<32x32xf32>>, tensor<32x32xf32>
  %2 = tt.descriptor_gather %g[%xo, %y] : (!tt.tensordesc<tensor<1x32xf32>>, tensor<8xi32>, i32) -> tensor<8x32xf32>
  tt.descriptor_scatter %g[%xo, %y], %rows : !tt.tensordesc<tensor<1x32xf32>>, tensor<8xi32>, i32, tensor<8x32xf32>
  tt.return
}

// A tensor descriptor passed as a kernel argument; the load drops a leading unit dimension.
// CHECK-LABEL: tt.func public @descriptor_arg
// CHECK-SAME: (%[[D:[a-z0-9_]+]]: !tt.tensordesc<tensor<16x16xf16>>, %{{.*}}: i32, %[[D3:[a-z0-9_]+]]: !tt.tensordesc<tensor<1x16x16xf16>>) -> tensor<16x16xf16>
// CHECK-NEXT: %{{.*}} = tt.descriptor_load %[[D]][%{{.*}}, %{{.*}}] : !tt.tensordesc<tensor<16x16xf16>> -> tensor<16x16xf16>
// CHECK-NEXT: %{{.*}} = tt.descriptor_load %[[D3]][%{{.*}}, %{{.*}}, %{{.*}}] : !tt.tensordesc<tensor<1x16x16xf16>> -> tensor<16x16xf16>
tt.func public @descriptor_arg(%d: !tt.tensordesc<tensor<16x16xf16>>, %x: i32, %d3: !tt.tensordesc<tensor<1x16x16xf16>>) -> tensor<16x16xf16> {
  %0 = tt.descriptor_load %d[%x, %x] : !tt.tensordesc<tensor<16x16xf16>> -> tensor<16x16xf16>
  %1 = tt.descriptor_load %d3[%x, %x, %x] : !tt.tensordesc<tensor<1x16x16xf16>> -> tensor<16x16xf16>
  tt.return %0 : tensor<16x16xf16>
}

// make_range, splat (incl. 0-D), unsplat, expand_dims, broadcast.
// CHECK-LABEL: tt.func @make_range_splat_broadcast
// CHECK-NEXT: %[[R:[a-z0-9_]+]] = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.make_range {end = 96 : i32, start = 32 : i32} : tensor<64xi32>
// CHECK-NEXT: %{{.*}} = tt.splat %{{.*}} : f32 -> tensor<128xf32>
// CHECK-NEXT: %{{.*}} = tt.splat %{{.*}} : f32 -> tensor<f32>
// CHECK-NEXT: %{{.*}} = tt.splat %{{.*}} : !tt.ptr<f32> -> tensor<8x8x!tt.ptr<f32>>
// CHECK-NEXT: %{{.*}} = tt.unsplat %{{.*}} : tensor<1x1xf32>
// CHECK-NEXT: %[[E:[a-z0-9_]+]] = tt.expand_dims %[[R]] {axis = 1 : i32} : tensor<128xi32> -> tensor<128x1xi32>
// CHECK-NEXT: %{{.*}} = tt.expand_dims %[[R]] {axis = 0 : i32} : tensor<128xi32> -> tensor<1x128xi32>
// CHECK-NEXT: %{{.*}} = tt.broadcast %[[E]] : tensor<128x1xi32> -> tensor<128x64xi32>
tt.func @make_range_splat_broadcast(%f: f32, %p: !tt.ptr<f32>, %t1: tensor<1x1xf32>) {
  %0 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  %1 = tt.make_range {end = 96 : i32, start = 32 : i32} : tensor<64xi32>
  %2 = tt.splat %f : f32 -> tensor<128xf32>
  %3 = tt.splat %f : f32 -> tensor<f32>
  %4 = tt.splat %p : !tt.ptr<f32> -> tensor<8x8x!tt.ptr<f32>>
  %5 = tt.unsplat %t1 : tensor<1x1xf32>
  %6 = tt.expand_dims %0 {axis = 1 : i32} : tensor<128xi32> -> tensor<128x1xi32>
  %7 = tt.expand_dims %0 {axis = 0 : i32} : tensor<128xi32> -> tensor<1x128xi32>
  %8 = tt.broadcast %6 : tensor<128x1xi32> -> tensor<128x64xi32>
  tt.return
}

// reshape (plain, allow_reorder, efficient_layout), trans, cat, join, split.
// CHECK-LABEL: tt.func @reshape_trans_join_split
// CHECK-NEXT: %{{.*}} = tt.reshape %{{.*}} : tensor<16x32xf32> -> tensor<512xf32>
// CHECK-NEXT: %{{.*}} = tt.reshape %{{.*}} allow_reorder : tensor<16x32xf32> -> tensor<32x16xf32>
// CHECK-NEXT: %{{.*}} = tt.reshape %{{.*}} allow_reorder efficient_layout : tensor<16x32xf32> -> tensor<512xf32>
// CHECK-NEXT: %{{.*}} = tt.trans %{{.*}} {order = array<i32: 1, 0>} : tensor<16x32xf32> -> tensor<32x16xf32>
// CHECK-NEXT: %{{.*}} = tt.trans %{{.*}} {order = array<i32: 2, 0, 1>} : tensor<2x4x8xf16> -> tensor<8x2x4xf16>
// CHECK-NEXT: %{{.*}} = tt.cat %{{.*}}, %{{.*}} : tensor<128xf32> -> tensor<256xf32>
// CHECK-NEXT: %[[J:[a-z0-9_]+]] = tt.join %{{.*}}, %{{.*}} : tensor<128xf32> -> tensor<128x2xf32>
// CHECK-NEXT: %{{.*}}, %{{.*}} = tt.split %[[J]] : tensor<128x2xf32> -> tensor<128xf32>
tt.func @reshape_trans_join_split(%t: tensor<128xf32>, %m: tensor<16x32xf32>, %m3: tensor<2x4x8xf16>) {
  %0 = tt.reshape %m : tensor<16x32xf32> -> tensor<512xf32>
  %1 = tt.reshape %m allow_reorder : tensor<16x32xf32> -> tensor<32x16xf32>
  %2 = tt.reshape %m allow_reorder efficient_layout : tensor<16x32xf32> -> tensor<512xf32>
  %3 = tt.trans %m {order = array<i32: 1, 0>} : tensor<16x32xf32> -> tensor<32x16xf32>
  %4 = tt.trans %m3 {order = array<i32: 2, 0, 1>} : tensor<2x4x8xf16> -> tensor<8x2x4xf16>
  %5 = tt.cat %t, %t : tensor<128xf32> -> tensor<256xf32>
  %6 = tt.join %t, %t : tensor<128xf32> -> tensor<128x2xf32>
  %7, %8 = tt.split %6 : tensor<128x2xf32> -> tensor<128xf32>
  tt.return
}

// gather (with and without efficient_layout) and histogram (with and without mask).
// CHECK-LABEL: tt.func @gather_histogram
// CHECK-NEXT: %{{.*}} = tt.gather %{{.*}}[%{{.*}}] {axis = 0 : i32} : (tensor<16x32xf32>, tensor<8x32xi32>) -> tensor<8x32xf32>
// CHECK-NEXT: %{{.*}} = tt.gather %{{.*}}[%{{.*}}] {axis = 0 : i32, efficient_layout} : (tensor<128xf32>, tensor<64xi32>) -> tensor<64xf32>
// CHECK-NEXT: %{{.*}} = tt.histogram %{{.*}} : tensor<64xi32> -> tensor<16xi32>
// CHECK-NEXT: %{{.*}} = tt.histogram %{{.*}}, %{{.*}} : tensor<64xi32> -> tensor<16xi32>
tt.func @gather_histogram(%t: tensor<128xf32>, %m: tensor<16x32xf32>, %idx2: tensor<8x32xi32>, %idx: tensor<64xi32>, %mask: tensor<64xi1>) {
  %0 = tt.gather %m[%idx2] {axis = 0 : i32} : (tensor<16x32xf32>, tensor<8x32xi32>) -> tensor<8x32xf32>
  %1 = tt.gather %t[%idx] {axis = 0 : i32, efficient_layout} : (tensor<128xf32>, tensor<64xi32>) -> tensor<64xf32>
  %2 = tt.histogram %idx : tensor<64xi32> -> tensor<16xi32>
  %3 = tt.histogram %idx, %mask : tensor<64xi32> -> tensor<16xi32>
  tt.return
}

// dot: default precision, every inputPrecision, maxNumImpreciseAcc, and a batched 3-D dot.
// CHECK-LABEL: tt.func @dots
// CHECK-NEXT: %{{.*}} = tt.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<128x32xf16> * tensor<32x64xf16> -> tensor<128x64xf32>
// CHECK-NEXT: %{{.*}} = tt.dot %{{.*}}, %{{.*}}, %{{.*}}, inputPrecision = tf32 : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
// CHECK-NEXT: %{{.*}} = tt.dot %{{.*}}, %{{.*}}, %{{.*}}, inputPrecision = tf32x3 : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
// CHECK-NEXT: %{{.*}} = tt.dot %{{.*}}, %{{.*}}, %{{.*}}, inputPrecision = bf16x3 : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
// CHECK-NEXT: %{{.*}} = tt.dot %{{.*}}, %{{.*}}, %{{.*}}, inputPrecision = bf16x6 : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
// CHECK-NEXT: %{{.*}} = tt.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
// CHECK-NEXT: %{{.*}} = tt.dot %{{.*}}, %{{.*}}, %{{.*}} {maxNumImpreciseAcc = 32 : i32} : tensor<128x32xf8E4M3FN> * tensor<32x64xf8E5M2> -> tensor<128x64xf32>
// CHECK-NEXT: %{{.*}} = tt.dot %{{.*}}, %{{.*}}, %{{.*}}, inputPrecision = tf32 {maxNumImpreciseAcc = 16 : i32} : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
// CHECK-NEXT: %{{.*}} = tt.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x16x32xf16> * tensor<2x32x16xf16> -> tensor<2x16x16xf32>
tt.func @dots(%a: tensor<128x32xf16>, %b: tensor<32x64xf16>, %c: tensor<128x64xf32>, %fa: tensor<128x32xf32>, %fb: tensor<32x64xf32>, %ba: tensor<2x16x32xf16>, %bb: tensor<2x32x16xf16>, %bc: tensor<2x16x16xf32>, %ea: tensor<128x32xf8E4M3FN>, %eb: tensor<32x64xf8E5M2>) {
  %0 = tt.dot %a, %b, %c : tensor<128x32xf16> * tensor<32x64xf16> -> tensor<128x64xf32>
  %1 = tt.dot %fa, %fb, %c, inputPrecision = tf32 : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
  %2 = tt.dot %fa, %fb, %c, inputPrecision = tf32x3 : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
  %3 = tt.dot %fa, %fb, %c, inputPrecision = bf16x3 : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
  %4 = tt.dot %fa, %fb, %c, inputPrecision = bf16x6 : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
  %5 = tt.dot %fa, %fb, %c, inputPrecision = ieee : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
  %6 = tt.dot %ea, %eb, %c {maxNumImpreciseAcc = 32 : i32} : tensor<128x32xf8E4M3FN> * tensor<32x64xf8E5M2> -> tensor<128x64xf32>
  %7 = tt.dot %fa, %fb, %c, inputPrecision = tf32 {maxNumImpreciseAcc = 16 : i32} : tensor<128x32xf32> * tensor<32x64xf32> -> tensor<128x64xf32>
  %8 = tt.dot %ba, %bb, %bc : tensor<2x16x32xf16> * tensor<2x32x16xf16> -> tensor<2x16x16xf32>
  tt.return
}

// dot_scaled with both scales, with only the rhs scale, and with lhs_k_pack = false.
// CHECK-LABEL: tt.func @dot_scaled
// CHECK-NEXT: %{{.*}} = tt.dot_scaled %{{.*}} scale %{{.*}}, %{{.*}} scale %{{.*}}, %{{.*}} lhs = e2m1 rhs = e4m3 {fastMath = false} : tensor<128x32xi8>, tensor<128x2xi8> * tensor<64x128xf8E4M3FN>, tensor<128x2xi8> -> tensor<128x128xf32>
// CHECK-NEXT: %{{.*}} = tt.dot_scaled %{{.*}}, %{{.*}} scale %{{.*}}, %{{.*}} lhs = bf16 rhs = e4m3 {fastMath = true} : tensor<128x64xbf16> * tensor<64x128xf8E4M3FN>, tensor<128x2xi8> -> tensor<128x128xf32>
// CHECK-NEXT: %{{.*}} = tt.dot_scaled %{{.*}} scale %{{.*}}, %{{.*}}, %{{.*}} lhs = e2m1 rhs = e5m2 {fastMath = false, lhs_k_pack = false} : tensor<64x64xi8>, tensor<128x2xi8> * tensor<64x128xf8E4M3FN> -> tensor<128x128xf32>
tt.func @dot_scaled(%a: tensor<128x32xi8>, %as: tensor<128x2xi8>, %b: tensor<64x128xf8E4M3FN>, %bs: tensor<128x2xi8>, %c: tensor<128x128xf32>, %h: tensor<128x64xbf16>, %ma: tensor<64x64xi8>, %mas: tensor<128x2xi8>) {
  %0 = tt.dot_scaled %a scale %as, %b scale %bs, %c lhs = e2m1 rhs = e4m3 {fastMath = false} : tensor<128x32xi8>, tensor<128x2xi8> * tensor<64x128xf8E4M3FN>, tensor<128x2xi8> -> tensor<128x128xf32>
  %1 = tt.dot_scaled %h, %b scale %bs, %c lhs = bf16 rhs = e4m3 {fastMath = true} : tensor<128x64xbf16> * tensor<64x128xf8E4M3FN>, tensor<128x2xi8> -> tensor<128x128xf32>
  %2 = tt.dot_scaled %ma scale %mas, %b, %c lhs = e2m1 rhs = e5m2 {fastMath = false, lhs_k_pack = false} : tensor<64x64xi8>, tensor<128x2xi8> * tensor<64x128xf8E4M3FN> -> tensor<128x128xf32>
  tt.return
}

// tt.reduce in generic form: to a scalar, along an inner axis, and a two-operand argmax.
// CHECK-LABEL: tt.func @reduce
// CHECK-NEXT: %{{.*}} = "tt.reduce"(%{{.*}}) <{axis = 0 : i32}> ({
// CHECK-NEXT: ^bb0(%[[A:[a-z0-9_]+]]: f32, %[[B:[a-z0-9_]+]]: f32):
// CHECK-NEXT: %[[S:[a-z0-9_]+]] = arith.addf %[[A]], %[[B]] : f32
// CHECK-NEXT: tt.reduce.return %[[S]] : f32
// CHECK-NEXT: }) : (tensor<128xf32>) -> f32
// CHECK-NEXT: %{{.*}} = "tt.reduce"(%{{.*}}) <{axis = 1 : i32}> ({
// CHECK-NEXT: ^bb0(%{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.maxnumf
// CHECK-NEXT: tt.reduce.return %{{.*}} : f32
// CHECK-NEXT: }) : (tensor<16x32xf32>) -> tensor<16xf32>
// CHECK-NEXT: %{{.*}}:2 = "tt.reduce"(%{{.*}}, %{{.*}}) <{axis = 1 : i32}> ({
// CHECK-NEXT: ^bb0(%{{.*}}: f32, %{{.*}}: i32, %{{.*}}: f32, %{{.*}}: i32):
// CHECK-COUNT-7: arith.
// CHECK-NEXT: tt.reduce.return %{{.*}}, %{{.*}} : f32, i32
// CHECK-NEXT: }) : (tensor<16x32xf32>, tensor<16x32xi32>) -> (tensor<16xf32>, tensor<16xi32>)
tt.func @reduce(%t: tensor<128xf32>, %m: tensor<16x32xf32>, %idx: tensor<16x32xi32>) {
  %0 = "tt.reduce"(%t) <{axis = 0 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.reduce.return %s : f32
  }) : (tensor<128xf32>) -> f32
  %1 = "tt.reduce"(%m) <{axis = 1 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.maxnumf %a, %b : f32
    tt.reduce.return %s : f32
  }) : (tensor<16x32xf32>) -> tensor<16xf32>
  %2:2 = "tt.reduce"(%m, %idx) <{axis = 1 : i32}> ({
  ^bb0(%v0: f32, %i0: i32, %v1: f32, %i1: i32):
    %gt = arith.cmpf ogt, %v0, %v1 : f32
    %eq = arith.cmpf oeq, %v0, %v1 : f32
    %lt = arith.cmpi slt, %i0, %i1 : i32
    %tie = arith.andi %eq, %lt : i1
    %pick = arith.ori %gt, %tie : i1
    %v = arith.select %pick, %v0, %v1 : f32
    %i = arith.select %pick, %i0, %i1 : i32
    tt.reduce.return %v, %i : f32, i32
  }) : (tensor<16x32xf32>, tensor<16x32xi32>) -> (tensor<16xf32>, tensor<16xi32>)
  tt.return
}

// Inherent attributes written in the attribute dictionary (older Triton tests do this) print as properties.
// CHECK-LABEL: tt.func @reduce_attr_dict
// CHECK-NEXT: %{{.*}} = "tt.reduce"(%{{.*}}) <{axis = 0 : i32}> ({
// CHECK: }) : (tensor<4x128xf32>) -> tensor<128xf32>
// CHECK-NEXT: %{{.*}} = "tt.scan"(%{{.*}}) <{axis = 1 : i32, reverse = false}> ({
// CHECK: }) : (tensor<4x128xf32>) -> tensor<4x128xf32>
tt.func @reduce_attr_dict(%v: tensor<4x128xf32>) {
  %0 = "tt.reduce" (%v) ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.reduce.return %s : f32
  }) {axis = 0 : i32} : (tensor<4x128xf32>) -> tensor<128xf32>
  %1 = "tt.scan" (%v) ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.scan.return %s : f32
  }) {axis = 1 : i32, reverse = false} : (tensor<4x128xf32>) -> tensor<4x128xf32>
  tt.return
}

// tt.scan in generic form, forward and reverse.
// CHECK-LABEL: tt.func @scan
// CHECK-NEXT: %{{.*}} = "tt.scan"(%{{.*}}) <{axis = 0 : i32, reverse = false}> ({
// CHECK-NEXT: ^bb0(%{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.addf
// CHECK-NEXT: tt.scan.return %{{.*}} : f32
// CHECK-NEXT: }) : (tensor<128xf32>) -> tensor<128xf32>
// CHECK-NEXT: %{{.*}} = "tt.scan"(%{{.*}}) <{axis = 1 : i32, reverse = true}> ({
// CHECK-NEXT: ^bb0(%{{.*}}: i32, %{{.*}}: i32):
// CHECK-NEXT: arith.muli
// CHECK-NEXT: tt.scan.return %{{.*}} : i32
// CHECK-NEXT: }) : (tensor<16x32xi32>) -> tensor<16x32xi32>
tt.func @scan(%t: tensor<128xf32>, %m: tensor<16x32xi32>) {
  %0 = "tt.scan"(%t) <{axis = 0 : i32, reverse = false}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.scan.return %s : f32
  }) : (tensor<128xf32>) -> tensor<128xf32>
  %1 = "tt.scan"(%m) <{axis = 1 : i32, reverse = true}> ({
  ^bb0(%a: i32, %b: i32):
    %s = arith.muli %a, %b : i32
    tt.scan.return %s : i32
  }) : (tensor<16x32xi32>) -> tensor<16x32xi32>
  tt.return
}

// tt.map_elementwise in generic form, with pack = 1 and with two operands packed by 2.
// CHECK-LABEL: tt.func @map_elementwise
// CHECK-NEXT: %{{.*}} = "tt.map_elementwise"(%{{.*}}) <{pack = 1 : i32}> ({
// CHECK-NEXT: ^bb0(%{{.*}}: i32):
// CHECK-NEXT: arith.constant 1 : i32
// CHECK-NEXT: %[[S:[a-z0-9_]+]] = arith.addi
// CHECK-NEXT: tt.map_elementwise.return %[[S]] : i32
// CHECK-NEXT: }) : (tensor<128xi32>) -> tensor<128xi32>
// CHECK-NEXT: %{{.*}}:2 = "tt.map_elementwise"(%{{.*}}, %{{.*}}) <{pack = 2 : i32}> ({
// CHECK-NEXT: ^bb0(%{{.*}}: i32, %{{.*}}: i32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: tt.map_elementwise.return %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : i32, i32, f32, f32
// CHECK-NEXT: }) : (tensor<128xi32>, tensor<128xf32>) -> (tensor<128xi32>, tensor<128xf32>)
tt.func @map_elementwise(%x: tensor<128xi32>, %y: tensor<128xf32>) {
  %0 = "tt.map_elementwise"(%x) <{pack = 1 : i32}> ({
  ^bb0(%a: i32):
    %c = arith.constant 1 : i32
    %s = arith.addi %a, %c : i32
    tt.map_elementwise.return %s : i32
  }) : (tensor<128xi32>) -> tensor<128xi32>
  %1:2 = "tt.map_elementwise"(%x, %y) <{pack = 2 : i32}> ({
  ^bb0(%a0: i32, %a1: i32, %b0: f32, %b1: f32):
    tt.map_elementwise.return %a1, %a0, %b1, %b0 : i32, i32, f32, f32
  }) : (tensor<128xi32>, tensor<128xf32>) -> (tensor<128xi32>, tensor<128xf32>)
  tt.return
}

// extern_elementwise (pure tensor, impure scalar) and elementwise_inline_asm (one, two and no operands).
// CHECK-LABEL: tt.func @external_code
// CHECK-NEXT: %{{.*}} = tt.extern_elementwise %{{.*}} {libname = "", libpath = "", pure = true, symbol = "__nv_sinf"} : (tensor<128xf32>) -> tensor<128xf32>
// CHECK-NEXT: %{{.*}} = tt.extern_elementwise %{{.*}}, %{{.*}} {libname = "libdevice", libpath = "/path/libdevice.10.bc", pure = false, symbol = "__nv_powf"} : (f32, f32) -> f32
// CHECK-NEXT: %{{.*}} = tt.elementwise_inline_asm "shl.b32 $0, $0, 3;" {constraints = "=r,r", packed_element = 1 : i32, pure = true} %{{.*}} : tensor<128xi32> -> tensor<128xi32>
// CHECK-NEXT: %{{.*}}:2 = tt.elementwise_inline_asm "mov.b32 $0, $2; mov.b32 $1, $3;" {constraints = "=r,=r,r,r", packed_element = 1 : i32, pure = false} %{{.*}}, %{{.*}} : tensor<128xi32>, tensor<128xi32> -> tensor<128xi32>, tensor<128xi32>
// CHECK-NEXT: %{{.*}} = tt.elementwise_inline_asm "prmt.b32 $0, $1, 0, 0x0123;" {constraints = "=r,r", packed_element = 4 : i32, pure = true} %{{.*}} : tensor<512xi8> -> tensor<512xi8>
// CHECK-NEXT: %{{.*}} = tt.elementwise_inline_asm "mov.u32 $0, %clock;" {constraints = "=r", packed_element = 1 : i32, pure = false} -> i32
tt.func @external_code(%t: tensor<128xf32>, %f: f32, %i: tensor<128xi32>, %b: tensor<512xi8>) {
  %0 = tt.extern_elementwise %t {libname = "", libpath = "", pure = true, symbol = "__nv_sinf"} : (tensor<128xf32>) -> tensor<128xf32>
  %1 = tt.extern_elementwise %f, %f {libname = "libdevice", libpath = "/path/libdevice.10.bc", pure = false, symbol = "__nv_powf"} : (f32, f32) -> f32
  %2 = tt.elementwise_inline_asm "shl.b32 $0, $0, 3;" {constraints = "=r,r", packed_element = 1 : i32, pure = true} %i : tensor<128xi32> -> tensor<128xi32>
  %3:2 = tt.elementwise_inline_asm "mov.b32 $0, $2; mov.b32 $1, $3;" {constraints = "=r,=r,r,r", packed_element = 1 : i32, pure = false} %i, %i : tensor<128xi32>, tensor<128xi32> -> tensor<128xi32>, tensor<128xi32>
  %4 = tt.elementwise_inline_asm "prmt.b32 $0, $1, 0, 0x0123;" {constraints = "=r,r", packed_element = 4 : i32, pure = true} %b : tensor<512xi8> -> tensor<512xi8>
  %5 = tt.elementwise_inline_asm "mov.u32 $0, %clock;" {constraints = "=r", packed_element = 1 : i32, pure = false} -> i32
  tt.return
}

// tt.print without and with operands, tt.assert on a tensor and on a scalar.
// CHECK-LABEL: tt.func @debug_ops
// CHECK-NEXT: tt.print "no args" {hex = false, isSigned = array<i32>}
// CHECK-NEXT: tt.print ": " {hex = false, isSigned = array<i32: 1>} : %{{.*}} : tensor<128xi32>
// CHECK-NEXT: tt.print "two: " {hex = true, isSigned = array<i32: 0, 0>} : %{{.*}}, %{{.*}} : tensor<128xi32>, tensor<128xf32>
// CHECK-NEXT: tt.assert %{{.*}}, "tensor assert" : tensor<128xi1>
// CHECK-NEXT: tt.assert %{{.*}}, "scalar assert" : i1
tt.func @debug_ops(%t: tensor<128xi32>, %f: tensor<128xf32>, %c: tensor<128xi1>, %s: i1) {
  tt.print "no args" {hex = false, isSigned = array<i32>}
  tt.print ": " {hex = false, isSigned = array<i32: 1>} : %t : tensor<128xi32>
  tt.print "two: " {hex = true, isSigned = array<i32: 0, 0>} : %t, %f : tensor<128xi32>, tensor<128xf32>
  tt.assert %c, "tensor assert" : tensor<128xi1>
  tt.assert %s, "scalar assert" : i1
  tt.return
}

// Pointer and descriptor types: default address space elided, other address spaces printed, block pointers, pointers to pointers.
// CHECK-LABEL: tt.func @types
// CHECK-SAME: (%{{.*}}: !tt.ptr<f32>, %{{.*}}: !tt.ptr<f32, 3>, %{{.*}}: !tt.ptr<i8, 0>, %{{.*}}: !tt.ptr<tensor<64x64xf16>>, %{{.*}}: !tt.ptr<tensor<64x64xf16>, 3>, %{{.*}}: !tt.tensordesc<tensor<16x16xf16>>, %{{.*}}: tensor<4x!tt.ptr<bf16, 3>>, %{{.*}}: !tt.ptr<!tt.ptr<f32>>) -> !tt.ptr<f32, 3> {
// CHECK-NEXT: tt.return %{{.*}} : !tt.ptr<f32, 3>
tt.func @types(%a: !tt.ptr<f32, 1>, %b: !tt.ptr<f32, 3>, %c: !tt.ptr<i8, 0>, %d: !tt.ptr<tensor<64x64xf16>>, %e: !tt.ptr<tensor<64x64xf16>, 3>, %f: !tt.tensordesc<tensor<16x16xf16>>, %g: tensor<4x!tt.ptr<bf16, 3>>, %h: !tt.ptr<!tt.ptr<f32>>) -> !tt.ptr<f32, 3> {
  tt.return %b : !tt.ptr<f32, 3>
}
