//===- FlagTreeDialect.td - the `ft` dialect: what all lanes share -------===//

#ifndef FLAGTREE_DIALECT_FLAGTREE_IR_FLAGTREEDIALECT_TD
#define FLAGTREE_DIALECT_FLAGTREE_IR_FLAGTREEDIALECT_TD

include "mlir/IR/OpBase.td"

def FlagTree_Dialect : Dialect {
  let name = "ft";
  let cppNamespace = "::flagtree::ft";
  let summary = "What every flagtree lane shares: hint attributes";
  let description = [{
    A hint that a kernel author wrote as a comment (`# @hint: num_stages=4`)
    is attached to the ops of its source statement as a discardable
    attribute named after the hint: `ft.num_stages = 4 : i32`,
    `ft.shared_memory` (a unit attribute for hints without a value),
    `ft.cache = "cg"`. Lanes lower the hints they honour and drop the rest;
    no `ft` attribute reaches Triton.
  }];
  let hasOperationAttrVerify = 1;
}

#endif // FLAGTREE_DIALECT_FLAGTREE_IR_FLAGTREEDIALECT_TD
