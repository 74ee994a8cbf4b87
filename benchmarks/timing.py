"""The timing rule every benchmark here uses, so that all their figures mean the same thing."""

from __future__ import annotations

import gc
import time
from typing import Callable


def best_time(fn: Callable[[], object], repeats: int, warmups: int = 1) -> float:
    """Best wall time in seconds of ``repeats`` runs of ``fn`` after ``warmups`` untimed ones.

    The cyclic garbage collector is paused while a run is timed (and run in between), so that no engine
    pays for another's garbage.
    """
    for _ in range(warmups):
        fn()
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best
