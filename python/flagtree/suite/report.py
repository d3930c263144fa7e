"""The bench report: report.md (a table per family and a summary),
report.csv (one row per operator variant) and PNG plots of the time ratios
per family (skipped with a message when matplotlib is missing)."""

from __future__ import annotations

import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

from .bench import Row
from .registry import FAMILIES

CSV_FIELDS = (
    "op", "family", "case", "status", "flagtree_ms", "torch_ms", "upstream_ms",
    "flagtree_over_torch", "flagtree_over_upstream", "message",
)  # fmt: skip


def _fmt(value: float | None) -> str:
    """Four significant digits (ratios near 1 then read 1.000, 0.9987)."""
    return "" if value is None else f"{value:#.4g}".rstrip(".")


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def write_csv(rows: list[Row], path: Path) -> None:
    """Times to 6 significant digits, and ratios of the times as written, so
    that reading the file back (--resume) and writing it again changes
    nothing."""

    def ms(value: float | None) -> str:
        return "" if value is None else f"{value:.6g}"

    def ratio(a: str, b: str) -> str:
        return _fmt(float(a) / float(b)) if a and b and float(b) else ""

    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(CSV_FIELDS)
        for r in rows:
            ours, torch_ms, upstream = ms(r.flagtree_ms), ms(r.torch_ms), ms(r.upstream_ms)
            out.writerow([
                r.op, r.family, r.case, r.status, ours, torch_ms, upstream,
                ratio(ours, torch_ms), ratio(ours, upstream), r.message,
            ])  # fmt: skip


def read_csv(path: Path) -> list[Row]:
    """The rows of an earlier report.csv (to resume a run)."""

    def number(text: str) -> float | None:
        return float(text) if text else None

    with path.open(newline="") as f:
        return [
            Row(r["op"], r["family"], r["case"], r["status"], r["message"],
                number(r["flagtree_ms"]), number(r["torch_ms"]), number(r["upstream_ms"]))
            for r in csv.DictReader(f)
        ]  # fmt: skip


def summary(rows: list[Row]) -> dict[str, dict[str, int]]:
    """Per operator (not per variant): passed when every variant passed."""
    per_op: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        per_op[r.op].add(r.status)
    counts = {"operators": len(per_op), "pass": 0, "known": 0, "fail": 0, "error": 0}
    for statuses in per_op.values():
        worst = next(s for s in ("fail", "error", "known", "pass") if s in statuses)
        counts[worst] += 1
    return counts


def write_markdown(
    rows: list[Row], path: Path, lane: str, command: str, device: str, note: str = ""
) -> None:
    has_upstream = any(r.upstream_ms is not None for r in rows)
    counts = summary(rows)
    lines = [
        f"# flagtree bench: {lane} lane",
        "",
        f"Produced by `{command}` on {device}." + (f" {note}" if note else ""),
        "",
        f"Operators: {counts['operators']}; passed {counts['pass']}, listed as not yet "
        f"supported on this lane {counts['known']}, wrong results {counts['fail']}, "
        f"errors {counts['error']}.",
        "",
        "Ratios are kernel times, flagtree over the other (below 1: flagtree is faster).",
        "",
        "| family | operators | passed | geomean flagtree/torch"
        + (" | geomean flagtree/upstream |" if has_upstream else " |"),
        "|---|---|---|---" + ("|---|" if has_upstream else "|"),
    ]
    by_family = defaultdict(list)
    for r in rows:
        by_family[r.family].append(r)
    for family in FAMILIES:
        fam = by_family.get(family, [])
        if not fam:
            continue
        ops = {r.op for r in fam}
        passed = len(ops - {r.op for r in fam if r.status != "pass"})
        cells = [family, str(len(ops)), str(passed), _fmt(geomean([r.vs_torch for r in fam]))]
        if has_upstream:
            cells.append(_fmt(geomean([r.vs_upstream for r in fam])))
        lines.append("| " + " | ".join(cells) + " |")
    header = "| operator | case | status | flagtree ms | torch ms | flagtree/torch"
    rule = "|---|---|---|---|---|---"
    if has_upstream:
        header += " | upstream ms | flagtree/upstream"
        rule += "|---|---"
    for family in FAMILIES:
        fam = by_family.get(family, [])
        if not fam:
            continue
        lines += ["", f"## {family}", "", header + " | note |", rule + "|---|"]
        for r in fam:
            cells = [r.op, r.case, r.status, _fmt(r.flagtree_ms), _fmt(r.torch_ms),
                     _fmt(r.vs_torch)]  # fmt: skip
            if has_upstream:
                cells += [_fmt(r.upstream_ms), _fmt(r.vs_upstream)]
            cells.append(r.message.replace("|", "\\|")[:160])
            lines.append("| " + " | ".join(cells) + " |")
    path.write_text("\n".join(lines) + "\n")


def write_plots(rows: list[Row], out: Path) -> list[Path]:
    """One PNG per family (bars per operator, log scale) and an overview."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("flagtree bench: matplotlib is not installed: no plots", file=sys.stderr)
        return []
    written = []
    series = [("flagtree/torch", "vs_torch", "#4477aa"), ("flagtree/upstream", "vs_upstream",
                                                          "#ee6677")]  # fmt: skip
    series = [s for s in series if any(getattr(r, s[1]) for r in rows)]
    if not series:
        return []
    by_family = defaultdict(list)
    for r in rows:
        by_family[r.family].append(r)
    for family, fam in by_family.items():
        labels = [f"{r.op} {r.case}" for r in fam]
        fig, ax = plt.subplots(figsize=(8, max(1.8, 0.6 + 0.18 * len(fam))), dpi=72)
        height = 0.8 / len(series)
        for i, (name, attr, color) in enumerate(series):
            ys = [j + i * height for j in range(len(fam))]
            values = [getattr(r, attr) or math.nan for r in fam]
            ax.barh(ys, values, height=height, color=color, label=name)
        ax.set_xscale("log")
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_yticks([j + 0.4 - height / 2 for j in range(len(fam))], labels, fontsize=6)
        ax.invert_yaxis()
        ax.set_xlabel("kernel time ratio (below 1: flagtree faster)", fontsize=7)
        ax.set_title(f"{family}", fontsize=8)
        ax.tick_params(axis="x", labelsize=6)
        ax.legend(fontsize=6)
        fig.tight_layout()
        written.append(_save(fig, out / f"ratio_{family}.png"))
    fig, ax = plt.subplots(figsize=(6, 3), dpi=72)
    families = [f for f in FAMILIES if f in by_family]
    width = 0.8 / len(series)
    for i, (name, attr, color) in enumerate(series):
        values = [geomean([getattr(r, attr) for r in by_family[f]]) or math.nan for f in families]
        ax.bar([j + i * width for j in range(len(families))], values, width, color=color,
               label=name)  # fmt: skip
    ax.set_yscale("log")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(families))], families, rotation=60,
                  fontsize=6)  # fmt: skip
    ax.set_ylabel("geomean time ratio", fontsize=7)
    ax.tick_params(axis="y", labelsize=6)
    ax.legend(fontsize=6)
    fig.tight_layout()
    written.append(_save(fig, out / "ratio_families.png"))
    return written


def _save(fig, path: Path) -> Path:
    """Saves a figure as a small PNG: 64 colours where Pillow is present."""
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    try:
        from PIL import Image

        buffer.seek(0)
        image = Image.open(buffer).convert("RGB").convert("P", palette=Image.ADAPTIVE, colors=64)
        image.save(path, optimize=True)
    except ImportError:
        path.write_bytes(buffer.getvalue())
    return path


class ReportError(Exception):
    """The report cannot be written where asked."""


def check_out_dir(out: Path) -> None:
    """Refuses a folder whose report.md or report.csv is not an earlier
    bench report (never overwrite a user's own file), or that cannot be
    created; called before the bench runs."""
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out}: exists and is not a folder")
    for name, head in (("report.md", "# flagtree bench"), ("report.csv", ",".join(CSV_FIELDS))):
        path = out / name
        if path.exists():
            try:
                first = path.read_text().split("\n", 1)[0]
            except (OSError, UnicodeDecodeError):
                first = ""
            if not first.startswith(head):
                raise ReportError(f"--out {out}: {name} there is not a flagtree bench report")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"--out {out}: {exc.strerror}") from None


def write_report(
    rows: list[Row], out: Path, lane: str, command: str, device: str, note: str = ""
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    write_csv(rows, out / "report.csv")
    write_markdown(rows, out / "report.md", lane, command, device, note)
    return [out / "report.md", out / "report.csv", *write_plots(rows, out)]
