"""Non-finite values: the predicates isnan, isinf, isfinite, isposinf and isneginf (bool tensors that carry
no gradient, as comparisons), and nan_to_num, which replaces nan and the infinities and passes the
gradient on where the input was finite (0 where it was replaced, as in PyTorch).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, as_tensor, constant_like, describe, result
from ._common import tensor_arg


def _predicate(name: str, on_floats: Any, elsewhere: bool, doc: str, example: str) -> Any:
    """A function that tests each element; integer and bool tensors hold only finite numbers, so for them
    the answer is ``elsewhere`` everywhere."""

    def fn(x: ArrayLike) -> Tensor:
        if type(x) is not Tensor:
            x = tensor_arg(x, name)
        d = x.data
        out = on_floats(d) if d.dtype.kind == "f" else np.full(d.shape, elsewhere)
        return as_tensor(np.asarray(out))

    fn.__name__ = name
    fn.__doc__ = (f"{doc} Returns a bool tensor that carries no gradient.\n\nExamples\n--------\n"
                  f">>> from autograd import tensor\n>>> tensor([1.0, float('nan'), float('inf'), "
                  f"-float('inf')]).{name}().tolist()\n{example}\n")
    return fn


isnan = _predicate("isnan", np.isnan, False, "Whether each element is nan.", "[False, True, False, False]")
isinf = _predicate("isinf", np.isinf, False, "Whether each element is inf or -inf.",
                   "[False, False, True, True]")
isfinite = _predicate("isfinite", np.isfinite, True, "Whether each element is neither nan nor infinite.",
                      "[True, False, False, False]")
isposinf = _predicate("isposinf", np.isposinf, False, "Whether each element is inf.",
                      "[False, False, True, False]")
isneginf = _predicate("isneginf", np.isneginf, False, "Whether each element is -inf.",
                      "[False, False, False, True]")


def _nan_to_num_rule(node: Tensor, g: Any) -> tuple:
    x = node._parents[0].data
    return (g * constant_like(np.isfinite(x), g),)  # Tensors and arrays alike


NAN_TO_NUM = TensorOp("nan_to_num", _nan_to_num_rule, _nan_to_num_rule)


def _replacement(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"nan_to_num: got {name} {describe(value)}; expected a real number or None")
    return float(value)


def nan_to_num(x: ArrayLike, nan: float | None = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """``x`` with nan replaced by ``nan``, inf by ``posinf`` and -inf by ``neginf``.

    ``None`` (the default for the infinities; for nan it means 0) stands for the largest finite value of
    the dtype, or its negative. A replacement beyond the dtype's range becomes an infinity, as in PyTorch.
    Integer and bool tensors come back unchanged. The gradient is 1 where ``x`` is finite and 0 where a
    value was replaced.

    Raises
    ------
    TypeError
        If a replacement is neither a real number nor None.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([float("nan"), float("inf"), 1.0]).nan_to_num(posinf=9.0).tolist()
    [0.0, 9.0, 1.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "nan_to_num")
    nan = _replacement("nan", nan)
    posinf, neginf = _replacement("posinf", posinf), _replacement("neginf", neginf)
    d = x.data
    if d.dtype.kind != "f":
        return result(d.copy(), (x,), NAN_TO_NUM)
    with np.errstate(over="ignore"):  # 1e300 for float32 is inf
        out = np.nan_to_num(d, nan=0.0 if nan is None else nan, posinf=posinf, neginf=neginf)
    return result(out, (x,), NAN_TO_NUM)


METHODS = {"isnan": isnan, "isinf": isinf, "isfinite": isfinite, "isposinf": isposinf, "isneginf": isneginf,
           "nan_to_num": nan_to_num}
FUNCTIONS = dict(METHODS)
