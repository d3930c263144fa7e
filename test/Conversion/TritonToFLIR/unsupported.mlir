// RUN: flagtree-opt %s --split-input-file --convert-triton-to-flir -verify-diagnostics

// An op the CPU lane cannot lower is reported at its location, never a crash.
tt.func @histogram(%x: tensor<64xi32>) -> tensor<8xi32> {
  // expected-error @+1 {{'tt.histogram' is not supported by the CPU lane yet}}
  %h = tt.histogram %x : tensor<64xi32> -> tensor<8xi32>
  tt.return %h : tensor<8xi32>
}

// -----

// Atomics are not lowered yet either.
tt.func @atomic(%p: !tt.ptr<f32>, %v: f32) {
  // expected-error @+1 {{'tt.atomic_rmw' is not supported by the CPU lane yet}}
  %r = tt.atomic_rmw fadd, acq_rel, gpu, %p, %v : (!tt.ptr<f32>, f32) -> f32
  tt.return
}
