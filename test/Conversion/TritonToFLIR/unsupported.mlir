// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir -verify-diagnostics

// An op the CPU lane cannot lower is reported at its location, never a crash.
tt.func @histogram(%x: tensor<64xi32>) -> tensor<8xi32> {
  // expected-error @+1 {{'tt.histogram' is not supported by the CPU lane yet}}
  %h = tt.histogram %x : tensor<64xi32> -> tensor<8xi32>
  tt.return %h : tensor<8xi32>
}

// -----

// A libdevice function without a CPU counterpart is named in the error.
tt.func @unknown_libdevice(%x: f32) -> f32 {
  // expected-error @+1 {{libdevice function '__nv_j0f' is not supported by the CPU lane yet}}
  %r = tt.extern_elementwise %x {libname = "", libpath = "", pure = true, symbol = "__nv_j0f"} : (f32) -> f32
  tt.return %r : f32
}

// -----

// Loads do not follow a pointer bitcast to another element type.
tt.func @load_through_bitcast(%p: !tt.ptr<f32>) -> i32 {
  %q = tt.bitcast %p : !tt.ptr<f32> -> !tt.ptr<i32>
  // expected-error @+1 {{'tt.load' through a pointer bitcast to another element type is not supported by the CPU lane yet}}
  %v = tt.load %q : !tt.ptr<i32>
  tt.return %v : i32
}
