"""``autograd.linalg``: linear algebra under the names of PyTorch's ``torch.linalg``.

Matrix functions (``inv det slogdet solve cholesky svd svdvals``), norms (``vector_norm matrix_norm norm``)
and products (``cross matrix_power vecdot matmul``). Each takes a matrix ``(n, n)`` or a batch
``(..., n, n)`` where PyTorch does, and is differentiable to every order (see the modules in
:mod:`autograd.ops` that define them: ``matrix_functions``, ``svd``, ``linalg_norms``, ``products``).

Examples
--------
>>> from autograd import linalg, tensor
>>> a = tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
>>> linalg.det(a).item(), round(linalg.norm(a).item() ** 2, 4)
(5.0, 15.0)
>>> linalg.det(a).backward(); a.grad.tolist()
[[3.0, -1.0], [-1.0, 2.0]]
"""

from __future__ import annotations

from typing import Any

from .ops import accepts_torch_keywords
from .ops._common import is_int, tensor_arg
from .ops.linalg import matmul
from .ops.linalg_norms import matrix_norm, vector_norm
from .ops.matrix_functions import SignLogAbsDet, cholesky, det, inv, slogdet, solve
from .ops.products import cross, matrix_power, vecdot
from .ops.svd import SVD, svd, svdvals
from .tensor import Tensor, describe

__all__ = ["inv", "det", "slogdet", "solve", "cholesky", "svd", "svdvals", "vector_norm", "matrix_norm",
           "norm", "cross", "matrix_power", "vecdot", "matmul", "SignLogAbsDet", "SVD"]


@accepts_torch_keywords
def norm(x: Any, ord: float | str | None = None, axis: int | tuple[int, ...] | None = None,  # noqa: A002
         keepdims: bool = False, dtype: Any = None) -> Tensor:
    """A vector or a matrix norm, chosen as ``torch.linalg.norm`` chooses (``dim=``, ``keepdim=`` work too).

    With ``axis`` one int (or a 1-tuple) it is :func:`vector_norm` (``ord`` 2 by default), with two it is
    :func:`matrix_norm` (``'fro'`` by default). Without ``axis``: ``ord=None`` gives the 2-norm of all
    entries, and another ``ord`` needs a 1-D tensor (a vector norm) or a 2-D one (a matrix norm).

    Examples
    --------
    >>> from autograd import linalg, tensor
    >>> a = tensor([[1.0, -2.0], [3.0, 4.0]])
    >>> linalg.norm(a, 1).item(), linalg.norm(a, 1, dim=1).tolist()
    (6.0, [3.0, 7.0])
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "linalg.norm")
    if axis is not None:
        axes = (axis,) if is_int(axis) else tuple(axis) if isinstance(axis, (tuple, list)) else None
        if axes is None or not 1 <= len(axes) <= 2:
            raise ValueError(f"linalg.norm: got dim {describe(axis)}; expected an int, or a tuple of one "
                             "or two ints (or None)")
        if len(axes) == 2:
            return matrix_norm(x, "fro" if ord is None else ord, axes, keepdims, dtype)
        return _vector_norm(x, ord, axes, keepdims, dtype)
    if ord is None:
        return vector_norm(x, 2, None, keepdims, dtype)
    if x.data.ndim == 2:
        return matrix_norm(x, ord, (-2, -1), keepdims, dtype)
    if x.data.ndim == 1:
        return _vector_norm(x, ord, None, keepdims, dtype)
    raise ValueError(f"linalg.norm: got ord={ord!r} without dim for a tensor of shape {x.data.shape}; "
                     "expected a 1-D or 2-D tensor, or dim (one or two dimensions)")


def _vector_norm(x: Tensor, ord: Any, axes: Any, keepdims: bool, dtype: Any) -> Tensor:  # noqa: A002
    if isinstance(ord, str):
        raise ValueError(f"linalg.norm: got ord={ord!r}, a matrix norm, for one dimension; expected two "
                         "dimensions (dim=(rows, columns)), or a number")
    return vector_norm(x, 2 if ord is None else ord, axes, keepdims, dtype)
