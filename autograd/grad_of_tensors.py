"""Gradients of recorded tensors with respect to recorded tensors: PyTorch's ``torch.autograd.grad`` and
``torch.autograd.backward``.

:func:`autograd.grad` takes this form when its first argument is a Tensor (or a sequence of Tensors),
and its function-transform form (:func:`autograd.functional.grad`) when it is a callable.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .grad_mode import enable_grad
from .tensor import Tensor

__all__ = ["grad_of_tensors", "backward"]


def _tensors(value: Any, what: str, where: str) -> list[Tensor]:
    if isinstance(value, Tensor):
        return [value]
    # any iterable, as PyTorch takes one: grad(loss, model.parameters()) passes a generator
    items = list(value) if hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict)) else None
    if not items or not all(isinstance(t, Tensor) for t in items):
        raise TypeError(f"{where}: {what} should be a Tensor or a non-empty sequence of Tensors; got "
                        f"{type(value).__name__}")
    return items


def _one_root(outs: list[Tensor], seeds: list[Any]) -> tuple[Tensor, Any]:
    """One output and its seed standing for several: ``sum((out * seed).sum())``, so that a single pass
    sums every output's contribution before any rule or hook sees it, as PyTorch's one pass does."""
    if len(outs) == 1:
        return outs[0], seeds[0]
    with enable_grad():
        terms = [out.sum() if seed is None else (out * seed).sum() for out, seed in zip(outs, seeds)]
        root = terms[0]
        for term in terms[1:]:
            root = root + term
    return root, None


def _per_output(value: Any, outs: list[Tensor], what: str, where: str) -> list[Any]:
    """``value`` (None, a Tensor or one entry per output) as one entry per output."""
    if value is None:
        values: list[Any] = [None] * len(outs)
    elif isinstance(value, Tensor):
        values = [value]
    elif isinstance(value, (list, tuple)):
        values = list(value)
    else:
        raise TypeError(f"{where}: {what} should be None, a Tensor or a sequence of them; got "
                        f"{type(value).__name__}")
    if len(values) != len(outs):
        raise ValueError(f"{where}: got {len(values)} {what} for {len(outs)} outputs; expected one per "
                         "output")
    for i, (v, out) in enumerate(zip(values, outs)):
        if v is None and out.data.size != 1:
            raise RuntimeError(
                f"{where}: output {i} has shape {out.data.shape}, so its gradient must be given: pass "
                f"{what}= a tensor of that shape (ones_like(output) for the gradient of its sum)"
            )
        if isinstance(v, Tensor) and v.data.shape != out.data.shape:
            raise ValueError(f"{where}: {what}[{i}] has shape {v.data.shape}; expected output {i}'s shape "
                             f"{out.data.shape}")
    return values


def grad_of_tensors(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
                    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
                    retain_graph: bool | None = None, create_graph: bool = False,
                    allow_unused: bool | None = None, materialize_grads: bool = False) -> tuple:
    """The gradients of ``outputs`` with respect to ``inputs``, returned rather than accumulated
    (``torch.autograd.grad``; called as ``autograd.grad(outputs, inputs, ...)``).

    No tensor's ``.grad`` changes, and nothing retains a gradient that did not before.

    Parameters
    ----------
    outputs : Tensor or sequence of Tensor
        Tensors computed from ``inputs`` (each must require grad).
    inputs : Tensor or sequence of Tensor
        Tensors that require grad: leaves or computed tensors of the same graph.
    grad_outputs : Tensor or sequence of (Tensor or None), optional
        d L / d output for each output (the vector of a vector-Jacobian product); None stands for 1 and
        is allowed for one-element outputs only.
    retain_graph : bool, optional
        Keep what the ops saved, so that the graph can be differentiated again. Defaults to
        ``create_graph``.
    create_graph : bool, optional
        Record the backward pass, so that the gradients can be differentiated again.
    allow_unused : bool, optional
        Return None for an input that no output depends on, instead of raising (implied by
        ``materialize_grads``).
    materialize_grads : bool, optional
        Return zeros instead of None for such an input.

    Returns
    -------
    tuple
        One gradient per input, shaped like it (a Tensor, or None for an unused input).

    Raises
    ------
    RuntimeError
        If an output or an input does not require grad, if an input is not used by the outputs (without
        ``allow_unused``), or if a non-scalar output is given no gradient.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([1.0, 2.0], requires_grad=True)
    >>> y = (x ** 3).sum()
    >>> (g,) = autograd.grad(y, x, create_graph=True)
    >>> g.tolist(), autograd.grad(g.sum(), x)[0].tolist(), x.grad is None
    ([3.0, 12.0], [6.0, 12.0], True)
    """
    where = "grad"
    outs = _tensors(outputs, "outputs", where)
    ins = _tensors(inputs, "inputs", where)
    seeds = _per_output(grad_outputs, outs, "grad_outputs", where)
    for i, out in enumerate(outs):
        if not out._requires_grad:
            raise RuntimeError(f"{where}: output {i} does not require grad: none of the tensors it was "
                               "computed from requires grad (or it was computed under no_grad())")
    for i, t in enumerate(ins):
        if not t._requires_grad:
            raise RuntimeError(f"{where}: input {i} does not require grad; expected tensors created with "
                               "requires_grad=True or computed from them")
    if materialize_grads and allow_unused is False:
        raise ValueError(f"{where}: materialize_grads=True needs allow_unused left at None or True")
    unique = list({id(t): t for t in ins}.values())
    saved = [(t, t._grad, t._retains_grad) for t in unique]
    root, seed = _one_root(outs, seeds)
    try:
        for t in unique:
            t._grad = None
        root.backward(seed, retain_graph=retain_graph, create_graph=create_graph, inputs=unique)
        found = {id(t): t._grad for t in unique}
    finally:
        for t, held, retains in saved:
            t._grad, t._retains_grad = held, retains
    grads: list[Any] = []
    for i, t in enumerate(ins):
        g = found[id(t)]
        if g is None:
            if not (allow_unused or materialize_grads):
                raise RuntimeError(
                    f"{where}: input {i} (shape {t.data.shape}) was not used to compute the outputs; pass "
                    "allow_unused=True to get None for it, or materialize_grads=True for zeros"
                )
            if materialize_grads:
                g = Tensor(np.zeros_like(t.data))  # not t * 0, which is nan at inf entries
        elif not create_graph:
            g = g.detach()
        grads.append(g)
    return tuple(grads)


def backward(tensors: Tensor | Sequence[Tensor],
             grad_tensors: Tensor | Sequence[Tensor | None] | None = None,
             retain_graph: bool | None = None, create_graph: bool = False,
             inputs: Tensor | Sequence[Tensor] | None = None) -> None:
    """Accumulate the gradients of several outputs into the leaves' ``.grad``
    (``torch.autograd.backward``): the same as ``sum(t * g).backward()`` over the pairs.

    Parameters
    ----------
    tensors : Tensor or sequence of Tensor
        The outputs to differentiate.
    grad_tensors : Tensor or sequence of (Tensor or None), optional
        d L / d output for each output; None stands for 1 and is allowed for one-element outputs only.
    retain_graph, create_graph, inputs
        As in :meth:`Tensor.backward`.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.tensor([1.0, 2.0], requires_grad=True)
    >>> autograd.backward([(x * x).sum(), x.sum()])
    >>> x.grad.tolist()
    [3.0, 5.0]
    """
    where = "backward"
    outs = _tensors(tensors, "tensors", where)
    seeds = _per_output(grad_tensors, outs, "grad_tensors", where)
    root, seed = _one_root(outs, seeds)
    root.backward(seed, retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)
