//===- JITRuntime.cpp - functions the JIT-compiled kernels call ----------===//

#include "JITRuntime.h"

#include "llvm/ExecutionEngine/Orc/Mangling.h"

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

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

/// f64 -> f16 bits, rounding to nearest even in one step (through f32 it
/// could round twice); NaN stays a quiet NaN, overflow gives an infinity.
uint16_t roundToF16(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  uint16_t sign = static_cast<uint16_t>((bits >> 48) & 0x8000u);
  uint64_t magnitude = bits & 0x7fffffffffffffffull;
  if (magnitude > 0x7ff0000000000000ull)
    return sign | 0x7e00u | static_cast<uint16_t>((magnitude >> 42) & 0x1ffu);
  int exponent = static_cast<int>(magnitude >> 52) - 1023;
  if (exponent >= 16) // 2^16 and above (infinity too) round to infinity
    return sign | 0x7c00u;
  if (exponent < -25) // below half the smallest subnormal (2^-24): zero
    return sign;
  uint64_t mantissa = (magnitude & 0xfffffffffffffull) | (1ull << 52);
  // The kept bits: for normal results the 10 fraction bits under the
  // exponent, for subnormal ones the multiples of 2^-24.
  int shift = exponent >= -14 ? 42 : 42 + (-14 - exponent);
  uint64_t kept = mantissa >> shift;
  if (exponent >= -14)
    kept = (static_cast<uint64_t>(exponent + 15) << 10) | (kept & 0x3ffu);
  uint64_t rest = mantissa & ((1ull << shift) - 1);
  uint64_t half = 1ull << (shift - 1);
  if (rest > half || (rest == half && (kept & 1u)))
    ++kept; // a carry moves into the exponent, up to infinity
  return sign | static_cast<uint16_t>(kept);
}

/// An f16 is returned like a bf16 (low 16 bits of xmm0).
float truncdfhf2(double value) { return bf16Result(roundToF16(value)); }

/// Where a failed assertion leaves the program running on this thread.
struct ProgramContext {
  std::jmp_buf exit;
  flagtree::cpu::AssertionFailure *failure = nullptr;
};
thread_local ProgramContext *currentProgram = nullptr;

/// Lines printed by programs running in parallel are not interleaved.
std::mutex printMutex;

std::string indexText(int32_t rank, int64_t i0, int64_t i1, int64_t i2,
                      int64_t i3) {
  const int64_t indices[4] = {i0, i1, i2, i3};
  std::string text = "(";
  for (int32_t d = 0; d < rank && d < 4; ++d)
    text += (d ? ", " : "") + std::to_string(indices[d]);
  return text + ")";
}

/// One element of a `tl.device_print`, as one line on stdout:
/// `pid (x, y, z) idx (i, j)<prefix>[(operand k) ]<value>`.
void print(int64_t prefix, int32_t pidX, int32_t pidY, int32_t pidZ,
           int32_t operand, int32_t rank, int64_t i0, int64_t i1, int64_t i2,
           int64_t i3, int32_t kind, int32_t bits, int64_t intValue,
           double floatValue) {
  std::string value;
  char buffer[64];
  switch (kind) {
  case 0:
    std::snprintf(buffer, sizeof buffer, "%lld",
                  static_cast<long long>(intValue));
    break;
  case 1:
    std::snprintf(buffer, sizeof buffer, "%llu",
                  static_cast<unsigned long long>(intValue));
    break;
  case 2:
    // Enough digits to tell apart every value of the printed type.
    std::snprintf(buffer, sizeof buffer, "%.*g",
                  bits > 32 ? 17 : (bits > 16 ? 9 : 5), floatValue);
    break;
  case 4: // the prefix alone
    buffer[0] = '\0';
    break;
  default:
    std::snprintf(buffer, sizeof buffer, "0x%0*llx",
                  static_cast<int>((bits + 3) / 4),
                  static_cast<unsigned long long>(intValue));
    break;
  }
  value = buffer;
  std::string line = "pid (" + std::to_string(pidX) + ", " +
                     std::to_string(pidY) + ", " + std::to_string(pidZ) +
                     ") idx " + indexText(rank, i0, i1, i2, i3) +
                     reinterpret_cast<const char *>(prefix);
  if (operand >= 0)
    line += "(operand " + std::to_string(operand) + ") ";
  line += value + "\n";
  std::lock_guard<std::mutex> lock(printMutex);
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

/// An element of a `tl.device_assert` whose condition is false.
[[noreturn]] void assertFail(int64_t where, int64_t message, int32_t pidX,
                             int32_t pidY, int32_t pidZ, int32_t rank,
                             int64_t i0, int64_t i1, int64_t i2, int64_t i3) {
  {
    std::string text = std::string(reinterpret_cast<const char *>(where)) +
                       ": device-side assertion failed in program (" +
                       std::to_string(pidX) + ", " + std::to_string(pidY) +
                       ", " + std::to_string(pidZ) + ")";
    if (rank > 0)
      text += " at index " + indexText(rank, i0, i1, i2, i3);
    text += ": " + std::string(reinterpret_cast<const char *>(message));
    flagtree::cpu::failProgram(std::move(text),
                               flagtree::cpu::AssertionFailure::kAssertion);
  }
}

} // namespace

void flagtree::cpu::AssertionFailure::record(std::string message, int status) {
  std::lock_guard<std::mutex> lock(mutex);
  if (hasFailed.load())
    return;
  text = std::move(message);
  kind = status;
  hasFailed.store(true);
}

void flagtree::cpu::failProgram(std::string text, int status) {
  ProgramContext *program = currentProgram;
  if (!program) {
    // Not inside a launch (cannot happen through the C API): report and
    // stop as a GPU would.
    std::fprintf(stderr, "%s\n", text.c_str());
    std::abort();
  }
  program->failure->record(std::move(text), status);
  text = std::string();
  // No object with a destructor is alive in the frames left any more.
  std::longjmp(program->exit, 1);
}

bool flagtree::cpu::runProgram(void (*entry)(void **), void **args,
                               AssertionFailure &failure) {
  ProgramContext context;
  context.failure = &failure;
  ProgramContext *outer = currentProgram;
  currentProgram = &context;
  // Kernels hold no C++ objects: leaving their frames by longjmp skips
  // nothing but the heap buffers they would free.
  if (setjmp(context.exit) != 0) {
    currentProgram = outer;
    return false;
  }
  entry(args);
  currentProgram = outer;
  return true;
}

llvm::orc::SymbolMap flagtree::cpu::exportedSymbols(
    llvm::orc::MangleAndInterner &interner,
    std::initializer_list<std::pair<const char *, llvm::orc::ExecutorAddr>>
        functions) {
  llvm::orc::SymbolMap symbols;
  for (auto [name, address] : functions)
    symbols[interner(name)] = {address, llvm::JITSymbolFlags::Exported};
  return symbols;
}

llvm::orc::SymbolMap
flagtree::cpu::jitRuntimeSymbols(llvm::orc::MangleAndInterner &interner) {
  using llvm::orc::ExecutorAddr;
  return exportedSymbols(
      interner,
      {{"__truncsfbf2", ExecutorAddr::fromPtr(&truncsfbf2)},
       {"__truncdfbf2", ExecutorAddr::fromPtr(&truncdfbf2)},
       {"__truncdfhf2", ExecutorAddr::fromPtr(&truncdfhf2)},
       {"flagtree_cpu_print", ExecutorAddr::fromPtr(&print)},
       {"flagtree_cpu_assert_fail", ExecutorAddr::fromPtr(&assertFail)}});
}

void flagtree::cpu::registerJITRuntime(mlir::ExecutionEngine &engine) {
  engine.registerSymbols([](llvm::orc::MangleAndInterner interner) {
    return jitRuntimeSymbols(interner);
  });
}
