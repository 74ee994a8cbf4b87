"""Keeping freed array memory in the process for reuse, where the C library allows it.

A training step allocates the same large temporaries (activations, im2col matrices, gradients) every
time. glibc hands blocks above its mmap threshold back to the operating system when they are freed, so
the next step faults every page in again: on a small CNN that is a third of the step. Raising glibc's
trim and mmap thresholds keeps those blocks in the heap, to be reused by the next step.

This changes the whole process's allocator (PyTorch and numpy included), so it is not done on import
but by the first backward pass of a Tensor graph (and by :func:`nn.train.fit` and the ``chaingrad``
commands): a process that differentiates tensors is training, and a training loop written by hand
should not run at half speed for want of a call it has never heard of. The cost is memory the process
keeps: up to 1 GiB of freed heap is not returned to the operating system. Set the environment variable
``CHAINGRAD_KEEP_FREED_MEMORY=0`` to keep glibc's defaults.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

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
        True when the allocator accepted the setting; False where the C library is not glibc or
        ``CHAINGRAD_KEEP_FREED_MEMORY=0`` is set (nothing changes then). Calling it again does nothing
        more.

    Examples
    --------
    >>> from autograd.memory import keep_freed_memory
    >>> keep_freed_memory() in (True, False)
    True
    """
    if _state["done"]:
        return _state["ok"]
    _state["done"] = True
    if os.environ.get("CHAINGRAD_KEEP_FREED_MEMORY", "").strip() == "0":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    trimmed = mallopt(_M_TRIM_THRESHOLD, _TRIM_BYTES) == 1
    mapped = mallopt(_M_MMAP_THRESHOLD, _MMAP_BYTES) == 1
    _state["ok"] = trimmed and mapped
    return _state["ok"]
