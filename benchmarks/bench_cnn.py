"""CNN training step (forward + backward) in chaingrad against PyTorch, measured in the same run.

The network (batch 32, float32, 1x28x28 images, 10 classes):

    conv 1->8 3x3 pad 1, ReLU, maxpool 2, conv 8->16 3x3 pad 1, ReLU, maxpool 2, flatten, linear 784->10,
    cross-entropy (mean over the batch)

Both engines start from the same weights and inputs; the losses and gradients are compared before timing.
PyTorch runs with as many intra-op threads as numpy's OpenBLAS uses (and, for reference, with one thread).
Both are measured twice: with glibc's default malloc settings, under which chaingrad's large temporaries are
returned to the OS and page-faulted in again every step (about 1500 faults, ~3 ms, per step here), and with
the trim/mmap thresholds raised (mallopt, process-wide, for both engines).

Run: ``.venv/bin/python benchmarks/bench_cnn.py`` (``--repeats N``, ``--json PATH`` to save the figures).
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import json
import os
import platform
from typing import Callable

import numpy as np
from bench_tensor import TORCH_SETTLE
from timing import interleaved_rounds, paired_ratio

import autograd
from autograd import Tensor
from autograd.memory import keep_freed_memory
from nn.layers import Conv2d, Flatten, Linear, MaxPool2d, ReLU
from nn.losses import cross_entropy
from nn.module import Sequential

try:
    import torch
except ImportError:  # the torch extra is optional
    torch = None

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


def tune_malloc() -> bool:
    """Keep freed blocks in the heap (see autograd.memory); it affects both engines, since PyTorch's CPU
    tensors also come from malloc. False where the C library is not glibc."""
    return keep_freed_memory()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--json", default="")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x_np = rng.standard_normal((BATCH, 1, 28, 28)).astype(np.float32)
    y_np = rng.integers(0, CLASSES, BATCH).astype(np.int64)
    ours = build_ours()
    params = list(ours.parameters())

    def step_ours() -> float:
        for p in params:
            p.grad = None
        loss = cross_entropy(ours(Tensor(x_np)), y_np)
        loss.backward()
        return loss.item()

    threads = blas_threads()
    report: dict = {"batch": BATCH, "dtype": "float32", "numpy": np.__version__, "cpu_count": os.cpu_count(),
                    "openblas_threads": threads, "machine": platform.machine(), "repeats": args.repeats}
    print(f"CNN training step, batch {BATCH}, float32, 1x28x28 -> conv8 -> pool -> conv16 -> pool -> "
          f"linear 10, cross-entropy; {args.repeats} samples each")
    print(f"numpy {np.__version__}, OpenBLAS threads {threads}, {os.cpu_count()} CPUs")
    fns: dict[str, Callable[[], object]] = {"chaingrad": step_ours}
    matched = threads or os.cpu_count() or 1
    if torch is None:
        print("torch is not installed: no comparison")
    else:
        net = build_torch(ours)
        x_t, y_t = torch.from_numpy(x_np), torch.from_numpy(y_np)

        def step_torch() -> float:
            net.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(net(x_t), y_t)
            loss.backward()
            return loss.item()

        def step_torch_1() -> float:
            torch.set_num_threads(1)
            try:
                return step_torch()
            finally:
                torch.set_num_threads(matched)

        torch.set_num_threads(matched)
        # same math: same loss and gradients before timing
        l_ours, l_torch = step_ours(), step_torch()
        worst = max(float(np.abs(p.grad.data - q.grad.numpy()).max())
                    for p, q in zip(params, net.parameters()))
        print(f"torch {torch.__version__}; check: loss {l_ours:.6f} vs torch {l_torch:.6f}, "
              f"max |grad difference| {worst:.2e}")
        fns[f"torch ({matched} threads)"] = step_torch
        if matched != 1:  # on a small or busy machine torch may be faster on one thread: report it too
            fns["torch (1 thread)"] = step_torch_1
        report.update(torch=torch.__version__, torch_threads=matched)

    for setting, tune in (("glibc malloc defaults", False), ("malloc trim/mmap thresholds raised", True)):
        if tune and not tune_malloc():
            print("(cannot tune malloc here: not glibc)")
            break
        # 25 rounds of 4 samples each, with a pause before each sample: torch's and numpy's worker
        # threads keep spinning after a call and would slow the other library's next step
        rounds = interleaved_rounds(fns, args.repeats, rounds=25, warmups=3, settle=TORCH_SETTLE)
        times = {name: min(t) for name, t in rounds.items()}
        print(f"\n[{setting}]")
        t_ours = times["chaingrad"]
        for name, t in times.items():
            ratio = ""
            if name != "chaingrad":
                median, q1, q3 = paired_ratio(rounds, "chaingrad", name)
                ratio = (f"   chaingrad / this = {t_ours / t:.2f}x (best times), {median:.2f}x (median of "
                         f"rounds, quartiles {q1:.2f}-{q3:.2f})")
            print(f"  {name:20s} {t * 1e3:8.3f} ms/step{ratio}")
        report[setting] = {name: t * 1e3 for name, t in times.items()}
    print("\ntarget: chaingrad <= 1.5x torch")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=2)


if __name__ == "__main__":
    main()
