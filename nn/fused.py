"""Fused primitives for the two computations every classifier runs at each step.

``x @ W.T + b`` as three recorded ops (a transpose, a matmul, an add) and the softmax cross-entropy as
five or more pay the engine's per-op cost many times over on the small arrays of a training step. Here
each is one primitive, as PyTorch's ``addmm`` and ``cross_entropy`` are. Their rules are formulas
written with what Tensors and numpy arrays share (``@``, ``.mT``, ``.reshape``, ``.sum``), so one formula
is both the recorded rule (``create_graph=True``) and the array rule of a plain backward pass.

The public entry points are :func:`nn.functional.linear` and :func:`nn.functional.cross_entropy`, which
check their arguments and then call these.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import autograd
from autograd.ops.softmax import short_rows
from autograd.tensor import Tensor, TensorOp, constant_like, result, sum_rows


# ---------------------------------------------------------------------------------------------- linear
def _linear_grads(parents: tuple, x: Any, w: Any, g: Any, sum_of_rows: Any, input_grad: Any) -> tuple:
    """Gradients of ``x @ w.T + b`` for x (..., in), w (out, in) and g (..., out): ``input_grad(g, w)``
    (``g @ w``), ``g^T x`` over every leading axis, and the sum of g over them (``sum_of_rows`` of the
    rows of g); each only for a parent (x, w and perhaps b) that requires grad. A batch of vectors, as in
    every MLP step, is used as it is: a reshape is a call that costs microseconds once the step's matrix
    products have left the caches cold."""
    gx = input_grad(g, w) if parents[0]._requires_grad else None
    flat_g = g if g.ndim == 2 else g.reshape(-1, w.shape[0])  # a view: every leading axis is a row
    if parents[1]._requires_grad:
        gw = flat_g.mT @ (x if x.ndim == 2 else x.reshape(-1, w.shape[1]))
    else:
        gw = None
    if len(parents) == 2:
        return (gx, gw)
    return (gx, gw, sum_of_rows(flat_g) if parents[2]._requires_grad else None)


def _tensor_sum_of_rows(g: Tensor) -> Tensor:
    return g.sum(0)


def _tensor_input_grad(g: Tensor, w: Tensor) -> Tensor:
    return g @ w


def _array_input_grad(g: np.ndarray, w: np.ndarray) -> np.ndarray:
    # features first, as the forward pass lays out its result (see linear), so that the gradient meets
    # the activations it is multiplied with (relu's mask) in their own layout
    return (w.T @ g.T).T if g.ndim == 2 else g @ w


def _linear_rule(node: Tensor, g: Tensor) -> tuple:
    parents = node._parents
    return _linear_grads(parents, parents[0], parents[1], g, _tensor_sum_of_rows, _tensor_input_grad)


def _linear_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    parents = node._parents
    return _linear_grads(parents, parents[0].data, parents[1].data, g, sum_rows, _array_input_grad)


LINEAR = TensorOp("linear", _linear_rule, _linear_array_rule)


def linear(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """``x @ weight.T + bias`` as one recorded op; the shapes are the caller's to check.

    Examples
    --------
    >>> from autograd import tensor
    >>> linear(tensor([[1.0, 2.0]]), tensor([[1.0, 1.0]]), tensor([0.5])).tolist()
    [[3.5]]
    """
    d, w = x.data, weight.data
    if d.ndim == 2:
        # A batch is multiplied as (W @ x^T)^T: the result is laid out features first (Fortran order),
        # which numpy's BLAS computes faster than the batch-first product (an MLP training step by about
        # 9 %, benchmarks/bench_tensor.py), and which the next layer's product, relu, the fused
        # cross-entropy and this op's backward rule all take as it is, without a copy.
        out = (w @ d.T).T
    else:
        out = d @ w.T  # an array: the weight is 2-D, so this is never a 0-d dot product
    if bias is None:
        parents: tuple = (x, weight)
    else:
        parents = (x, weight, bias)
        if bias.data.dtype == out.dtype:
            out += bias.data  # in place: the product is a fresh array, and one allocation is saved
        else:
            out = out + bias.data  # numpy's promotion, as x @ weight.T + bias would give
    return result(out, parents, LINEAR, macs=out.size * w.shape[1])


# ---------------------------------------------------------------------------- softmax cross-entropy
# d loss / d logits[i, :] = coef[i] * (softmax(logits)[i, :] - onehot(labels[i])), times the upstream g.
#
# With few classes (a classifier's 10, say) the work is done on the transposed logits, classes first:
# numpy is several times slower at reducing or broadcasting along a short last axis than along a long
# one. The forward saves exp(logits - max) and its sums rather than the probabilities, so the backward
# scales them once instead of dividing and then scaling.


def _cross_entropy_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0]
    coef = node._ctx[3]
    probs = autograd.softmax(x, axis=1)  # recorded, so that second derivatives see it
    onehot = np.zeros(x.data.shape, dtype=x.data.dtype)
    onehot[np.arange(x.data.shape[0]), node._ctx[4]] = 1.0
    weights = coef if type(coef) is float else constant_like(coef[:, None], x)
    return ((probs - constant_like(onehot, x)) * weights * g,)


def _cross_entropy_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    e, total, flat, coef, _ = node._ctx
    scaled = coef * g  # one number without example weights, one per example with them
    out = e * ((scaled if scaled.ndim == 0 else scaled.reshape(total.shape)) / total)
    out.ravel()[flat] -= scaled  # one label per example: a plain fancy assignment adds no duplicates
    return (out if total.shape[1] == 1 else out.T,)  # back to (N, C) from classes first


SOFTMAX_CROSS_ENTROPY = TensorOp("cross_entropy", _cross_entropy_rule, _cross_entropy_array_rule)

_INDEX_BYTES = np.dtype(np.intp).itemsize


def softmax_cross_entropy(logits: Tensor, labels: np.ndarray, per_weight: np.ndarray | None,
                          denom: float) -> Tensor:
    """``-sum_i per_weight[i] * log_softmax(logits)[i, labels[i]] / denom`` as one recorded op.

    ``logits`` is (N, C); ``labels`` (N,) are class indices the caller has checked; ``per_weight`` (N,)
    are the examples' weights (None for all 1); ``denom`` divides the sum (1 for ``reduction='sum'``).

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> loss = softmax_cross_entropy(tensor([[0.0, 0.0]]), np.array([1]), None, 1.0)
    >>> round(loss.item(), 4)
    0.6931
    """
    d = logits.data
    n, c = d.shape
    # flat indexes each example's label in the array reduced below. It is computed in the platform's
    # integer type: labels * n would overflow a small label dtype (uint8 labels of a batch of 128, say).
    if labels.dtype.itemsize < _INDEX_BYTES:
        labels = labels.astype(np.intp)
    # Either layout is made contiguous: the label entries are read, and in the backward pass written,
    # through a flat view. Logits laid out classes first already (linear's output) are used as they are.
    if short_rows(d.shape) or d.flags.f_contiguous and not d.flags.c_contiguous:  # classes first
        a, axis, flat = np.ascontiguousarray(d.T), 0, labels * n + np.arange(n)
    else:
        a, axis, flat = np.ascontiguousarray(d), 1, np.arange(0, n * c, c) + labels
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # rows holding inf or nan give nan
        z = a - np.maximum.reduce(a, axis=axis, keepdims=True)  # the ufunc, without ndarray.max's wrapper
        e = np.exp(z)
        total = np.add.reduce(e, axis=axis, keepdims=True)
        picked = z.ravel()[flat] - np.log(total.ravel())  # log-probability of each example's label
        if per_weight is None:  # every example weighs the same: one number, not an array of them
            coef: float | np.ndarray = 1.0 / denom if denom else math.nan  # no example: nan, as in PyTorch
            loss = np.add.reduce(picked) * -coef
        else:  # every weight 0: 0 / 0 = nan, as in PyTorch
            coef = (per_weight / denom).astype(d.dtype)
            loss = -np.dot(picked, coef)
    # total keeps its reduced axis: (N, 1) in the plain layout, (1, N) classes first, as the backward reads
    return result(loss, (logits,), SOFTMAX_CROSS_ENTROPY, (e, total, flat, coef, labels))
