"""``python -m autograd "FORMULA" --at x=... [--render FILE] [--counts]``: a gradient from the shell.

The formula goes through the safe parser of :mod:`autograd.expr`, so nothing outside its small grammar
is ever evaluated. The same arguments serve ``chaingrad grad`` (:mod:`nn.cli`), which calls
:func:`add_arguments` and :func:`run` from here.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence, TextIO

from .counting import count_ops, naive_chain_rule_cost
from .expr import ExprError, parse
from .graph import draw_graph, output_format, render
from .value import Value

__all__ = ["main", "run", "add_arguments", "build_parser", "Parser", "UsageError"]

PROG = "chaingrad"


class UsageError(Exception):
    """A refused command line; reported as one line on stderr with exit status 2."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises :class:`UsageError` rather than printing usage and exiting.

    That keeps every refusal to the one-line ``chaingrad: error: ...`` form, and lets ``main`` return
    its status instead of calling ``sys.exit`` (so it can run in-process, in tests).
    """

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the formula, ``--at``, ``--render`` and ``--counts`` arguments to ``parser``."""
    parser.add_argument(
        "expression",
        metavar="FORMULA",
        help="a formula in Python syntax, e.g. \"1/(w + exp(z + cos(y*x**2)))\"; allowed: numbers, "
        "variables, pi, e, + - * / **, and exp log sin cos tan tanh sigmoid relu leaky_relu abs sqrt "
        "softplus",
    )
    parser.add_argument(
        "--at",
        nargs="+",
        action="extend",  # --at x=1 --at y=2 gives both
        default=[],
        metavar="NAME=VALUE",
        help="the point: one NAME=VALUE per variable; a VALUE may be a number, pi, e or a formula of them",
    )
    parser.add_argument("--render", metavar="FILE", help="draw the graph to FILE (.svg, .png, .pdf or .dot)")
    parser.add_argument(
        "--counts",
        action="store_true",
        help="print the operations counted by backpropagation and by the naive chain rule",
    )


def build_parser(prog: str = "python -m autograd") -> Parser:
    """Return the parser of ``python -m autograd``."""
    parser = Parser(
        prog=prog,
        description="Evaluate a formula and all its partial derivatives by reverse-mode autodiff.",
    )
    add_arguments(parser)
    return parser


def _parse_point(items: Sequence[str]) -> dict[str, float]:
    point: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--at: got {item!r}; expected NAME=VALUE, e.g. x=0.5 or y=pi")
        if name in point:
            raise UsageError(f"--at: got {name!r} twice; expected each variable once")
        try:
            point[name] = parse(text, ()).evaluate().data
        except ExprError as exc:
            raise UsageError(f"--at {name}: {exc}") from None
    return point


def run(args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    """Do the work of a parsed command line; raises :class:`UsageError` for refused input."""
    out = sys.stdout if stdout is None else stdout
    if args.render:
        try:
            output_format(args.render)  # refuse a bad file name before doing any work
        except ValueError as exc:
            raise UsageError(f"--render: {exc}") from None
    point = _parse_point(args.at)
    try:
        formula = parse(args.expression, point)
    except ExprError as exc:
        raise UsageError(str(exc)) from None
    leaves = {name: Value(x, label=name) for name, x in point.items()}

    with count_ops() as counter:
        result = formula.evaluate(**leaves)
        result.backward()
    if not result.label:
        result.label = "f"

    print(f"f = {result.data!r}", file=out)
    for name, leaf in leaves.items():
        print(f"df/d{name} = {leaf.grad!r}", file=out)
    if args.counts:
        print("\nbackpropagation:", file=out)
        print(counter.summary(), file=out)
        print("", file=out)
        print(naive_chain_rule_cost(result, list(leaves.values())), file=out)
    if args.render:
        try:
            written = render(draw_graph(result), args.render)
        except (RuntimeError, ValueError, OSError) as exc:
            raise UsageError(f"--render: {exc}") from None
        print(f"graph written to {written}", file=out)
    return 0


def report(error: UsageError, stderr: TextIO | None = None) -> int:
    """Print ``error`` as one line on stderr and return the exit status 2."""
    message = " ".join(str(error).split())  # one line, whatever the message held
    print(f"{PROG}: error: {message}", file=sys.stderr if stderr is None else stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m autograd`` with ``argv`` (default: the process arguments); return the exit status.

    Examples
    --------
    >>> from autograd.cli_grad import main
    >>> main(["x * y", "--at", "x=2", "y=3"])
    f = 6.0
    df/dx = 3.0
    df/dy = 2.0
    0
    """
    parser = build_parser()
    try:
        return run(parser.parse_args(argv))
    except UsageError as exc:
        return report(exc)
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else 0
