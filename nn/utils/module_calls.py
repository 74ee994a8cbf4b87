"""Which module call made each node of a graph: boxes for :func:`autograd.draw_graph`.

Every recorded node carries a creation number (``_seq``, increasing). While a :class:`ModuleCalls` is
recording, forward hooks on each module take a number from the same counter before and after each call,
so the nodes one call created are exactly those numbered in between, and nested calls give nested
intervals. A parameter (a leaf, without a number) goes in the box of its module's first call.
"""

from __future__ import annotations

from typing import Any

from autograd.engine import next_sequence_number
from autograd.tensor import describe

from ..module import Module


class ModuleCalls:
    """The calls of a model's modules recorded while it is active; ``calls(node)`` is the path of boxes
    :func:`autograd.draw_graph` takes as ``groups``.

    Use :func:`record_module_calls` to make one. Each box is labelled ``name (Type)`` with the module's
    name in the model (``Sequential`` alone for the model itself), and ``, call k`` from a module's second
    call on.

    Examples
    --------
    >>> import autograd, nn
    >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    >>> with nn.utils.record_module_calls(model) as calls:
    ...     out = model(autograd.ones(1, 2))
    >>> calls(out), len(calls.calls)
    (('Sequential', '1 (ReLU)'), 3)
    """

    def __init__(self, model: Module) -> None:
        if not isinstance(model, Module):
            raise TypeError(f"record_module_calls: got a model {describe(model)}; expected an nn.Module")
        self.calls: list[tuple[int, int, str]] = []  # (first number, last number, box label) per call
        self._open: dict[int, list[int]] = {}  # id(module) -> starting numbers of its unfinished calls
        self._finished: dict[int, list[int]] = {}  # id(module) -> starting numbers of its finished calls
        self._names: dict[int, str] = {}
        self._owners: dict[int, int] = {}  # id(parameter) -> id(its module)
        self._handles: list = []
        for name, module in model.named_modules():
            key = id(module)
            self._names[key] = f"{name} ({type(module).__name__})" if name else type(module).__name__
            for p in module._parameters.values():
                if p is not None:
                    self._owners.setdefault(id(p), key)
            self._handles.append(module.register_forward_pre_hook(self._entered))
            # not always_call: a call that raises is no box, and the start it left open is never matched
            self._handles.append(module.register_forward_hook(self._left))

    def _entered(self, module: Module, args: tuple) -> None:
        self._open.setdefault(id(module), []).append(next_sequence_number())

    def _left(self, module: Module, args: tuple, output: Any) -> None:
        key = id(module)
        start = self._open[key].pop()
        finished = self._finished.setdefault(key, [])
        finished.append(start)
        label = self._names[key] if len(finished) == 1 else f"{self._names[key]}, call {len(finished)}"
        self.calls.append((start, next_sequence_number(), label))

    def remove(self) -> None:
        """Stop recording (the recorded calls stay)."""
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def __enter__(self) -> ModuleCalls:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.remove()

    def __call__(self, node: Any) -> tuple[str, ...]:
        """The labels of the calls that created ``node``, outermost first (empty for a node made outside
        every recorded call, such as the model's input)."""
        seq = getattr(node, "_seq", None)
        if seq is None:  # a leaf: a parameter is drawn in its module's first call
            starts = self._finished.get(self._owners.get(id(node)))
            if not starts:
                return ()
            seq = starts[0] + 0.5  # inside that call's interval, as the nodes it made are
        inside = sorted(c for c in self.calls if c[0] < seq < c[1])
        return tuple(label for _, _, label in inside)


def record_module_calls(model: Module) -> ModuleCalls:
    """Record which call of which of ``model``'s modules creates each node, to draw the graph in boxes.

    Parameters
    ----------
    model : Module
        The model whose modules (itself included) are hooked until the result is removed (``remove()``,
        or the end of a ``with`` block).

    Returns
    -------
    ModuleCalls
        A callable ``node -> tuple of box labels`` for :func:`autograd.draw_graph`'s ``groups``.

    Examples
    --------
    >>> import autograd, nn
    >>> model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    >>> with nn.utils.record_module_calls(model) as calls:
    ...     out = model(autograd.ones(4, 2)).sum()
    >>> dot = autograd.draw_graph(out, groups=calls)
    >>> "0 (Linear)" in dot.source and "cluster_" in dot.source
    True
    >>> calls(model[0].weight)
    ('Sequential', '0 (Linear)')
    """
    return ModuleCalls(model)
