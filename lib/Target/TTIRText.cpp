//===- TTIRText.cpp - reading and writing TTIR as Triton does ------------===//

#include "flagtree/Target/TTIRText.h"

#include "flagtree/Dialect/Triton/IR/TritonDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/AsmParser/AsmParserState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace {

StringRef textOf(llvm::SMRange range) {
  return StringRef(range.Start.getPointer(),
                   range.End.getPointer() - range.Start.getPointer());
}

/// The SSA name without `%` and without a `:N` result-group count.
StringRef ssaName(llvm::SMRange range) {
  return textOf(range).drop_front().split(':').first;
}

/// Names the printer invents itself (`%arg3`, `%5`) carry no information.
bool isPrinterGenerated(StringRef name) {
  if (name.consume_front("arg") && !name.empty() &&
      llvm::all_of(name, llvm::isDigit))
    return true;
  return !name.empty() && llvm::all_of(name, llvm::isDigit);
}

/// Every SSA name defined in the text of one function, in text order.
using NameTable = std::vector<std::pair<const char *, StringRef>>;

NameTable collectNames(const AsmParserState &state, llvm::SMRange scope) {
  NameTable names;
  auto inScope = [&](llvm::SMRange range) {
    return range.Start.getPointer() >= scope.Start.getPointer() &&
           range.Start.getPointer() < scope.End.getPointer();
  };
  for (const auto &op : state.getOpDefs())
    for (const auto &group : op.resultGroups)
      if (inScope(group.definition.loc))
        names.emplace_back(group.definition.loc.Start.getPointer(),
                           ssaName(group.definition.loc));
  for (const auto &block : state.getBlockDefs())
    for (const auto &arg : block.arguments)
      if (arg.loc.isValid() && inScope(arg.loc))
        names.emplace_back(arg.loc.Start.getPointer(), ssaName(arg.loc));
  llvm::sort(names, llvm::less_first());
  return names;
}

/// The name location that makes the printer reproduce `name`. The printer
/// resolves a clash of a name with an earlier one by appending `_<N>`, so
/// `acc_8` after an earlier `acc` was the name `acc`, uniqued.
StringRef basePrefix(StringRef name, const char *position,
                     const NameTable &names) {
  auto [base, suffix] = name.rsplit('_');
  if (suffix.empty() || base.empty() || !llvm::all_of(suffix, llvm::isDigit))
    return name;
  for (const auto &[where, earlier] : names) {
    if (where >= position)
      break;
    if (earlier == base)
      return base;
  }
  return name;
}

void restoreBlockArgumentNames(const AsmParserState &state) {
  llvm::DenseMap<Operation *, NameTable> tables;
  for (const auto &blockDef : state.getBlockDefs()) {
    Block *block = blockDef.block;
    auto func = block->getParentOp()->getParentOfType<flagtree::tt::FuncOp>();
    if (!func)
      continue;
    auto tableIt = tables.find(func);
    if (tableIt == tables.end()) {
      const AsmParserState::OperationDefinition *funcDef = state.getOpDef(func);
      if (!funcDef)
        continue;
      tableIt = tables.try_emplace(func, collectNames(state, funcDef->scopeLoc))
                    .first;
    }
    for (auto [index, def] : llvm::enumerate(blockDef.arguments)) {
      if (index >= block->getNumArguments() || !def.loc.isValid())
        continue;
      BlockArgument arg = block->getArgument(index);
      // The printer takes the first name location nested anywhere in the
      // argument's location; such arguments keep their names already.
      if (arg.getLoc()->findInstanceOf<NameLoc>())
        continue;
      StringRef name = ssaName(def.loc);
      if (isPrinterGenerated(name))
        continue;
      StringRef prefix =
          basePrefix(name, def.loc.Start.getPointer(), tableIt->second);
      arg.setLoc(NameLoc::get(StringAttr::get(arg.getContext(), prefix),
                              arg.getLoc()));
    }
  }
}

} // namespace

OwningOpRef<ModuleOp> flagtree::parseTTIR(llvm::SourceMgr &sourceMgr,
                                          MLIRContext *context) {
  Block block;
  AsmParserState state;
  ParserConfig config(context);
  if (failed(parseAsmSourceFile(sourceMgr, &block, config, &state)))
    return nullptr;
  if (!llvm::hasSingleElement(block) || !isa<ModuleOp>(block.front())) {
    const llvm::MemoryBuffer *buffer =
        sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
    emitError(FileLineColLoc::get(context, buffer->getBufferIdentifier(), 1, 1),
              "expected exactly one top-level 'module'");
    return nullptr;
  }
  restoreBlockArgumentNames(state);
  auto module = cast<ModuleOp>(block.front());
  module->remove();
  return OwningOpRef<ModuleOp>(module);
}

void flagtree::printTTIR(ModuleOp module, llvm::raw_ostream &os) {
  OpPrintingFlags flags;
  flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  flags.printNameLocAsPrefix(true);
  module->print(os, flags);
}
