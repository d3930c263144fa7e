// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir -verify-diagnostics

// An op the CPU lane cannot lower is reported at its location, never a crash.
tt.func @inline_asm(%x: tensor<64xi32>) -> tensor<64xi32> {
  // expected-error @+1 {{'tt.elementwise_inline_asm' is not supported by the CPU lane yet}}
  %y = tt.elementwise_inline_asm "shl.b32 $0, $1, 3;" {constraints = "=r,r", packed_element = 1 : i32, pure = true} %x : tensor<64xi32> -> tensor<64xi32>
  tt.return %y : tensor<64xi32>
}

// -----

// Conversions to the fnuz fp8 formats round to nearest even only.
tt.func @fp8_rtz(%x: tensor<8xf32>) -> tensor<8xf8E4M3FNUZ> {
  // expected-error @+1 {{'tt.fp_to_fp' to 'f8E4M3FNUZ' rounds to nearest even on the CPU lane; rounding toward zero is supported to f8E5M2 and f8E4M3FN}}
  %y = tt.fp_to_fp %x, rounding = rtz : tensor<8xf32> -> tensor<8xf8E4M3FNUZ>
  tt.return %y : tensor<8xf8E4M3FNUZ>
}

// -----

// device_print of a tensor of rank 5 is named in the error.
tt.func @print_rank5(%x: tensor<1x1x1x1x2xi32>) {
  // expected-error @+1 {{'tt.print' of a tensor of rank 5 is not supported by the CPU lane yet}}
  tt.print " x: " {hex = false, isSigned = array<i32: 1>} : %x : tensor<1x1x1x1x2xi32>
  tt.return
}

// -----

// A libdevice function without a CPU counterpart is named in the error.
tt.func @unknown_libdevice(%x: f32) -> f32 {
  // expected-error @+1 {{libdevice function '__nv_j0f' is not supported by the CPU lane yet}}
  %r = tt.extern_elementwise %x {libname = "", libpath = "", pure = true, symbol = "__nv_j0f"} : (f32) -> f32
  tt.return %r : f32
}

// -----

// A same-width cast whose pointers also reach an atomic is not undone, so
// the load through it still cannot be lowered.
tt.func @load_and_atomic_through_bitcast(%p: !tt.ptr<f32>, %x: i32) -> i32 {
  %q = tt.bitcast %p : !tt.ptr<f32> -> !tt.ptr<i32>
  %old = tt.atomic_rmw max, acq_rel, gpu, %q, %x : (!tt.ptr<i32>, i32) -> i32
  // expected-error @+1 {{'tt.load' through a pointer bitcast to another element type is not supported by the CPU lane yet}}
  %v = tt.load %q : !tt.ptr<i32>
  %s = arith.addi %v, %old : i32
  tt.return %s : i32
}

// -----

// tt.dot_scaled of fp6 operands is named in the error.
tt.func @dot_scaled_fp6(%a: tensor<8x32xi8>, %b: tensor<32x8xbf16>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'tt.dot_scaled' of format e2m3 is not supported by the CPU lane yet}}
  %d = tt.dot_scaled %a, %b, %c lhs = e2m3 rhs = bf16 {fastMath = false} : tensor<8x32xi8> * tensor<32x8xbf16> -> tensor<8x8xf32>
  tt.return %d : tensor<8x8xf32>
}
