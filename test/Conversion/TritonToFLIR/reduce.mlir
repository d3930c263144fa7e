// RUN: flagtree-opt %s --split-input-file '--pass-pipeline=builtin.module(convert-triton-to-flir{target={"name": "avx2", "vector_width_bits": 256}}, canonicalize, cse)' | FileCheck %s

// A sum along the innermost axis starts from its neutral element (-0.0) in
// four registers of eight lanes, as a linalg.generic over the whole input
// (element-wise producers fuse into it), then combines the four registers
// and the eight lanes.
// CHECK-LABEL: func.func @sum_rows
// CHECK: %[[ZERO:.*]] = arith.constant -0.000000e+00 : f32
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [2, 8, 32] : tensor<2x256xf32> into tensor<2x8x32xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x32xf32>)
// CHECK: %[[CHUNKS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[SPLIT]] : tensor<2x8x32xf32>) outs(%[[ACC]] : tensor<2x32xf32>)
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[CHUNKS]] {{\[\[}}0], [1, 2]] output_shape [2, 4, 8] : tensor<2x32xf32> into tensor<2x4x8xf32>
// CHECK: linalg.reduce { arith.addf } ins(%{{.*}} : tensor<2x3x8xf32>) outs(%{{.*}} : tensor<2x8xf32>) dimensions = [1]
// CHECK: linalg.reduce { arith.addf } ins(%{{.*}} : tensor<2x7xf32>) outs(%{{.*}} : tensor<2xf32>) dimensions = [1]
tt.func @sum_rows(%t: tensor<2x256xf32>) -> tensor<2xf32> {
  %r = "tt.reduce"(%t) <{axis = 1 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    tt.reduce.return %s : f32
  }) : (tensor<2x256xf32>) -> tensor<2xf32>
  tt.return %r : tensor<2xf32>
}

// -----

// A maximum that ignores NaN has no neutral element (an all-NaN input must
// stay NaN): it starts from the first slice, still in four registers.
// CHECK-LABEL: func.func @max_of_row
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [4, 32] : tensor<128xf32> into tensor<4x32xf32>
// CHECK: %[[FIRST:.*]] = tensor.extract_slice %[[SPLIT]][0, 0] [1, 32] [1, 1] : tensor<4x32xf32> to tensor<32xf32>
// CHECK: %[[REST:.*]] = tensor.extract_slice %[[SPLIT]][1, 0] [3, 32] [1, 1] : tensor<4x32xf32> to tensor<3x32xf32>
// CHECK: linalg.reduce { arith.maxnumf } ins(%[[REST]] : tensor<3x32xf32>) outs(%[[FIRST]] : tensor<32xf32>) dimensions = [0]
tt.func @max_of_row(%t: tensor<128xf32>) -> f32 {
  %r = "tt.reduce"(%t) <{axis = 0 : i32}> ({
  ^bb0(%a: f32, %b: f32):
    %m = arith.maxnumf %a, %b : f32
    tt.reduce.return %m : f32
  }) : (tensor<128xf32>) -> f32
  tt.return %r : f32
}

// -----

// Too short for four registers of two chunks each: two registers.
// CHECK-LABEL: func.func @sum_short
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [2, 16] : tensor<32xi32> into tensor<2x16xi32>
// CHECK: linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<16xi32>)
tt.func @sum_short(%t: tensor<32xi32>) -> i32 {
  %r = "tt.reduce"(%t) <{axis = 0 : i32}> ({
  ^bb0(%a: i32, %b: i32):
    %s = arith.addi %a, %b : i32
    tt.reduce.return %s : i32
  }) : (tensor<32xi32>) -> i32
  tt.return %r : i32
}

// -----

// Along an axis of two, a reduction is one combine of the two slices: an
// element-wise linalg.generic (no linalg.reduce over one element), which
// fusion can join with its producers and readers.
// CHECK-LABEL: func.func @xor_pairs
// CHECK: %[[FIRST:.*]] = tensor.extract_slice %arg0[0, 0, 0] [4, 1, 8] [1, 1, 1] : tensor<4x2x8xi32> to tensor<4x8xi32>
// CHECK: %[[SECOND:.*]] = tensor.extract_slice %arg0[0, 1, 0] [4, 1, 8] [1, 1, 1] : tensor<4x2x8xi32> to tensor<4x8xi32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[FIRST]], %[[SECOND]] : tensor<4x8xi32>, tensor<4x8xi32>)
// CHECK: ^bb0(%[[ACC:.*]]: i32, %[[ELEMENT:.*]]: i32, %{{.*}}: i32):
// CHECK: arith.xori %[[ACC]], %[[ELEMENT]] : i32
// CHECK-NOT: linalg.reduce
tt.func @xor_pairs(%t: tensor<4x2x8xi32>) -> tensor<4x8xi32> {
  %r = "tt.reduce"(%t) <{axis = 1 : i32}> ({
  ^bb0(%a: i32, %b: i32):
    %x = arith.xori %a, %b : i32
    tt.reduce.return %x : i32
  }) : (tensor<4x2x8xi32>) -> tensor<4x8xi32>
  tt.return %r : tensor<4x8xi32>
}
