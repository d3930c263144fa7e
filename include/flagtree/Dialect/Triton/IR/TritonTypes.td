//===- TritonTypes.td - pointer and tensor-descriptor types of `tt` ------===//

#ifndef FLAGTREE_DIALECT_TRITON_IR_TRITONTYPES_TD
#define FLAGTREE_DIALECT_TRITON_IR_TRITONTYPES_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"
include "flagtree/Dialect/Triton/IR/TritonDialect.td"

class TT_TypeDef<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Triton_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def TT_PointerType : TT_TypeDef<"Pointer", "ptr"> {
  let summary = "pointer to a scalar or to a block (tensor) in an address space";
  let description = [{
    `!tt.ptr<f32>` points to scalars in the global address space (1), which
    is the default and is not printed. `!tt.ptr<tensor<64x64xf16>>` is a
    block pointer as made by `tt.make_tensor_ptr`.
  }];
  let parameters = (ins "::mlir::Type":$pointeeType, "int":$addressSpace);
  let builders = [
    TypeBuilderWithInferredContext<(ins "::mlir::Type":$pointeeType,
                                        "int":$addressSpace), [{
      return $_get(pointeeType.getContext(), pointeeType, addressSpace);
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let skipDefaultBuilders = 1;
}

def TT_TensorDescType : TT_TypeDef<"TensorDesc", "tensordesc"> {
  let summary = "descriptor of a tiled view of a global tensor";
  let description = [{
    `!tt.tensordesc<tensor<32x32xf32>>` describes a global tensor that is
    loaded and stored in blocks of the given tensor type.
  }];
  let parameters = (ins "::mlir::RankedTensorType":$blockType);
  let assemblyFormat = "`<` $blockType `>`";
}

//===----------------------------------------------------------------------===//
// Type constraints used by the ops.
//===----------------------------------------------------------------------===//

def TT_Float : AnyTypeOf<[AnyFloat]>;
def TT_FloatTensor : RankedTensorOf<[TT_Float]>;
def TT_FloatLike : AnyTypeOf<[TT_Float, TT_FloatTensor]>;

def TT_Int : AnyTypeOf<[I1, I8, I16, I32, I64], "integer">;
def TT_IntTensor : RankedTensorOf<[TT_Int]>;
def TT_IntLike : AnyTypeOf<[TT_Int, TT_IntTensor]>;

def TT_I32Like : AnyTypeOf<[I32, RankedTensorOf<[I32]>]>;
def TT_BoolLike : AnyTypeOf<[I1, RankedTensorOf<[I1]>]>;

def TT_Ptr : Type<CPred<"::llvm::isa<::flagtree::tt::PointerType>($_self) && "
                        "!::llvm::isa<::mlir::RankedTensorType>("
                        "::llvm::cast<::flagtree::tt::PointerType>($_self)"
                        ".getPointeeType())">,
                  "pointer to a scalar", "::flagtree::tt::PointerType">;
def TT_PtrTensor : RankedTensorOf<[TT_Ptr]>;
def TT_PtrLike : AnyTypeOf<[TT_Ptr, TT_PtrTensor]>;

def TT_TensorPtr
    : Type<CPred<"::llvm::isa<::flagtree::tt::PointerType>($_self) && "
                 "::llvm::isa<::mlir::RankedTensorType>("
                 "::llvm::cast<::flagtree::tt::PointerType>($_self)"
                 ".getPointeeType())">,
           "pointer to a block (tensor)", "::flagtree::tt::PointerType">;

def TT_Type : AnyTypeOf<[TT_Float, TT_Int, TT_Ptr]>;
def TT_Tensor : RankedTensorOf<[TT_Float, TT_Int, TT_Ptr]>;
def TT_ScalarOrTensor : AnyTypeOf<[TT_Type, TT_Tensor]>;

def TT_TensorDesc : Type<CPred<"::llvm::isa<::flagtree::tt::TensorDescType>($_self)">,
                         "tensor descriptor", "::flagtree::tt::TensorDescType">;

#endif // FLAGTREE_DIALECT_TRITON_IR_TRITONTYPES_TD
