"""``make demo``: flagtree on the best lane this machine has.

1. What the build contains.
2. One kernel through the middle-end: Triton compiles it to TTIR for an H100
   (no GPU needed), flagtree's `tt` dialect parses and prints it, and Triton
   compiles flagtree's text to a cubin byte-identical to its own.
3. The example kernels through plain ``import triton`` on the active lane
   (an NVIDIA GPU if present, else the host CPU), checked against torch,
   with a small benchmark table (flagtree vs torch, side by side).
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile

from . import __version__, core


def _show_build() -> None:
    print(f"flagtree {__version__} — core {core.version()}")
    print(f"  library: {core.library_path()}")
    dialects = core.inventory()
    print("  dialects: " + ", ".join(f"{n} ({c} ops)" for n, c in sorted(dialects.items())))


def _round_trip() -> bool:
    from .activation import suspended
    from .examples.vector_add import add_kernel
    from .ttir import KernelSpec, compile_kernel, compile_ttir_text

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
    print("\nvector_add → Triton 3.6 → TTIR (cuda:90) → flagtree → Triton → cubin")
    with suspended():
        upstream = compile_kernel(spec)
    ttir = upstream.asm["ttir"]
    printed = core.roundtrip(ttir, "vector_add.ttir")
    same_text = printed == ttir
    ours = compile_ttir_text(printed, spec.options)
    same_cubin = ours.asm["cubin"] == upstream.asm["cubin"]
    print(f"  TTIR {len(ttir.splitlines())} lines, identical after flagtree: {same_text}")
    print(f"  cubin {len(ours.asm['cubin'])} bytes, byte-identical to Triton's: {same_cubin}")
    return same_text and same_cubin


def _run_examples() -> bool:
    import torch
    import triton
    from triton.testing import do_bench

    from .examples import CASES
    from .lanes import all_lanes

    active = [lane.name for lane in all_lanes() if lane.availability().active]
    driver = triton.runtime.driver.active
    device = driver.get_active_torch_device()
    print(f"\nexample kernels on {device} (active lanes: {', '.join(active) or 'none'})")
    print(f"  {'kernel':<18} {'result':<34} {'flagtree ms':>11} {'torch ms':>9} {'ratio':>6}")
    all_ok = True
    for case in CASES:
        inputs = case.make_inputs(device)
        try:
            out = case.launch(case.kernel, inputs)
        except Exception as exc:  # noqa: BLE001 - shown, not raised: the demo goes on
            first = str(exc).strip().splitlines()[0]
            print(f"  {case.name:<18} not supported yet: {first[-70:]}")
            continue
        ref = case.reference(inputs)
        ok = torch.allclose(out.float(), ref.float(), atol=case.atol, rtol=case.rtol)
        all_ok &= bool(ok)
        ours = do_bench(functools.partial(case.launch, case.kernel, inputs), warmup=5, rep=50)
        theirs = do_bench(functools.partial(case.reference, inputs), warmup=5, rep=50)
        result = "matches torch" if ok else "DIFFERS FROM TORCH"
        print(f"  {case.name:<18} {result:<34} {ours:>11.4f} {theirs:>9.4f} {theirs / ours:>6.2f}")
    print("  (ratio = torch time / flagtree time: above 1 means flagtree is faster)")
    return all_ok


def main() -> int:
    # A private cache: a cubin cached before the example file was last
    # written carries the old file time in its line table (ptxas puts the
    # source file's mtime there), which would spoil the byte comparison.
    os.environ["TRITON_CACHE_DIR"] = tempfile.mkdtemp(prefix="flagtree-demo-")
    _show_build()
    ok = _round_trip()
    ok &= _run_examples()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
