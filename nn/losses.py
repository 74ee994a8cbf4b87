"""Loss functions: mean squared error, the regression losses L1, smooth L1 and Huber, cross-entropy,
negative log-likelihood, binary cross-entropy (on probabilities and on logits), the hinge loss of the
soft-margin SVM, and KL divergence.

Each loss exists twice, with PyTorch's names and defaults: a function (``mse_loss``, ``cross_entropy``,
...) and a small callable class (``MSELoss``, ``CrossEntropyLoss``, ...) that stores the options.
Every loss takes ``reduction='mean' | 'sum' | 'none'``:

- ``'none'``: one loss per example (per element for the elementwise losses);
- ``'sum'``: their sum;
- ``'mean'``: their mean (for the class-index losses with ``weight``, the weighted mean, as in PyTorch).

Conventions (``/work/shared/SPEC.md``):

- :func:`mse_loss` is the mean of squared errors. The sources' ``1/2`` and ``1/(2n)`` variants are
  ``0.5 * mse_loss(...)`` and ``0.5 * mse_loss(..., reduction='sum') / n``.
- :func:`l1_loss`, :func:`smooth_l1_loss` and :func:`huber_loss` have PyTorch's derivatives at their
  kinks: that of ``|x|`` at 0 is 0, and where ``|input - target|`` equals ``beta`` (``delta``) the linear
  piece's (second derivative 0). Where the difference is nan, the derivative of ``smooth_l1_loss``
  (``beta > 0``) and ``huber_loss`` is nan and that of ``l1_loss`` 0, again as in PyTorch.
  ``smooth_l1_loss(beta=0)`` is ``l1_loss``; ``huber_loss`` needs ``delta > 0`` and equals
  ``delta * smooth_l1_loss(beta=delta)``.
- :func:`cross_entropy` is ``nll_loss(log_softmax(logits))`` with the maximum subtracted inside the log-
  softmax, so logits of 1e4 give a finite loss and the gradient ``softmax - onehot`` without nan.
- :func:`binary_cross_entropy_with_logits` computes ``max(x, 0) - x y + log(1 + exp(-|x|))``, which never
  overflows; prefer it to ``binary_cross_entropy(sigmoid(x), y)``.
- :func:`hinge_loss` is the textbook's soft-margin SVM loss ``ReLU(1 - y s)`` with labels in {-1, +1};
  :func:`svm_objective` is the regularized average hinge loss (7.12) with the textbook's ``w . x - b``.

As in PyTorch, the regression losses (:func:`mse_loss`, :func:`l1_loss`, :func:`smooth_l1_loss`,
:func:`huber_loss`) and :func:`kl_div` take a target whose shape broadcasts with the input's; the regression
losses then warn (``UserWarning``), since (N, 1) predictions against (N,) targets, say, give an (N, N)
loss. The binary cross-entropies and the hinge loss take only the input's shape.

Bad targets raise errors that say what was expected: shapes that do not match or broadcast (both shapes
named), class labels outside ``[0, C)`` (the label and ``C`` named), float labels where class indices are
expected, probabilities outside ``[0, 1]``, hinge labels other than -1 and +1.

Examples
--------
>>> from autograd import tensor
>>> from nn.losses import CrossEntropyLoss
>>> logits = tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 3.0]], requires_grad=True)
>>> loss = CrossEntropyLoss()(logits, tensor([0, 2]))
>>> round(loss.item(), 4)
0.1672
>>> loss.backward()
>>> logits.grad.shape
(2, 3)
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from typing import Any, Callable, Optional

import numpy as np

import autograd
from autograd.grad_mode import grad_enabled
from autograd.tensor import Tensor, TensorOp, as_tensor, constant_like, result

from . import fused
from .module import Module

__all__ = [
    "MSELoss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "HingeLoss", "KLDivLoss",
    "L1Loss", "SmoothL1Loss", "HuberLoss", "l1_loss", "smooth_l1_loss", "huber_loss",
    "mse_loss", "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "hinge_loss", "kl_div", "svm_objective",
]

_REDUCTIONS = ("mean", "sum", "none")


# ---------------------------------------------------------------------------------------------- helpers
def _check_reduction(reduction: str, where: str, allowed: tuple[str, ...] = _REDUCTIONS) -> str:
    if reduction not in allowed:
        expected = ", ".join(repr(r) for r in allowed)
        raise ValueError(f"{where}: got reduction={reduction!r}; expected one of {expected}")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _as_input(x: Any, where: str) -> Tensor:
    """The prediction as a floating-point Tensor."""
    x = x if isinstance(x, Tensor) else as_tensor(np.asarray(x))
    if x.data.dtype.kind != "f":
        raise TypeError(
            f"{where}: the input (predictions) must be floating-point; got dtype {x.data.dtype}"
        )
    return x


def _as_float_target(t: Any, like: Tensor, where: str, what: str = "target") -> Tensor:
    """A floating-point target with the input's dtype (a constant target is cast; one that requires grad
    keeps its dtype and the usual promotion applies)."""
    if isinstance(t, Tensor):
        if t.data.dtype.kind == "b":
            raise TypeError(
                f"{where}: the {what} is a bool tensor; expected numbers (use .astype('float64'))"
            )
        if not t._requires_grad and t.data.dtype != like.data.dtype:
            return as_tensor(t.data.astype(like.data.dtype))
        return t
    arr = np.asarray(t)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{where}: the {what} has dtype {arr.dtype}; expected numbers")
    return as_tensor(arr.astype(like.data.dtype))


def _same_shape(input: Tensor, target: Tensor, where: str, what: str = "target") -> None:  # noqa: A002
    if input.data.shape != target.data.shape:
        raise ValueError(
            f"{where}: {what} shape {target.data.shape} does not match input shape {input.data.shape}; "
            "expected the same shape (reshape one of them; broadcasting here is almost always a bug)"
        )


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _warn_caller(message: str) -> None:
    """A UserWarning attributed to the first caller outside this package, so that it points at the user's
    line whether a loss function or a loss module (through Module.__call__ and forward) was called."""
    frame, level = sys._getframe(1), 2
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)


def _broadcastable(input: Tensor, target: Tensor, where: str, warn: bool) -> None:  # noqa: A002
    """Accept a target whose shape broadcasts with the input's, as PyTorch does; ``warn`` (the regression
    losses, where PyTorch warns too) says so when the shapes differ, since a mismatch such as (N, 1)
    predictions against (N,) targets silently gives an (N, N) loss."""
    x_shape, t_shape = input.data.shape, target.data.shape
    if x_shape == t_shape:
        return
    try:
        shape = np.broadcast_shapes(x_shape, t_shape)
    except ValueError:
        raise ValueError(
            f"{where}: target shape {t_shape} does not broadcast with input shape {x_shape}; expected the "
            "same shape"
        ) from None
    if warn:
        _warn_caller(
            f"{where}: target shape {t_shape} differs from input shape {x_shape}; both are broadcast to "
            f"{shape}, which is rarely intended (the loss then compares every prediction with several "
            "targets); pass a target of the input's shape"
        )


def _weight_array(weight: Any, n_classes: int, where: str) -> Optional[np.ndarray]:
    if weight is None:
        return None
    w = np.asarray(weight.data if isinstance(weight, Tensor) else weight)
    if w.shape != (n_classes,):
        raise ValueError(
            f"{where}: weight has shape {w.shape}; expected one weight per class, shape ({n_classes},)"
        )
    return w


# ---------------------------------------------------------------------------------------------- regression
def _regression(where: str, input: Any, target: Any, reduction: str,  # noqa: A002
                pointwise: Callable[[Tensor], Tensor], weight: Any = None,
                weighted_mean: bool = False) -> Tensor:
    """The steps the regression losses share: check the reduction, take the input and a float target whose
    shape broadcasts with it (warning when the shapes differ, as PyTorch does), apply ``pointwise`` to
    ``input - target``, multiply by ``weight`` (of the input's shape) and reduce. ``weighted_mean``: the
    mean divides the weighted sum by the weights' sum (mse_loss, l1_loss), otherwise by the number of
    losses (huber_loss), as in PyTorch."""
    _check_reduction(reduction, where)
    input = _as_input(input, where)  # noqa: A001
    target = _as_float_target(target, input, where)
    _broadcastable(input, target, where, warn=True)
    loss = pointwise(input - target)
    if weight is None:
        return _reduce(loss, reduction)
    w = _weight_tensor(weight, input, where, same_shape=True)
    loss = loss * w
    if weighted_mean and reduction == "mean":
        # PyTorch's divisor is the sum of the weights as given, even where the target's shape made the
        # loss larger than the input
        return loss.sum() / w.sum()
    return _reduce(loss, reduction)


def mse_loss(input: Any, target: Any, reduction: str = "mean", weight: Any = None) -> Tensor:  # noqa: A002
    """Squared error ``(input - target) ** 2``, averaged (the default), summed or kept per element.

    Parameters
    ----------
    input : Tensor
        Predictions.
    target : Tensor or array_like
        Targets of the same shape (a shape that broadcasts with it is used with a ``UserWarning``).
    reduction : {'mean', 'sum', 'none'}, optional
    weight : Tensor or array_like, optional
        One weight per element (the input's shape) multiplying its loss; ``'mean'`` then divides the
        weighted sum by the sum of the weights, as PyTorch does.

    Examples
    --------
    >>> from autograd import tensor
    >>> mse_loss(tensor([1.0, 2.0]), tensor([0.0, 0.0])).item()
    2.5
    """
    return _regression("mse_loss", input, target, reduction, lambda d: d * d, weight, weighted_mean=True)


def _check_threshold(value: Any, name: str, where: str, zero_ok: bool) -> float:
    """``beta`` / ``delta`` as a float: at least 0 (``zero_ok``) or above 0; nan is rejected."""
    try:
        if isinstance(value, (str, bytes)):  # float() would parse them
            raise TypeError
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{where}: got {name}={value!r}; expected a number") from None
    if not (v >= 0.0 if zero_ok else v > 0.0):  # written so that nan fails too
        bound = f"{name} >= 0" if zero_ok else f"{name} > 0"
        raise ValueError(f"{where}: got {name}={v}; expected {bound}")
    return v


def l1_loss(input: Any, target: Any, reduction: str = "mean", weight: Any = None) -> Tensor:  # noqa: A002
    """Absolute error ``|input - target|``, averaged (the default), summed or kept per element.

    Its derivative with respect to ``input`` is ``sign(input - target)``, 0 where they are equal.

    Parameters
    ----------
    input : Tensor
        Predictions.
    target : Tensor or array_like
        Targets of the same shape (a shape that broadcasts with it is used with a ``UserWarning``).
    reduction : {'mean', 'sum', 'none'}, optional
    weight : Tensor or array_like, optional
        One weight per element (the input's shape) multiplying its loss; ``'mean'`` then divides the
        weighted sum by the sum of the weights, as PyTorch does.

    Examples
    --------
    >>> from autograd import tensor
    >>> l1_loss(tensor([1.0, -3.0]), tensor([0.0, 0.0])).item()
    2.0
    """
    return _regression("l1_loss", input, target, reduction, Tensor.abs, weight, weighted_mean=True)


# Smooth L1 and Huber share one primitive of d = input - target: ``0.5 d**2 / divisor`` where
# ``|d| < threshold`` and ``factor * (|d| - 0.5 threshold)`` elsewhere (smooth L1: divisor = threshold = beta,
# factor 1; Huber: divisor 1, factor = threshold = delta). Its own rule, the slope ``d / divisor`` or
# ``factor * sign(d)``, is what PyTorch differentiates: a nan difference gets a nan gradient (the sign of
# nan), and the unused piece never multiplies a zero gradient by an infinite delta.
def _piecewise_rule(node: Tensor, g: Tensor) -> tuple:
    (d,) = node._parents
    small, divisor, factor = node._ctx
    with np.errstate(invalid="ignore"):  # factor = inf times sign 0, only where the other piece is used
        linear_slope = factor * np.sign(d.data)
    # recorded from d, so that the second derivative (1 / divisor on the quadratic piece, 0 on the linear
    # one) is there with create_graph=True; d is divided only where the quadratic piece applies, since
    # elsewhere d / divisor may overflow (a tiny beta)
    quadratic_slope = autograd.where(small, d, 0.0) / divisor
    return (g * autograd.where(small, quadratic_slope, constant_like(linear_slope, d)),)


_PIECEWISE = TensorOp("piecewise_quadratic", _piecewise_rule)


def _piecewise(d: Tensor, threshold: float, divisor: float, factor: float) -> Tensor:
    x = d.data
    size = np.abs(x)
    small = size < threshold
    q = np.where(small, x, 0)  # square only where the quadratic piece applies: elsewhere it may overflow
    # |d| = threshold = inf gives inf - inf = nan on the linear piece, as in PyTorch
    with np.errstate(invalid="ignore", over="ignore"):
        loss = np.where(small, 0.5 * q * q / divisor, factor * (size - 0.5 * threshold))
    return result(loss.astype(x.dtype, copy=False), (d,), _PIECEWISE, (small, divisor, factor))


def smooth_l1_loss(input: Any, target: Any, reduction: str = "mean", beta: float = 1.0) -> Tensor:  # noqa: A002
    """Smooth L1 loss: ``0.5 d**2 / beta`` where ``|d| < beta`` and ``|d| - 0.5 beta`` elsewhere, for
    ``d = input - target``.

    ``beta = 0`` gives :func:`l1_loss`. At ``|d| == beta`` the linear piece is used, so the second
    derivative there is 0; at ``d == 0`` the first derivative is 0, and where ``d`` is nan it is nan (for
    ``beta > 0``, as in PyTorch).

    Parameters
    ----------
    input : Tensor
        Predictions.
    target : Tensor or array_like
        Targets of the same shape (a shape that broadcasts with it is used with a ``UserWarning``).
    reduction : {'mean', 'sum', 'none'}, optional
    beta : float, optional
        Where the quadratic piece turns linear (default 1); ``beta >= 0``.

    Examples
    --------
    >>> from autograd import tensor
    >>> smooth_l1_loss(tensor([0.5, 3.0]), tensor([0.0, 0.0]), reduction='none').tolist()
    [0.125, 2.5]
    """
    beta = _check_threshold(beta, "beta", "smooth_l1_loss", zero_ok=True)
    # beta = 0: the quadratic piece would be 0 / 0; PyTorch computes l1_loss there
    return _regression("smooth_l1_loss", input, target, reduction,
                       Tensor.abs if beta == 0.0 else lambda d: _piecewise(d, beta, beta, 1.0))


def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0,  # noqa: A002
               weight: Any = None) -> Tensor:
    """Huber loss: ``0.5 d**2`` where ``|d| < delta`` and ``delta (|d| - 0.5 delta)`` elsewhere, for
    ``d = input - target``; ``delta * smooth_l1_loss(input, target, beta=delta)``.

    At ``|d| == delta`` the linear piece is used, so the second derivative there is 0; in particular, with
    ``delta = inf`` an infinite difference gives ``inf * (inf - inf) = nan``, as in PyTorch (with the
    derivative ``+-inf``). Where ``d`` is nan the derivative is nan.

    Parameters
    ----------
    input : Tensor
        Predictions.
    target : Tensor or array_like
        Targets of the same shape (a shape that broadcasts with it is used with a ``UserWarning``).
    reduction : {'mean', 'sum', 'none'}, optional
    delta : float, optional
        Where the quadratic piece turns linear (default 1); ``delta > 0``.
    weight : Tensor or array_like, optional
        One weight per element (the input's shape) multiplying its loss; ``'mean'`` then averages the
        weighted losses over the elements, as PyTorch does.

    Examples
    --------
    >>> from autograd import tensor
    >>> huber_loss(tensor([0.5, 3.0]), tensor([0.0, 0.0]), reduction='none', delta=2.0).tolist()
    [0.125, 4.0]
    """
    delta = _check_threshold(delta, "delta", "huber_loss", zero_ok=False)
    return _regression("huber_loss", input, target, reduction, lambda d: _piecewise(d, delta, 1.0, delta),
                       weight)


# ---------------------------------------------------------------------------------------------- NLL / CE
def _class_axis(input: Tensor, where: str) -> int:
    if input.data.ndim == 0:
        raise ValueError(f"{where}: got a 0-d input; expected shape (C,), (N, C) or (N, C, d1, ...)")
    return 0 if input.data.ndim == 1 else 1


def _index_shape(input_shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape class labels must have for an input of this shape (the class axis removed)."""
    if len(input_shape) == 1:
        return ()
    return input_shape[:1] + input_shape[2:]


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def _plain_labels(y: np.ndarray, input: Tensor, ignore_index: int) -> bool:  # noqa: A002
    """True when ``y`` are integer labels of (N, C) logits, every one a class index, none ignored."""
    if input.data.ndim != 2 or y.dtype.kind not in "iu" or y.shape != input.data.shape[:1]:
        return False
    n_classes = input.data.shape[1]
    if 0 <= ignore_index < n_classes:
        return False  # some label may be ignored: the general path handles that
    # Read as unsigned, a negative label is huge, so the largest label checks both ends of the range.
    # One ufunc reduction, without a temporary mask: this runs at every training step. "Huge" means at
    # least 2**(bits - 1), which a narrow signed type (int8 with 200 classes) does not exceed.
    if y.dtype.kind == "i" and n_classes > 1 << (8 * y.dtype.itemsize - 1):
        return False
    return bool(np.maximum.reduce(y.view(_UNSIGNED[y.dtype.itemsize]), initial=0) < n_classes)


def _check_labels(target: Any, input: Tensor, ignore_index: int, where: str) -> np.ndarray:  # noqa: A002
    """Validate integer class labels; return them as an int64 array."""
    y = np.asarray(target.data if isinstance(target, Tensor) else target)
    expected = _index_shape(input.data.shape)
    if y.dtype.kind not in "iu":
        raise TypeError(
            f"{where}: class labels must be integers; got dtype {y.dtype} (convert with .astype('int64'), "
            f"or pass class probabilities of the input's shape {input.data.shape})"
        )
    if y.shape == (1,) and expected == () and not (where == "cross_entropy" and input.data.shape == (1,)):
        # PyTorch also takes the label of an unbatched (C,) input as shape (1,); for cross_entropy with
        # C = 1 that is the input's shape, which means probabilities (and integers are refused below)
        y = y.reshape(())
    if y.shape != expected:
        # cross_entropy also takes class probabilities; nll_loss takes only labels
        probs = (f", or float class probabilities of the input's shape {input.data.shape}"
                 if where == "cross_entropy" else "")
        if y.shape == input.data.shape:
            # e.g. one-hot rows given as integers: the shapes agree, so "does not match" would mislead
            raise ValueError(
                f"{where}: got an integer target of shape {y.shape}, the input's shape; integer targets must "
                f"be class indices of shape {expected} (the input's shape without the class axis){probs}"
                + (" (for one-hot rows use target.argmax(1), or convert them to float)" if probs else "")
            )
        raise ValueError(
            f"{where}: target shape {y.shape} does not match input shape {input.data.shape}; expected class "
            f"labels of shape {expected} (the input's shape without the class axis){probs}"
        )
    n_classes = input.data.shape[_class_axis(input, where)]
    bad = (y != ignore_index) & ((y < 0) | (y >= n_classes))
    if np.any(bad):
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        label = int(y[pos])
        raise IndexError(
            f"{where}: label {label} at position {pos} is out of range for {n_classes} classes; expected "
            f"labels in [0, {n_classes}) (or ignore_index={ignore_index})"
        )
    return y.astype(np.int64, copy=False)


def _nll_terms(logp: Tensor, y: np.ndarray, w: Optional[np.ndarray], ignore_index: int,
               ) -> tuple[Tensor, np.ndarray, np.ndarray]:
    """Per-example ``-w[y] * logp[y]`` (shape of ``y``), the valid mask and the per-example weights."""
    n_classes = logp.data.shape[0 if logp.data.ndim == 1 else 1]
    if logp.data.ndim == 1:
        flat = logp.reshape(1, n_classes)
    elif logp.data.ndim == 2:
        flat = logp
    else:  # (N, C, d1, ...) -> (N * d1 * ..., C)
        order = (0,) + tuple(range(2, logp.data.ndim)) + (1,)
        flat = logp.permute(*order).reshape(-1, n_classes)
    y_flat = y.reshape(-1)
    valid = y_flat != ignore_index
    safe = np.where(valid, y_flat, 0)
    picked = flat[np.arange(y_flat.size), safe]
    per_weight = (w[safe] if w is not None else np.ones(y_flat.size)) * valid
    per_weight = per_weight.astype(logp.data.dtype)
    terms = autograd.where(valid, -picked * constant_like(per_weight, logp), 0.0)
    return terms.reshape(y.shape), valid, per_weight


def _reduce_weighted(terms: Tensor, reduction: str, denom: float) -> Tensor:
    if reduction == "none":
        return terms
    total = terms.sum()
    if reduction == "sum":
        return total
    if denom == 0:
        # Every label ignored or weighted 0: the mean is nan, as in PyTorch. Multiplying by nan rather
        # than dividing by 0 keeps the backward pass from computing inf * 0, which numpy warns about.
        return total * math.nan
    return total / denom


def nll_loss(input: Any, target: Any, weight: Any = None, ignore_index: int = -100,  # noqa: A002
             reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of integer class labels, given log-probabilities.

    ``loss_i = -weight[y_i] * input[i, y_i]``; ``'mean'`` divides the sum by ``sum_i weight[y_i]``
    (by the number of labels without ``weight``), skipping labels equal to ``ignore_index``.

    Parameters
    ----------
    input : Tensor
        Log-probabilities of shape (N, C), (C,) or (N, C, d1, ...), e.g. ``log_softmax(logits, 1)``.
    target : Tensor or array_like of int
        Class labels in ``[0, C)`` of shape (N,), () or (N, d1, ...); for an input of shape (C,) the
        label may also have shape (1,), as in PyTorch.
    weight : Tensor or array_like, optional
        One weight per class, shape (C,).
    ignore_index : int, optional
        Labels equal to this contribute nothing (default -100).
    reduction : {'mean', 'sum', 'none'}, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> nll_loss(tensor([[-0.5, -1.0], [-2.0, -0.1]]), tensor([0, 1])).item()
    0.30000001192092896
    """
    _check_reduction(reduction, "nll_loss")
    input = _as_input(input, "nll_loss")  # noqa: A001
    axis = _class_axis(input, "nll_loss")
    y = _check_labels(target, input, ignore_index, "nll_loss")
    w = _weight_array(weight, input.data.shape[axis], "nll_loss")
    terms, _, per_weight = _nll_terms(input, y, w, ignore_index)
    return _reduce_weighted(terms, reduction, float(per_weight.sum()))


def cross_entropy(input: Any, target: Any, weight: Any = None, ignore_index: int = -100,  # noqa: A002
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between logits and class labels or class probabilities (PyTorch's definition).

    With integer labels ``y``: ``nll_loss(log_softmax(input, 1), y, weight, ignore_index, reduction)``.
    With probabilities ``p`` of the input's shape: ``-sum_c weight[c] p[i, c] log_softmax(input)[i, c]``,
    and ``'mean'`` divides by the number of examples. The log-softmax subtracts the maximum first, so
    logits of 1e4 are fine; the gradient with respect to the logits is ``softmax - onehot`` (scaled).

    Parameters
    ----------
    input : Tensor
        Unnormalized scores (logits) of shape (N, C), (C,) or (N, C, d1, ...).
    target : Tensor or array_like
        Integer labels in ``[0, C)`` of shape (N,), () or (N, d1, ...) (for an input of shape (C,) also
        (1,), as in PyTorch), or floating-point class probabilities of the input's shape.
    weight : Tensor or array_like, optional
        One weight per class, shape (C,).
    ignore_index : int, optional
        Labels equal to this contribute nothing (class-index targets only; default -100).
    reduction : {'mean', 'sum', 'none'}, optional
    label_smoothing : float, optional
        In ``[0, 1]``: the target becomes ``(1 - label_smoothing) * target + label_smoothing / C``.

    Examples
    --------
    >>> from autograd import tensor
    >>> round(cross_entropy(tensor([[1e4, 0.0]]), tensor([1])).item(), 1)
    10000.0
    """
    # A classifier's training step takes this path: (N, C) logits, integer labels all in range, no
    # weight, no smoothing. It comes first and makes as few calls as it can, because the step's large
    # matrix products leave the caches cold and each call then costs several times its warm price.
    if weight is None and not label_smoothing and (reduction == "mean" or reduction == "sum") \
            and type(input) is Tensor:
        labels = target.data if type(target) is Tensor else target
        if type(labels) is np.ndarray and input.data.dtype.kind == "f" \
                and _plain_labels(labels, input, ignore_index):
            return fused.softmax_cross_entropy(input, labels, None,
                                               float(labels.size) if reduction == "mean" else 1.0)
    _check_reduction(reduction, "cross_entropy")
    if not 0.0 <= float(label_smoothing) <= 1.0:
        raise ValueError(f"cross_entropy: got label_smoothing={label_smoothing}; expected a value in [0, 1]")
    eps = float(label_smoothing)
    input = _as_input(input, "cross_entropy")  # noqa: A001
    axis = _class_axis(input, "cross_entropy")
    n_classes = input.data.shape[axis]
    w = _weight_array(weight, n_classes, "cross_entropy")
    t_arr = np.asarray(target.data if isinstance(target, Tensor) else target)
    if t_arr.dtype.kind == "f" and t_arr.shape == input.data.shape:
        return _cross_entropy_probs(input, target, w, axis, reduction, eps)
    if t_arr.dtype.kind == "f" and t_arr.shape != _index_shape(input.data.shape):
        raise ValueError(
            f"cross_entropy: target shape {t_arr.shape} does not match input shape {input.data.shape}; "
            f"expected class probabilities of shape {input.data.shape} or integer labels of shape "
            f"{_index_shape(input.data.shape)}"
        )
    if eps == 0.0 and reduction != "none" and _plain_labels(t_arr, input, ignore_index):
        # the common case, as one op: (N, C) logits, labels all in range, nothing ignored or smoothed
        per_weight = None if w is None else w[t_arr]
        if reduction == "sum":
            denom = 1.0
        else:  # the mean divides by the examples' total weight
            denom = float(t_arr.size if per_weight is None else per_weight.sum())
        return fused.softmax_cross_entropy(input, t_arr, per_weight, denom)
    y = _check_labels(target, input, ignore_index, "cross_entropy")
    logp = autograd.log_softmax(input, axis)
    terms, valid, per_weight = _nll_terms(logp, y, w, ignore_index)
    denom = float(per_weight.sum())
    loss = _reduce_weighted(terms, reduction, denom)
    if eps == 0.0:
        return loss
    # PyTorch: (1 - eps) * nll + eps / C * smooth, smooth_i = -sum_c weight[c] logp[i, c]
    shape = [1] * input.data.ndim
    shape[axis] = n_classes
    weighted = logp * constant_like(w.reshape(shape), logp) if w is not None else logp
    smooth = -weighted.sum(axis=axis)
    smooth = autograd.where(valid.reshape(y.shape), smooth, 0.0)
    return (1.0 - eps) * loss + (eps / n_classes) * _reduce_weighted(smooth, reduction, denom)


def _cross_entropy_probs(input: Tensor, target: Any, w: Optional[np.ndarray], axis: int,  # noqa: A002
                         reduction: str, eps: float) -> Tensor:
    p = _as_float_target(target, input, "cross_entropy")
    n_classes = input.data.shape[axis]
    if eps > 0.0:
        p = p * (1.0 - eps) + eps / n_classes
    logp = autograd.log_softmax(input, axis)
    prod = logp * p
    if w is not None:
        shape = [1] * input.data.ndim
        shape[axis] = n_classes
        prod = prod * constant_like(w.reshape(shape), input)
    return _reduce(-prod.sum(axis=axis), reduction)


# ---------------------------------------------------------------------------------------------- BCE
def _check_unit_interval(arr: np.ndarray, where: str, what: str) -> None:
    bad = ~((arr >= 0) & (arr <= 1))
    if np.any(bad):
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{where}: {what} {arr[pos].item()!r} at position {pos} is outside [0, 1]; expected probabilities"
            + (" (for logits use binary_cross_entropy_with_logits)" if what == "input" else "")
        )


def _bce_forward(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore"):
        log_x = np.maximum(np.log(x), -100.0)
        log_1mx = np.maximum(np.log1p(-x), -100.0)
    return -(y * log_x + (1.0 - y) * log_1mx), log_x, log_1mx


def _bce_rule(node: Tensor, g: Tensor) -> tuple:
    # PyTorch's derivative: d/dx = (x - y) / max(x (1 - x), 1e-12); d/dy = log(1 - x) - log(x) (clamped).
    x, y = node._parents
    gx = gy = None
    if x._requires_grad:
        gx = g * (x - y) / (x * (1.0 - x)).clamp(min=1e-12)
    if y._requires_grad:
        if x._requires_grad and grad_enabled():
            # recorded from x, so that d/dx of this gradient (a mixed second derivative) is not lost
            gy = g * ((1.0 - x).log().clamp(min=-100.0) - x.log().clamp(min=-100.0))
        else:
            log_x, log_1mx = node._ctx
            gy = g * constant_like(log_1mx - log_x, g)
    return (gx, gy)


_BCE = TensorOp("binary_cross_entropy", _bce_rule)


def binary_cross_entropy(input: Any, target: Any, weight: Any = None,  # noqa: A002
                         reduction: str = "mean") -> Tensor:
    """Binary cross-entropy ``-w (y log x + (1 - y) log(1 - x))`` between probabilities ``x`` and ``y``.

    As in PyTorch, each log is clamped to ``>= -100``, so ``x = 0`` or ``1`` gives a finite loss; the
    gradient is ``w (x - y) / max(x (1 - x), 1e-12)``. For raw scores use
    :func:`binary_cross_entropy_with_logits`, which is exact and stable.

    Parameters
    ----------
    input : Tensor
        Probabilities in [0, 1].
    target : Tensor or array_like
        Probabilities in [0, 1] (usually 0/1 labels), same shape.
    weight : Tensor or array_like, optional
        Rescales each element's loss (broadcast to the input's shape).
    reduction : {'mean', 'sum', 'none'}, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> round(binary_cross_entropy(tensor([0.5, 0.9]), tensor([1.0, 1.0])).item(), 4)
    0.3993
    """
    _check_reduction(reduction, "binary_cross_entropy")
    input = _as_input(input, "binary_cross_entropy")  # noqa: A001
    target = _as_float_target(target, input, "binary_cross_entropy")
    _same_shape(input, target, "binary_cross_entropy")
    _check_unit_interval(input.data, "binary_cross_entropy", "input")
    _check_unit_interval(target.data, "binary_cross_entropy", "target")
    loss, log_x, log_1mx = _bce_forward(input.data, target.data)
    dtype = np.result_type(input.data, target.data)
    out = result(loss.astype(dtype, copy=False), (input, target), _BCE, (log_x, log_1mx))
    if weight is not None:
        out = out * _weight_tensor(weight, out, "binary_cross_entropy")
    return _reduce(out, reduction)


def _weight_tensor(weight: Any, like: Tensor, where: str, what: str = "weight",
                   same_shape: bool = False) -> Tensor:
    """Weights for the elements of ``like``: of its shape (``same_shape``, one per element) or one that
    broadcasts to it, in its dtype unless the weight itself requires grad."""
    w = weight if isinstance(weight, Tensor) else constant_like(weight, like)
    if same_shape:
        if w.data.shape != like.data.shape:
            raise ValueError(
                f"{where}: {what} of shape {w.data.shape} does not match input shape {like.data.shape}; "
                f"expected one {what} per element, of the input's shape"
            )
    else:
        try:
            np.broadcast_shapes(w.data.shape, like.data.shape)
        except ValueError:
            raise ValueError(
                f"{where}: {what} of shape {w.data.shape} cannot be broadcast to the input's shape "
                f"{like.data.shape}"
            ) from None
    if not w._requires_grad and w.data.dtype != like.data.dtype:
        w = constant_like(w.data, like)
    return w


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None,  # noqa: A002
                                     reduction: str = "mean", pos_weight: Any = None) -> Tensor:
    """Binary cross-entropy of ``sigmoid(input)`` and ``target``, computed stably from the logits.

    ``loss = max(x, 0) - x y + log(1 + exp(-|x|))`` (``softplus(x) - x y``), which never overflows and
    has the gradient ``sigmoid(x) - y``. With ``pos_weight`` ``p`` (PyTorch's formula):
    ``loss = (1 - y) x + (1 + (p - 1) y) softplus(-x)``, i.e. the positive term is weighted by ``p``.

    Parameters
    ----------
    input : Tensor
        Logits (any real numbers).
    target : Tensor or array_like
        Probabilities in [0, 1], same shape.
    weight : Tensor or array_like, optional
        Rescales each element's loss (broadcast to the input's shape).
    reduction : {'mean', 'sum', 'none'}, optional
    pos_weight : Tensor or array_like, optional
        Weight of the positive examples, broadcast along the last axis (one per class, shape (C,)).

    Examples
    --------
    >>> from autograd import tensor
    >>> round(binary_cross_entropy_with_logits(tensor([0.0, 1e4]), tensor([1.0, 1.0])).item(), 4)
    0.3466
    """
    where = "binary_cross_entropy_with_logits"
    _check_reduction(reduction, where)
    input = _as_input(input, where)  # noqa: A001
    target = _as_float_target(target, input, where)
    _same_shape(input, target, where)
    _check_unit_interval(target.data, where, "target")
    if pos_weight is None:
        loss = input.softplus() - input * target
    else:
        pw = _weight_tensor(pos_weight, input, where, "pos_weight")
        loss = (1.0 - target) * input + (1.0 + (pw - 1.0) * target) * (-input).softplus()
    if weight is not None:
        loss = loss * _weight_tensor(weight, loss, where)
    return _reduce(loss, reduction)


# ---------------------------------------------------------------------------------------------- hinge / SVM
def _check_signs(y: np.ndarray, where: str) -> None:
    bad = (y != 1) & (y != -1)
    if np.any(bad):
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{where}: label {y[pos].item()!r} at position {pos} is not -1 or +1; the hinge loss expects "
            "labels in {-1, +1} (convert 0/1 labels with 2 * y - 1)"
        )


def hinge_loss(input: Any, target: Any, reduction: str = "mean", margin: float = 1.0) -> Tensor:  # noqa: A002
    """Hinge loss of the soft-margin SVM: ``ReLU(margin - y * s)`` for scores ``s``, labels ``y = +-1``.

    This is the textbook's (7.11) ``L_i = ReLU(1 - y_i (w . x_i - b))`` with ``s_i = w . x_i - b``; the mean
    over examples is the average hinge loss of (7.12) (see :func:`svm_objective` for the regularized
    one). Its gradient is ``-y`` where ``y s < margin`` and 0 elsewhere (0 at the kink, ReLU'(0) = 0).

    Parameters
    ----------
    input : Tensor
        Scores ``s`` (any real numbers).
    target : Tensor or array_like
        Labels in {-1, +1}, same shape.
    reduction : {'mean', 'sum', 'none'}, optional
    margin : float, optional
        The margin (default 1).

    Examples
    --------
    >>> from autograd import tensor
    >>> hinge_loss(tensor([2.0, 0.5, -1.0]), tensor([1.0, 1.0, 1.0]), reduction='none').tolist()
    [0.0, 0.5, 2.0]
    """
    _check_reduction(reduction, "hinge_loss")
    input = _as_input(input, "hinge_loss")  # noqa: A001
    target = _as_float_target(target, input, "hinge_loss")
    _same_shape(input, target, "hinge_loss")
    _check_signs(target.data, "hinge_loss")
    return _reduce((float(margin) - target * input).relu(), reduction)


def svm_objective(w: Tensor, b: Any, X: Any, y: Any, lam: float) -> Tensor:
    """The regularized average hinge loss of the soft-margin SVM (textbook (7.12), Ex. 7.5.2-7.5.5).

    ``L(w, b) = lam * ||w||^2 + (1/N) sum_i ReLU(1 - y_i (w . x_i - b))``, with the textbook's sign
    convention: the decision function is ``w . x - b`` (so ``b`` is subtracted).

    Parameters
    ----------
    w : Tensor
        Weights, shape (d,).
    b : Tensor or float
        Offset (a scalar), subtracted from ``X @ w``.
    X : Tensor or array_like
        Data points, shape (N, d).
    y : Tensor or array_like
        Labels in {-1, +1}, shape (N,).
    lam : float
        Regularization strength ``lambda >= 0``.

    Examples
    --------
    Textbook Exercise 4 (7.5.4): at ``w = (1, 0)``, ``b = 0`` only ``x_3 = (0, 0)`` is inside the margin.

    >>> from autograd import tensor
    >>> X = tensor([[-1.0, 0.0], [1.0, 0.0], [0.0, 0.0], [2.0, 0.0]])
    >>> y = tensor([-1.0, 1.0, -1.0, 1.0])
    >>> round(svm_objective(tensor([1.0, 0.0]), 0.0, X, y, lam=0.1).item(), 6)
    0.35
    """
    if lam < 0:
        raise ValueError(f"svm_objective: got lam={lam}; expected lam >= 0")
    w = _as_input(w, "svm_objective")
    X = X if isinstance(X, Tensor) else constant_like(X, w)
    if X.data.ndim != 2 or w.data.ndim != 1 or X.data.shape[1] != w.data.shape[0]:
        raise ValueError(
            f"svm_objective: X has shape {X.data.shape} and w has shape {w.data.shape}; expected X of shape "
            "(N, d) and w of shape (d,)"
        )
    scores = X @ w - b
    return hinge_loss(scores, y) + lam * (w * w).sum()


# ---------------------------------------------------------------------------------------------- KL
def kl_div(input: Any, target: Any, reduction: str = "mean", log_target: bool = False) -> Tensor:  # noqa: A002
    """Kullback-Leibler divergence ``KL(target || q)`` given log-probabilities ``input = log q``.

    Pointwise ``target * (log target - input)`` (0 where ``target == 0``), or with ``log_target=True``
    ``exp(target) * (target - input)`` (0 where ``target == -inf``, where PyTorch gives nan).
    Reductions are PyTorch's: ``'mean'`` (the default) averages over
    *all elements*, which is not the KL divergence of a batch; ``'batchmean'`` divides the sum by the batch
    size and is the mathematically right one; ``'sum'`` and ``'none'`` as usual.

    Parameters
    ----------
    input : Tensor
        Log-probabilities ``log q`` (e.g. ``log_softmax(logits)``).
    target : Tensor or array_like
        Probabilities ``p`` (or ``log p`` when ``log_target``), same shape (or one that broadcasts with
        it, as in PyTorch: a single distribution for every row, say).
    reduction : {'mean', 'batchmean', 'sum', 'none'}, optional
    log_target : bool, optional

    Examples
    --------
    >>> import math
    >>> from autograd import tensor
    >>> q = tensor([0.5, 0.5], dtype='float64')
    >>> round(kl_div(q.log(), tensor([1.0, 0.0]), reduction='sum').item(), 6) == round(math.log(2), 6)
    True
    """
    _check_reduction(reduction, "kl_div", _REDUCTIONS + ("batchmean",))
    input = _as_input(input, "kl_div")  # noqa: A001
    target = _as_float_target(target, input, "kl_div")
    _broadcastable(input, target, "kl_div", warn=False)  # PyTorch broadcasts here without a warning
    if log_target:
        finite = target.data > -np.inf  # log p = -inf is p = 0, which contributes 0 (PyTorch gives nan)
        safe = autograd.where(finite, target, 0.0)
        pointwise = autograd.where(finite, safe.exp() * (safe - input), 0.0)
    else:
        positive = target.data > 0
        safe = autograd.where(positive, target, 1.0)
        pointwise = autograd.where(positive, target * (safe.log() - input), 0.0)
    if reduction == "batchmean":
        n = input.data.shape[0] if input.data.ndim > 0 else 1
        return pointwise.sum() / float(n)
    return _reduce(pointwise, reduction)


# ---------------------------------------------------------------------------------------------- modules
class _Loss(Module):
    """Base of the loss classes: a :class:`~nn.module.Module` that stores ``reduction`` and its options.

    Class weights are registered as buffers (as in PyTorch), so they follow ``.double()`` and appear in
    ``state_dict()``. As PyTorch's, a loss prints as its class name alone, whatever its options: read
    them from its attributes (``loss.reduction``).

    Examples
    --------
    >>> CrossEntropyLoss(reduction="sum", label_smoothing=0.1)
    CrossEntropyLoss()
    """

    _reductions: tuple[str, ...] = _REDUCTIONS

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = _check_reduction(reduction, type(self).__name__, self._reductions)

    def _buffer(self, name: str, value: Any) -> None:
        if value is not None and not isinstance(value, Tensor):
            arr = np.asarray(value)
            value = Tensor(arr if arr.dtype.kind == "f" else arr.astype(autograd.get_default_dtype()))
        self.register_buffer(name, value)

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        raise NotImplementedError


class MSELoss(_Loss):
    """Mean squared error; see :func:`mse_loss`.

    Examples
    --------
    >>> from autograd import tensor
    >>> MSELoss(reduction='sum')(tensor([1.0, 2.0]), tensor([0.0, 0.0])).item()
    5.0
    """

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        return mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error; see :func:`l1_loss`.

    Examples
    --------
    >>> from autograd import tensor
    >>> L1Loss(reduction='sum')(tensor([1.0, -2.0]), tensor([0.0, 0.0])).item()
    3.0
    """

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        return l1_loss(input, target, reduction=self.reduction)


class _ThresholdLoss(_Loss):
    """A regression loss with one threshold keyword: ``_threshold`` names it (``beta``, ``delta``),
    ``_zero_ok`` says whether 0 is allowed, and ``_function`` is the loss function that takes it."""

    _threshold: str
    _zero_ok: bool
    _function: Any

    def __init__(self, reduction: str, value: float) -> None:
        super().__init__(reduction)
        setattr(self, self._threshold,
                _check_threshold(value, self._threshold, type(self).__name__, zero_ok=self._zero_ok))

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        return type(self)._function(input, target, reduction=self.reduction,
                                    **{self._threshold: getattr(self, self._threshold)})


class SmoothL1Loss(_ThresholdLoss):
    """Smooth L1 loss, quadratic below ``beta`` and linear above; see :func:`smooth_l1_loss`.

    Examples
    --------
    >>> from autograd import tensor
    >>> SmoothL1Loss(beta=0.5)(tensor([0.25, 2.0]), tensor([0.0, 0.0])).item()
    0.90625
    """

    _threshold, _zero_ok, _function = "beta", True, smooth_l1_loss

    def __init__(self, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(reduction, beta)


class HuberLoss(_ThresholdLoss):
    """Huber loss, quadratic below ``delta`` and ``delta``-scaled linear above; see :func:`huber_loss`.

    Examples
    --------
    >>> from autograd import tensor
    >>> HuberLoss(delta=2.0)(tensor([1.0, 4.0]), tensor([0.0, 0.0])).item()
    3.25
    """

    _threshold, _zero_ok, _function = "delta", False, huber_loss

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction, delta)


class CrossEntropyLoss(_Loss):
    """Cross-entropy of logits and class labels or probabilities; see :func:`cross_entropy`.

    Examples
    --------
    >>> from autograd import tensor
    >>> round(CrossEntropyLoss()(tensor([[0.0, 0.0]]), tensor([1])).item(), 4)
    0.6931
    """

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(reduction)
        if not 0.0 <= float(label_smoothing) <= 1.0:
            raise ValueError(
                f"CrossEntropyLoss: got label_smoothing={label_smoothing}; expected a value in [0, 1]"
            )
        self._buffer("weight", weight)
        self.ignore_index = int(ignore_index)
        self.label_smoothing = float(label_smoothing)

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        return cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                             reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_Loss):
    """Negative log-likelihood of class labels given log-probabilities; see :func:`nll_loss`.

    Examples
    --------
    >>> from autograd import tensor
    >>> NLLLoss()(tensor([[-1.0, -2.0]]), tensor([1])).item()
    2.0
    """

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self._buffer("weight", weight)
        self.ignore_index = int(ignore_index)

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        return nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                        reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities; see :func:`binary_cross_entropy`.

    Examples
    --------
    >>> from autograd import tensor
    >>> round(BCELoss()(tensor([0.5]), tensor([0.0])).item(), 4)
    0.6931
    """

    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self._buffer("weight", weight)

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        return binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy on logits, computed stably; see :func:`binary_cross_entropy_with_logits`.

    Examples
    --------
    >>> from autograd import tensor
    >>> round(BCEWithLogitsLoss()(tensor([0.0]), tensor([1.0])).item(), 4)
    0.6931
    """

    def __init__(self, weight: Any = None, reduction: str = "mean", pos_weight: Any = None) -> None:
        super().__init__(reduction)
        self._buffer("weight", weight)
        self._buffer("pos_weight", pos_weight)

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        return binary_cross_entropy_with_logits(input, target, weight=self.weight, reduction=self.reduction,
                                                pos_weight=self.pos_weight)


class HingeLoss(_Loss):
    """Hinge loss ``ReLU(margin - y s)`` of the soft-margin SVM, labels in {-1, +1}; see :func:`hinge_loss`.

    Examples
    --------
    >>> from autograd import tensor
    >>> HingeLoss()(tensor([0.5, 3.0]), tensor([1.0, -1.0])).item()
    2.25
    """

    def __init__(self, reduction: str = "mean", margin: float = 1.0) -> None:
        super().__init__(reduction)
        self.margin = float(margin)

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        return hinge_loss(input, target, reduction=self.reduction, margin=self.margin)


class KLDivLoss(_Loss):
    """KL divergence given log-probabilities; see :func:`kl_div`.

    The default ``reduction='mean'`` is PyTorch's and averages over all elements; use
    ``reduction='batchmean'`` for the KL divergence averaged over the batch.

    Examples
    --------
    >>> from autograd import tensor
    >>> KLDivLoss(reduction='batchmean')(tensor([[0.0, -1e9]]), tensor([[1.0, 0.0]])).item()
    0.0
    """

    _reductions = _REDUCTIONS + ("batchmean",)

    def __init__(self, reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__(reduction)
        self.log_target = bool(log_target)

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002
        return kl_div(input, target, reduction=self.reduction, log_target=self.log_target)
