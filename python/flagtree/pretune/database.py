"""The PreTune table file: one SQLite database, schema versioned.

One file holds the tables of many kernels (one row of ``pretune_tables`` per
kernel identity, see :mod:`.identity`) and their entries (bucket, i.e. an
autotune key -> best config and its measured time).

Safety:

* Readers open the file read-only (a missing file is never created) and run
  SQLite's ``quick_check`` first; anything unexpected rejects the whole
  table with a reason, it is never partly used.
* Every write is one ``BEGIN IMMEDIATE`` transaction, so several processes
  may write the same file (SQLite serializes them; ``busy_timeout`` waits),
  and a run killed mid-way leaves every finished entry and nothing half
  written. The rollback journal (not WAL) keeps the table a single file at
  rest.
* A file that is not a PreTune database (garbage, another program's SQLite
  file) is never written to.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .identity import KernelIdentity, key_from_text

#: Bumped whenever the layout below changes; other versions are rejected.
SCHEMA_VERSION = 1
FORMAT = "flagtree-pretune"
_BUSY_TIMEOUT_MS = 60_000

_SCHEMA = """
CREATE TABLE pretune_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE pretune_tables (
    id INTEGER PRIMARY KEY,
    kernel TEXT NOT NULL,
    lane TEXT NOT NULL,
    target TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    configs_hash TEXT NOT NULL,
    flagtree_version TEXT NOT NULL,
    key_names TEXT NOT NULL,
    configs TEXT NOT NULL,
    created REAL NOT NULL,
    UNIQUE (kernel, lane, target, source_hash, configs_hash, flagtree_version)
);
CREATE TABLE pretune_entries (
    table_id INTEGER NOT NULL REFERENCES pretune_tables(id),
    bucket TEXT NOT NULL,
    config TEXT NOT NULL,
    time_ms REAL NOT NULL,
    timings TEXT NOT NULL,
    origin TEXT NOT NULL,
    recorded REAL NOT NULL,
    PRIMARY KEY (table_id, bucket)
);
"""

#: Identity fields compared, in the order a mismatch is reported.
_IDENTITY_FIELDS = ("lane", "target", "source_hash", "configs_hash", "flagtree_version")
_FIELD_WORDS = {
    "lane": "lane",
    "target": "target",
    "source_hash": "kernel source",
    "configs_hash": "config list or key",
    "flagtree_version": "flagtree version",
}


class TableRejected(Exception):
    """A table that exists (or was asked for) but must not be used."""


@dataclass(frozen=True)
class Entry:
    """One tuned bucket."""

    bucket: tuple
    config: str
    time_ms: float
    #: config text -> median time (ms) of every config measured for the bucket.
    timings: dict[str, float]
    #: ``search`` (offline) or ``runtime`` (recorded by an autotuned call).
    origin: str


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
    else:
        conn = sqlite3.connect(str(path), timeout=60, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    return conn


def _check_format(conn: sqlite3.Connection, path: Path) -> None:
    """Raises TableRejected unless ``conn`` is a sound PreTune database."""
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            problem = "; ".join(str(row[0]) for row in check[:3])
            raise TableRejected(f"{path} is corrupt ({problem})")
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "pretune_meta" not in names:
            raise TableRejected(f"{path} is an SQLite file but not a PreTune table")
        meta = dict(conn.execute("SELECT name, value FROM pretune_meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise TableRejected(f"{path} is corrupt or not an SQLite file ({exc})") from None
    if meta.get("format") != FORMAT:
        raise TableRejected(f"{path} is not a PreTune table (format {meta.get('format')!r})")
    if meta.get("schema") != str(SCHEMA_VERSION):
        raise TableRejected(
            f"{path} has table schema {meta.get('schema')}, this flagtree reads "
            f"schema {SCHEMA_VERSION}"
        )


def read_entries(path: str | Path, identity: KernelIdentity) -> list[Entry]:
    """The entries stored for ``identity``; TableRejected says why there are none
    usable (no file, corrupt file, no table for the kernel, a table for another
    lane / source / config list / version, a malformed entry)."""
    path = Path(path)
    if not path.is_file():
        raise TableRejected(f"{path} does not exist")
    try:
        conn = _connect(path, readonly=True)
    except sqlite3.Error as exc:
        raise TableRejected(f"{path} cannot be opened ({exc})") from None
    try:
        _check_format(conn, path)
        try:
            return _read_entries(conn, path, identity)
        except (sqlite3.DatabaseError, ValueError, TypeError, KeyError) as exc:
            raise TableRejected(f"{path} has a malformed entry ({exc})") from None
    finally:
        conn.close()


def _read_entries(conn: sqlite3.Connection, path: Path, identity: KernelIdentity) -> list[Entry]:
    rows = conn.execute(
        f"SELECT id, {', '.join(_IDENTITY_FIELDS)} FROM pretune_tables WHERE kernel = ?",
        (identity.kernel,),
    ).fetchall()
    wanted = [_identity_value(identity, f) for f in _IDENTITY_FIELDS]
    match = next((row[0] for row in rows if list(row[1:]) == wanted), None)
    if match is None:
        if not rows:
            raise TableRejected(f"{path} holds no table for kernel '{identity.kernel}'")
        raise TableRejected(_mismatch(path, identity, rows, wanted))
    known = set(identity.configs)
    entries = []
    for bucket, config, time_ms, timings, origin in conn.execute(
        "SELECT bucket, config, time_ms, timings, origin FROM pretune_entries WHERE table_id = ?",
        (match,),
    ):
        if config not in known:
            raise ValueError(f"config {config} is not one of the kernel's configs")
        parsed = {str(k): float(v) for k, v in json.loads(timings).items()}
        entries.append(Entry(key_from_text(bucket), config, float(time_ms), parsed, str(origin)))
    return entries


def _identity_value(identity: KernelIdentity, field: str) -> str:
    return identity.configs_hash if field == "configs_hash" else getattr(identity, field)


def _mismatch(path: Path, identity: KernelIdentity, rows: list, wanted: list) -> str:
    """Explains why none of the kernel's stored tables applies here."""
    reasons = []
    for row in rows[:3]:
        diff = [
            f"{_FIELD_WORDS[f]} ({row[1 + i]} in the table, {wanted[i]} here)"
            if f in ("lane", "target", "flagtree_version")
            else f"{_FIELD_WORDS[f]} differs"
            for i, f in enumerate(_IDENTITY_FIELDS)
            if row[1 + i] != wanted[i]
        ]
        reasons.append(", ".join(diff))
    more = f"; and {len(rows) - 3} more" if len(rows) > 3 else ""
    return (
        f"{path} has {len(rows)} table(s) for kernel '{identity.kernel}' but none for this "
        f"kernel here: {'; '.join(reasons)}{more}"
    )


@contextmanager
def open_for_writing(path: str | Path) -> Iterator[sqlite3.Connection]:
    """A connection to a PreTune database, created if the file does not exist.

    Raises TableRejected (and writes nothing) when the file exists and is not
    a sound PreTune database of this schema.
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        raise TableRejected(f"{path} is not a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = _connect(path, readonly=False)
    except sqlite3.Error as exc:
        raise TableRejected(f"{path} cannot be opened for writing ({exc})") from None
    try:
        _initialize(conn, path)
        yield conn
    finally:
        conn.close()


def _initialize(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables == 0:
                # One statement at a time: executescript would commit first and let
                # another writer initialize the file in between.
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.executemany(
                    "INSERT INTO pretune_meta VALUES (?, ?)",
                    [("format", FORMAT), ("schema", str(SCHEMA_VERSION))],
                )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as exc:
        raise TableRejected(f"{path} is not a writable PreTune table ({exc})") from None
    _check_format(conn, path)


def table_id(conn: sqlite3.Connection, identity: KernelIdentity) -> int:
    """The id of ``identity``'s table, created (empty) when missing."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "INSERT OR IGNORE INTO pretune_tables (kernel, lane, target, source_hash, "
            "configs_hash, flagtree_version, key_names, configs, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                identity.kernel,
                identity.lane,
                identity.target,
                identity.source_hash,
                identity.configs_hash,
                identity.flagtree_version,
                json.dumps(list(identity.key_names)),
                json.dumps(sorted(identity.configs)),
                time.time(),
            ),
        )
        row = conn.execute(
            f"SELECT id FROM pretune_tables WHERE kernel = ? AND "
            f"{' AND '.join(f'{f} = ?' for f in _IDENTITY_FIELDS)}",
            (identity.kernel, *(_identity_value(identity, f) for f in _IDENTITY_FIELDS)),
        ).fetchone()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return int(row[0])


def write_entry(conn: sqlite3.Connection, table: int, bucket_text: str, entry: Entry) -> None:
    """Stores one bucket in its own transaction. When the bucket is already
    there, the faster of the two measurements is kept."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "INSERT INTO pretune_entries VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (table_id, bucket) DO UPDATE SET config = excluded.config, "
            "time_ms = excluded.time_ms, timings = excluded.timings, origin = excluded.origin, "
            "recorded = excluded.recorded WHERE excluded.time_ms < pretune_entries.time_ms",
            (
                table,
                bucket_text,
                entry.config,
                entry.time_ms,
                json.dumps(entry.timings, sort_keys=True),
                entry.origin,
                time.time(),
            ),
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def stored_buckets(conn: sqlite3.Connection, table: int) -> set[str]:
    """The bucket texts already stored in a table (what a resumed search skips)."""
    rows = conn.execute("SELECT bucket FROM pretune_entries WHERE table_id = ?", (table,))
    return {r[0] for r in rows}


def describe(path: str | Path) -> list[dict]:
    """Every table in the file with its identity and entries, for `flagtree pretune show`."""
    path = Path(path)
    if not path.is_file():
        raise TableRejected(f"{path} does not exist")
    conn = _connect(path, readonly=True)
    try:
        _check_format(conn, path)
        tables = []
        for row in conn.execute(
            "SELECT id, kernel, lane, target, flagtree_version, key_names, source_hash "
            "FROM pretune_tables ORDER BY id"
        ).fetchall():
            entries = conn.execute(
                "SELECT bucket, config, time_ms, origin FROM pretune_entries "
                "WHERE table_id = ? ORDER BY bucket",
                (row[0],),
            ).fetchall()
            tables.append(
                {
                    "kernel": row[1],
                    "lane": row[2],
                    "target": row[3],
                    "flagtree_version": row[4],
                    "key": json.loads(row[5]),
                    "source_hash": row[6][:12],
                    "entries": [
                        {"bucket": json.loads(b), "config": json.loads(c), "ms": t, "origin": o}
                        for b, c, t, o in entries
                    ],
                }
            )
        return tables
    except sqlite3.DatabaseError as exc:
        raise TableRejected(f"{path} is not a readable PreTune table ({exc})") from None
    finally:
        conn.close()
