//===- JITRuntime.cpp - helper symbols the JIT-compiled kernels call -----===//

#include "JITRuntime.h"

#include "llvm/ExecutionEngine/Orc/Mangling.h"

#include <cstdint>
#include <cstring>

namespace {

/// f32 -> bf16 bits, rounding to nearest even; NaN stays a quiet NaN.
uint16_t roundToBF16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((bits >> 16) | 0x40u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

/// A bf16 is returned in the low 16 bits of xmm0 (x86-64 SysV); the host
/// compiler may have no bf16 type, so the bits travel in a float.
float bf16Result(uint16_t bf16) {
  uint32_t bits = bf16;
  float result;
  std::memcpy(&result, &bits, sizeof result);
  return result;
}

float truncsfbf2(float value) { return bf16Result(roundToBF16(value)); }

float truncdfbf2(double value) {
  // Rounding through f32 first could round twice: keep the bits that the
  // f32 rounding drops as a sticky bit.
  float narrow = static_cast<float>(value);
  uint32_t bits;
  std::memcpy(&bits, &narrow, sizeof bits);
  if (static_cast<double>(narrow) != value && (bits & 0xffffu) == 0x8000u)
    bits |= 1u;
  std::memcpy(&narrow, &bits, sizeof bits);
  return bf16Result(roundToBF16(narrow));
}

} // namespace

void flagtree::cpu::registerJITRuntime(mlir::ExecutionEngine &engine) {
  engine.registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](const char *name, auto *function) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                 llvm::JITSymbolFlags::Exported};
    };
    add("__truncsfbf2", &truncsfbf2);
    add("__truncdfbf2", &truncdfbf2);
    return symbols;
  });
}
