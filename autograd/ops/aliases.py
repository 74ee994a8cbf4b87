"""PyTorch's other names for operations that other families define.

Kept here, so that each family's tables list the names it owns.
"""

from __future__ import annotations

from typing import Any

from ..tensor import ArrayLike, Tensor
from ._common import tensor_arg
from .arithmetic import neg


def negative(x: ArrayLike) -> Tensor:
    """``-x``: PyTorch's other name for :func:`~autograd.neg`.

    Examples
    --------
    >>> from autograd import negative, tensor
    >>> negative(tensor([1.0, -2.0])).tolist()
    [-1.0, 2.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "negative")
    return neg(x)


METHODS: dict[str, Any] = {"negative": negative}
FUNCTIONS: dict[str, Any] = {"negative": negative}
