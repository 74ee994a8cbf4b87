"""The tensor primitives, one module per family, bound onto :class:`~autograd.tensor.Tensor`.

Each family module defines its functions next to their backward rules and lists them in two tables:
``METHODS`` (bound onto Tensor, operators included) and ``FUNCTIONS`` (exported as ``autograd.<name>``).
Adding a family means adding its module to ``FAMILIES``.

Functions take numpy's keyword names (``axis``, ``keepdims``); PyTorch's (``dim``, ``keepdim``) are
accepted too, translated here once for every family.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from ..tensor import Tensor
from . import (
    aliases,
    arithmetic,
    axis_activations,
    binary_math,
    bitwise,
    combine,
    comparison,
    conversion,
    creation,
    cumulative,
    discrete,
    distances,
    finite,
    fused_arithmetic,
    gather_scatter,
    grids,
    index_put,
    index_writes,
    indexing,
    inplace,
    linalg,
    linalg_norms,
    logical,
    matrix_functions,
    norms,
    products,
    rearrange,
    reductions,
    rounding,
    scatter_reduce,
    shape,
    softmax,
    sorting,
    svd,
    triangular,
    unary,
)

FAMILIES = [arithmetic, unary, reductions, shape, indexing, linalg, combine, softmax, conversion, inplace]
FAMILIES += [binary_math, rounding, finite, logical]
# gather_scatter comes after indexing: its scatter_add (PyTorch's form and indexing's) is the one exported
FAMILIES += [gather_scatter, cumulative, sorting, triangular, rearrange, norms]
FAMILIES += [index_writes]
FAMILIES += [discrete]
FAMILIES += [scatter_reduce, index_put]
FAMILIES += [creation, comparison, aliases]
FAMILIES += [axis_activations, bitwise]
# PyTorch's fused arithmetic, more products, matrix functions and norms, distances and grids
FAMILIES += [fused_arithmetic, products, matrix_functions, svd, linalg_norms, distances, grids]

_TORCH_KEYWORDS = {"dim": "axis", "keepdim": "keepdims"}


def accepts_torch_keywords(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Let ``fn`` be called with PyTorch's keyword names as well as its own.

    A function that takes ``axis`` (and ``keepdims``) takes ``dim`` (and ``keepdim``) too; one marked
    with :func:`~autograd.ops._common.torch_keywords` takes the names it lists as well (``flip``'s
    ``dims`` for its ``axis``, ``tile``'s ``dims`` for its ``reps``).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=1, keepdim=True).shape
    (2, 1)
    >>> tensor([[1, 2], [3, 4]]).flip(dims=[1]).tolist()
    [[2, 1], [4, 3]]
    """
    # a function that declares PyTorch's name itself (max and min take dim as well as axis) handles it
    names = {torch_name: own for torch_name, own in _TORCH_KEYWORDS.items()
             if torch_name not in _parameters(fn)} if _takes_axis(fn) else {}
    names.update(getattr(fn, "torch_keywords", {}))

    @functools.wraps(fn)
    def translated(*args: Any, **kwargs: Any) -> Any:
        if not kwargs:
            return fn(*args)
        for torch_name, own_name in names.items():
            if torch_name in kwargs:
                if own_name in kwargs:
                    raise TypeError(
                        f"{fn.__name__}: got both {torch_name}= and {own_name}=; expected one of them"
                    )
                kwargs[own_name] = kwargs.pop(torch_name)
        return fn(*args, **kwargs)

    return translated


def _parameters(fn: Any) -> Any:
    try:
        return inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return {}


def _takes_axis(fn: Any) -> bool:
    return "axis" in _parameters(fn)


def _translates(fn: Any) -> bool:
    """Whether ``fn`` takes a keyword that PyTorch spells differently."""
    return callable(fn) and (hasattr(fn, "torch_keywords") or _takes_axis(fn))


FUNCTIONS: dict[str, Any] = {}
for _family in FAMILIES:
    _wrapped: dict[int, Any] = {}
    for _table in (_family.METHODS, _family.FUNCTIONS):
        for _name, _fn in list(_table.items()):
            if _translates(_fn):
                _table[_name] = _wrapped.setdefault(id(_fn), accepts_torch_keywords(_fn))
                if getattr(_family, _name, None) is _fn:
                    setattr(_family, _name, _table[_name])
    for _name, _fn in _family.METHODS.items():
        setattr(Tensor, _name, _fn)
    FUNCTIONS.update(_family.FUNCTIONS)
Tensor.__hash__ = object.__hash__  # __eq__ is elementwise; identity still hashes
