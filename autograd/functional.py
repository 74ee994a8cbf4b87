"""Function transforms: gradients, vector-Jacobian products, Jacobians and Hessians of Python functions.

Each transform calls the function on *fresh* inputs and differentiates with respect to those only, so
the caller's tensors (and any parameters the function closes over) never receive ``.grad`` entries:

- with ``create_graph=False`` every differentiated input is replaced by a new leaf
  ``x.detach().requires_grad_()``;
- with ``create_graph=True`` an input that already takes part in a graph is replaced by a recorded
  identity of itself, so the gradient that comes back stays connected to the caller's graph and can be
  differentiated again (this is how :func:`hessian` and :func:`hvp` nest :func:`grad`).

The backward pass runs through the engine over the part of the graph that lies between those inputs and
the output only (like ``torch.autograd.grad``): no ``.grad`` attribute changes, and the caller's graph
upstream of an input is neither run nor freed.

Examples
--------
>>> from autograd import tensor
>>> from autograd.functional import grad, hessian
>>> f = lambda x: (x ** 3).sum()
>>> grad(f)(tensor([1.0, 2.0])).tolist()
[3.0, 12.0]
>>> hessian(f, tensor([1.0, 2.0])).tolist()
[[6.0, 0.0], [0.0, 12.0]]
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .grad_mode import enable_grad
from .grad_of_tensors import grad_of_tensors
from .tensor import Tensor, TensorOp, identity_rule, result

__all__ = ["grad", "value_and_grad", "vjp", "jacobian", "hessian", "hvp"]


# ---------------------------------------------------------------------------------------------- helpers
_INPUT = TensorOp("input", identity_rule, reads_values=False)
"""A recorded identity that stands for a differentiated input inside a larger graph."""


def _check_callable(f: Any, where: str) -> None:
    if not callable(f):
        hint = (" (for the gradients of tensors already computed, PyTorch's torch.autograd.grad, call "
                "autograd.grad(outputs, inputs))" if isinstance(f, Tensor) else "")
        raise TypeError(f"{where}: got {type(f).__name__} for f; expected a function of tensors{hint}")


def _to_tensor(x: Any, where: str, position: int) -> Tensor:
    """A Tensor from ``x``; Python numbers, lists and integer arrays become float64."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, tuple) or isinstance(x, list) and any(isinstance(e, (Tensor, np.ndarray)) for e in x):
        # PyTorch's spelling ``f(func, (x, y))``; numpy would stack the inputs into one, or fail on their
        # shapes. A list of numbers is one vector.
        raise TypeError(
            f"{where}: argument {position} is a {type(x).__name__}; pass several inputs as separate "
            f"arguments, {where}(f, x, y), and one input as a Tensor, an array or a list of numbers"
        )
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{where}: argument {position} is {x!r} (dtype {arr.dtype}); expected numbers: a "
                        "Tensor, an array, a list or a number")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return Tensor(arr)


def _check_float(x: Tensor, where: str, position: int) -> None:
    if x.data.dtype.kind != "f":
        raise TypeError(
            f"{where}: argument {position} has dtype {x.data.dtype}; only floating-point tensors can be "
            "differentiated (convert it with .double() or .float())"
        )


def _input_node(x: Tensor, create_graph: bool) -> Tensor:
    """The tensor the function is called with, in place of ``x``."""
    if create_graph and x._requires_grad:
        with enable_grad():
            return result(x.data, (x,), _INPUT)
    fresh = x.detach()
    fresh.requires_grad_()
    return fresh


def _backprop(out: Tensor, seed: Tensor, nodes: Sequence[Tensor], retain_graph: bool,
              create_graph: bool) -> list:
    """d<seed, out>/d node for each of ``nodes``: :func:`~autograd.grad_of_tensors.grad_of_tensors`
    (``torch.autograd.grad``), with zeros for a node the output does not depend on.

    The engine's pass is restricted to the inputs, so it stops there: no other ``.grad`` changes and the
    caller's graph upstream of an input is neither run nor freed.
    """
    if not out._requires_grad:  # a function that ignores its inputs: every gradient is 0
        return [Tensor(np.zeros(node.data.shape, dtype=node.data.dtype)) for node in nodes]
    grads = grad_of_tensors(out, nodes, seed, retain_graph=retain_graph, create_graph=create_graph,
                            materialize_grads=True)
    # a seed that reached an input directly keeps its own shape
    return [g if g.data.shape == node.data.shape else g.reshape(node.data.shape)
            for g, node in zip(grads, nodes)]


def _seed(v: Any, out: Tensor, where: str, create_graph: bool) -> Tensor:
    if isinstance(v, Tensor) and create_graph:
        seed = v if v.data.dtype == out.data.dtype else v.astype(out.data.dtype)
    else:
        # a copy: the backward pass's rules may write into the gradient they are given
        arr = np.array(v.data if isinstance(v, Tensor) else v, dtype=out.data.dtype)
        seed = Tensor(arr)
    if seed.data.shape != out.data.shape:
        raise ValueError(
            f"{where}: the cotangent v has shape {seed.data.shape}; expected the output's shape "
            f"{out.data.shape}"
        )
    return seed


def _checked_output(out: Any, where: str, hint: str = "") -> Tensor:
    if not isinstance(out, Tensor):
        raise TypeError(f"{where}: the function returned {type(out).__name__}; expected a Tensor{hint}")
    if out.data.dtype.kind != "f":
        raise TypeError(f"{where}: the function returned a tensor of dtype {out.data.dtype}; expected floats")
    return out


def _unconverted_hint(args: Sequence[Any], nums: Sequence[int]) -> str:
    """Why a function may have returned an array: an array argument it was not differentiated by."""
    for i, a in enumerate(args):
        if i not in nums and isinstance(a, (np.ndarray, list)):
            kind = "a numpy array" if isinstance(a, np.ndarray) else "a list"
            return (f" (argument {i} is {kind}, passed unchanged because it is not in argnums: wrap it in "
                    "a Tensor if the function needs one)")
    return ""


def _call(f: Callable[..., Any], args: Sequence[Any], kwargs: dict, where: str) -> Tensor:
    with enable_grad():
        return _checked_output(f(*args, **kwargs), where)


def _trace(f: Callable[..., Any], inputs: Sequence[Any], create_graph: bool,
           where: str) -> tuple[list[Tensor], Tensor]:
    """Call ``f`` on an input node for each of ``inputs``; return the nodes and the output."""
    nodes = [_input_node(x, create_graph) for x in _float_inputs(inputs, where)]
    return nodes, _call(f, nodes, {}, where)


def _float_inputs(inputs: Sequence[Any], where: str) -> list[Tensor]:
    """``inputs`` as floating-point Tensors, refused with ``where``'s name when they cannot be."""
    if not inputs:
        raise TypeError(f"{where}: expected at least one input after the function")
    tensors = [_to_tensor(x, where, i) for i, x in enumerate(inputs)]
    for i, x in enumerate(tensors):
        _check_float(x, where, i)
    return tensors


def _argnums(argnums: int | Sequence[int], nargs: int, where: str) -> tuple[tuple[int, ...], bool]:
    single = isinstance(argnums, (int, np.integer))
    nums = (int(argnums),) if single else tuple(int(a) for a in argnums)
    if not nums:
        raise ValueError(f"{where}: argnums is empty; expected at least one argument position")
    for a in nums:
        if not -nargs <= a < nargs:
            raise ValueError(f"{where}: argnums {a} is out of range for a call with {nargs} arguments")
    nums = tuple(a % nargs for a in nums)
    if len(set(nums)) != len(nums):
        raise ValueError(f"{where}: repeated position in argnums {argnums}")
    return nums, single


# ---------------------------------------------------------------------------------------------- grad
def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0, create_graph: bool = False,
                   has_aux: bool = False) -> Callable[..., tuple[Any, Any]]:
    """Transform a scalar-valued ``f`` into a function returning ``(f(*args), gradient)``.

    Parameters
    ----------
    f : callable
        Returns a one-element Tensor (or, with ``has_aux``, a pair ``(output, aux)``). The arguments it
        is differentiated with respect to may be Tensors or numbers, lists and arrays, which become
        float64 tensors; its other arguments are passed to it unchanged.
    argnums : int or tuple of int, optional
        Position(s) of the argument(s) to differentiate with respect to.
    create_graph : bool, optional
        Record the backward pass, so that the gradient can itself be differentiated.
    has_aux : bool, optional
        As in JAX: ``f`` returns ``(output, aux)``, only ``output`` is differentiated, and ``aux`` (any
        object) comes back as ``f`` returned it.

    Returns
    -------
    callable
        ``g(*args, **kwargs) -> (value, gradient)``, or ``((value, aux), gradient)`` with ``has_aux``;
        ``gradient`` is a Tensor shaped like the argument for an int ``argnums``, a tuple of Tensors for
        a tuple.

    Examples
    --------
    >>> from autograd import tensor
    >>> from autograd.functional import value_and_grad
    >>> value, g = value_and_grad(lambda x: (x * x).sum())(tensor([1.0, 2.0]))
    >>> value.item(), g.tolist()
    (5.0, [2.0, 4.0])
    >>> (value, n), g = value_and_grad(lambda x: ((x * x).sum(), x.shape[0]), has_aux=True)([3.0])
    >>> value.item(), n, g.tolist()
    (9.0, 1, [6.0])
    """
    _check_callable(f, "value_and_grad")

    def value_and_grad_f(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        nums, single = _argnums(argnums, len(args), "grad")
        call_args = list(args)
        nodes = []
        for a in nums:
            x = _to_tensor(args[a], "grad", a)
            _check_float(x, "grad", a)
            node = _input_node(x, create_graph)
            call_args[a] = node
            nodes.append(node)
        with enable_grad():
            out = f(*call_args, **kwargs)
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError(
                    f"grad: with has_aux=True the function must return a pair (output, aux); it returned "
                    f"{type(out).__name__}" + (f" of length {len(out)}" if isinstance(out, tuple) else "")
                )
            out, aux = out
        out = _checked_output(out, "grad", _unconverted_hint(args, nums))
        if out.data.size != 1:
            raise ValueError(
                f"grad: the function returned a tensor of shape {out.data.shape}; grad needs a scalar "
                "(one-element) output. Use vjp for a vector-Jacobian product or jacobian for the full "
                "Jacobian"
            )
        seed = Tensor(np.ones_like(out.data))
        grads = _backprop(out, seed, nodes, retain_graph=create_graph, create_graph=create_graph)
        value = out if create_graph else out.detach()
        gradient = grads[0] if single else tuple(grads)
        return ((value, aux), gradient) if has_aux else (value, gradient)

    value_and_grad_f.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    value_and_grad_f.__doc__ = f"Value and gradient of {getattr(f, '__name__', 'f')}."
    return value_and_grad_f


def grad(f: Any = None, *args: Any, **kwargs: Any) -> Any:
    """Transform a scalar-valued ``f`` into the function that computes its gradient; or, given output
    tensors, return their gradients with respect to input tensors, as ``torch.autograd.grad`` does.

    ``grad(f, argnums=0, create_graph=False, has_aux=False)`` is the function transform described below
    (``torch.func.grad``, JAX's ``grad``). ``grad(outputs, inputs, grad_outputs=None, retain_graph=None,
    create_graph=False, allow_unused=None, materialize_grads=False)``, with ``outputs`` a Tensor or a
    sequence of Tensors (passed by position or, as in ``grad(outputs=y, inputs=x)``, by keyword), is
    PyTorch's ``torch.autograd.grad``: see
    :func:`autograd.grad_of_tensors.grad_of_tensors`.

    Parameters
    ----------
    f : callable
        Returns a one-element Tensor (or, with ``has_aux``, a pair ``(output, aux)``). The arguments it
        is differentiated with respect to may be Tensors or numbers, lists and arrays, which become
        float64 tensors; its other arguments are passed to it unchanged (as in JAX and ``torch.func``),
        so they may be sizes, flags, integer labels or callables.
    argnums : int or tuple of int, optional
        Position(s) of the argument(s) to differentiate with respect to (default: the first).
    create_graph : bool, optional
        Record the backward pass, so that the gradient can be differentiated again (Hessians, hvp).
    has_aux : bool, optional
        As in JAX: ``f`` returns ``(output, aux)``; only ``output`` is differentiated, and ``aux`` comes
        back unchanged next to the gradient.

    Returns
    -------
    callable
        ``g(*args, **kwargs)`` returning d f / d args[argnums], shaped like that argument (a tuple of such
        Tensors when ``argnums`` is a tuple), or ``(gradient, aux)`` with ``has_aux``. The caller's
        tensors receive no ``.grad``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from autograd.functional import grad
    >>> grad(lambda x: (x ** 2).sum())(tensor([1.0, -3.0])).tolist()
    [2.0, -6.0]
    >>> dx, dy = grad(lambda x, y: (x * y).sum(), argnums=(0, 1))([1.0, 2.0], [3.0, 4.0])
    >>> dx.tolist(), dy.tolist()
    ([3.0, 4.0], [1.0, 2.0])
    >>> g, aux = grad(lambda x: ((x ** 2).sum(), "note"), has_aux=True)([1.0])
    >>> g.tolist(), aux
    ([2.0], 'note')

    PyTorch's form, on tensors already computed:

    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> [g.tolist() for g in grad((x ** 2).sum(), x)]
    [[2.0, 4.0]]
    >>> [g.tolist() for g in grad(outputs=(x ** 3).sum(), inputs=[x])]
    [[3.0, 12.0]]
    """
    if f is None and "outputs" in kwargs:  # grad(outputs=..., inputs=...), as gradient penalties call it
        return grad_of_tensors(*args, **kwargs)
    if isinstance(f, (Tensor, list, tuple)):  # never a function: PyTorch's torch.autograd.grad form
        return grad_of_tensors(f, *args, **kwargs)
    return _grad_transform(f, *args, **kwargs)


def _grad_transform(f: Callable[..., Any], argnums: int | Sequence[int] = 0, create_graph: bool = False,
                    has_aux: bool = False) -> Callable[..., Any]:
    _check_callable(f, "grad")
    vg = value_and_grad(f, argnums=argnums, create_graph=create_graph, has_aux=has_aux)

    def grad_f(*args: Any, **kwargs: Any) -> Any:
        value, gradient = vg(*args, **kwargs)
        return (gradient, value[1]) if has_aux else gradient

    grad_f.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    grad_f.__doc__ = f"Gradient of {getattr(f, '__name__', 'f')}."
    return grad_f


# ---------------------------------------------------------------------------------------------- vjp
def vjp(f: Callable[..., Tensor], *inputs: Any, v: Any = None,
        create_graph: bool = False) -> tuple[Tensor, Any]:
    """Vector-Jacobian product: ``v^T (d f / d inputs)``, without forming the Jacobian.

    Parameters
    ----------
    f : callable
        A function of the tensors ``inputs`` returning a Tensor of any shape.
    *inputs : Tensor or array_like
        The point at which to differentiate (non-Tensors become float64 tensors).
    v : array_like, optional
        The cotangent, shaped like ``f(*inputs)``; may be omitted when the output has one element.
    create_graph : bool, optional
        Record the backward pass, so that the result can be differentiated again.

    Returns
    -------
    output : Tensor
        ``f(*inputs)`` (detached unless ``create_graph``).
    vjp : Tensor or tuple of Tensor
        One Tensor shaped like the input when there is one input, a tuple otherwise.

    Examples
    --------
    >>> from autograd import tensor
    >>> from autograd.functional import vjp
    >>> out, g = vjp(lambda x: x * x, tensor([1.0, 2.0]), v=tensor([1.0, 10.0]))
    >>> out.tolist(), g.tolist()
    ([1.0, 4.0], [2.0, 40.0])
    """
    _check_callable(f, "vjp")
    nodes, out = _trace(f, inputs, create_graph, "vjp")
    if v is None:
        if out.data.size != 1:
            raise ValueError(
                f"vjp: the output has shape {out.data.shape}; pass v=, a cotangent of that shape"
            )
        v = np.ones_like(out.data)
    seed = _seed(v, out, "vjp", create_graph)
    grads = _backprop(out, seed, nodes, retain_graph=create_graph, create_graph=create_graph)
    value = out if create_graph else out.detach()
    return value, (grads[0] if len(grads) == 1 else tuple(grads))


# ---------------------------------------------------------------------------------------------- jacobian
def jacobian(f: Callable[..., Tensor], *inputs: Any, create_graph: bool = False) -> Any:
    """The full Jacobian of ``f`` at ``inputs``, one vector-Jacobian product per output element.

    Parameters
    ----------
    f : callable
        A function of the tensors ``inputs`` returning a Tensor of any shape.
    *inputs : Tensor or array_like
        The point at which to differentiate (non-Tensors become float64 tensors).
    create_graph : bool, optional
        Record the backward passes, so that the Jacobian can be differentiated again.

    Returns
    -------
    Tensor or tuple of Tensor
        For each input, a Tensor of shape ``out.shape + input.shape`` whose entry ``[i..., j...]`` is
        d out[i...] / d input[j...]; a single Tensor when there is one input.

    Examples
    --------
    >>> from autograd import tensor
    >>> from autograd.functional import jacobian
    >>> jacobian(lambda x: x * x, tensor([1.0, 2.0])).tolist()
    [[2.0, 0.0], [0.0, 4.0]]
    """
    _check_callable(f, "jacobian")
    nodes, out = _trace(f, inputs, create_graph, "jacobian")
    rows: list[list[Tensor]] = [[] for _ in nodes]
    n = out.data.size
    for k in range(n):
        basis = np.zeros(n, dtype=out.data.dtype)
        basis[k] = 1.0
        seed = Tensor(basis.reshape(out.data.shape))
        grads = _backprop(out, seed, nodes, retain_graph=create_graph or k < n - 1,
                          create_graph=create_graph)
        for row, g in zip(rows, grads):
            row.append(g)
    jacs = []
    for node, row in zip(nodes, rows):
        shape = out.data.shape + node.data.shape
        if create_graph:
            jacs.append(_stack(row, node).reshape(shape))
        else:
            stacked = np.stack([g.data for g in row]) if row else np.zeros((0,) + node.data.shape,
                                                                           dtype=node.data.dtype)
            jacs.append(Tensor(stacked.reshape(shape)))
    return jacs[0] if len(jacs) == 1 else tuple(jacs)


def _stack(rows: list[Tensor], like: Tensor) -> Tensor:
    """Stack gradient rows differentiably (sum of scattered rows), shape ``(len(rows),) + like.shape``."""
    n = len(rows)
    total = Tensor(np.zeros((n,) + like.data.shape, dtype=like.data.dtype))
    for k, row in enumerate(rows):
        onehot = np.zeros((n,) + (1,) * like.data.ndim, dtype=like.data.dtype)
        onehot[k] = 1.0
        total = total + Tensor(onehot) * row
    return total


# ---------------------------------------------------------------------------------------------- second order
def hessian(f: Callable[..., Tensor], *inputs: Any) -> Any:
    """The Hessian of a scalar-valued ``f`` at ``inputs``: the Jacobian of its gradient.

    Parameters
    ----------
    f : callable
        A function of the tensors ``inputs`` returning a one-element Tensor.
    *inputs : Tensor or array_like
        The point (non-Tensors become float64 tensors), one argument per input of ``f``.

    Returns
    -------
    Tensor or tuple of tuple of Tensor
        For one input, a Tensor of shape ``input.shape + input.shape`` whose entry ``[i..., j...]`` is
        d^2 f / d x[i...] d x[j...]. For several, the nested tuple of PyTorch's
        ``torch.autograd.functional.hessian``: ``H[a][b]`` of shape ``inputs[a].shape + inputs[b].shape``
        holds d^2 f / d inputs[a] d inputs[b].

    Examples
    --------
    >>> from autograd import tensor
    >>> from autograd.functional import hessian
    >>> hessian(lambda x: (x[0] * x[1] ** 2), tensor([1.0, 3.0])).tolist()
    [[0.0, 6.0], [6.0, 2.0]]
    >>> (hxx, hxy), (hyx, hyy) = hessian(lambda x, y: (x * y * y).sum(), [1.0], [3.0])
    >>> hxx.tolist(), hxy.tolist(), hyx.tolist(), hyy.tolist()
    ([[0.0]], [[6.0]], [[6.0]], [[2.0]])
    """
    _check_callable(f, "hessian")
    inputs = tuple(_float_inputs(inputs, "hessian"))
    if len(inputs) == 1:
        return jacobian(grad(f, create_graph=True), *inputs)
    gradient = grad(f, argnums=tuple(range(len(inputs))), create_graph=True)

    def part(a: int) -> Callable[..., Tensor]:
        return lambda *xs: gradient(*xs)[a]

    return tuple(jacobian(part(a), *inputs) for a in range(len(inputs)))


def hvp(f: Callable[[Tensor], Tensor], x: Any, v: Any) -> Tensor:
    """Hessian-vector product ``H(x) v`` of a scalar-valued ``f``, without forming the Hessian.

    Computed by double backward: ``g = grad(f)(x)`` with ``create_graph=True``, then the gradient of
    ``(g * v).sum()`` with respect to ``x``. Costs about two gradient evaluations, whatever the size of x.

    Parameters
    ----------
    f : callable
        A function of one tensor returning a one-element Tensor.
    x : Tensor or array_like
        The point (non-Tensors become float64 tensors).
    v : Tensor or array_like
        A direction shaped like ``x``.

    Returns
    -------
    Tensor
        ``H(x) v``, shaped like ``x``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from autograd.functional import hvp
    >>> hvp(lambda x: (x ** 3).sum(), tensor([1.0, 2.0]), tensor([1.0, 1.0])).tolist()
    [6.0, 12.0]
    """
    _check_callable(f, "hvp")
    x = _to_tensor(x, "hvp", 0)
    _check_float(x, "hvp", 0)
    v_arr = np.asarray(v.data if isinstance(v, Tensor) else v, dtype=x.data.dtype)
    if v_arr.shape != x.data.shape:
        raise ValueError(f"hvp: v has shape {v_arr.shape}; expected the shape of x, {x.data.shape}")
    direction = Tensor(v_arr)
    grad_f = grad(f, create_graph=True)

    def directional(point: Tensor) -> Tensor:
        return (grad_f(point) * direction).sum()

    return grad(directional)(x)
