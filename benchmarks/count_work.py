"""Count the work of one MLP step instead of timing it: Python bytecodes, and machine instructions.

Run: ``python benchmarks/count_work.py`` (a few seconds: bytecodes only) or
``python benchmarks/count_work.py --instructions`` (about four minutes; needs valgrind).

Timings of the MLP step move by a few per cent with the machine's load and even with the memory layout
of the process, so a change worth 1 % cannot be seen in them. These counts are the same from run to run:

- **bytecodes**: Python instructions one step executes, per function (``sys.settrace`` with opcode
  events), for our step and the hand-written numpy step;
- **instructions**: machine instructions per step under valgrind's cachegrind, for our step, the
  ``replay`` step of ``diagnose_mlp.py`` (our step's numpy calls without the engine) and the numpy
  step. Each is run with ``--steps`` steps and with none, and the difference divided by ``--steps``,
  so that start-up does not count. BLAS runs on one thread there.

Both use the tiny 4-4-4-2 network with ``--tiny``, where the arrays cost next to nothing.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from typing import Callable

sys.modules.setdefault("torch", None)  # type: ignore[arg-type]  # not needed here, and slow to load
import bench_tensor as bt  # noqa: E402
import diagnose_mlp as dm  # noqa: E402

MAKERS: dict[str, Callable] = {"ours": bt.make_step_ours_nn, "replay": dm.make_step_replay,
                               "numpy": bt.make_step_numpy}
TINY = {"sizes": (4, 4, 4, 2), "batch": 4}


def make_step(mode: str, tiny: bool) -> Callable[[], float]:
    x, y, params = bt.mlp_data(**(TINY if tiny else {}))
    step = MAKERS[mode](x, y, params)
    for _ in range(3):  # past the first calls, which import and specialize
        step()
    return step


def bytecodes(mode: str, tiny: bool) -> collections.Counter:
    """Bytecodes one step executes, per (file, function)."""
    step = make_step(mode, tiny)
    counts: collections.Counter = collections.Counter()

    def tracer(frame, event, arg):  # noqa: ANN001, ANN202 - sys.settrace's protocol
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            counts[f"{os.path.basename(code.co_filename)}:{code.co_name}"] += 1
        return tracer

    sys.settrace(tracer)
    try:
        step()
    finally:
        sys.settrace(None)
    return counts


def instructions(mode: str, tiny: bool, steps: int) -> float:
    """Machine instructions per step of ``mode``, by cachegrind."""
    totals = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in (0, steps):
            out = os.path.join(tmp, f"cg.{k}")
            cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}",
                   sys.executable, __file__, "--child", mode, str(k)] + (["--tiny"] if tiny else [])
            subprocess.run(cmd, check=True, capture_output=True,
                           env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0"})
            with open(out) as f:
                summary = re.search(r"^summary:\s+(\d+)", f.read(), re.MULTILINE)
            if summary is None:
                raise SystemExit(f"count_work: no summary line in cachegrind's output {out}")
            totals.append(int(summary.group(1)))
    return (totals[1] - totals[0]) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="the 4-4-4-2 network with batch 4")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    parser.add_argument("--steps", type=int, default=20, help="steps per cachegrind run (default 20)")
    parser.add_argument("--top", type=int, default=15, help="functions to list (default 15)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "STEPS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # a run under valgrind: build the step, then take STEPS steps
        step = make_step(args.child[0], args.tiny)
        for _ in range(int(args.child[1])):
            step()
        return

    ours, numpy_counts = bytecodes("ours", args.tiny), bytecodes("numpy", args.tiny)
    print(f"bytecodes per step: ours {sum(ours.values())}, numpy {sum(numpy_counts.values())}")
    for name, n in ours.most_common(args.top):
        print(f"  {n:6d}  {name}")
    if args.instructions:
        per_step = {mode: instructions(mode, args.tiny, args.steps) for mode in MAKERS}
        for mode, n in per_step.items():
            print(f"instructions per step, {mode}: {n:,.0f}")
        print(f"ours - replay: {per_step['ours'] - per_step['replay']:,.0f}; "
              f"ours - numpy: {per_step['ours'] - per_step['numpy']:,.0f}")


if __name__ == "__main__":
    main()
