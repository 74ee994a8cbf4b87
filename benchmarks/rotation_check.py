"""Does a third step in the rotation change ours / numpy? The check behind bench_tensor.py's pairing.

Run: ``python benchmarks/rotation_check.py [pairs]`` (about 15 s per pair). Each pair starts two fresh
processes, one after the other: one times ours and numpy taking turns alone (``two``), the other with
``ours_ops`` in the same rotation (``three``), 42 rounds each as in bench_tensor.py. Each prints the
median of ours / numpy over its rounds, with quartiles and the ratio of the best times.
"""

from __future__ import annotations

import subprocess
import sys

import bench_tensor as bt
from timing import interleaved_rounds, paired_ratio

ROUNDS = 42


def run(kind: str) -> None:
    bt.load_torch()  # loaded in bench_tensor.py's process too
    x, y, params = bt.mlp_data()
    steps = {"ours": bt.make_step_ours_nn(x, y, params), "numpy": bt.make_step_numpy(x, y, params)}
    if kind == "three":
        steps = {"ours": steps["ours"], "ours_ops": bt.make_step_ours(x, y, params), "numpy": steps["numpy"]}
    rounds = interleaved_rounds(steps, ROUNDS, rounds=ROUNDS)
    median, q1, q3 = paired_ratio(rounds, "ours", "numpy")
    best = min(rounds["ours"]) / min(rounds["numpy"])
    print(f"{kind:<5}  ours / numpy median {median:.3f} (quartiles {q1:.3f}-{q3:.3f}), best times {best:.3f}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("two", "three"):
        run(sys.argv[1])
        return
    pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for _ in range(pairs):
        for kind in ("two", "three"):
            subprocess.run([sys.executable, __file__, kind], check=True)


if __name__ == "__main__":
    main()
