//===- MatmulMicroKernel.cpp - register-blocked micro-kernels for matmuls -===//

#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

namespace flagtree::cpu {
#define GEN_PASS_DEF_CPUMATMULMICROKERNEL
#include "flagtree/Target/CPU/Passes.h.inc"
} // namespace flagtree::cpu

using namespace mlir;

namespace {

/// True when the innermost dimension of `value` (a memref) has unit stride,
/// so that a row segment is one vector load.
bool hasContiguousRows(Value value) {
  auto type = cast<MemRefType>(value.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         !strides.empty() && strides.back() == 1;
}

/// Float operands no wider than a float accumulator: the products are
/// computed in the accumulator's type, as `linalg.matmul` specifies.
bool hasSupportedTypes(Value a, Value b, Value c) {
  auto acc = dyn_cast<FloatType>(getElementTypeOrSelf(c.getType()));
  if (!acc)
    return false;
  for (Value operand : {a, b}) {
    auto element = dyn_cast<FloatType>(getElementTypeOrSelf(operand.getType()));
    if (!element || element.getWidth() > acc.getWidth())
      return false;
  }
  return true;
}

/// Emits the blocks of one 2-D product `c += a * b` on buffers.
class MicroKernelEmitter {
public:
  MicroKernelEmitter(OpBuilder &builder, Location loc, Value a, Value b,
                     Value c, int64_t rows, int64_t columns)
      : builder(builder), loc(loc), a(a), b(b), c(c), rows(rows),
        columns(columns),
        accType(cast<FloatType>(getElementTypeOrSelf(c.getType()))),
        start(builder.getInsertionBlock(),
              builder.getInsertionBlock()->begin()) {
    // Constants go before the first op of the block, which stays in place
    // (the block holds at least the matmul or the batch slices).
    assert(!builder.getInsertionBlock()->empty());
  }

  /// Column panels outside, row blocks inside: the panel of B that the
  /// blocks of one column share (K x one block's columns) stays in the L1
  /// cache while the rows of A stream past it.
  void emit() {
    m = extent(c, 0);
    k = extent(a, 1);
    Value n = extent(c, 1);
    Value fullColumns = roundDown(n, columns);
    if (!isZero(fullColumns))
      loop(index(0), fullColumns, index(columns),
           [&](Value j) { emitColumnPanel(j, columns, Value()); });
    if (std::optional<int64_t> staticN = getConstantIntValue(n)) {
      // A static remainder is one narrower vector per row.
      if (int64_t left = *staticN % columns)
        emitColumnPanel(fullColumns, left, Value());
      return;
    }
    // A dynamic remainder is one masked panel.
    Value left = arith::SubIOp::create(builder, loc, n, fullColumns);
    Value any = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sgt,
                                      left, index(0));
    auto branch = scf::IfOp::create(builder, loc, any, /*withElse=*/false);
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(&branch.getThenRegion().front());
    emitColumnPanel(fullColumns, columns, left);
  }

private:
  /// A loop from `lower` to `upper` by `step` whose body `body` builds.
  void loop(Value lower, Value upper, Value step,
            llvm::function_ref<void(Value)> body) {
    scf::ForOp::create(builder, loc, lower, upper, step, ValueRange{},
                       [&](OpBuilder &, Location, Value iv, ValueRange) {
                         body(iv);
                         scf::YieldOp::create(builder, loc);
                       });
  }

  /// Index constants are made once, at the start of the block the emitter
  /// started in, so that they sit outside the loops it builds.
  Value index(int64_t value) {
    Value &constant = constants[value];
    if (!constant) {
      OpBuilder::InsertionGuard guard(builder);
      builder.restoreInsertionPoint(start);
      constant = arith::ConstantIndexOp::create(builder, loc, value);
    }
    return constant;
  }

  Value extent(Value memref, unsigned dim) {
    auto type = cast<MemRefType>(memref.getType());
    if (!type.isDynamicDim(dim))
      return index(type.getDimSize(dim));
    return memref::DimOp::create(builder, loc, memref, dim);
  }

  static bool isZero(Value value) {
    std::optional<int64_t> known = getConstantIntValue(value);
    return known && *known == 0;
  }

  /// `value` rounded down to a multiple of `step`.
  Value roundDown(Value value, int64_t step) {
    if (std::optional<int64_t> known = getConstantIntValue(value))
      return index(*known / step * step);
    Value blocks = arith::DivUIOp::create(builder, loc, value, index(step));
    return arith::MulIOp::create(builder, loc, blocks, index(step));
  }

  /// All rows of the `width` columns starting at column `j`; `valid` (if
  /// set) is how many of them exist.
  void emitColumnPanel(Value j, int64_t width, Value valid) {
    Value fullRows = roundDown(m, rows);
    if (!isZero(fullRows))
      loop(index(0), fullRows, index(rows),
           [&](Value i) { emitBlock(i, j, rows, width, valid); });
    if (std::optional<int64_t> staticM = getConstantIntValue(m)) {
      if (int64_t left = *staticM % rows)
        emitBlock(fullRows, j, left, width, valid);
      return;
    }
    // A dynamic number of rows: the rows left over take one row each.
    loop(fullRows, m, index(1),
         [&](Value i) { emitBlock(i, j, 1, width, valid); });
  }

  Value loadRow(Value memref, Value row, Value column, VectorType type,
                Value mask) {
    if (!mask)
      return vector::LoadOp::create(builder, loc, type, memref,
                                    ValueRange{row, column});
    Value zero = arith::ConstantOp::create(builder, loc, type,
                                           builder.getZeroAttr(type));
    return vector::MaskedLoadOp::create(builder, loc, type, memref,
                                        ValueRange{row, column}, mask, zero);
  }

  /// One block of `count` rows and `width` columns at (i, j): accumulators
  /// in registers over the whole K loop. `valid` (if set) is the number of
  /// columns that exist; the others are masked off.
  void emitBlock(Value i, Value j, int64_t count, int64_t width, Value valid) {
    auto accVector = VectorType::get({width}, accType);
    Type bElement = getElementTypeOrSelf(b.getType());
    auto bVector = VectorType::get({width}, bElement);
    Value mask;
    if (valid)
      mask = vector::CreateMaskOp::create(
          builder, loc, VectorType::get({width}, builder.getI1Type()),
          ValueRange{valid});
    SmallVector<Value> rowIndices, accs;
    for (int64_t r = 0; r < count; ++r) {
      Value row = r == 0 ? i : arith::AddIOp::create(builder, loc, i, index(r));
      rowIndices.push_back(row);
      accs.push_back(loadRow(c, row, j, accVector, mask));
    }
    Type aElement = getElementTypeOrSelf(a.getType());
    auto loop = scf::ForOp::create(
        builder, loc, index(0), k, index(1), accs,
        [&](OpBuilder &, Location, Value kk, ValueRange carried) {
          Value bRow = loadRow(b, kk, j, bVector, mask);
          if (bElement != accType)
            bRow = arith::ExtFOp::create(builder, loc, accVector, bRow);
          SmallVector<Value> next;
          for (int64_t r = 0; r < count; ++r) {
            Value scalar = memref::LoadOp::create(
                builder, loc, a, ValueRange{rowIndices[r], kk});
            if (aElement != accType)
              scalar = arith::ExtFOp::create(builder, loc, accType, scalar);
            Value splat =
                vector::BroadcastOp::create(builder, loc, accVector, scalar);
            next.push_back(
                vector::FMAOp::create(builder, loc, splat, bRow, carried[r]));
          }
          scf::YieldOp::create(builder, loc, next);
        });
    for (int64_t r = 0; r < count; ++r) {
      if (mask)
        vector::MaskedStoreOp::create(builder, loc, c,
                                      ValueRange{rowIndices[r], j}, mask,
                                      loop.getResult(r));
      else
        vector::StoreOp::create(builder, loc, loop.getResult(r), c,
                                ValueRange{rowIndices[r], j});
    }
  }

  OpBuilder &builder;
  Location loc;
  Value a, b, c;
  int64_t rows, columns;
  FloatType accType;
  OpBuilder::InsertPoint start;
  /// Rows of C and the reduction's extent.
  Value m, k;
  llvm::DenseMap<int64_t, Value> constants;
};

/// The 2-D view of batch `index` of a 3-D buffer.
Value batchSlice(OpBuilder &builder, Location loc, Value memref, Value index) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<OpFoldResult> offsets{index, builder.getIndexAttr(0),
                                    builder.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes{builder.getIndexAttr(1)};
  for (unsigned dim = 1; dim < 3; ++dim)
    sizes.push_back(
        type.isDynamicDim(dim)
            ? OpFoldResult(
                  memref::DimOp::create(builder, loc, memref, dim).getResult())
            : OpFoldResult(builder.getIndexAttr(type.getDimSize(dim))));
  SmallVector<OpFoldResult> strides(3, builder.getIndexAttr(1));
  auto sliceType = memref::SubViewOp::inferRankReducedResultType(
      {type.getDimSize(1), type.getDimSize(2)}, type, offsets, sizes, strides);
  return memref::SubViewOp::create(builder, loc, cast<MemRefType>(sliceType),
                                   memref, offsets, sizes, strides);
}

struct CPUMatmulMicroKernel
    : public flagtree::cpu::impl::CPUMatmulMicroKernelBase<
          CPUMatmulMicroKernel> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> products;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) &&
          op.hasPureBufferSemantics() && !hasUserDefinedMaps(op) &&
          hasContiguousRows(op.getDpsInputs()[1]) &&
          hasContiguousRows(op.getDpsInits()[0]) &&
          hasSupportedTypes(op.getDpsInputs()[0], op.getDpsInputs()[1],
                            op.getDpsInits()[0]))
        products.push_back(op);
    });
    for (linalg::LinalgOp op : products)
      rewrite(op);
  }

  static bool hasUserDefinedMaps(linalg::LinalgOp op) {
    if (auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation()))
      return matmul.hasUserDefinedMaps();
    return cast<linalg::BatchMatmulOp>(op.getOperation()).hasUserDefinedMaps();
  }

  /// A static f16/bf16 A tile converted once to the accumulator's type:
  /// every element of A is broadcast once per column panel, and a scalar
  /// conversion each time costs more than the multiply-add. The copy is an
  /// element-wise `linalg.generic` that the vectorizer turns into vector
  /// conversions; B rows are converted as vectors where they are loaded.
  static Value widenedOperand(OpBuilder &builder, Location loc, Value a,
                              FloatType accType) {
    auto type = cast<MemRefType>(a.getType());
    if (type.getElementType() == accType || !type.hasStaticShape())
      return a;
    auto wideType = MemRefType::get(type.getShape(), accType);
    Value wide = memref::AllocOp::create(builder, loc, wideType);
    SmallVector<AffineMap> maps(2, builder.getMultiDimIdentityMap(2));
    SmallVector<utils::IteratorType> iterators(2,
                                               utils::IteratorType::parallel);
    linalg::GenericOp::create(
        builder, loc, ValueRange{a}, ValueRange{wide}, maps, iterators,
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          Value widened =
              arith::ExtFOp::create(nested, nestedLoc, accType, args[0]);
          linalg::YieldOp::create(nested, nestedLoc, widened);
        });
    return wide;
  }

  void rewrite(linalg::LinalgOp op) {
    OpBuilder builder(op);
    Location loc = op.getLoc();
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1];
    Value c = op.getDpsInits()[0];
    auto accType = cast<FloatType>(getElementTypeOrSelf(c.getType()));
    int64_t lanes = std::max<int64_t>(1, vectorWidthBits / accType.getWidth());
    int64_t columns = lanes * std::max<unsigned>(1, columnRegisters);
    int64_t blockRows = std::max<unsigned>(1, rows);
    if (isa<linalg::MatmulOp>(op.getOperation())) {
      a = widenedOperand(builder, loc, a, accType);
      MicroKernelEmitter(builder, loc, a, b, c, blockRows, columns).emit();
    } else {
      Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
      Value one = arith::ConstantIndexOp::create(builder, loc, 1);
      auto cType = cast<MemRefType>(c.getType());
      Value batches =
          cType.isDynamicDim(0)
              ? memref::DimOp::create(builder, loc, c, 0).getResult()
              : arith::ConstantIndexOp::create(builder, loc,
                                               cType.getDimSize(0))
                    .getResult();
      scf::ForOp::create(
          builder, loc, zero, batches, one, ValueRange{},
          [&](OpBuilder &nested, Location, Value batch, ValueRange) {
            Value a2 = batchSlice(nested, loc, a, batch);
            Value b2 = batchSlice(nested, loc, b, batch);
            Value c2 = batchSlice(nested, loc, c, batch);
            MicroKernelEmitter(nested, loc, a2, b2, c2, blockRows, columns)
                .emit();
            scf::YieldOp::create(nested, loc);
          });
    }
    op->erase();
  }
};

} // namespace
