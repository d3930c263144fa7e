// RUN: flagtree-opt %s -split-input-file -verify-diagnostics

// A hint's value is a unit, an integer or a string.
tt.func @bad_value(%n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  // expected-error @+1 {{hint attribute 'ft.num_stages' must be a unit, an integer or a string}}
  scf.for %i = %c0 to %n step %c1 : i32 {
  } {ft.num_stages = 2.0 : f32}
  tt.return
}
