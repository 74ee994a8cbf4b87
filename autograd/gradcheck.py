"""Gradient checking: analytic Jacobians against two-sided finite differences, in float64.

:func:`gradcheck` compares, entry by entry, the Jacobian the backward pass gives (one backward pass per
output element, with basis cotangents) with central differences ``(f(x + eps e_k) - f(x - eps e_k)) / 2eps``
(error O(eps^2)). It does so for both backward passes an op can take: the plain one, which runs each op's
``array_rule`` where it has one, and the one with ``create_graph=True``, which runs its Tensor ``rule``
(the rule that second derivatives are built from), so a wrong rule is caught even when the other is
right. :func:`gradgradcheck` does the same for the vector-Jacobian product itself, which checks the
second derivatives recorded with ``create_graph=True``.

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

from .functional import _backprop, vjp
from .grad_mode import enable_grad, no_grad
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
        if o.data.dtype.kind != "f":
            raise TypeError(f"{where}: output {k} of the function has dtype {o.data.dtype}; expected floats")
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


def _analytic_jacobians(f: Callable[..., Any], xs: list[Tensor], where: str,
                        create_graph: bool) -> list[list[np.ndarray]]:
    """jac[o][i] of shape (out_o.size, x_i.size), one backward pass per output element.

    ``create_graph`` picks the backward pass: False runs the ops' array rules (where they have one),
    True their Tensor rules, recorded. :func:`~autograd.functional.jacobian` would do the same, but with
    ``create_graph`` it also records the stacking of the rows and calls ``f`` once per output; that
    made the test suite three times slower.
    """
    nodes = [x.detach().requires_grad_() for x in xs]
    with enable_grad():
        outs = _outputs(f(*nodes), where)
    jac = []
    for out in outs:
        rows = [np.zeros((out.data.size, x.data.size)) for x in xs]
        basis = np.zeros(out.data.size, dtype=out.data.dtype)
        for k in range(out.data.size):
            basis[k] = 1.0
            seed = Tensor(basis.reshape(out.data.shape).copy())
            basis[k] = 0.0
            grads = _backprop(out, seed, nodes, retain_graph=True, create_graph=create_graph)
            for row, g in zip(rows, grads):
                row[k] = np.asarray(g.data, dtype=np.float64).ravel()
        jac.append(rows)
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
    ``atol + rtol * |numeric|``. The analytic Jacobian is taken twice, with a plain backward pass (the
    ops' ``array_rule``, where they have one) and with ``create_graph=True`` (their Tensor ``rule``);
    the report says which of the two is wrong.

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
    numeric = _numeric_jacobians(f, xs, eps, "gradcheck")
    plain = _compare(_analytic_jacobians(f, xs, "gradcheck", create_graph=False), numeric, xs, atol, rtol,
                     "gradcheck")
    recorded = _compare(_analytic_jacobians(f, xs, "gradcheck", create_graph=True), numeric, xs, atol, rtol,
                        "gradcheck")
    if plain is None and recorded is None:
        return True
    if plain is not None and recorded is not None:
        path = "both the plain backward pass and the backward pass with create_graph=True"
    elif plain is not None:
        path = ("the plain backward pass (the ops' array_rule, where they have one); the backward pass "
                "with create_graph=True (their Tensor rule) agrees")
    else:
        path = ("the backward pass with create_graph=True (the ops' Tensor rule); the plain backward pass "
                "(their array_rule) agrees")
    first, rest = (plain or recorded or "").split("\n", 1)
    report = f"{first}\n  wrong in: {path}\n{rest}"
    if raise_exception:
        raise GradcheckError(report)
    return False


def gradgradcheck(f: Callable[..., Any], inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, raise_exception: bool = True, seed: int = 0) -> bool:
    """Check second derivatives of ``f``: the gradient of its vector-Jacobian product against finite
    differences of that product.

    The first derivatives are checked first, with :func:`gradcheck`: the second ones are built from
    them. Then a fixed random cotangent ``v_o`` (from ``seed``) is drawn for each output;
    ``g(x) = sum_o v_o^T (d f_o / dx)`` is computed with ``create_graph=True`` and checked with
    :func:`gradcheck`, so its analytic Jacobian comes from a backward pass through the recorded backward
    pass.

    Parameters
    ----------
    f : callable
        A function of the input tensors returning a Tensor of any shape (or a tuple of Tensors).
    inputs : Tensor, array_like or sequence of them
        The point (floating-point values only).
    eps, atol, rtol, raise_exception
        As for :func:`gradcheck`.
    seed : int, optional
        Seed of the random cotangents.

    Returns
    -------
    bool
        True when every entry agrees.

    Examples
    --------
    >>> from autograd import tensor
    >>> gradgradcheck(lambda x: x ** 3, [tensor([1.0, 2.0])])
    True
    >>> gradgradcheck(lambda x: (x.sin(), (x * x).sum()), [tensor([0.5, 1.0])])
    True
    """
    xs = _prepare(inputs, "gradgradcheck")
    with no_grad():
        outs = _outputs(f(*xs), "gradgradcheck")
    rng = np.random.default_rng(seed)
    vs = [Tensor(rng.standard_normal(out.data.shape)) for out in outs]

    def output(k: int) -> Callable[..., Tensor]:
        return lambda *args: _outputs(f(*args), "gradgradcheck")[k]

    def first_derivative(*args: Tensor) -> tuple:
        total = None
        for k, v in enumerate(vs):
            _, g = vjp(output(k), *args, v=v, create_graph=True)
            g = g if isinstance(g, tuple) else (g,)
            total = g if total is None else tuple(a + b for a, b in zip(total, g))
        return total

    checks = ((f, "gradgradcheck (first derivatives):"),
              (first_derivative, "gradgradcheck (derivatives of the vjp):"))
    for function, label in checks:
        try:
            if not gradcheck(function, xs, eps=eps, atol=atol, rtol=rtol, raise_exception=raise_exception):
                return False
        except GradcheckError as exc:
            raise GradcheckError(str(exc).replace("gradcheck:", label, 1)) from None
    return True
