//===- AttachHints.cpp - comment hints onto the ops of their lines -------===//

#include "flagtree/Dialect/FlagTree/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

namespace flagtree {
#define GEN_PASS_DEF_FLAGTREEATTACHHINTS
#include "flagtree/Dialect/FlagTree/Transforms/Passes.h.inc"
} // namespace flagtree

using namespace mlir;

namespace {

/// One hint of the table.
struct HintEntry {
  std::string file;
  int64_t line = 0, col = 0, firstLine = 0, lastLine = 0;
  std::string name;
  std::optional<llvm::json::Value> value;
  llvm::SmallVector<std::string> opKinds;
  unsigned matched = 0;
};

/// Reads the table; on a malformed table emits an error and returns failure.
FailureOr<std::vector<HintEntry>> readTable(StringRef path, Location loc) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return emitError(loc, "cannot read the hint table '") << path << "'";
  auto parsed = llvm::json::parse((*buffer)->getBuffer());
  if (!parsed) {
    std::string message = llvm::toString(parsed.takeError());
    return emitError(loc, "hint table '") << path << "': " << message;
  }
  std::vector<HintEntry> entries;
  const llvm::json::Object *root = parsed->getAsObject();
  const llvm::json::Array *hints = root ? root->getArray("hints") : nullptr;
  if (!hints)
    return emitError(loc, "hint table '") << path << "' has no 'hints' list";
  for (const llvm::json::Value &item : *hints) {
    const llvm::json::Object *object = item.getAsObject();
    const llvm::json::Array *lines =
        object ? object->getArray("statement_lines") : nullptr;
    const llvm::json::Array *kinds =
        object ? object->getArray("op_kinds") : nullptr;
    if (!object || !lines || lines->size() != 2 || !kinds ||
        !object->getString("file") || !object->getString("name"))
      return emitError(loc, "hint table '") << path << "': malformed entry";
    HintEntry entry;
    entry.file = object->getString("file")->str();
    entry.name = object->getString("name")->str();
    entry.line = object->getInteger("line").value_or(0);
    entry.col = object->getInteger("col").value_or(0);
    entry.firstLine = (*lines)[0].getAsInteger().value_or(0);
    entry.lastLine = (*lines)[1].getAsInteger().value_or(0);
    if (const llvm::json::Value *value = object->get("value"))
      if (value->kind() != llvm::json::Value::Null)
        entry.value = *value;
    for (const llvm::json::Value &kind : *kinds)
      if (auto text = kind.getAsString())
        entry.opKinds.push_back(text->str());
    entries.push_back(std::move(entry));
  }
  return entries;
}

/// Every file:line a location names (through names, call sites, fusions).
void collectLines(Location loc,
                  SmallVectorImpl<std::pair<StringRef, unsigned>> &out) {
  loc->walk([&](Location inner) {
    if (auto fileLoc = dyn_cast<FileLineColLoc>(inner))
      out.emplace_back(fileLoc.getFilename().getValue(), fileLoc.getLine());
    return WalkResult::advance();
  });
}

Attribute valueAttribute(MLIRContext *context, const HintEntry &entry) {
  if (!entry.value)
    return UnitAttr::get(context);
  if (auto number = entry.value->getAsInteger())
    return IntegerAttr::get(IntegerType::get(context, 32), *number);
  if (auto text = entry.value->getAsString())
    return StringAttr::get(context, *text);
  return UnitAttr::get(context);
}

struct AttachHints
    : public flagtree::impl::FlagTreeAttachHintsBase<AttachHints> {
  using FlagTreeAttachHintsBase::FlagTreeAttachHintsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (table.empty())
      return;
    FailureOr<std::vector<HintEntry>> entries =
        readTable(table, module.getLoc());
    if (failed(entries))
      return signalPassFailure();
    MLIRContext *context = module.getContext();
    SmallVector<std::pair<StringRef, unsigned>> lines;
    module.walk([&](Operation *op) {
      StringRef kind = flagtree::ft::opKindOf(op);
      if (kind.empty())
        return;
      lines.clear();
      collectLines(op->getLoc(), lines);
      for (HintEntry &entry : *entries) {
        if (!llvm::is_contained(entry.opKinds, kind))
          continue;
        bool onStatement = llvm::any_of(lines, [&](auto fileLine) {
          return fileLine.first == entry.file &&
                 fileLine.second >= entry.firstLine &&
                 fileLine.second <= entry.lastLine;
        });
        if (!onStatement)
          continue;
        op->setAttr("ft." + entry.name, valueAttribute(context, entry));
        ++entry.matched;
      }
    });
    for (const HintEntry &entry : *entries) {
      if (entry.matched || entry.opKinds.empty())
        continue;
      emitWarning(
          FileLineColLoc::get(context, entry.file, entry.line, entry.col))
          << "hint '" << entry.name << "' found no "
          << llvm::join(entry.opKinds, " or ")
          << " op in the compiled kernel on this statement";
    }
  }
};

} // namespace
