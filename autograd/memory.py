"""Keeping freed array memory in the process for reuse, where the C library allows it.

A training step allocates the same large temporaries (activations, im2col matrices, gradients) every
time. glibc hands blocks above its mmap threshold back to the operating system when they are freed, so
the next step faults every page in again: on a small CNN that is a third of the step. Raising glibc's
trim and mmap thresholds keeps those blocks in the heap, to be reused by the next step.

This changes the whole process's allocator (PyTorch and numpy included), which is why nothing here runs
on import: :func:`nn.train.fit` and the ``chaingrad`` commands call it, and anyone else may.
"""

from __future__ import annotations

import ctypes
import ctypes.util

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_TRIM_BYTES = 1 << 30  # return free heap memory to the OS only past 1 GiB
_MMAP_BYTES = 32 << 20  # serve blocks up to 32 MiB from the heap, not from fresh mappings

_state = {"done": False, "ok": False}


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed blocks for reuse instead of returning them to the operating system.

    Returns
    -------
    bool
        True when the allocator accepted the setting; False where the C library is not glibc (nothing
        changes there). Calling it again does nothing more.

    Examples
    --------
    >>> from autograd.memory import keep_freed_memory
    >>> keep_freed_memory() in (True, False)
    True
    """
    if _state["done"]:
        return _state["ok"]
    _state["done"] = True
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    trimmed = mallopt(_M_TRIM_THRESHOLD, _TRIM_BYTES) == 1
    mapped = mallopt(_M_MMAP_THRESHOLD, _MMAP_BYTES) == 1
    _state["ok"] = trimmed and mapped
    return _state["ok"]
