"""Memory the dashboard gives back: the system allocator for Arrow, malloc_trim after one-off
steps, and garbage-collector freezing after the tables are loaded (why: see each function)."""

from __future__ import annotations

import ctypes
import gc
import os

import pyarrow as pa

# Arrow's default allocator (mimalloc) keeps the pages a one-off step freed, so the
# peak of reading a million rows would stay resident for the life of the server; the
# system allocator hands them back (with release_memory below).
if os.environ.get("DASHBOARD_ARROW_POOL", "system") == "system":
    pa.set_memory_pool(pa.system_memory_pool())

try:  # glibc: return freed heap pages to the OS after a heavy one-off step
    _LIBC = ctypes.CDLL("libc.so.6")
    _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
except (OSError, AttributeError):
    _LIBC = None


def release_memory() -> None:
    """After a one-off step over every row (load, checks, sort order), give the memory it
    freed back to the OS, so resident memory is what is kept, not what was passed through."""
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


_FREEZE_ARMED = [False]


def _freeze_after_full_collection(phase: str, info: dict) -> None:
    if _FREEZE_ARMED[0] and phase == "stop" and info.get("generation") == 2:
        _FREEZE_ARMED[0] = False
        gc.freeze()


def freeze_after_next_collection() -> None:
    """Leave what is alive after the next full garbage collection (imported modules, the
    tables just loaded, reference data) out of every later one.

    Why: Streamlit runs a full collection (`gc.collect(2)`) after every script or fragment
    run and holds the GIL while it scans every tracked object, so the message that ends the
    run, which the browser waits for before it draws the new chart, leaves only when the
    scan is done: 70-250 ms per filter change on a shared 2-core machine, for some 130,000
    objects that never change. Frozen, a collection scans only what later runs made (a few
    thousand objects, about 1 ms). Frozen right after a full collection (the one that ends
    the run that loaded the tables), so nothing is collected twice and no garbage is kept;
    armed once per table load. Objects frozen and freed later by reference counting are
    still freed; a frozen object that later becomes cyclic garbage stays until the process
    ends (at most what one load made).
    """
    if _freeze_after_full_collection not in gc.callbacks:
        gc.callbacks.append(_freeze_after_full_collection)
    _FREEZE_ARMED[0] = True


_IMPORTS_FROZEN = [False]


def freeze_imports() -> None:
    """Leave what the server has imported (Streamlit, pandas, plotly, pyarrow, these modules:
    some 150,000 objects that live as long as the process) out of every later collection;
    once per process, on its first run, right after the imports.

    Why: the first run then makes as many objects again (the tables, the first figures), and
    Python's automatic full collection, triggered by that growth, rescanned every imported
    object: a second full collection in every cold start (70-200 ms on the shared 2-core
    machine, measured with gc.callbacks) that the minimal one-chart app, making far fewer
    objects, does not run. Frozen without collecting first (a collection is the cost being
    avoided): cyclic garbage the imports left is kept for the life of the process, a bounded
    one-off amount; objects freed by reference counting are still freed.
    """
    if not _IMPORTS_FROZEN[0]:
        _IMPORTS_FROZEN[0] = True
        gc.freeze()
