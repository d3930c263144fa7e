//===- Passes.td - passes of the `ft` dialect: hints ---------------------===//

#ifndef FLAGTREE_DIALECT_FLAGTREE_TRANSFORMS_PASSES_TD
#define FLAGTREE_DIALECT_FLAGTREE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FlagTreeAttachHints : Pass<"flagtree-attach-hints", "::mlir::ModuleOp"> {
  let summary = "Attaches the kernel's comment hints to the ops of their lines";
  let description = [{
    Reads the hint table that `flagtree.hints` writes (JSON: file, the lines
    of the hinted statement, hint name, value, op kinds) and gives every op
    whose location names one of those lines, and whose kind the hint applies
    to, an `ft.<name>` attribute. A hint that finds no such op is reported
    as a warning at the hint's own `file:line:col`.

    Before (hint `# @hint: num_stages=2` on line 12 of /k.py):
    ```mlir
    %r = scf.for ... { ... } loc("/k.py":12:4)
    ```
    After:
    ```mlir
    %r = scf.for ... { ... } {ft.num_stages = 2 : i32} loc("/k.py":12:4)
    ```
  }];
  let options = [
    Option<"table", "table", "std::string", /*default=*/"\"\"",
           "path of the JSON hint table">
  ];
  let dependentDialects = ["::flagtree::ft::FlagTreeDialect"];
}

def FlagTreeLowerHintsToTTIR : Pass<"flagtree-lower-hints-to-ttir",
                                    "::mlir::ModuleOp"> {
  let summary = "Turns hints into the TTIR attributes Triton's GPU passes honour";
  let description = [{
    For the hints a GPU lane honours (option `honour`), sets what Triton
    3.6's own passes read: `tt.num_stages` (software pipelining),
    `tt.flatten` (nested-loop fusion) and `tt.warp_specialize` on loops, and
    the cache modifier and eviction policy of loads and stores. Every other
    hint is reported as a remark (ignored by lane `lane`), and every `ft`
    attribute is removed, so Triton receives plain TTIR.

    With `keep`, for a DSA lane (FLIR), the honoured hints stay as they
    are, as `ft` attributes, for the lane's own passes to lower
    (`convert-triton-to-flir` carries them into FLIR); the others are
    reported and removed as before.

    Before:
    ```mlir
    %x = tt.load %p {ft.cache = "cg", ft.evict_first} : tensor<64x!tt.ptr<f32>>
    ```
    After:
    ```mlir
    %x = tt.load %p cacheModifier = cg evictionPolicy = evict_first : tensor<64x!tt.ptr<f32>>
    ```
  }];
  let options = [
    ListOption<"honour", "honour", "std::string",
               "names of the hints the lane lowers">,
    Option<"lane", "lane", "std::string", /*default=*/"\"this lane\"",
           "the lane's name, for remarks">,
    Option<"keep", "keep", "bool", /*default=*/"false",
           "leave the honoured hints as `ft` attributes (DSA lanes)">
  ];
}

#endif // FLAGTREE_DIALECT_FLAGTREE_TRANSFORMS_PASSES_TD
