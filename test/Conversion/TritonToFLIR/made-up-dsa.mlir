// RUN: flagtree-opt %s '--pass-pipeline=builtin.module(convert-triton-to-flir{target={"name": "toy-dsa", "vector_width_bits": 1024, "cores": 4, "dma": true, "local_memory_bytes": 262144, "memory_spaces": [{"name": "global", "id": 0}, {"name": "local", "id": 3, "size": 262144}]}})' | FileCheck %s
// RUN: flagtree-opt %s --convert-triton-to-flir | FileCheck %s --check-prefix=HOST
// RUN: not flagtree-opt %s '--pass-pipeline=builtin.module(convert-triton-to-flir{target={"vector_width_bits": 12}})' 2>&1 | FileCheck %s --check-prefix=BAD

// A made-up DSA given as JSON at run time is recorded on the module.
// CHECK: module attributes {flir.target = {cores = 4 : i64, dma = true, local_memory_bytes = 262144 : i64, memory_spaces = [{id = 0 : i64, name = "global", size = 0 : i64}, {id = 3 : i64, name = "local", size = 262144 : i64}], name = "toy-dsa", vector_width_bits = 1024 : i64}}
// CHECK-LABEL: func.func @kernel
// HOST: flir.target = {{{.*}}name = "host"
// BAD: error: invalid target description: `vector_width_bits` must be a positive multiple of 8
tt.func @kernel(%x: !tt.ptr<f32>) {
  tt.return
}
