"""Where the MLP step's time over the hand-written numpy step goes: array work or the engine's Python.

Run: ``python benchmarks/diagnose_mlp.py`` (about a minute). Two measurements, both in this one run:

1. **Replay.** ``replay`` makes exactly the numpy calls our step makes (``F.linear``'s in-place bias,
   the fused cross-entropy's classes-first layout, the array rules of the backward pass), in the same
   order, without Tensors or a graph. ours / replay is then the engine's own cost, and replay / numpy
   compares the array work of the two formulations.
2. **Cold caches.** On a 4-4-4-2 network with batch 4, where the arrays cost next to nothing, each step
   is timed once warm (back-to-back steps) and once right after writing a 4 MiB array, which evicts the
   interpreter's code and objects from the caches as the real step's large matrix products do.

See docs/benchmarks.md for what the figures showed on the machine the project is developed on.
"""

from __future__ import annotations

import gc
import time
from typing import Callable

import bench_tensor as bt
import numpy as np
from timing import interleaved

from autograd.tensor import sum_rows


def make_step_replay(x: np.ndarray, y: np.ndarray, params: list[np.ndarray]) -> Callable[[], float]:
    """Our step's numpy calls, written out: forward, fused cross-entropy, backward, SGD update."""
    ps = [p.copy() for p in params]
    n, n_layers = len(x), len(ps) // 2
    rows = np.arange(n)
    seed = np.array(1, dtype=x.dtype)

    def step() -> float:
        acts, pre_activations = [x], []  # the graph keeps both alive until the step ends
        for i in range(n_layers):
            out = (ps[2 * i] @ acts[-1].T).T  # features first, as F.linear lays out a batch
            out += ps[2 * i + 1]
            pre_activations.append(out)
            acts.append(np.maximum(out, 0) if i + 1 < n_layers else out)
        classes_first = np.ascontiguousarray(acts[-1].T)
        flat = y * n + rows
        coef = 1.0 / n  # one scale for all examples, as without class weights
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            z = classes_first - np.maximum.reduce(classes_first, axis=0, keepdims=True)
            e = np.exp(z)
            total = np.add.reduce(e, axis=0, keepdims=True)
            loss = np.add.reduce(z.ravel()[flat] - np.log(total.ravel())) * -coef
        scaled = coef * seed  # the backward pass starts from d loss / d loss, a 0-d array
        g = e * (scaled / total)
        g.ravel()[flat] -= scaled
        g = g.T
        grads = [None] * len(ps)
        for i in reversed(range(n_layers)):
            g_in = (ps[2 * i].T @ g.T).T if i else None
            grads[2 * i] = g.T @ acts[i]
            grads[2 * i + 1] = sum_rows(g)
            if i:
                g_in *= acts[i] != 0  # relu's rule writes into the gradient it is given
                g = g_in
        for p, gp in zip(ps, grads):
            p -= bt.LR * gp
        return float(loss)

    return step


def warm_and_cold(step: Callable[[], object], samples: int,
                  flush_bytes: int = 4 * 2**20) -> tuple[float, float]:
    """Median seconds of one call of ``step``: back to back, and right after a write of ``flush_bytes``."""
    flush = np.ones(flush_bytes // 8)
    timed: dict[bool, list[float]] = {False: [], True: []}
    gc.collect()
    gc.disable()
    try:
        for _ in range(samples):
            step()  # so that the warm sample follows a step, not a flush
            for cold in (False, True):
                if cold:
                    flush *= 1.0
                start = time.perf_counter()
                step()
                timed[cold].append(time.perf_counter() - start)
    finally:
        gc.enable()
    return float(np.median(timed[False])), float(np.median(timed[True]))


def main() -> None:
    results: dict[str, float] = {}
    x, y, params = bt.mlp_data()
    steps = {"ours": bt.make_step_ours_nn(x, y, params), "replay": make_step_replay(x, y, params),
             "numpy": bt.make_step_numpy(x, y, params)}
    losses = {name: [step() for _ in range(3)] for name, step in steps.items()}
    for name, values in losses.items():
        if not np.allclose(values, losses["numpy"], rtol=1e-4):
            raise SystemExit(f"MLP step: {name} losses {values} differ from numpy's {losses['numpy']}")
    for name, seconds in interleaved(steps, 42, rounds=42).items():
        results[f"mlp_{name}_ms"] = seconds * 1e3
    results["ours_vs_replay"] = results["mlp_ours_ms"] / results["mlp_replay_ms"]
    results["replay_vs_numpy"] = results["mlp_replay_ms"] / results["mlp_numpy_ms"]
    results["ours_vs_numpy"] = results["mlp_ours_ms"] / results["mlp_numpy_ms"]

    x, y, params = bt.mlp_data(sizes=(4, 4, 4, 2), batch=4)
    tiny = {"ours": bt.make_step_ours_nn(x, y, params), "numpy": bt.make_step_numpy(x, y, params)}
    for name, step in tiny.items():
        warm, cold = warm_and_cold(step, 3000)
        results[f"tiny_{name}_warm_us"] = warm * 1e6
        results[f"tiny_{name}_cold_us"] = cold * 1e6
    results["tiny_gap_warm_us"] = results["tiny_ours_warm_us"] - results["tiny_numpy_warm_us"]
    results["tiny_gap_cold_us"] = results["tiny_ours_cold_us"] - results["tiny_numpy_cold_us"]

    bt.print_results(results)


if __name__ == "__main__":
    main()
