"""The arguments of :meth:`nn.Module.state_dict`: PyTorch's ``(*args, destination=None, prefix='',
keep_vars=False)``, where positional arguments are still taken, in that order, with PyTorch's
deprecation warning."""

from __future__ import annotations

import warnings
from collections.abc import MutableMapping
from typing import Any

from autograd.tensor import describe

__all__ = ["parse_state_dict_arguments"]

_NAMES = ("destination", "prefix", "keep_vars")
_DEFAULTS = (None, "", False)


def _is_default(value: Any, default: Any) -> bool:
    return value is default or (type(value) is type(default) and value == default)


def parse_state_dict_arguments(owner: str, args: tuple, destination: Any, prefix: Any,
                               keep_vars: Any) -> tuple[MutableMapping[str, Any] | None, str, bool]:
    """Checked ``(destination, prefix, keep_vars)`` from a call of ``owner.state_dict``.

    Positional arguments fill the names in order (with a FutureWarning, as in PyTorch); one given both
    ways is refused, as Python refuses it for an ordinary function.

    Examples
    --------
    >>> parse_state_dict_arguments("Linear", (), None, "net.", 1)
    (None, 'net.', True)
    >>> parse_state_dict_arguments("Linear", (), None, 3, False)
    Traceback (most recent call last):
    ...
    TypeError: Linear.state_dict: got prefix of type int (3); expected a str
    """
    where = f"{owner}.state_dict"
    values = [destination, prefix, keep_vars]
    if args:
        if len(args) > len(_NAMES):
            raise TypeError(f"{where}: got {len(args)} positional arguments; expected at most 3 "
                            "(destination, prefix, keep_vars), better given by keyword")
        for i, value in enumerate(args):
            if not _is_default(values[i], _DEFAULTS[i]):
                raise TypeError(f"{where}: got {_NAMES[i]} both by position and by keyword; expected it once")
            values[i] = value
        # PyTorch deprecates the positional form; saying so here keeps code portable both ways
        warnings.warn(f"{where}: positional arguments are deprecated (as in PyTorch); pass "
                      "destination=, prefix= and keep_vars= by keyword", FutureWarning, stacklevel=3)
    destination, prefix, keep_vars = values
    if destination is not None and not isinstance(destination, MutableMapping):
        raise TypeError(f"{where}: got destination {describe(destination)}; expected a dict (a mutable "
                        "mapping) or None")
    if not isinstance(prefix, str):
        raise TypeError(f"{where}: got prefix {describe(prefix)}; expected a str")
    return destination, prefix, bool(keep_vars)
