"""Counting the operations of forward and backward passes (textbook Def. 9.1.2, Example 9.3.1)."""

from __future__ import annotations

import contextlib
import math
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

_stack: list["OpCounter"] = []
"""Every active counter of every thread, innermost last. Operations report to ``_stack[-1]``, which hands
the work on to every active counter of the thread that did it (:meth:`OpCounter._receivers`)."""

_thread_id = threading.get_ident


def current() -> "OpCounter | None":
    """Return the calling thread's innermost active counter, or None when it is counting nothing."""
    if not _stack:
        return None
    me = _thread_id()
    for counter in reversed(tuple(_stack)):
        if getattr(counter, "_thread", me) == me:
            return counter
    return None


class _Pass:
    """What a counter knows about the backward pass it is watching."""

    __slots__ = ("received", "from_root")

    def __init__(self) -> None:
        self.received: set[int] = set()  # ids of the nodes a contribution reached
        self.from_root = False  # whether the rule that is running is the output's own


@dataclass
class OpCounter:
    """Tallies of the work done while a :func:`count_ops` block is active.

    Attributes
    ----------
    forward : int
        Primitive operations evaluated in forward passes (one per node created).
    local_derivatives : int
        Local partial derivatives evaluated by backward passes: one per edge along which a gradient
        contribution is passed down. Edges to operands that need no gradient (the constant ``3`` of
        ``x * 3``, a Tensor that does not require grad, a node outside ``backward(inputs=...)``) carry
        none and are not counted.
    multiplications : int
        Products of an upstream gradient with a local derivative, one per counted edge, except the
        edges out of the output, which need none because d output / d output = 1.
    additions : int
        Additions that sum the contributions of a node used more than once (fan-out).
    by_op : collections.Counter
        Forward operations per primitive name.
    forward_elements, backward_elements : int
        Tensor elements produced by tensor primitives, in forward passes and in backward passes.
    forward_macs, backward_macs : int
        Multiply-adds of matrix products (matmul, einsum, convolution), forward and backward apart.
    """

    forward: int = 0
    local_derivatives: int = 0
    multiplications: int = 0
    additions: int = 0
    by_op: Counter = field(default_factory=Counter)
    forward_elements: int = 0
    backward_elements: int = 0
    forward_macs: int = 0
    backward_macs: int = 0
    _passes: list = field(default_factory=list, repr=False, compare=False)  # backward passes under way
    _thread: int = field(default_factory=_thread_id, repr=False, compare=False)

    def _receivers(self) -> Sequence["OpCounter"]:
        # Operations report to the innermost counter; the work belongs to every active counter of the
        # thread that did it (nested count_ops blocks), and to no other thread's. A counter that is not
        # active (used on its own) keeps what it is given.
        stack = tuple(_stack)
        if not any(counter is self for counter in stack):
            return (self,)
        me = _thread_id()
        return tuple(counter for counter in stack if counter._thread == me)

    def record_forward(self, op_name: str) -> None:
        for counter in self._receivers():
            counter.forward += 1
            counter.by_op[op_name] += 1

    def record_tensor_op(self, op_name: str, elements: int, macs: int = 0) -> None:
        for counter in self._receivers():
            # Primitives that run inside a backward pass are the backward pass's work.
            if counter._passes:
                counter.backward_elements += elements
                counter.backward_macs += macs
            else:
                counter.forward += 1
                counter.by_op[op_name] += 1
                counter.forward_elements += elements
                counter.forward_macs += macs

    def begin_backward(self) -> None:
        for counter in self._receivers():
            counter._passes.append(_Pass())

    def end_backward(self) -> None:
        for counter in self._receivers():
            if counter._passes:  # a counter entered during the pass may not have seen it begin
                counter._passes.pop()

    def _pass(self) -> _Pass:
        if not self._passes:  # entered during the pass: it counts the rest of it
            self._passes.append(_Pass())
        return self._passes[-1]

    def record_backward(self, node: Any, is_root: bool) -> None:
        # Called as the rule of ``node`` runs, before the contributions it passes down are recorded: the
        # edges are counted there, so that only those that carry a contribution count.
        for counter in self._receivers():
            counter._pass().from_root = is_root

    def record_contribution(self, parent: Any) -> None:
        for counter in self._receivers():
            this = counter._pass()
            counter.local_derivatives += 1
            if not this.from_root:
                counter.multiplications += 1
            # The second and later contributions reaching a node in one pass are fan-out additions.
            key = id(parent)
            if key in this.received:
                counter.additions += 1
            else:
                this.received.add(key)

    def summary(self) -> str:
        """Return the tallies as a few readable lines.

        Examples
        --------
        >>> from autograd import Value, count_ops
        >>> x = Value(2.0)
        >>> with count_ops() as c:
        ...     (x * x).backward()
        >>> print(c.summary())
        forward operations:  1 (mul x 1)
        local derivatives:   2
        multiplications:     0
        additions:           1
        """
        # Most frequent first, then by name, so that the text is the same from run to run.
        ranked = sorted(self.by_op.items(), key=lambda kv: (-kv[1], kv[0]))
        ops = ", ".join(f"{name} x {n}" for name, n in ranked)
        return (
            f"forward operations:  {self.forward}" + (f" ({ops})" if ops else "") + "\n"
            f"local derivatives:   {self.local_derivatives}\n"
            f"multiplications:     {self.multiplications}\n"
            f"additions:           {self.additions}"
        )

    def __str__(self) -> str:
        return self.summary()


@contextlib.contextmanager
def count_ops() -> Iterator[OpCounter]:
    """Count the operations done inside the ``with`` block.

    Blocks nest: work done inside an inner block is counted by it and by every block around it. Only the
    calling thread's work is counted; another thread's goes to that thread's own blocks, if any.

    Examples
    --------
    >>> import autograd
    >>> x, y = autograd.Value(2.0), autograd.Value(3.0)
    >>> with autograd.count_ops() as c:
    ...     f = x * y + x
    ...     f.backward()
    >>> (c.forward, c.local_derivatives, c.multiplications, c.additions)
    (2, 4, 2, 1)
    """
    counter = OpCounter()
    _stack.append(counter)
    try:
        yield counter
    finally:
        # By identity: counters are dataclasses, and an outer one can equal an inner one field by field
        # (both saw the same work), which list.remove would take for it.
        for i in range(len(_stack) - 1, -1, -1):
            if _stack[i] is counter:
                del _stack[i]
                break


@dataclass(frozen=True)
class NaiveCost:
    """What the chain rule costs when every d output / d input is expanded on its own, path by path.

    Attributes
    ----------
    paths : dict
        Number of distinct paths from the output down to each input, keyed by the input's label when all
        inputs have distinct non-empty labels, otherwise by the input's position.
    derivative_factors : int
        Local derivatives written out over all paths (a path of k edges has k factors).
    multiplications : int
        Products needed to multiply each path's factors together (k - 1 per path of k edges).
    additions : int
        Sums of the path products (P - 1 for an input reached by P paths).
    """

    paths: dict[str | int, int] = field(hash=False)
    derivative_factors: int
    multiplications: int
    additions: int

    def __str__(self) -> str:
        paths = ", ".join(f"{key}: {n}" for key, n in self.paths.items())
        return (
            "naive chain rule (every path expanded separately):\n"
            f"paths:               {paths}\n"
            f"derivative factors:  {self.derivative_factors}\n"
            f"multiplications:     {self.multiplications}\n"
            f"additions:           {self.additions}"
        )


def naive_chain_rule_cost(output: Any, inputs: Iterable[Any] | None = None) -> NaiveCost:
    """Count the work of the chain rule written out separately for each input and along every path.

    This is the "naive" count of textbook Example 9.3.1, to compare with what backpropagation does
    (:func:`count_ops`): a path of k edges from the output down to an input costs k derivative factors
    and k - 1 multiplications; an input reached by P paths needs P - 1 additions. A node used twice by
    the same operation (``x * x``) is reached along two edges, hence by two paths.

    The counts are found by dynamic programming over the topological order, never by enumerating paths:
    the number of paths grows exponentially with fan-out (``x -> x*x -> ...`` doubles it at every step),
    while the work here stays linear in the number of edges. The results are exact Python integers.

    Parameters
    ----------
    output : Value or Tensor
        The node being differentiated.
    inputs : iterable of nodes, optional
        The inputs to differentiate with respect to; by default every leaf of the graph that takes a
        gradient, in topological order: every leaf of a Value graph, the leaves that require grad of a
        Tensor graph (never constants such as the ``2`` of ``x**2``). An input the output does not
        depend on has 0 paths and costs nothing.

    Returns
    -------
    NaiveCost

    Notes
    -----
    For sigma(x, y, z, w) = 1 / (w + exp(z + cos(y x^2))) this gives 7 + 6 + 4 + 2 = 19 derivative
    factors and 6 + 5 + 3 + 1 = 15 multiplications, as the textbook's own rule gives for (9.37)-(9.40);
    the book prints 16 and "20" multiplications (SPEC.md, errata). Backpropagation needs 10 local
    derivatives and 9 multiplications for the same gradient.

    Examples
    --------
    >>> from autograd import Value, naive_chain_rule_cost
    >>> x = Value(2.0, label="x")
    >>> y = x
    >>> for _ in range(3):
    ...     y = y * y
    >>> cost = naive_chain_rule_cost(y, [x])
    >>> (cost.paths, cost.derivative_factors, cost.multiplications, cost.additions)
    ({'x': 8}, 24, 16, 7)
    """
    from .engine import topological_order  # deferred: engine imports this module

    order = topological_order(output)
    # For every node v: the number of paths from the output down to v, and their total length in edges.
    n_paths: dict[int, int] = {id(output): 1}
    n_edges: dict[int, int] = {id(output): 0}
    for node in reversed(order):
        p = n_paths.get(id(node), 0)
        if p == 0:
            continue
        e = n_edges[id(node)]
        for parent in node._parents:  # a parent listed twice is reached along two edges, as it should be
            key = id(parent)
            n_paths[key] = n_paths.get(key, 0) + p
            # Each of the p paths to `node` grows by this one edge.
            n_edges[key] = n_edges.get(key, 0) + e + p

    chosen = list(order if inputs is None else inputs)
    if inputs is None:
        # A Value always takes a gradient; a Tensor only when it requires grad (constants never do).
        chosen = [node for node in chosen if not node._parents and getattr(node, "requires_grad", True)]
    labels = [getattr(node, "label", "") for node in chosen]
    by_label = all(labels) and len(set(labels)) == len(labels)

    paths: dict[str | int, int] = {}
    factors = multiplications = additions = 0
    for index, node in enumerate(chosen):
        p = n_paths.get(id(node), 0)
        e = n_edges.get(id(node), 0)
        paths[labels[index] if by_label else index] = p
        factors += e
        if node is not output:  # the output's own path has no edges, hence no product to form
            multiplications += e - p
        additions += max(p - 1, 0)
    return NaiveCost(paths, factors, multiplications, additions)


def einsum_macs(terms: Sequence[str], out: str, sizes: dict[str, int]) -> int:
    """Multiply-adds of an einsum, counted as the pairwise contractions numpy's ``'greedy'`` path does.

    Each step of the path multiplies two operands together; when it sums over a label (one that
    neither the output nor a later operand needs) it costs one multiply-add per point of its iteration
    space, the product of the sizes of the labels of both operands. A step that sums over nothing is an
    elementwise or outer product and, like ``a * b`` and :func:`~autograd.outer`, costs no
    multiply-adds (its elements are counted as elements). So two operands cost what the same matmul
    costs, three or more what the chain of matmuls in numpy's order costs (``'ij,jk,kl->il'`` with
    shapes (2, 3), (3, 4), (4, 5): numpy picks ``A @ (B @ C)``, 60 + 30 = 90, where ``(A @ B) @ C``
    would cost 24 + 40 = 64), and an einsum of one operand (a sum, a trace, a transposition) costs
    none. The path is the one einsum follows for large operands; the count is the same for small ones,
    which numpy evaluates in one loop over the whole iteration space instead.

    Parameters
    ----------
    terms : sequence of str
        The labels of each operand's axes, ellipses already replaced by letters.
    out : str
        The labels of the output's axes.
    sizes : dict
        The size of every label (after broadcasting).

    Examples
    --------
    >>> einsum_macs(("ij", "jk"), "ik", {"i": 2, "j": 3, "k": 4})          # as (2, 3) @ (3, 4)
    24
    >>> einsum_macs(("ij", "jk", "kl"), "il", {"i": 2, "j": 3, "k": 4, "l": 5})  # 3*4*5 + 2*3*5
    90
    >>> einsum_macs(("i", "j"), "ij", {"i": 3, "j": 4})                    # outer product
    0
    """
    if len(terms) < 2:
        return 0
    if len(terms) == 2:
        path: list = [(0, 1)]
    else:
        import numpy as np  # deferred: the rest of this module needs no numpy

        # The path depends on the shapes only: zero-strided views stand in for the operands.
        dummies = [np.broadcast_to(np.zeros(()), tuple(sizes[c] for c in term)) for term in terms]
        path = np.einsum_path(",".join(terms) + "->" + out, *dummies, optimize="greedy")[0][1:]
    pending = [set(term) for term in terms]
    macs = 0
    for step in path:
        operands = [pending.pop(i) for i in sorted(step, reverse=True)]  # numpy's own bookkeeping
        labels = set().union(*operands)
        needed = set(out).union(*pending)
        if len(operands) > 1 and labels - needed:
            macs += (len(operands) - 1) * math.prod(sizes[c] for c in labels)
        pending.append(labels & needed)
    return macs
