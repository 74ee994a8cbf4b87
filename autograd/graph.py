"""Pictures of computation graphs: values, gradients and operations on one drawing (textbook Fig. 9.2).

:func:`draw_graph` turns the graph behind a node into a :class:`graphviz.Digraph`: one record per node
(label, data, gradient), one small ellipse per operation, edges in the direction data flows
(parent -> operation -> result). Building the DOT source needs only the ``graphviz`` Python package;
:func:`render` runs the Graphviz ``dot`` program to write SVG, PNG or PDF.

Each node kind (Value here, Tensor in :mod:`autograd.graph_tensor`) is described by one function,
registered with :func:`register_node_kind`; everything else (numbering, edges, styles, legend, large-graph
summaries) is shared. Drawing reads nodes and never changes them; :func:`retain_grads` is the one helper
here that does (it asks interior tensors to keep their gradients, before a backward pass).
"""

from __future__ import annotations

import math
import pathlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from . import value as _value
from .engine import FREED, topological_order
from .tensor import describe

if TYPE_CHECKING:  # graphviz is imported when a graph is drawn, so `import autograd` does not need it
    import graphviz

__all__ = ["draw_graph", "render", "output_format", "register_node_kind", "retain_grads", "NodeView",
           "DrawOptions"]

DASH = "\u2014"
"""Shown in place of a gradient that no backward pass has produced."""

_SUMMARY_LEAVES = 12  # leaves drawn individually in the summary of a graph larger than max_nodes
_SUMMARY_OPS = 12  # operation kinds listed by name in that summary
_RANKDIRS = ("LR", "RL", "TB", "BT")


@dataclass(frozen=True)
class DrawOptions:
    """What to show, as decided by :func:`draw_graph`; passed to every node describer."""

    show_data: bool
    show_grad: bool
    grads_known: bool
    precision: int


@dataclass(frozen=True)
class NodeView:
    """How one node looks: a title (its label, may be empty), text rows, and its operation.

    ``op`` is the text of the operation node drawn in front of it, or None for a leaf. ``constant`` marks
    a leaf that takes no gradient (a Tensor with ``requires_grad=False``): it is drawn grey and dashed,
    apart from the parameters.
    """

    title: str
    rows: tuple[str, ...]
    op: str | None
    constant: bool = False


@dataclass(frozen=True)
class _NodeKind:
    describe: Callable[[Any, DrawOptions], NodeView]
    grads_known: Callable[[Any], bool]


_KINDS: dict[type, _NodeKind] = {}


def register_node_kind(
    cls: type,
    describe: Callable[[Any, DrawOptions], NodeView],
    grads_known: Callable[[Any], bool] = lambda root: True,
) -> None:
    """Teach :func:`draw_graph` to draw nodes of type ``cls`` (and of its subclasses).

    Parameters
    ----------
    cls : type
        The node class, e.g. ``Tensor``.
    describe : callable
        ``describe(node, options) -> NodeView``: the node's title, text rows and operation text.
        ``options.grads_known`` is False when no backward pass has run from the root.
    grads_known : callable, optional
        ``grads_known(root) -> bool``: whether a backward pass has run from ``root``, for node kinds
        whose gradients do not say so themselves. By default True (e.g. a Tensor's grad is None until
        a backward pass reaches it, and its describer can show the dash itself).

    Examples
    --------
    >>> from autograd.graph import NodeView, register_node_kind
    >>> class Leaf:
    ...     _parents = ()
    >>> register_node_kind(Leaf, lambda node, options: NodeView("leaf", (), None))
    >>> "leaf" in draw_graph(Leaf()).source
    True
    """
    _KINDS[cls] = _NodeKind(describe, grads_known)


def _kind_of(node: Any) -> _NodeKind:
    for cls in type(node).__mro__:
        kind = _KINDS.get(cls)
        if kind is not None:
            return kind
    known = ", ".join(sorted(cls.__name__ for cls in _KINDS))
    raise TypeError(
        f"draw_graph: got a node {describe(node)}; expected one of {known} "
        "(register other node kinds with autograd.graph.register_node_kind)"
    )


# --------------------------------------------------------------------------- text formatting
def format_number(x: float, precision: int = 4) -> str:
    """Format a number for a picture: fixed point for ordinary magnitudes, scientific otherwise.

    Examples
    --------
    >>> (format_number(0.5), format_number(-1.5e-7), format_number(float("inf")))
    ('0.5000', '-1.5000e-07', 'inf')
    """
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x == 0.0 or 1e-3 <= abs(x) < 1e6:
        return f"{x:.{precision}f}"
    return f"{x:.{precision}e}"


def _escape_record(text: Any) -> str:
    # These characters structure a record label; a user's label containing them must stay literal. A label
    # set after construction may be any object: it is drawn as its str().
    text = str(text)
    for ch in "\\{}|<>\"":
        text = text.replace(ch, "\\" + ch)
    # Graphviz reads HTML entities in labels ("&amp;" would be drawn as "&"); a newline becomes a line
    # break, and other control characters, which dot rejects or drops, a visible replacement character.
    text = text.replace("&", "&amp;").replace("\r\n", "\n").replace("\n", "\\n").replace("\t", " ")
    return _CONTROL.sub("\ufffd", text)


_CONTROL = re.compile("[\x00-\x1f\x7f]")


# --------------------------------------------------------------------------- the Value kind
# One-parent ops that keep a Python constant in _ctx: the constant is part of what the picture must show.
_CONST_AFTER = {id(_value.ADD_CONST): "+", id(_value.MUL_CONST): "*", id(_value.POW_CONST): "**"}
_CONST_BEFORE = {id(_value.RSUB_CONST): "-", id(_value.RDIV_CONST): "/", id(_value.RPOW_CONST): "**"}


def _value_op_text(node: _value.Value, precision: int) -> str:
    op = node._op
    ctx = node._ctx
    if ctx is FREED or not isinstance(ctx, float):
        return op.symbol
    c = format(ctx, "g")  # constants are shown as written (2, not 2.0000): they are not results
    if id(op) in _CONST_AFTER:
        if op is _value.ADD_CONST and ctx < 0:
            return f"- {format(-ctx, 'g')}"  # x - 3 is stored as x + (-3)
        return f"{_CONST_AFTER[id(op)]}{c}" if op is _value.POW_CONST else f"{_CONST_AFTER[id(op)]} {c}"
    if id(op) in _CONST_BEFORE:
        # The dot stands for the operand: 1/· is "one divided by the input".
        return f"{c}{_CONST_BEFORE[id(op)]}\u00b7"
    if op is _value.LEAKY_RELU:
        return f"{op.symbol}({c})"
    return op.symbol


def _describe_value(node: _value.Value, options: DrawOptions) -> NodeView:
    rows = []
    if options.show_data:
        rows.append(f"data {format_number(node.data, options.precision)}")
    if options.show_grad:
        grad = format_number(node._grad, options.precision) if options.grads_known else DASH
        rows.append(f"grad {grad}")
    op = _value_op_text(node, options.precision) if node._parents else None
    return NodeView(node.label, tuple(rows), op)


def _value_grads_known(root: _value.Value) -> bool:
    # A backward pass from `root` leaves d root / d root (1 by default) in root.grad; a Value that never
    # took part in one holds 0.0. So 0.0 at the root means "no gradients yet", and every gradient below
    # it would be either 0.0 or left over from some other pass: both are shown as a dash.
    return root._grad != 0.0


register_node_kind(_value.Value, _describe_value, _value_grads_known)


# --------------------------------------------------------------------------- drawing
_LEAF_STYLE = {"shape": "record", "style": "filled", "fillcolor": "#cfe8fc"}
_CONST_STYLE = {"shape": "record", "style": "filled,dashed", "fillcolor": "#eeeeee", "color": "#888888",
                "fontcolor": "#555555"}
_NODE_STYLE = {"shape": "record", "style": "filled", "fillcolor": "white"}
_ROOT_EXTRA = {"penwidth": "2"}
_OP_STYLE = {"shape": "ellipse", "style": "filled", "fillcolor": "#eeeeee", "fontsize": "11", "height": "0.3"}
_SUMMARY_STYLE = {"shape": "box", "style": "rounded,dashed"}


def _style_of(view: NodeView) -> dict[str, str]:
    if view.op is not None:
        return _NODE_STYLE
    return _CONST_STYLE if view.constant else _LEAF_STYLE


def _record_label(view: NodeView) -> str:
    fields = ([_escape_record(view.title)] if view.title else []) + [_escape_record(r) for r in view.rows]
    return "{" + " | ".join(fields) + "}" if fields else " "


def draw_graph(
    root: Any,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    max_nodes: int = 200,
    fmt_precision: int = 4,
    *,
    grads_known: bool | None = None,
    legend: bool = False,
    groups: Callable[[Any], Sequence[str]] | None = None,
) -> "graphviz.Digraph":
    """Draw the computation graph that produced ``root`` (a Value or a Tensor).

    Every node is a record showing its label (if any), its data and its gradient; every operation is a
    small ellipse showing its symbol, with the constant of a constant operation (``**2``, ``1/·``,
    ``* 3``). Edges follow the data: parent -> operation -> result. Leaves (the inputs) are filled in
    blue and the root has a bold border. Nodes are numbered by their position in the topological order,
    so the same graph always gives byte-identical DOT source.

    Tensor graphs (see :mod:`autograd.graph_tensor`) show each tensor's label, shape and dtype, then its
    values when it has at most 6 elements, or ``mean=... norm=...`` otherwise (the same for its
    gradient). Operations show their arguments: ``sum(axis=1)``, ``reshape(4, 3)``,
    ``matmul (4, 3) @ (3, 2)``, ``clamp(min=0)``... Leaves that require grad (the parameters) are blue,
    constants (``requires_grad=False``: inputs, targets, the ``2`` of ``x ** 2``) grey and dashed.

    A Tensor's ``.grad`` is kept only for leaves, and for interior tensors on which ``retain_grad()``
    was called before the backward pass; the others show a dash. To see every gradient, call
    :func:`retain_grads` first::

        autograd.retain_grads(loss)
        loss.backward(retain_graph=True)  # retain_graph also keeps the op arguments for the picture
        draw_graph(loss)

    A backward pass without ``retain_graph`` frees what each op saved; an op whose arguments were among
    them then shows its operand and result shapes instead (``sum (4, 3) → (4,)``).

    Parameters
    ----------
    root : Value or Tensor
        The output node (any registered node kind; see :func:`register_node_kind`).
    rankdir : {"LR", "TB", "RL", "BT"}, optional
        Direction of the layout (default left to right).
    show_data, show_grad : bool, optional
        Show each node's data / gradient.
    max_nodes : int, optional
        Above this many nodes, draw a summary instead: the root, the first leaves and a box with the
        node and edge counts and the operations used, so that even huge graphs render quickly.
    fmt_precision : int, optional
        Digits after the decimal point for data and gradients.
    grads_known : bool, optional
        Whether the gradients are results of a backward pass from ``root``. By default this is inferred:
        for Values, a root gradient of 0.0 means no backward pass has run from this root, and every
        gradient is shown as a dash (``backward(0.0)`` is the one case to pass ``grads_known=True``).
        Tensors show a dash wherever ``.grad`` is None; ``grads_known=False`` shows dashes everywhere.
    legend : bool, optional
        Add a small legend box explaining the node styles (parameter, constant, computed, operation).
    groups : callable, optional
        ``groups(node) -> sequence of str``: the nested boxes a node is drawn in, outermost first (empty:
        none). Nodes with the same path share a box; a box is labelled with the last name of its path.
        :func:`nn.utils.record_module_calls` gives one that boxes each module call.

    Returns
    -------
    graphviz.Digraph
        Call ``.source`` for the DOT text, or pass it to :func:`render`.

    Examples
    --------
    >>> from autograd import Value, draw_graph
    >>> x = Value(3.0, label="x")
    >>> y = x ** 2; y.label = "y"
    >>> y.backward()
    >>> dot = draw_graph(y)
    >>> ("grad 6.0000" in dot.source, "**2" in dot.source)
    (True, True)
    """
    import graphviz

    if rankdir not in _RANKDIRS:
        raise ValueError(f"draw_graph: got rankdir={rankdir!r}; expected one of {', '.join(_RANKDIRS)}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw_graph: got max_nodes={max_nodes!r}; expected a positive integer")
    if isinstance(fmt_precision, bool) or not isinstance(fmt_precision, int) or not 0 <= fmt_precision <= 17:
        raise ValueError(f"draw_graph: got fmt_precision={fmt_precision!r}; expected an integer in 0..17")
    root_kind = _kind_of(root)
    if grads_known is None:
        grads_known = root_kind.grads_known(root)
    options = DrawOptions(bool(show_data), bool(show_grad), bool(grads_known), fmt_precision)

    order = topological_order(root)
    dot = graphviz.Digraph(
        "chaingrad",
        graph_attr={"rankdir": rankdir},
        node_attr={"fontname": "Helvetica", "fontsize": "12"},
        edge_attr={"arrowsize": "0.7"},
    )
    if len(order) > max_nodes:
        if legend:
            _draw_legend(dot)
        _draw_summary(dot, order, options)
        return dot

    if legend:
        _draw_legend(dot)
    index = {id(node): i for i, node in enumerate(order)}
    last = len(order) - 1
    views = [_kind_of(node).describe(node, options) for node in order]
    paths = [_group_path(groups, node) for node in order] if groups is not None else [()] * len(order)
    boxes = _boxes(graphviz, paths)
    for i, path in enumerate(paths):
        container = boxes[path] if path else dot
        view = views[i]
        style = _style_of(view)
        if i == last:
            style = {**style, **_ROOT_EXTRA}
        container.node(f"n{i}", _record_label(view), **style)
        if view.op is not None:
            container.node(f"op{i}", view.op, **_OP_STYLE)
    # A box is copied into the one around it when added, so the innermost go first.
    for path in sorted(boxes, key=len, reverse=True):
        (boxes[path[:-1]] if len(path) > 1 else dot).subgraph(boxes[path])
    # the edges come after every node is placed: an edge in a box would pull a node not yet placed into it
    for i, node in enumerate(order):
        if views[i].op is not None:
            for parent in node._parents:  # a parent listed twice (x * x) gets two edges, as in the math
                dot.edge(f"n{index[id(parent)]}", f"op{i}")
            dot.edge(f"op{i}", f"n{i}")
    return dot


def _group_path(groups: Callable[[Any], Sequence[str]], node: Any) -> tuple[str, ...]:
    path = groups(node)
    if isinstance(path, str) or not all(isinstance(name, str) for name in path):
        raise TypeError(f"draw_graph: groups(node) returned {path!r}; expected a sequence of str (the names "
                        "of the nested boxes the node is drawn in, outermost first)")
    return tuple(path)


def _boxes(graphviz: Any, paths: list[tuple[str, ...]]) -> dict[tuple[str, ...], "graphviz.Digraph"]:
    """One cluster subgraph per distinct non-empty path and each of its prefixes, numbered in order of
    first appearance (so the same graph always gives the same DOT source)."""
    boxes: dict[tuple[str, ...], Any] = {}
    for path in paths:
        for depth in range(1, len(path) + 1):
            if path[:depth] not in boxes:
                box = graphviz.Digraph(name=f"cluster_{len(boxes)}")
                box.attr(label=path[depth - 1], fontname="Helvetica", fontsize="11", style="rounded",
                         color="#999999")
                boxes[path[:depth]] = box
    return boxes


def _draw_legend(dot: "graphviz.Digraph") -> None:
    with dot.subgraph(name="cluster_legend") as box:
        box.attr(label="legend", fontname="Helvetica", fontsize="11", style="rounded", color="#bbbbbb")
        box.node("legend_param", "parameter\\n(leaf, requires grad)", **_LEAF_STYLE)
        box.node("legend_const", "constant\\n(leaf, no grad)", **_CONST_STYLE)
        box.node("legend_node", "computed", **_NODE_STYLE)
        box.node("legend_op", "operation", **_OP_STYLE)
        box.edge("legend_param", "legend_op", style="invis")
        box.edge("legend_const", "legend_op", style="invis")
        box.edge("legend_op", "legend_node", style="invis")


def _draw_summary(dot: "graphviz.Digraph", order: list, options: DrawOptions) -> None:
    root = order[-1]
    leaves = [(i, node) for i, node in enumerate(order) if not node._parents]
    # Parameters before constants (a stable partition, so Values, which have no requires_grad, keep their
    # order): in a long tensor chain the leaves worth naming are the few that take gradients.
    leaves.sort(key=lambda item: not getattr(item[1], "requires_grad", True))
    n_edges = sum(len(node._parents) for node in order)
    # Every node kind names its op (engine protocol: _op.name); constants are left out on purpose, so that
    # "x * 2" and "x * 3" count as one kind of operation.
    ops = Counter(node._op.name for node in order if node._parents)
    ranked = sorted(ops.items(), key=lambda kv: (-kv[1], kv[0]))
    op_text = ", ".join(f"{name} x {n}" for name, n in ranked[:_SUMMARY_OPS])
    if len(ranked) > _SUMMARY_OPS:
        op_text += f", ... ({len(ranked) - _SUMMARY_OPS} more kinds)"
    text = f"{len(order)} nodes, {n_edges} edges\\nops: {op_text}\\n(graph larger than max_nodes; summary)"
    dot.node("summary", text, **_SUMMARY_STYLE)

    last = len(order) - 1
    for i, leaf in leaves[:_SUMMARY_LEAVES]:
        view = _kind_of(leaf).describe(leaf, options)
        dot.node(f"n{i}", _record_label(view), **_style_of(view))
        dot.edge(f"n{i}", "summary")
    if len(leaves) > _SUMMARY_LEAVES:
        dot.node("more_leaves", f"... {len(leaves) - _SUMMARY_LEAVES} more leaves", **_SUMMARY_STYLE)
        dot.edge("more_leaves", "summary")
    view = _kind_of(root).describe(root, options)
    dot.node(f"n{last}", _record_label(view), **{**_style_of(view), **_ROOT_EXTRA})
    dot.edge("summary", f"n{last}")


def retain_grads(root: Any) -> Any:
    """Ask every interior node of ``root``'s graph that requires grad to keep its gradient; return ``root``.

    Call it before the backward pass: a Tensor keeps ``.grad`` only on leaves unless ``retain_grad()``
    was called on it, so without this :func:`draw_graph` shows a dash for every interior gradient.
    (Values always keep theirs; for them this does nothing.)

    Parameters
    ----------
    root : Tensor or Value
        The output whose graph will be differentiated.

    Returns
    -------
    Tensor or Value
        ``root`` itself, so that ``retain_grads(loss).backward()`` reads naturally.

    Examples
    --------
    >>> from autograd import Tensor, draw_graph, retain_grads
    >>> x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    >>> h = x * 3
    >>> loss = (h * h).sum()
    >>> retain_grads(loss).backward()
    >>> h.grad.numpy()
    array([ 6., 12.], dtype=float32)
    """
    for node in topological_order(root):
        if node._parents and getattr(node, "requires_grad", False) and hasattr(node, "retain_grad"):
            node.retain_grad()
    return root


_SOURCE_SUFFIXES = (".dot", ".gv")


def output_format(path: str | pathlib.Path) -> str | None:
    """Return the Graphviz format :func:`render` uses for ``path`` (None: write the DOT source).

    Raises ValueError for an extension Graphviz cannot write, so that callers can refuse a bad path
    before doing any work.

    Examples
    --------
    >>> (output_format("g.SVG"), output_format("g.dot"))
    ('svg', None)
    """
    import graphviz

    suffix = pathlib.Path(path).suffix.lower()
    if suffix in _SOURCE_SUFFIXES:
        return None
    if suffix[1:] not in graphviz.FORMATS or suffix[1:] in _DISPLAY_FORMATS:
        raise ValueError(
            f"render: got a file name ending in {pathlib.Path(path).suffix or '(no extension)'!r}; "
            "expected .svg, .png, .pdf, .dot or another Graphviz output format"
        )
    return suffix[1:]


_DISPLAY_FORMATS = frozenset({"x11", "xlib", "gtk"})
"""Graphviz "formats" that open a window instead of writing a file."""


def render(graph_or_root: Any, path: str | pathlib.Path, **draw_kwargs: Any) -> pathlib.Path:
    """Write a graph picture to ``path``, in the format its extension names.

    Parameters
    ----------
    graph_or_root : graphviz.Digraph or node
        A drawing from :func:`draw_graph`, or a node to draw with ``draw_kwargs``.
    path : str or pathlib.Path
        Output file: ``.svg``, ``.png``, ``.pdf`` (or any other Graphviz output format) run the ``dot``
        program; ``.dot`` and ``.gv`` write the DOT source and need no executable.
    **draw_kwargs
        Passed to :func:`draw_graph` when a node is given.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    RuntimeError
        When the Graphviz ``dot`` program is not installed; the message says how to install it.
    ValueError
        For an extension that is not a Graphviz output format, a display "format" (x11, xlib, gtk), or a
        format the installed ``dot`` cannot write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from autograd import Value, render
    >>> x = Value(1.0, label="x")
    >>> out = render(x.exp(), pathlib.Path(tempfile.mkdtemp()) / "g.dot")
    >>> out.read_text().startswith("digraph")
    True
    """
    import graphviz

    path = pathlib.Path(path)
    fmt = output_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)  # like the plots: a new output folder is made
    graph = graph_or_root if isinstance(graph_or_root, graphviz.Digraph) else draw_graph(
        graph_or_root, **draw_kwargs
    )
    if fmt is None:
        path.write_text(graph.source, encoding="utf-8")
        return path
    try:
        data = graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound as exc:
        raise RuntimeError(
            f"render: cannot write {path.name}: the Graphviz 'dot' program was not found on PATH. "
            "Install it with 'apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) "
            "or 'conda install -c conda-forge graphviz', or write the DOT source instead (a .dot path)."
        ) from exc
    except graphviz.CalledProcessError as exc:  # a format this build of dot was compiled without
        said = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
        raise ValueError(
            f"render: the Graphviz 'dot' program here cannot write {path.name} (format {fmt!r})"
            + (f": {said[0]}" if said else "")
            + "; expected a format it can write, such as .svg, .png or .pdf"
        ) from None
    path.write_bytes(data)
    return path


# The Tensor node kind registers itself on import; it lives apart so that this module stays about drawing.
from . import graph_tensor as _graph_tensor  # noqa: E402,F401  (import for its registration)
