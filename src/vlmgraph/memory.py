"""Give freed heap memory back to the system after a large, passing peak (glibc's malloc_trim).

glibc keeps what a process frees for its next allocations; after a one-off peak — the name
index's build, a query that grouped a million rows — a long-running server would hold that peak
for good. `release()` hands the free pages back. It takes milliseconds, so it is for after a large
piece of work, not for every request; it does nothing where malloc is not glibc's.
"""

from __future__ import annotations

import ctypes


def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def release() -> None:
    if _TRIM is not None:
        _TRIM(0)
