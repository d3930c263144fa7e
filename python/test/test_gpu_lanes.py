"""The GPU lanes without a GPU: activation through `import triton`, the
disable switch, the stage in the pipeline, the cache key, and identical
binaries for the AMD lane (the NVIDIA lane's cubins are compared in
test_roundtrip_corpus.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import amd_compile
from isolated import CRASHED, run_isolated

from corpus import CASES

EXAMPLE = Path(__file__).resolve().parents[1] / "flagtree" / "examples" / "vector_add.py"

PROBE = """
import json, sys, warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    import triton
    from triton import knobs
    from triton.backends.compiler import GPUTarget
    sys.path.insert(0, sys.argv[1])
    from vector_add import add_kernel
    src = triton.compiler.ASTSource(
        fn=add_kernel,
        signature={"x_ptr": "*fp32", "y_ptr": "*fp32", "out_ptr": "*fp32",
                   "n_elements": "i32", "BLOCK": "constexpr"},
        constexprs={"BLOCK": 256})
    k = triton.compile(src, target=GPUTarget("cuda", 90, 32))
hook = knobs.runtime.add_stages_inspection_hook
print(json.dumps({
    "hooked": bool(getattr(hook, "flagtree", False)),
    "stages": list(k.asm.keys()),
    "cubin": k.asm["cubin"].hex(),
    "warnings": [str(w.message) for w in caught if "flagtree" in str(w.message)],
}))
"""


def _probe(cache_dir: str, **env: str) -> dict:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FLAGTREE_")}
    full_env.update(env, TRITON_CACHE_DIR=cache_dir)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(EXAMPLE.parent)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _cache_entries(cache_dir: str) -> set[str]:
    return set(os.listdir(cache_dir)) if os.path.isdir(cache_dir) else set()


def test_import_triton_activates_flagtree(tmp_path) -> None:
    state = _probe(str(tmp_path))
    assert state["hooked"]
    assert state["stages"].index("flagtree") == state["stages"].index("ttir") + 1
    assert not state["warnings"]


def test_disable_leaves_triton_as_upstream(tmp_path) -> None:
    on = _probe(str(tmp_path / "on"))
    off = _probe(str(tmp_path / "off"), FLAGTREE_DISABLE="1")
    assert not off["hooked"]
    assert "flagtree" not in off["stages"]
    assert on["cubin"] == off["cubin"]


def test_broken_core_falls_back_to_upstream_with_one_warning(tmp_path) -> None:
    good = _probe(str(tmp_path / "good"), FLAGTREE_DISABLE="1")
    broken = _probe(str(tmp_path / "broken"), FLAGTREE_CORE_LIB=str(tmp_path / "missing.so"))
    assert broken["cubin"] == good["cubin"]
    assert len(broken["warnings"]) == 1
    assert "compiling it as upstream Triton would" in broken["warnings"][0]


def test_cache_key_separates_flagtree_settings_and_upstream(tmp_path) -> None:
    cache = str(tmp_path / "cache")
    _probe(cache)
    after_on = _cache_entries(cache)
    _probe(cache)  # same settings: served from the cache, nothing new
    assert _cache_entries(cache) == after_on
    _probe(cache, FLAGTREE_DISABLE="1")  # upstream must not reuse flagtree's binary
    after_off = _cache_entries(cache)
    assert len(after_off) > len(after_on)
    _probe(cache, FLAGTREE_HINTS="off")  # any FLAGTREE_* setting is in the key
    assert len(_cache_entries(cache)) > len(after_off)


def test_cache_namespace_follows_version_and_settings(monkeypatch) -> None:
    from flagtree import activation

    base = activation.cache_namespace()
    monkeypatch.setenv("FLAGTREE_SOMETHING", "1")
    assert activation.cache_namespace() != base
    monkeypatch.setattr(activation, "__version__", "999.0")
    monkeypatch.delenv("FLAGTREE_SOMETHING")
    assert activation.cache_namespace() != base
    key = "A" * 52
    assert activation.namespaced_key(key, "x") != activation.namespaced_key(key, "y")
    assert len(activation.namespaced_key(key, "x")) == 52


def test_amd_lane_hsaco_is_identical_to_upstream(record_property) -> None:
    names = [case.name for case in CASES]
    with tempfile.TemporaryDirectory(prefix="flagtree-amd-") as cache:
        results = run_isolated(amd_compile.compile_both, names, jobs=2, cache_dir=cache)
        crashed = [n for n, r in results.items() if r == CRASHED]
        upstream = run_isolated(amd_compile.compile_upstream_only, crashed, 2, cache)
        ours = run_isolated(amd_compile.compile_flagtree_only, crashed, 2, cache)
    identical = [n for n, r in results.items() if r == "identical"]
    both_failed = [n for n, r in results.items() if r.startswith("both-failed")]
    both_crashed = [n for n in crashed if upstream[n] != "ok" and ours[n] != "ok"]
    bad = {
        n: r
        for n, r in results.items()
        if n not in identical and n not in both_failed and n not in both_crashed
    }
    compiled = len(names) - len(both_failed) - len(both_crashed)
    record_property("roundtrip:byte-identical hsaco, gfx942", (len(identical), compiled))
    record_property(
        "roundtrip:kernels Triton itself cannot compile for gfx942 that fail the same way",
        (len(both_failed) + len(both_crashed), len(both_failed) + len(both_crashed)),
    )
    assert not bad, bad
    assert len(identical) >= len(names) // 2
