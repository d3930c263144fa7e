# lit configuration for flagtree's IR tests (flagtree-opt + FileCheck).
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "flagtree"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".ttir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.flagtree_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["flagtree-opt", "flagtree-cpu-opt"], [config.flagtree_tools_dir, config.llvm_tools_dir]
)
# Every FileCheck variable is local to its CHECK-LABEL block.
config.substitutions.append(("FileCheck", "FileCheck --enable-var-scope"))
