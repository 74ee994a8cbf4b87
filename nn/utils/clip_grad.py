"""Gradient clipping, as ``torch.nn.utils``: scale the gradients of a model's parameters in place so
that their joint norm is at most ``max_norm`` (:func:`clip_grad_norm_`), or clamp each entry to
``[-clip_value, clip_value]`` (:func:`clip_grad_value_`).

The joint norm of order ``p`` is the ``p``-norm of the per-tensor ``p``-norms, which for ``p > 0`` and
``p = +-inf`` is the norm of all entries taken together (for ``p = 0`` it counts the tensors with a
nonzero entry, as PyTorch's does). Parameters whose ``.grad`` is None are skipped. Gradients are changed
in place, each keeping its dtype; the change is recorded (as an optimizer's step is), so a graph that
``backward(create_graph=True)`` built through a gradient refuses to run on the changed values.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Union

import numpy as np

from autograd.default_dtype import get_default_dtype
from autograd.modifications import record_change
from autograd.tensor import Tensor, describe

__all__ = ["clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm"]

TensorOrTensors = Union[Tensor, Iterable[Tensor]]

# Added to the total norm before dividing by it, as PyTorch does: an all-zero gradient gives a finite
# coefficient, and a norm just below max_norm is scaled by slightly less than 1.
_EPS = 1e-6


def _tensors(tensors: Any, what: str, where: str) -> list[Tensor]:
    """``tensors`` (one Tensor or an iterable of them, consumed once) as a list."""
    if isinstance(tensors, Tensor):
        return [tensors]
    try:
        items = list(tensors)
    except TypeError:
        raise TypeError(f"{where}: got {what} {describe(tensors)}; expected a Tensor or an iterable "
                        "of Tensors (such as model.parameters())") from None
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            raise TypeError(f"{where}: item {i} of {what} is {describe(item)}; expected a Tensor")
    return items


def _grads(parameters: Any, where: str) -> list[Tensor]:
    """The gradients of ``parameters`` that are set, in order."""
    grads = []
    for i, p in enumerate(_tensors(parameters, "parameters", where)):
        g = p._grad
        if g is None:
            continue
        if not isinstance(g, Tensor):  # only p._grad = ... (not the checked p.grad = ...) can store this
            raise TypeError(f"{where}: parameter {i} has a .grad {describe(g)}; expected a "
                            "Tensor or None")
        grads.append(g)
    return grads


def _as_float(value: Any, name: str, where: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{where}: got {name}={value!r}; expected a number") from None


def _vector_norm(a: np.ndarray, p: float, where: str) -> np.floating:
    """The ``p``-norm of the entries of ``a``, in ``a``'s floating dtype."""
    dtype = a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)
    if a.size == 0:
        if math.isinf(p):
            raise ValueError(f"{where}: got an empty gradient and norm_type={p}; the {p} norm of no entries "
                             "is undefined (expected a norm_type that is finite)")
        return dtype.type(0)
    # float16 sums overflow quickly: accumulate in float32 at least, and round the result back
    work = np.abs(a.ravel()).astype(np.promote_types(dtype, np.float32), copy=False)
    if p == math.inf:
        out = work.max()
    elif p == -math.inf:
        out = work.min()
    elif p == 0:
        out = np.count_nonzero(work)
    elif p == 1:
        out = work.sum()
    elif p == 2:
        out = np.sqrt(np.dot(work, work))
    else:
        with np.errstate(divide="ignore", over="ignore"):  # negative orders of zeros: inf, then 0
            out = np.sum(work ** p) ** (1.0 / p)
    return dtype.type(out)


def get_total_norm(tensors: TensorOrTensors, norm_type: float | str = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """The joint ``norm_type``-norm of ``tensors`` (usually gradients), as PyTorch's ``get_total_norm``.

    Parameters
    ----------
    tensors : Tensor or iterable of Tensor
    norm_type : float or str, optional
        The order: 2 by default; ``float("inf")`` (or ``"inf"``) for the largest absolute entry.
    error_if_nonfinite : bool, optional
        Raise a RuntimeError if the norm is NaN or infinite.
    foreach : bool or None, optional
        Accepted for PyTorch's signature; ignored (there is no fused multi-tensor kernel to choose).

    Returns
    -------
    Tensor
        0-d, of the tensors' (promoted) floating dtype; a zero of the default dtype when there
        are none.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.utils import get_total_norm
    >>> get_total_norm([tensor([3.0, 4.0]), tensor([12.0])]).item()
    13.0
    >>> get_total_norm([tensor([3.0, -4.0]), tensor([1.0])], norm_type="inf").item()
    4.0
    """
    del foreach  # one loop over numpy arrays either way
    where = "get_total_norm"
    p = _as_float(norm_type, "norm_type", where)
    return _total_norm(_tensors(tensors, "tensors", where), p, error_if_nonfinite, where)


def _total_norm(tensors: list[Tensor], p: float, error_if_nonfinite: bool, where: str) -> Tensor:
    if not tensors:
        return Tensor(np.array(0.0, dtype=get_default_dtype()))
    norms = [_vector_norm(t.data, p, where) for t in tensors]
    dtype = np.result_type(*[n.dtype for n in norms])
    total = _vector_norm(np.array(norms, dtype=dtype), p, where)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"{where}: the total norm of order {p} of the gradients is {float(total)}; expected a finite "
            "norm, so nothing was clipped (pass error_if_nonfinite=False to scale by it anyway, which "
            "makes the gradients NaN or zero)"
        )
    return Tensor(np.asarray(total, dtype=dtype))


def clip_grads_with_norm_(parameters: TensorOrTensors, max_norm: float, total_norm: Any,
                          foreach: bool | None = None) -> None:
    """Scale the gradients of ``parameters`` in place by ``min(max_norm / (total_norm + 1e-6), 1)``, as
    PyTorch's ``clip_grads_with_norm_``; ``total_norm`` usually comes from :func:`get_total_norm`.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.utils import clip_grads_with_norm_
    >>> w = tensor([0.0, 0.0], requires_grad=True)
    >>> w.grad = tensor([3.0, 4.0])
    >>> clip_grads_with_norm_([w], 1.0, tensor(10.0))
    >>> [round(v, 4) for v in w.grad.tolist()]
    [0.3, 0.4]
    """
    del foreach  # one loop over numpy arrays either way
    where = "clip_grads_with_norm_"
    _scale(_grads(parameters, where), _as_float(max_norm, "max_norm", where), total_norm, where)


def _scale(grads: list[Tensor], max_norm: float, total_norm: Any, where: str) -> None:
    total = np.asarray(total_norm.data if isinstance(total_norm, Tensor) else total_norm)
    if total.dtype.kind != "f":
        if total.dtype.kind not in "iub":
            raise TypeError(f"{where}: got total_norm {describe(total_norm)}; expected a number or a "
                            "0-d Tensor")
        total = total.astype(np.float64)
    if total.size != 1:
        raise ValueError(f"{where}: got total_norm of shape {total.shape}; expected one number")
    dtype = total.dtype
    # computed in the norm's dtype and clamped above only, as PyTorch: a negative max_norm flips the signs
    coef = np.minimum(dtype.type(max_norm) / (total.reshape(()) + dtype.type(_EPS)), dtype.type(1.0))
    if coef == 1.0:
        return  # multiplying by exactly 1 changes nothing
    for g in grads:
        if not g.data.flags.writeable:
            g.data = np.array(g.data)
        record_change(g.data, where)
        with np.errstate(invalid="ignore"):  # inf * 0 for an infinite norm: NaN, as in PyTorch
            np.multiply(g.data, coef.astype(g.data.dtype), out=g.data)


def clip_grad_norm_(parameters: TensorOrTensors, max_norm: float, norm_type: float | str = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale the gradients of ``parameters`` in place so that their joint norm is at most ``max_norm``,
    as PyTorch's ``clip_grad_norm_``; return the joint norm they had.

    Every gradient is multiplied by ``min(max_norm / (total_norm + 1e-6), 1)``, so gradients whose norm
    is below ``max_norm`` are left as they are. Call it between ``loss.backward()`` and
    ``optimizer.step()``.

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        Usually ``model.parameters()``; those whose ``.grad`` is None are skipped.
    max_norm : float
        The largest joint norm allowed.
    norm_type : float or str, optional
        The order of the norm: 2 by default; ``float("inf")`` (or ``"inf"``) for the largest absolute
        entry.
    error_if_nonfinite : bool, optional
        If True, a NaN or infinite joint norm raises a RuntimeError and no gradient is changed. If False
        (the default) the gradients are scaled anyway, as in PyTorch: a NaN norm makes them all NaN, an
        infinite one makes the finite entries 0 and the infinite ones NaN.
    foreach : bool or None, optional
        Accepted for PyTorch's signature; ignored.

    Returns
    -------
    Tensor
        The joint norm of the gradients before clipping, 0-d, of their floating dtype (a zero of the
        default dtype when no parameter has a gradient).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.utils import clip_grad_norm_
    >>> w = tensor([0.0, 0.0], requires_grad=True)
    >>> w.grad = tensor([3.0, 4.0])
    >>> clip_grad_norm_([w], max_norm=1.0).item()
    5.0
    >>> [round(v, 4) for v in w.grad.tolist()]
    [0.6, 0.8]
    """
    del foreach  # one loop over numpy arrays either way
    where = "clip_grad_norm_"
    grads = _grads(parameters, where)
    max_norm = _as_float(max_norm, "max_norm", where)
    total = _total_norm(grads, _as_float(norm_type, "norm_type", where), error_if_nonfinite, where)
    _scale(grads, max_norm, total, where)
    return total


def clip_grad_value_(parameters: TensorOrTensors, clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient entry of ``parameters`` to ``[-clip_value, clip_value]`` in place, as
    PyTorch's ``clip_grad_value_``. Parameters whose ``.grad`` is None are skipped; NaN entries stay NaN.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.utils import clip_grad_value_
    >>> w = tensor([0.0, 0.0, 0.0], requires_grad=True)
    >>> w.grad = tensor([0.5, -3.0, 2.0])
    >>> clip_grad_value_(w, 1.0)
    >>> w.grad.tolist()
    [0.5, -1.0, 1.0]
    """
    del foreach  # one loop over numpy arrays either way
    where = "clip_grad_value_"
    grads = _grads(parameters, where)
    v = _as_float(clip_value, "clip_value", where)
    for g in grads:
        if not g.data.flags.writeable:
            g.data = np.array(g.data)
        record_change(g.data, where)
        # as PyTorch's clamp(min=-v, max=v): a negative clip_value sets every entry to it
        np.minimum(np.maximum(g.data, -v, out=g.data, casting="unsafe"), v, out=g.data, casting="unsafe")
