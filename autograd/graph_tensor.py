"""How :func:`autograd.draw_graph` draws a :class:`~autograd.tensor.Tensor` and the operation that made it.

A tensor node shows its label (if any), its shape and dtype (``W1 | (2, 2) float64``), then on request
its data and gradient: the values themselves when the tensor has at most :data:`MAX_SHOWN_VALUES`
elements, ``mean=... norm=...`` otherwise, and a dash for a gradient that is None. An operation node
shows the op's name and its arguments, read from what the op saved (``_ctx``) or from the shapes of its
operands: ``sum(axis=1, keepdims=True)``, ``reshape(4, 3)``, ``matmul (4, 3) @ (3, 2)``. Ops without a
formatter in :data:`OP_FORMATTERS` show their name alone. Composite functions appear as the primitives
they are made of: ``x.mean()`` is a ``sum`` followed by a ``mul`` with the constant ``1/n``.

Importing :mod:`autograd.graph` registers this describer; nothing here changes a tensor.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .engine import FREED
from .graph import DASH, DrawOptions, NodeView, format_number, register_node_kind
from .tensor import Tensor

__all__ = ["MAX_SHOWN_VALUES", "OP_FORMATTERS", "describe_tensor", "format_array", "op_text"]

MAX_SHOWN_VALUES = 6
"""Tensors with at most this many elements show their values; larger ones a mean and a norm."""

_MAX_ARG_CHARS = 32  # longer op arguments (a big index array, a long einsum) are cut with an ellipsis
ARROW = "\u2192"


# --------------------------------------------------------------------------- data and gradients
def _format_scalar(x: Any, precision: int) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return format_number(x, precision)


def _nested(values: Any, precision: int) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v, precision) for v in values) + "]"
    return _format_scalar(values, precision)


def format_array(array: np.ndarray, precision: int = 4) -> str:
    """Summarise an array for a picture: its values if it is small, else its mean and Euclidean norm.

    Examples
    --------
    >>> import numpy as np
    >>> format_array(np.array([[1.0, -2.0], [0.5, 0.0]]), 2)
    '[[1.00, -2.00], [0.50, 0.00]]'
    >>> format_array(np.arange(10.0), 2)
    'mean=4.50 norm=16.88'
    """
    if array.size <= MAX_SHOWN_VALUES:
        return _nested(array.tolist(), precision)
    as_float = array.astype(np.float64, copy=False)
    with np.errstate(all="ignore"):  # inf and nan are shown as they are, not warned about
        mean = float(np.mean(as_float))
        norm = float(np.linalg.norm(as_float.ravel()))
    return f"mean={format_number(mean, precision)} norm={format_number(norm, precision)}"


def describe_tensor(node: Tensor, options: DrawOptions) -> NodeView:
    """The :class:`~autograd.graph.NodeView` of one tensor: label, shape and dtype, data, gradient, op."""
    rows = [f"{tuple(node.data.shape)} {node.data.dtype}"]
    if options.show_data:
        rows.append(f"data {format_array(node.data, options.precision)}")
    if options.show_grad:
        grad = node._grad
        shown = DASH if grad is None or not options.grads_known else format_array(
            grad.data, options.precision)
        rows.append(f"grad {shown}")
    if node._parents:
        return NodeView(node.label, tuple(rows), op_text(node))
    return NodeView(node.label, tuple(rows), None, constant=not node._requires_grad)


# --------------------------------------------------------------------------- operation arguments
def _shape(shape: tuple) -> str:
    return str(tuple(int(n) for n in shape))


def _args(shape: tuple) -> str:
    return ", ".join(str(int(n)) for n in shape)


def _num(x: Any) -> str:
    return format(float(x), "g")


def _short(text: str) -> str:
    return text if len(text) <= _MAX_ARG_CHARS else text[: _MAX_ARG_CHARS - 1] + "\u2026"


def _axes(node: Tensor, axes: tuple, keepdims: bool | None = None, extra: str = "") -> str:
    # All axes (the default axis=None) are left unsaid: sum, not sum(axis=(0, 1)).
    parts = []
    if tuple(axes) != tuple(range(node._parents[0].data.ndim)):
        parts.append(f"axis={axes[0]}" if len(axes) == 1 else f"axis={tuple(int(a) for a in axes)}")
    if keepdims:
        parts.append("keepdims=True")
    if extra:
        parts.append(extra)
    return f"{node._op.name}({', '.join(parts)})" if parts else node._op.name


def _reduction(node: Tensor, ctx: Any) -> str:
    return _axes(node, ctx[0], ctx[1])


def _var(node: Tensor, ctx: Any) -> str:
    axes, keepdims, ddof = ctx
    return _axes(node, axes, keepdims, f"ddof={ddof}" if ddof else "")


def _axes_only(node: Tensor, ctx: Any) -> str:
    axes = (ctx,) if isinstance(ctx, (int, np.integer)) else tuple(ctx)
    if node._op.name in ("softmax", "log_softmax"):  # the axis is the point of these ops: always shown
        return f"{node._op.name}(axis={axes[0] if len(axes) == 1 else axes})"
    return _axes(node, axes)


def _index_part(item: Any) -> str:
    if item is Ellipsis:
        return "..."
    if item is None:
        return "None"
    if isinstance(item, slice):
        text = ("" if item.start is None else str(item.start)) + ":" + (
            "" if item.stop is None else str(item.stop))
        return text + ("" if item.step is None else f":{item.step}")
    if isinstance(item, np.ndarray):
        if item.size <= 4:
            return str(item.tolist())
        return f"<{item.dtype} {_shape(item.shape)}>"
    return repr(item)


def _index(index: Any) -> str:
    items = index if isinstance(index, tuple) else (index,)
    return "[" + ", ".join(_index_part(i) for i in items) + "]"


def _getitem(node: Tensor, ctx: Any) -> str:
    return "getitem" + _short(_index(ctx[0]))


def _scatter_add(node: Tensor, ctx: Any) -> str:
    return f"scatter_add{_short(_index(ctx[0]))} {ARROW} {_shape(ctx[1])}"


def _clamp(node: Tensor, ctx: Any) -> str:
    lo, hi = ctx
    parts = ([] if lo is None else [f"min={_num(lo)}"]) + ([] if hi is None else [f"max={_num(hi)}"])
    return f"clamp({', '.join(parts)})"


def _einsum(node: Tensor, ctx: Any) -> str:
    terms, out = ctx[0], ctx[1]
    spec = ",".join("".join(t) for t in terms) + "->" + "".join(out)
    return f"einsum({_short(spec)})"


def _roll(node: Tensor, ctx: Any) -> str:
    shifts, axes = ctx
    return f"roll({shifts})" if axes is None else f"roll({shifts}, axis={axes})"


# Formatters that read only the shapes of the node and its parents: they survive a backward pass.
_SHAPE_FORMATTERS: dict[str, Callable[[Tensor], str]] = {
    "matmul": lambda n: f"matmul {_shape(n._parents[0].data.shape)} @ {_shape(n._parents[1].data.shape)}",
    "reshape": lambda n: f"reshape({_args(n.data.shape)})",
    "broadcast_to": lambda n: f"broadcast_to({_args(n.data.shape)})",
    "astype": lambda n: f"astype({n.data.dtype})",
    "linear": lambda n: f"linear {_shape(n._parents[0].data.shape)} -> {_shape(n.data.shape)}",
}

OP_FORMATTERS: dict[str, Callable[[Tensor, Any], str]] = {
    "sum": _reduction, "prod": _reduction, "max": _reduction, "min": _reduction, "logsumexp": _reduction,
    "var": _var,
    "softmax": _axes_only, "log_softmax": _axes_only, "flip": _axes_only,
    "permute": lambda n, ctx: f"permute({_args(ctx)})",
    "getitem": _getitem,
    "scatter_add": _scatter_add,
    "leaky_relu": lambda n, ctx: f"leaky_relu({_num(ctx)})",
    "elu": lambda n, ctx: f"elu(alpha={_num(ctx)})",
    "celu": lambda n, ctx: f"celu(alpha={_num(ctx)})",
    "selu": lambda n, ctx: "selu",  # its saved alpha is a constant of the function, not an argument
    "threshold": lambda n, ctx: f"threshold({_num(ctx)})",
    "gelu": lambda n, ctx: "gelu" if ctx[0] == "none" else f"gelu({ctx[0]})",  # ctx[1] is an array
    "clamp": _clamp,
    "cat": lambda n, ctx: f"cat(axis={ctx[0]})",
    "stack": lambda n, ctx: f"stack(axis={ctx})",
    "pad": lambda n, ctx: f"pad({_short(str(tuple(ctx)))})",
    "roll": _roll,
    "einsum": _einsum,
    "cumsum": lambda n, ctx: f"cumsum(axis={ctx})",
    "cumprod": lambda n, ctx: f"cumprod(axis={ctx})",
    "median": _reduction,
    "norm": lambda n, ctx: _axes(n, ctx[0], ctx[1], f"p={_num(ctx[2])}"),
}
"""``name -> formatter(node, ctx)`` for ops whose arguments are saved in ``_ctx``; add entries for new ops.

A formatter that fails (an op whose saved arguments changed form) falls back to the op's name, so a
picture is never lost to a label.
"""

def _plain_arguments(node: Tensor, ctx: Any) -> str:
    """An op without a formatter of its own: its name, and what it saved when that is a few numbers
    (hardtanh's bounds, softshrink's lambda, ...); otherwise the name alone."""
    items = ctx if isinstance(ctx, tuple) else (ctx,)
    plain = (int, float, np.integer, np.floating)  # a saved string is a tag of the op's own, not an argument
    if ctx is None or len(items) > 3 or not all(
            isinstance(v, plain) and not isinstance(v, bool) for v in items):
        return node._op.name
    return f"{node._op.name}({', '.join(_num(v) for v in items)})"


def op_text(node: Tensor) -> str:
    """The text of the operation node in front of ``node``: the op's name and its arguments.

    Examples
    --------
    >>> from autograd import ones
    >>> x = ones(4, 3, requires_grad=True)
    >>> (op_text(x.sum(axis=1)), op_text(x.reshape(3, 4)), op_text(x @ ones(3, 2)))
    ('sum(axis=1)', 'reshape(3, 4)', 'matmul (4, 3) @ (3, 2)')
    """
    name = node._op.name
    try:
        shape_formatter = _SHAPE_FORMATTERS.get(name)
        if shape_formatter is not None:
            return shape_formatter(node)
        formatter = OP_FORMATTERS.get(name, _plain_arguments)
        ctx = node._ctx
        if ctx is FREED:
            # A backward pass without retain_graph released the arguments; the shapes are still there,
            # and say what the arguments did (the axes a sum removed, the order a permute chose, ...).
            operands = ", ".join(_shape(p.data.shape) for p in node._parents)
            return f"{name} {operands} {ARROW} {_shape(node.data.shape)}"
        return formatter(node, ctx)
    except Exception:  # noqa: BLE001 - a label must never stop a drawing
        return name


register_node_kind(Tensor, describe_tensor)
