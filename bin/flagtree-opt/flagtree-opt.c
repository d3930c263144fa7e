//===- flagtree-opt.c - the flagtree modular optimizer driver ------------===//
//
// Runs flagtree's passes on IR files, like mlir-opt; the work is done by the
// core library, so this binary stays tiny.
//
//===----------------------------------------------------------------------===//

#include "flagtree/CAPI/FlagTree.h"

int main(int argc, char **argv) { return flagtree_opt_main(argc, argv); }
