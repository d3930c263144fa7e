//===- flagtree-cpu-opt.c - the CPU target's optimizer driver -------------===//
//
// Runs the host-CPU target's passes on IR files, like mlir-opt, for the lit
// tests; the passes live in libflagtree_cpu.so, not in the core library.
//
//===----------------------------------------------------------------------===//

#include "flagtree/CAPI/FlagTreeCPU.h"

int main(int argc, char **argv) { return flagtree_cpu_opt_main(argc, argv); }
