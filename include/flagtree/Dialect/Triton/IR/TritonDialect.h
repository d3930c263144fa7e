//===- TritonDialect.h - flagtree's own `tt` dialect -----------*- C++ -*-===//
//
// Declares the `tt` dialect, its types and its ops, as generated from the
// TableGen files next to this header.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_DIALECT_TRITON_IR_TRITONDIALECT_H
#define FLAGTREE_DIALECT_TRITON_IR_TRITONDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace flagtree::tt {

/// The memory resource that loads, stores and atomics act on.
struct GlobalMemory : public mlir::SideEffects::Resource::Base<GlobalMemory> {
  llvm::StringRef getName() final { return "<GlobalMemory>"; }
};

/// The type a pointer (or a tensor of pointers) points to, keeping the
/// tensor shape: `tensor<4x!tt.ptr<f32>>` -> `tensor<4xf32>`. Other types
/// are returned unchanged.
mlir::Type getPointeeType(mlir::Type type);

/// An i1 scalar or tensor with the shape of `type` (the type of a mask).
mlir::Type getI1SameShape(mlir::Type type);

/// For `!tt.ptr<tensor<..xT>, as>`, the scalar pointer `!tt.ptr<T, as>`.
mlir::Type getBlockBasePointerType(mlir::Type type);

namespace OpTrait {

/// Checks that every tensor an op uses or defines (block pointers included)
/// holds a power-of-two number of elements.
mlir::LogicalResult verifyTensorSize(mlir::Operation *op);

template <typename ConcreteType>
class TensorSizeTrait
    : public mlir::OpTrait::TraitBase<ConcreteType, TensorSizeTrait> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyTensorSize(op);
  }
};

} // namespace OpTrait
} // namespace flagtree::tt

#include "flagtree/Dialect/Triton/IR/TritonDialect.h.inc"
#include "flagtree/Dialect/Triton/IR/TritonEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "flagtree/Dialect/Triton/IR/TritonTypes.h.inc"

#define GET_OP_CLASSES
#include "flagtree/Dialect/Triton/IR/TritonOps.h.inc"

#endif // FLAGTREE_DIALECT_TRITON_IR_TRITONDIALECT_H
