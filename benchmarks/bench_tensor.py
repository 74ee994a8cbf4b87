"""Tensor engine benchmarks: per-op overhead and an MLP training step, against numpy by hand and torch.

Run: ``python benchmarks/bench_tensor.py`` (add ``--quick`` for fewer repeats). Every figure is measured
in this one invocation, the engines taking turns round by round, so the ratios compare like with like on
the same machine and load. Steps compared with torch's run in processes of their own
(``--worker NAME`` times one engine alone; see ``timing.isolated_rounds``).
"""

from __future__ import annotations

import argparse
import gc
import json
import tracemalloc
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np
from timing import (
    interleaved,
    interleaved_rounds,
    isolated_ratio,
    isolated_rounds,
    paired_ratio,
    worker_samples,
)

import autograd
import nn.functional as F_ours
from autograd import Tensor
from autograd.memory import keep_freed_memory
from nn.layers import Linear, ReLU
from nn.losses import CrossEntropyLoss
from nn.module import Sequential
from nn.optim import SGD

torch: Any = None  # imported by load_torch(), so that a worker timing another engine runs without it


def load_torch() -> Any:
    """torch, or None where the optional torch extra is not installed."""
    global torch
    try:
        import torch as module
    except ImportError:
        return None
    torch = module
    return torch


# ----------------------------------------------------------------------------- per-op overhead
CHAIN = 10_000


def chain_ours() -> None:
    x = Tensor(np.ones((4, 4)), requires_grad=True)
    c = Tensor(np.full((4, 4), 0.5))
    y = x
    for _ in range(CHAIN):
        y = y + c
    y.backward(np.ones((4, 4)))


def chain_numpy() -> None:
    x = np.ones((4, 4))
    c = np.full((4, 4), 0.5)
    y = x
    for _ in range(CHAIN):
        y = y + c
    g = np.ones((4, 4))
    for _ in range(CHAIN):  # the backward of an add passes the gradient through
        g = g + 0.0


def chain_torch() -> None:
    x = torch.ones((4, 4), dtype=torch.float64, requires_grad=True)
    c = torch.full((4, 4), 0.5, dtype=torch.float64)
    y = x
    for _ in range(CHAIN):
        y = y + c
    y.backward(torch.ones((4, 4), dtype=torch.float64))


# ----------------------------------------------------------------------------- MLP step
SIZES = (784, 256, 128, 10)
BATCH = 128
LR = 0.01


def mlp_data(seed: int = 0, sizes: tuple[int, ...] = SIZES,
             batch: int = BATCH) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Inputs, labels and (weight, bias) pairs of an MLP with layer widths ``sizes``; the steps below
    read their sizes from these arrays."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], batch)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        bound = 1.0 / np.sqrt(n_in)
        params.append(rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, n_out).astype(np.float32))
    return x, y, params


def mlp_logits(x: Any, ps: list) -> Any:
    """The MLP's forward pass, the same code for our tensors and torch's."""
    h = x
    for i in range(0, len(ps), 2):
        h = h @ ps[i].T + ps[i + 1]
        if i + 2 < len(ps):
            h = h.relu()
    return h


def mlp_logits_functional(x: Any, ps: list, F: Any) -> Any:
    """The same forward pass through the library's ``linear`` and ``relu`` (ours' nn.functional or
    torch.nn.functional), as nn.Linear layers run it."""
    h = x
    for i in range(0, len(ps), 2):
        h = F.linear(h, ps[i], ps[i + 1])
        if i + 2 < len(ps):
            h = F.relu(h)
    return h


def _our_sgd_step(ps: list[Tensor], loss_of: Callable[[], Tensor]) -> Callable[[], float]:
    """A step of our engine: the loss ``loss_of()`` computes, backward, and a plain SGD update."""

    def step() -> float:
        loss = loss_of()
        for p in ps:
            p.grad = None
        loss.backward()
        for p in ps:
            p.data -= LR * p.grad.data
        return float(loss.data)

    return step


def make_step_ours_nn(x: np.ndarray, y: np.ndarray, params: list[np.ndarray]) -> Callable[[], float]:
    """Our step as a user of nn writes it: F.linear and F.cross_entropy with integer labels."""
    ps = [Tensor(p.copy(), requires_grad=True) for p in params]
    xt, yt = Tensor(x), Tensor(y)
    return _our_sgd_step(ps, lambda: F_ours.cross_entropy(mlp_logits_functional(xt, ps, F_ours), yt))


def make_step_ours(x: np.ndarray, y: np.ndarray, params: list[np.ndarray]) -> Callable[[], float]:
    """Our step written with tensor operations: matmul, add, relu and a log-softmax loss."""
    ps = [Tensor(p.copy(), requires_grad=True) for p in params]
    xt = Tensor(x)
    batch = len(x)
    onehot = np.zeros((batch, len(params[-1])), dtype=np.float32)
    onehot[np.arange(batch), y] = 1.0
    target = Tensor(onehot)
    return _our_sgd_step(
        ps, lambda: -(autograd.log_softmax(mlp_logits(xt, ps), axis=1) * target).sum() * (1.0 / batch))


def make_step_numpy(x: np.ndarray, y: np.ndarray, params: list[np.ndarray]) -> Callable[[], float]:
    ps = [p.copy() for p in params]
    batch = len(x)
    rows = np.arange(batch)

    def step() -> float:
        acts = [x]
        h = x
        for i in range(0, len(ps), 2):
            h = h @ ps[i].T + ps[i + 1]
            if i + 2 < len(ps):
                h = np.maximum(h, 0)
            acts.append(h)
        z = h - h.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -logp[rows, y].mean()
        g = np.exp(logp)
        g[rows, y] -= 1.0
        g /= batch
        grads = [None] * len(ps)
        for i in range(len(ps) - 2, -1, -2):
            a_in = acts[i // 2]
            grads[i] = g.T @ a_in
            grads[i + 1] = g.sum(axis=0)
            if i > 0:
                g = (g @ ps[i]) * (a_in > 0)
        for p, gp in zip(ps, grads):
            p -= LR * gp
        return float(loss)

    return step


def _modules_step(x: np.ndarray, y: np.ndarray, params: list[np.ndarray], lib: Any) -> Callable[[], float]:
    """The step as a training loop is usually written, with ``lib``'s Linear and ReLU modules in a
    Sequential, its CrossEntropyLoss module and its SGD optimizer. ``lib.as_input`` wraps an array and
    ``lib.assign(p, value)`` sets a parameter."""
    layers: list[Any] = []
    for i in range(0, len(params), 2):
        layers += [lib.Linear(params[i].shape[1], params[i].shape[0]), lib.ReLU()]
    net = lib.Sequential(*layers[:-1])
    for p, value in zip(net.parameters(), params):
        lib.assign(p, value)
    opt, loss_fn = lib.SGD(net.parameters(), lr=LR), lib.CrossEntropyLoss()
    xt, yt = lib.as_input(x), lib.as_input(y)

    def step() -> float:
        opt.zero_grad()
        loss = loss_fn(net(xt), yt)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def make_step_ours_modules(x: np.ndarray, y: np.ndarray, params: list[np.ndarray]) -> Callable[[], float]:
    """Our step with nn's modules, loss module and SGD optimizer."""
    lib = SimpleNamespace(Linear=Linear, ReLU=ReLU, Sequential=Sequential, CrossEntropyLoss=CrossEntropyLoss,
                          SGD=SGD, as_input=Tensor, assign=lambda p, value: p.data.__setitem__(..., value))
    return _modules_step(x, y, params, lib)


def make_step_torch_modules(x: np.ndarray, y: np.ndarray, params: list[np.ndarray]) -> Callable[[], float]:
    """torch's step with torch.nn's modules, loss module and torch.optim.SGD."""

    def assign(p: Any, value: np.ndarray) -> None:
        with torch.no_grad():
            p.copy_(torch.from_numpy(value))

    lib = SimpleNamespace(Linear=torch.nn.Linear, ReLU=torch.nn.ReLU, Sequential=torch.nn.Sequential,
                          CrossEntropyLoss=torch.nn.CrossEntropyLoss, SGD=torch.optim.SGD,
                          as_input=torch.from_numpy, assign=assign)
    return _modules_step(x, y, params, lib)


def make_step_torch(x: np.ndarray, y: np.ndarray, params: list[np.ndarray]) -> Callable[[], float]:
    """torch's step as its users write it: F.linear (one addmm per layer) and F.cross_entropy."""
    ps = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y)

    def step() -> float:
        h = mlp_logits_functional(xt, ps, torch.nn.functional)
        loss = torch.nn.functional.cross_entropy(h, yt)
        for p in ps:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in ps:
                p -= LR * p.grad
        return loss.item()

    return step


def peak_bytes(fn: Callable[[], object]) -> int:
    """Peak bytes allocated (numpy buffers included) while ``fn`` runs, over what was live before."""
    fn()
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


WORKER_STEPS = {"ours": make_step_ours_nn, "ours_ops": make_step_ours, "numpy": make_step_numpy,
                "torch": make_step_torch, "torch_kept": make_step_torch,
                "ours_modules": make_step_ours_modules, "torch_modules": make_step_torch_modules}
"""The steps --worker times. ``torch_kept`` is torch with freed memory kept in the process, as our first
backward pass sets it (autograd.memory); ``torch`` runs with glibc's defaults, as torch users do."""


def run_worker(name: str, samples: int) -> None:
    """Time one engine's MLP step alone in this process and print its sample times (a JSON list)."""
    if name.startswith("torch"):
        if load_torch() is None:
            raise SystemExit(f"bench_tensor: --worker {name} needs the torch extra")
        if name == "torch_kept":
            keep_freed_memory()
    print(json.dumps(worker_samples(WORKER_STEPS[name](*mlp_data()), samples)))


def check_losses(steps: dict[str, Callable[[], float]]) -> None:
    """Stop unless every step's first three losses agree with the numpy step's."""
    losses = {name: [step() for _ in range(3)] for name, step in steps.items()}
    for name, values in losses.items():
        if not np.allclose(values, losses["numpy"], rtol=1e-4):
            raise SystemExit(f"MLP step: {name} losses {values} differ from numpy's {losses['numpy']}")


def record_ratio(results: dict[str, float], key: str, median: float, q1: float, q3: float,
                 of_best: float) -> None:
    results[key] = median
    results[f"{key}_q1"] = q1
    results[f"{key}_q3"] = q3
    results[f"{key}_of_best"] = of_best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--worker", choices=sorted(WORKER_STEPS),
                        help="time this engine's MLP step alone and print its sample times (used internally)")
    parser.add_argument("--samples", type=int, default=40, help="timed samples per --worker process")
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.samples)
        return
    repeats = 3 if args.quick else 7
    results: dict[str, float] = {}
    load_torch()

    chains = {"ours": chain_ours, "numpy": chain_numpy}
    if torch is not None:
        chains["torch"] = chain_torch
    for name, seconds in interleaved(chains, repeats, rounds=repeats).items():
        results[f"chain_{name}_us_per_op"] = seconds / CHAIN * 1e6
    if torch is not None:
        results["torch_threads"] = torch.get_num_threads()
        results["chain_ratio_vs_torch"] = results["chain_ours_us_per_op"] / results["chain_torch_us_per_op"]

    x, y, params = mlp_data()
    # "ours" is the step as nn users write it (fused linear and cross-entropy), the headline figure like
    # torch's; "ours_ops" writes the same step with matmul, add and log_softmax, to show the engine's
    # per-op cost.
    steps = {"ours": make_step_ours_nn(x, y, params), "ours_ops": make_step_ours(x, y, params),
             "numpy": make_step_numpy(x, y, params)}
    extra = {"ours_modules": make_step_ours_modules(x, y, params)}
    if torch is not None:
        extra.update(torch=make_step_torch(x, y, params), torch_modules=make_step_torch_modules(x, y, params))
    check_losses({**steps, **extra})
    # ours against numpy in this process: the same BLAS, so no library's threads slow the other's. A timed
    # sample is about 20 ms of back-to-back steps and the two engines alternate sample by sample, so that
    # no engine's best time comes from a faster spell of the machine. Each comparison has rounds of its
    # own with only its two steps: a third engine in the rotation leaves its arrays in the cache and the
    # allocator for whichever step follows it (docs/benchmarks.md).
    n_rounds = repeats * 6
    for key, name in (("ratio", "ours"), ("ops_ratio", "ours_ops")):
        rounds = interleaved_rounds({name: steps[name], "numpy": steps["numpy"]}, n_rounds, rounds=n_rounds)
        for engine, seconds in rounds.items():
            fastest = min(seconds) * 1e3
            results[f"mlp_{engine}_ms"] = min(results.get(f"mlp_{engine}_ms", fastest), fastest)
        # the median of the rounds' ratios (timing.paired_ratio), with its quartiles, and the ratio of the
        # best times
        record_ratio(results, f"mlp_{key}_vs_numpy", *paired_ratio(rounds, name, "numpy"),
                     min(rounds[name]) / min(rounds["numpy"]))
    if torch is not None:
        # against torch each engine runs alone in a process of its own, as users run them
        alone = isolated_rounds([__file__, "--samples", str(20 if args.quick else 40), "--worker"],
                                ["ours", "numpy", "torch", "torch_kept", "ours_modules", "torch_modules"],
                                rounds=3 if args.quick else 8)
        for name, samples in alone.items():
            results[f"mlp_alone_{name}_ms"] = min(map(min, samples)) * 1e3
        for key, name, peer in (("ratio_vs_torch", "ours", "torch"),
                                ("ratio_vs_torch_kept", "ours", "torch_kept"),
                                ("numpy_vs_torch", "numpy", "torch"),
                                ("modules_ratio_vs_torch", "ours_modules", "torch_modules"),
                                ("alone_ratio_vs_numpy", "ours", "numpy")):
            record_ratio(results, f"mlp_{key}", *isolated_ratio(alone, name, peer))
    results["mlp_ours_peak_MiB"] = peak_bytes(steps["ours"]) / 2**20
    results["mlp_numpy_peak_MiB"] = peak_bytes(steps["numpy"]) / 2**20
    results["mlp_peak_ratio_vs_numpy"] = results["mlp_ours_peak_MiB"] / results["mlp_numpy_peak_MiB"]

    print_results(results)


def print_results(results: dict[str, float]) -> None:
    """One aligned line per figure, then all of them as one JSON line."""
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value:10.3f}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
