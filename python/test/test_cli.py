"""The `flagtree` command line: clear messages, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

from test_core import ADD_TTIR


def _flagtree(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flagtree.cli", *args], capture_output=True, text=True
    )


def test_info_lists_the_tt_dialect() -> None:
    result = _flagtree("info")
    assert result.returncode == 0
    assert "dialect  tt" in result.stdout


def test_roundtrip_check_passes_on_printed_text(tmp_path) -> None:
    from flagtree import core

    path = tmp_path / "k.ttir"
    path.write_text(core.roundtrip(ADD_TTIR))
    result = _flagtree("roundtrip", "--check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical" in result.stdout


def test_roundtrip_check_shows_a_diff_when_text_changes(tmp_path) -> None:
    path = tmp_path / "k.ttir"
    path.write_text(ADD_TTIR)  # no locations: flagtree adds them when printing
    result = _flagtree("roundtrip", "--check", str(path))
    assert result.returncode == 1
    assert result.stdout.startswith("---")


def test_bad_ttir_reports_file_and_line_without_traceback(tmp_path) -> None:
    path = tmp_path / "bad.ttir"
    path.write_text(ADD_TTIR.replace("tt.load", "tt.lood"))
    result = _flagtree("roundtrip", str(path))
    assert result.returncode == 1
    assert f"{path}:6:" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    result = _flagtree("roundtrip", str(tmp_path / "none.ttir"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.stderr


EXAMPLE = "python/flagtree/examples/vector_add.py:add_kernel"
SIGNATURE = "*fp32,*fp32,*fp32,i32"


def test_backends_lists_every_lane_with_a_reason() -> None:
    result = _flagtree("backends")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith(": on")
    for lane in ("nvidia", "amd", "cpu"):
        row = next(line for line in lines if line.startswith(lane))
        assert row.split()[3] in ("yes", "no")
        assert len(row.split()) > 4  # a reason follows


def test_backends_reports_disable() -> None:
    import os

    env = dict(os.environ, FLAGTREE_DISABLE="1")
    result = subprocess.run(
        [sys.executable, "-m", "flagtree.cli", "backends"], capture_output=True, text=True, env=env
    )
    assert "FLAGTREE_DISABLE" in result.stdout.splitlines()[0]


def test_compile_cuda_ptx_and_cubin(tmp_path) -> None:
    ptx = _flagtree(
        "compile", EXAMPLE, "--target", "cuda:90", "--signature", SIGNATURE,
        "--constexpr", "BLOCK=256", "--stage", "ptx",
    )  # fmt: skip
    assert ptx.returncode == 0, ptx.stderr
    assert ".target sm_90a" in ptx.stdout
    out = tmp_path / "k.cubin"
    cubin = _flagtree(
        "compile", EXAMPLE, "--target", "cuda:90", "--signature", SIGNATURE,
        "--constexpr", "BLOCK=256", "-o", str(out),
    )  # fmt: skip
    assert cubin.returncode == 0, cubin.stderr
    assert out.read_bytes()[:4] == b"\x7fELF"


def test_compile_hip_hsaco(tmp_path) -> None:
    out = tmp_path / "k.hsaco"
    result = _flagtree(
        "compile", EXAMPLE, "--target", "hip:gfx942", "--signature", SIGNATURE,
        "--constexpr", "BLOCK=256", "--stage", "hsaco", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:4] == b"\x7fELF"


def test_compile_cpu_flagtree_stage() -> None:
    result = _flagtree(
        "compile", EXAMPLE, "--target", "cpu", "--signature", SIGNATURE,
        "--constexpr", "BLOCK=256", "--stage", "flagtree",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "tt.func public @add_kernel" in result.stdout


def test_compile_errors_are_one_line_without_traceback() -> None:
    cases = {
        ("--target", "tpu"): "expected cuda:<sm>, hip:<gfx arch> or cpu",
        ("--signature", "*fp32"): "--signature has 1 types but add_kernel takes 4",
        ("--signature", "*fp32,*fp32,*fp33,i32"): "'*fp33' for out_ptr is not a Triton type",
        ("--constexpr", "NOPE=1"): "has no such parameter",
        ("--stage", "xyz"): "--stage xyz: not produced for this target",
        ("--stage", "cubin"): "--stage cubin is binary: give -o FILE",
        ("--constexpr", "BLOCK=100"): "vector_add.py:10:29: error: arange's range must be",
    }
    for (flag, value), expected in cases.items():
        args = {"--target": "cuda:90", "--signature": SIGNATURE, "--constexpr": "BLOCK=256"}
        args[flag] = value
        argv = ["compile", EXAMPLE]
        for key, val in args.items():
            argv += [key, val]
        result = _flagtree(*argv)
        assert result.returncode == 1, (flag, value, result.stdout)
        assert expected in result.stderr, (flag, value, result.stderr)
        assert "Traceback" not in result.stderr


def test_compile_missing_file_and_kernel() -> None:
    missing = _flagtree("compile", "nope.py:k", "--target", "cpu", "--signature", "")
    assert "nope.py: no such file" in missing.stderr
    wrong = _flagtree(
        "compile", "python/flagtree/examples/vector_add.py:other", "--target", "cpu",
        "--signature", "",
    )  # fmt: skip
    assert "no @triton.jit function 'other'; @triton.jit functions there: add_kernel" in (
        wrong.stderr
    )
