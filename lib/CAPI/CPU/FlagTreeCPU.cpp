//===- FlagTreeCPU.cpp - C API of the host-CPU lane ----------------------===//
//
// Compiles TTIR with the host-CPU pipeline, JITs the LLVM dialect with
// mlir::ExecutionEngine (in-process ORC) and runs launch grids.
//
//===----------------------------------------------------------------------===//

#include "flagtree/CAPI/FlagTreeCPU.h"
#include "Checked.h"
#include "JITRuntime.h"
#include "Sanitizer.h"
#include "Streaming.h"
#include "flagtree/Dialect/Triton/IR/TritonDialect.h"
#include "flagtree/Target/CPU/Passes.h"
#include "flagtree/Target/TTIRText.h"

#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <sched.h>
#include <string>
#include <thread>
#include <vector>

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <unistd.h>

using namespace mlir;

namespace {

/// How one kernel argument is passed to the JIT-compiled function.
struct ArgumentSlot {
  bool pointer = false; ///< a memref: five LLVM arguments
};

} // namespace

namespace {

/// What turns an LLVM-dialect module into machine code, the same for a
/// kernel and, later, for its streaming copy.
struct EngineRecipe {
  /// FLAGTREE_CPU_DUMP's `<dir>/<name>`, or empty.
  std::string dumpBase;
  /// What FLAGTREE_CPU_SANITIZE asked for.
  std::string sanitizer;
  /// Compiled with the run-time bounds checks (FLAGTREE_CPU_BOUNDS_CHECK).
  bool checked = false;
};

/// The streaming copy of a kernel (Streaming.h), compiled by the first
/// launch that runs it: most kernels never store enough in one launch to
/// stream, and compiling the copy with the kernel doubled the time LLVM
/// spends on each.
struct StreamingCopy {
  /// The kernel's LLVM-dialect module, until the copy is compiled; for a
  /// kernel loaded from its object code (flagtree_cpu_load), its TTIR
  /// module, which the copy's compilation first lowers.
  OwningOpRef<ModuleOp> source;
  /// For a TTIR `source`: the target it is lowered for, and that target's
  /// option text.
  std::optional<flagtree::TargetDescription> target;
  std::string targetSpec;
  EngineRecipe recipe;
  std::once_flag compiled;
  std::unique_ptr<ExecutionEngine> engine;
  /// Null when the copy has no store that streams, or failed to compile.
  void (*entry)(void **) = nullptr;
};

} // namespace

struct flagtree_cpu_kernel {
  std::unique_ptr<MLIRContext> context;
  /// What holds the kernel's machine code: the engine that compiled it, or
  /// the JIT that linked its object code (flagtree_cpu_load).
  std::unique_ptr<ExecutionEngine> engine;
  std::unique_ptr<llvm::orc::LLJIT> loaded;
  /// The kernel's object code, for flagtree_cpu_object (compiled kernels).
  std::string object;
  void (*entry)(void **) = nullptr;
  /// The copy with non-temporal stores, or null when none can run. After
  /// `context`: its module lives in that context.
  std::unique_ptr<StreamingCopy> stream;
  /// Bytes one program stores at least; what a launch streams by.
  uint64_t storedBytes = 0;
  /// Bytes a launch must store to run the streaming copy; none: never.
  std::optional<uint64_t> streamThreshold;
  std::string name;
  std::string signature;
  std::vector<ArgumentSlot> slots;
  double compileMs = 0;
  /// Compiled with the run-time bounds checks (FLAGTREE_CPU_BOUNDS_CHECK).
  bool checked = false;
};

namespace {

char *copyString(const std::string &text) {
  char *copy = static_cast<char *>(std::malloc(text.size() + 1));
  std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

void registerEverything(DialectRegistry &registry) {
  registry.insert<flagtree::tt::TritonDialect, arith::ArithDialect,
                  math::MathDialect, scf::SCFDialect, cf::ControlFlowDialect,
                  ub::UBDialect, func::FuncDialect,
                  // `gpu.barrier`, what `tl.debug_barrier` prints
                  gpu::GPUDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerTilingInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  flagtree::cpu::registerCPUInterfaceModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

std::string typeName(Type type) {
  if (auto pointer = dyn_cast<flagtree::tt::PointerType>(type))
    return "*" + typeName(pointer.getPointeeType());
  if (type.isF16())
    return "fp16";
  if (type.isBF16())
    return "bf16";
  if (type.isF32())
    return "fp32";
  if (type.isF64())
    return "fp64";
  if (type.isInteger())
    return "i" + std::to_string(type.getIntOrFloatBitWidth());
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// Reads `target=...` from `key=value;key=value` options.
std::string targetOption(const char *options) {
  llvm::StringRef rest = options ? options : "";
  while (!rest.empty()) {
    auto [item, tail] = rest.split(';');
    rest = tail;
    auto [key, value] = item.split('=');
    if (key.trim() == "target")
      return value.trim().str();
  }
  return "host";
}

/// Translates the LLVM-dialect `module` to LLVM IR, optimizes it for this
/// host (O3), marks the streaming copy's stores (markStreamingStores; how
/// many it marked goes to `streamingStores`), instruments it when a
/// sanitizer was asked for, writes `<dumpBase>.ll` when dumping, and
/// hands it to a JIT. Machine code is generated at the first lookup.
llvm::Expected<std::unique_ptr<ExecutionEngine>>
createEngine(ModuleOp module, const EngineRecipe &recipe,
             unsigned *streamingStores = nullptr) {
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  auto optimize = makeOptimizingTransformer(
      /*optLevel=*/3, /*sizeLevel=*/0, machine->get());
  llvm::TargetMachine *targetMachine = machine->get();
  unsigned marked = 0;
  // `transformer` is a function_ref: the callable must outlive `create`.
  std::function<llvm::Error(llvm::Module *)> transform =
      [&](llvm::Module *llvmModule) -> llvm::Error {
    // Tile copies and fills (a partial row copied into its padded tile)
    // stay vector loops: LLVM would call the C library's memcpy and memset
    // for them, slower for a few KB in the caches (a 512 x 1000 softmax:
    // 155 us with the calls, 114 us with the loops).
    for (llvm::Function &function : *llvmModule)
      if (!function.isDeclaration()) {
        function.addFnAttr("no-builtin-memcpy");
        function.addFnAttr("no-builtin-memset");
      }
    if (llvm::Error error = optimize(llvmModule))
      return error;
    marked = flagtree::cpu::markStreamingStores(*llvmModule);
    // Instrumented after optimization, as clang does: the checks then cover
    // the accesses that really remain (vector and masked ones included).
    if (recipe.sanitizer == "address")
      flagtree::cpu::instrumentForAddressSanitizer(*llvmModule, targetMachine);
    if (!recipe.dumpBase.empty()) {
      std::error_code fileError;
      llvm::raw_fd_ostream file(recipe.dumpBase + ".ll", fileError);
      if (!fileError)
        llvmModule->print(file, nullptr);
    }
    return llvm::Error::success();
  };
  ExecutionEngineOptions options;
  options.transformer = transform;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // Kept for flagtree_cpu_object (the object of a kernel instrumented for
  // a sanitizer is not: its constructors only run from IR).
  options.enableObjectDump = recipe.sanitizer.empty();
  auto engine = ExecutionEngine::create(module, options);
  if (!engine)
    return engine.takeError();
  flagtree::cpu::registerJITRuntime(**engine);
  if (recipe.checked)
    flagtree::cpu::registerCheckedRuntime(**engine);
  if (streamingStores)
    *streamingStores = marked;
  return std::move(*engine);
}

/// The object code `engine` compiled for its module (after the lookup that
/// generated it), through a temporary file: the engine hands it out no
/// other way.
llvm::Expected<std::string> objectOf(ExecutionEngine &engine) {
  llvm::SmallString<128> path;
  if (std::error_code error =
          llvm::sys::fs::createTemporaryFile("flagtree-kernel", "o", path))
    return llvm::createStringError(
        error, "cannot make a temporary file for the kernel's object code");
  llvm::FileRemover remover(path);
  engine.dumpToObjectFile(path);
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer || (*buffer)->getBufferSize() == 0)
    return llvm::createStringError("the kernel's object code was not kept");
  return (*buffer)->getBuffer().str();
}

/// A JIT that links `object` (what objectOf gave for kernel `name`) as the
/// engine that compiled it would have: the same runtime helpers (and the
/// bounds checks' with `checked`), the process's symbols for the rest.
/// Returns it with the kernel's packed entry point.
llvm::Expected<std::pair<std::unique_ptr<llvm::orc::LLJIT>, void (*)(void **)>>
loadObject(llvm::StringRef object, llvm::StringRef name, bool checked) {
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  auto jit =
      llvm::orc::LLJITBuilder()
          .setJITTargetMachineBuilder(std::move(*machineBuilder))
          .setObjectLinkingLayerCreator(
              [](llvm::orc::ExecutionSession &session)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>> {
                return std::make_unique<llvm::orc::RTDyldObjectLinkingLayer>(
                    session, [](const llvm::MemoryBuffer &) {
                      return std::make_unique<llvm::SectionMemoryManager>();
                    });
              })
          .create();
  if (!jit)
    return jit.takeError();
  llvm::orc::JITDylib &main = (*jit)->getMainJITDylib();
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!process)
    return process.takeError();
  main.addGenerator(std::move(*process));
  llvm::orc::MangleAndInterner interner((*jit)->getExecutionSession(),
                                        (*jit)->getDataLayout());
  if (llvm::Error error = main.define(llvm::orc::absoluteSymbols(
          flagtree::cpu::jitRuntimeSymbols(interner))))
    return std::move(error);
  if (checked)
    if (llvm::Error error = main.define(llvm::orc::absoluteSymbols(
            flagtree::cpu::checkedRuntimeSymbols(interner))))
      return std::move(error);
  if (llvm::Error error = (*jit)->addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(object, name.str() + ".o")))
    return std::move(error);
  // The packed wrapper ExecutionEngine adds to every function.
  auto address = (*jit)->lookup(("_mlir_" + name).str());
  if (!address)
    return address.takeError();
  auto entry = address->toPtr<void (*)(void **)>();
  return std::make_pair(std::move(*jit), entry);
}

} // namespace

/// flagtree_cpu_compile, or with `object`, flagtree_cpu_load.
static int compileOrLoad(const char *ttir, size_t length,
                         const char *source_name, const char *options,
                         std::optional<llvm::StringRef> object,
                         flagtree_cpu_kernel **kernel, char **diagnostics) {
  auto start = std::chrono::steady_clock::now();
  *kernel = nullptr;
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    flagtree::cpu::registerFlagTreeCPUPasses();
    return true;
  }();
  (void)initialized;

  auto result = std::make_unique<flagtree_cpu_kernel>();
  DialectRegistry registry;
  registerEverything(registry);
  result->context = std::make_unique<MLIRContext>();
  MLIRContext &context = *result->context;
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  context.disableMultithreading();

  std::string diagText;
  llvm::raw_string_ostream diagStream(diagText);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context, diagStream);
  auto fail = [&]() {
    *diagnostics = copyString(diagStream.str());
    return 1;
  };
  auto succeed = [&]() {
    result->compileMs = std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - start)
                            .count();
    *diagnostics = copyString(diagStream.str());
    *kernel = result.release();
    return 0;
  };

  std::string name = source_name ? source_name : "<input>";
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(ttir, length), name),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module = flagtree::parseTTIR(sourceMgr, &context);
  if (!module)
    return fail();

  auto kernels = llvm::to_vector(module->getOps<flagtree::tt::FuncOp>());
  if (kernels.empty()) {
    diagStream << name << ": error: no tt.func in the module\n";
    return fail();
  }
  flagtree::tt::FuncOp entry = kernels.front();
  result->name = entry.getSymName().str();
  for (auto [i, type] : llvm::enumerate(entry.getArgumentTypes())) {
    result->signature += (i ? "," : "") + typeName(type);
    result->slots.push_back({isa<flagtree::tt::PointerType>(type)});
  }
  llvm::Expected<std::optional<uint64_t>> threshold =
      flagtree::cpu::streamingThreshold();
  if (!threshold) {
    diagStream << name << ": error: " << llvm::toString(threshold.takeError())
               << "\n";
    return fail();
  }
  result->streamThreshold = *threshold;
  result->storedBytes = flagtree::cpu::storedBytesPerProgram(*module);

  std::string spec = targetOption(options);
  std::string error;
  std::optional<flagtree::TargetDescription> target =
      flagtree::TargetDescription::parse(spec, error);
  if (!target) {
    diagStream << name << ": error: " << error << "\n";
    return fail();
  }
  // FLAGTREE_CPU_DUMP=<dir> keeps, per kernel, the IR after every pass that
  // changed it (<name>.passes.mlir), the LLVM-dialect module (<name>.mlir)
  // and the optimized LLVM IR (<name>.ll; <name>__stream.ll for the
  // streaming copy, once a launch compiled it), for looking into the code.
  const char *dumpDir = std::getenv("FLAGTREE_CPU_DUMP");
  EngineRecipe recipe;
  recipe.dumpBase =
      dumpDir ? std::string(dumpDir) + "/" + result->name : std::string();
  recipe.checked = flagtree::cpu::boundsCheckRequested();
  result->checked = recipe.checked;
  llvm::Expected<std::string> sanitizer = flagtree::cpu::requestedSanitizer();
  if (!sanitizer) {
    diagStream << name << ": error: " << llvm::toString(sanitizer.takeError())
               << "\n";
    return fail();
  }
  recipe.sanitizer = *sanitizer;
  if (object) {
    if (!recipe.sanitizer.empty()) {
      diagStream << name
                 << ": error: object code is not loaded for a sanitizer; "
                    "compile the kernel instead\n";
      return fail();
    }
    auto loaded = loadObject(*object, result->name, recipe.checked);
    if (!loaded) {
      diagStream << name << ": error: cannot load the kernel's object code: "
                 << llvm::toString(loaded.takeError()) << "\n";
      return fail();
    }
    result->loaded = std::move(loaded->first);
    result->entry = loaded->second;
    if (result->streamThreshold && result->storedBytes > 0) {
      result->stream = std::make_unique<StreamingCopy>();
      result->stream->source = std::move(module);
      result->stream->target = std::move(target);
      result->stream->targetSpec = spec;
      result->stream->recipe = recipe;
    }
    return succeed();
  }
  const std::string &dumpBase = recipe.dumpBase;
  std::unique_ptr<llvm::raw_fd_ostream> passDump;
  PassManager pm(&context);
  // FLAGTREE_CPU_TIMING=1 prints, per kernel compiled, the wall time of each
  // pass and of LLVM's optimization and code generation (to stderr, when
  // the compilation ends).
  std::optional<DefaultTimingManager> timing;
  std::optional<TimingScope> timingRoot;
  if (std::getenv("FLAGTREE_CPU_TIMING")) {
    llvm::errs() << "flagtree CPU lane: compile times of " << result->name
                 << "\n";
    timing.emplace();
    timing->setEnabled(true);
    timingRoot.emplace(timing->getRootScope());
    pm.enableTiming(*timingRoot);
  }
  auto phase = [&](llvm::StringRef name) {
    return timingRoot ? timingRoot->nest(name) : TimingScope();
  };
  if (dumpDir) {
    std::error_code error;
    passDump = std::make_unique<llvm::raw_fd_ostream>(dumpBase + ".passes.mlir",
                                                      error);
    if (!error)
      pm.enableIRPrinting(
          /*shouldPrintBeforePass=*/nullptr,
          /*shouldPrintAfterPass=*/[](Pass *, Operation *) { return true; },
          /*printModuleScope=*/true, /*printAfterOnlyOnChange=*/true,
          /*printAfterOnlyOnFailure=*/false, *passDump);
  }
  flagtree::cpu::buildCPUPipeline(pm, *target, spec, recipe.checked);
  if (failed(pm.run(*module)))
    return fail();
  if (result->streamThreshold && result->storedBytes > 0) {
    result->stream = std::make_unique<StreamingCopy>();
    result->stream->source = module->clone();
    result->stream->recipe = recipe;
  }
  if (dumpDir) {
    std::error_code error;
    llvm::raw_fd_ostream file(dumpBase + ".mlir", error);
    if (!error)
      module->print(file);
  }

  TimingScope llvmTiming = phase("LLVM IR translation and optimization");
  auto engine = createEngine(*module, recipe);
  llvmTiming.stop();
  if (!engine) {
    diagStream << name << ": error: " << llvm::toString(engine.takeError())
               << "\n";
    return fail();
  }
  result->engine = std::move(*engine);
  TimingScope codegenTiming = phase("machine code generation");
  auto function = result->engine->lookupPacked(result->name);
  codegenTiming.stop();
  if (!function) {
    diagStream << name << ": error: " << llvm::toString(function.takeError())
               << "\n";
    return fail();
  }
  result->entry = *function;
  if (recipe.sanitizer.empty()) {
    llvm::Expected<std::string> object = objectOf(*result->engine);
    if (!object) {
      diagStream << name << ": error: " << llvm::toString(object.takeError())
                 << "\n";
      return fail();
    }
    result->object = std::move(*object);
  }
  return succeed();
}

extern "C" int flagtree_cpu_compile(const char *ttir, size_t length,
                                    const char *source_name,
                                    const char *options,
                                    flagtree_cpu_kernel **kernel,
                                    char **diagnostics) {
  return compileOrLoad(ttir, length, source_name, options, std::nullopt, kernel,
                       diagnostics);
}

extern "C" int flagtree_cpu_load(const char *ttir, size_t length,
                                 const char *source_name, const char *options,
                                 const void *object, size_t object_size,
                                 flagtree_cpu_kernel **kernel,
                                 char **diagnostics) {
  return compileOrLoad(
      ttir, length, source_name, options,
      llvm::StringRef(static_cast<const char *>(object), object_size), kernel,
      diagnostics);
}

extern "C" const void *flagtree_cpu_object(const flagtree_cpu_kernel *kernel,
                                           size_t *size) {
  *size = kernel->object.size();
  return kernel->object.empty() ? nullptr : kernel->object.data();
}

extern "C" const char *
flagtree_cpu_signature(const flagtree_cpu_kernel *kernel) {
  return kernel->signature.c_str();
}

extern "C" const char *flagtree_cpu_name(const flagtree_cpu_kernel *kernel) {
  return kernel->name.c_str();
}

extern "C" double flagtree_cpu_compile_ms(const flagtree_cpu_kernel *kernel) {
  return kernel->compileMs;
}

namespace {

/// The packed arguments of one program: pointers to every LLVM-level
/// argument of the kernel, with storage for the memref descriptors and the
/// six grid values.
class ProgramFrame {
public:
  ProgramFrame(const flagtree_cpu_kernel &kernel, void **args,
               const uint32_t grid[3]) {
    descriptors.resize(kernel.slots.size());
    packed.reserve(5 * kernel.slots.size() + std::size(values));
    for (auto [i, slot] : llvm::enumerate(kernel.slots)) {
      if (!slot.pointer) {
        packed.push_back(args[i]);
        continue;
      }
      Descriptor &d = descriptors[i];
      d.allocated = d.aligned = *static_cast<void **>(args[i]);
      packed.push_back(&d.allocated);
      packed.push_back(&d.aligned);
      packed.push_back(&d.offset);
      packed.push_back(&d.size);
      packed.push_back(&d.stride);
    }
    for (unsigned i = 0; i < 3; ++i)
      values[3 + i] = static_cast<int32_t>(grid[i]);
    for (int32_t &value : values)
      packed.push_back(&value);
  }

  /// Runs program (x, y, z); false when a device assertion failed in it.
  bool run(void (*entry)(void **), uint32_t x, uint32_t y, uint32_t z,
           flagtree::cpu::AssertionFailure &failure) {
    values[0] = static_cast<int32_t>(x);
    values[1] = static_cast<int32_t>(y);
    values[2] = static_cast<int32_t>(z);
    return flagtree::cpu::runProgram(entry, packed.data(), failure);
  }

private:
  struct Descriptor {
    void *allocated = nullptr;
    void *aligned = nullptr;
    int64_t offset = 0;
    int64_t size = INT64_MAX;
    int64_t stride = 1;
  };
  // Inline for the usual kernel: a launch allocates nothing.
  llvm::SmallVector<Descriptor, 8> descriptors;
  int32_t values[6] = {0, 0, 0, 0, 0, 0};
  llvm::SmallVector<void *, 48> packed;
};

} // namespace

namespace {

/// Worker threads started once per process (on the first launch that needs
/// them) and reused by every launch: the caller runs programs too, so a
/// launch on `n` threads offers its work to `n - 1` workers. Launches from
/// several threads are serialized.
///
/// Waking a sleeping thread takes tens of microseconds, more on a busy
/// machine, and far more for a virtual machine's idle core. So a worker
/// joins a launch only while it is open: once the caller has run out of
/// programs it closes the launch and waits only for the workers that
/// joined, not for those still waking up.
///
/// Between launches workers spin before they sleep, for as long as the
/// launches' rhythm says the next one will come: one and a half times the
/// longest of the gaps before the last eight launches that were shorter
/// than FLAGTREE_CPU_SPIN_US (10 ms by default, about what GNU OpenMP's
/// threads spin), within 50 us and that limit. A program that launches
/// kernels in sequence with some host work in between finds its workers
/// awake (even after one launch that followed its predecessor at once);
/// one that launches now and then costs 50 us of spinning per launch.
class WorkerPool {
public:
  static WorkerPool &get() {
    // Never destroyed: workers blocked in `wait` must outlive static
    // destructors. A forked child has none of its parent's threads, so it
    // starts a pool of its own.
    static std::mutex creation;
    static WorkerPool *pool = nullptr;
    std::lock_guard<std::mutex> lock(creation);
    if (!pool || pool->owner != processId())
      pool = new WorkerPool();
    return *pool;
  }

  /// getpid(), kept up to date across fork() instead of asked of the
  /// kernel at every launch.
  static pid_t processId() {
    static std::atomic<pid_t> id = [] {
      pthread_atfork(nullptr, nullptr, [] { id.store(getpid()); });
      return getpid();
    }();
    return id.load(std::memory_order_relaxed);
  }

  /// Runs `work(0)` on the calling thread and `work(i + 1)` on worker i for
  /// up to `threads - 1` workers, and returns when every one of them has
  /// returned. `work` must return once no work is left, so that a worker
  /// joining late finds none. A worker keeps its number from launch to
  /// launch, so that work handed out by number stays on one core.
  void run(unsigned threads, llvm::function_ref<void(unsigned)> work) {
    std::lock_guard<std::mutex> launch(launchMutex);
    unsigned helpers = threads - 1;
    auto started = Clock::now();
    if (finishedAt) {
      gaps[nextGap++ % gaps.size()] = started - *finishedAt;
      Clock::duration longest{0};
      for (Clock::duration gap : gaps)
        if (gap <= maxSpin())
          longest = std::max(longest, gap);
      spin.store(
          std::min(std::max(longest + longest / 2, kMinSpin), maxSpin()));
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      while (workers.size() < helpers) {
        unsigned index = workers.size();
        workers.emplace_back([this, index] { workerMain(index); });
      }
      job = work;
      wanted.store(helpers);
      open.store(true);
      generation.fetch_add(1);
    }
    wake.notify_all();
    work(0);
    // A worker that joins after this sees the launch closed; one that
    // joined before is waited for (both sides are sequentially consistent).
    open.store(false);
    auto finished = [&] { return joined.load() == 0; };
    if (!spinUntil(finished, kMinSpin)) {
      std::unique_lock<std::mutex> lock(mutex);
      done.wait(lock, finished);
    }
    finishedAt = Clock::now();
  }

private:
  using Clock = std::chrono::steady_clock;
  static constexpr Clock::duration kMinSpin = std::chrono::microseconds(50);

  WorkerPool() : owner(processId()) {}

  /// The longest a worker spins between launches: FLAGTREE_CPU_SPIN_US
  /// microseconds when set (0 and up), else 10 ms.
  static Clock::duration maxSpin() {
    static const Clock::duration value = [] {
      Clock::duration fallback = std::chrono::milliseconds(10);
      const char *text = std::getenv("FLAGTREE_CPU_SPIN_US");
      if (!text)
        return fallback;
      char *end = nullptr;
      long long micros = std::strtoll(text, &end, 10);
      if (end == text || *end != '\0' || micros < 0)
        return fallback;
      return Clock::duration(
          std::chrono::microseconds(std::min<long long>(micros, 1000 * 1000)));
    }();
    return value;
  }

  /// Spins (with a pause instruction) until `ready` or for at most `limit`;
  /// never longer, so an idle process burns no CPU.
  template <typename Ready>
  static bool spinUntil(Ready ready, Clock::duration limit) {
    auto deadline = Clock::now() + limit;
    for (unsigned i = 0;; ++i) {
      if (ready())
        return true;
      // The clock is read once every 64 pauses.
      if ((i & 63) == 63 && Clock::now() > deadline)
        return false;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#elif defined(__aarch64__)
      asm volatile("yield");
#endif
    }
  }

  void workerMain(unsigned index) {
    uint64_t seen = 0;
    for (;;) {
      auto started = [&] { return generation.load() != seen; };
      if (!spinUntil(started, spin.load())) {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, started);
      }
      seen = generation.load();
      joined.fetch_add(1);
      if (open.load() && index < wanted.load())
        job(index + 1);
      if (joined.fetch_sub(1) == 1) {
        // Under the mutex: a caller that found a worker inside and is
        // about to sleep cannot miss this notification.
        std::lock_guard<std::mutex> lock(mutex);
        done.notify_one();
      }
    }
  }

  pid_t owner;
  std::mutex launchMutex;
  std::mutex mutex;
  std::condition_variable wake, done;
  std::vector<std::thread> workers;
  llvm::function_ref<void(unsigned)> job;
  std::atomic<uint64_t> generation{0};
  std::atomic<unsigned> wanted{0};
  std::atomic<bool> open{false};
  std::atomic<unsigned> joined{0};
  /// How long workers spin after a launch (see the class comment).
  std::atomic<Clock::duration> spin{kMinSpin};
  /// When the last launch returned, and the gaps before the last launches
  /// (under launchMutex; a gap never measured counts as none).
  std::optional<Clock::time_point> finishedAt;
  std::array<Clock::duration, 8> gaps{};
  unsigned nextGap = 0;
};

/// FLAGTREE_CPU_THREADS when set to a positive number, else the cores this
/// process may run on (taskset and cgroup cpusets narrow them).
unsigned defaultThreads() {
  static const unsigned threads = [] {
    if (const char *text = std::getenv("FLAGTREE_CPU_THREADS")) {
      char *end = nullptr;
      long value = std::strtol(text, &end, 10);
      if (end != text && *end == '\0' && value > 0)
        return static_cast<unsigned>(std::min<long>(value, 1024));
    }
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
      return static_cast<unsigned>(CPU_COUNT(&set));
    return std::max(1u, std::thread::hardware_concurrency());
  }();
  return threads;
}

} // namespace

namespace {

/// The message of the last launch on this thread that a failed device
/// assertion or bounds check stopped.
thread_local std::string lastLaunchError;

/// The streaming copy's entry, compiled on the first call (under a once
/// flag: launches may come from several threads). Null when the copy has
/// no store that streams, or did not compile: launches then run the kernel
/// itself, which computes the same, and the reason is printed once.
void (*streamingEntry(const flagtree_cpu_kernel &kernel))(void **) {
  StreamingCopy &copy = *kernel.stream;
  std::call_once(copy.compiled, [&] {
    ModuleOp module = *copy.source;
    std::string name = kernel.name + flagtree::cpu::kStreamSuffix.str();
    if (copy.target) {
      // A loaded kernel's TTIR: lowered as flagtree_cpu_compile lowers it.
      PassManager pm(module.getContext());
      flagtree::cpu::buildCPUPipeline(pm, *copy.target, copy.targetSpec,
                                      copy.recipe.checked);
      if (failed(pm.run(module))) {
        llvm::errs() << "flagtree CPU lane: warning: " << kernel.name
                     << ": its copy with streaming stores did not compile; "
                        "launches use ordinary stores\n";
        copy.source = nullptr;
        return;
      }
    }
    flagtree::cpu::addStreamingCopy(
        module, kernel.name,
        llvm::map_to_vector(kernel.slots, [](const ArgumentSlot &slot) {
          return slot.pointer;
        }));
    // Only the copy is compiled now: the kernel itself already is.
    if (auto original = module.lookupSymbol<LLVM::LLVMFuncOp>(kernel.name))
      if (SymbolTable::symbolKnownUseEmpty(original, module))
        original.erase();
    EngineRecipe recipe = copy.recipe;
    if (!recipe.dumpBase.empty())
      recipe.dumpBase += flagtree::cpu::kStreamSuffix;
    unsigned marked = 0;
    auto engine = createEngine(module, recipe, &marked);
    llvm::Expected<void (*)(void **)> entry =
        engine ? (*engine)->lookupPacked(name)
               : llvm::Expected<void (*)(void **)>(engine.takeError());
    copy.source = nullptr;
    if (!entry) {
      llvm::errs() << "flagtree CPU lane: warning: " << kernel.name
                   << ": its copy with streaming stores did not compile ("
                   << llvm::toString(entry.takeError())
                   << "); launches use ordinary stores\n";
      return;
    }
    // A copy none of whose stores could stream is never run (nor kept).
    if (marked == 0)
      return;
    copy.engine = std::move(*engine);
    copy.entry = *entry;
  });
  return copy.entry;
}

/// The entry a launch of `programs` programs with `args` runs: the
/// kernel's streaming copy (Streaming.h) when the launch stores enough and
/// every pointer is aligned as the copy assumes, else the kernel itself.
void (*launchEntry(const flagtree_cpu_kernel &kernel, void **args,
                   uint64_t programs))(void **) {
  if (!kernel.stream ||
      !flagtree::cpu::launchStreams(programs, kernel.storedBytes,
                                    kernel.streamThreshold))
    return kernel.entry;
  for (auto [i, slot] : llvm::enumerate(kernel.slots))
    if (slot.pointer &&
        reinterpret_cast<uintptr_t>(*static_cast<void **>(args[i])) %
                flagtree::cpu::kStreamAlignment !=
            0)
      return kernel.entry;
  void (*copy)(void **) = streamingEntry(kernel);
  return copy ? copy : kernel.entry;
}

/// Runs the grid; `extents` are a checked launch's (see
/// flagtree_cpu_launch_checked), else null.
int launchGrid(flagtree_cpu_kernel *kernel, void **args, uint32_t grid_x,
               uint32_t grid_y, uint32_t grid_z, uint32_t num_threads,
               const int64_t *extents) {
  if (!kernel || !kernel->entry)
    return 1;
  flagtree::cpu::AssertionFailure failure;
  // Once a program failed an assertion, the others still to start are
  // skipped, as a GPU stops the whole grid.
  auto finish = [&]() {
    if (!failure.failed())
      return 0;
    lastLaunchError = failure.message();
    return failure.status();
  };
  flagtree::cpu::CheckedExtents checked(extents,
                                        extents ? kernel->slots.size() : 0);
  if (extents)
    for (auto [i, slot] : llvm::enumerate(kernel->slots))
      if (slot.pointer)
        checked.addPointer(i, *static_cast<void **>(args[i]));
  const uint32_t grid[3] = {grid_x, grid_y, grid_z};
  uint64_t programs = uint64_t(grid_x) * grid_y * grid_z;
  if (programs == 0)
    return 0;
  if (num_threads == 0)
    num_threads = defaultThreads();
  uint64_t workers = std::min<uint64_t>(num_threads, programs);
  void (*entry)(void **) = launchEntry(*kernel, args, programs);
  bool streaming = entry != kernel->entry;

  // Each thread owns a contiguous share of the grid and runs it in order,
  // in runs of consecutive programs: it streams through neighbouring
  // memory, and a launch that follows another over the same data finds
  // each share in the caches of the core that ran it last (as a static
  // OpenMP schedule does). A thread that has run out of its own share
  // takes runs from the others' (about 32 runs per share keep the threads
  // balanced, and cover a worker that joins late or never).
  uint64_t run = std::max<uint64_t>(1, programs / (workers * 32));
  struct alignas(64) Share {
    std::atomic<uint64_t> next;
    uint64_t end;
  };
  // On the stack for the usual thread counts: a launch allocates nothing.
  Share inlineShares[4];
  std::unique_ptr<Share[]> heapShares;
  Share *shares = inlineShares;
  if (workers > std::size(inlineShares)) {
    heapShares = std::make_unique<Share[]>(workers);
    shares = heapShares.get();
  }
  for (uint64_t t = 0; t < workers; ++t) {
    shares[t].next.store(programs * t / workers, std::memory_order_relaxed);
    shares[t].end = programs * (t + 1) / workers;
  }
  auto work = [&](unsigned self) {
    ProgramFrame frame(*kernel, args, grid);
    // What this thread's programs check their accesses against.
    flagtree::cpu::CheckedExtents *outer = flagtree::cpu::currentExtents();
    flagtree::cpu::setCurrentExtents(kernel->checked ? &checked : nullptr);
    auto runShare = [&](Share &share) {
      for (uint64_t first =
               share.next.fetch_add(run, std::memory_order_relaxed);
           first < share.end && !failure.failed();
           first = share.next.fetch_add(run, std::memory_order_relaxed)) {
        uint64_t last = std::min(share.end, first + run);
        for (uint64_t p = first; p < last; ++p) {
          uint32_t x = p % grid_x;
          uint32_t y = (p / grid_x) % grid_y;
          uint32_t z = p / (uint64_t(grid_x) * grid_y);
          if (!frame.run(entry, x, y, z, failure))
            return false;
        }
      }
      return true;
    };
    for (uint64_t i = 0; i < workers; ++i)
      if (!runShare(shares[(self + i) % workers]))
        break;
    flagtree::cpu::setCurrentExtents(outer);
    if (streaming)
      flagtree::cpu::fenceStreamingStores();
  };
  // One program (or one thread) runs on the caller's thread alone.
  if (workers == 1) {
    work(0);
    return finish();
  }
  WorkerPool::get().run(static_cast<unsigned>(workers), work);
  return finish();
}

} // namespace

extern "C" int flagtree_cpu_streams(const flagtree_cpu_kernel *kernel,
                                    void **args, uint32_t grid_x,
                                    uint32_t grid_y, uint32_t grid_z) {
  return kernel && kernel->entry &&
         launchEntry(*kernel, args, uint64_t(grid_x) * grid_y * grid_z) !=
             kernel->entry;
}

extern "C" const char *flagtree_cpu_launch_error(void) {
  return lastLaunchError.c_str();
}

extern "C" int flagtree_cpu_launch(flagtree_cpu_kernel *kernel, void **args,
                                   uint32_t grid_x, uint32_t grid_y,
                                   uint32_t grid_z, uint32_t num_threads) {
  // A checked kernel launched without extents checks nothing.
  return launchGrid(kernel, args, grid_x, grid_y, grid_z, num_threads, nullptr);
}

extern "C" int flagtree_cpu_launch_checked(flagtree_cpu_kernel *kernel,
                                           void **args, const int64_t *extents,
                                           uint32_t grid_x, uint32_t grid_y,
                                           uint32_t grid_z,
                                           uint32_t num_threads) {
  return launchGrid(kernel, args, grid_x, grid_y, grid_z, num_threads, extents);
}

extern "C" int flagtree_cpu_checked(const flagtree_cpu_kernel *kernel) {
  return kernel->checked ? 1 : 0;
}

namespace {

/// The GNU build ID of the shared object holding this code, in hex; empty
/// when it carries none.
std::string buildId() {
  Dl_info info;
  if (!dladdr(reinterpret_cast<void *>(&flagtree_cpu_code_identity), &info))
    return {};
  struct Search {
    uintptr_t base;
    std::string id;
  } search{reinterpret_cast<uintptr_t>(info.dli_fbase), {}};
  dl_iterate_phdr(
      [](dl_phdr_info *object, size_t, void *data) {
        auto &search = *static_cast<Search *>(data);
        if (object->dlpi_addr != search.base)
          return 0;
        for (int i = 0; i < object->dlpi_phnum; ++i) {
          const ElfW(Phdr) &segment = object->dlpi_phdr[i];
          if (segment.p_type != PT_NOTE)
            continue;
          auto *at = reinterpret_cast<const char *>(object->dlpi_addr +
                                                    segment.p_vaddr);
          const char *end = at + segment.p_memsz;
          while (at + sizeof(ElfW(Nhdr)) <= end) {
            auto *note = reinterpret_cast<const ElfW(Nhdr) *>(at);
            const char *name = at + sizeof(ElfW(Nhdr));
            const char *desc = name + llvm::alignTo(note->n_namesz, 4);
            if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
                std::memcmp(name, "GNU", 4) == 0) {
              search.id = llvm::toHex(llvm::StringRef(desc, note->n_descsz),
                                      /*LowerCase=*/true);
              return 1;
            }
            at = desc + llvm::alignTo(note->n_descsz, 4);
          }
        }
        return 1;
      },
      &search);
  return search.id;
}

} // namespace

extern "C" const char *flagtree_cpu_code_identity(void) {
  static const std::string fixed = [] {
    std::string id = buildId();
    if (id.empty())
      return std::string();
    llvm::SmallVector<std::string> features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      if (feature.getValue())
        features.push_back(feature.getKey().str());
    llvm::sort(features);
    return "build=" + id + ";cpu=" + llvm::sys::getHostCPUName().str() +
           ";features=" + llvm::join(features, ",");
  }();
  thread_local std::string identity;
  if (fixed.empty())
    return "";
  llvm::Expected<std::string> sanitizer = flagtree::cpu::requestedSanitizer();
  std::string sanitizerText = "?";
  if (sanitizer)
    sanitizerText = *sanitizer;
  else
    llvm::consumeError(sanitizer.takeError());
  identity = fixed +
             ";bounds=" + (flagtree::cpu::boundsCheckRequested() ? "1" : "0") +
             ";sanitizer=" + sanitizerText;
  return identity.c_str();
}

extern "C" void flagtree_cpu_free(flagtree_cpu_kernel *kernel) {
  delete kernel;
}

extern "C" void flagtree_cpu_free_string(char *string) { std::free(string); }

extern "C" void flagtree_cpu_evict_caches(void *memory, size_t bytes) {
  // Volatile, so that the compiler neither drops the stores nor turns them
  // into a memset.
  auto *lines = static_cast<volatile unsigned char *>(memory);
  for (size_t offset = 0; offset < bytes; offset += 64)
    lines[offset] = static_cast<unsigned char>(lines[offset] + 1);
}

extern "C" int flagtree_cpu_opt_main(int argc, char **argv) {
  flagtree::cpu::registerFlagTreeCPUPasses();
  registerTransformsPasses();
  DialectRegistry registry;
  registerEverything(registry);
  // What the tests write between the passes of the pipeline.
  registry.insert<bufferization::BufferizationDialect, linalg::LinalgDialect,
                  memref::MemRefDialect, tensor::TensorDialect,
                  vector::VectorDialect>();
  return asMainReturnCode(MlirOptMain(
      argc, argv, "flagtree CPU-target optimizer driver\n", registry));
}
