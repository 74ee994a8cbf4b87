"""Time one engine's MLP step at two git revisions, each alone in its own processes, taking turns.

Run: ``python benchmarks/compare_commits.py OLD NEW`` (``--rounds``, ``--worker``; about 4 s a round).

A change worth a few per cent cannot be judged from two benchmark runs made minutes apart: the machine's
speed drifts by more than that. Here each round starts one process per revision, in turn, each timing the
step with ``bench_tensor.py --worker`` (a fresh interpreter, 40 samples), so that a drift of the machine
hits both alike. Each revision is checked out once, into a temporary git worktree, and imported from
there (``PYTHONPATH``); the same virtual environment runs both. Reported: each round's medians, the median
over rounds of each revision's median, and of the ratio NEW / OLD round by round.

Example: ``python benchmarks/compare_commits.py f2fbede HEAD --rounds 8`` compares this session's start
with the current commit.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker_median(tree: Path, worker: str, samples: int) -> float:
    """The median sample, in seconds, of one ``bench_tensor.py --worker`` process run from ``tree``."""
    out = subprocess.run(
        [sys.executable, str(tree / "benchmarks" / "bench_tensor.py"), "--worker", worker,
         "--samples", str(samples)],
        cwd=tree / "benchmarks", env={**os.environ, "PYTHONPATH": str(tree)},
        check=True, capture_output=True, text=True,
    ).stdout
    return statistics.median(json.loads(out.splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", help="the revision to compare against (a commit, tag or branch)")
    parser.add_argument("new", help="the revision to time")
    parser.add_argument("--rounds", type=int, default=8, help="processes per revision (default 8)")
    parser.add_argument("--worker", default="ours", help="bench_tensor.py's --worker (default ours)")
    parser.add_argument("--samples", type=int, default=40, help="timed samples per process (default 40)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = []
        for i, rev in enumerate((args.old, args.new)):
            tree = Path(tmp) / f"rev{i}"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev],
                           check=True)
            trees.append(tree)
        try:
            times: list[list[float]] = [[], []]
            for r in range(args.rounds):
                order = (0, 1) if r % 2 == 0 else (1, 0)  # each revision goes first in half the rounds
                for i in order:
                    times[i].append(worker_median(trees[i], args.worker, args.samples))
                print(f"round {r + 1}: {args.old} {times[0][-1] * 1e3:.3f} ms, {args.new} "
                      f"{times[1][-1] * 1e3:.3f} ms", flush=True)
        finally:
            for tree in trees:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                               check=False)
    ratios = [b / a for a, b in zip(*times)]
    print(f"median step: {args.old} {statistics.median(times[0]) * 1e3:.3f} ms, "
          f"{args.new} {statistics.median(times[1]) * 1e3:.3f} ms")
    print(f"{args.new} / {args.old}: median of the rounds' ratios {statistics.median(ratios):.3f} "
          f"(range {min(ratios):.3f}-{max(ratios):.3f})")


if __name__ == "__main__":
    main()
