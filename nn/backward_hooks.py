"""Module backward hooks: what :meth:`Module.register_full_backward_hook` and
:meth:`Module.register_full_backward_pre_hook` hang on a module's inputs and outputs.

A hook wants every gradient of a call at once: all of the gradients with respect to the module's
outputs (``grad_output``), or all of those with respect to its inputs (``grad_input``). In the graph each
tensor is its own node, and the gradients of several tensors arrive one at a time, so a call with hooks
routes its tensors through a *junction*: one recorded node whose parents are the tensors, and one
identity node per tensor that has the junction as its only parent, standing in for that tensor from then
on::

    inputs  x1  x2              outputs  o1  o2        (the tensors the module got / computed)
              \\ /                          \\ /
            junction                      junction     (one node: its rule runs once, with all gradients)
              /  \\                         /  \\
            x1'  x2'  -> forward ...      o1'  o2'  -> what the caller gets

The identity nodes send their gradients to the junction as :class:`_Gathered` gradients, which the
engine sums like any other (it adds what reaches a node), so the junction's rule runs once per pass with
all of them, calls the hooks and passes the (possibly replaced) gradients on. The output junction runs
the pre-hooks and keeps ``grad_output`` for the input junction, which runs the full hooks; a call whose
inputs need no gradient runs the full hooks at the output junction, with ``grad_input`` all None.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

from autograd import counting
from autograd.grad_mode import grad_enabled
from autograd.tensor import Tensor, _constant, _fitted, describe, result


class _Gathered:
    """Gradients of some of a junction's tensors, by position; ``+`` merges two, summing where both
    have one (a module output used twice downstream)."""

    __slots__ = ("by_position",)

    def __init__(self, by_position: dict[int, Any]) -> None:
        self.by_position = by_position

    def __add__(self, other: _Gathered) -> _Gathered:
        merged = dict(self.by_position)
        for position, grad in other.by_position.items():
            merged[position] = merged[position] + grad if position in merged else grad
        return _Gathered(merged)


class _Branch:
    """The op of one identity node below a junction: its gradient goes up as the junction's, tagged with
    the node's position."""

    __slots__ = ("position",)
    name = "backward_hook_branch"
    reads_values = False  # an identity: no value is read, so in-place changes never matter to it

    def __init__(self, position: int) -> None:
        self.position = position

    def vjp(self, node: Tensor, grad: Any) -> tuple:
        return (_Gathered({self.position: grad}),)


class _CallState:
    """What the two junctions of one module call share."""

    __slots__ = ("module", "n_args", "n_outputs", "grad_output", "has_input_junction", "constants",
                 "output_hooked")

    def __init__(self, module: Any, n_args: int) -> None:
        self.module = module
        self.n_args = n_args
        self.n_outputs = 0
        self.grad_output: tuple | None = None
        self.has_input_junction = False
        self.constants: dict[int, Tensor] = {}  # the tensor arguments that do not require grad
        self.output_hooked = False  # False for an output that is neither a Tensor nor a tuple: no hooks run


class _Junction:
    """The op of a junction node. ``node._ctx`` is ``(state, slots)``: ``slots[k]`` is the position in the
    call's arguments (or outputs) of the junction's k-th parent."""

    __slots__ = ("is_output",)
    reads_values = False

    def __init__(self, is_output: bool) -> None:
        self.is_output = is_output

    @property
    def name(self) -> str:
        return "backward_hook_outputs" if self.is_output else "backward_hook_inputs"

    def vjp(self, node: Tensor, gathered: _Gathered) -> list:
        state, slots = node._ctx
        arrays = not grad_enabled() and not counting._stack  # the engine's array rules are running
        size = state.n_outputs if self.is_output else state.n_args
        grads: list = [None] * size
        for k, slot in enumerate(slots):
            grad = gathered.by_position.get(k)
            if grad is not None:
                grads[slot] = grad if isinstance(grad, Tensor) else _constant(np.asarray(grad))
        module = state.module
        if self.is_output:
            for hook in list(module._backward_pre_hooks.values()):
                grads = _replaced(grads, hook.fn(module, tuple(grads)), "register_full_backward_pre_hook",
                                  "grad_output", hook.fn)
            state.grad_output = tuple(grads)
            if not state.has_input_junction:
                warnings.warn(f"{type(module).__name__}: the full backward hooks run with the gradients with "
                              "respect to the module's outputs, since none of its inputs requires grad "
                              "(grad_input is all None)", stacklevel=2)
                _run_full_hooks(module, (None,) * state.n_args, state.grad_output)
        elif state.output_hooked:
            for slot, constant in state.constants.items():
                # PyTorch's grad_input holds zeros for them when another argument requires grad
                grads[slot] = _constant(np.zeros_like(constant.data))
            grad_output = state.grad_output or (None,) * state.n_outputs
            grads = list(_run_full_hooks(module, tuple(grads), grad_output))
        contributions = []
        for parent, slot in zip(node._parents, slots):
            grad = grads[slot]
            if grad is None or not parent._requires_grad:
                contributions.append(None)
                continue
            if grad.data.shape != parent.data.shape:  # a gradient a hook gave where there was none
                raise RuntimeError(f"{type(module).__name__}: a backward hook gave a gradient of shape "
                                   f"{grad.data.shape} for a tensor of shape {parent.data.shape}")
            if arrays:
                # the rules below may write into the array they are given, and a hook may have kept it
                contributions.append(_fitted(parent, grad.data.copy()))
            else:
                same = grad.data.dtype == parent.data.dtype
                contributions.append(grad if same else grad.astype(parent.data.dtype))
        return contributions


def _run_full_hooks(module: Any, grad_input: tuple, grad_output: tuple) -> tuple:
    for hook in list(module._backward_hooks.values()):
        grad_input = tuple(_replaced(list(grad_input), hook.fn(module, grad_input, grad_output),
                                     "register_full_backward_hook", "grad_input", hook.fn))
    return grad_input


def _replaced(grads: list, returned: Any, method: str, what: str, hook: Callable) -> list:
    """``grads`` after a hook returned ``returned``: as they were for None, else the hook's, checked."""
    if returned is None:
        return grads
    name = getattr(hook, "__name__", repr(hook))
    if not isinstance(returned, (tuple, list)):
        raise TypeError(f"{method}: hook {name!r} returned a value {describe(returned)}; expected None or a "
                        f"tuple of {len(grads)} gradients ({what})")
    if len(returned) != len(grads):
        raise RuntimeError(f"{method}: hook {name!r} returned {len(returned)} gradients; expected "
                           f"{len(grads)}, one for each of {what}")
    out = []
    for old, new in zip(grads, returned):
        if new is not None:
            if not isinstance(new, Tensor):
                raise TypeError(f"{method}: hook {name!r} returned a value {describe(new)} in {what}; "
                                "expected a Tensor or None")
            if old is not None and new.data.shape != old.data.shape:
                raise RuntimeError(f"{method}: hook {name!r} returned a gradient of shape {new.data.shape} "
                                   f"in {what}; expected the shape {old.data.shape} of the one it was given")
        out.append(new)
    return out


def _routed(values: tuple, state: _CallState, is_output: bool) -> tuple:
    """``values`` with each tensor that requires grad replaced by its identity node below a new junction
    (``values`` itself when none does)."""
    slots = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v._requires_grad]
    if not slots:
        return values
    tensors = tuple(values[i] for i in slots)
    junction = result(np.empty(0, tensors[0].data.dtype), tensors, _Junction(is_output), (state, slots))
    routed = list(values)
    for k, i in enumerate(slots):
        routed[i] = result(values[i].data, (junction,), _Branch(k))
    return tuple(routed)


def hook_inputs(module: Any, args: tuple) -> tuple[tuple, _CallState]:
    """``args`` with each tensor that requires grad routed through the input junction of this call."""
    state = _CallState(module, len(args))
    routed = _routed(args, state, is_output=False)
    if routed is not args:
        state.has_input_junction = True
        state.constants = {i: a for i, a in enumerate(args) if isinstance(a, Tensor) and not a._requires_grad}
    return routed, state


def hook_outputs(output: Any, state: _CallState) -> Any:
    """``output`` (a Tensor or a tuple) with each tensor that requires grad routed through the output
    junction of this call."""
    is_tuple = isinstance(output, tuple)
    if not is_tuple and not isinstance(output, Tensor):
        warnings.warn(f"{type(state.module).__name__}: the backward hooks need the module's output to be a "
                      f"Tensor or a tuple of Tensors; got a value {describe(output)}, so they will not run",
                      stacklevel=3)
        return output
    outputs = output if is_tuple else (output,)
    state.n_outputs = len(outputs)
    state.output_hooked = True
    routed = _routed(outputs, state, is_output=True)
    return routed if is_tuple else routed[0]
