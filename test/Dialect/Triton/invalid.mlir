// RUN: flagtree-opt %s -split-input-file -verify-diagnostics

// Diagnostics of the `tt` dialect: the verifiers in
// lib/Dialect/Triton/IR/TritonOps.cpp, the custom parsers, and the main ODS
// type constraints. Where the custom syntax infers a type from another
// operand (so that the mismatch cannot be written), the generic form is used
// to reach the verifier.

//===----------------------------------------------------------------------===//
// tt.load
//===----------------------------------------------------------------------===//

// Load: the mask must have the shape of the pointer tensor (generic form reaches the verifier).
tt.func @load_mask_shape(%p: tensor<128x!tt.ptr<f32>>, %m: tensor<64xi1>) {
  // expected-error @+1 {{'tt.load' op mask type 'tensor<64xi1>' does not match pointer type 'tensor<128x!tt.ptr<f32>>'}}
  %0 = "tt.load"(%p, %m) <{operandSegmentSizes = array<i32: 1, 1, 0>}> : (tensor<128x!tt.ptr<f32>>, tensor<64xi1>) -> tensor<128xf32>
  tt.return
}

// -----

// Load: in custom syntax the mask type is inferred from the pointer, so a wrong mask is a use-type mismatch.
// expected-note @+1 {{prior use here}}
tt.func @load_mask_shape_custom(%p: tensor<128x!tt.ptr<f32>>, %m: tensor<64xi1>) {
  // expected-error @+1 {{use of value '%m' expects different type than prior uses: 'tensor<128xi1>' vs 'tensor<64xi1>'}}
  %0 = tt.load %p, %m : tensor<128x!tt.ptr<f32>>
  tt.return
}

// -----

// Load: 'other' without a mask.
tt.func @load_other_without_mask(%p: tensor<128x!tt.ptr<f32>>, %o: tensor<128xf32>) {
  // expected-error @+1 {{'tt.load' op 'other' needs a mask}}
  %0 = "tt.load"(%p, %o) <{operandSegmentSizes = array<i32: 1, 0, 1>}> : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
  tt.return
}

// -----

// Load: 'other' must have the loaded type.
tt.func @load_other_type(%p: tensor<128x!tt.ptr<f32>>, %m: tensor<128xi1>, %o: tensor<128xf16>) {
  // expected-error @+1 {{'tt.load' op other value type 'tensor<128xf16>' does not match the loaded type 'tensor<128xf32>'}}
  %0 = "tt.load"(%p, %m, %o) <{operandSegmentSizes = array<i32: 1, 1, 1>}> : (tensor<128x!tt.ptr<f32>>, tensor<128xi1>, tensor<128xf16>) -> tensor<128xf32>
  tt.return
}

// -----

// Load: the result must be the pointee type.
tt.func @load_result_type(%p: tensor<128x!tt.ptr<f32>>) {
  // expected-error @+1 {{'tt.load' op failed to verify that result has the pointee type of ptr}}
  %0 = "tt.load"(%p) <{operandSegmentSizes = array<i32: 1, 0, 0>}> : (tensor<128x!tt.ptr<f32>>) -> tensor<128xf16>
  tt.return
}

// -----

// Load: a block pointer takes boundaryCheck, not a mask.
tt.func @load_block_pointer_mask(%p: !tt.ptr<tensor<64x64xf16>>, %m: tensor<64x64xi1>) {
  // expected-error @+1 {{'tt.load' op block-pointer loads take boundaryCheck, not a mask}}
  %0 = tt.load %p, %m : !tt.ptr<tensor<64x64xf16>>
  tt.return
}

// -----

// Load: boundaryCheck on a tensor of pointers.
tt.func @load_boundary_check_non_block(%p: tensor<128x!tt.ptr<f32>>) {
  // expected-error @+1 {{'tt.load' op boundaryCheck needs a block pointer, not 'tensor<128x!tt.ptr<f32>>'}}
  %0 = tt.load %p {boundaryCheck = array<i32: 0>} : tensor<128x!tt.ptr<f32>>
  tt.return
}

// -----

// Load: boundaryCheck dimension beyond the block rank.
tt.func @load_boundary_check_out_of_range(%p: !tt.ptr<tensor<64x64xf16>>) {
  // expected-error @+1 {{'tt.load' op boundaryCheck dimension 2 is out of range for a block of rank 2}}
  %0 = tt.load %p {boundaryCheck = array<i32: 2>} : !tt.ptr<tensor<64x64xf16>>
  tt.return
}

// -----

// Load: padding without a block pointer.
tt.func @load_padding_non_block(%p: tensor<128x!tt.ptr<f32>>) {
  // expected-error @+1 {{'tt.load' op padding needs a block pointer}}
  %0 = tt.load %p {padding = 1 : i32} : tensor<128x!tt.ptr<f32>>
  tt.return
}

// -----

// Load: at most three operands (pointer, mask, other).
tt.func @load_too_many_operands(%p: tensor<128x!tt.ptr<f32>>, %m: tensor<128xi1>, %o: tensor<128xf32>) {
  // expected-error @+1 {{custom op 'tt.load' expected a pointer, an optional mask and an optional other value}}
  %0 = tt.load %p, %m, %o, %o : tensor<128x!tt.ptr<f32>>
  tt.return
}

// -----

// Load: unknown cache modifier keyword.
tt.func @load_unknown_cache_modifier(%p: tensor<128x!tt.ptr<f32>>) {
  // expected-error @+1 {{custom op 'tt.load' unknown cache modifier 'foo'}}
  %0 = tt.load %p cacheModifier = foo : tensor<128x!tt.ptr<f32>>
  tt.return
}

// -----

// Load: unknown eviction policy keyword.
tt.func @load_unknown_eviction_policy(%p: tensor<128x!tt.ptr<f32>>) {
  // expected-error @+1 {{custom op 'tt.load' unknown eviction policy 'evict_sometimes'}}
  %0 = tt.load %p evictionPolicy = evict_sometimes : tensor<128x!tt.ptr<f32>>
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// tt.store
//===----------------------------------------------------------------------===//

// Store: the stored value must have the pointee type (generic form reaches the verifier).
tt.func @store_value_type(%p: tensor<128x!tt.ptr<f32>>, %v: tensor<128xf16>) {
  // expected-error @+1 {{'tt.store' op stored value type 'tensor<128xf16>' does not match pointer type 'tensor<128x!tt.ptr<f32>>'}}
  "tt.store"(%p, %v) : (tensor<128x!tt.ptr<f32>>, tensor<128xf16>) -> ()
  tt.return
}

// -----

// Store: in custom syntax the value type is inferred from the pointer.
// expected-note @+1 {{prior use here}}
tt.func @store_value_type_custom(%p: tensor<128x!tt.ptr<f32>>, %v: tensor<64xf32>) {
  // expected-error @+1 {{use of value '%v' expects different type than prior uses: 'tensor<128xf32>' vs 'tensor<64xf32>'}}
  tt.store %p, %v : tensor<128x!tt.ptr<f32>>
  tt.return
}

// -----

// Store: the mask must have the shape of the pointer tensor.
tt.func @store_mask_shape(%p: tensor<128x!tt.ptr<f32>>, %v: tensor<128xf32>, %m: tensor<64xi1>) {
  // expected-error @+1 {{'tt.store' op mask type 'tensor<64xi1>' does not match pointer type 'tensor<128x!tt.ptr<f32>>'}}
  "tt.store"(%p, %v, %m) : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>, tensor<64xi1>) -> ()
  tt.return
}

// -----

// Store: a block pointer takes boundaryCheck, not a mask.
tt.func @store_block_pointer_mask(%p: !tt.ptr<tensor<64x64xf16>>, %v: tensor<64x64xf16>, %m: tensor<64x64xi1>) {
  // expected-error @+1 {{'tt.store' op block-pointer stores take boundaryCheck, not a mask}}
  tt.store %p, %v, %m : !tt.ptr<tensor<64x64xf16>>
  tt.return
}

// -----

// Store: boundaryCheck on a tensor of pointers.
tt.func @store_boundary_check_non_block(%p: tensor<128x!tt.ptr<f32>>, %v: tensor<128xf32>) {
  // expected-error @+1 {{'tt.store' op boundaryCheck needs a block pointer, not 'tensor<128x!tt.ptr<f32>>'}}
  tt.store %p, %v {boundaryCheck = array<i32: 0>} : tensor<128x!tt.ptr<f32>>
  tt.return
}

// -----

// Store: negative boundaryCheck dimension.
tt.func @store_boundary_check_negative(%p: !tt.ptr<tensor<64x64xf16>>, %v: tensor<64x64xf16>) {
  // expected-error @+1 {{'tt.store' op boundaryCheck dimension -1 is out of range for a block of rank 2}}
  tt.store %p, %v {boundaryCheck = array<i32: -1>} : !tt.ptr<tensor<64x64xf16>>
  tt.return
}

// -----

// Store: a value operand is required.
tt.func @store_missing_value(%p: tensor<128x!tt.ptr<f32>>) {
  // expected-error @+1 {{custom op 'tt.store' expected a pointer, a value and an optional mask}}
  tt.store %p : tensor<128x!tt.ptr<f32>>
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// Atomics
//===----------------------------------------------------------------------===//

// atomic_rmw: fadd on integers.
tt.func @atomic_rmw_fadd_on_int(%p: tensor<128x!tt.ptr<i32>>, %v: tensor<128xi32>) {
  // expected-error @+1 {{'tt.atomic_rmw' op 'fadd' needs floating-point values, not 'i32'}}
  %0 = tt.atomic_rmw fadd, acq_rel, gpu, %p, %v : (tensor<128x!tt.ptr<i32>>, tensor<128xi32>) -> tensor<128xi32>
  tt.return
}

// -----

// atomic_rmw: add on floats.
tt.func @atomic_rmw_add_on_float(%p: tensor<128x!tt.ptr<f32>>, %v: tensor<128xf32>) {
  // expected-error @+1 {{'tt.atomic_rmw' op 'add' needs integer values, not 'f32'}}
  %0 = tt.atomic_rmw add, acq_rel, gpu, %p, %v : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>) -> tensor<128xf32>
  tt.return
}

// -----

// atomic_rmw: bitwise and on a scalar float.
tt.func @atomic_rmw_and_on_float(%p: !tt.ptr<f32>, %v: f32) {
  // expected-error @+1 {{'tt.atomic_rmw' op 'and' needs integer values, not 'f32'}}
  %0 = tt.atomic_rmw and, relaxed, gpu, %p, %v : (!tt.ptr<f32>, f32) -> f32
  tt.return
}

// -----

// atomic_rmw: the mask must have the shape of the pointer tensor.
tt.func @atomic_rmw_mask_shape(%p: tensor<128x!tt.ptr<f32>>, %v: tensor<128xf32>, %m: tensor<64xi1>) {
  // expected-error @+1 {{'tt.atomic_rmw' op mask type 'tensor<64xi1>' does not match pointer type 'tensor<128x!tt.ptr<f32>>'}}
  %0 = tt.atomic_rmw fadd, acq_rel, gpu, %p, %v, %m : (tensor<128x!tt.ptr<f32>>, tensor<128xf32>, tensor<64xi1>) -> tensor<128xf32>
  tt.return
}

// -----

// atomic_rmw: the value must have the pointee type.
tt.func @atomic_rmw_value_type(%p: tensor<128x!tt.ptr<f32>>, %v: tensor<128xf16>) {
  // expected-error @+1 {{'tt.atomic_rmw' op failed to verify that val has the pointee type of ptr}}
  %0 = tt.atomic_rmw fadd, acq_rel, gpu, %p, %v : (tensor<128x!tt.ptr<f32>>, tensor<128xf16>) -> tensor<128xf16>
  tt.return
}

// -----

// atomic_rmw: unknown memory semantic keyword.
tt.func @atomic_rmw_unknown_sem(%p: !tt.ptr<f32>, %v: f32) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'sem' [relaxed, acquire, release, acq_rel]}}
  %0 = tt.atomic_rmw fadd, seq_cst, gpu, %p, %v : (!tt.ptr<f32>, f32) -> f32
  tt.return
}

// -----

// atomic_cas: the compared value must have the pointee type.
tt.func @atomic_cas_cmp_type(%p: !tt.ptr<i32>, %c: i64, %v: i32) {
  // expected-error @+1 {{'tt.atomic_cas' op failed to verify that cmp has the pointee type of ptr}}
  %0 = tt.atomic_cas acq_rel, gpu, %p, %c, %v : (!tt.ptr<i32>, i64, i32) -> i32
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// Block pointers and tensor descriptors
//===----------------------------------------------------------------------===//

// make_tensor_ptr: one shape, stride and offset per block dimension.
tt.func @make_tensor_ptr_operand_count(%base: !tt.ptr<f16>, %n: i64, %o: i32) {
  // expected-error @+1 {{'tt.make_tensor_ptr' op needs one shape, stride and offset per dimension of the block (rank 2)}}
  %0 = tt.make_tensor_ptr %base, [%n], [%n], [%o] {order = array<i32: 1, 0>} : <tensor<64x64xf16>>
  tt.return
}

// -----

// make_tensor_ptr: lists of different lengths are split evenly (SameVariadicOperandSize), so the type check fires (as in Triton).
tt.func @make_tensor_ptr_uneven_lists(%base: !tt.ptr<f16>, %n: i64, %o: i32) {
  // expected-error @+1 {{'tt.make_tensor_ptr' op operand #3 must be variadic of 32-bit signless integer, but got 'i64'}}
  %0 = tt.make_tensor_ptr %base, [%n, %n], [%n], [%o, %o] {order = array<i32: 1, 0>} : <tensor<64x64xf16>>
  tt.return
}

// -----

// make_tensor_ptr: order must be a permutation.
tt.func @make_tensor_ptr_bad_order(%base: !tt.ptr<f16>, %n: i64, %o: i32) {
  // expected-error @+1 {{'tt.make_tensor_ptr' op order must be a permutation of 0..1}}
  %0 = tt.make_tensor_ptr %base, [%n, %n], [%n, %n], [%o, %o] {order = array<i32: 1, 1>} : <tensor<64x64xf16>>
  tt.return
}

// -----

// make_tensor_ptr: the base type is inferred from the block element type.
// expected-note @+1 {{prior use here}}
tt.func @make_tensor_ptr_base_type(%base: !tt.ptr<f32>, %n: i64, %o: i32) {
  // expected-error @+1 {{use of value '%base' expects different type than prior uses: '!tt.ptr<f16>' vs '!tt.ptr<f32>'}}
  %0 = tt.make_tensor_ptr %base, [%n, %n], [%n, %n], [%o, %o] {order = array<i32: 1, 0>} : <tensor<64x64xf16>>
  tt.return
}

// -----

// advance: one offset per block dimension.
tt.func @advance_offset_count(%p: !tt.ptr<tensor<64x64xf16>>, %o: i32) {
  // expected-error @+1 {{'tt.advance' op has 1 offsets for a block of rank 2}}
  %0 = tt.advance %p, [%o] : <tensor<64x64xf16>>
  tt.return
}

// -----

// advance: only block pointers can be advanced.
tt.func @advance_scalar_pointer(%p: !tt.ptr<f16>, %o: i32) {
  // expected-error @+1 {{'tt.advance' op operand #0 must be pointer to a block (tensor), but got '!tt.ptr<f16>'}}
  %0 = tt.advance %p, [%o] : <f16>
  tt.return
}

// -----

// make_tensor_descriptor: one shape and one stride per block dimension.
tt.func @make_tensor_descriptor_count(%base: !tt.ptr<f32>, %n: i32, %s: i64) {
  // expected-error @+1 {{'tt.make_tensor_descriptor' op needs one shape and one stride per dimension of the block (rank 2)}}
  %0 = tt.make_tensor_descriptor %base, [%n], [%s] : <f32>, <tensor<32x32xf32>>
  tt.return
}

// -----

// make_tensor_descriptor: the base must point to the block element type.
tt.func @make_tensor_descriptor_element_type(%base: !tt.ptr<f16>, %n: i32, %s: i64) {
  // expected-error @+1 {{'tt.make_tensor_descriptor' op base points to 'f16' but the block holds 'f32'}}
  %0 = tt.make_tensor_descriptor %base, [%n, %n], [%s, %s] : <f16>, <tensor<32x32xf32>>
  tt.return
}

// -----

// descriptor_load: one index per block dimension.
tt.func @descriptor_load_index_count(%d: !tt.tensordesc<tensor<32x32xf32>>, %x: i32) {
  // expected-error @+1 {{'tt.descriptor_load' op has 1 indices for a block of rank 2}}
  %0 = tt.descriptor_load %d[%x] : !tt.tensordesc<tensor<32x32xf32>> -> tensor<32x32xf32>
  tt.return
}

// -----

// descriptor_load: the result element type must be the descriptor's.
tt.func @descriptor_load_element_type(%d: !tt.tensordesc<tensor<32x32xf32>>, %x: i32) {
  // expected-error @+1 {{'tt.descriptor_load' op value element type 'f16' does not match the descriptor's 'f32'}}
  %0 = tt.descriptor_load %d[%x, %x] : !tt.tensordesc<tensor<32x32xf32>> -> tensor<32x32xf16>
  tt.return
}

// -----

// descriptor_load: the result must hold as many elements as the block.
tt.func @descriptor_load_element_count(%d: !tt.tensordesc<tensor<32x32xf32>>, %x: i32) {
  // expected-error @+1 {{'tt.descriptor_load' op value shape [32, 16] must be the descriptor block [32, 32] less some leading unit dimensions}}
  %0 = tt.descriptor_load %d[%x, %x] : !tt.tensordesc<tensor<32x32xf32>> -> tensor<32x16xf32>
  tt.return
}

// -----

// descriptor_store: the stored element type must be the descriptor's.
tt.func @descriptor_store_element_type(%d: !tt.tensordesc<tensor<32x32xf32>>, %x: i32, %v: tensor<32x32xf16>) {
  // expected-error @+1 {{'tt.descriptor_store' op value element type 'f16' does not match the descriptor's 'f32'}}
  tt.descriptor_store %d[%x, %x], %v : !tt.tensordesc<tensor<32x32xf32>>, tensor<32x32xf16>
  tt.return
}

// -----

// descriptor_reduce: one index per block dimension.
tt.func @descriptor_reduce_index_count(%d: !tt.tensordesc<tensor<32x32xf32>>, %x: i32, %v: tensor<32x32xf32>) {
  // expected-error @+1 {{'tt.descriptor_reduce' op has 3 indices for a block of rank 2}}
  tt.descriptor_reduce add, %d[%x, %x, %x], %v : !tt.tensordesc<tensor<32x32xf32>>, tensor<32x32xf32>
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

// make_range: end must be greater than start.
tt.func @make_range_empty() {
  // expected-error @+1 {{'tt.make_range' op tensor 'tensor<0xi32>' has 0 elements; Triton needs a power of two}}
  %0 = tt.make_range {end = 0 : i32, start = 0 : i32} : tensor<0xi32>
  tt.return
}

// -----

// make_range: the result length must be end - start.
tt.func @make_range_wrong_length() {
  // expected-error @+1 {{'tt.make_range' op result must be a 1-D tensor of 128 elements, not 'tensor<64xi32>'}}
  %0 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<64xi32>
  tt.return
}

// -----

// make_range: the result holds i32.
tt.func @make_range_i64() {
  // expected-error @+1 {{'tt.make_range' op result #0 must be ranked tensor of 32-bit signless integer values, but got 'tensor<128xi64>'}}
  %0 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi64>
  tt.return
}

// -----

// unsplat: the source must hold exactly one element.
tt.func @unsplat_many_elements(%t: tensor<16xi32>) {
  // expected-error @+1 {{'tt.unsplat' op needs a tensor with exactly one element, not 'tensor<16xi32>'}}
  %0 = tt.unsplat %t : tensor<16xi32>
  tt.return
}

// -----

// splat: the source must be a scalar.
tt.func @splat_tensor_source(%t: tensor<16xf32>) {
  // expected-error @+1 {{'tt.splat' op operand #0 must be floating-point or integer or pointer to a scalar, but got 'tensor<16xf32>'}}
  %0 = tt.splat %t : tensor<16xf32> -> tensor<16x16xf32>
  tt.return
}

// -----

// splat: the element type is kept.
tt.func @splat_element_type(%f: f32) {
  // expected-error @+1 {{'tt.splat' op requires the same element type for all operands and results}}
  %0 = tt.splat %f : f32 -> tensor<16xf16>
  tt.return
}

// -----

// expand_dims: the unit dimension must be inserted at axis.
tt.func @expand_dims_wrong_shape(%t: tensor<128xi32>) {
  // expected-error @+1 {{'tt.expand_dims' op result shape [1, 128] should be [128, 1]}}
  %0 = tt.expand_dims %t {axis = 1 : i32} : tensor<128xi32> -> tensor<1x128xi32>
  tt.return
}

// -----

// expand_dims: axis beyond the rank.
tt.func @expand_dims_axis_out_of_range(%t: tensor<128xi32>) {
  // expected-error @+1 {{'tt.expand_dims' op axis 2 is out of range for rank 1}}
  %0 = tt.expand_dims %t {axis = 2 : i32} : tensor<128xi32> -> tensor<128x1xi32>
  tt.return
}

// -----

// broadcast: only dimensions of size 1 can grow.
tt.func @broadcast_incompatible(%t: tensor<128x2xi32>) {
  // expected-error @+1 {{'tt.broadcast' op cannot broadcast [128, 2] to [128, 64]}}
  %0 = tt.broadcast %t : tensor<128x2xi32> -> tensor<128x64xi32>
  tt.return
}

// -----

// broadcast: the rank is kept.
tt.func @broadcast_rank(%t: tensor<128xi32>) {
  // expected-error @+1 {{'tt.broadcast' op source and result must have the same rank}}
  %0 = tt.broadcast %t : tensor<128xi32> -> tensor<128x64xi32>
  tt.return
}

// -----

// reshape: the element count is kept.
tt.func @reshape_element_count(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.reshape' op cannot reshape [16, 32] to [256]: the number of elements differs}}
  %0 = tt.reshape %t : tensor<16x32xf32> -> tensor<256xf32>
  tt.return
}

// -----

// trans: order must be a permutation.
tt.func @trans_not_permutation(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.trans' op order must be a permutation of 0..1}}
  %0 = tt.trans %t {order = array<i32: 0, 0>} : tensor<16x32xf32> -> tensor<32x16xf32>
  tt.return
}

// -----

// trans: order must have one entry per dimension.
tt.func @trans_order_length(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.trans' op order has 3 entries but the rank is 2}}
  %0 = tt.trans %t {order = array<i32: 1, 0, 2>} : tensor<16x32xf32> -> tensor<32x16xf32>
  tt.return
}

// -----

// trans: the result shape is the permuted source shape.
tt.func @trans_result_shape(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.trans' op result shape [16, 32] should be [32, 16]}}
  %0 = tt.trans %t {order = array<i32: 1, 0>} : tensor<16x32xf32> -> tensor<16x32xf32>
  tt.return
}

// -----

// cat: the result holds the elements of both operands.
tt.func @cat_result_size(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.cat' op result must hold the elements of both operands}}
  %0 = tt.cat %t, %t : tensor<128xf32> -> tensor<128xf32>
  tt.return
}

// -----

// join: the new dimension of size 2 is the minor one.
tt.func @join_result_shape(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.join' op result shape [2, 128] should be [128, 2]}}
  %0 = tt.join %t, %t : tensor<128xf32> -> tensor<2x128xf32>
  tt.return
}

// -----

// join: both operands have the same type.
tt.func @join_operand_types(%t: tensor<128xf32>, %u: tensor<64xf32>) {
  // expected-error @+1 {{'tt.join' op requires all operands to have the same type}}
  %0 = "tt.join"(%t, %u) : (tensor<128xf32>, tensor<64xf32>) -> tensor<128x2xf32>
  tt.return
}

// -----

// split: the minor dimension of the source must be 2.
tt.func @split_last_dim(%t: tensor<128x4xf32>) {
  // expected-error @+1 {{'tt.split' op the last dimension of the source must be 2, not [128, 4]}}
  %0, %1 = tt.split %t : tensor<128x4xf32> -> tensor<128xf32>
  tt.return
}

// -----

// split: the results drop the minor dimension.
tt.func @split_result_shape(%t: tensor<128x2xf32>) {
  // expected-error @+1 {{'tt.split' op result shape [64] should be [128]}}
  %0, %1 = tt.split %t : tensor<128x2xf32> -> tensor<64xf32>
  tt.return
}

// -----

// gather: the indices have the rank of the source.
tt.func @gather_rank(%t: tensor<16x32xf32>, %i: tensor<8xi32>) {
  // expected-error @+1 {{'tt.gather' op indices must have the rank of the source}}
  %0 = tt.gather %t[%i] {axis = 0 : i32} : (tensor<16x32xf32>, tensor<8xi32>) -> tensor<8xf32>
  tt.return
}

// -----

// gather: axis beyond the rank.
tt.func @gather_axis(%t: tensor<16x32xf32>, %i: tensor<8x32xi32>) {
  // expected-error @+1 {{'tt.gather' op axis 2 is out of range for rank 2}}
  %0 = tt.gather %t[%i] {axis = 2 : i32} : (tensor<16x32xf32>, tensor<8x32xi32>) -> tensor<8x32xf32>
  tt.return
}

// -----

// gather: the result has the element type of the source.
tt.func @gather_result_type(%t: tensor<16x32xf32>, %i: tensor<8x32xi32>) {
  // expected-error @+1 {{'tt.gather' op result must have the shape of the indices and the element type of the source}}
  %0 = tt.gather %t[%i] {axis = 0 : i32} : (tensor<16x32xf32>, tensor<8x32xi32>) -> tensor<8x32xf16>
  tt.return
}

// -----

// histogram: source and result are 1-D.
tt.func @histogram_rank(%t: tensor<16x32xi32>) {
  // expected-error @+1 {{'tt.histogram' op source and result must be 1-D}}
  %0 = tt.histogram %t : tensor<16x32xi32> -> tensor<16xi32>
  tt.return
}

// -----

// histogram: the mask has the shape of the source.
tt.func @histogram_mask_shape(%t: tensor<64xi32>, %m: tensor<32xi1>) {
  // expected-error @+1 {{'tt.histogram' op failed to verify that mask is an i1 of the shape of src}}
  %0 = "tt.histogram"(%t, %m) : (tensor<64xi32>, tensor<32xi1>) -> tensor<16xi32>
  tt.return
}

// -----

// histogram: the source holds integers.
tt.func @histogram_float_source(%t: tensor<64xf32>) {
  // expected-error @+1 {{'src' must be ranked tensor of integer values, but got 'tensor<64xf32>'}}
  %0 = tt.histogram %t : tensor<64xf32> -> tensor<16xi32>
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// tt.dot
//===----------------------------------------------------------------------===//

// dot: the inner dimensions of a and b agree.
tt.func @dot_inner_dim(%a: tensor<128x32xf16>, %b: tensor<64x64xf16>, %c: tensor<128x64xf32>) {
  // expected-error @+1 {{'tt.dot' op inner dimensions differ: [128, 32] * [64, 64]}}
  %0 = tt.dot %a, %b, %c : tensor<128x32xf16> * tensor<64x64xf16> -> tensor<128x64xf32>
  tt.return
}

// -----

// dot: the batch dimensions of a 3-D dot agree.
tt.func @dot_batch_dim(%a: tensor<2x16x32xf16>, %b: tensor<4x32x16xf16>, %c: tensor<2x16x16xf32>) {
  // expected-error @+1 {{'tt.dot' op batch dimensions differ}}
  %0 = tt.dot %a, %b, %c : tensor<2x16x32xf16> * tensor<4x32x16xf16> -> tensor<2x16x16xf32>
  tt.return
}

// -----

// dot: the result is M x N.
tt.func @dot_result_shape(%a: tensor<128x32xf16>, %b: tensor<32x64xf16>, %c: tensor<128x128xf32>) {
  // expected-error @+1 {{'tt.dot' op result shape [128, 128] should be [128, 64]}}
  %0 = tt.dot %a, %b, %c : tensor<128x32xf16> * tensor<32x64xf16> -> tensor<128x128xf32>
  tt.return
}

// -----

// dot: operands are 2-D or 3-D.
tt.func @dot_rank(%a: tensor<32xf16>, %b: tensor<32xf16>, %c: tensor<1xf32>) {
  // expected-error @+1 {{'tt.dot' op operands must all be 2-D, or all 3-D (batched)}}
  %0 = tt.dot %a, %b, %c : tensor<32xf16> * tensor<32xf16> -> tensor<1xf32>
  tt.return
}

// -----

// dot: the accumulator and the result have the same type.
tt.func @dot_accumulator_type(%a: tensor<128x32xf16>, %b: tensor<32x64xf16>, %c: tensor<128x64xf32>) {
  // expected-error @+1 {{'tt.dot' op failed to verify that all of {c, d} have same type}}
  %0 = "tt.dot"(%a, %b, %c) : (tensor<128x32xf16>, tensor<32x64xf16>, tensor<128x64xf32>) -> tensor<128x64xf16>
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// tt.reduce / tt.scan / tt.map_elementwise
//===----------------------------------------------------------------------===//

// reduce: axis beyond the rank.
tt.func @reduce_axis_out_of_range(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.reduce' op axis 2 is out of range for rank 2}}
  %0 = "tt.reduce"(%t) <{axis = 2 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.reduce.return %s : f32
  }) : (tensor<16x32xf32>) -> tensor<16xf32>
  tt.return
}

// -----

// reduce: the result drops the reduced dimension.
tt.func @reduce_result_type(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.reduce' op result type 'tensor<32xf32>' should be 'tensor<16xf32>'}}
  %0 = "tt.reduce"(%t) <{axis = 1 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.reduce.return %s : f32
  }) : (tensor<16x32xf32>) -> tensor<32xf32>
  tt.return
}

// -----

// reduce: one result per operand.
tt.func @reduce_result_count(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.reduce' op must have one result per operand}}
  %0:2 = "tt.reduce"(%t) <{axis = 1 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.reduce.return %s : f32
  }) : (tensor<16x32xf32>) -> (tensor<16xf32>, tensor<16xf32>)
  tt.return
}

// -----

// reduce: at least one operand.
tt.func @reduce_no_operands() {
  // expected-error @+1 {{'tt.reduce' op expected 1 or more operands, but found 0}}
  "tt.reduce"() <{axis = 0 : i32}> ({
  ^bb0:
    "tt.reduce.return"() : () -> ()
  }) : () -> ()
  tt.return
}

// -----

// reduce: all operands have the same shape.
tt.func @reduce_operand_shapes(%t: tensor<16x32xf32>, %u: tensor<16x16xf32>) {
  // expected-error @+1 {{'tt.reduce' op requires the same shape for all operands}}
  %0:2 = "tt.reduce"(%t, %u) <{axis = 1 : i32}> ({
  ^bb0(%a: f32, %b: f32, %c: f32, %d: f32):
    tt.reduce.return %a, %b : f32, f32
  }) : (tensor<16x32xf32>, tensor<16x16xf32>) -> (tensor<16xf32>, tensor<16xf32>)
  tt.return
}

// -----

// reduce: the combine region takes two arguments per operand.
tt.func @reduce_combine_arg_count(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.reduce' op combine region must take 2 arguments, not 1}}
  %0 = "tt.reduce"(%t) <{axis = 1 : i32}> ({
  ^bb0(%a: f32):
    tt.reduce.return %a : f32
  }) : (tensor<16x32xf32>) -> tensor<16xf32>
  tt.return
}

// -----

// reduce: the combine region arguments have the operand element types.
tt.func @reduce_combine_arg_type(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.reduce' op combine region argument #1 has type 'f16' but the operand elements are 'f32'}}
  %0 = "tt.reduce"(%t) <{axis = 1 : i32}> ({
  ^bb0(%a: f32, %b: f16):
    tt.reduce.return %a : f32
  }) : (tensor<16x32xf32>) -> tensor<16xf32>
  tt.return
}

// -----

// reduce: the combine region yields one value per operand.
tt.func @reduce_yield_count(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.reduce' op combine region must yield 1 value, not 2}}
  %0 = "tt.reduce"(%t) <{axis = 1 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    tt.reduce.return %a, %b : f32, f32
  }) : (tensor<16x32xf32>) -> tensor<16xf32>
  tt.return
}

// -----

// reduce: the combine region yields the operand element types.
tt.func @reduce_yield_type(%t: tensor<16x32xf32>) {
  // expected-error @+1 {{'tt.reduce' op combine region yields 'i32' as value #0 but 'f32' is expected}}
  %0 = "tt.reduce"(%t) <{axis = 1 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %c = arith.constant 0 : i32
    tt.reduce.return %c : i32
  }) : (tensor<16x32xf32>) -> tensor<16xf32>
  tt.return
}

// -----

// reduce: the combine region needs a terminator.
tt.func @reduce_no_terminator(%t: tensor<16x32xf32>) {
  %0 = "tt.reduce"(%t) <{axis = 1 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    // expected-error @+1 {{block with no terminator}}
    %s = arith.addf %a, %b : f32
  }) : (tensor<16x32xf32>) -> tensor<16xf32>
  tt.return
}

// -----

// scan: axis beyond the rank.
tt.func @scan_axis_out_of_range(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.scan' op axis 1 is out of range for rank 1}}
  %0 = "tt.scan"(%t) <{axis = 1 : i32, reverse = false}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.scan.return %s : f32
  }) : (tensor<128xf32>) -> tensor<128xf32>
  tt.return
}

// -----

// scan: the combine region takes two arguments per operand.
tt.func @scan_combine_arg_count(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.scan' op combine region must take 2 arguments, not 3}}
  %0 = "tt.scan"(%t) <{axis = 0 : i32, reverse = true}> ({
  ^bb0(%a: f32, %b: f32, %c: f32):
    tt.scan.return %a : f32
  }) : (tensor<128xf32>) -> tensor<128xf32>
  tt.return
}

// -----

// scan: the combine region yields one value per operand.
tt.func @scan_yield_count(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.scan' op combine region must yield 1 value, not 2}}
  %0 = "tt.scan"(%t) <{axis = 0 : i32, reverse = true}> ({
  ^bb0(%a: f32, %b: f32):
    tt.scan.return %a, %b : f32, f32
  }) : (tensor<128xf32>) -> tensor<128xf32>
  tt.return
}

// -----

// scan: the result has the shape of the operand.
tt.func @scan_result_shape(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.scan' op requires the same shape for all operands and results}}
  %0 = "tt.scan"(%t) <{axis = 0 : i32, reverse = true}> ({
  ^bb0(%a: f32, %b: f32):
    tt.scan.return %a : f32
  }) : (tensor<128xf32>) -> tensor<64xf32>
  tt.return
}

// -----

// scan: reverse is required.
tt.func @scan_missing_reverse(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.scan' op requires attribute 'reverse'}}
  %0 = "tt.scan"(%t) <{axis = 0 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    tt.scan.return %a : f32
  }) : (tensor<128xf32>) -> tensor<128xf32>
  tt.return
}

// -----

// map_elementwise: the region takes pack arguments per operand.
tt.func @map_elementwise_arg_count(%x: tensor<128xi32>) {
  // expected-error @+1 {{'tt.map_elementwise' op scalar region must take 2 arguments of the operand element types}}
  %0 = "tt.map_elementwise"(%x) <{pack = 2 : i32}> ({
  ^bb0(%a: i32):
    tt.map_elementwise.return %a : i32
  }) : (tensor<128xi32>) -> tensor<128xi32>
  tt.return
}

// -----

// map_elementwise: the region must not be empty.
tt.func @map_elementwise_empty_region(%x: tensor<128xi32>) {
  // expected-error @+1 {{'tt.map_elementwise' op needs a scalar region}}
  %0 = "tt.map_elementwise"(%x) <{pack = 1 : i32}> ({
  }) : (tensor<128xi32>) -> tensor<128xi32>
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// Casts and element-wise ops
//===----------------------------------------------------------------------===//

// bitcast: element widths must agree.
tt.func @bitcast_width(%f: f32) {
  // expected-error @+1 {{'tt.bitcast' op element types 'f32' and 'i64' have different bit widths}}
  %0 = tt.bitcast %f : f32 -> i64
  tt.return
}

// -----

// bitcast: no pointer <-> integer casts.
tt.func @bitcast_pointer_to_int(%p: !tt.ptr<f32>) {
  // expected-error @+1 {{'tt.bitcast' op cannot bitcast between pointers and non-pointers; use tt.ptr_to_int / tt.int_to_ptr}}
  %0 = tt.bitcast %p : !tt.ptr<f32> -> i64
  tt.return
}

// -----

// bitcast: the shape is kept.
tt.func @bitcast_shape(%t: tensor<16xf32>) {
  // expected-error @+1 {{'tt.bitcast' op all non-scalar operands/results must have the same shape and base type}}
  %0 = tt.bitcast %t : tensor<16xf32> -> tensor<8xi32>
  tt.return
}

// -----

// fp_to_fp: no rounding mode on an up-cast.
tt.func @fp_to_fp_rounding_on_upcast(%t: tensor<16xf16>) {
  // expected-error @+1 {{'tt.fp_to_fp' op a rounding mode is only meaningful on a down-cast, not from 'f16' to 'f32'}}
  %0 = tt.fp_to_fp %t, rounding = rtne : tensor<16xf16> -> tensor<16xf32>
  tt.return
}

// -----

// fp_to_fp: floats only.
tt.func @fp_to_fp_int(%t: tensor<16xi32>) {
  // expected-error @+1 {{'tt.fp_to_fp' op operand #0 must be floating-point or ranked tensor of floating-point values, but got 'tensor<16xi32>'}}
  %0 = tt.fp_to_fp %t : tensor<16xi32> -> tensor<16xf32>
  tt.return
}

// -----

// int_to_ptr: from i64 only.
tt.func @int_to_ptr_i32(%i: i32) {
  // expected-error @+1 {{'tt.int_to_ptr' op operand #0 must be 64-bit signless integer or ranked tensor of 64-bit signless integer values, but got 'i32'}}
  %0 = tt.int_to_ptr %i : i32 -> !tt.ptr<f32>
  tt.return
}

// -----

// int_to_ptr: the shape is kept.
tt.func @int_to_ptr_shape(%i: tensor<16xi64>) {
  // expected-error @+1 {{'tt.int_to_ptr' op all non-scalar operands/results must have the same shape and base type}}
  %0 = tt.int_to_ptr %i : tensor<16xi64> -> tensor<8x!tt.ptr<f32>>
  tt.return
}

// -----

// precise_sqrt: floats only.
tt.func @precise_sqrt_int(%i: i32) {
  // expected-error @+1 {{'tt.precise_sqrt' op operand #0 must be floating-point or ranked tensor of floating-point values, but got 'i32'}}
  %0 = tt.precise_sqrt %i : i32
  tt.return
}

// -----

// clampf: unknown propagateNan keyword.
tt.func @clampf_unknown_propagate_nan(%f: f32) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'propagateNan' [none, all]}}
  %0 = tt.clampf %f, %f, %f, propagateNan = some : f32
  tt.return
}

// -----

// addptr: the offset is an integer.
tt.func @addptr_float_offset(%p: !tt.ptr<f32>, %o: f32) {
  // expected-error @+1 {{'tt.addptr' op operand #1 must be integer or ranked tensor of integer values, but got 'f32'}}
  %0 = tt.addptr %p, %o : !tt.ptr<f32>, f32
  tt.return
}

// -----

// addptr: the result has the pointer type.
tt.func @addptr_result_type(%p: !tt.ptr<f32>, %o: i32) {
  // expected-error @+1 {{'tt.addptr' op failed to verify that all of {ptr, result} have same type}}
  %0 = "tt.addptr"(%p, %o) : (!tt.ptr<f32>, i32) -> !tt.ptr<f16>
  tt.return
}

// -----

// elementwise_inline_asm: packed_element must be positive.
tt.func @inline_asm_packed_element_zero(%t: tensor<16xi32>) {
  // expected-error @+1 {{'tt.elementwise_inline_asm' op packed_element must be at least 1}}
  %0 = tt.elementwise_inline_asm "mov.b32 $0, $1;" {constraints = "=r,r", packed_element = 0 : i32, pure = true} %t : tensor<16xi32> -> tensor<16xi32>
  tt.return
}

// -----

// elementwise_inline_asm: all operands have the same shape.
tt.func @inline_asm_operand_shapes(%a: tensor<128xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{'tt.elementwise_inline_asm' op all non-scalar operands/results must have the same shape and base type}}
  %0 = tt.elementwise_inline_asm "" {constraints = "=r,r,r", packed_element = 1 : i32, pure = true} %a, %b : tensor<128xf32>, tensor<64xf32> -> tensor<128xf32>
  tt.return
}

// -----

// extern_elementwise: all operands have the same shape.
tt.func @extern_elementwise_shapes(%a: tensor<16xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'tt.extern_elementwise' op all non-scalar operands/results must have the same shape and base type}}
  %0 = tt.extern_elementwise %a, %b {libname = "", libpath = "", pure = true, symbol = "f"} : (tensor<16xf32>, tensor<8xf32>) -> tensor<16xf32>
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// Program model, debugging
//===----------------------------------------------------------------------===//

// get_program_id: unknown axis keyword.
tt.func @get_program_id_bad_axis() {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'axis' [x, y, z]}}
  %0 = tt.get_program_id w : i32
  tt.return
}

// -----

// get_program_id: the result is i32.
tt.func @get_program_id_i64() {
  // expected-error @+1 {{'tt.get_program_id' op result #0 must be 32-bit signless integer, but got 'i64'}}
  %0 = tt.get_program_id x : i64
  tt.return
}

// -----

// print: one isSigned entry per printed value.
tt.func @print_is_signed_count(%t: tensor<16xi32>) {
  // expected-error @+1 {{'tt.print' op isSigned has 2 entries for 1 printed values}}
  tt.print "x: " {hex = false, isSigned = array<i32: 1, 1>} : %t : tensor<16xi32>
  tt.return
}

// -----

// assert: the condition is i1.
tt.func @assert_i32_condition(%c: i32) {
  // expected-error @+1 {{'tt.assert' op operand #0 must be 1-bit signless integer or ranked tensor of 1-bit signless integer values, but got 'i32'}}
  tt.assert %c, "bad" : i32
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// Functions, calls, returns
//===----------------------------------------------------------------------===//

// call: the callee must be a tt.func in the module.
tt.func @call_unknown_function(%x: i32) {
  // expected-error @+1 {{'tt.call' op 'nowhere' does not name a tt.func in this module}}
  %0 = tt.call @nowhere(%x) : (i32) -> i32
  tt.return
}

// -----

// call: a func.func is not a valid callee.
func.func private @external(i32) -> i32
tt.func @call_func_dialect_function(%x: i32) {
  // expected-error @+1 {{'tt.call' op 'external' does not name a tt.func in this module}}
  %0 = tt.call @external(%x) : (i32) -> i32
  tt.return
}

// -----

// call: operand types must match the callee.
tt.func private @callee(%a: i32) -> i32 {
  tt.return %a : i32
}
tt.func @call_operand_type(%x: f32) {
  // expected-error @+1 {{'tt.call' op operand #0 has type 'f32' but 'callee' expects 'i32'}}
  %0 = tt.call @callee(%x) : (f32) -> i32
  tt.return
}

// -----

// call: operand count must match the callee.
tt.func private @callee(%a: i32) -> i32 {
  tt.return %a : i32
}
tt.func @call_operand_count(%x: i32) {
  // expected-error @+1 {{'tt.call' op passes 2 operands but 'callee' takes 1}}
  %0 = tt.call @callee(%x, %x) : (i32, i32) -> i32
  tt.return
}

// -----

// call: result count must match the callee.
tt.func private @callee(%a: i32) -> i32 {
  tt.return %a : i32
}
tt.func @call_result_count(%x: i32) {
  // expected-error @+1 {{'tt.call' op result types do not match those of 'callee'}}
  %0:2 = tt.call @callee(%x) : (i32) -> (i32, i32)
  tt.return
}

// -----

// return: value types must match the function results.
tt.func @return_type(%x: i32) -> f32 {
  // expected-error @+1 {{'tt.return' op value #0 has type 'i32' but the function returns 'f32'}}
  tt.return %x : i32
}

// -----

// return: value count must match the function results.
tt.func @return_count(%x: i32) -> i32 {
  // expected-error @+1 {{'tt.return' op returns 0 values but the function returns 1}}
  tt.return
}

// -----

// return: only inside a tt.func.
func.func @return_outside_tt_func() {
  // expected-error @+1 {{'tt.return' op expects parent op 'tt.func'}}
  tt.return
}

// -----

// func: the symbol visibility must be known.
// expected-error @+1 {{'tt.func' op visibility expected to be one of ["public", "private", "nested"], but got "weird"}}
"tt.func"() <{function_type = () -> (), sym_name = "weird_visibility", sym_visibility = "weird"}> ({
  tt.return
}) : () -> ()

// -----

//===----------------------------------------------------------------------===//
// Unknown ops, bad types
//===----------------------------------------------------------------------===//

// Unknown op in custom syntax.
tt.func @unknown_op_custom() {
  // expected-error @+1 {{custom op 'tt.nonexistent' is unknown}}
  %0 = tt.nonexistent : i32
  tt.return
}

// -----

// Unknown op in generic syntax.
tt.func @unknown_op_generic() {
  // expected-error @+1 {{unregistered operation 'tt.nonexistent' found in dialect ('tt') that does not allow unknown operations}}
  "tt.nonexistent"() : () -> ()
  tt.return
}

// -----

// !tt.ptr needs a pointee type.
// expected-error @+1 {{expected non-function type}}
tt.func @pointer_without_pointee(%p: !tt.ptr<>) {
  tt.return
}

// -----

// The address space of !tt.ptr is an integer.
// expected-error @+1 {{expected integer value}}
tt.func @pointer_bad_address_space(%p: !tt.ptr<f32, x>) {
  tt.return
}

// -----

// !tt.ptr takes at most a pointee type and an address space.
// expected-error @+1 {{expected '>'}}
tt.func @pointer_extra_parameter(%p: !tt.ptr<f32, 3, 4>) {
  tt.return
}

// -----

// !tt.tensordesc wraps a ranked tensor type.
// expected-error @+2 {{invalid kind of type specified: expected builtin.tensor, but found 'f32'}}
// expected-error @+1 {{failed to parse TT_TensorDescType parameter 'blockType' which is to be a `::mlir::RankedTensorType`}}
tt.func @tensordesc_of_scalar(%d: !tt.tensordesc<f32>) {
  tt.return
}

// -----

// Unknown type mnemonic in the tt dialect.
// expected-error @+1 {{type `pointer` in dialect `tt`}}
tt.func @unknown_type(%p: !tt.pointer<f32>) {
  tt.return
}

// -----

//===----------------------------------------------------------------------===//
// Regressions: checks that Triton 3.6 performs and flagtree once lacked,
// signed attributes once read as unsigned, and a verifier that once crashed.
//===----------------------------------------------------------------------===//

// a negative axis is reported as negative.
tt.func @bug_reduce_negative_axis(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.reduce' op axis -1 is out of range for rank 1}}
  %0 = "tt.reduce"(%t) <{axis = -1 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    tt.reduce.return %a : f32
  }) : (tensor<128xf32>) -> f32
  tt.return
}

// -----

// a negative scan axis is reported as negative.
tt.func @bug_scan_negative_axis(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.scan' op axis -1 is out of range for rank 1}}
  %0 = "tt.scan"(%t) <{axis = -1 : i32, reverse = false}> ({
  ^bb0(%a: f32, %b: f32):
    tt.scan.return %a : f32
  }) : (tensor<128xf32>) -> tensor<128xf32>
  tt.return
}

// -----

// a negative expand_dims axis is reported as negative.
tt.func @bug_expand_dims_negative_axis(%t: tensor<128xi32>) {
  // expected-error @+1 {{'tt.expand_dims' op axis -1 is out of range for rank 1}}
  %0 = tt.expand_dims %t {axis = -1 : i32} : tensor<128xi32> -> tensor<128x1xi32>
  tt.return
}

// -----

// a negative gather axis is reported as negative.
tt.func @bug_gather_negative_axis(%t: tensor<16xf32>, %i: tensor<8xi32>) {
  // expected-error @+1 {{'tt.gather' op axis -1 is out of range for rank 1}}
  %0 = tt.gather %t[%i] {axis = -1 : i32} : (tensor<16xf32>, tensor<8xi32>) -> tensor<8xf32>
  tt.return
}

// -----

// negative make_range bounds are reported as negative.
tt.func @bug_make_range_negative_bounds() {
  // expected-error @+1 {{'tt.make_range' op end (-4) must be greater than start (-2)}}
  %0 = tt.make_range {end = -4 : i32, start = -2 : i32} : tensor<2xi32>
  tt.return
}

// -----

// Triton 3.6 accepts a make_range with a negative start; it must be accepted (no diagnostic).
tt.func @bug_make_range_negative_start_is_valid() {
  %0 = tt.make_range {end = 2 : i32, start = -2 : i32} : tensor<4xi32>
  tt.return
}

// -----

// Triton 3.6 requires a rounding mode on a floating-point down-cast ("Rounding mode is required for FP downcast").
tt.func @bug_fp_to_fp_downcast_without_rounding(%x: tensor<16xf32>) {
  // expected-error @+1 {{'tt.fp_to_fp' op}}
  %0 = tt.fp_to_fp %x : tensor<16xf32> -> tensor<16xf8E5M2>
  tt.return
}

// -----

// the non-gather dimensions of the indices must match the source (Triton: "indices dimension 1 must match the corresponding input dimension").
tt.func @bug_gather_non_axis_dim(%t: tensor<16x32xf32>, %i: tensor<8x16xi32>) {
  // expected-error @+1 {{'tt.gather' op}}
  %0 = tt.gather %t[%i] {axis = 0 : i32} : (tensor<16x32xf32>, tensor<8x16xi32>) -> tensor<8x16xf32>
  tt.return
}

// -----

// map_elementwise region arguments must have the operand element types (Triton: "argument types did not match").
tt.func @bug_map_elementwise_arg_type(%x: tensor<128xi32>) {
  // expected-error @+1 {{'tt.map_elementwise' op}}
  %0 = "tt.map_elementwise"(%x) <{pack = 1 : i32}> ({
  ^bb0(%a: f32):
    tt.map_elementwise.return %a : f32
  }) : (tensor<128xi32>) -> tensor<128xi32>
  tt.return
}

// -----

// map_elementwise must yield pack values per result, of the result element types (Triton: "region return does not match map_elementwise result").
tt.func @bug_map_elementwise_yield_count(%x: tensor<128xi32>) {
  // expected-error @+1 {{'tt.map_elementwise' op}}
  %0 = "tt.map_elementwise"(%x) <{pack = 1 : i32}> ({
  ^bb0(%a: i32):
    tt.map_elementwise.return %a, %a : i32, i32
  }) : (tensor<128xi32>) -> tensor<128xi32>
  tt.return
}

// -----

// scan results must have the operand element types (Triton: "operand types and result types must agree").
tt.func @bug_scan_result_element_type(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.scan' op}}
  %0 = "tt.scan"(%t) <{axis = 0 : i32, reverse = false}> ({
  ^bb0(%a: f32, %b: f32):
    tt.scan.return %a : f32
  }) : (tensor<128xf32>) -> tensor<128xi32>
  tt.return
}

// -----

// descriptor_gather returns one row per index (Triton: "result tensor must have as many rows as indices (8)").
tt.func @bug_descriptor_gather_rows(%d: !tt.tensordesc<tensor<1x32xf32>>, %x: tensor<8xi32>, %y: i32) {
  // expected-error @+1 {{'tt.descriptor_gather' op}}
  %0 = tt.descriptor_gather %d[%x, %y] : (!tt.tensordesc<tensor<1x32xf32>>, tensor<8xi32>, i32) -> tensor<16x64xf32>
  tt.return
}

// -----

// a rank-reducing descriptor_load may only drop leading unit dimensions (Triton: "ranked reduce load only allowed for unit dimension leading dim.").
tt.func @bug_descriptor_load_drops_non_unit_dim(%d: !tt.tensordesc<tensor<2x8x16xf32>>, %x: i32) {
  // expected-error @+1 {{'tt.descriptor_load' op}}
  %0 = tt.descriptor_load %d[%x, %x, %x] : !tt.tensordesc<tensor<2x8x16xf32>> -> tensor<16x16xf32>
  tt.return
}

// -----

// the K dimensions of dot_scaled operands must agree, counting packed e2m1 pairs (Triton: "expected the last dimension of the first operand to be equal to the second-to-last dimension of the second operand").
tt.func @bug_dot_scaled_inner_dim(%a: tensor<128x32xi8>, %b: tensor<32x128xf8E4M3FN>, %c: tensor<128x128xf32>) {
  // expected-error @+1 {{'tt.dot_scaled' op}}
  %0 = tt.dot_scaled %a, %b, %c lhs = e2m1 rhs = e4m3 {fastMath = false} : tensor<128x32xi8> * tensor<32x128xf8E4M3FN> -> tensor<128x128xf32>
  tt.return
}

// -----

// dot operands A and B must have element types of the same bit width (Triton: "element types of operands A and B must have same bit width").
tt.func @bug_dot_operand_widths(%a: tensor<16x16xf16>, %b: tensor<16x16xf32>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{'tt.dot' op}}
  %0 = tt.dot %a, %b, %c : tensor<16x16xf16> * tensor<16x16xf32> -> tensor<16x16xf32>
  tt.return
}

// -----

// the element count must be a multiple of packed_element (Triton: "number of input elements 128 must be a multiple of the op's packed_element attribute, 3").
tt.func @bug_inline_asm_packed_element_divides(%t: tensor<128xf32>) {
  // expected-error @+1 {{'tt.elementwise_inline_asm' op}}
  %0 = tt.elementwise_inline_asm "" {constraints = "=r,r", packed_element = 3 : i32, pure = true} %t : tensor<128xf32> -> tensor<128xf32>
  tt.return
}

// -----

// Triton requires every tensor of a tt op to have a power-of-two number of elements ("Number of elements must be power-of-two").
tt.func @bug_make_range_not_power_of_two() {
  // expected-error @+1 {{'tt.make_range' op}}
  %0 = tt.make_range {end = 11 : i32, start = 0 : i32} : tensor<11xi32>
  tt.return
}

// -----

// a bitcast of `index` is diagnosed, not a crash (Triton rejects index operands of tt.bitcast).
tt.func @bug_bitcast_index(%i: index) {
  // expected-error @+1 {{'tt.bitcast' op}}
  %0 = tt.bitcast %i : index -> i64
  tt.return
}
