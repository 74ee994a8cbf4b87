"""PyTorch's fused arithmetic: a product or an elementwise term added to a tensor, as one op.

``addmm``, ``addmv``, ``baddbmm`` and ``addbmm`` compute ``beta * input + alpha * P`` where ``P`` is the
product of ``mm``, ``mv``, ``bmm`` or the sum over the batch of ``bmm``; ``addcmul`` and ``addcdiv``
compute ``input + value * t1 * t2`` and ``input + value * t1 / t2``; ``lerp`` computes
``start + weight * (end - start)``. Each is one recorded primitive. Its backward rule is written with what
Tensors and numpy arrays share, so the same lines are the Tensor rule (differentiable again) and the array
rule.

As in PyTorch, ``beta=0`` ignores ``input`` and ``alpha=0`` the product, so nan and inf in them do not
reach the result; their gradients are still ``beta * g`` and ``alpha * ...``, zeros. (PyTorch's
``baddbmm`` alone lets nan through at ``alpha=0``.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, TensorOp, as_tensor, describe, result
from ._common import broadcasting, broadcasts_to, tensor_arg
from .linalg import check_product_shapes, matmul_grads


def operands(name: str, *xs: Any) -> tuple[Tensor, ...]:
    """The operands of op ``name`` as Tensors: a Python number takes the dtype of the first Tensor among
    them (as in ``x + 2``), anything else goes through :func:`~autograd.ops._common.tensor_arg`.

    Examples
    --------
    >>> from autograd import tensor
    >>> [t.dtype.name for t in operands("addcmul", tensor([1.0]), 2, [3.0])]
    ['float32', 'float32', 'float32']
    """
    like = next((x for x in xs if isinstance(x, Tensor)), None)
    out = []
    for x in xs:
        if isinstance(x, Tensor):
            out.append(x)
        elif like is not None and isinstance(x, (int, float)) and not isinstance(x, bool):
            out.append(as_tensor(x, like))
        else:
            out.append(tensor_arg(x, name))
    return tuple(out)


def coefficient(value: Any, name: str, what: str, dtype: np.dtype) -> int | float:
    """A scalar coefficient (``alpha``, ``beta``, ``value``) as a Python number, checked: a real number,
    and an int where the result has an integer dtype (PyTorch would truncate a float there).

    Examples
    --------
    >>> import numpy as np
    >>> coefficient(np.float64(0.5), "addmm", "beta", np.dtype(np.float32))
    0.5
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: got {what} {describe(value)}; expected a real number")
    if isinstance(value, (float, np.floating)):
        if dtype.kind != "f":
            raise TypeError(f"{name}: got {what}={value!r} for tensors of dtype {dtype}; expected an int "
                            "(a float coefficient of an integer result would be truncated)")
        return float(value)  # a Python float keeps a float32 computation float32
    return int(value)


# ------------------------------------------------------------------------------- addmm and its kin


def _add_product_grads(node: Tensor, g: Any, a: Any, b: Any) -> tuple:
    """The rule of ``beta * input + alpha * (a @ b)`` (and of its sum over a batch); ``a``, ``b`` are the
    operands as Tensors (a Tensor rule) or arrays (an array rule)."""
    beta, alpha = node._ctx
    need_input, need_a, need_b = (p._requires_grad for p in node._parents)
    g_input = (g * beta if beta != 1 else g) if need_input else None
    g_a = g_b = None
    if need_a or need_b:
        # matmul's rule broadcasts an addbmm gradient (n, m) over the batch of its operands
        parents = node._parents
        g_a, g_b = matmul_grads(a, b, g * alpha if alpha != 1 else g, parents[1].data, parents[2].data,
                                need_a, need_b)
    return g_input, g_a, g_b


def _add_product_rule(node: Tensor, g: Tensor) -> tuple:
    return _add_product_grads(node, g, node._parents[1], node._parents[2])


def _add_product_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return _add_product_grads(node, g, node._parents[1].data, node._parents[2].data)


ADDMM = TensorOp("addmm", _add_product_rule, _add_product_array_rule)
ADDMV = TensorOp("addmv", _add_product_rule, _add_product_array_rule)
BADDBMM = TensorOp("baddbmm", _add_product_rule, _add_product_array_rule)
ADDBMM = TensorOp("addbmm", _add_product_rule, _add_product_array_rule)


def _add_product(op: TensorOp, x: Any, mat1: Any, mat2: Any, beta: Any, alpha: Any, ranks: tuple[int, int],
                 expected: str) -> Tensor:
    name = op.name
    x, a, b = operands(name, x, mat1, mat2)
    check_product_shapes(name, a.data.shape, b.data.shape, ranks, expected)
    dtype = np.result_type(x.data, a.data, b.data)
    beta = coefficient(beta, name, "beta", dtype)
    alpha = coefficient(alpha, name, "alpha", dtype)
    product = np.matmul(a.data, b.data)
    if op is ADDBMM:
        product = product.sum(axis=0)
    shape = product.shape
    if not broadcasts_to(x.data.shape, shape):
        raise ValueError(f"{name}: got input of shape {x.data.shape} for a product of shape {shape}; "
                         "expected an input that broadcasts to the product's shape")
    out = product if alpha == 1 else np.zeros(shape, dtype) if alpha == 0 else product * alpha
    if beta != 0:
        out = out + (x.data if beta == 1 else x.data * beta)
    macs = a.data.size * (b.data.shape[-1] if b.data.ndim > 1 else 1)
    return result(np.asarray(out, dtype=dtype), (x, a, b), op, (beta, alpha), macs=macs)


def addmm(input: Any, mat1: Any, mat2: Any, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """``beta * input + alpha * (mat1 @ mat2)`` for matrices ``(n, k)`` and ``(k, m)``; ``input``
    broadcasts to ``(n, m)`` (``torch.addmm``).

    Examples
    --------
    >>> from autograd import addmm, ones, tensor
    >>> addmm(tensor([1.0, 2.0]), ones(2, 3), ones(3, 2), beta=0.5, alpha=2).tolist()
    [[6.5, 7.0], [6.5, 7.0]]
    """
    return _add_product(ADDMM, input, mat1, mat2, beta, alpha, (2, 2), "two 2-D tensors")


def addmv(input: Any, mat: Any, vec: Any, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """``beta * input + alpha * (mat @ vec)`` for a matrix ``(n, k)`` and a vector ``(k,)``; ``input``
    broadcasts to ``(n,)`` (``torch.addmv``).

    Examples
    --------
    >>> from autograd import addmv, ones, tensor
    >>> addmv(tensor([1.0, 2.0]), ones(2, 3), ones(3), alpha=2).tolist()
    [7.0, 8.0]
    """
    return _add_product(ADDMV, input, mat, vec, beta, alpha, (2, 1), "a 2-D tensor and a 1-D one")


def baddbmm(input: Any, batch1: Any, batch2: Any, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """``beta * input + alpha * (batch1 @ batch2)`` for batches ``(b, n, k)`` and ``(b, k, m)``; ``input``
    broadcasts to ``(b, n, m)`` (``torch.baddbmm``).

    Examples
    --------
    >>> from autograd import baddbmm, ones
    >>> baddbmm(ones(2, 1), ones(5, 2, 3), ones(5, 3, 4)).shape
    (5, 2, 4)
    """
    return _add_product(BADDBMM, input, batch1, batch2, beta, alpha, (3, 3),
                        "two 3-D tensors with the same batch size")


def addbmm(input: Any, batch1: Any, batch2: Any, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """``beta * input + alpha * sum_i batch1[i] @ batch2[i]`` for batches ``(b, n, k)`` and ``(b, k, m)``;
    ``input`` broadcasts to ``(n, m)`` (``torch.addbmm``).

    Examples
    --------
    >>> from autograd import addbmm, ones, zeros
    >>> addbmm(zeros(2, 4), ones(5, 2, 3), ones(5, 3, 4)).tolist()[0]
    [15.0, 15.0, 15.0, 15.0]
    """
    return _add_product(ADDBMM, input, batch1, batch2, beta, alpha, (3, 3),
                        "two 3-D tensors with the same batch size")


# ------------------------------------------------------------------------------- addcmul, addcdiv


def _addcmul_grads(node: Tensor, g: Any, t1: Any, t2: Any) -> tuple:
    value = node._ctx
    need_input, need_1, need_2 = (p._requires_grad for p in node._parents)
    scaled = g * value if value != 1 else g
    return (g if need_input else None, scaled * t2 if need_1 else None, scaled * t1 if need_2 else None)


def _addcdiv_grads(node: Tensor, g: Any, t1: Any, t2: Any) -> tuple:
    value = node._ctx
    need_input, need_1, need_2 = (p._requires_grad for p in node._parents)
    scaled = g * value if value != 1 else g
    return (g if need_input else None, scaled / t2 if need_1 else None,
            -(scaled * t1) / (t2 * t2) if need_2 else None)


def _rules(grads: Any) -> tuple:
    """A Tensor rule and an array rule from one formula ``grads(node, g, t1, t2)``."""
    def rule(node: Tensor, g: Tensor) -> tuple:
        return grads(node, g, node._parents[1], node._parents[2])

    def array_rule(node: Tensor, g: np.ndarray) -> tuple:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # as the forward
            return grads(node, g, node._parents[1].data, node._parents[2].data)

    return rule, array_rule


ADDCMUL = TensorOp("addcmul", *_rules(_addcmul_grads))
ADDCDIV = TensorOp("addcdiv", *_rules(_addcdiv_grads))


def _add_term(op: TensorOp, x: Any, t1: Any, t2: Any, value: Any) -> Tensor:
    name = op.name
    x, t1, t2 = operands(name, x, t1, t2)
    if op is ADDCDIV and t1.data.dtype.kind != "f" and t2.data.dtype.kind != "f":
        raise TypeError(f"{name}: got tensor1 of dtype {t1.data.dtype} and tensor2 of dtype {t2.data.dtype}; "
                        "expected a floating-point tensor1 or tensor2 (integer division is refused, as in "
                        "PyTorch: convert one with .double() or .float())")
    dtype = np.result_type(x.data, t1.data, t2.data)
    value = coefficient(value, name, "value", dtype)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # x / 0 is inf or nan, as in div
        fn = np.divide if op is ADDCDIV else np.multiply
        term = broadcasting(name, fn, t1.data, t2.data)
        if value != 1:
            term = term * value
        out = broadcasting(name, np.add, x.data, term)
    return result(np.asarray(out, dtype=dtype), (x, t1, t2), op, value)


def addcmul(input: Any, tensor1: Any, tensor2: Any, value: float = 1) -> Tensor:  # noqa: A002
    """``input + value * tensor1 * tensor2``, elementwise with broadcasting (``torch.addcmul``).

    Examples
    --------
    >>> from autograd import addcmul, tensor
    >>> addcmul(tensor([1.0, 2.0]), tensor([3.0, 4.0]), tensor([5.0, 6.0]), value=0.5).tolist()
    [8.5, 14.0]
    """
    return _add_term(ADDCMUL, input, tensor1, tensor2, value)


def addcdiv(input: Any, tensor1: Any, tensor2: Any, value: float = 1) -> Tensor:  # noqa: A002
    """``input + value * tensor1 / tensor2``, elementwise with broadcasting (``torch.addcdiv``, the
    step of Adam). At least one of ``tensor1`` and ``tensor2`` must hold floats.

    Examples
    --------
    >>> from autograd import addcdiv, tensor
    >>> addcdiv(tensor([1.0, 2.0]), tensor([3.0, 4.0]), tensor([2.0, 8.0]), value=2).tolist()
    [4.0, 3.0]
    """
    return _add_term(ADDCDIV, input, tensor1, tensor2, value)


# ------------------------------------------------------------------------------- lerp


def _lerp_grads(node: Tensor, g: Any, start: Any, end: Any, weight: Any) -> tuple:
    need = [p._requires_grad for p in node._parents]
    grads = [g * (1 - weight) if need[0] else None, g * weight if need[1] else None]
    if len(need) == 3:
        grads.append(g * (end - start) if need[2] else None)
    return tuple(grads)


def _lerp_rule(node: Tensor, g: Tensor) -> tuple:
    parents = node._parents
    weight = parents[2] if len(parents) == 3 else node._ctx
    return _lerp_grads(node, g, parents[0], parents[1], weight)


def _lerp_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    parents = node._parents
    weight = parents[2].data if len(parents) == 3 else node._ctx
    return _lerp_grads(node, g, parents[0].data, parents[1].data, weight)


LERP = TensorOp("lerp", _lerp_rule, _lerp_array_rule)


def lerp(input: Any, end: Any, weight: Any) -> Tensor:  # noqa: A002
    """Linear interpolation ``input + weight * (end - input)`` (``torch.lerp``), elementwise with
    broadcasting; ``weight`` is a number or a tensor.

    As in PyTorch, the result is computed as ``end - (end - input) * (1 - weight)`` where
    ``|weight| >= 0.5``, so that ``weight = 1`` gives ``end`` exactly. ``input`` and ``end`` (and a tensor
    ``weight``) must hold floats.

    Examples
    --------
    >>> from autograd import lerp, tensor
    >>> lerp(tensor([0.0, 10.0]), tensor([1.0, 20.0]), 0.25).tolist()
    [0.25, 12.5]
    >>> lerp(tensor([0.0, 10.0]), tensor([1.0, 20.0]), tensor([0.0, 1.0])).tolist()
    [0.0, 20.0]
    """
    tensor_weight = not isinstance(weight, (int, float, np.integer, np.floating)) or isinstance(weight, bool)
    ts = operands("lerp", input, end, *((weight,) if tensor_weight else ()))
    for what, t in zip(("input", "end", "weight"), ts):
        if t.data.dtype.kind != "f":
            raise TypeError(f"lerp: got {what} of dtype {t.data.dtype}; expected floating-point tensors "
                            "(convert with .float() or .double())")
    start, stop = ts[0].data, ts[1].data
    w = ts[2].data if tensor_weight else float(weight)
    broadcasting("lerp", lambda *arrays: np.broadcast_shapes(*(a.shape for a in arrays)),
                 *(t.data for t in ts))
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf is nan, as in PyTorch
        diff = stop - start
        if tensor_weight:
            out = np.where(np.abs(w) < 0.5, start + w * diff, stop - diff * (1 - w))
        else:
            out = start + w * diff if abs(w) < 0.5 else stop - diff * (1 - w)
    out = np.asarray(out, dtype=np.result_type(*(t.data for t in ts)))
    return result(out, ts, LERP, None if tensor_weight else w)


METHODS: dict[str, Any] = {"addmm": addmm, "addmv": addmv, "baddbmm": baddbmm, "addbmm": addbmm,
                           "addcmul": addcmul, "addcdiv": addcdiv, "lerp": lerp}
FUNCTIONS: dict[str, Any] = dict(METHODS)
