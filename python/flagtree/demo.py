"""``make demo``: what the build contains, and one kernel through flagtree.

The kernel is compiled by Triton to TTIR for an H100 (no GPU needed),
parsed and printed by flagtree's own `tt` dialect, and compiled back to a
cubin, which must be byte-identical to the one Triton makes on its own.
"""

from __future__ import annotations

import sys

from . import __version__, core
from .examples.vector_add import add_kernel
from .ttir import KernelSpec, compile_kernel, compile_ttir_text


def main() -> int:
    print(f"flagtree {__version__} — core {core.version()}")
    print(f"  library: {core.library_path()}")
    dialects = core.inventory()
    print("  dialects: " + ", ".join(f"{n} ({c} ops)" for n, c in sorted(dialects.items())))

    spec = KernelSpec(
        fn=add_kernel,
        signature={
            "x_ptr": "*fp32",
            "y_ptr": "*fp32",
            "out_ptr": "*fp32",
            "n_elements": "i32",
            "BLOCK": "constexpr",
        },
        constexprs={"BLOCK": 1024},
    )
    print("\nvector_add → Triton 3.6 → TTIR (cuda:90)")
    upstream = compile_kernel(spec)
    ttir = upstream.asm["ttir"]
    printed = core.roundtrip(ttir, "vector_add.ttir")
    same_text = printed == ttir
    print(f"  TTIR: {len(ttir.splitlines())} lines; flagtree round trip identical: {same_text}")
    ours = compile_ttir_text(printed, spec.options)
    same_cubin = ours.asm["cubin"] == upstream.asm["cubin"]
    print(
        f"  cubin from flagtree's TTIR: {len(ours.asm['cubin'])} bytes; "
        f"byte-identical to Triton's: {same_cubin}"
    )
    print("\n" + "\n".join("    " + line for line in printed.splitlines()[:24]))
    print("    ...")
    return 0 if same_text and same_cubin else 1


if __name__ == "__main__":
    sys.exit(main())
