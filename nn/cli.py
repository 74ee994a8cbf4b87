"""The ``chaingrad`` console script: one program, one subcommand per task.

``chaingrad grad FORMULA --at x=... [--render FILE] [--counts]`` is ``python -m autograd`` under
another name. To add a subcommand (``demo``, ``train``, ...), write a ``configure(parser)`` function
that adds its arguments and a ``run(args) -> int`` function that does the work, and register them with
:func:`register_subcommand` in this module's registration block at the bottom. A ``run`` function
reports a refused input by raising :class:`autograd.cli_grad.UsageError`, which becomes the one-line
``chaingrad: error: ...`` message and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Callable, Sequence

from autograd import cli_grad

__all__ = ["main", "build_parser", "register_subcommand", "Subcommand", "SUBCOMMANDS"]


@dataclass(frozen=True)
class Subcommand:
    """A registered subcommand: its one-line help, how it adds its arguments, and what it runs."""

    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str = ""


SUBCOMMANDS: dict[str, Subcommand] = {}
"""Registered subcommands, in the order ``chaingrad --help`` lists them."""


def register_subcommand(
    name: str,
    help: str,
    configure: Callable[[argparse.ArgumentParser], None],
    run: Callable[[argparse.Namespace], int],
    description: str = "",
) -> None:
    """Add the subcommand ``chaingrad NAME``.

    Parameters
    ----------
    name : str
        The word typed after ``chaingrad``.
    help : str
        One line for ``chaingrad --help``.
    configure : callable
        ``configure(parser)`` adds the subcommand's arguments.
    run : callable
        ``run(args) -> int`` does the work and returns the exit status.
    description : str, optional
        Longer text for ``chaingrad NAME --help`` (defaults to ``help``).

    Examples
    --------
    >>> from nn.cli import register_subcommand, main, SUBCOMMANDS
    >>> register_subcommand("hello", "say hello", lambda p: None, lambda args: print("hello") or 0)
    >>> main(["hello"])
    hello
    0
    >>> del SUBCOMMANDS["hello"]
    """
    if name in SUBCOMMANDS:
        raise ValueError(f"register_subcommand: got {name!r}, already registered; expected a new name")
    SUBCOMMANDS[name] = Subcommand(help, configure, run, description)


def build_parser() -> cli_grad.Parser:
    """Return the ``chaingrad`` parser with every registered subcommand."""
    parser = cli_grad.Parser(prog="chaingrad", description="chaingrad: reverse-mode autodiff you can see.")
    # Subparsers inherit the parser class, so their refusals are UsageErrors too.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, command in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=command.help, description=command.description or command.help)
        command.configure(sub)
        sub.set_defaults(_run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``chaingrad`` with ``argv`` (default: the process arguments); return the exit status.

    Examples
    --------
    >>> from nn.cli import main
    >>> main(["grad", "x ** 2", "--at", "x=3"])
    f = 9.0
    df/dx = 6.0
    0
    """
    try:
        args = build_parser().parse_args(argv)
        return args._run(args)
    except cli_grad.UsageError as exc:
        return cli_grad.report(exc)
    except SystemExit as exc:  # --help exits through argparse
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:  # Ctrl-C: one line, not a traceback; 130 is the shell's code for SIGINT
        print("chaingrad: interrupted; files not yet written were not saved", file=sys.stderr)
        return 130


# --------------------------------------------------------------------------- registrations
register_subcommand(
    "grad",
    "evaluate a formula and its gradient (same as python -m autograd)",
    cli_grad.add_arguments,
    cli_grad.run,
    description="Evaluate a formula and all its partial derivatives by reverse-mode autodiff.",
)


def _demo_configure(parser: argparse.ArgumentParser) -> None:
    from . import demo

    demo.configure(parser)


def _demo_run(args: argparse.Namespace) -> int:
    from . import demo

    return demo.run(args)


def _train_configure(parser: argparse.ArgumentParser) -> None:
    from . import train_cli

    train_cli.configure(parser)


def _train_run(args: argparse.Namespace) -> int:
    from . import train_cli

    return train_cli.run(args)


register_subcommand(
    "demo",
    "the sigma example of the textbook, then a CNN trained on the 8x8 digits (~99%% test accuracy)",
    _demo_configure,
    _demo_run,
    description="Print and draw the textbook's sigma(x, y, z, w) with its gradient, then train a small CNN "
    "on the 8x8 handwritten digits; write graph pictures, a checkpoint and loss/accuracy curves to --out.",
)
register_subcommand(
    "train",
    "train an MLP or a CNN on xor, moons, spirals, digits or MNIST files",
    _train_configure,
    _train_run,
    description="Train a network, print its final train and test accuracy, and save a checkpoint and plots "
    "to --out.",
)

if __name__ == "__main__":
    raise SystemExit(main())
