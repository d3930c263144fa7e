// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir | FileCheck %s --enable-var-scope

// tt.join writes each half into the new minor dimension; tt.split reads
// them back.
// CHECK-LABEL: func.func @join_split
// CHECK: %[[E:.*]] = tensor.empty() : tensor<8x2xi32>
// CHECK: %[[J0:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [8, 1] [1, 1] : tensor<8xi32> into tensor<8x2xi32>
// CHECK: %[[J:.*]] = tensor.insert_slice %arg1 into %[[J0]][0, 1] [8, 1] [1, 1] : tensor<8xi32> into tensor<8x2xi32>
// CHECK: %[[L:.*]] = tensor.extract_slice %[[J]][0, 0] [8, 1] [1, 1] : tensor<8x2xi32> to tensor<8xi32>
// CHECK: %[[R:.*]] = tensor.extract_slice %[[J]][0, 1] [8, 1] [1, 1] : tensor<8x2xi32> to tensor<8xi32>
// CHECK: return %[[R]], %[[L]]
tt.func @join_split(%a: tensor<8xi32>, %b: tensor<8xi32>) -> (tensor<8xi32>, tensor<8xi32>) {
  %j = tt.join %a, %b : tensor<8xi32> -> tensor<8x2xi32>
  %l, %r = tt.split %j : tensor<8x2xi32> -> tensor<8xi32>
  tt.return %r, %l : tensor<8xi32>, tensor<8xi32>
}

// -----

// tt.cat puts its operands one after the other along dimension 0.
// CHECK-LABEL: func.func @cat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<8x4xf32>
// CHECK: %[[C0:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<8x4xf32>
// CHECK: tensor.insert_slice %arg1 into %[[C0]][4, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<8x4xf32>
tt.func @cat(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<8x4xf32> {
  %c = tt.cat %a, %b : tensor<4x4xf32> -> tensor<8x4xf32>
  tt.return %c : tensor<8x4xf32>
}

// -----

// tt.gather reads the source at the index along `axis`, clamped to the
// source, and at its own position along the other dimensions.
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic {{.*}} ins(%arg1 : tensor<4x2xi32>) outs(%{{.*}} : tensor<4x2xf32>)
// CHECK: ^bb0(%[[IDX:.*]]: i32, %{{.*}}: f32):
// CHECK:   %[[I0:.*]] = linalg.index 0 : index
// CHECK:   %[[CAST:.*]] = arith.index_cast %[[IDX]] : i32 to index
// CHECK:   %[[LO:.*]] = arith.maxsi %[[CAST]], %{{.*}} : index
// CHECK:   %[[AT:.*]] = arith.minsi %[[LO]], %{{.*}} : index
// CHECK:   %[[V:.*]] = tensor.extract %arg0[%[[I0]], %[[AT]]] : tensor<4x8xf32>
// CHECK:   linalg.yield %[[V]] : f32
tt.func @gather(%src: tensor<4x8xf32>, %idx: tensor<4x2xi32>) -> tensor<4x2xf32> {
  %g = tt.gather %src[%idx] {axis = 1 : i32} : (tensor<4x8xf32>, tensor<4x2xi32>) -> tensor<4x2xf32>
  tt.return %g : tensor<4x2xf32>
}

// -----

// tt.histogram counts in a loop over the elements; an element outside the
// bins or masked off adds 0 to bin 0.
// CHECK-LABEL: func.func @histogram
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<16xi32>) -> tensor<16xi32>
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[Z]]) -> (tensor<16xi32>)
// CHECK:   %[[V:.*]] = tensor.extract %arg0[%[[I]]] : tensor<64xi32>
// CHECK:   %[[HI:.*]] = arith.cmpi slt, %[[V]], %c16_i32 : i32
// CHECK:   %[[LO:.*]] = arith.cmpi sge, %[[V]], %c0_i32{{.*}} : i32
// CHECK:   %[[IN:.*]] = arith.andi %[[LO]], %[[HI]] : i1
// CHECK:   %[[M:.*]] = tensor.extract %arg1[%[[I]]] : tensor<64xi1>
// CHECK:   %[[C:.*]] = arith.andi %[[IN]], %[[M]] : i1
// CHECK:   %[[BIN:.*]] = arith.select %[[C]], %[[V]], %{{.*}} : i32
// CHECK:   %[[AT:.*]] = arith.index_cast %[[BIN]] : i32 to index
// CHECK:   %[[OLD:.*]] = tensor.extract %[[ACC]][%[[AT]]] : tensor<16xi32>
// CHECK:   %[[ONE:.*]] = arith.extui %[[C]] : i1 to i32
// CHECK:   %[[NEW:.*]] = arith.addi %[[OLD]], %[[ONE]] : i32
// CHECK:   %[[NEXT:.*]] = tensor.insert %[[NEW]] into %[[ACC]][%[[AT]]] : tensor<16xi32>
// CHECK:   scf.yield %[[NEXT]] : tensor<16xi32>
tt.func @histogram(%x: tensor<64xi32>, %m: tensor<64xi1>) -> tensor<16xi32> {
  %h = tt.histogram %x, %m : tensor<64xi32> -> tensor<16xi32>
  tt.return %h : tensor<16xi32>
}

// -----

// tt.print calls the runtime once per element with the program id, the
// index and the value widened to i64 (or f64); the prefix is a constant
// global passed by address.
// CHECK: memref.global "private" constant @[[$PREFIX:.*]] : memref<5xi8> = dense<[32, 120, 58, 32, 0]>
// CHECK: func.func private @flagtree_cpu_print(i64, i32, i32, i32, i32, i32, i64, i64, i64, i64, i32, i32, i64, f64)
// CHECK-LABEL: func.func @print
// CHECK: %[[G:.*]] = memref.get_global @[[$PREFIX]] : memref<5xi8>
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[G]]
// CHECK: %[[A:.*]] = arith.index_cast %[[P]] : index to i64
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   %[[V:.*]] = tensor.extract %arg0[%[[I]]] : tensor<4xi8>
// CHECK:   %[[W:.*]] = arith.extui %[[V]] : i8 to i64
// CHECK:   %[[RANK:.*]] = arith.constant 1 : i32
// CHECK:   %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK:   %[[KIND:.*]] = arith.constant 1 : i32
// CHECK:   %[[BITS:.*]] = arith.constant 8 : i32
// CHECK:   func.call @flagtree_cpu_print(%[[A]], %arg2, %arg3, %arg4, %{{.*}}, %[[RANK]], %[[I64]], %{{.*}}, %{{.*}}, %{{.*}}, %[[KIND]], %[[BITS]], %[[W]], %{{.*}})
// CHECK: %[[F:.*]] = arith.extf %arg1 : f32 to f64
// CHECK: %[[FLOAT:.*]] = arith.constant 2 : i32
// CHECK: %[[BITS32:.*]] = arith.constant 32 : i32
// CHECK: call @flagtree_cpu_print(%{{.*}}, %arg2, %arg3, %arg4, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[FLOAT]], %[[BITS32]], %{{.*}}, %[[F]])
tt.func @print(%x: tensor<4xi8>, %y: f32) {
  tt.print " x: " {hex = false, isSigned = array<i32: 0>} : %x : tensor<4xi8>
  tt.print " y: " {hex = false, isSigned = array<i32: 0>} : %y : f32
  tt.return
}

// -----

// tt.assert calls the runtime for the elements whose condition is false,
// with the kernel's file:line and the message.
// CHECK-DAG: memref.global "private" constant @[[$WHERE:.*]] : memref<12xi8> = dense<[107, 101, 114, 110, 101, 108, 46, 112, 121, 58, 55, 0]>
// CHECK-DAG: memref.global "private" constant @[[$MSG:.*]] : memref<5xi8> = dense<[98, 111, 111, 109, 0]>
// CHECK-DAG: func.func private @flagtree_cpu_assert_fail(i64, i64, i32, i32, i32, i32, i64, i64, i64, i64)
// CHECK-LABEL: func.func @assert
// CHECK: memref.get_global @[[$WHERE]]
// CHECK: memref.get_global @[[$MSG]]
// CHECK: scf.for %[[I:.*]] =
// CHECK:   scf.for %[[J:.*]] =
// CHECK:     %[[C:.*]] = tensor.extract %arg0[%[[I]], %[[J]]] : tensor<2x4xi1>
// CHECK:     %[[BAD:.*]] = arith.xori %[[C]], %{{.*}} : i1
// CHECK:     scf.if %[[BAD]] {
// CHECK:       %[[RANK:.*]] = arith.constant 2 : i32
// CHECK:       %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK:       %[[J64:.*]] = arith.index_cast %[[J]] : index to i64
// CHECK:       func.call @flagtree_cpu_assert_fail(%{{.*}}, %{{.*}}, %arg1, %arg2, %arg3, %[[RANK]], %[[I64]], %[[J64]], %{{.*}}, %{{.*}})
tt.func @assert(%c: tensor<2x4xi1>) {
  tt.assert %c, "boom" : tensor<2x4xi1> loc(#kernel_line)
  tt.return
}
#kernel_line = loc("kernel.py":7:4)

// -----

// To fp8: f32 bits rounded to nearest even in integer code, then the low
// byte reinterpreted as the fp8 type; from f8E5M2: the upper byte of an f16.
// CHECK-LABEL: func.func @fp8
// CHECK: %[[BITS:.*]] = arith.bitcast %arg0 : tensor<8xf32> to tensor<8xi32>
// CHECK: arith.shrui
// CHECK: %[[BYTE:.*]] = arith.trunci %{{.*}} : tensor<8xi32> to tensor<8xi8>
// CHECK: %[[F8:.*]] = arith.bitcast %[[BYTE]] : tensor<8xi8> to tensor<8xf8E5M2>
// CHECK: %[[B:.*]] = arith.bitcast %[[F8]] : tensor<8xf8E5M2> to tensor<8xi8>
// CHECK: %[[W:.*]] = arith.extui %[[B]] : tensor<8xi8> to tensor<8xi16>
// CHECK: %[[S:.*]] = arith.shli %[[W]], %{{.*}} : tensor<8xi16>
// CHECK: %[[H:.*]] = arith.bitcast %[[S]] : tensor<8xi16> to tensor<8xf16>
// CHECK: %[[F:.*]] = arith.extf %[[H]] : tensor<8xf16> to tensor<8xf32>
// CHECK: return %[[F8]], %[[F]]
tt.func @fp8(%x: tensor<8xf32>) -> (tensor<8xf8E5M2>, tensor<8xf32>) {
  %e = tt.fp_to_fp %x, rounding = rtne : tensor<8xf32> -> tensor<8xf8E5M2>
  %f = tt.fp_to_fp %e : tensor<8xf8E5M2> -> tensor<8xf32>
  tt.return %e, %f : tensor<8xf8E5M2>, tensor<8xf32>
}

// -----

// The "fnuz" formats: a rounded code past 0x7f (overflow, infinity) or a
// NaN input becomes 0x80, the only NaN; a zero keeps no sign. Back to f32,
// exactly 0x80 is NaN, and subnormals are mantissa * 2^-10.
// CHECK-LABEL: func.func @fp8_fnuz
// CHECK: %[[NAN:.*]] = arith.cmpi ugt, %[[MAG:.*]], %{{.*}} : tensor<8xi32>
// CHECK: %[[SIGN:.*]] = arith.shrui
// CHECK: %[[BIG:.*]] = arith.cmpi ugt, %[[CODE:.*]], %{{.*}} : tensor<8xi32>
// CHECK: %[[BAD:.*]] = arith.ori %[[NAN]], %[[BIG]] : tensor<8xi1>
// CHECK: %[[ZERO:.*]] = arith.cmpi eq, %[[CODE]], %{{.*}} : tensor<8xi32>
// CHECK: %[[KEPT:.*]] = arith.select %[[ZERO]], %{{.*}}, %[[SIGN]]
// CHECK: %[[CANON:.*]] = arith.constant dense<128> : tensor<8xi32>
// CHECK: %[[OUT:.*]] = arith.select %[[BAD]], %[[CANON]], %[[CODE]]
// CHECK: arith.ori %[[OUT]], %[[KEPT]] : tensor<8xi32>
// CHECK: %[[F8:.*]] = arith.bitcast %{{.*}} : tensor<8xi8> to tensor<8xf8E4M3FNUZ>
// CHECK: arith.constant dense<9.765625E-4> : tensor<8xf32>
// CHECK: %[[IS:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : tensor<8xi32>
// CHECK: arith.select %[[IS]], %{{.*}}, %{{.*}} : tensor<8xi1>, tensor<8xi32>
// CHECK: return %[[F8]]
tt.func @fp8_fnuz(%x: tensor<8xf32>) -> (tensor<8xf8E4M3FNUZ>, tensor<8xf32>) {
  %e = tt.fp_to_fp %x, rounding = rtne : tensor<8xf32> -> tensor<8xf8E4M3FNUZ>
  %f = tt.fp_to_fp %e : tensor<8xf8E4M3FNUZ> -> tensor<8xf32>
  tt.return %e, %f : tensor<8xf8E4M3FNUZ>, tensor<8xf32>
}

// -----

// tt.dot_scaled widens both operands to f32 (fp4 pairs unpacked along K,
// low nibble first), multiplies them by their e8m0 scales broadcast over
// groups of 32 along K (transposed for the right operand), and ends in one
// f32 linalg.matmul.
// CHECK-LABEL: func.func @dot_scaled
// CHECK: %[[SA:.*]] = arith.bitcast %{{.*}} : tensor<8x1xi32> to tensor<8x1xf32>
// CHECK: %[[BA:.*]] = linalg.broadcast ins(%[[SA]] : tensor<8x1xf32>) outs(%{{.*}} : tensor<8x1x32xf32>) dimensions = [2]
// CHECK: %[[FA:.*]] = tensor.collapse_shape %[[BA]] {{\[\[}}0], [1, 2]] : tensor<8x1x32xf32> into tensor<8x32xf32>
// CHECK: %[[A:.*]] = arith.mulf %{{.*}}, %[[FA]] : tensor<8x32xf32>
// CHECK: %[[PAIRS:.*]] = tensor.empty() : tensor<16x2x8xf32>
// CHECK: %[[LO:.*]] = tensor.insert_slice %{{.*}} into %[[PAIRS]][0, 0, 0] [16, 1, 8] [1, 1, 1] : tensor<16x8xf32> into tensor<16x2x8xf32>
// CHECK: %[[HI:.*]] = tensor.insert_slice %{{.*}} into %[[LO]][0, 1, 0] [16, 1, 8] [1, 1, 1] : tensor<16x8xf32> into tensor<16x2x8xf32>
// CHECK: %[[B0:.*]] = tensor.collapse_shape %[[HI]] {{\[\[}}0, 1], [2]] : tensor<16x2x8xf32> into tensor<32x8xf32>
// CHECK: %[[FB:.*]] = linalg.transpose ins(%{{.*}} : tensor<8x32xf32>) outs(%{{.*}} : tensor<32x8xf32>) permutation = [1, 0]
// CHECK: %[[B:.*]] = arith.mulf %[[B0]], %[[FB]] : tensor<32x8xf32>
// CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<8x32xf32>, tensor<32x8xf32>) outs(%arg4 : tensor<8x8xf32>)
tt.func @dot_scaled(%a: tensor<8x32xf8E4M3FN>, %sa: tensor<8x1xi8>, %b: tensor<16x8xi8>, %sb: tensor<8x1xi8>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %d = tt.dot_scaled %a scale %sa, %b scale %sb, %c lhs = e4m3 rhs = e2m1 {fastMath = false} : tensor<8x32xf8E4M3FN>, tensor<8x1xi8> * tensor<16x8xi8>, tensor<8x1xi8> -> tensor<8x8xf32>
  tt.return %d : tensor<8x8xf32>
}

// -----

// `tl.map_elementwise` with pack 2: the operand is cut into two contiguous
// halves, and half j feeds the region's j-th element.
// CHECK-LABEL: func.func @map_elementwise_pack
// CHECK: %[[LO:.*]] = tensor.extract_slice %{{.*}}[0] [4] [1] : tensor<8xf32> to tensor<4xf32>
// CHECK: %[[HI:.*]] = tensor.extract_slice %{{.*}}[4] [4] [1] : tensor<8xf32> to tensor<4xf32>
// CHECK: %[[G:.*]]:2 = linalg.generic {{.*}} ins(%[[LO]], %[[HI]] : tensor<4xf32>, tensor<4xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK:   %[[S:.*]] = arith.addf %[[A]], %[[B]] : f32
// CHECK:   %[[P:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK:   linalg.yield %[[S]], %[[P]] : f32, f32
// CHECK: tensor.insert_slice %[[G]]#0 into %{{.*}}[0] [4] [1]
// CHECK: tensor.insert_slice %[[G]]#1 into %{{.*}}[4] [4] [1]
tt.func @map_elementwise_pack(%x: tensor<8xf32>) -> tensor<8xf32> {
  %r = "tt.map_elementwise"(%x) <{pack = 2 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    %p = arith.mulf %a, %b : f32
    tt.map_elementwise.return %s, %p : f32, f32
  }) : (tensor<8xf32>) -> tensor<8xf32>
  tt.return %r : tensor<8xf32>
}

// -----

// tt.ptr_to_int: the argument memref's aligned base address plus its own
// offset and the pointer's, in bytes of the element type (2 for f16).
// CHECK-LABEL: func.func @ptr_to_int
// CHECK: %{{.*}}, %[[OFF:.*]], %{{.*}}, %{{.*}} = memref.extract_strided_metadata %arg0
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK: %[[SPLAT:.*]] = tensor.splat %[[OFF]] : tensor<4xindex>
// CHECK: %[[ELEMENTS:.*]] = arith.addi %{{.*}}, %[[SPLAT]] : tensor<4xindex>
// CHECK: %[[TWO:.*]] = arith.constant dense<2> : tensor<4xindex>
// CHECK: %[[BYTES:.*]] = arith.muli %[[ELEMENTS]], %[[TWO]] : tensor<4xindex>
// CHECK: %[[START:.*]] = tensor.splat %[[BASE]] : tensor<4xindex>
// CHECK: %[[ADDRESS:.*]] = arith.addi %[[START]], %[[BYTES]] : tensor<4xindex>
// CHECK: arith.index_castui %[[ADDRESS]] : tensor<4xindex> to tensor<4xi64>
tt.func @ptr_to_int(%p: !tt.ptr<f16>) -> tensor<4xi64> {
  %r = tt.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %s = tt.splat %p : !tt.ptr<f16> -> tensor<4x!tt.ptr<f16>>
  %a = tt.addptr %s, %r : tensor<4x!tt.ptr<f16>>, tensor<4xi32>
  %i = tt.ptr_to_int %a : tensor<4x!tt.ptr<f16>> -> tensor<4xi64>
  tt.return %i : tensor<4xi64>
}

// -----

// tt.int_to_ptr: the pointer is its address in bytes (address arithmetic
// scales by the element size, 4 for f32), and each element is read through
// llvm.inttoptr and llvm.load.
// CHECK-LABEL: func.func @int_to_ptr
// CHECK-NOT: ub.poison
// CHECK: %[[ADDRESS:.*]] = arith.index_castui %arg0 : tensor<4xi64> to tensor<4xindex>
// CHECK: %[[FOUR:.*]] = arith.constant dense<4> : tensor<4xindex>
// CHECK: %[[BYTES:.*]] = arith.muli %{{.*}}, %[[FOUR]] : tensor<4xindex>
// CHECK: %[[NEXT:.*]] = arith.addi %[[ADDRESS]], %[[BYTES]] : tensor<4xindex>
// CHECK: scf.for
// CHECK: %[[ONE:.*]] = tensor.extract %[[NEXT]]
// CHECK: %[[WORD:.*]] = arith.index_castui %[[ONE]] : index to i64
// CHECK: %[[POINTER:.*]] = llvm.inttoptr %[[WORD]] : i64 to !llvm.ptr
// CHECK: llvm.load %[[POINTER]] {alignment = 4 : i64} : !llvm.ptr -> f32
tt.func @int_to_ptr(%a: tensor<4xi64>) -> tensor<4xf32> {
  %p = tt.int_to_ptr %a : tensor<4xi64> -> tensor<4x!tt.ptr<f32>>
  %one = arith.constant dense<1> : tensor<4xi32>
  %q = tt.addptr %p, %one : tensor<4x!tt.ptr<f32>>, tensor<4xi32>
  %v = tt.load %q : tensor<4x!tt.ptr<f32>>
  tt.return %v : tensor<4xf32>
}

// -----

// Triton's f32 `/` is approximate on GPUs (div.full.f32): FLIR marks it
// arcp. tl.math.div_rn (tt.precise_divf) and f64 divisions are not marked.
// CHECK-LABEL: func.func @divisions
// CHECK: arith.divf %arg0, %arg1 fastmath<arcp> : tensor<8xf32>
// CHECK: arith.divf %arg0, %arg1 : tensor<8xf32>
// CHECK: arith.divf %arg2, %arg2 : tensor<8xf64>
tt.func @divisions(%a: tensor<8xf32>, %b: tensor<8xf32>, %c: tensor<8xf64>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf64>) {
  %q = arith.divf %a, %b : tensor<8xf32>
  %p = tt.precise_divf %a, %b : tensor<8xf32>
  %d = arith.divf %c, %c : tensor<8xf64>
  tt.return %q, %p, %d : tensor<8xf32>, tensor<8xf32>, tensor<8xf64>
}

// -----

// Toward zero to f8E5M2: the nearest code, one code nearer to zero (its
// byte minus one) where it is farther from zero than the input.
// CHECK-LABEL: func.func @fp8_rtz
// CHECK: %[[FAR:.*]] = arith.cmpf ogt, %{{.*}}, %{{.*}} : tensor<8xf32>
// CHECK: %[[NEARER:.*]] = arith.subi %{{.*}}, %{{.*}} : tensor<8xi8>
// CHECK: arith.select %[[FAR]], %{{.*}}, %{{.*}} : tensor<8xi1>, tensor<8xf8E5M2>
tt.func @fp8_rtz(%x: tensor<8xf32>) -> tensor<8xf8E5M2> {
  %y = tt.fp_to_fp %x, rounding = rtz : tensor<8xf32> -> tensor<8xf8E5M2>
  tt.return %y : tensor<8xf8E5M2>
}

// -----

// A scalar pointer made from an integer, used only by address arithmetic
// and accesses, is a memref at that address (its LLVM descriptor built by
// hand): its loads are views and copies, as an argument's are.
// CHECK-LABEL: func.func @scalar_int_to_ptr
// CHECK: %[[START:.*]] = llvm.inttoptr %arg0 : i64 to !llvm.ptr
// CHECK: llvm.insertvalue %[[START]], %{{.*}}[0]
// CHECK: llvm.insertvalue %[[START]], %{{.*}}[1]
// CHECK: %[[ROOT:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32>
// CHECK: memref.reinterpret_cast %[[ROOT]]
// CHECK-NOT: llvm.load
tt.func @scalar_int_to_ptr(%a: i64) -> tensor<4xf32> {
  %p = tt.int_to_ptr %a : i64 -> !tt.ptr<f32>
  %s = tt.splat %p : !tt.ptr<f32> -> tensor<4x!tt.ptr<f32>>
  %r = tt.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  %q = tt.addptr %s, %r : tensor<4x!tt.ptr<f32>>, tensor<4xi32>
  %v = tt.load %q : tensor<4x!tt.ptr<f32>>
  tt.return %v : tensor<4xf32>
}
