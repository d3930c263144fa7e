//===- Sanitizer.cpp - AddressSanitizer for JIT-compiled kernels ---------===//

#include "Sanitizer.h"

#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/Instrumentation/AddressSanitizer.h"
#include "llvm/Transforms/Instrumentation/AddressSanitizerOptions.h"

#include <cstdlib>
#include <dlfcn.h>

llvm::Expected<std::string> flagtree::cpu::requestedSanitizer() {
  const char *value = std::getenv("FLAGTREE_CPU_SANITIZE");
  std::string name = value ? value : "";
  if (name.empty() || name == "0" || name == "none")
    return std::string();
  if (name == "address") {
    // The instrumented code calls the runtime's `__asan_*` entry points,
    // which the JIT resolves from the process; without the runtime the
    // lookup would fail with a list of missing symbols instead of the cause.
    if (!dlsym(RTLD_DEFAULT, "__asan_init"))
      return llvm::createStringError(
          "FLAGTREE_CPU_SANITIZE=address needs the AddressSanitizer runtime "
          "in the process: start Python with LD_PRELOAD set to LLVM 22's "
          "libclang_rt.asan-x86_64.so (`make asan` does this)");
    return name;
  }
  return llvm::createStringError(
      "FLAGTREE_CPU_SANITIZE=" + name +
      " is not a sanitizer the CPU lane knows: use `address` (or leave it "
      "unset)");
}

void flagtree::cpu::instrumentForAddressSanitizer(
    llvm::Module &module, llvm::TargetMachine *machine) {
  for (llvm::Function &function : module)
    if (!function.isDeclaration())
      function.addFnAttr(llvm::Attribute::SanitizeAddress);

  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);

  llvm::AddressSanitizerOptions options;
  // Tiles live on the stack: catch accesses past them and after their scope.
  options.UseAfterScope = true;
  options.UseAfterReturn = llvm::AsanDetectStackUseAfterReturnMode::Never;
  options.InsertVersionCheck = false;
  llvm::ModulePassManager passes;
  // No module constructor: the preloaded runtime initialized itself at
  // start-up, and the JIT would not run one anyway.
  passes.addPass(llvm::AddressSanitizerPass(
      options, /*UseGlobalGC=*/false, /*UseOdrIndicator=*/false,
      llvm::AsanDtorKind::None, llvm::AsanCtorKind::None));
  passes.run(module, modules);
}
