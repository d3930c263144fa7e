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
