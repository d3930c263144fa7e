//===- TritonDialect.td - flagtree's own `tt` dialect definition ---------===//
//
// flagtree reads and writes the TTIR that Triton 3.6 prints. This dialect is
// written from that textual form: every op prints exactly as Triton prints it
// so that Triton can parse what flagtree emits.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_DIALECT_TRITON_IR_TRITONDIALECT_TD
#define FLAGTREE_DIALECT_TRITON_IR_TRITONDIALECT_TD

include "mlir/IR/OpBase.td"

def Triton_Dialect : Dialect {
  let name = "tt";
  let cppNamespace = "::flagtree::tt";
  let summary = "The Triton tensor IR (TTIR), as read and written by flagtree";
  let description = [{
    Block-level tensor programs: one kernel instance (a *program*) operates on
    tensors of values and tensors of pointers. The op set, the types and the
    printed syntax follow the TTIR that `triton==3.6.0` emits, so modules can
    travel between Triton and flagtree as text without loss.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::ub::UBDialect",
  ];
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerTypes();
  }];
}

// Triton requires every tensor of a `tt` op to hold a power-of-two number of
// elements; flagtree checks the same, so it never hands Triton a module that
// Triton would refuse.
def TT_TensorSizeTrait : NativeOpTrait<"TensorSizeTrait"> {
  let cppNamespace = "::flagtree::tt::OpTrait";
}

class TT_Op<string mnemonic, list<Trait> traits = []>
    : Op<Triton_Dialect, mnemonic, !listconcat(traits, [TT_TensorSizeTrait])>;

#endif // FLAGTREE_DIALECT_TRITON_IR_TRITONDIALECT_TD
