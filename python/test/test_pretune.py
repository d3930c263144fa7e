"""PreTune on the CPU lane with real autotuned kernels: a table answers
tuned keys with no benchmarking, unseen keys take the nearest bucket (or are
autotuned and recorded), tables for another kernel source, config list,
lane or version are ignored with a warning, and the offline search is
resumable after being killed, runs in worker processes, and has a CLI."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pretune_workloads as w
import pytest
import torch

from flagtree import pretune
from flagtree.cli import main as cli_main
from flagtree.pretune import database as db
from flagtree.pretune.identity import config_text, identify, key_to_text

WORKLOADS = Path(w.__file__)
SMALL, LARGE = w.CONFIGS


def _key(n: int) -> tuple:
    return (n, "torch.float32", "torch.float32")


def _table(path: Path, buckets: dict[int, object], tuner=None) -> None:
    """A table for `scale` holding n -> config."""
    identity = identify(tuner or w.make_tuner())
    with db.open_for_writing(path) as conn:
        table = db.table_id(conn, identity)
        for n, config in buckets.items():
            text = config_text(config)
            entry = db.Entry(_key(n), text, 1.0, {text: 1.0}, "search")
            db.write_entry(conn, table, key_to_text(_key(n)), entry)


@pytest.fixture
def bench_calls():
    w.BENCH_CALLS[0] = 0
    return w.BENCH_CALLS


def test_key_is_the_one_the_autotuner_caches(bench_calls) -> None:
    tuner = w.make_tuner()
    x = torch.randn(300)
    out = torch.empty_like(x)
    tuner[lambda meta: (3,)](x, out, n=300)
    assert list(tuner.cache) == [pretune.autotune_key(tuner, (x, out), {"n": 300})]
    assert bench_calls[0] == 2
    tuner[lambda meta: (3,)](x.half(), out.half(), 200)
    kwargs = {"grid": None, "warmup": False}
    assert list(tuner.cache)[1] == pretune.autotune_key(tuner, (x.half(), out.half(), 200), kwargs)
    assert list(tuner.cache)[1] == (200, "torch.float16", "torch.float16")


def test_table_buckets_are_used_with_no_benchmarking(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    _table(path, {1024: LARGE, 4096: SMALL})
    tuner = w.make_tuner()
    kernel = pretune.attach(tuner, path)
    for n, config in ((1024, LARGE), (4096, SMALL), (1024, LARGE)):
        x, out = w.launch_scale(kernel, n)
        assert torch.equal(out, x * 2)
        assert tuner.best_config == config
    assert bench_calls[0] == 0
    assert kernel.stats == {"nearest": 0, "autotuned": 0, "recorded": 0}
    assert kernel.rejected is None


def test_unseen_key_takes_the_nearest_bucket(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    _table(path, {1024: LARGE, 65536: SMALL})
    tuner = w.make_tuner()
    kernel = pretune.attach(tuner, path)
    for n, config in ((1500, LARGE), (40000, SMALL)):
        x, out = w.launch_scale(kernel, n)
        assert torch.equal(out, x * 2)
        assert tuner.best_config == config
    assert bench_calls[0] == 0
    assert kernel.stats["nearest"] == 2
    # Another dtype has no bucket near it: the kernel is autotuned as usual.
    x, out = w.launch_scale(kernel, 1024, torch.float16)
    assert torch.equal(out, x * 2)
    assert bench_calls[0] == 2 and kernel.stats["autotuned"] == 1


def test_on_miss_above_takes_the_bucket_above(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    _table(path, {1024: LARGE, 65536: SMALL})
    tuner = w.make_tuner()
    kernel = pretune.attach(tuner, path, on_miss="above")
    # 1500 is nearer to 1024, but "above" answers with the 65536 bucket.
    x, out = w.launch_scale(kernel, 1500)
    assert torch.equal(out, x * 2)
    assert tuner.best_config == SMALL
    # Beyond every bucket, the nearest one answers.
    x, out = w.launch_scale(kernel, 100000)
    assert torch.equal(out, x * 2)
    assert tuner.best_config == SMALL
    assert bench_calls[0] == 0 and kernel.stats["nearest"] == 2
    with pytest.raises(pretune.PretuneError, match="on_miss must be one of"):
        pretune.attach(w.make_tuner(), path, on_miss="below")


def test_on_miss_autotune_records_into_the_table(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    _table(path, {1024: LARGE})
    kernel = pretune.attach(w.make_tuner(), path, on_miss="autotune", record=True)
    x, out = w.launch_scale(kernel, 1500)
    assert torch.equal(out, x * 2)
    assert bench_calls[0] == 2 and kernel.stats == {"nearest": 0, "autotuned": 1, "recorded": 1}
    stored = {e.bucket: e for e in db.read_entries(path, identify(w.make_tuner()))}
    assert set(stored) == {_key(1024), _key(1500)}
    assert stored[_key(1500)].origin == "runtime"
    assert set(stored[_key(1500)].timings) == {config_text(SMALL), config_text(LARGE)}
    # A later process (here: a fresh autotuner) gets the recorded key from the table.
    tuner = w.make_tuner()
    w.launch_scale(pretune.attach(tuner, path), 1500)
    assert bench_calls[0] == 2
    assert config_text(tuner.best_config) == stored[_key(1500)].config


def test_record_creates_a_missing_table_without_warning(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "new" / "t.db"
    kernel = pretune.attach(w.make_tuner(), path, record=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", pretune.PretuneWarning)
        w.launch_scale(kernel, 512)
    assert [e.bucket for e in db.read_entries(path, identify(w.make_tuner()))] == [_key(512)]


def _expect_rejected(path: Path, tuner, words: str, bench_calls) -> tuple:
    bench_calls[0] = 0
    kernel = pretune.attach(tuner, path)
    with pytest.warns(pretune.PretuneWarning) as caught:
        x, out = w.launch_scale(kernel, 1024)
    message = str(caught[0].message)
    assert words in message, message
    assert "pretune_workloads.py:" in message  # the kernel's file:line
    assert caught[0].filename == str(WORKLOADS)  # points at the launch
    assert bench_calls[0] == len(tuner.configs)  # autotuned instead
    assert kernel.rejected is not None
    return x, out


def test_table_of_another_kernel_source_is_ignored(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    _table(path, {1024: LARGE})
    x, out = _expect_rejected(path, w.make_tuner(fn=w.OTHER_SCALE), "kernel source", bench_calls)
    assert torch.equal(out, x * 3)


def test_table_of_another_config_list_is_ignored(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    _table(path, {1024: LARGE})
    configs = [*w.CONFIGS, w.triton.Config({"BLOCK": 128})]
    _expect_rejected(path, w.make_tuner(configs), "config list", bench_calls)


def test_table_of_another_lane_or_version_is_ignored(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    real = identify(w.make_tuner())
    for other in (
        dataclasses.replace(real, lane="nvidia", target="cuda:90"),
        dataclasses.replace(real, flagtree_version="0.0.1"),
    ):
        with db.open_for_writing(path) as conn:
            table = db.table_id(conn, other)
            text = config_text(LARGE)
            db.write_entry(
                conn, table, key_to_text(_key(1024)), db.Entry(_key(1024), text, 1.0, {}, "search")
            )
    _expect_rejected(path, w.make_tuner(), "lane (nvidia in the table, cpu here)", bench_calls)
    _expect_rejected(path, w.make_tuner(), "flagtree version (0.0.1 in the table", bench_calls)


def test_corrupt_table_is_ignored_and_left_as_it_was(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    path.write_bytes(b"\x00garbage" * 512)
    before = path.read_bytes()
    kernel = pretune.attach(w.make_tuner(), path, on_miss="autotune", record=True)
    with pytest.warns(pretune.PretuneWarning) as caught:
        x, out = w.launch_scale(kernel, 1024)
    assert torch.equal(out, x * 2)
    messages = [str(c.message) for c in caught]
    assert any("corrupt" in m for m in messages), messages
    assert any("not recording" in m for m in messages), messages
    assert path.read_bytes() == before


def test_attach_needs_an_autotuned_kernel() -> None:
    with pytest.raises(pretune.PretuneError, match=r"pretune_workloads\.py:\d+: .*autotune"):
        pretune.attach(w.scale, "t.db")
    with pytest.raises(pretune.PretuneError, match="on_miss"):
        pretune.attach(w.make_tuner(), "t.db", on_miss="guess")


def test_search_stores_the_autotuners_choice(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    shapes = [{"n": 1024}, {"n": 20000}]
    report = pretune.search(w.SCALE, path, shapes, progress=False, rounds=2)
    assert (report.tuned, report.skipped) == (2, 0)
    assert bench_calls[0] == 2 * 2 * 2  # shapes x rounds x configs
    entries = {e.bucket: e for e in db.read_entries(path, identify(w.SCALE.kernel))}
    assert set(entries) == {_key(1024), _key(20000)}
    for entry in entries.values():
        # The best config is the fastest of the measured ones, with its time.
        assert set(entry.timings) == {config_text(SMALL), config_text(LARGE)}
        assert entry.time_ms == min(entry.timings.values()) == entry.timings[entry.config]


def test_search_on_the_wrong_lane_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(pretune.PretuneError, match="active lane is 'cpu', not 'nvidia'"):
        pretune.search(w.SCALE, tmp_path / "t.db", lane="nvidia", progress=False)


def test_killed_search_leaves_a_usable_table_and_resumes(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    shapes = [{"n": n} for n in (256, 512, 768, 1024)]
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import pretune_workloads as w\n"
        "from flagtree import pretune\n"
        f"pretune.search(w.KILLED, sys.argv[2], {shapes!r}, progress=False)\n"
    )
    env = dict(os.environ, PRETUNE_TEST_KILL_AT="768")
    run = subprocess.run(
        [sys.executable, "-c", script, str(WORKLOADS.parent), str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == -9, run.stderr
    identity = identify(w.KILLED.kernel)
    assert sorted(e.bucket[0] for e in db.read_entries(path, identity)) == [256, 512]
    report = pretune.search(w.KILLED, path, shapes, progress=False)
    assert (report.tuned, report.skipped) == (2, 2)
    assert sorted(e.bucket[0] for e in db.read_entries(path, identity)) == [256, 512, 768, 1024]


def test_search_in_two_worker_processes(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    shapes = [{"n": n} for n in (100, 200, 300, 400)]
    report = pretune.search(f"{WORKLOADS}:SCALE", path, shapes, workers=2, progress=False)
    assert (report.tuned, report.workers) == (4, 2)
    entries = db.read_entries(path, identify(w.SCALE.kernel))
    assert sorted(e.bucket[0] for e in entries) == [100, 200, 300, 400]
    with pytest.raises(pretune.PretuneError, match="file.py:NAME"):
        pretune.search(w.SCALE, path, shapes, workers=2, progress=False)


def test_cli_search_and_show(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t.db"
    argv = ["pretune", "search", f"{WORKLOADS}:SCALE", "--db", str(path), "--shape", "n=64:256:x2"]
    assert cli_main([*argv, "-q"]) == 0
    assert "3 bucket(s) tuned, 0 already stored" in capsys.readouterr().out
    assert cli_main([*argv, "--lane", "cpu"]) == 0
    captured = capsys.readouterr()
    assert "0 bucket(s) tuned, 3 already stored" in captured.out
    assert "pretune scale [" in captured.err
    assert cli_main(["pretune", "show", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "scale  lane cpu" in shown
    assert "[128, 'torch.float32', 'torch.float32']" in shown


@pytest.mark.parametrize(
    "argv,words",
    [
        (["search", "nowhere.py:X", "--db", "{db}", "--shape", "n=8"], "nowhere.py"),
        (["search", "{wl}:scale", "--db", "{db}", "--shape", "n=8"], "not a flagtree.pretune"),
        (["search", "{wl}:SCALE", "--db", "{db}", "--shape", "n=8:x"], "START:STOP:STEP"),
        (["show", "{db}"], "does not exist"),
    ],
)
def test_cli_errors_are_clear(tmp_path: Path, capsys, argv: list[str], words: str) -> None:
    argv = [a.format(db=tmp_path / "t.db", wl=WORKLOADS) for a in argv]
    assert cli_main(["pretune", *argv]) == 1
    assert words in capsys.readouterr().err


class _RunRecorder:
    """Stands between the Autotuner and the JIT function, recording each run."""

    def __init__(self, fn):
        self.fn = fn
        self.calls: list[dict] = []

    def run(self, *args, **kwargs):
        self.calls.append(kwargs)
        return self.fn.run(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.fn, name)


def test_a_pretuned_call_is_one_ordinary_jit_run_with_the_tables_config(
    tmp_path: Path, bench_calls
) -> None:
    # JITFunction.run is where a launcher (Triton's or flagtree's C++ one) takes over.
    path = tmp_path / "t.db"
    _table(path, {1024: LARGE})
    tuner = w.make_tuner()
    tuner.fn = recorder = _RunRecorder(tuner.fn)
    x, out = w.launch_scale(pretune.attach(tuner, path), 1024)
    assert torch.equal(out, x * 2)
    (call,) = recorder.calls
    assert call["BLOCK"] == 256 and call["warmup"] is False and callable(call["grid"])


def test_warmup_compiles_every_config_as_the_autotuner_does(tmp_path: Path) -> None:
    kernel = pretune.attach(w.make_tuner(), tmp_path / "t.db")
    x = torch.randn(64)
    compiled = kernel.warmup(x, torch.empty_like(x), 64, grid=(1,))
    assert len(compiled) == len(w.CONFIGS)
    assert kernel.configs is kernel.autotuner.configs


def test_decorator_form_and_heuristics_outside_are_handled(tmp_path: Path, bench_calls) -> None:
    path = tmp_path / "t.db"
    _table(path, {1024: LARGE})
    kernel = pretune.pretuned(path)(w.make_tuner())
    x, out = w.launch_scale(kernel, 1024)
    assert torch.equal(out, x * 2) and bench_calls[0] == 0
    outer = w.triton.heuristics({"unused": lambda args: 1})(w.make_tuner())
    with pytest.raises(pretune.PretuneError, match=r"workloads\.py:\d+: .*\(outermost\)"):
        pretune.attach(outer, path)
