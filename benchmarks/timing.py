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


def interleaved(fns: dict[str, Callable[[], object]], repeats: int, rounds: int = 5,
                warmups: int = 1) -> dict[str, float]:
    """Best time of each function, measured in alternating rounds so that load changes hit all alike.

    Each round gives every function ``repeats // rounds`` timed runs after ``warmups`` untimed ones.
    """
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            best[name] = min(best[name], best_time(fn, max(1, repeats // rounds), warmups=warmups))
    return best
