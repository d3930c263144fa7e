"""PreTune: autotuning done offline, looked up at run time.

``search`` tunes an autotuned kernel over a set of shapes into a table (one
SQLite file); ``attach`` serves the kernel from that table at run time with
no benchmarking. See docs/pretune.md.
"""

from .buckets import bucket_above, distance, nearest_bucket
from .database import SCHEMA_VERSION, TableRejected
from .identity import KernelIdentity, PretuneError, autotune_key, identify
from .runtime import PretunedKernel, PretuneWarning, attach, pretuned
from .search import Launch, SearchReport, Workload, load_workload, search
from .shapes import shape_product

__all__ = [
    "SCHEMA_VERSION",
    "KernelIdentity",
    "Launch",
    "PretuneError",
    "PretuneWarning",
    "PretunedKernel",
    "SearchReport",
    "TableRejected",
    "Workload",
    "attach",
    "autotune_key",
    "bucket_above",
    "distance",
    "identify",
    "load_workload",
    "nearest_bucket",
    "pretuned",
    "search",
    "shape_product",
]
