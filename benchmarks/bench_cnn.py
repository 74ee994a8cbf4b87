"""CNN training step (forward + backward) in chaingrad against PyTorch, measured in the same run.

The network (batch 32, float32, 1x28x28 images, 10 classes):

    conv 1->8 3x3 pad 1, ReLU, maxpool 2, conv 8->16 3x3 pad 1, ReLU, maxpool 2, flatten, linear 784->10,
    cross-entropy (mean over the batch)

Both engines start from the same weights and inputs; the losses and gradients are compared before timing.
Each engine then runs alone, in processes of its own (``--worker NAME``, ``timing.isolated_rounds``).
PyTorch runs with as many intra-op threads as numpy's OpenBLAS uses (and, for reference, with one thread).
chaingrad keeps freed memory for reuse from its first backward pass on (``autograd.memory``); it also runs
with glibc's default malloc settings, under which its large temporaries are returned to the OS and
page-faulted in again every step, and torch also runs with the memory setting chaingrad uses.

Run: ``.venv/bin/python benchmarks/bench_cnn.py`` (``--rounds N``, ``--json PATH`` to save the figures).
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import json
import os
import platform
from typing import Any, Callable

import numpy as np
from bench_tensor import load_torch
from timing import isolated_ratio, isolated_rounds, worker_samples

import autograd
from autograd import Tensor
from autograd.memory import keep_freed_memory
from nn.layers import Conv2d, Flatten, Linear, MaxPool2d, ReLU
from nn.losses import cross_entropy
from nn.module import Sequential

torch: Any = None  # imported on demand (use_torch), so that chaingrad's workers run without it

BATCH, CLASSES = 32, 10


def blas_threads() -> int | None:
    """Threads of numpy's OpenBLAS (None when it cannot be asked)."""
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
                     "openblas_get_num_threads"):
            fn = getattr(lib, name, None)
            if fn is not None:
                return int(fn())
    return None


def build_ours() -> Sequential:
    autograd.manual_seed(0)
    return Sequential(
        Conv2d(1, 8, 3, padding=1), ReLU(), MaxPool2d(2),
        Conv2d(8, 16, 3, padding=1), ReLU(), MaxPool2d(2),
        Flatten(), Linear(16 * 7 * 7, CLASSES),
    )


def build_torch(ours: Sequential):
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, CLASSES),
    )
    net.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in ours.state_dict().items()})
    return net


def use_torch() -> bool:
    """Import torch for this module's torch functions; False without the torch extra."""
    global torch
    torch = load_torch()
    return torch is not None


def make_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x_np = rng.standard_normal((BATCH, 1, 28, 28)).astype(np.float32)
    y_np = rng.integers(0, CLASSES, BATCH).astype(np.int64)
    return x_np, y_np


def make_step_ours(ours: Sequential, x_np: np.ndarray, y_np: np.ndarray) -> Callable[[], float]:
    params = list(ours.parameters())

    def step() -> float:
        for p in params:
            p.grad = None
        loss = cross_entropy(ours(Tensor(x_np)), y_np)
        loss.backward()
        return loss.item()

    return step


def make_step_torch(net, x_np: np.ndarray, y_np: np.ndarray) -> Callable[[], float]:
    x_t, y_t = torch.from_numpy(x_np), torch.from_numpy(y_np)

    def step() -> float:
        net.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(net(x_t), y_t)
        loss.backward()
        return loss.item()

    return step


WORKERS = {
    "chaingrad": "chaingrad as it runs by default (freed memory kept, from its first backward pass)",
    "chaingrad-glibc": "chaingrad with CHAINGRAD_KEEP_FREED_MEMORY=0 (glibc's malloc defaults)",
    "torch": "torch, as many threads as numpy's OpenBLAS, glibc's malloc defaults",
    "torch-kept": "torch, the same threads, with freed memory kept as chaingrad keeps it",
    "torch-1": "torch, one thread",
}


def run_worker(name: str, samples: int) -> None:
    """Time one engine's step alone in this process and print its sample times (a JSON list)."""
    if name == "chaingrad-glibc":
        os.environ["CHAINGRAD_KEEP_FREED_MEMORY"] = "0"
    x_np, y_np = make_data()
    ours = build_ours()
    if name.startswith("chaingrad"):
        step = make_step_ours(ours, x_np, y_np)
    else:
        if not use_torch():
            raise SystemExit("bench_cnn: torch workers need the torch extra")
        torch.set_num_threads(1 if name == "torch-1" else blas_threads() or os.cpu_count() or 1)
        if name == "torch-kept":
            keep_freed_memory()
        step = make_step_torch(build_torch(ours), x_np, y_np)
    print(json.dumps(worker_samples(step, samples)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=6, help="processes per engine")
    parser.add_argument("--samples", type=int, default=40, help="timed samples per process")
    parser.add_argument("--json", default="")
    parser.add_argument("--worker", choices=sorted(WORKERS),
                        help="time this engine's step alone and print its sample times (used internally)")
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.samples)
        return

    threads = blas_threads()
    report: dict = {"batch": BATCH, "dtype": "float32", "numpy": np.__version__, "cpu_count": os.cpu_count(),
                    "openblas_threads": threads, "machine": platform.machine(), "rounds": args.rounds}
    print(f"CNN training step, batch {BATCH}, float32, 1x28x28 -> conv8 -> pool -> conv16 -> pool -> "
          f"linear 10, cross-entropy; each engine alone in {args.rounds} processes of {args.samples} samples")
    print(f"numpy {np.__version__}, OpenBLAS threads {threads}, {os.cpu_count()} CPUs")
    names = ["chaingrad", "chaingrad-glibc"]
    if not use_torch():
        print("torch is not installed: no comparison")
    else:
        # same math: same loss and gradients before timing
        x_np, y_np = make_data()
        ours = build_ours()
        net = build_torch(ours)
        l_ours, l_torch = make_step_ours(ours, x_np, y_np)(), make_step_torch(net, x_np, y_np)()
        worst = max(float(np.abs(p.grad.data - q.grad.numpy()).max())
                    for p, q in zip(ours.parameters(), net.parameters()))
        print(f"torch {torch.__version__}; check: loss {l_ours:.6f} vs torch {l_torch:.6f}, "
              f"max |grad difference| {worst:.2e}")
        names += ["torch", "torch-kept", "torch-1"]
        report["torch"] = torch.__version__
    # Each engine runs alone in processes of its own (timing.isolated_rounds), as users run them: in one
    # process, each library's worker threads slow the other's next step, and torch's allocations change
    # the state of the allocator that our large temporaries come from.
    alone = isolated_rounds([__file__, "--samples", str(args.samples), "--worker"], names, args.rounds)
    print()
    for name in names:
        best = min(map(min, alone[name]))
        line = f"  {name:16s} {best * 1e3:7.3f} ms/step (best)"
        if name.startswith("torch"):
            median, q1, q3, of_best = isolated_ratio(alone, "chaingrad", name)
            line += (f"   chaingrad / this = {median:.2f}x (median of rounds, quartiles {q1:.2f}-{q3:.2f}), "
                     f"{of_best:.2f}x (best times)")
            report[f"chaingrad_vs_{name}"] = {"median": median, "q1": q1, "q3": q3, "of_best": of_best}
        report[f"{name}_best_ms"] = best * 1e3
        print(f"{line}\n  {'':16s} {WORKERS[name]}")
    median, q1, q3, of_best = isolated_ratio(alone, "chaingrad-glibc", "chaingrad")
    print(f"\nglibc's defaults / freed memory kept, chaingrad: {median:.2f}x (median, quartiles "
          f"{q1:.2f}-{q3:.2f})")
    report["glibc_vs_kept"] = {"median": median, "q1": q1, "q3": q3, "of_best": of_best}
    print("target: chaingrad <= 1.5x torch")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=2)


if __name__ == "__main__":
    main()
