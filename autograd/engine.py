"""The backward pass, written once for every kind of node.

A node (a :class:`~autograd.value.Value` or a :class:`~autograd.tensor.Tensor`) exposes a small protocol:

``_parents``
    tuple of the nodes it was computed from, in argument order (empty for a leaf);
``_op``
    the primitive that made it, an object with a ``name`` and a ``vjp(node, grad)`` method that returns
    one gradient contribution per parent (``None`` where a parent needs none);
``_ctx``
    whatever the primitive saved for its backward rule, or :data:`FREED` once released;
``_seq``
    (interior nodes) its creation number from :func:`next_sequence_number`;
``_grad``
    where the pass sums the contributions (leaves keep accumulating across passes): the slot behind
    the public ``.grad`` property, read and written directly so that the pass pays for no property
    call (and no validation of the values it stores);
``_retains_grad``
    whether an interior node keeps this pass's gradient in ``.grad`` (always for Value, on request
    for Tensor).

The walk is iterative, so graphs of millions of nodes never hit Python's recursion limit, and its order
is deterministic because parents are kept in tuples, never in sets.
"""

from __future__ import annotations

import itertools
from operator import attrgetter
from typing import Any, Iterable, Protocol, Sequence

import numpy as np

from . import counting, hooks, modifications
from .grad_mode import grad_enabled, restore_grad_mode, set_grad_mode


class _Freed:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<freed>"


FREED: Any = _Freed()
"""Marks a node whose saved values were released by a backward pass without ``retain_graph``."""


next_sequence_number = itertools.count().__next__
"""Numbers recorded nodes in creation order. A node is always created after its parents, so sorting
by this number is a topological order — cheaper to obtain than a depth-first search."""

_sequence_number = attrgetter("_seq")


class GraphFreedError(RuntimeError):
    """Raised by a backward pass through a graph whose saved values were already freed."""


class Node(Protocol):
    _parents: tuple[Any, ...]
    _retains_grad: bool
    _grad: Any
    _op: Any
    _ctx: Any


class GraphNode:
    """What Value and Tensor share as nodes of a graph: read-only views of their place in it."""

    __slots__ = ()

    _sums_passes = True
    """Whether an interior node that keeps its gradient adds each backward pass's to it (a Tensor that
    called ``retain_grad()``, as in PyTorch) rather than showing the latest pass's (a Value)."""

    @property
    def is_leaf(self) -> bool:
        """True for a node created by the user rather than by an operation."""
        return not self._parents

    @property
    def op(self) -> str:
        """Name of the operation that produced this node ('' for a leaf)."""
        return self._op.name if self._op is not None else ""

    @property
    def parents(self) -> tuple:
        """The nodes this one was computed from, in argument order."""
        return self._parents


def topological_order(root: Node) -> list[Node]:
    """Return every node reachable from ``root``, each one after all of its parents.

    The depth-first search keeps its own stack, so its depth is bounded by memory, not by the
    interpreter's recursion limit.

    Parameters
    ----------
    root : Value or Tensor
        The output node.

    Returns
    -------
    list
        The nodes in topological order; ``root`` comes last.

    Examples
    --------
    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * x + 1
    >>> [n.label or n._op.name for n in topological_order(y)]
    ['x', 'mul', 'add']
    """
    order: list[Node] = []
    visited = {id(root)}
    stack = [(root, iter(root._parents))]
    while stack:
        node, pending_parents = stack[-1]
        for parent in pending_parents:
            key = id(parent)
            if key in visited:
                continue
            visited.add(key)
            if parent._parents:
                stack.append((parent, iter(parent._parents)))
                break
            order.append(parent)  # a leaf needs no stack frame of its own
        else:
            stack.pop()
            order.append(node)
    return order


def backward(
    root: Node,
    seed: Any,
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
    inputs: Sequence[Node] | None = None,
) -> None:
    """Propagate ``seed`` (d output / d root) from ``root`` to every node of its graph.

    Each node's vector-Jacobian rule runs exactly once, after the contributions of all the nodes that
    use it have been summed (fan-out accumulation). Contributions are summed in the nodes' ``.grad``:
    interior nodes collect this pass's from nothing, leaves add to what they already hold, and interior
    nodes that do not retain their gradient give it up as soon as their rule has run. What an interior
    Tensor held before the pass is set aside and given back at the end: one that retains its gradient
    then holds the sum of both (it accumulates across passes like a leaf, as in PyTorch), any other
    what it held before. An interior tensor named in ``inputs`` retains its gradient from then on. An
    interior Value holds the latest pass's gradient (``_sums_passes`` is False), so that a second pass
    counts nothing twice.

    Parameters
    ----------
    root : Value or Tensor
        The node to differentiate.
    seed : float or Tensor
        The gradient of the final quantity with respect to ``root``.
    retain_graph : bool, optional
        Keep the values saved by each op so that the graph can be differentiated again.
    create_graph : bool, optional
        Record the backward pass itself, so that gradients can be differentiated again.
    inputs : sequence of nodes, optional
        Accumulate gradients into these nodes' ``.grad`` only (as PyTorch's ``backward(inputs=...)``).
        The pass skips every part of the graph that does not lead to one, so no other ``.grad``
        changes and no other saved value is freed. An interior input accumulates its gradient like a
        leaf; the pass goes on through it only when other inputs lie behind it.

    Examples
    --------
    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> backward(x * x, 1.0, retain_graph=True)
    >>> x.grad
    6.0
    """
    # During the pass an interior node's .grad holds this object until a contribution reaches it. It
    # also marks the node as collected, which is cheaper than a set of visited nodes.
    unreached = _Unreached()
    receivers = None
    held: list = []
    # (interior node, the gradient it held before this pass); an interior Value shows the latest pass's
    # gradient, so a graph of Values keeps nothing (their gradients start at 0.0, not None)
    earlier: list | None = [] if root._sums_passes else None
    if inputs is None:
        order = _interior_nodes_last_first(root, unreached, earlier)
    else:
        order, receivers = _restrict_to_inputs(root, inputs)
        if id(root) not in receivers:
            return  # no input lies below the output: every gradient is zero, nothing to accumulate
        held = _hold_interior_inputs(inputs, unreached)
        for node in order:
            if earlier is not None and node._grad is not None and node._grad is not unreached:
                earlier.append((node, node._grad))
            node._grad = unreached
    hooked = hooks.install(order) if hooks.REGISTRY else None
    previous = root._grad
    root._grad = seed if previous is None or previous is unreached else previous + seed
    counter = counting.current()
    mode = set_grad_mode(create_graph)  # a token rather than a context manager: this runs every pass
    try:
        # something was changed in place after the oldest node was recorded (order is newest first, but
        # for inputs=): were any of these values?
        latest = modifications.LATEST
        if latest >= 0 and order and (receivers is not None or order[-1]._seq < latest):
            modifications.check(order)
        if counter is None and receivers is None:
            _propagate(order, unreached, retain_graph)
        else:
            _propagate_observed(root, order, unreached, retain_graph, counter, receivers)
    except BaseException:
        for node in order:  # never leave the marker, or a half-summed gradient, where a user can see it
            if node._grad is unreached or not node._retains_grad:
                node._grad = None
        for node, grad in earlier or ():
            node._grad = grad
        if hooked is not None:
            hooks.settle(order, hooked, True, unreached)
        _settle_inputs(held, unreached, failed=True)
        raise
    else:
        # in the pass's grad mode: with create_graph, the sums are recorded
        for node, grad in earlier or ():
            this = node._grad
            # a retained gradient is replaced by the sum, not added to in place (as in PyTorch)
            node._grad = grad + this if node._retains_grad and this is not None else grad
        if hooked is not None:  # before the inputs settle: their hooks see this pass's gradient alone
            hooks.settle(order, hooked, False, unreached)
        _settle_inputs(held, unreached, failed=False)
    finally:
        restore_grad_mode(mode)


class _Unreached:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<no gradient yet>"


def _interior_nodes_last_first(root: Node, mark: Any, earlier: list | None) -> list[Node]:
    """The interior nodes reachable from ``root``, latest-created first (a reverse topological order).

    Each one's ``.grad`` is set to ``mark``, which is also how the walk knows it has been there; a
    gradient it held before goes to ``earlier`` (unless that is None), with the node.
    """
    if not root._parents:
        return []
    if earlier is not None and root._grad is not None:
        earlier.append((root, root._grad))
    root._grad = mark
    found = [root]
    keep = found.append
    for node in found:  # the list grows while it is walked: a breadth-first search without a queue
        for parent in node._parents:
            if parent._parents:
                grad = parent._grad
                if grad is not mark:
                    if grad is not None and earlier is not None:
                        earlier.append((parent, grad))
                    parent._grad = mark
                    keep(parent)
    found.sort(key=_sequence_number, reverse=True)
    return found


def _restrict_to_inputs(root: Node, inputs: Sequence[Node]) -> tuple[list[Node], set[int]]:
    """The interior nodes on a path from an input to ``root``, last first, and the ids allowed to
    receive gradients.

    An interior input's own rule runs when other inputs lie behind it, so that they receive the
    gradient that flows through it, as in PyTorch; otherwise it is where the pass stops.
    """
    targets = {id(node) for node in inputs}
    receivers = set(targets)
    kept = []
    for node in topological_order(root):  # parents are decided before their children
        if not node._parents:
            continue
        for parent in node._parents:
            if id(parent) in receivers:
                receivers.add(id(node))
                kept.append(node)
                break
    kept.reverse()
    return kept, receivers


def _hold_interior_inputs(inputs: Sequence[Node], unreached: Any) -> list:
    """Set aside each interior input's gradient from earlier passes, and make it retain its gradient.

    Each is returned with its earlier gradient and whether it retained its gradient before. During the
    pass it collects this pass's gradient from nothing, as a Tensor, even when its own rule runs (other
    inputs lie behind it); :func:`_settle_inputs` then adds the earlier one back, so that it accumulates
    across passes like a leaf. As in PyTorch, it goes on retaining its gradient in later passes.
    """
    unique = {id(node): node for node in inputs if node._parents}.values()  # an input named twice is one
    held = [(node, node._grad, node._retains_grad) for node in unique]
    for node, _, retains in held:
        node._grad = unreached
        if not retains:
            node._retains_grad = True
    return held


def _settle_inputs(held: list, unreached: Any, failed: bool) -> None:
    for node, earlier, retains in held:
        this = node._grad
        if failed or this is None or this is unreached:
            node._grad = earlier
        elif earlier is not None:
            add_to_earlier(node, earlier, this)
        if failed and not retains:
            node._retains_grad = False


def _freed_error(node: Node) -> GraphFreedError:
    return GraphFreedError(
        f"backward: the graph through {node._op.name!r} was already freed by an earlier "
        "backward pass; call backward(retain_graph=True) the first time to backpropagate "
        "through the same graph again"
    )


def _accumulated(held: Any, contribution: Any, kept: dict, node: Any) -> Any:
    """``held + contribution``, the sum a node's gradient collects.

    With ``kept`` (a pass's record), a gradient that is a Tensor (a leaf's ``.grad``, or a retained one)
    is remembered with its node the first time the pass adds to it, so that :func:`write_back` can put
    the final sum into that same Tensor, as PyTorch accumulates ``.grad`` in place.
    """
    if type(held) is not np.ndarray and hasattr(held, "_requires_grad"):
        kept.setdefault(id(node), (node, held))
    return held + contribution


def add_to_earlier(node: Any, earlier: Any, this: Any) -> None:
    """Set ``node``'s gradient to ``earlier + this``, written into the Tensor ``earlier`` where it can be
    (:func:`write_back`): how a gradient set aside during a pass gets the pass's."""
    node._grad = earlier + this
    write_back([(node, earlier)])


def write_back(pairs: Iterable[tuple[Any, Any]]) -> None:
    """After a pass: each ``(node, old)`` pair has the node's sum written into the gradient Tensor ``old``
    it held before, so that code holding ``p.grad`` sees the new sum. Recorded sums (``create_graph``)
    and gradients that cannot take it in place (read-only, requiring grad) stay new Tensors. Done after
    the pass rather than during it, since a rule of the same pass may read the old gradient's values (a
    graph that used ``p.grad`` as an operand); a later pass through such a graph is refused, as for any
    in-place write.

    Examples
    --------
    >>> from autograd import tensor
    >>> w = tensor([1.0, 2.0], requires_grad=True)
    >>> (w * 3).sum().backward(); g = w.grad
    >>> (w * 3).sum().backward(); g is w.grad, g.tolist()
    (True, [6.0, 6.0])
    """
    if grad_enabled():
        return
    for node, old in pairs:
        new = node._grad
        if new is old or not hasattr(new, "_requires_grad") or not hasattr(old, "_requires_grad"):
            continue  # nothing new, or not Tensors (a Value's gradients are floats)
        if old._requires_grad or new._requires_grad:
            continue
        data, summed = old.data, new.data
        if type(data) is np.ndarray and data.flags.writeable and data.shape == summed.shape \
                and data.dtype == summed.dtype:
            modifications.record_change(data, "backward (accumulating .grad)")
            np.copyto(data, summed)
            node._grad = old


def _propagate(order: Sequence[Node], unreached: Any, retain_graph: bool) -> None:
    # The hot loop of every backward pass, kept free of anything a plain pass does not need (operation
    # counters and inputs= go through _propagate_observed).
    kept: dict = {}  # gradients that were Tensors before this pass added to them: see write_back
    for node in order:
        grad = node._grad
        if grad is unreached:
            node._grad = None  # no path from the root passes through this node's rule
            continue
        if node._ctx is FREED:
            raise _freed_error(node)
        contributions = node._op.vjp(node, grad)
        if not node._retains_grad:
            node._grad = None
        # Unrolled for the one- and two-parent nodes that make up almost every graph: a zip per node
        # costs more than the rule itself. A contribution lands in a leaf's None or an interior node's
        # marker as it is, and is added to anything else.
        # Where a sum is made (fan-out), the addends are let go at once, not kept by these locals while the
        # next rule runs: with a tensor used twice, that is two gradient-sized arrays of peak memory.
        parents = node._parents
        if len(parents) == 1:
            contribution = contributions[0]
            if contribution is not None:
                parent = parents[0]
                held = parent._grad
                if held is None or held is unreached:
                    parent._grad = contribution
                else:
                    parent._grad = _accumulated(held, contribution, kept, parent)
                    held = contribution = contributions = None
        elif len(parents) == 2:
            first, second = parents
            contribution, second_contribution = contributions
            contributions = None
            if contribution is not None:
                held = first._grad
                if held is None or held is unreached:
                    first._grad = contribution
                else:
                    first._grad = _accumulated(held, contribution, kept, first)
                    held = contribution = None
            if second_contribution is not None:
                held = second._grad
                if held is None or held is unreached:
                    second._grad = second_contribution
                else:
                    second._grad = _accumulated(held, second_contribution, kept, second)
                    held = second_contribution = None
        else:
            for parent, contribution in zip(parents, contributions):
                if contribution is not None:
                    held = parent._grad
                    parent._grad = (contribution if held is None or held is unreached
                                    else _accumulated(held, contribution, kept, parent))
        if not retain_graph:
            node._ctx = FREED
    if kept:
        write_back(kept.values())


class _Observed:
    """Stands in for a node's op during an observed pass: it puts the real op back, runs its rule, drops
    the contributions to nodes outside ``receivers`` and reports the rest to the operation counter."""

    __slots__ = ("op", "root", "counter", "receivers")

    def __init__(self, op: Any, root: Node, counter: Any, receivers: set[int] | None) -> None:
        self.op, self.root, self.counter, self.receivers = op, root, counter, receivers

    @property
    def name(self) -> str:
        return self.op.name

    def vjp(self, node: Node, grad: Any) -> list:
        node._op = self.op  # before the rule runs: a rule may look at its node's op
        contributions = list(self.op.vjp(node, grad))
        counter, receivers = self.counter, self.receivers
        if counter is not None:
            counter.record_backward(node, is_root=node is self.root)
        for i, parent in enumerate(node._parents):
            if contributions[i] is None:
                continue
            if receivers is not None and id(parent) not in receivers:
                contributions[i] = None
            elif counter is not None:
                counter.record_contribution(parent)
        return contributions


def _propagate_observed(root: Node, order: Sequence[Node], unreached: Any, retain_graph: bool,
                        counter: Any, receivers: set[int] | None) -> None:
    """:func:`_propagate`, reporting to an operation counter and/or stopping at the ``inputs``."""
    if counter is not None:
        counter.begin_backward()
    for node in order:
        node._op = _Observed(node._op, root, counter, receivers)
    try:
        _propagate(order, unreached, retain_graph)
    finally:
        for node in order:  # the nodes whose rule did not run still hold their stand-in
            if type(node._op) is _Observed:
                node._op = node._op.op
        if counter is not None:
            counter.end_backward()
