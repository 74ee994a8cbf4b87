"""Two-sided finite differences in float64 for scalar functions, closeness checks, the textbook's
sigma graph that several test files examine, a comparison of a convolution with torch's, the
first- and second-derivative check of a Tensor function that the tests of the Tensor ops share, and the
gradient of PyTorch's resampling as its forward pass defines it.

The functions differentiated here are plain-float functions (usually written with :mod:`math`), so the
reference derivatives never come from the code under test.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np
import pytest

from autograd import Value, gradcheck, gradgradcheck

RTOL = 1e-6
ATOL = 1e-8


def _step(x: float, h: float | None) -> float:
    return 1e-6 * max(1.0, abs(x)) if h is None else h


def central_difference(f: Callable[[float], float], x: float, h: float | None = None) -> float:
    """(f(x + h) - f(x - h)) / (2h) in float64, with h relative to |x| (at least 1e-6).

    The denominator is the distance between the two points actually evaluated, so the rounding of
    ``x + h`` and ``x - h`` does not bias the quotient.
    """
    x = float(x)
    step = _step(x, h)
    xp, xm = x + step, x - step
    return (float(f(xp)) - float(f(xm))) / (xp - xm)


def numerical_gradient(
    f: Callable[..., float], args: Sequence[float], h: float | None = None
) -> list[float]:
    """Partial derivatives of ``f(*args)`` by central differences, one argument at a time."""
    point = [float(a) for a in args]
    grads = []
    for i in range(len(point)):

        def fi(t: float, i: int = i) -> float:
            moved = list(point)
            moved[i] = t
            return f(*moved)

        grads.append(central_difference(fi, point[i], h))
    return grads


def is_close(got: float, expected: float, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """|got - expected| <= rtol * max(|got|, |expected|) + atol (infinities must match exactly)."""
    got, expected = float(got), float(expected)
    if math.isinf(got) or math.isinf(expected) or math.isnan(got) or math.isnan(expected):
        return got == expected
    return abs(got - expected) <= rtol * max(abs(got), abs(expected)) + atol


def assert_close(got: float, expected: float, rtol: float = RTOL, atol: float = ATOL, what: str = "") -> None:
    assert is_close(got, expected, rtol, atol), (
        f"{what}: got {got!r}, expected {expected!r} (|diff| = {abs(float(got) - float(expected)):.3e}, "
        f"rtol={rtol}, atol={atol})"
    )


def assert_grad_matches_fd(
    grads: Sequence[float],
    f: Callable[..., float],
    args: Sequence[float],
    rtol: float = RTOL,
    atol: float = ATOL,
    what: str = "",
) -> None:
    """Compare ``grads`` with central differences of ``f`` at ``args``.

    The absolute floor grows with |f(args)|, because the rounding error of a difference quotient is
    about eps * |f| / h.
    """
    fd = numerical_gradient(f, args)
    floor = atol * max(1.0, abs(float(f(*[float(a) for a in args]))))
    assert len(grads) == len(fd)
    for i, (g, d) in enumerate(zip(grads, fd)):
        where = f"{what} d/darg{i} at {list(args)} vs finite differences"
        assert_close(g, d, rtol=rtol, atol=floor, what=where)


def check_derivatives(f: Callable[..., Any], *arrays: Any, **options: Any) -> None:
    """First and second derivatives of ``f`` at float64 copies of ``arrays`` against two-sided finite
    differences (gradcheck, gradgradcheck; ``options`` are their keywords, such as eps or atol)."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    assert gradcheck(f, arrays, **options)
    assert gradgradcheck(f, arrays, **options)


def build_sigma(x0=0.5, y0=math.pi, z0=1.0, w0=1.0):
    """sigma(x, y, z, w) = 1 / (w + exp(z + cos(y x^2))) as the labelled nodes of Fig. 9.2."""
    x, y, z, w = Value(x0, label="x"), Value(y0, label="y"), Value(z0, label="z"), Value(w0, label="w")
    p = x**2
    q = y * p
    r = q.cos()
    s = z + r
    t = s.exp()
    u = w + t
    sigma = 1 / u
    nodes = dict(x=x, y=y, z=z, w=w, p=p, q=q, r=r, s=s, t=t, u=u, sigma=sigma)
    for name, node in nodes.items():
        node.label = name
    return nodes


def assert_conv_matches_torch(torch, x, w, b, **options) -> None:
    """``nn.conv2d`` (or ``conv1d``, for a 3-D weight) of float64 arrays against torch's: the output, its
    shape and dtype, and the gradients of x, w and b (which may be None) for one random output gradient.
    ``options`` are the keywords both take."""
    import numpy as np

    from autograd import Tensor
    from nn import conv_ops

    name = f"conv{np.ndim(w) - 2}d"
    X, W, B = (None if a is None else Tensor(a, requires_grad=True) for a in (x, w, b))
    out = getattr(conv_ops, name)(X, W, B, **options)
    tx, tw, tb = (None if a is None else torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tout = getattr(torch.nn.functional, name)(tx, tw, tb, **options)
    assert out.shape == tuple(tout.shape) and out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = np.random.default_rng(0).standard_normal(tout.shape)
    out.backward(g)
    tout.backward(torch.tensor(g))
    for ours, theirs in ((X, tx), (W, tw), (B, tb)):
        if ours is not None:
            np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-11, atol=1e-11)


def adjoint_of_torch_interpolate(torch, shape, kw, g):
    """The gradient of sum(interpolate(x) * g) for PyTorch's forward map, for an input of ``shape`` (PyTorch's
    own backward sometimes reads other entries or weights). A nearest mode copies entries: each output reads
    the entry whose flat index its forward pass returns for the input 0, 1, 2, ...; any other mode is linear
    in each channel: its matrix is the forward pass of the basis images (so keep those inputs small)."""
    spatial = tuple(shape[2:])
    size = int(np.prod(spatial))
    g = np.reshape(g, tuple(shape[:2]) + (-1,))
    if kw.get("mode", "nearest") in ("nearest", "nearest-exact"):
        positions = torch.arange(float(size), dtype=torch.float64).reshape((1, 1) + spatial)
        index = torch.nn.functional.interpolate(positions, **kw).numpy().astype(np.int64).ravel()
        grad = np.zeros(tuple(shape[:2]) + (size,))
        np.add.at(grad, (slice(None), slice(None), index), g)
        return grad.reshape(shape)
    basis = torch.eye(size, dtype=torch.float64).reshape((size, 1) + spatial)
    matrix = torch.nn.functional.interpolate(basis, **kw).numpy().reshape(size, -1)
    return (g @ matrix.T).reshape(shape)


def check_resampling_layer(torch, ours, theirs, x, rtol):
    """A resampling layer (Upsample and its kin) against PyTorch's built with the same arguments: repr,
    attributes, no state, outputs to ``rtol`` on the float64 input ``x``, and input gradients. A nearest
    mode is compared with the adjoint of PyTorch's forward map (adjoint_of_torch_interpolate), which
    its own backward does not always follow."""
    from autograd import Tensor

    assert repr(ours) == repr(theirs)
    for name in ("size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert ours.state_dict() == {} and list(ours.parameters()) == []
    X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = ours(X), theirs(tx)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=rtol, atol=rtol)
    g = np.random.default_rng(0).standard_normal(y.shape)
    y.backward(g)
    if ours.mode == "nearest":
        expected = adjoint_of_torch_interpolate(
            torch, x.shape, dict(size=theirs.size, scale_factor=theirs.scale_factor), g)
    else:
        ty.backward(torch.tensor(g))
        expected = tx.grad.numpy()
    np.testing.assert_allclose(X.grad.numpy(), expected, rtol=1e-12, atol=1e-12)


def check_true_derivative_where_torch_differs(torch, x, kw, rtol):
    """``F.interpolate(x, **kw)`` where PyTorch's backward is not the derivative of its forward: the
    outputs agree to ``rtol``, our input gradient is the adjoint of PyTorch's forward map
    (adjoint_of_torch_interpolate), and PyTorch's own gradient is not (the last check fails once
    PyTorch fixes its backward, so that the case can be moved to the plain comparisons)."""
    import nn.functional as F
    from autograd import Tensor

    X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = F.interpolate(X, **kw), torch.nn.functional.interpolate(tx, **kw)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=rtol, atol=rtol)
    g = np.random.default_rng(1).standard_normal(y.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    adjoint = adjoint_of_torch_interpolate(torch, x.shape, kw, g)
    np.testing.assert_allclose(X.grad.numpy(), adjoint, rtol=1e-12, atol=1e-12)
    assert not np.allclose(tx.grad.numpy(), adjoint)


def check_both_raise(call, theirs, ours, message):
    """``call(*theirs)`` raises (PyTorch's library and tensor factory: only whether it raises is
    compared) and ``call(*ours)`` raises a ValueError or TypeError whose message starts with the regex
    ``message``."""
    with pytest.raises(Exception):  # noqa: B017 - PyTorch's classes and messages differ
        call(*theirs)
    with pytest.raises((ValueError, TypeError), match="^" + message):
        call(*ours)
