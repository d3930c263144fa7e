// RUN: flagtree-opt %s --split-input-file --flagtree-lower-hints-to-ttir="honour=num_stages,flatten,warp_specialize,evict_first,evict_last,cache lane=nvidia" 2>&1 | FileCheck %s

// Loop hints become the loop attributes Triton's pipeliner and loop passes
// read; a hint the lane does not honour is a remark, and no ft attribute is left.
// CHECK: remark: hint 'unroll' is ignored by the nvidia lane
// CHECK: remark: hint 'cache' is ignored by the nvidia lane: the access already has an eviction policy
// CHECK: remark: hint 'evict_last' is ignored by the nvidia lane: the access already has a cache modifier
// CHECK-LABEL: tt.func @loops
tt.func @loops(%n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
  // CHECK: } {tt.flatten, tt.num_stages = 2 : i32, tt.warp_specialize}
  } {ft.num_stages = 2 : i32, ft.flatten, ft.warp_specialize, ft.unroll = 4 : i32}
  tt.return
}

// -----

// Access hints become the cache modifier or the eviction policy of the access.
// CHECK-LABEL: tt.func @accesses
tt.func @accesses(%p: tensor<64x!tt.ptr<f32>>) {
  // CHECK: tt.load %{{.*}} cacheModifier = cg : tensor<64x!tt.ptr<f32>>
  %x = tt.load %p {ft.cache = "cg"} : tensor<64x!tt.ptr<f32>>
  // CHECK: tt.load %{{.*}} evictionPolicy = evict_first : tensor<64x!tt.ptr<f32>>
  %y = tt.load %p {ft.evict_first} : tensor<64x!tt.ptr<f32>>
  // CHECK: tt.store %{{.*}}, %{{.*}} cacheModifier = wt : tensor<64x!tt.ptr<f32>>
  tt.store %p, %x {ft.cache = "wt"} : tensor<64x!tt.ptr<f32>>
  // CHECK: tt.store %{{.*}}, %{{.*}} evictionPolicy = evict_last : tensor<64x!tt.ptr<f32>>
  tt.store %p, %y {ft.evict_last} : tensor<64x!tt.ptr<f32>>
  // CHECK-NOT: ft.
  tt.return
}

// -----

// A hint never gives an access both a cache modifier and an eviction
// policy: where the kernel set one, a hint for the other is refused (the
// remarks are checked at the top: they come first in the output).
// CHECK-LABEL: tt.func @conflicts
tt.func @conflicts(%p: tensor<64x!tt.ptr<f32>>) {
  // CHECK: tt.load %{{.*}} evictionPolicy = evict_first : tensor<64x!tt.ptr<f32>>
  %x = tt.load %p evictionPolicy = evict_first {ft.cache = "cg"} : tensor<64x!tt.ptr<f32>>
  // CHECK: tt.store %{{.*}}, %{{.*}} cacheModifier = cs : tensor<64x!tt.ptr<f32>>
  tt.store %p, %x cacheModifier = cs {ft.evict_last} : tensor<64x!tt.ptr<f32>>
  tt.return
}
