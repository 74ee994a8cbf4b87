"""The timing rule every benchmark here uses, so that all their figures mean the same thing."""

from __future__ import annotations

import gc
import json
import math
import statistics
import subprocess
import sys
import time
from typing import Callable, Sequence

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
                       warmups: int = 1) -> dict[str, list[float]]:
    """Each function's best time of one call in each round, measured in alternating rounds so that load
    changes hit all alike.

    Each round gives every function ``repeats // rounds`` timed samples (:func:`best_time`) after
    ``warmups`` untimed calls. The order rotates from round to round, so that each function follows each
    of the others equally often: a function that runs right after another's large arrays have filled the
    caches runs slower, and a fixed order would always hand that cost to the same function. Libraries
    with thread pools of their own (torch) slow each other in one process; compare them with
    :func:`isolated_rounds`.
    """
    names = list(fns)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
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


def worker_samples(fn: Callable[[], object], samples: int, warmup_seconds: float = 0.3) -> list[float]:
    """Times of ``samples`` samples of ``fn`` (:func:`best_time`, one sample each), after calling it
    back to back for ``warmup_seconds``: what a worker of :func:`isolated_rounds` prints."""
    end = time.perf_counter() + warmup_seconds
    while time.perf_counter() < end:
        fn()
    return [best_time(fn, 1) for _ in range(samples)]


Samples = dict[str, list[list[float]]]
"""Sample times in seconds by engine, one list per process (round) of :func:`isolated_rounds`."""


def isolated_rounds(command: Sequence[str], names: Sequence[str], rounds: int) -> Samples:
    """Sample times of each engine, each run alone in a fresh interpreter, once per round.

    ``[*command, name]`` must time the engine ``name`` alone and print the list of its sample times in
    seconds as JSON on its last line (:func:`worker_samples`). Two libraries in one process slow each
    other: each leaves its BLAS or OpenMP worker threads spinning after a call, and torch, once loaded,
    also changes how the process's allocator behaves. A user trains with one library per process, so
    comparisons between libraries are made that way. The order rotates from round to round, as in
    :func:`interleaved_rounds`, and the engines of one round run a few seconds apart.

    Returns
    -------
    dict
        For each name, one list of sample times per round.
    """
    times: Samples = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names)
        for name in [*names[shift:], *names[:shift]]:
            run = subprocess.run([sys.executable, *command, name], capture_output=True, text=True)
            if run.returncode != 0:
                raise RuntimeError(
                    f"isolated_rounds: worker {name!r} exited with {run.returncode}:\n{run.stderr}")
            times[name].append(json.loads(run.stdout.strip().splitlines()[-1]))
    return times


def isolated_ratio(times: Samples, name: str, baseline: str) -> tuple[float, float, float, float]:
    """Median and quartiles over rounds of ``name``'s median sample time over ``baseline``'s in the same
    round (:func:`paired_ratio` of the processes' medians), and the ratio of the two best samples."""
    medians = {key: [statistics.median(samples) for samples in times[key]] for key in (name, baseline)}
    median, q1, q3 = paired_ratio(medians, name, baseline)
    best = min(map(min, times[name])) / min(map(min, times[baseline]))
    return median, q1, q3, best
