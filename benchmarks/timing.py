"""The timing rule every benchmark here uses, so that all their figures mean the same thing."""

from __future__ import annotations

import gc
import math
import statistics
import time
from typing import Callable

MIN_BLOCK_SECONDS = 0.02
"""A timed sample lasts at least this long: short functions are called back to back until it does."""


def best_time(fn: Callable[[], object], repeats: int, warmups: int = 1) -> float:
    """Best wall time in seconds of one call of ``fn``, over ``repeats`` timed samples.

    A sample times a block of back-to-back calls lasting at least :data:`MIN_BLOCK_SECONDS`, as
    ``timeit`` does, and divides by their number: a training loop runs its steps one after another, so
    a millisecond step is timed warm, not as the first call after the collector has walked every object
    of the process (which, with torch loaded, takes longer than the step and leaves the caches cold).
    ``warmups`` untimed calls (at least one) come first; the last of them sets the block's length.

    The cyclic garbage collector runs before each sample and is paused during it, so that no engine
    pays for another's garbage.
    """
    once = float("inf")
    for _ in range(max(1, warmups)):
        start = time.perf_counter()
        fn()
        once = time.perf_counter() - start
    number = max(1, math.ceil(MIN_BLOCK_SECONDS / max(once, 1e-9)))
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            for _ in range(number):
                fn()
            best = min(best, (time.perf_counter() - start) / number)
        finally:
            gc.enable()
    return best


def interleaved_rounds(fns: dict[str, Callable[[], object]], repeats: int, rounds: int = 5,
                       warmups: int = 1, settle: float = 0.0) -> dict[str, list[float]]:
    """Each function's best time of one call in each round, measured in alternating rounds so that load
    changes hit all alike.

    Each round gives every function ``repeats // rounds`` timed samples (:func:`best_time`) after
    ``warmups`` untimed calls. The order rotates from round to round, so that each function follows each
    of the others equally often: a function that runs right after torch's step, for one, runs slower
    (torch leaves its worker threads busy for a while), and a fixed order would always hand that cost to
    the same function. ``settle`` seconds of sleep before each sample let the worker threads of the
    previous function's libraries go idle.
    """
    names = list(fns)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            if settle:
                time.sleep(settle)
            times[name].append(best_time(fns[name], max(1, repeats // rounds), warmups=warmups))
    return times


def interleaved(fns: dict[str, Callable[[], object]], repeats: int, rounds: int = 5,
                warmups: int = 1) -> dict[str, float]:
    """Best time of one call of each function over all rounds of :func:`interleaved_rounds`."""
    return {name: min(t) for name, t in interleaved_rounds(fns, repeats, rounds, warmups).items()}


def paired_ratio(times: dict[str, list[float]], name: str, baseline: str) -> tuple[float, float, float]:
    """Median, first and third quartile of ``name``'s time over ``baseline``'s, round by round.

    The two functions of a round run a few tens of milliseconds apart, so a change of the machine's
    speed between rounds cancels out of each round's ratio. The ratio of the two best times does not
    have that property: each best comes from whichever round was luckiest for that function, and on a
    shared machine the luck differs by several per cent from run to run.
    """
    ratios = [a / b for a, b in zip(times[name], times[baseline])]
    q1, median, q3 = statistics.quantiles(ratios, n=4, method="inclusive")  # numpy's default method
    return median, q1, q3
