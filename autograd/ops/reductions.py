"""Reductions along axes and the elementwise extrema.

Every reduction takes ``axis`` (None for all axes, an int, or a tuple of ints) and ``keepdims``; its rule
brings the output gradient back to the input's shape with :func:`expand_reduced`.

``sum``, ``mean``, ``prod``, ``nansum`` and ``nanmean`` take PyTorch's ``dtype=``, which casts the input
first. ``var`` and ``std`` take numpy's ``ddof`` (0 by default) or PyTorch's ``unbiased``/``correction``.

Conventions (SPEC.md): ``max``/``min`` split the gradient evenly among tied entries; ``maximum``/``minimum``
of two tensors give each operand half of the gradient where they are equal (PyTorch). ``prod`` never
divides by the input, so zeros in it get exact gradients, to every order.
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import numpy as np

from ..factories import _dtype
from ..tensor import ArrayLike, Tensor, TensorOp, as_tensor, broadcast_array, constant_like, describe, result
from ._common import broadcasting, default_floating, is_int, normalize_axis, pair, tensor_arg
from .arithmetic import where


def expand_reduced(g: Any, node: Tensor) -> Any:
    """Bring the gradient of a reduction back to its input's shape (re-inserting the reduced axes).

    ``g`` is a Tensor (in a rule) or a numpy array (in an array rule); the result is of the same kind.
    """
    axes = node._ctx[0]
    if axes != tuple(range(len(axes))):
        g = _kept(g, node)  # reduced leading axes come back by broadcasting alone; others need a 1 kept
    shape = node._parents[0].data.shape
    return g.broadcast_to(shape) if isinstance(g, Tensor) else broadcast_array(g, shape)


def _kept(t: Any, node: Tensor) -> Any:
    """The output ``t`` of a reduction with the reduced axes put back as size 1 (ready to broadcast)."""
    axes, keepdims = node._ctx[0], node._ctx[1]
    if keepdims:
        return t
    shape = node._parents[0].data.shape
    return t.reshape(tuple(1 if i in axes else n for i, n in enumerate(shape)))


def _count(shape: tuple[int, ...], axes: tuple[int, ...]) -> int:
    count = 1
    for a in axes:
        count *= shape[a]
    return count


def _nonempty(x: Tensor, axes: tuple[int, ...], name: str) -> None:
    if _count(x.data.shape, axes) == 0:
        raise ValueError(
            f"{name}: cannot reduce a tensor of shape {x.data.shape} over axes {axes}: the reduction "
            "has no identity and some reduced slice is empty"
        )


def _keepdims(keepdims: Any, name: str) -> bool:
    """``keepdims`` as a bool; the reductions call it only for values other than True and False."""
    if isinstance(keepdims, np.bool_):
        return bool(keepdims)
    # numpy would take 2 or "no" as true in some reductions and refuse them in others
    raise TypeError(f"{name}: got keepdims {describe(keepdims)}; expected a bool")


def cast_first(x: Tensor, dtype: Any, name: str, floating: bool = False) -> Tensor:
    """``x`` converted to ``dtype`` (PyTorch's ``dtype=`` argument: the input is cast before the op), or
    ``x`` itself when ``dtype`` is None. ``floating`` refuses an integer or bool dtype, for the ops whose
    results are fractions (mean, softmax). A cast between float dtypes keeps the gradient.

    Examples
    --------
    >>> from autograd import tensor
    >>> cast_first(tensor([1, 2]), "float64", "sum").dtype
    dtype('float64')
    """
    if dtype is None:
        return x
    dt = _dtype(name, dtype)
    if dt.kind not in "fiub" or (floating and dt.kind != "f"):
        expected = "a floating dtype (float16, float32 or float64)" if floating else (
            "a floating-point, integer or bool dtype")
        raise TypeError(f"{name}: got dtype={dt}; expected {expected}")
    return x.astype(dt)


# ----------------------------------------------------------------------------------------- sum, mean


def _sum_rule(node: Tensor, g: Tensor) -> tuple:
    return (expand_reduced(g, node),)  # Tensors and arrays alike


SUM = TensorOp("sum", _sum_rule, _sum_rule, reads_values=False)


def sum(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, *,  # noqa: A001
        dtype: Any = None) -> Tensor:
    """Sum over ``axis`` (all axes by default); ``dtype`` casts the input first (PyTorch's ``dtype=``).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0).tolist()
    [4.0, 6.0]

    As a function it also takes an array, a list or a number (a constant tensor, as ``tensor()`` makes):

    >>> import numpy as np
    >>> import autograd
    >>> autograd.sum(np.ones(3)).item(), autograd.sum([1.0, 2.0]).dtype
    (3.0, dtype('float32'))
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "sum")
    if dtype is not None:
        x = cast_first(x, dtype, "sum")
    axes = normalize_axis(axis, x.data.ndim, "sum")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "sum")
    out = x.data.sum(axis=axes, keepdims=keepdims)  # the method: np.sum adds a Python-level dispatch
    return result(np.asarray(out), (x,), SUM, (axes, keepdims))


def mean(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, *,
         dtype: Any = None) -> Tensor:
    """Mean over ``axis`` (all axes by default). Integer and bool tensors give float64, as in numpy;
    ``dtype`` (a floating dtype, as in PyTorch) casts the input first. Over an empty axis it is nan, as
    in PyTorch.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1.0, 2.0], [3.0, 4.0]]).mean().item()
    2.5
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "mean")
    if dtype is not None:
        x = cast_first(x, dtype, "mean", floating=True)
    axes = normalize_axis(axis, x.data.ndim, "mean")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "mean")
    return _mean(x, axes, keepdims)


def _mean(x: Tensor, axes: tuple[int, ...], keepdims: bool) -> Tensor:
    """The mean for axes already normalized. Over an empty axis it is nan, PyTorch's 0 / 0 (without
    numpy's warning), and its gradient is empty."""
    count = _count(x.data.shape, axes)
    total = sum(x, axes, keepdims)
    if x.data.dtype.kind != "f":
        # numpy's mean of integers is float64. 1.0 / count would be a float32 constant next to an integer
        # tensor (the rule for Python floats), and a rounded reciprocal; a float64 division is exact.
        total = total.astype(np.float64)
        return total / count if count else total * np.nan
    # the sum over nothing is 0, and 0 * nan is nan without the warning of a division by zero
    return total * (1.0 / count if count else np.nan)


# ----------------------------------------------------------------------------------------- var, std


def _var_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0]
    axes, _, ddof = node._ctx
    dof = _count(x.data.shape, axes) - ddof
    scale = 2.0 / dof if dof > 0 else float("nan")
    # d var / d x_k = 2 (x_k - mean) / (n - ddof); the mean's own dependence on x cancels (sum(x - mean) = 0).
    # Over an empty axis the input is empty, and so is this gradient, recorded through x as PyTorch's is.
    return (expand_reduced(g, node) * ((x - _mean(x, axes, True)) * scale),)


VAR = TensorOp("var", _var_rule)


def _ddof(ddof: Any, name: str) -> int:
    if not is_int(ddof) or ddof < 0:
        raise ValueError(f"{name}: got ddof={ddof!r}; expected a non-negative integer")
    return int(ddof)


def _correction(ddof: Any, unbiased: Any, correction: Any, name: str) -> int | float:
    """What ``var``/``std`` subtract from the count in their divisor ``n - c``: numpy's ``ddof`` (0 when
    nothing is given), PyTorch's ``unbiased`` (True is 1) or its ``correction`` (any real number). A bool
    ``ddof`` is PyTorch's positional ``unbiased``, as in ``x.var(0, True)``: the same value either way."""
    named = (("ddof", ddof), ("unbiased", unbiased), ("correction", correction))
    given = [k for k, v in named if v is not None]
    if len(given) > 1:
        raise TypeError(f"{name}: got {' and '.join(k + '=' for k in given)}; expected at most one of ddof, "
                        "unbiased and correction (each sets the divisor n - ddof)")
    if unbiased is not None:
        if not isinstance(unbiased, (bool, np.bool_)):
            raise TypeError(f"{name}: got unbiased {describe(unbiased)}; expected a bool")
        return int(unbiased)
    if correction is not None:
        if isinstance(correction, (bool, np.bool_)) or is_int(correction):
            return int(correction)
        if not isinstance(correction, (float, np.floating)):
            raise TypeError(f"{name}: got correction {describe(correction)}; expected an int or a float")
        if not np.isfinite(correction):
            raise ValueError(f"{name}: got correction={correction!r}; expected a finite number")
        return float(correction)
    if ddof is None:
        return 0
    return int(ddof) if isinstance(ddof, (bool, np.bool_)) else _ddof(ddof, name)


def _prepared_var(x: ArrayLike, axis: Any, keepdims: Any, name: str) -> tuple[Tensor, tuple[int, ...], bool]:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    axes = normalize_axis(axis, x.data.ndim, name)
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, name)
    return x, axes, keepdims


def _var(x: Tensor, axes: tuple[int, ...], c: int | float, keepdims: bool) -> Tensor:
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "degrees of freedom <= 0": nan says it already
        out = np.var(x.data, axis=axes, ddof=c, keepdims=keepdims)
    return result(np.asarray(out), (x,), VAR, (axes, keepdims, c))


def var(x: ArrayLike, axis: int | tuple[int, ...] | None = None, ddof: int | None = None,
        keepdims: bool = False, *, unbiased: bool | None = None, correction: float | None = None) -> Tensor:
    """Variance over ``axis``: ``sum((x - mean)**2) / (n - ddof)``.

    ``ddof=0`` (numpy's default, and chaingrad's) is the population variance; ``ddof=1`` is the unbiased
    sample variance, PyTorch's default. PyTorch's keywords are accepted too: ``unbiased=True`` is
    ``ddof=1`` and ``unbiased=False`` ``ddof=0``, and ``correction`` is any real number to subtract from
    the count (``correction=1`` is ``ddof=1``). At most one of the three may be given. With
    ``n - ddof <= 0`` the result is nan or inf, as in numpy and PyTorch. Integer tensors give float64, as in
    numpy.

    Parameters
    ----------
    x : Tensor, array or (nested) list of numbers
    axis : int or tuple of int, optional
        Axes to reduce (all by default).
    ddof : int, optional
        Delta degrees of freedom (0 when none of ``ddof``, ``unbiased`` and ``correction`` is given). A
        bool is PyTorch's positional ``unbiased``.
    keepdims : bool, optional
        Keep the reduced axes with size 1.
    unbiased : bool, optional
        PyTorch's choice between ``n - 1`` (True) and ``n`` (False).
    correction : int or float, optional
        PyTorch's difference between the count and the divisor.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.0, 2.0, 3.0, 4.0])
    >>> x.var().item()
    1.25
    >>> round(x.var(ddof=1).item(), 4), round(x.var(unbiased=True).item(), 4), x.var(correction=2).item()
    (1.6667, 1.6667, 2.5)
    """
    x, axes, keepdims = _prepared_var(x, axis, keepdims, "var")
    return _var(x, axes, _correction(ddof, unbiased, correction, "var"), keepdims)


# std is the square root of var, with PyTorch's convention where it is 0: there sqrt's derivative is
# infinite and var's is 0, and their product, nan, becomes 0. The mask is a constant, so the rule
# differentiates to 0 there as well, and second derivatives stay finite. Like var's, the rule serves plain
# passes too (no array rule).
def _std_rule(node: Tensor, g: Tensor) -> tuple:
    zero = node.data == 0
    return (where(zero, 0.0, g * 0.5 / where(zero, 1.0, node)),)


STD = TensorOp("std", _std_rule)


def _std(v: Tensor) -> Tensor:
    with np.errstate(invalid="ignore"):  # ddof > n makes the variance negative: nan, as in PyTorch
        return result(np.sqrt(v.data), (v,), STD)


def std(x: ArrayLike, axis: int | tuple[int, ...] | None = None, ddof: int | None = None,
        keepdims: bool = False, *, unbiased: bool | None = None, correction: float | None = None) -> Tensor:
    """Standard deviation over ``axis``: ``sqrt(var(x, axis, ddof))``, with the same ``ddof``,
    ``unbiased`` and ``correction`` (see :func:`var`; ``ddof=0`` by default).

    Where the standard deviation is 0 (a constant slice), its gradient is 0, as in PyTorch, rather than
    the nan of the square root's infinite derivative times the variance's zero.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, 3.0], [2.0, 2.0]], requires_grad=True)
    >>> y = x.std(axis=1); y.tolist()
    [1.0, 0.0]
    >>> y.sum().backward(); x.grad.tolist()
    [[-0.5, 0.5], [0.0, 0.0]]
    >>> round(x.std(unbiased=True).item(), 4)
    0.8165
    """
    x, axes, keepdims = _prepared_var(x, axis, keepdims, "std")
    return _std(_var(x, axes, _correction(ddof, unbiased, correction, "std"), keepdims))


def var_mean(x: ArrayLike, axis: int | tuple[int, ...] | None = None, ddof: int | None = None,
             keepdims: bool = False, *, unbiased: bool | None = None,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """The pair ``(var(x, ...), mean(x, ...))`` over ``axis``, as PyTorch's ``var_mean`` returns it.

    The keywords are :func:`var`'s; note that the divisor is ``n`` unless ``ddof``, ``unbiased`` or
    ``correction`` says otherwise (chaingrad's default, where PyTorch's is ``n - 1``). Both results are
    differentiable. Over an empty axis both are nan, as in PyTorch, without its warning (as :func:`var`;
    :func:`mean` alone raises there).

    Examples
    --------
    >>> from autograd import tensor, var_mean
    >>> v, m = var_mean(tensor([1.0, 2.0, 3.0, 4.0]), correction=1)
    >>> round(v.item(), 4), m.item()
    (1.6667, 2.5)
    """
    x, axes, keepdims = _prepared_var(x, axis, keepdims, "var_mean")
    v = _var(x, axes, _correction(ddof, unbiased, correction, "var_mean"), keepdims)
    return v, _mean(x, axes, keepdims)


def std_mean(x: ArrayLike, axis: int | tuple[int, ...] | None = None, ddof: int | None = None,
             keepdims: bool = False, *, unbiased: bool | None = None,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """The pair ``(std(x, ...), mean(x, ...))`` over ``axis`` (see :func:`var_mean`); both are nan over
    an empty axis, as in PyTorch.

    Examples
    --------
    >>> from autograd import tensor, std_mean
    >>> s, m = std_mean(tensor([[1.0, 3.0], [2.0, 2.0]]), axis=1)
    >>> s.tolist(), m.tolist()
    ([1.0, 0.0], [2.0, 2.0])
    """
    x, axes, keepdims = _prepared_var(x, axis, keepdims, "std_mean")
    v = _var(x, axes, _correction(ddof, unbiased, correction, "std_mean"), keepdims)
    return _std(v), _mean(x, axes, keepdims)


# ----------------------------------------------------------------------------------------- prod


def _move_last(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[list[int], tuple[int, ...]]:
    """The permutation that moves ``axes`` to the end, and the shape (kept..., n) that flattens them."""
    keep = [i for i in range(len(shape)) if i not in axes]
    perm = keep + list(axes)
    return perm, tuple(shape[i] for i in keep) + (_count(shape, axes),)


def _exclusive_products(a: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """For every element, the product of the other elements of its reduced slice (no division)."""
    perm, flat_shape = _move_last(a.shape, axes)
    moved = a.transpose(perm)
    flat = moved.reshape(flat_shape)
    left = np.ones_like(flat)
    right = np.ones_like(flat)
    if flat.shape[-1] > 1:
        left[..., 1:] = np.cumprod(flat[..., :-1], axis=-1)
        right[..., :-1] = np.cumprod(flat[..., :0:-1], axis=-1)[..., ::-1]
    return (left * right).reshape(moved.shape).transpose(np.argsort(perm))


def _prod_others_rule(node: Tensor, v: Tensor) -> tuple:
    # P_i = prod_{j != i} x_j, so (v^T dP)_k = sum_{i != k} v_i prod_{j != i, k} x_j. For each k, the inner
    # products are P evaluated at x with x_k replaced by 1: an (n, n) tensor Y[k, j] = (j == k ? 1 : x_j).
    # Only second and higher derivatives of prod reach this rule.
    x = node._parents[0]
    axes = node._ctx
    perm, flat_shape = _move_last(x.data.shape, axes)
    n = flat_shape[-1]
    xt = x.permute(*perm).reshape(flat_shape)
    vt = v.permute(*perm).reshape(flat_shape)
    eye = np.eye(n, dtype=bool)
    y = where(eye, 1.0, xt.reshape(flat_shape[:-1] + (1, n)))
    q = prod_others(y, (len(flat_shape),))  # q[..., k, i] = prod_{j != i, k} x_j for i != k
    contrib = (where(eye, 0.0, q) * vt.reshape(flat_shape[:-1] + (1, n))).sum(-1)
    moved_shape = tuple(x.data.shape[i] for i in perm)
    return (contrib.reshape(moved_shape).permute(*np.argsort(perm)),)


PROD_OTHERS = TensorOp("prod_others", _prod_others_rule)


def prod_others(x: Tensor, axes: tuple[int, ...]) -> Tensor:
    """For each element, the product of the other elements of its slice along ``axes``: the gradient of
    ``prod``, computed with prefix and suffix products, so zeros need no special case.

    Examples
    --------
    >>> from autograd import tensor
    >>> prod_others(tensor([2.0, 0.0, 5.0]), (0,)).tolist()
    [0.0, 10.0, 0.0]
    """
    axes = normalize_axis(axes, x.data.ndim, "prod_others")
    return result(_exclusive_products(x.data, axes), (x,), PROD_OTHERS, axes)


def _prod_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0]
    return (expand_reduced(g, node) * prod_others(x, node._ctx[0]),)


PROD = TensorOp("prod", _prod_rule)


def prod(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, *,
         dtype: Any = None) -> Tensor:
    """Product over ``axis`` (all axes by default); ``dtype`` casts the input first.

    The gradient of each element is the product of the other elements of its slice, computed without
    dividing by the element, so it is exact when the input holds one or several zeros.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([2.0, 0.0, 5.0], requires_grad=True)
    >>> y = x.prod(); y.backward()
    >>> y.item(), x.grad.tolist()
    (0.0, [0.0, 10.0, 0.0])
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "prod")
    if dtype is not None:
        x = cast_first(x, dtype, "prod")
    axes = normalize_axis(axis, x.data.ndim, "prod")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "prod")
    out = np.prod(x.data, axis=axes, keepdims=keepdims)
    return result(np.asarray(out), (x,), PROD, (axes, keepdims))


# ----------------------------------------------------------------------------------------- max, min


# The rules of max/min and maximum/minimum multiply the gradient by a constant weight (constant_like takes
# arrays as well as Tensors), so each serves as its own array rule.
_NOT_GIVEN: Any = object()
"""The default of max/min's numpy keywords, which tells an ``axis=None`` given from none given."""


def _extremum_rule(node: Tensor, g: Tensor) -> tuple:
    axes, keepdims = node._ctx
    x = node._parents[0].data
    out = node.data if keepdims else node.data.reshape(
        tuple(1 if i in axes else n for i, n in enumerate(x.shape)))
    hit = x == out
    if np.issubdtype(x.dtype, np.floating):
        hit |= np.isnan(x) & np.isnan(out)  # a nan maximum came from the nan entries
    weights = hit / hit.sum(axis=axes, keepdims=True)  # ties share the gradient evenly
    return (expand_reduced(g, node) * constant_like(weights, g),)


MAX = TensorOp("max", _extremum_rule, _extremum_rule)
MIN = TensorOp("min", _extremum_rule, _extremum_rule)


def max(x: ArrayLike, dim: Any = None, keepdim: Any = False, *, axis: Any = _NOT_GIVEN,  # noqa: A001
        keepdims: Any = _NOT_GIVEN) -> Any:
    """Largest value: PyTorch's ``(values, indices)`` pair along one ``dim``, or numpy's values over
    ``axis``.

    - ``max(x)``: the largest element, a 0-d tensor.
    - ``max(x, dim)`` and ``max(x, dim=d, keepdim=False)`` (PyTorch's spellings, ``dim`` an int): a
      :class:`~autograd.ops.sorting.ValuesIndices` pair of the largest values along ``dim`` and their
      int64 indices, the first among ties; the values' gradient goes to those indices, as in PyTorch.
    - ``max(x, axis=a, keepdims=False)`` (numpy's spelling; ``a`` an int, a tuple or None) and a tuple
      of dims: the values only (as :func:`amax`), and tied maxima share the gradient evenly (SPEC.md).
    - ``max(x, other_tensor)``: :func:`maximum`.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, 3.0, 3.0], [0.0, -1.0, 2.0]], requires_grad=True)
    >>> values, indices = x.max(1)
    >>> values.tolist(), indices.tolist()
    ([3.0, 2.0], [1, 2])
    >>> y = x.max(axis=1); y.tolist()
    [3.0, 2.0]
    >>> y.sum().backward(); x.grad.tolist()
    [[0.0, 0.5, 0.5], [0.0, 0.0, 1.0]]
    """
    return _max_or_min("max", x, dim, keepdim, axis, keepdims)


def min(x: ArrayLike, dim: Any = None, keepdim: Any = False, *, axis: Any = _NOT_GIVEN,  # noqa: A001
        keepdims: Any = _NOT_GIVEN) -> Any:
    """Smallest value: PyTorch's ``(values, indices)`` pair along one ``dim``, or numpy's values over
    ``axis``; the forms are those of :func:`max`.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, 3.0], [0.0, -1.0]])
    >>> x.min(axis=0).tolist(), x.min(0).indices.tolist()
    ([0.0, -1.0], [1, 1])
    """
    return _max_or_min("min", x, dim, keepdim, axis, keepdims)


def _max_or_min(name: str, x: ArrayLike, dim: Any, keepdim: Any, axis: Any, keepdims: Any) -> Any:
    if keepdims is not _NOT_GIVEN:
        if keepdim is not False:
            raise TypeError(f"{name}: got both keepdim and keepdims=; expected one of them")
        keepdim = keepdims
    if axis is not _NOT_GIVEN:
        if dim is not None:
            raise TypeError(f"{name}: got both a dim ({dim!r}) and axis={axis!r}; expected one of them")
        return _extremum(name, x, axis, keepdim)
    if dim is None or isinstance(dim, (Tensor, np.ndarray, tuple, list)):
        return _extremum(name, x, dim, keepdim)
    return _selected(name, x, dim, keepdim)


def _selected(name: str, x: ArrayLike, dim: Any, keepdim: Any) -> Any:
    """PyTorch's ``max(x, dim)`` / ``min(x, dim)``: the values at the arg-extremum indices, gathered so
    that their gradient goes to those indices alone."""
    # deferred: sorting and gather_scatter import this module
    from .gather_scatter import gather
    from .sorting import ValuesIndices

    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if not is_int(dim):
        raise TypeError(f"{name}: got dim={dim!r}; expected an int, a tensor to compare with, or axis= for "
                        "numpy's reduction over several axes")
    if keepdim is not True and keepdim is not False:
        keepdim = _keepdims(keepdim, name)
    if x.data.ndim == 0:
        normalize_axis(dim, 0, name)  # 0 and -1 name a 0-d tensor's one element, as in PyTorch
        return ValuesIndices(x.clone(), as_tensor(np.zeros((), dtype=np.int64)))
    a = normalize_axis(dim, x.data.ndim, name)[0]
    indices = _arg(name, np.argmax if name == "max" else np.argmin, x, a, True)
    values = gather(x, a, indices)
    if not keepdim:
        values, indices = values.squeeze(a), as_tensor(indices.data.squeeze(a))
    return ValuesIndices(values, indices)


def amax(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
    """Largest value over ``axis``: the same as :func:`max` (numpy's and PyTorch's name).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 5.0, 2.0]).amax().item()
    5.0
    """
    return _extremum("amax", x, axis, keepdims)


def amin(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
    """Smallest value over ``axis``: the same as :func:`min`.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 5.0, 2.0]).amin().item()
    1.0
    """
    return _extremum("amin", x, axis, keepdims)


def _extremum(name: str, x: ArrayLike, axis: Any, keepdims: Any) -> Tensor:
    """max, min, amax or amin (``name``) of ``x`` over ``axis``; a tensor or array ``axis`` is the other
    operand of maximum or minimum."""
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    largest = name.endswith("max")
    if isinstance(axis, (Tensor, np.ndarray)):
        return maximum(x, axis) if largest else minimum(x, axis)
    axes = normalize_axis(axis, x.data.ndim, name)
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, name)
    _nonempty(x, axes, name)
    return _extremum_of(x, axes, keepdims, largest)


def _extremum_of(x: Tensor, axes: tuple[int, ...], keepdims: bool, largest: bool) -> Tensor:
    out = (np.max if largest else np.min)(x.data, axis=axes, keepdims=keepdims)
    return result(np.asarray(out), (x,), MAX if largest else MIN, (axes, keepdims))


def _arg(name: str, fn: Any, x: ArrayLike, axis: int | None, keepdims: bool) -> Tensor:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, name)
    if axis is not None and not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name}: got axis={axis!r}; expected an int or None (None: index into the flattened "
                        "tensor)")
    if axis is not None:
        axes = normalize_axis(axis, x.data.ndim, name)
        axis = axes[0] if axes else None  # 0 or -1 on a 0-d tensor: its one element
    # an empty tensor searched along an axis that is not empty gives empty indices, as in PyTorch
    if axis is None and x.data.size == 0 or axis is not None and x.data.shape[axis] == 0:
        raise ValueError(f"{name}: got a tensor of shape {x.data.shape} with nothing to search along "
                         f"axis {axis}")
    out = fn(x.data, axis=axis, keepdims=keepdims)
    return as_tensor(np.asarray(out, dtype=np.int64))


def argmax(x: ArrayLike, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the largest value along ``axis`` (into the flattened tensor when ``axis`` is None).

    Returns an int64 tensor that carries no gradient; the first index wins among ties.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1.0, 3.0], [4.0, 2.0]]).argmax(axis=1).tolist()
    [1, 0]
    """
    return _arg("argmax", np.argmax, x, axis, keepdims)


def argmin(x: ArrayLike, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the smallest value along ``axis`` (into the flattened tensor when ``axis`` is None).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1.0, 3.0], [4.0, 2.0]]).argmin().item()
    0
    """
    return _arg("argmin", np.argmin, x, axis, keepdims)


# ----------------------------------------------------------------------------------------- nansum, nanmean


# The gradient of a sum that skips nan is the sum's, with 0 at the nan entries: chosen with where, not a
# product with a 0/1 mask, so that an inf or nan gradient from above (a nanmean's 0 / 0 over a slice of
# nan alone) leaves 0 there too.
def _nansum_rule(node: Tensor, g: Tensor) -> tuple:
    return (where(np.isnan(node._parents[0].data), 0.0, expand_reduced(g, node)),)


def _nansum_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return (np.where(np.isnan(node._parents[0].data), 0, expand_reduced(g, node)),)


NANSUM = TensorOp("nansum", _nansum_rule, _nansum_array_rule)


def _prepared_nan(x: ArrayLike, axis: Any, keepdims: Any, dtype: Any, name: str,
                  floating: bool) -> tuple[Tensor, tuple[int, ...], bool]:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    x = cast_first(x, dtype, name, floating)
    axes = normalize_axis(axis, x.data.ndim, name)
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, name)
    return x, axes, keepdims


def nansum(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, *,
           dtype: Any = None) -> Tensor:
    """Sum over ``axis`` treating nan as 0 (PyTorch's and numpy's ``nansum``); ``dtype`` casts first.

    The gradient is the sum's, except at the nan entries, where it is 0. Integer and bool tensors hold no
    nan: their ``nansum`` is their :func:`sum`.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.0, float("nan"), 3.0], requires_grad=True)
    >>> y = x.nansum(); y.item()
    4.0
    >>> y.backward(); x.grad.tolist()
    [1.0, 0.0, 1.0]
    """
    x, axes, keepdims = _prepared_nan(x, axis, keepdims, dtype, "nansum", False)
    if x.data.dtype.kind != "f":
        return sum(x, axes, keepdims)
    return result(np.asarray(np.nansum(x.data, axis=axes, keepdims=keepdims)), (x,), NANSUM, (axes, keepdims))


def nanmean(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, *,
            dtype: Any = None) -> Tensor:
    """Mean over ``axis`` of the entries that are not nan: ``nansum / count`` (PyTorch's ``nanmean``).

    A slice of nan alone (or an empty one) gives nan, 0 / 0. The gradient is ``1 / count`` at the other
    entries and 0 at the nan entries, in a slice of nan alone as well (where PyTorch's is nan). Integer
    and bool tensors give their :func:`mean` (float64, as in numpy; PyTorch refuses them); ``dtype``, a
    floating dtype, casts the input first.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, float("nan")], [2.0, 4.0]], requires_grad=True)
    >>> y = x.nanmean(dim=1); y.tolist()
    [1.0, 3.0]
    >>> y.sum().backward(); x.grad.tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    x, axes, keepdims = _prepared_nan(x, axis, keepdims, dtype, "nanmean", True)
    if x.data.dtype.kind != "f":
        return mean(x, axes, keepdims)
    count = np.sum(~np.isnan(x.data), axis=axes, keepdims=keepdims)
    return nansum(x, axes, keepdims) / Tensor(np.asarray(count, dtype=x.data.dtype))


# ----------------------------------------------------------------------------------------- aminmax, counting


class MinMax(NamedTuple):
    """The smallest and the largest values of :func:`aminmax` (PyTorch's ``return_types.aminmax``).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([3.0, 1.0, 2.0]).aminmax().max.item()
    3.0
    """

    min: Tensor
    max: Tensor


def aminmax(x: ArrayLike, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> MinMax:
    """The smallest and the largest values over ``axis`` (all axes by default), as a named pair
    ``(min, max)``: :func:`amin` and :func:`amax` in one call. Tied extrema share the gradient evenly, as
    in PyTorch; a slice that holds nan gives nan for both.

    Examples
    --------
    >>> from autograd import tensor
    >>> lo, hi = tensor([[1.0, 5.0], [-2.0, 0.0]]).aminmax(dim=1)
    >>> lo.tolist(), hi.tolist()
    ([1.0, -2.0], [5.0, 0.0])
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "aminmax")
    axes = normalize_axis(axis, x.data.ndim, "aminmax")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "aminmax")
    _nonempty(x, axes, "aminmax")
    return MinMax(_extremum_of(x, axes, keepdims, False), _extremum_of(x, axes, keepdims, True))


def count_nonzero(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
    """The number of entries other than 0 (and False) over ``axis`` (all axes by default), as int64;
    nan counts. An integer result, with no gradient.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[0.0, 1.5, float("nan")], [0.0, -0.0, 2.0]]).count_nonzero(dim=1).tolist()
    [2, 1]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "count_nonzero")
    axes = normalize_axis(axis, x.data.ndim, "count_nonzero")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "count_nonzero")
    out = np.sum(x.data != 0, axis=axes, keepdims=keepdims)
    return as_tensor(np.asarray(out, dtype=np.int64))


# ----------------------------------------------------------------------------------------- logsumexp


def _logsumexp_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0]
    # d/dx log sum exp x = softmax(x) = exp(x - logsumexp(x)); written with the output node so that
    # create_graph=True differentiates it again
    return (expand_reduced(g, node) * (x - _kept(node, node)).exp(),)


LOGSUMEXP = TensorOp("logsumexp", _logsumexp_rule)


def logsumexp(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
    """``log(sum(exp(x)))`` over ``axis``, computed stably: the maximum is subtracted before ``exp``.

    Its gradient is the softmax of ``x`` along ``axis``. An empty reduction gives -inf. Integer and bool
    tensors give the default dtype, as in PyTorch.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([10000.0, 10000.0]).logsumexp().item() - 10000.0
    0.693359375
    >>> round(tensor([0.0, 0.0], dtype="float64").logsumexp().item(), 6)
    0.693147
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "logsumexp")
    axes = normalize_axis(axis, x.data.ndim, "logsumexp")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "logsumexp")
    d = default_floating(x.data)
    m = np.max(d, axis=axes, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0).astype(d.dtype, copy=False)  # all -inf (or an inf) stays exact
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        out = np.log(np.sum(np.exp(d - m), axis=axes, keepdims=True)) + m
    if not keepdims:
        out = out.reshape(tuple(n for i, n in enumerate(d.shape) if i not in axes))
    return result(np.asarray(out), (x,), LOGSUMEXP, (axes, keepdims))


# ----------------------------------------------------------------------------------------- maximum, minimum


def _pairwise_rule(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    first = np.greater if node._op is MAXIMUM else np.less
    wa = first(a.data, b.data) + 0.5 * (a.data == b.data)  # ties: half each (PyTorch)
    ga = g * constant_like(wa, g) if a._requires_grad else None
    gb = g * constant_like(1.0 - wa, g) if b._requires_grad else None
    return (ga, gb)


MAXIMUM = TensorOp("maximum", _pairwise_rule, _pairwise_rule)
MINIMUM = TensorOp("minimum", _pairwise_rule, _pairwise_rule)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise larger of ``a`` and ``b``, with broadcasting; where they are equal each gets half of
    the gradient (PyTorch's rule).

    Examples
    --------
    >>> from autograd import tensor, maximum
    >>> a = tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = maximum(a, 2.0); y.tolist()
    [2.0, 2.0, 3.0]
    >>> y.sum().backward(); a.grad.tolist()
    [0.0, 0.5, 1.0]
    """
    a, b = pair(a, b, "maximum")
    return result(broadcasting("maximum", np.maximum, a.data, b.data), (a, b), MAXIMUM)


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise smaller of ``a`` and ``b``, with broadcasting; ties split the gradient 0.5/0.5.

    Examples
    --------
    >>> from autograd import tensor, minimum
    >>> minimum(tensor([1.0, 2.0, 3.0]), tensor([2.0])).tolist()
    [1.0, 2.0, 2.0]
    """
    a, b = pair(a, b, "minimum")
    return result(broadcasting("minimum", np.minimum, a.data, b.data), (a, b), MINIMUM)


METHODS: dict[str, Any] = {
    "sum": sum, "mean": mean, "var": var, "std": std, "prod": prod, "max": max, "min": min,
    "amax": amax, "amin": amin, "argmax": argmax, "argmin": argmin, "logsumexp": logsumexp,
    "maximum": maximum, "minimum": minimum,
    "nansum": nansum, "nanmean": nanmean, "aminmax": aminmax, "count_nonzero": count_nonzero,
}
# PyTorch has var_mean and std_mean as functions only
FUNCTIONS: dict[str, Any] = dict(METHODS, var_mean=var_mean, std_mean=std_mean)
