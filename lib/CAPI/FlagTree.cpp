//===- FlagTree.cpp - the C API of the flagtree core ---------------------===//

#include "flagtree/CAPI/FlagTree.h"
#include "flagtree/InitAllDialects.h"
#include "flagtree/Target/TTIRText.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>
#include <string>

#ifndef FLAGTREE_VERSION
#define FLAGTREE_VERSION "unknown"
#endif

using namespace mlir;

namespace {

char *copyString(const std::string &text) {
  char *copy = static_cast<char *>(std::malloc(text.size() + 1));
  std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

/// A context with every dialect loaded and no worker threads: the core runs
/// inside the user's Python process and must not start threads of its own.
void setUpContext(MLIRContext &context) {
  DialectRegistry registry;
  flagtree::registerAllDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  context.disableMultithreading();
}

} // namespace

extern "C" const char *flagtree_version(void) {
  return FLAGTREE_VERSION " (MLIR " LLVM_VERSION_STRING ")";
}

extern "C" char *flagtree_inventory(void) {
  MLIRContext context;
  setUpContext(context);
  std::string text;
  llvm::raw_string_ostream os(text);
  for (Dialect *dialect : context.getLoadedDialects()) {
    size_t numOps = llvm::count_if(
        context.getRegisteredOperations(), [&](RegisteredOperationName op) {
          return op.getDialectNamespace() == dialect->getNamespace();
        });
    os << "dialect " << dialect->getNamespace() << " " << numOps << "\n";
  }
  return copyString(os.str());
}

extern "C" int flagtree_run_pipeline(const char *input, size_t length,
                                     const char *source_name,
                                     const char *pipeline, char **output,
                                     char **diagnostics) {
  *output = nullptr;
  flagtree::registerAllPasses();
  MLIRContext context;
  setUpContext(context);

  std::string diagText;
  llvm::raw_string_ostream diagStream(diagText);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context, diagStream);

  std::string name = source_name ? source_name : "<input>";
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(input, length), name);
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());

  OwningOpRef<ModuleOp> module = flagtree::parseTTIR(sourceMgr, &context);
  bool ok = static_cast<bool>(module);
  if (ok && pipeline && *pipeline) {
    // The pipeline names its anchor, e.g. `builtin.module(canonicalize)`.
    FailureOr<OpPassManager> parsed = parsePassPipeline(pipeline, diagStream);
    if (failed(parsed)) {
      ok = false;
    } else {
      PassManager pm(&context, parsed->getOpAnchorName());
      static_cast<OpPassManager &>(pm) = *parsed;
      ok = succeeded(pm.run(*module));
    }
  }
  if (ok) {
    std::string text;
    llvm::raw_string_ostream os(text);
    flagtree::printTTIR(*module, os);
    *output = copyString(os.str());
  }
  *diagnostics = copyString(diagStream.str());
  return ok ? 0 : 1;
}

extern "C" void flagtree_free(char *string) { std::free(string); }

extern "C" int flagtree_opt_main(int argc, char **argv) {
  flagtree::registerAllPasses();
  DialectRegistry registry;
  flagtree::registerAllDialects(registry);
  return asMainReturnCode(
      MlirOptMain(argc, argv, "flagtree modular optimizer driver\n", registry));
}
