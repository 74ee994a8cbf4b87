"""Gradient hooks: ``t.register_hook(fn)`` calls ``fn(grad)`` when a backward pass has computed the
gradient with respect to ``t``, as in PyTorch.

The hook sees the total gradient of that pass (every contribution summed) and may return a Tensor of the
same shape and dtype to be used instead, both as ``t.grad`` (a leaf's, or a retained one) and for what
flows on to ``t``'s inputs. Uses: printing or recording gradients as they pass, clipping or masking
them, ...

Each tensor keeps its own hooks (a slot that only :func:`register_hook` sets), so a hook that refers
to its tensor is collected with it. :data:`REGISTRY` holds weak references to the tensors that have
hooks: a backward pass looks at hooks only while it is not empty.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

import numpy as np

from .grad_mode import grad_enabled

# id(tensor) -> a weak reference to it, for each tensor that has hooks
REGISTRY: dict[int, weakref.ref] = {}
_next_key = [0]


class RemovableHandle:
    """What :meth:`Tensor.register_hook` returns: ``handle.remove()`` unregisters the hook.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> handle = x.register_hook(lambda g: g * 2)
    >>> (x * x).sum().backward(); x.grad.tolist()
    [4.0, 8.0]
    >>> handle.remove(); x.grad = None
    >>> (x * x).sum().backward(); x.grad.tolist()
    [2.0, 4.0]
    """

    __slots__ = ("_tensor", "_key")

    def __init__(self, tensor: weakref.ref, key: int) -> None:
        self._tensor, self._key = tensor, key

    def remove(self) -> None:
        """Unregister the hook (again does nothing)."""
        tensor = self._tensor()
        hooks = getattr(tensor, "_hooks", None)
        if hooks is not None:
            hooks.pop(self._key, None)
            if not hooks:
                del tensor._hooks
                REGISTRY.pop(id(tensor), None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def register_hook(tensor: Any, hook: Callable[[Any], Any]) -> RemovableHandle:
    """Call ``hook(grad)`` whenever a backward pass computes the gradient with respect to ``tensor``.

    Parameters
    ----------
    tensor : Tensor
        A tensor that requires grad (a leaf or a computed one).
    hook : callable
        Called with the gradient (a Tensor); it returns None to leave it as it is, or a Tensor of the
        same shape and dtype to replace it.

    Returns
    -------
    RemovableHandle
        ``handle.remove()`` unregisters the hook.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.0, -3.0], requires_grad=True)
    >>> h = x * 2
    >>> seen = []
    >>> _ = h.register_hook(lambda g: seen.append(g.tolist()))
    >>> (h * h).sum().backward(); seen, x.grad.tolist()
    ([[4.0, -12.0]], [8.0, -24.0])
    """
    if not callable(hook):
        from .tensor import describe  # here: tensor imports this module

        raise TypeError(f"register_hook: got a hook {describe(hook)}; expected a callable")
    if not tensor._requires_grad:
        raise RuntimeError("register_hook: cannot register a hook on a tensor that does not require grad "
                           "(no gradient is ever computed for it)")
    hooks = getattr(tensor, "_hooks", None)
    if hooks is None:
        hooks = tensor._hooks = {}
        # the callback must not look anything up when it runs (at interpreter exit, module globals may be
        # gone), and must not drop the entry of a newer tensor that reuses the id
        key = id(tensor)
        REGISTRY[key] = weakref.ref(
            tensor, lambda ref, key=key, registry=REGISTRY: registry.get(key) is ref and registry.pop(key))
    _next_key[0] += 1
    hooks[_next_key[0]] = hook
    return RemovableHandle(REGISTRY[id(tensor)], _next_key[0])


def _hooks_of(node: Any) -> list:
    hooks = getattr(node, "_hooks", None)
    return list(hooks.values()) if hooks else []


def _run(node: Any, hooks: list, grad: Any) -> Any:
    """``grad`` (a Tensor) after each hook in turn, each result checked."""
    for hook in hooks:
        out = hook(grad)
        if out is None:
            continue
        if not hasattr(out, "_requires_grad"):  # a Tensor: hooks.py cannot import the class
            raise TypeError(f"register_hook: hook {_name(hook)} returned an object of type "
                            f"{type(out).__name__}; expected None or a Tensor")
        if out.data.shape != grad.data.shape or out.data.dtype != grad.data.dtype:
            raise RuntimeError(
                f"register_hook: hook {_name(hook)} returned a tensor of shape {out.data.shape} and dtype "
                f"{out.data.dtype}; expected the shape {grad.data.shape} and dtype {grad.data.dtype} of the "
                "gradient it was given"
            )
        grad = out
    return grad


def _name(hook: Any) -> str:
    return repr(getattr(hook, "__name__", hook))


class _Hooked:
    """Stands in for a computed node's op during a pass: it runs the node's hooks on the gradient before
    the node's rule, and puts the real op back."""

    __slots__ = ("op", "hooks")

    def __init__(self, op: Any, hooks: list) -> None:
        self.op, self.hooks = op, hooks

    @property
    def name(self) -> str:
        return self.op.name

    def vjp(self, node: Any, grad: Any) -> Any:
        from .tensor import _constant

        node._op = self.op
        out = _run(node, self.hooks, grad if hasattr(grad, "_requires_grad") else _constant(np.asarray(grad)))
        if node._retains_grad:
            node._grad = out
        elif not grad_enabled():
            # this pass's rules may write into the array they are given (TensorOp.vjp), and a hook may have
            # kept the tensor that holds it
            out = _constant(out.data.copy())
        return self.op.vjp(node, out)


def install(order: list) -> list:
    """Before a pass: hook the ops of the computed nodes in ``order`` that have hooks. Every other tensor
    with hooks (a leaf, or a computed tensor where a pass restricted by ``inputs=`` stops) has its
    gradient set aside, so that the pass collects its own from nothing. Returns what :func:`settle`
    needs."""
    for node in order:
        if id(node) in REGISTRY:
            hooks = _hooks_of(node)
            if hooks:
                node._op = _Hooked(node._op, hooks)
    in_order = {id(node) for node in order}
    set_aside = []
    for ref in list(REGISTRY.values()):
        tensor = ref()
        if tensor is not None and id(tensor) not in in_order:
            set_aside.append((tensor, tensor._grad))
            tensor._grad = None
    return set_aside


def settle(order: list, set_aside: list, failed: bool, unreached: Any) -> None:
    """After a pass: put back the ops of hooked nodes whose rule did not run, and give each tensor set
    aside its gradient from earlier passes plus this pass's, after its hooks (``unreached`` is the
    engine's marker of an interior input still waiting for its gradient: nothing to add)."""
    from .engine import add_to_earlier  # the engine imports this module
    for node in order:
        if type(node._op) is _Hooked:
            node._op = node._op.op
    for tensor, earlier in set_aside:
        this = tensor._grad
        if failed or this is None:
            tensor._grad = earlier
            continue
        this = _run(tensor, _hooks_of(tensor), this)
        if earlier is None or earlier is unreached:
            tensor._grad = this
        else:
            add_to_earlier(tensor, earlier, this)
