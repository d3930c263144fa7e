"""The operator suite (flagtree.suite) on the CPU lane at small shapes:
one test per operator and variant, against its torch reference. Operators
listed in flagtree.suite.known must still fail with the listed error, so
that the list is shortened when the lane gains support."""

from __future__ import annotations

import sys

import pytest
import torch

from flagtree.suite import runner
from flagtree.suite.known import KNOWN_FAILURES, full_message, known_failure
from flagtree.suite.registry import FAMILIES, all_operators

LANE = "cpu"
OPERATORS = all_operators()
VARIANTS = [
    pytest.param(op, c, id=f"{op.family}-{op.name}-{c.label}") for op in OPERATORS for c in op.cases
]


@pytest.fixture(scope="module")
def device():
    import triton

    target = triton.runtime.driver.active.get_current_target()
    assert target.backend == "cpu", f"the CPU lane is not the active driver ({target})"
    return torch.device("cpu")


@pytest.mark.parametrize(("op", "c"), VARIANTS)
def test_operator(op, c, device):
    known = known_failure(op.name, LANE)
    if known is None:
        runner.run_and_verify(op, c, device)
        return
    with pytest.raises(Exception) as info:  # noqa: B017 - the message is checked below
        runner.run_and_verify(op, c, device)
    assert not isinstance(info.value, runner.MismatchError), "listed operator gave wrong values"
    message = full_message(info.value)
    assert known.match in message, (
        f"{op.name} is listed as failing on the {LANE} lane with {known.match!r}, "
        f"but failed otherwise:\n{message}"
    )


def test_suite_breadth():
    names = [op.name for op in OPERATORS]
    assert len(names) == len(set(names))
    assert len(names) >= 160, len(names)
    assert {op.family for op in OPERATORS} == set(FAMILIES)
    for op in OPERATORS:
        assert op.cases and op.bench_cases, op.name


def test_known_failures_name_real_operators():
    names = {op.name for op in OPERATORS}
    assert {name for name, _ in KNOWN_FAILURES} <= names


def test_mismatch_is_detected(device):
    """The check is not vacuous: a launcher that perturbs one element fails."""
    from dataclasses import replace

    op = next(op for op in OPERATORS if op.name == "softmax")

    def wrong(k, c, x):
        out = op.launch(k, c, x)
        out[0, 0] += 1e-2
        return out

    with pytest.raises(runner.MismatchError):
        runner.run_and_verify(replace(op, launch=wrong), op.cases[0], device)


def test_tf32_tolerance_only_for_dot_operators_on_gpus():
    # tl.dot multiplies float32 as TF32 on NVIDIA GPUs; nothing else gets
    # the looser tolerance.
    ops = {op.name: op for op in all_operators()}
    mm, add, mv = ops["mm"], ops["add"], ops["mv"]
    assert mm.uses_dot() and not add.uses_dot() and not mv.uses_dot()
    assert mm.tolerance(torch.float32, "cpu") == (mm.atol, mm.rtol)
    assert mm.tolerance(torch.float32, "cuda") == (mm.half_atol, mm.half_rtol)
    assert mm.tolerance(torch.float32, "cuda") > mm.tolerance(torch.float32, "cpu")
    assert add.tolerance(torch.float32, "cuda") == (add.atol, add.rtol)
    assert mv.tolerance(torch.float32, "cuda") == (mv.atol, mv.rtol)


def test_docs_list_is_current():
    """docs/suite.md shows the generated operator and known-failure lists."""
    from pathlib import Path

    from flagtree.suite.docs import generated

    doc = Path(__file__).resolve().parents[2] / "docs" / "suite.md"
    assert generated() in doc.read_text(), (
        "run: python -m flagtree.suite.docs --write docs/suite.md"
    )


SAMPLE = ("softmax", "layer_norm_backward", "mm", "flash_attention_gqa", "cumsum", "sort", "gelu")


@pytest.mark.parametrize("name", SAMPLE)
def test_sample_compiles_for_sm90_as_upstream(name):
    """The suite's kernels, typed as their launchers call them, compile for
    an H100 with no GPU present; flagtree's cubin equals upstream Triton's
    (`python -m flagtree.suite.offline` checks every kernel)."""
    from flagtree.offline_compile import parse_target
    from flagtree.suite.offline import compile_both, record_launches
    from flagtree.suite.registry import get

    launches = record_launches(get(name))
    assert launches
    for launch in launches[:2]:
        result = compile_both(launch, parse_target("cuda:90"))
        assert result["identical"], result


def _bench(args, capsys):
    from flagtree.cli import main

    code = main(["bench", *args])
    return code, capsys.readouterr()


def test_bench_writes_report(tmp_path, capsys):
    code, out = _bench(["--quick", "-k", "log_softmax*", "--out", str(tmp_path)], capsys)
    assert code == 0, out.err
    assert "2 operators: 2 passed" in out.out
    assert "2/2" in out.err  # the progress bar
    md = (tmp_path / "report.md").read_text()
    # The command line names the FLAGTREE_* knobs set, if any, before it.
    assert "| log_softmax_backward |" in md and "flagtree bench` on" in md
    import csv

    rows = list(csv.DictReader((tmp_path / "report.csv").open()))
    assert [r["op"] for r in rows] == ["log_softmax", "log_softmax_backward"]
    for r in rows:
        assert r["status"] == "pass"
        assert float(r["flagtree_ms"]) > 0 and float(r["torch_ms"]) > 0
        ratio = float(r["flagtree_ms"]) / float(r["torch_ms"])
        assert abs(float(r["flagtree_over_torch"]) - ratio) <= 0.01 * ratio
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert pngs == ["ratio_families.png", "ratio_softmax.png"]
    assert all((tmp_path / p).read_bytes()[:4] == b"\x89PNG" for p in pngs)


def test_bench_reports_known_failures(tmp_path, capsys, monkeypatch):
    # The CPU lane runs every operator of the suite: list one as failing
    # and make its launch fail with the listed error.
    from flagtree.suite import bench
    from flagtree.suite.known import KnownFailure

    listed = KnownFailure("made to fail by this test", "'tt.made_up' is not supported")

    def failing_launch(*args, **kwargs):
        raise RuntimeError("kernel.py:1:1: error: 'tt.made_up' is not supported")

    monkeypatch.setattr(bench, "known_failure", lambda op, lane: listed if op == "relu6" else None)
    monkeypatch.setattr(runner, "launch", failing_launch)
    code, out = _bench(["--quick", "-k", "relu6", "--out", str(tmp_path)], capsys)
    assert code == 0, out.err
    assert "1 listed as unsupported" in out.out
    assert ",known," in (tmp_path / "report.csv").read_text()


def test_bench_without_matplotlib(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    code, out = _bench(["--quick", "-k", "relu6", "--out", str(tmp_path)], capsys)
    assert code == 0
    assert "matplotlib is not installed: no plots" in out.err
    assert (tmp_path / "report.md").exists() and not list(tmp_path.glob("*.png"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lane", "nvidia"], "Triton's active driver targets 'cpu', not 'cuda'"),
        (["--lane", "tpu"], "unknown lane 'tpu'"),
        (["-k", "no_such_operator"], "no operator matches -k 'no_such_operator'"),
        (["--family", "nosuch"], "unknown family 'nosuch'"),
    ],
)
def test_bench_bad_requests(args, message, tmp_path, capsys):
    code, out = _bench([*args, "--out", str(tmp_path)], capsys)
    assert code == 2
    assert message in out.err
    assert not list(tmp_path.iterdir())


def test_bench_flags_a_wrong_result(tmp_path, capsys, monkeypatch):
    from dataclasses import replace

    from flagtree.suite import registry

    op = registry.get("sum")
    monkeypatch.setitem(registry._OPERATORS, "sum", replace(op, reference=lambda c, x: x.sum()))
    code, out = _bench(["--quick", "-k", "sum", "--out", str(tmp_path)], capsys)
    assert code == 1
    assert "1 wrong" in out.out
    assert ",fail," in (tmp_path / "report.csv").read_text()


@pytest.mark.parametrize("name", sorted(op for op, lane in KNOWN_FAILURES if lane == "amd"))
def test_amd_known_failures_still_fail(name):
    """Listed AMD-lane failures fail in Triton's front end, for flagtree and
    upstream alike, with the listed error (compiled offline for gfx942)."""
    from flagtree.offline_compile import parse_target
    from flagtree.suite.offline import classify, compile_both, record_launches
    from flagtree.suite.registry import get

    launch = record_launches(get(name))[0]
    result = compile_both(launch, parse_target("hip:gfx942"))
    assert classify(result, known_failure(name, "amd")) == "known", result


def test_bench_reports_what_it_did_when_stopped(tmp_path):
    """SIGTERM (a time limit) still leaves a report of the variants done."""
    import os
    import signal
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, "-m", "flagtree.cli", "bench", "--quick", "--family", "unary",
         "--out", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    for line in proc.stderr:
        if line.startswith("[#") and " 2/" in line:
            break
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted after" in err
    assert "a partial report" in (tmp_path / "report.md").read_text()
    assert len((tmp_path / "report.csv").read_text().splitlines()) >= 3  # header + 2 rows


def _bench_row(op, upstream=False):
    from flagtree.suite import bench

    time_fn = bench._timer(torch.device("cpu"), quick=True)
    return bench.bench_case(op, op.cases[0], LANE, torch.device("cpu"), time_fn, upstream)


def test_bench_times_upstream_side_by_side():
    """The GPU lanes' upstream side (fresh kernels, flagtree suspended), run
    here on the CPU lane, where it also works."""
    from flagtree import activation
    from flagtree.suite.registry import get

    row = _bench_row(get("softmax"), upstream=True)
    assert row.status == "pass", row.message
    assert row.flagtree_ms > 0 and row.upstream_ms > 0 and row.torch_ms > 0
    assert activation.is_active()


def test_bench_keeps_timing_when_the_baseline_fails():
    from dataclasses import replace

    from flagtree.suite.registry import get

    def broken(c, x):
        raise RuntimeError("no such torch kernel")

    row = _bench_row(replace(get("softmax"), baseline=broken))
    assert row.status == "pass" and row.flagtree_ms > 0 and row.torch_ms is None
    assert "torch not timed" in row.message and "no such torch kernel" in row.message


def test_bench_never_overwrites_other_files(tmp_path, capsys):
    mine = tmp_path / "report.md"
    mine.write_text("# my notes\n")
    code, out = _bench(["-k", "relu6", "--out", str(tmp_path)], capsys)
    assert code == 2
    assert "report.md there is not a flagtree bench report" in out.err
    assert mine.read_text() == "# my notes\n"
    a_file = tmp_path / "file"
    a_file.write_text("x")
    code, out = _bench(["-k", "relu6", "--out", str(a_file)], capsys)
    assert code == 2 and "exists and is not a folder" in out.err
    assert a_file.read_text() == "x"


def test_bench_resume_runs_only_what_is_missing(tmp_path, capsys):
    code, _ = _bench(["--quick", "-k", "relu6", "--out", str(tmp_path)], capsys)
    assert code == 0
    first = (tmp_path / "report.csv").read_text().splitlines()[1]
    code, out = _bench(["--quick", "-k", "relu*", "--resume", "--out", str(tmp_path)], capsys)
    assert code == 0
    assert "resuming after 1 variants" in out.err and "1/1" in out.err
    lines = (tmp_path / "report.csv").read_text().splitlines()
    assert lines[1] == first  # kept as measured
    assert [line.split(",")[0] for line in lines[1:]] == ["relu6", "relu"]
