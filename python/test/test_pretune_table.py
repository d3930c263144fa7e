"""PreTune's table file, bucket rule and shape sets, without running kernels:
the schema and its checks, corrupt and foreign files (rejected, never
written), several processes writing one file, the nearest-bucket rule."""

from __future__ import annotations

import dataclasses
import io
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from flagtree.pretune import database as db
from flagtree.pretune.buckets import bucket_above, distance, nearest_bucket
from flagtree.pretune.identity import KernelIdentity, PretuneError, key_to_text
from flagtree.pretune.progress import Progress
from flagtree.pretune.shapes import parse_dimension, shape_product

CONFIG_A = '{"kwargs": {"BLOCK": 64}}'
CONFIG_B = '{"kwargs": {"BLOCK": 256}}'
IDENTITY = KernelIdentity(
    kernel="k",
    source_hash="s" * 64,
    key_names=("n",),
    configs=(CONFIG_A, CONFIG_B),
    lane="cpu",
    target="cpu:x86_64",
    flagtree_version="0.1.0",
)


def _entry(bucket: tuple, config: str, ms: float) -> db.Entry:
    return db.Entry(bucket, config, ms, {config: ms}, "search")


def _store(path: Path, entries: list[db.Entry], identity: KernelIdentity = IDENTITY) -> None:
    with db.open_for_writing(path) as conn:
        table = db.table_id(conn, identity)
        for entry in entries:
            db.write_entry(conn, table, key_to_text(entry.bucket), entry)


def test_entries_round_trip_and_the_faster_measurement_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    _store(path, [_entry((8, "f32"), CONFIG_A, 2.0), _entry((64, "f32"), CONFIG_B, 1.0)])
    # A slower measurement of a stored bucket does not replace it, a faster one does.
    _store(path, [_entry((8, "f32"), CONFIG_B, 3.0), _entry((64, "f32"), CONFIG_A, 0.5)])
    stored = {e.bucket: (e.config, e.time_ms) for e in db.read_entries(path, IDENTITY)}
    assert stored == {(8, "f32"): (CONFIG_A, 2.0), (64, "f32"): (CONFIG_A, 0.5)}


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("lane", "nvidia", "lane (cpu in the table, nvidia here)"),
        ("target", "cuda:90", "target (cpu:x86_64 in the table, cuda:90 here)"),
        ("source_hash", "t" * 64, "kernel source differs"),
        ("configs", (CONFIG_A,), "config list or key differs"),
        ("key_names", ("m",), "config list or key differs"),
        ("flagtree_version", "9.9.9", "flagtree version (0.1.0 in the table, 9.9.9 here)"),
    ],
)
def test_a_table_for_another_identity_is_rejected_with_the_reason(
    tmp_path: Path, field: str, value, words: str
) -> None:
    path = tmp_path / "t.db"
    _store(path, [_entry((8,), CONFIG_A, 1.0)])
    other = dataclasses.replace(IDENTITY, **{field: value})
    with pytest.raises(db.TableRejected) as info:
        db.read_entries(path, other)
    assert words in str(info.value)
    # The same file still serves the identity it was tuned for.
    assert len(db.read_entries(path, IDENTITY)) == 1


def test_one_file_holds_tables_of_several_lanes(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    gpu = dataclasses.replace(IDENTITY, lane="nvidia", target="cuda:90")
    _store(path, [_entry((8,), CONFIG_A, 1.0)])
    _store(path, [_entry((8,), CONFIG_B, 0.1), _entry((9,), CONFIG_B, 0.1)], gpu)
    assert [e.config for e in db.read_entries(path, IDENTITY)] == [CONFIG_A]
    assert len(db.read_entries(path, gpu)) == 2


def test_missing_file_is_rejected_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(db.TableRejected, match="does not exist"):
        db.read_entries(path, IDENTITY)
    assert not path.exists()


def test_no_table_for_the_kernel_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    _store(path, [])
    with pytest.raises(db.TableRejected, match="no table for kernel 'other'"):
        db.read_entries(path, dataclasses.replace(IDENTITY, kernel="other"))


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database\n" * 200)


def _truncated(path: Path) -> None:
    _store(path, [_entry((n, "f32"), CONFIG_A, 1.0) for n in range(400)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()


def _other_schema(path: Path) -> None:
    _store(path, [_entry((8,), CONFIG_A, 1.0)])
    conn = sqlite3.connect(path)
    conn.execute("UPDATE pretune_meta SET value = '99' WHERE name = 'schema'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "spoil,words",
    [
        (_garbage, "corrupt or not an SQLite file"),
        (_truncated, "corrupt"),
        (_foreign, "not a PreTune table"),
        (_other_schema, "schema 99"),
    ],
    ids=["garbage", "truncated", "foreign-sqlite", "other-schema"],
)
def test_a_spoiled_file_is_rejected_and_never_written(tmp_path: Path, spoil, words: str) -> None:
    path = tmp_path / "t.db"
    spoil(path)
    before = path.read_bytes()
    with pytest.raises(db.TableRejected) as info:
        db.read_entries(path, IDENTITY)
    assert words in str(info.value)
    with pytest.raises(db.TableRejected):
        _store(path, [_entry((8,), CONFIG_A, 1.0)])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.db"]


def test_an_entry_naming_an_unknown_config_rejects_the_table(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    _store(path, [_entry((8,), CONFIG_A, 1.0), _entry((9,), CONFIG_B, 1.0)])
    conn = sqlite3.connect(path)
    conn.execute("UPDATE pretune_entries SET config = '{\"kwargs\": {}}' WHERE bucket = '[9]'")
    conn.commit()
    conn.close()
    with pytest.raises(db.TableRejected, match="malformed entry"):
        db.read_entries(path, IDENTITY)


def _write_many(path: str, worker: int, count: int) -> None:
    for i in range(count):
        bucket = (worker, i, "f32")
        _store(Path(path), [_entry(bucket, CONFIG_A if i % 2 else CONFIG_B, 1.0 + i)])


def test_several_processes_write_one_file(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_write_many, args=(str(path), w, 25)) for w in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    entries = db.read_entries(path, IDENTITY)
    assert sorted(e.bucket for e in entries) == sorted(
        (w, i, "f32") for w in range(4) for i in range(25)
    )
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM pretune_tables").fetchone() == (1,)
    conn.close()


def test_describe_lists_tables_and_entries(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    _store(path, [_entry((8, "f32"), CONFIG_A, 1.5)])
    (table,) = db.describe(path)
    assert (table["kernel"], table["lane"], table["key"]) == ("k", "cpu", ["n"])
    assert table["entries"] == [
        {"bucket": [8, "f32"], "config": {"kwargs": {"BLOCK": 64}}, "ms": 1.5, "origin": "search"}
    ]


# The nearest-bucket rule (documented in flagtree/pretune/buckets.py).


def test_nearest_bucket_compares_sizes_by_ratio() -> None:
    buckets = [(64, 512, "f32"), (1024, 512, "f32"), (4096, 512, "f32")]
    assert nearest_bucket((64, 512, "f32"), buckets) == (64, 512, "f32")
    assert nearest_bucket((200, 512, "f32"), buckets) == (64, 512, "f32")
    assert nearest_bucket((300, 512, "f32"), buckets) == (1024, 512, "f32")
    assert nearest_bucket((3000, 512, "f32"), buckets) == (4096, 512, "f32")
    assert nearest_bucket((10**6, 512, "f32"), buckets) == (4096, 512, "f32")


def test_nearest_bucket_sums_the_distance_over_every_integer() -> None:
    buckets = [(64, 4096), (256, 256)]
    assert nearest_bucket((128, 2048), buckets) == (64, 4096)
    assert distance((128, 2048), (64, 4096)) < distance((128, 2048), (256, 256))


def test_nearest_bucket_needs_equal_non_integer_parts() -> None:
    buckets = [(64, "torch.float32"), (4096, "torch.float16")]
    assert nearest_bucket((70, "torch.float16"), buckets) == (4096, "torch.float16")
    assert nearest_bucket((70, "torch.bfloat16"), buckets) is None
    assert nearest_bucket((70,), buckets) is None
    # Booleans and floats are matched exactly, never by distance.
    assert nearest_bucket((70, True), [(64, False)]) is None
    assert nearest_bucket((70, 0.5), [(64, 0.5), (70, 0.25)]) == (64, 0.5)


def test_nearest_bucket_tie_goes_to_the_larger_shape() -> None:
    # 2**k - 1 makes log2(1 + v) exact: 63 and 255 are equally far from 127.
    assert distance((127,), (63,)) == distance((127,), (255,))
    assert nearest_bucket((127,), [(63,), (255,)]) == (255,)
    assert nearest_bucket((127,), [(255,), (63,)]) == (255,)


def test_key_values_that_cannot_be_stored_are_an_error() -> None:
    with pytest.raises(PretuneError, match="cannot be stored"):
        key_to_text((8, object()))


# Shape sets.


def test_shape_ranges_and_lists() -> None:
    assert parse_dimension("M=64:1024:x2,100") == ("M", [64, 100, 128, 256, 512, 1024])
    assert parse_dimension("N=1:9:+4") == ("N", [1, 5, 9])
    assert parse_dimension("K=10:20:5") == ("K", [10, 15, 20])
    assert shape_product(["M=1,2", "N=8"]) == [{"M": 1, "N": 8}, {"M": 2, "N": 8}]


@pytest.mark.parametrize(
    "spec,words",
    [
        ("M", "expected NAME=VALUES"),
        ("M=a", "not an integer"),
        ("M=8:4:x2", "ends before it starts"),
        ("M=0:8:x2", "factor >= 2"),
        ("M=1:8:x1", "factor >= 2"),
        ("M=1:8", "START:STOP:STEP"),
        ("M=1:8:+0", "step >= 1"),
    ],
)
def test_bad_shape_specs_are_clear_errors(spec: str, words: str) -> None:
    with pytest.raises(PretuneError, match=words):
        parse_dimension(spec)


def test_progress_bar_writes_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    bar = Progress(20, "pretune k", stream=stream)
    for _ in range(20):
        bar.advance("x")
    bar.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("pretune k [" + "#" * 24 + "] 20/20")


def test_bucket_above_takes_the_nearest_bucket_not_below_the_key() -> None:
    buckets = [(512, 4096, "f16"), (640, 4096, "f16"), (768, 4096, "f16")]
    # Nearer to 512 by ratio, but past it: the bucket above answers.
    assert nearest_bucket((534, 4096, "f16"), buckets) == (512, 4096, "f16")
    assert bucket_above((534, 4096, "f16"), buckets) == (640, 4096, "f16")
    assert bucket_above((640, 4096, "f16"), buckets) == (640, 4096, "f16")
    # Every integer must be at or above the key's; else the nearest answers.
    assert bucket_above((534, 8192, "f16"), buckets) == (512, 4096, "f16")
    assert bucket_above((900, 4096, "f16"), buckets) == (768, 4096, "f16")
    assert bucket_above((534, 4096, "f32"), buckets) is None
