"""smooth_l1_loss and huber_loss at their edges, against PyTorch 2.13 in float64: infinite and nan
differences, an infinite, tiny or zero threshold, differences exactly at the threshold, and which
thresholds are refused. Values, first derivatives (input and target) and second derivatives are compared
element by element, nan matching nan."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

from autograd import Tensor
from nn import losses as L

torch = pytest.importorskip("torch")

INF, NAN = math.inf, math.nan
# (our function, torch's name, keyword arguments)
CASES = [
    (L.huber_loss, "huber_loss", {"delta": 1.0}),
    (L.huber_loss, "huber_loss", {"delta": 0.5}),
    (L.huber_loss, "huber_loss", {"delta": INF}),
    (L.huber_loss, "huber_loss", {"delta": 1e-300}),
    (L.smooth_l1_loss, "smooth_l1_loss", {"beta": 1.0}),
    (L.smooth_l1_loss, "smooth_l1_loss", {"beta": 0.0}),
    (L.smooth_l1_loss, "smooth_l1_loss", {"beta": INF}),
    (L.smooth_l1_loss, "smooth_l1_loss", {"beta": 1e-300}),
    (L.smooth_l1_loss, "smooth_l1_loss", {"beta": 1e300}),
]
IDS = [f"{name}-{kw}" for _, name, kw in CASES]


def edge_pairs(threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and targets whose differences are 0, +-threshold (when finite), +-inf, nan (from either side
    or from inf - inf), overflowing, huge and tiny."""
    pairs = [(0.0, 0.0), (2.0, 2.0), (0.5, 0.0), (-2.0, 0.0), (INF, 0.0), (-INF, 0.0), (0.0, INF),
             (NAN, 0.0), (0.0, NAN), (INF, INF), (1e308, -1e308), (1e155, 0.0), (1e-300, 0.0)]
    if math.isfinite(threshold):
        pairs += [(threshold, 0.0), (-threshold, 0.0), (1.0 + threshold, 1.0)]
    x, y = zip(*pairs)
    return np.array(x), np.array(y)


def ours(fn, x, y, **kw):
    """Loss per element, d/dinput, d/dtarget, and d/dinput, d/dtarget of sum(d/dinput)."""
    a, b = Tensor(x.copy(), requires_grad=True), Tensor(y.copy(), requires_grad=True)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf, 1e308 + 1e308 in the subtraction
        out = fn(a, b, reduction="none", **kw)
    out.backward(np.ones_like(x), create_graph=True)
    ga, gb = a.grad, b.grad
    a.grad = b.grad = None
    if ga.requires_grad:
        ga.backward(np.ones_like(x))
    second = [np.zeros_like(x) if t.grad is None else t.grad.data for t in (a, b)]
    return [out.data, ga.data, gb.data] + second


def theirs(name, x, y, **kw):
    a, b = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    out = getattr(torch.nn.functional, name)(a, b, reduction="none", **kw)
    ga, gb = torch.autograd.grad(out.sum(), (a, b), create_graph=True)
    second = torch.autograd.grad(ga.sum(), (a, b), allow_unused=True, materialize_grads=True)
    return [t.detach().numpy(force=True) for t in (out, ga, gb) + second]


@pytest.mark.parametrize("fn, name, kw", CASES, ids=IDS)
def test_values_and_derivatives_at_the_edges_match_torch(fn, name, kw):
    x, y = edge_pairs(next(iter(kw.values())))
    what = ["value", "d/dinput", "d/dtarget", "d2/dinput2", "d2/dinput dtarget"]
    for w, got, want in zip(what, ours(fn, x, y, **kw), theirs(name, x, y, **kw)):
        np.testing.assert_array_equal(got, want, err_msg=w)  # exact, nan where torch has nan


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("fn, name, kw", CASES, ids=IDS)
def test_reductions_at_the_edges_match_torch(fn, name, kw, reduction):
    # the reduced loss is nan, but each element's gradient is still its own slope (over the count for the
    # mean), nan only where its own difference is nan, as in torch
    x, y = edge_pairs(next(iter(kw.values())))
    a = Tensor(x.copy(), requires_grad=True)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf, 1e308 + 1e308 in the subtraction
        out = fn(a, y, reduction=reduction, **kw)
    out.backward()
    ta = torch.tensor(x, requires_grad=True)
    ref = getattr(torch.nn.functional, name)(ta, torch.tensor(y), reduction=reduction, **kw)
    ref.backward()
    np.testing.assert_array_equal(out.data, ref.detach().numpy())
    np.testing.assert_allclose(a.grad.data, ta.grad.numpy(), rtol=1e-15, atol=0.0)


def test_huber_with_infinite_delta_and_an_infinite_difference_is_nan_with_slope_inf():
    # |d| = delta = inf is on the linear piece, delta * (|d| - delta / 2) = inf * (inf - inf): nan, as in
    # torch and as smooth_l1_loss(beta=inf) gives, while the slope there is delta * sign(d) = +-inf
    a = Tensor(np.array([INF, -INF, 3.0]), requires_grad=True)
    out = L.huber_loss(a, np.zeros(3), reduction="none", delta=INF)
    out.backward(np.ones(3))
    assert np.isnan(out.data[:2]).all() and out.data[2] == 4.5
    assert a.grad.data.tolist() == [INF, -INF, 3.0]
    assert np.isnan(L.smooth_l1_loss(Tensor(np.array([INF])), np.zeros(1), beta=INF).item())


@pytest.mark.parametrize("fn, kw", [(L.huber_loss, {"delta": 1.0}), (L.smooth_l1_loss, {"beta": 2.0}),
                                    (L.huber_loss, {"delta": INF})])
def test_a_nan_difference_has_a_nan_derivative_and_l1_has_zero(fn, kw):
    a = Tensor(np.array([NAN, 0.5]), requires_grad=True)
    b = Tensor(np.array([0.0, NAN]), requires_grad=True)
    fn(a, b, reduction="sum", **kw).backward()
    assert np.isnan(a.grad.data).all() and np.isnan(b.grad.data).all()
    # beta = 0 is l1_loss, whose derivative (that of |x|) at nan is 0 in torch as well
    for f, extra in [(L.l1_loss, {}), (L.smooth_l1_loss, {"beta": 0.0})]:
        c = Tensor(np.array([NAN, 0.5]), requires_grad=True)
        f(c, np.array([0.0, 0.0]), reduction="sum", **extra).backward()
        assert c.grad.data.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("fn, kw", [(L.huber_loss, {"delta": INF}), (L.smooth_l1_loss, {"beta": 1e-300}),
                                    (L.smooth_l1_loss, {"beta": INF}), (L.huber_loss, {"delta": 1.0})])
def test_infinite_and_nan_differences_raise_no_numpy_warnings(fn, kw):
    # the loss computes torch's inf and nan quietly; the unused piece is never formed where it would
    # overflow or be inf * 0
    x = Tensor(np.array([INF, -INF, NAN, 1e300, 0.0, 1e-300]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fn(x, np.zeros(6), reduction="none", **kw)
        out.backward(np.ones(6), create_graph=True)
        x.grad.backward(np.ones(6))


@pytest.mark.parametrize("name, kw_name, values", [
    ("smooth_l1_loss", "beta", [-1.0, -1e-300, -0.0, 0.0, 1e-300, 1.0, INF, NAN, -INF]),
    ("huber_loss", "delta", [-1.0, -0.0, 0.0, 1e-300, 1.0, INF, NAN, -INF]),
])
def test_thresholds_are_accepted_and_refused_as_in_torch(name, kw_name, values):
    x, y = np.array([0.5, -2.0]), np.array([0.0, 0.0])
    for value in values:
        try:
            want = getattr(torch.nn.functional, name)(torch.tensor(x), torch.tensor(y), **{kw_name: value})
        except RuntimeError:
            want = None
        if want is None:
            bound = ">= 0" if kw_name == "beta" else "> 0"
            with pytest.raises(ValueError, match=rf"{name}: got {kw_name}={re.escape(str(value))}; "
                                                 rf"expected {kw_name} {bound}"):
                getattr(L, name)(Tensor(x), y, **{kw_name: value})
        else:
            got = getattr(L, name)(Tensor(x), y, **{kw_name: value})
            np.testing.assert_array_equal(got.data, want.numpy(), err_msg=str(value))
