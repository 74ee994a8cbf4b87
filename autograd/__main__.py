"""``python -m autograd "FORMULA" --at x=... [--render FILE] [--counts]``; see :mod:`autograd.cli_grad`."""

from .cli_grad import main

if __name__ == "__main__":
    raise SystemExit(main())
