"""Scalar engine benchmark: chaingrad's Value against micrograd 0.1.0 and plain Python floats.

Everything is measured in one run on one machine, so only the ratios mean something.

(a) chain:  a chain of N scalar operations (y = y * a, y = y + 0.5, y = relu(y), repeated), forward and
            backward, reported in microseconds per operation. Plain floats run the same arithmetic with a
            hand-written reverse pass (no graph objects): the floor any engine pays on top of.
(b) train:  one training step (forward, backward, SGD update) of micrograd's demo: an MLP 2-16-16-1 on
            100 two-moons points, SVM max-margin loss plus 1e-4 * sum(p * p), learning rate
            1 - 0.9 k / 100, both engines starting from the same weights. The losses of the first steps
            must agree to 1e-12 (asserted): the two engines do the same arithmetic in the same order.

Timing: time.perf_counter, best of several repeats, engines interleaved. The cyclic garbage collector
is switched off inside every timed region and run between repeats, and each timed region returns its
graph so that freeing it is never timed, for either engine (micrograd's closures form reference cycles
that only the collector frees; chaingrad's graphs have none).

Run:  .venv/bin/python benchmarks/bench_value.py          (or `make bench`)
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

import numpy as np  # noqa: E402

from autograd.value import Value, value_sum  # noqa: E402
from nn.scalar import MLP  # noqa: E402

try:
    import micrograd  # noqa: F401
    from micrograd.engine import Value as MValue
    from micrograd.nn import MLP as MMLP
except ImportError:  # pragma: no cover - the message is the point
    sys.exit("bench_value.py needs micrograd 0.1.0 as its peer: pip install -e '.[bench]' (or make bench)")

RESULTS = ROOT / "benchmarks" / "results" / "value.json"


# --------------------------------------------------------------------------- timing
def timed(fn: Callable[[], Any]) -> float:
    """Seconds for one call of ``fn``, the collector off; what it returns is freed after the clock stops."""
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        keep = fn()
        t1 = time.perf_counter()
    finally:
        gc.enable()
    del keep
    gc.collect()
    return t1 - t0


# --------------------------------------------------------------------------- (a) chain
def chain(value_class: Any, n: int) -> tuple[Any, Any, Any]:
    """The benchmark's chain, built and differentiated with ``value_class`` (ours or micrograd's)."""
    x, a = value_class(1.0), value_class(0.999)
    y = x
    for i in range(n):
        r = i % 3
        if r == 0:
            y = y * a
        elif r == 1:
            y = y + 0.5
        else:
            y = y.relu()
    y.backward()
    return y, x, a


def chain_floats(n: int) -> tuple[float, float, float]:
    """The same chain on floats with a hand-written reverse pass: returns y, dy/dx, dy/da."""
    x, a = 1.0, 0.999
    y = x
    tape = []  # what each backward step needs: the multiplier's operand, or the relu's input sign
    for i in range(n):
        r = i % 3
        if r == 0:
            tape.append(y)
            y = y * a
        elif r == 1:
            tape.append(None)
            y = y + 0.5
        else:
            tape.append(y > 0.0)
            y = y if y > 0.0 else 0.0
    g, ga = 1.0, 0.0
    for i in range(n - 1, -1, -1):
        r = i % 3
        if r == 0:
            ga += g * tape[i]
            g = g * a
        elif r == 2 and not tape[i]:
            g = 0.0
    return y, g, ga


def bench_chain(n: int, repeats: int) -> dict[str, Any]:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * n + 1000))  # micrograd's recursive toposort
    y1, x1, a1 = chain(Value, n)
    y2, x2, a2 = chain(MValue, n)
    y3, gx3, ga3 = chain_floats(n)
    assert y1.data == y2.data == y3, (y1.data, y2.data, y3)
    assert abs(x1.grad - x2.grad) <= 1e-12 and abs(x1.grad - gx3) <= 1e-12, (x1.grad, x2.grad, gx3)
    assert abs(a1.grad - a2.grad) <= 1e-9 * abs(a1.grad) and abs(a1.grad - ga3) <= 1e-9 * abs(a1.grad)
    best = {"chaingrad": float("inf"), "micrograd": float("inf"), "floats": float("inf")}
    for _ in range(repeats):
        best["chaingrad"] = min(best["chaingrad"], timed(lambda: chain(Value, n)))
        best["micrograd"] = min(best["micrograd"], timed(lambda: chain(MValue, n)))
        best["floats"] = min(best["floats"], timed(lambda: chain_floats(n)))
    us = {k: v / n * 1e6 for k, v in best.items()}
    return {
        "ops": n,
        "us_per_op": us,
        "ratio_chaingrad_over_micrograd": us["chaingrad"] / us["micrograd"],
        "ratio_chaingrad_over_floats": us["chaingrad"] / us["floats"],
        "target_ratio": 0.5,
    }


# --------------------------------------------------------------------------- (b) training step
def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles (like sklearn's make_moons), labels -1 / +1, fixed seed."""
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out, t_in = np.linspace(0.0, np.pi, n_out), np.linspace(0.0, np.pi, n_in)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], axis=1)
    inner = np.stack([1.0 - np.cos(t_in), 1.0 - np.sin(t_in) - 0.5], axis=1)
    X = np.concatenate([outer, inner]) + rng.normal(scale=noise, size=(n, 2))
    y = np.concatenate([-np.ones(n_out), np.ones(n_in)])
    order = rng.permutation(n)
    return X[order].tolist(), y[order].tolist()


ALPHA = 1e-4


def step_ours(model: MLP, X: list[list[float]], y: list[float], k: int) -> Value:
    params = model.parameters()
    inputs = [[Value(a), Value(b)] for a, b in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = value_sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * value_sum(p * p for p in params)
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in params:
        p.data -= lr * p.grad
    return total


def step_micrograd(model: Any, X: list[list[float]], y: list[float], k: int) -> Any:
    # exactly micrograd's demo.ipynb loss() and update, minus the accuracy bookkeeping
    inputs = [list(map(MValue, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad
    return total


def twin_models(seed: int = 1337) -> tuple[MLP, Any]:
    random.seed(seed)
    theirs = MMLP(2, [16, 16, 1])
    ours = MLP(2, [16, 16, 1], seed=seed)
    mine, their_params = ours.parameters(), theirs.parameters()
    assert len(mine) == len(their_params) == 337
    for p, q in zip(mine, their_params):
        p.data = float(q.data)
    return ours, theirs


def bench_train(repeats: int, check_steps: int = 3) -> dict[str, Any]:
    X, y = make_moons()
    # correctness first: the same steps from the same weights give the same losses
    ours, theirs = twin_models()
    diffs, losses = [], []
    for k in range(check_steps + 1):  # the last loss is the one after `check_steps` updates
        lo, lm = step_ours(ours, X, y, k).data, float(step_micrograd(theirs, X, y, k).data)
        losses.append((lo, lm))
        diffs.append(abs(lo - lm))
    assert max(diffs) <= 1e-12, f"losses differ: {losses}"
    # then timing, continuing the same training (step k = check_steps + 1, ...)
    best = {"chaingrad": float("inf"), "micrograd": float("inf")}
    k = check_steps + 1
    for _ in range(repeats):
        best["chaingrad"] = min(best["chaingrad"], timed(lambda k=k: step_ours(ours, X, y, k)))
        best["micrograd"] = min(best["micrograd"], timed(lambda k=k: step_micrograd(theirs, X, y, k)))
        k += 1
    ms = {key: v * 1e3 for key, v in best.items()}
    return {
        "model": "MLP 2-16-16-1 (337 parameters), 100 points, SVM max-margin loss + 1e-4 L2",
        "ms_per_step": ms,
        "ratio_chaingrad_over_micrograd": ms["chaingrad"] / ms["micrograd"],
        "target_ratio": 0.3,
        "checked_steps": check_steps,
        "loss_after_checked_steps": {"chaingrad": losses[-1][0], "micrograd": losses[-1][1]},
        "max_abs_loss_difference": max(diffs),
    }


# --------------------------------------------------------------------------- report
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=10_000, help="length of the chain (default 10000)")
    parser.add_argument("--repeats", type=int, default=7, help="repeats of each chain measurement")
    parser.add_argument("--train-repeats", type=int, default=10, help="repeats of the training step")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write results ({RESULTS})")
    args = parser.parse_args(argv)

    chain = bench_chain(args.ops, args.repeats)
    train = bench_train(args.train_repeats)

    import micrograd as _m  # for its version, where it has one

    results = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "micrograd": getattr(_m, "__version__", "0.1.0"),
        "chain": chain,
        "train_step": train,
    }

    us, ms = chain["us_per_op"], train["ms_per_step"]
    ok = lambda r, t: "yes" if r <= t else "NO"  # noqa: E731
    print(f"Scalar engine, Python {results['python']} on {results['machine']} (best of repeats)\n")
    print(f"(a) chain of {chain['ops']} ops (mul, add const, relu), forward + backward, us/op")
    print(f"    {'chaingrad':<12}{'micrograd':<12}{'floats':<12}{'ours/micro':<12}{'target':<8}met")
    print(
        f"    {us['chaingrad']:<12.3f}{us['micrograd']:<12.3f}{us['floats']:<12.3f}"
        f"{chain['ratio_chaingrad_over_micrograd']:<12.3f}{'<= 0.5':<8}"
        f"{ok(chain['ratio_chaingrad_over_micrograd'], 0.5)}"
    )
    print(f"\n(b) training step, {train['model']}, ms/step")
    print(f"    {'chaingrad':<12}{'micrograd':<12}{'ours/micro':<12}{'target':<8}met")
    print(
        f"    {ms['chaingrad']:<12.2f}{ms['micrograd']:<12.2f}"
        f"{train['ratio_chaingrad_over_micrograd']:<12.3f}{'<= 0.3':<8}"
        f"{ok(train['ratio_chaingrad_over_micrograd'], 0.3)}"
    )
    print(
        f"    loss after {train['checked_steps']} steps: {train['loss_after_checked_steps']['chaingrad']!r} "
        f"(|difference| to micrograd, max over steps 0..{train['checked_steps']}: "
        f"{train['max_abs_loss_difference']:.1e})"
    )

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
