"""Counting the operations of forward and backward passes (textbook Def. 9.1.2, Example 9.3.1)."""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

_stack: list["OpCounter"] = []


def current() -> "OpCounter | None":
    """Return the innermost active counter, or None when nothing is being counted."""
    return _stack[-1] if _stack else None


@dataclass
class OpCounter:
    """Tallies of the work done while a :func:`count_ops` block is active.

    Attributes
    ----------
    forward : int
        Primitive operations evaluated in forward passes (one per node created).
    local_derivatives : int
        Local partial derivatives evaluated by backward passes (one per edge of the graph).
    multiplications : int
        Products of an upstream gradient with a local derivative. The edges into the output need none,
        because d output / d output = 1.
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
    _received: set | None = field(default=None, repr=False)

    def record_forward(self, op_name: str) -> None:
        self.forward += 1
        self.by_op[op_name] += 1

    def record_tensor_op(self, op_name: str, elements: int, macs: int = 0) -> None:
        # Primitives that run inside a backward pass are the backward pass's work.
        if self._received is not None:
            self.backward_elements += elements
            self.backward_macs += macs
        else:
            self.record_forward(op_name)
            self.forward_elements += elements
            self.forward_macs += macs

    def begin_backward(self) -> None:
        self._received = set()

    def end_backward(self) -> None:
        self._received = None

    def record_contribution(self, parent: Any) -> None:
        # The second and later contributions reaching a node in one pass are fan-out additions.
        key = id(parent)
        if key in self._received:
            self.additions += 1
        else:
            self._received.add(key)

    def record_backward(self, node: Any, is_root: bool) -> None:
        edges = len(node._parents)
        self.local_derivatives += edges
        if not is_root:
            self.multiplications += edges

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
        _stack.remove(counter)


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
        The inputs to differentiate with respect to; by default every leaf of the graph, in topological
        order. An input the output does not depend on has 0 paths and costs nothing.

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
        chosen = [node for node in chosen if not node._parents]
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
