"""Gradient checking: analytic Jacobians against two-sided finite differences, in float64.

:func:`gradcheck` compares, entry by entry, the Jacobian the backward pass gives (one backward pass per
output element, with basis cotangents) with central differences ``(f(x + eps e_k) - f(x - eps e_k)) / 2eps``
(error O(eps^2)). :func:`gradgradcheck` does the same for the vector-Jacobian product itself, which checks
the second derivatives recorded with ``create_graph=True``.

Examples
--------
>>> from autograd import tensor
>>> from autograd.gradcheck import gradcheck, gradgradcheck
>>> gradcheck(lambda x: (x.sin() * x).sum(), [tensor([0.5, 1.5])])
True
>>> gradgradcheck(lambda x: x.tanh(), [tensor([0.5, -1.0])])
True
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .functional import jacobian, vjp
from .grad_mode import no_grad
from .tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` and :func:`gradgradcheck` when analytic and numeric derivatives differ."""


def _prepare(inputs: Any, where: str) -> list[Tensor]:
    if isinstance(inputs, (Tensor, np.ndarray)) or np.isscalar(inputs):
        inputs = [inputs]
    out = []
    for i, x in enumerate(inputs):
        if isinstance(x, (Tensor, np.ndarray)):
            arr = x.data if isinstance(x, Tensor) else x
            if arr.dtype.kind != "f":
                raise TypeError(
                    f"{where}: input {i} has dtype {arr.dtype}; only floating-point inputs can be checked "
                    "(integer and bool inputs have no derivative)"
                )
            arr = np.array(arr, dtype=np.float64)  # a float64 copy: the check never touches the caller's data
        else:
            arr = np.array(x, dtype=np.float64)
        out.append(Tensor(arr))
    if not out:
        raise ValueError(f"{where}: got no inputs")
    return out


def _outputs(value: Any, where: str) -> list[Tensor]:
    outs = list(value) if isinstance(value, (tuple, list)) else [value]
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"{where}: output {k} of the function is {type(o).__name__}; expected a Tensor")
    return outs


def _numeric_jacobians(f: Callable[..., Any], xs: list[Tensor], eps: float,
                       where: str) -> list[list[np.ndarray]]:
    """jac[o][i] of shape (out_o.size, x_i.size) by central differences."""

    def evaluate(args: list[Tensor]) -> list[np.ndarray]:
        with no_grad():
            return [np.array(o.data, dtype=np.float64).ravel() for o in _outputs(f(*args), where)]

    base = evaluate(xs)
    jac = [[np.zeros((b.size, x.data.size)) for x in xs] for b in base]
    for i, x in enumerate(xs):
        flat = x.data.ravel()
        for k in range(flat.size):
            moved = flat.copy()
            moved[k] = flat[k] + eps
            plus = evaluate(xs[:i] + [Tensor(moved.reshape(x.data.shape))] + xs[i + 1:])
            moved[k] = flat[k] - eps
            minus = evaluate(xs[:i] + [Tensor(moved.reshape(x.data.shape))] + xs[i + 1:])
            for o in range(len(base)):
                jac[o][i][:, k] = (plus[o] - minus[o]) / (2.0 * eps)
    return jac


def _analytic_jacobians(f: Callable[..., Any], xs: list[Tensor], where: str) -> list[list[np.ndarray]]:
    with no_grad():
        sizes = [o.data.size for o in _outputs(f(*xs), where)]
    jac = []
    for o, out_size in enumerate(sizes):
        def f_o(*args: Tensor, o: int = o) -> Tensor:
            return _outputs(f(*args), where)[o]

        js = jacobian(f_o, *xs)
        js = (js,) if isinstance(js, Tensor) else js
        jac.append([np.asarray(j.data, dtype=np.float64).reshape(out_size, x.data.size)
                    for j, x in zip(js, xs)])
    return jac


def _compare(analytic: list[list[np.ndarray]], numeric: list[list[np.ndarray]], xs: list[Tensor],
             atol: float, rtol: float, what: str) -> str | None:
    """A report of the worst entry when some entry is out of tolerance, None when all agree."""
    worst = None
    for o, (row_a, row_n) in enumerate(zip(analytic, numeric)):
        for i, (a, n) in enumerate(zip(row_a, row_n)):
            if a.size == 0:
                continue
            err = np.abs(a - n)
            tol = atol + rtol * np.abs(n)
            bad = ~(err <= tol)  # nan counts as a failure
            if not bad.any():
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(bad, np.nan_to_num(err / tol, nan=np.inf, posinf=np.inf), 0.0)
            j, k = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
            score = ratio[j, k]
            if worst is None or score > worst[0]:
                worst = (score, o, i, int(j), int(k), a[j, k], n[j, k], int(bad.sum()), a.size)
    if worst is None:
        return None
    _, o, i, j, k, a_val, n_val, n_bad, n_all = worst
    shape = xs[i].data.shape
    elem = tuple(int(e) for e in np.unravel_index(k, shape)) if shape else ()
    abs_err = abs(a_val - n_val)
    rel_err = abs_err / abs(n_val) if n_val != 0 else float("inf")
    return (
        f"{what}: analytic and numerical Jacobians differ ({n_bad} of {n_all} entries out of tolerance "
        f"for output {o}, input {i}).\n"
        f"  worst entry: output {o} element {j} (flat) w.r.t. input {i} element {elem} "
        f"(input shape {shape})\n"
        f"  analytic = {float(a_val)!r}\n  numeric  = {float(n_val)!r}\n"
        f"  abs error = {abs_err:.3e}, rel error = {rel_err:.3e} (atol={atol}, rtol={rtol})"
    )


def gradcheck(f: Callable[..., Any], inputs: Any, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True) -> bool:
    """Check the gradients of ``f`` at ``inputs`` against two-sided finite differences, in float64.

    Every input is converted to a float64 copy; the analytic Jacobian (one backward pass per output
    element) must match ``(f(x + eps) - f(x - eps)) / (2 eps)`` entry by entry, within
    ``atol + rtol * |numeric|``.

    Parameters
    ----------
    f : callable
        A function of the input tensors returning a Tensor of any shape (or a tuple of Tensors).
    inputs : Tensor, array_like or sequence of them
        The point; floating-point values only (integer and bool inputs raise TypeError).
    eps : float, optional
        Finite-difference step.
    atol, rtol : float, optional
        Absolute and relative tolerance.
    raise_exception : bool, optional
        Raise :class:`GradcheckError` with a report of the worst entry on failure (otherwise return False).

    Returns
    -------
    bool
        True when every entry agrees.

    Examples
    --------
    >>> from autograd import tensor
    >>> gradcheck(lambda a, b: a @ b, [tensor([[1.0, 2.0]]), tensor([[3.0], [4.0]])])
    True
    """
    xs = _prepare(inputs, "gradcheck")
    analytic = _analytic_jacobians(f, xs, "gradcheck")
    numeric = _numeric_jacobians(f, xs, eps, "gradcheck")
    report = _compare(analytic, numeric, xs, atol, rtol, "gradcheck")
    if report is None:
        return True
    if raise_exception:
        raise GradcheckError(report)
    return False


def gradgradcheck(f: Callable[..., Tensor], inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, raise_exception: bool = True, seed: int = 0) -> bool:
    """Check second derivatives of ``f``: the gradient of its vector-Jacobian product against finite
    differences of that product.

    A fixed random cotangent ``v`` (from ``seed``) is drawn once; ``g(x) = v^T (df/dx)`` is computed with
    ``create_graph=True`` and checked with :func:`gradcheck`, so its analytic Jacobian comes from a
    backward pass through the recorded backward pass.

    Parameters
    ----------
    f : callable
        A function of the input tensors returning one Tensor of any shape.
    inputs : Tensor, array_like or sequence of them
        The point (floating-point values only).
    eps, atol, rtol, raise_exception
        As for :func:`gradcheck`.
    seed : int, optional
        Seed of the random cotangent.

    Returns
    -------
    bool
        True when every entry agrees.

    Examples
    --------
    >>> from autograd import tensor
    >>> gradgradcheck(lambda x: x ** 3, [tensor([1.0, 2.0])])
    True
    """
    xs = _prepare(inputs, "gradgradcheck")
    with no_grad():
        out = f(*xs)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradgradcheck: the function returned {type(out).__name__}; expected a Tensor")
    v = Tensor(np.random.default_rng(seed).standard_normal(out.data.shape))

    def first_derivative(*args: Tensor) -> tuple:
        _, g = vjp(f, *args, v=v, create_graph=True)
        return g if isinstance(g, tuple) else (g,)

    try:
        return gradcheck(first_derivative, xs, eps=eps, atol=atol, rtol=rtol, raise_exception=raise_exception)
    except GradcheckError as exc:
        raise GradcheckError(str(exc).replace("gradcheck:", "gradgradcheck (derivatives of the vjp):", 1)) \
            from None
