"""Console entry points that hand over to the core's native tools."""

from __future__ import annotations

import os
import sys

from .core import CoreNotFoundError, library_path


def flagtree_opt() -> None:
    """Runs ``flagtree-opt``, which is installed next to the core library."""
    try:
        lib_dir = library_path().parent
    except CoreNotFoundError as exc:
        sys.exit(f"flagtree-opt: {exc}")
    # Installed: next to the library. Development build tree: build/bin.
    for binary in (lib_dir / "flagtree-opt", lib_dir.parent / "bin" / "flagtree-opt"):
        if binary.is_file():
            os.execv(binary, [str(binary), *sys.argv[1:]])
    sys.exit(f"flagtree-opt: not found next to {lib_dir}; reinstall flagtree")
