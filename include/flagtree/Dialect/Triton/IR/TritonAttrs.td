//===- TritonAttrs.td - enum attributes that appear in TTIR --------------===//
//
// The integer values are the ones Triton 3.6 stores, because some of these
// attributes are printed as plain integers (e.g. `padding = 1 : i32`).
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_DIALECT_TRITON_IR_TRITONATTRS_TD
#define FLAGTREE_DIALECT_TRITON_IR_TRITONATTRS_TD

include "mlir/IR/EnumAttr.td"

def TT_CacheModifierAttr : I32EnumAttr<"CacheModifier",
    "cache modifier of a load or store", [
      I32EnumAttrCase<"NONE", 1, "none">,
      I32EnumAttrCase<"CA", 2, "ca">,
      I32EnumAttrCase<"CG", 3, "cg">,
      I32EnumAttrCase<"WB", 4, "wb">,
      I32EnumAttrCase<"CS", 5, "cs">,
      I32EnumAttrCase<"WT", 6, "wt">,
      I32EnumAttrCase<"CV", 7, "cv">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_EvictionPolicyAttr : I32EnumAttr<"EvictionPolicy",
    "cache eviction policy of a load or store", [
      I32EnumAttrCase<"NORMAL", 1, "evict_normal">,
      I32EnumAttrCase<"EVICT_FIRST", 2, "evict_first">,
      I32EnumAttrCase<"EVICT_LAST", 3, "evict_last">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_PaddingOptionAttr : I32EnumAttr<"PaddingOption",
    "value of out-of-bounds elements of a block load", [
      I32EnumAttrCase<"PAD_ZERO", 1, "zero">,
      I32EnumAttrCase<"PAD_NAN", 2, "nan">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_AtomicRMWAttr : I32EnumAttr<"RMWOp", "read-modify-write operation", [
      I32EnumAttrCase<"AND", 1, "and">,
      I32EnumAttrCase<"OR", 2, "or">,
      I32EnumAttrCase<"XOR", 3, "xor">,
      I32EnumAttrCase<"ADD", 4, "add">,
      I32EnumAttrCase<"FADD", 5, "fadd">,
      I32EnumAttrCase<"MAX", 6, "max">,
      I32EnumAttrCase<"MIN", 7, "min">,
      I32EnumAttrCase<"UMAX", 8, "umax">,
      I32EnumAttrCase<"UMIN", 9, "umin">,
      I32EnumAttrCase<"XCHG", 10, "exch">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_MemSemanticAttr : I32EnumAttr<"MemSemantic",
    "memory ordering of an atomic", [
      I32EnumAttrCase<"RELAXED", 1, "relaxed">,
      I32EnumAttrCase<"ACQUIRE", 2, "acquire">,
      I32EnumAttrCase<"RELEASE", 3, "release">,
      I32EnumAttrCase<"ACQUIRE_RELEASE", 4, "acq_rel">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_MemSyncScopeAttr : I32EnumAttr<"MemSyncScope",
    "set of threads an atomic synchronizes with", [
      I32EnumAttrCase<"GPU", 1, "gpu">,
      I32EnumAttrCase<"CTA", 2, "cta">,
      I32EnumAttrCase<"SYSTEM", 3, "sys">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_ProgramDim : I32EnumAttr<"ProgramIDDim", "axis of the launch grid", [
      I32EnumAttrCase<"X", 0, "x">,
      I32EnumAttrCase<"Y", 1, "y">,
      I32EnumAttrCase<"Z", 2, "z">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_RoundingModeAttr : I32EnumAttr<"RoundingMode",
    "rounding of a floating-point down-cast", [
      I32EnumAttrCase<"RTZ", 0, "rtz">,
      I32EnumAttrCase<"RTNE", 1, "rtne">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_PropagateNanAttr : I32EnumAttr<"PropagateNan",
    "whether a min/max/clamp propagates NaN operands", [
      I32EnumAttrCase<"NONE", 0, "none">,
      I32EnumAttrCase<"ALL", 0xFFFF, "all">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_InputPrecisionAttr : I32EnumAttr<"InputPrecision",
    "how fp32 operands of a dot are multiplied", [
      I32EnumAttrCase<"TF32", 0, "tf32">,
      I32EnumAttrCase<"TF32x3", 1, "tf32x3">,
      I32EnumAttrCase<"IEEE", 2, "ieee">,
      I32EnumAttrCase<"BF16x3", 3, "bf16x3">,
      I32EnumAttrCase<"BF16x6", 4, "bf16x6">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_ScaleDotElemTypeAttr : I32EnumAttr<"ScaleDotElemType",
    "element format of a scaled-dot operand", [
      I32EnumAttrCase<"E4M3", 0, "e4m3">,
      I32EnumAttrCase<"E5M2", 1, "e5m2">,
      I32EnumAttrCase<"E2M3", 2, "e2m3">,
      I32EnumAttrCase<"E3M2", 3, "e3m2">,
      I32EnumAttrCase<"E2M1", 4, "e2m1">,
      I32EnumAttrCase<"BF16", 5, "bf16">,
      I32EnumAttrCase<"FP16", 6, "fp16">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

def TT_DescriptorReduceKindAttr : I32EnumAttr<"DescriptorReduceKind",
    "reduction applied by a descriptor reduce-store", [
      I32EnumAttrCase<"ADD", 1, "add">,
      I32EnumAttrCase<"MIN", 2, "min">,
      I32EnumAttrCase<"MAX", 3, "max">,
      I32EnumAttrCase<"INC", 4, "inc">,
      I32EnumAttrCase<"DEC", 5, "dec">,
      I32EnumAttrCase<"AND", 6, "and">,
      I32EnumAttrCase<"OR", 7, "or">,
      I32EnumAttrCase<"XOR", 8, "xor">,
    ]> {
  let cppNamespace = "::flagtree::tt";
}

#endif // FLAGTREE_DIALECT_TRITON_IR_TRITONATTRS_TD
