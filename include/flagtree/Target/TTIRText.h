//===- TTIRText.h - reading and writing TTIR as Triton does ---*- C++ -*-===//
//
// flagtree exchanges TTIR with Triton as text. These two functions make that
// exchange lossless: what Triton prints, flagtree parses and prints back
// byte for byte.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_TARGET_TTIRTEXT_H
#define FLAGTREE_TARGET_TTIRTEXT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace llvm {
class SourceMgr;
class raw_ostream;
} // namespace llvm

namespace flagtree {

/// Parses and verifies the module in the main buffer of `sourceMgr`.
/// Diagnostics go to the context's handler; returns null on failure.
///
/// Triton names SSA values after Python variables through name locations.
/// Block arguments of `scf.for`/`scf.while` print no location, so their
/// names would be lost on a round trip; this parser recovers them from the
/// text so that printing reproduces the input.
mlir::OwningOpRef<mlir::ModuleOp> parseTTIR(llvm::SourceMgr &sourceMgr,
                                            mlir::MLIRContext *context);

/// Prints `module` exactly the way Triton 3.6 prints TTIR.
void printTTIR(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace flagtree

#endif // FLAGTREE_TARGET_TTIRTEXT_H
