//===- KernelLowering.h - state of lowering one tt.func to FLIR -*- C++ -*-===//
//
// The lowering walks a `tt.func` in program order and rebuilds it as a
// `func.func`, keeping beside the value mapping what it knows about integer
// and pointer tensors (affine offsets) and about masks (per-dimension upper
// bounds). That knowledge only ever picks a faster form of a load or store;
// every access also has a general form that needs none of it.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_LIB_CONVERSION_TRITONTOFLIR_KERNELLOWERING_H
#define FLAGTREE_LIB_CONVERSION_TRITONTOFLIR_KERNELLOWERING_H

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"

#include <algorithm>

namespace flagtree::flir {

/// value[i0, .., in] = base + sum_d strides[d] * i_d, all in `index`.
struct AffineOffsets {
  mlir::OpFoldResult base;
  llvm::SmallVector<mlir::OpFoldResult> strides;
};

/// mask[i0, .., in] = AND_d (i_d < upper[d]); a null entry is no bound.
struct MaskBounds {
  llvm::SmallVector<mlir::OpFoldResult> upper;
};

/// Whether `type` is a pointer or a tensor of pointers.
inline bool isPointerLike(mlir::Type type) {
  return mlir::isa<flagtree::tt::PointerType>(mlir::getElementTypeOrSelf(type));
}

/// What a pointer (or each pointer of a tensor of them) points to.
inline mlir::Type pointeeOf(mlir::Type pointer) {
  return mlir::cast<flagtree::tt::PointerType>(
             mlir::getElementTypeOrSelf(pointer))
      .getPointeeType();
}

/// The shape ops that carry a pointer (tensor) through unchanged in value:
/// the rewrites before the lowering follow pointers through them.
inline bool isShapeOp(mlir::Operation *op) {
  return mlir::isa<flagtree::tt::SplatOp, flagtree::tt::BroadcastOp,
                   flagtree::tt::ExpandDimsOp, flagtree::tt::ReshapeOp,
                   flagtree::tt::TransOp>(op);
}

/// Bytes one `element` takes in memory, and its natural alignment: a byte
/// at least (i1 is stored as i8).
inline unsigned elementBytes(mlir::Type element) {
  return std::max(1u, element.getIntOrFloatBitWidth() / 8);
}

/// The address `offset` (bytes, `index`) as an LLVM pointer.
mlir::Value addressPointer(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value offset);

/// `element` in the shape of `like`: `element` itself for a scalar `like`,
/// `like`'s shape of `element` for a shaped one.
inline mlir::Type typeLike(mlir::Type like, mlir::Type element) {
  if (auto shaped = mlir::dyn_cast<mlir::ShapedType>(like))
    return shaped.clone(element);
  return element;
}

/// Scalar attribute `value` as an `arith.constant` in the shape of `like`:
/// the scalar for a scalar `like`, a splat of it for a shaped one (whose
/// element type becomes the attribute's).
inline mlir::Value constantLike(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::TypedAttr value, mlir::Type like) {
  if (auto shaped = mlir::dyn_cast<mlir::ShapedType>(like))
    value = mlir::DenseElementsAttr::get(shaped.clone(value.getType()), value);
  return mlir::arith::ConstantOp::create(b, loc, value);
}

/// `value` (a float, fp8 included, or a tensor of them) as f32, exactly
/// (f64 rounds to nearest even). Fp8Lowering.cpp.
mlir::Value widenToF32(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value value);

/// The declaration of external function `name`, added to `module` once.
/// DebugLowering.cpp.
mlir::func::FuncOp runtimeFunction(mlir::ModuleOp module, llvm::StringRef name,
                                   mlir::FunctionType type);

/// Pushes each select between pointers of different roots past its users
/// until the memory accesses, which split in two masked accesses.
/// PointerSelects.cpp.
void splitPointerSelects(flagtree::tt::FuncOp function);

/// Undoes each pointer bitcast to a type of the same width whose pointers
/// only reach loads and stores: they read and write the argument's type
/// and bitcast the values instead. PointerBitcasts.cpp.
void undoPointerBitcasts(flagtree::tt::FuncOp function);

class KernelLowering {
public:
  KernelLowering(flagtree::tt::FuncOp source, mlir::func::FuncOp target);

  /// Lowers the body of the source function into the target function.
  mlir::LogicalResult run();

  /// Width of the target's vector registers: reductions along the innermost
  /// dimension first combine register-wide chunks lane by lane.
  unsigned vectorWidthBits = 128;

  /// The type a `tt` value takes after lowering: pointers become `index`
  /// offsets (tensors of them for tensors of pointers).
  static mlir::Type convertType(mlir::Type type);

  /// The element type memory of `pointee` holds: booleans take one byte
  /// each (Triton reads and writes them through a bitcast to `i8`).
  static mlir::Type storageType(mlir::Type pointee);

private:
  // Program order walk (TritonToFLIR.cpp).
  mlir::LogicalResult lowerBlockOps(mlir::Block &block);
  mlir::LogicalResult lowerOp(mlir::Operation *op);
  mlir::LogicalResult lowerGeneric(mlir::Operation *op);
  mlir::LogicalResult lowerFor(mlir::scf::ForOp op);
  mlir::LogicalResult lowerFor(mlir::scf::ForOp op,
                               llvm::ArrayRef<bool> speculate,
                               llvm::SmallVectorImpl<bool> &confirmed);
  mlir::LogicalResult lowerIf(mlir::scf::IfOp op);
  mlir::LogicalResult lowerWhile(mlir::scf::WhileOp op);
  mlir::LogicalResult lowerIndexSwitch(mlir::scf::IndexSwitchOp op);
  /// Lowers the ops of branch body `from` at the end of `to` (a block with
  /// no terminator) and ends `to` with a yield of what `from` yields.
  mlir::LogicalResult lowerBranchBody(mlir::Block &from, mlir::Block &to);
  mlir::LogicalResult lowerDot(flagtree::tt::DotOp op);

  // Reductions (ReduceLowering.cpp).
  mlir::LogicalResult lowerReduce(flagtree::tt::ReduceOp op);
  mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  reduceAlong(flagtree::tt::ReduceOp op, mlir::ValueRange inputs,
              unsigned axis);
  mlir::FailureOr<mlir::Value> reduceFromNeutral(flagtree::tt::ReduceOp op,
                                                 mlir::Value input,
                                                 unsigned axis,
                                                 mlir::TypedAttr neutral);
  /// While a 16-bit float sum is lowered: its combine region adds in f32.
  bool widenedSum = false;
  mlir::LogicalResult lowerCombine(flagtree::tt::ReduceOp op,
                                   mlir::OpBuilder &nb, mlir::Location l,
                                   mlir::ValueRange accumulators,
                                   mlir::ValueRange elements);
  mlir::LogicalResult lowerShapeOp(mlir::Operation *op);
  mlir::LogicalResult unsupported(mlir::Operation *op);

  // Scans (ScanLowering.cpp).
  mlir::LogicalResult lowerScan(flagtree::tt::ScanOp op);

  // Atomics and pointer casts (AtomicLowering.cpp).
  mlir::LogicalResult lowerAtomicRMW(flagtree::tt::AtomicRMWOp op);
  mlir::LogicalResult lowerAtomicCAS(flagtree::tt::AtomicCASOp op);
  mlir::LogicalResult lowerPointerBitcast(flagtree::tt::BitcastOp op);
  mlir::LogicalResult lowerPtrToInt(flagtree::tt::PtrToIntOp op);
  mlir::LogicalResult
  lowerAtomic(mlir::Operation *op, mlir::Value pointer, mlir::Value mask,
              llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                             mlir::Value, mlir::ValueRange)>
                  combine,
              mlir::ValueRange operands,
              std::optional<mlir::arith::AtomicRMWKind> simple);

  // Join, split, cat and gather (ShapeLowering.cpp).
  mlir::LogicalResult lowerJoin(flagtree::tt::JoinOp op);
  mlir::LogicalResult lowerSplit(flagtree::tt::SplitOp op);
  mlir::LogicalResult lowerCat(flagtree::tt::CatOp op);
  mlir::LogicalResult lowerGather(flagtree::tt::GatherOp op);

  // Histograms (HistogramLowering.cpp).
  mlir::LogicalResult lowerHistogram(flagtree::tt::HistogramOp op);

  // device_print and device_assert (DebugLowering.cpp).
  mlir::LogicalResult lowerPrint(flagtree::tt::PrintOp op);
  mlir::LogicalResult lowerAssert(flagtree::tt::AssertOp op);

  // tt.fp_to_fp: conversions from and to fp8, and between wider floats
  // with either rounding mode (Fp8Lowering.cpp).
  mlir::LogicalResult lowerFp8Cast(flagtree::tt::FpToFpOp op);
  mlir::LogicalResult lowerFloatCast(flagtree::tt::FpToFpOp op);

  // Scaled dots (DotScaledLowering.cpp).
  mlir::LogicalResult lowerDotScaled(flagtree::tt::DotScaledOp op);

  // Calls of helper functions (CallLowering.cpp).
  mlir::LogicalResult lowerCall(flagtree::tt::CallOp op);

  // libdevice calls (ElementwiseLowering.cpp).
  mlir::LogicalResult
  lowerExternElementwise(flagtree::tt::ExternElementwiseOp op);
  mlir::LogicalResult lowerMapElementwise(flagtree::tt::MapElementwiseOp op);
  /// Calls the C library's `function` (its f64 name) element by element.
  mlir::LogicalResult lowerLibmCall(flagtree::tt::ExternElementwiseOp op,
                                    llvm::StringRef function,
                                    mlir::ValueRange args);

  // Affine offsets and masks (AffineOffsets.cpp).
  void forget(mlir::Value value);
  void recordFacts(mlir::Operation *op);
  void recordCompare(mlir::arith::CmpIOp op);
  mlir::OpFoldResult addOfr(mlir::OpFoldResult a, mlir::OpFoldResult b);
  mlir::OpFoldResult subOfr(mlir::OpFoldResult a, mlir::OpFoldResult b);
  mlir::OpFoldResult mulOfr(mlir::OpFoldResult a, mlir::OpFoldResult b);
  mlir::OpFoldResult minOfr(mlir::OpFoldResult a, mlir::OpFoldResult b);
  mlir::Value toIndex(mlir::Value value);
  mlir::Value materialize(mlir::OpFoldResult ofr);
  std::optional<AffineOffsets> scalarAsAffine(mlir::Value source,
                                              unsigned rank);
  bool isZero(mlir::OpFoldResult ofr) const;
  bool sameOfr(mlir::OpFoldResult a, mlir::OpFoldResult b) const;

  // Loads and stores (MemoryAccess.cpp).
  mlir::LogicalResult lowerLoad(flagtree::tt::LoadOp op);
  mlir::LogicalResult lowerStore(flagtree::tt::StoreOp op);
  mlir::Value rootOf(mlir::Operation *op, mlir::Value pointer);
  mlir::Value structuredView(mlir::Location loc, mlir::Value root,
                             const AffineOffsets &offsets,
                             mlir::RankedTensorType shape,
                             const MaskBounds *bounds,
                             llvm::SmallVectorImpl<mlir::OpFoldResult> &sizes);
  mlir::Value accessRoot(mlir::Operation *op, mlir::Value ptr);
  /// Fills what lies outside the leading `valid` part of `buffer`.
  void fillOutside(mlir::Location loc, mlir::Value buffer,
                   llvm::ArrayRef<mlir::OpFoldResult> valid, mlir::Value value);
  mlir::Value gather(flagtree::tt::LoadOp op, mlir::Value root);
  /// Carries the loop hints of `source` onto the loop lowered from it.
  void carryLoopHints(mlir::scf::ForOp source, mlir::scf::ForOp loop);
  void scatter(flagtree::tt::StoreOp op, mlir::Value root);
  /// Reads (writes) one `type` element at `offset` of `root`: a memref
  /// access, or for pointers taken as addresses (see addressSpaceRoot), an
  /// LLVM access at that address.
  mlir::Value loadElement(mlir::OpBuilder &nb, mlir::Location l,
                          mlir::Value root, mlir::Value offset,
                          mlir::Type type);
  void storeElement(mlir::OpBuilder &nb, mlir::Location l, mlir::Value value,
                    mlir::Value root, mlir::Value offset);
  /// The root of every pointer made from an integer (`tt.int_to_ptr`): such
  /// a pointer is its address in bytes, and it is read and written element
  /// by element. A placeholder made on first use, erased after the lowering
  /// (nothing may use it).
  mlir::Value addressSpaceRoot();
  /// The root of the pointers cast from `argument`'s (a memref argument of
  /// the target) to an element type of another width: addresses too, whose
  /// accesses carry `kCastAccessAttr` with the argument's number. One
  /// placeholder per argument, like addressSpaceRoot's.
  mlir::Value castAddressRoot(mlir::BlockArgument argument);
  /// `kCastAccessAttr`'s value for an access through `root`: the number of
  /// the argument it was cast from, or null when it was not.
  mlir::IntegerAttr castAccessOf(mlir::Value root);
  bool isAddress(mlir::Value root) const {
    return root && (root == addressRoot || castArguments.count(root));
  }
  /// A scalar pointer made from an integer whose uses are all structured
  /// (address arithmetic, shape ops, loads, stores, atomics, `ptr_to_int`),
  /// as a memref of its element type at that address, or null. Its accesses
  /// then take an argument's paths (vector loads and stores) instead of
  /// the element-wise ones of addressSpaceRoot.
  mlir::Value addressMemRef(flagtree::tt::IntToPtrOp cast);
  /// The address of `offset` (elements of `root`, an argument's memref):
  /// `index` values, scalar or tensor like `offset`.
  mlir::Value addressOf(mlir::Value root, mlir::Value offset);

  flagtree::tt::FuncOp source;
  mlir::func::FuncOp target;
  mlir::OpBuilder b;
  /// Location of the op being lowered; everything built for it carries it.
  mlir::Location loc;
  mlir::IRMapping map;
  /// The memref argument every pointer value (of the source) points into.
  llvm::DenseMap<mlir::Value, mlir::Value> roots;
  mlir::Value addressRoot;
  /// castAddressRoot's placeholders, and the argument each stands for.
  llvm::DenseMap<mlir::Value, unsigned> castArguments;
  llvm::DenseMap<mlir::Value, AffineOffsets> affine;
  llvm::DenseMap<mlir::Value, MaskBounds> masks;
  /// Program-id and grid-size arguments of the target function.
  llvm::SmallVector<mlir::Value, 6> gridArgs;
  /// Helper functions being inlined, innermost last (recursion guard).
  llvm::SmallVector<mlir::Operation *, 4> callStack;
};

} // namespace flagtree::flir

#endif // FLAGTREE_LIB_CONVERSION_TRITONTOFLIR_KERNELLOWERING_H
