"""The regression losses l1_loss / L1Loss, smooth_l1_loss / SmoothL1Loss and huber_loss / HuberLoss: values,
first and second derivatives (input and target) vs torch in float64 and vs numpy references, the
derivatives at the kinks (difference 0 and |difference| == beta / delta), gradcheck and gradgradcheck
away from the kinks, the ``weight`` of l1_loss and huber_loss, and the errors for bad arguments."""

from __future__ import annotations

import math
import re
import zlib

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, gradcheck, gradgradcheck, tensor
from nn import losses as L

REDUCTIONS = ["mean", "sum", "none"]
SHAPES = [(), (7,), (3, 4), (2, 3, 5)]
# (our function, torch's name, keyword arguments); beta = 0 is l1_loss, inf makes either loss quadratic
CASES = [
    (L.l1_loss, "l1_loss", {}),
    (L.smooth_l1_loss, "smooth_l1_loss", {}),
    (L.smooth_l1_loss, "smooth_l1_loss", {"beta": 0.0}),
    (L.smooth_l1_loss, "smooth_l1_loss", {"beta": 0.5}),
    (L.smooth_l1_loss, "smooth_l1_loss", {"beta": 2.0}),
    (L.smooth_l1_loss, "smooth_l1_loss", {"beta": math.inf}),
    (L.huber_loss, "huber_loss", {}),
    (L.huber_loss, "huber_loss", {"delta": 0.5}),
    (L.huber_loss, "huber_loss", {"delta": 2.0}),
    (L.huber_loss, "huber_loss", {"delta": math.inf}),
]
CASE_IDS = [f"{name}-{kw}" for _, name, kw in CASES]


# ---------------------------------------------------------------------------------------------- helpers
def threshold(kw: dict) -> float:
    return kw.get("beta", kw.get("delta", 1.0))


def kinky_pair(shape: tuple, kw: dict, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Input and target whose differences are exactly 0, +-threshold, or random (dyadic targets and
    differences, so input - target gives back the difference without rounding)."""
    n = int(np.prod(shape))
    target = rng.integers(-16, 17, n) / 8.0
    t = threshold(kw)
    kinks = [0.0] + ([t, -t] if math.isfinite(t) else [])
    choice = rng.integers(0, 3, n)
    diff = np.where(choice == 0, rng.choice(kinks, n), rng.integers(-40, 41, n) / 16.0)
    diff = np.where(choice == 2, rng.standard_normal(n) * 2.0, diff)
    diff[0] = kinks[-1]  # every shape, even (), has a kink
    if n > 1:
        diff[1] = 0.0
    inp = target + diff
    return inp.reshape(shape), target.reshape(shape)


def derivatives(fn, x: np.ndarray, y: np.ndarray, seed: np.ndarray, v: np.ndarray, **kw):
    """Loss value, d/dinput and d/dtarget of <seed, loss>, and d/dinput, d/dtarget of <v, d/dinput>."""
    a, b = Tensor(x.copy(), requires_grad=True), Tensor(y.copy(), requires_grad=True)
    out = fn(a, b, **kw)
    out.backward(seed, create_graph=True)
    ga, gb = a.grad, b.grad
    a.grad = b.grad = None
    if ga.requires_grad:
        (ga * Tensor(v)).sum().backward()
    zeros = np.zeros_like(x)
    second = [zeros if t.grad is None else t.grad.data for t in (a, b)]
    return out.data, ga.data, gb.data, second[0], second[1]


def torch_derivatives(torch, name: str, x: np.ndarray, y: np.ndarray, seed: np.ndarray, v: np.ndarray, **kw):
    a, b = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    out = getattr(torch.nn.functional, name)(a, b, **kw)
    ga, gb = torch.autograd.grad(out, (a, b), torch.tensor(seed), create_graph=True)
    second = torch.autograd.grad((ga * torch.tensor(v)).sum(), (a, b), allow_unused=True,
                                 materialize_grads=True)
    return [t.detach().numpy(force=True) for t in (out, ga, gb) + second]


def reference(name: str, d: np.ndarray, kw: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pointwise loss, first and second derivative with respect to d = input - target, in numpy."""
    size = np.abs(d)
    sign = np.sign(d)
    t = threshold(kw)
    if name == "l1_loss" or (name == "smooth_l1_loss" and t == 0.0):
        return size, sign, np.zeros_like(d)
    small = size < t
    with np.errstate(invalid="ignore"):  # t = inf: the linear piece, unused, is nan where d = 0
        if name == "smooth_l1_loss":
            return (np.where(small, 0.5 * d * d / t, size - 0.5 * t), np.where(small, d / t, sign),
                    np.where(small, 1.0 / t, 0.0))
        return (np.where(small, 0.5 * d * d, t * (size - 0.5 * t)), np.where(small, d, t * sign),
                np.where(small, 1.0, 0.0))


# ---------------------------------------------------------------------------------------------- vs torch
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("fn, name, kw", CASES, ids=CASE_IDS)
def test_values_and_derivatives_match_torch(fn, name, kw, reduction, shape):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(zlib.crc32(repr((name, kw, reduction, shape)).encode()))
    x, y = kinky_pair(shape, kw, rng)
    out_shape = shape if reduction == "none" else ()
    seed, v = rng.standard_normal(out_shape), rng.standard_normal(shape)
    ours = derivatives(fn, x, y, seed, v, reduction=reduction, **kw)
    ref = torch_derivatives(torch, name, x, y, seed, v, reduction=reduction, **kw)
    what = ["value", "d/dinput", "d/dtarget", "d2/dinput2", "d2/dinput dtarget"]
    for w, got, want in zip(what, ours, ref):
        assert np.shape(got) == np.shape(want), w
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15, err_msg=w)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("fn, name", [(L.l1_loss, "l1_loss"), (L.huber_loss, "huber_loss")])
def test_weight_matches_torch_in_value_and_every_gradient(fn, name, reduction):
    # l1_loss's 'mean' divides by the weights' sum, huber_loss's by the number of elements (PyTorch's)
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    x, y = kinky_pair((4, 3), {}, rng)
    w = rng.uniform(0.1, 2.0, (4, 3))
    a, b, c = (Tensor(z.copy(), requires_grad=True) for z in (x, y, w))
    out = fn(a, b, reduction=reduction, weight=c)
    ta, tb, tc = (torch.tensor(z, requires_grad=True) for z in (x, y, w))
    ref = getattr(torch.nn.functional, name)(ta, tb, reduction=reduction, weight=tc)
    seed = rng.standard_normal(out.data.shape)
    out.backward(seed)
    ref.backward(torch.tensor(seed))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12)
    for ours, theirs in ((a, ta), (b, tb), (c, tc)):
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12, atol=1e-15)
    # a constant weight (a list) gives the same value
    np.testing.assert_allclose(fn(Tensor(x), y, reduction=reduction, weight=w.tolist()).data, out.data,
                               rtol=1e-15)


# ---------------------------------------------------------------------------------------------- vs numpy
@pytest.mark.parametrize("fn, name, kw", CASES, ids=CASE_IDS)
def test_pointwise_values_and_derivatives_vs_numpy_reference(fn, name, kw):
    t = threshold(kw)
    d = np.array([-3.0, -1.5, -0.75, -0.25, 0.0, 0.25, 0.75, 1.5, 3.0])
    if math.isfinite(t):
        d = np.concatenate([d, [-t, t]])  # exactly at the kink: the linear piece
    y = np.full(d.shape, 0.5)  # input - target gives back d exactly
    x = y + d
    value, dx, dy, dxx, dxy = derivatives(fn, x, y, np.ones_like(d), np.ones_like(d), reduction="none", **kw)
    loss, first, second = reference(name, d, kw)
    np.testing.assert_allclose(value, loss, rtol=1e-15)
    np.testing.assert_allclose(dx, first, rtol=1e-15)
    np.testing.assert_allclose(dy, -first, rtol=1e-15)
    np.testing.assert_allclose(dxx, second, rtol=1e-15)
    np.testing.assert_allclose(dxy, -second, rtol=1e-15)


def test_kinks_spelled_out():
    x = Tensor(np.array([0.0, 1.0, -1.0, 2.0]), requires_grad=True)
    L.l1_loss(x, np.zeros(4), reduction="sum").backward()
    assert x.grad.data.tolist() == [0.0, 1.0, -1.0, 1.0]  # d|x|/dx at 0 is 0
    x.grad = None
    L.smooth_l1_loss(x, np.zeros(4), reduction="sum", beta=2.0).backward(create_graph=True)
    assert x.grad.data.tolist() == [0.0, 0.5, -0.5, 1.0]  # at |x| == beta the linear piece's slope 1
    g, x.grad = x.grad, None
    g.sum().backward()
    assert x.grad.data.tolist() == [0.5, 0.5, 0.5, 0.0]  # ... and its second derivative, 0
    x.grad = None
    L.huber_loss(x, np.zeros(4), reduction="sum", delta=1.0).backward(create_graph=True)
    assert x.grad.data.tolist() == [0.0, 1.0, -1.0, 1.0]
    g, x.grad = x.grad, None
    g.sum().backward()
    assert x.grad.data.tolist() == [1.0, 0.0, 0.0, 0.0]


def test_smooth_l1_with_beta_zero_is_l1_in_value_and_gradient():
    x, y = np.array([[0.0, 1e-300, -2.0], [3.0, -1e-300, 0.5]]), np.zeros((2, 3))
    a, b = Tensor(x, requires_grad=True), Tensor(x, requires_grad=True)
    got, want = L.smooth_l1_loss(a, y, beta=0.0), L.l1_loss(b, y)
    got.backward()
    want.backward()
    np.testing.assert_allclose(got.item(), np.abs(x).mean(), rtol=1e-15)
    np.testing.assert_array_equal(a.grad.data, np.sign(x) / 6)
    np.testing.assert_array_equal(a.grad.data, b.grad.data)


def test_tiny_beta_gives_finite_values_and_gradients_without_warnings():
    import warnings
    x = Tensor(np.array([1e10, -1e10, 1e-301, 0.0]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (1e10)**2 / 1e-300 overflows: the unused piece must not be formed
        out = L.smooth_l1_loss(x, np.zeros(4), reduction="none", beta=1e-300)
        out.backward(np.ones(4))
    # 0.5 * (1e-301)**2 / 1e-300 underflows to 0 (in PyTorch as well)
    np.testing.assert_allclose(out.data, [1e10, 1e10, 0.0, 0.0], rtol=1e-15)
    np.testing.assert_allclose(x.grad.data, [1.0, -1.0, 0.1, 0.0], rtol=1e-12)


@pytest.mark.parametrize("fn, name, kw", CASES, ids=CASE_IDS)
def test_infinite_differences_match_torch(fn, name, kw):
    # the unused quadratic piece must not turn the linear piece's slope into nan
    torch = pytest.importorskip("torch")
    # with an infinite threshold only an infinite difference reaches the linear piece, which is then
    # inf - inf = nan (times delta for huber_loss) with the slope +-1 (+-delta), as in torch
    x, y = np.array([np.inf, -np.inf, 1e150, 3.0, 0.25]), np.zeros(5)
    a = Tensor(x, requires_grad=True)
    out = fn(a, y, reduction="none", **kw)
    out.backward(np.ones_like(x))
    ta = torch.tensor(x, requires_grad=True)
    ref = getattr(torch.nn.functional, name)(ta, torch.tensor(y), reduction="none", **kw)
    ref.sum().backward()
    np.testing.assert_array_equal(out.data, ref.detach().numpy())
    np.testing.assert_array_equal(a.grad.data, ta.grad.numpy())


def test_huber_is_delta_times_smooth_l1_with_beta_delta():
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((5, 4)) * 3, rng.standard_normal((5, 4))
    for delta in (0.3, 1.0, 2.5):
        np.testing.assert_allclose(L.huber_loss(Tensor(x), y, delta=delta, reduction="none").data,
                                   delta * L.smooth_l1_loss(Tensor(x), y, beta=delta, reduction="none").data,
                                   rtol=1e-14)


# ---------------------------------------------------------------------------------------------- gradcheck
def away_from_kinks(shape, t, rng):
    """Random input and target whose differences stay at least 0.05 from 0 and from +-t."""
    y = rng.standard_normal(shape)
    size = rng.uniform(0.05, 3.0, shape)
    if math.isfinite(t):
        size = np.where(np.abs(size - t) < 0.05, size + 0.1, size)
    return y + size * rng.choice([-1.0, 1.0], shape), y


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("fn, name, kw", CASES, ids=CASE_IDS)
def test_gradcheck_and_gradgradcheck_in_input_and_target(fn, name, kw, reduction):
    rng = np.random.default_rng(11)
    x, y = away_from_kinks((3, 4), threshold(kw), rng)
    f = lambda a, b: fn(a, b, reduction=reduction, **kw)
    assert gradcheck(f, [x, y], eps=1e-6, atol=1e-7, rtol=1e-5)
    assert gradgradcheck(f, [x, y], eps=1e-6, atol=1e-7, rtol=1e-5)


@pytest.mark.parametrize("fn", [L.l1_loss, L.huber_loss])
def test_gradcheck_in_the_weight(fn):
    rng = np.random.default_rng(5)
    x, y = away_from_kinks((2, 3), 1.0, rng)
    w = rng.uniform(0.5, 1.5, (2, 3))
    assert gradgradcheck(lambda a, b, c: fn(a, b, weight=c), [x, y, w], eps=1e-6, atol=1e-7, rtol=1e-5)


# ---------------------------------------------------------------------------------------------- dtypes
@pytest.mark.parametrize("fn", [L.l1_loss, L.smooth_l1_loss, L.huber_loss])
def test_float32_input_gives_float32_loss_and_takes_integer_targets(fn):
    out = fn(tensor([1.0, 2.0], requires_grad=True), np.array([0, 3]))
    assert out.dtype == np.float32
    assert fn(tensor([1.0, 2.0]), [0, 3], reduction="none").dtype == np.float32


# ---------------------------------------------------------------------------------------------- modules
def test_modules_match_functions_print_and_are_exported():
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((4, 3)) * 2, rng.standard_normal((4, 3))
    pairs = [
        (L.L1Loss(), lambda a: L.l1_loss(a, y)),
        (L.L1Loss(reduction="none"), lambda a: L.l1_loss(a, y, reduction="none")),
        (L.SmoothL1Loss(beta=0.5, reduction="sum"), lambda a: L.smooth_l1_loss(a, y, "sum", beta=0.5)),
        (L.SmoothL1Loss(beta=0), lambda a: L.l1_loss(a, y)),
        (L.HuberLoss(delta=2.0), lambda a: L.huber_loss(a, y, delta=2.0)),
        (L.HuberLoss(reduction="none"), lambda a: L.huber_loss(a, y, reduction="none", delta=1.0)),
    ]
    for module, fn in pairs:
        np.testing.assert_array_equal(module(Tensor(x), y).data, fn(Tensor(x)).data)
        assert isinstance(module, nn.Module)
    # as torch's, a loss prints no options
    assert repr(L.L1Loss()) == "L1Loss()"
    assert repr(L.SmoothL1Loss(reduction="sum", beta=0)) == "SmoothL1Loss()"
    assert repr(L.HuberLoss(delta=2)) == "HuberLoss()"
    assert nn.L1Loss is L.L1Loss and nn.SmoothL1Loss is L.SmoothL1Loss and nn.HuberLoss is L.HuberLoss
    for name in ("l1_loss", "smooth_l1_loss", "huber_loss"):
        assert getattr(F, name) is getattr(L, name) and name in F.__all__ and name in L.__all__
    for name in ("L1Loss", "SmoothL1Loss", "HuberLoss"):
        assert name in L.__all__
    assert L.L1Loss().state_dict() == {} and L.HuberLoss().state_dict() == {}


def test_signatures_follow_torch():
    import inspect
    torch = pytest.importorskip("torch")
    deprecated = {"size_average", "reduce"}
    for ours, theirs in [(L.l1_loss, torch.nn.functional.l1_loss),
                         (L.smooth_l1_loss, torch.nn.functional.smooth_l1_loss),
                         (L.huber_loss, torch.nn.functional.huber_loss),
                         (L.L1Loss.__init__, torch.nn.L1Loss.__init__),
                         (L.SmoothL1Loss.__init__, torch.nn.SmoothL1Loss.__init__),
                         (L.HuberLoss.__init__, torch.nn.HuberLoss.__init__)]:
        want = [(p.name, p.default) for p in inspect.signature(theirs).parameters.values()
                if p.name not in deprecated]
        got = [(p.name, p.default) for p in inspect.signature(ours).parameters.values()]
        assert got == want, ours


# ---------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("fn, where", [(L.l1_loss, "l1_loss"), (L.smooth_l1_loss, "smooth_l1_loss"),
                                       (L.huber_loss, "huber_loss")])
def test_shape_mismatch_and_types_are_errors_naming_the_loss(fn, where):
    # shapes that broadcast are used with a warning (tests/test_loss_shapes.py); these do not broadcast
    for target_shape in [(4,), (2, 2)]:
        expected = (rf"{where}: target shape {re.escape(str(target_shape))} does not broadcast with input "
                    r"shape \(3,\)")
        with pytest.raises(ValueError, match=expected):
            fn(Tensor(np.zeros(3)), np.zeros(target_shape))
    with pytest.raises(TypeError, match=rf"{where}: the input \(predictions\) must be floating-point"):
        fn(tensor([1, 2]), [1.0, 2.0])
    with pytest.raises(TypeError, match=rf"{where}: the target is a bool tensor"):
        fn(tensor([1.0, 2.0]), tensor([True, False]))


@pytest.mark.parametrize("fn, where", [(L.l1_loss, "l1_loss"), (L.smooth_l1_loss, "smooth_l1_loss"),
                                       (L.huber_loss, "huber_loss")])
def test_bad_reduction_names_the_loss(fn, where):
    expected = rf"{where}: got reduction='avg'; expected one of 'mean', 'sum', 'none'"
    with pytest.raises(ValueError, match=expected):
        fn(Tensor(np.zeros(3)), np.zeros(3), reduction="avg")
    with pytest.raises(ValueError, match=r"expected one of 'mean', 'sum', 'none'"):
        fn(Tensor(np.zeros(3)), np.zeros(3), reduction="batchmean")


@pytest.mark.parametrize("cls", [L.L1Loss, L.SmoothL1Loss, L.HuberLoss])
def test_bad_reduction_in_the_modules(cls):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: got reduction='avg'"):
        cls(reduction="avg")


@pytest.mark.parametrize("beta", [-1.0, -1e-300, math.nan, -math.inf])
def test_negative_or_nan_beta_is_rejected(beta):
    with pytest.raises(ValueError, match=r"smooth_l1_loss: got beta=.*; expected beta >= 0"):
        L.smooth_l1_loss(Tensor(np.zeros(3)), np.zeros(3), beta=beta)
    with pytest.raises(ValueError, match=r"SmoothL1Loss: got beta=.*; expected beta >= 0"):
        L.SmoothL1Loss(beta=beta)


@pytest.mark.parametrize("delta", [0.0, -1.0, math.nan, -math.inf])
def test_non_positive_or_nan_delta_is_rejected(delta):
    with pytest.raises(ValueError, match=r"huber_loss: got delta=.*; expected delta > 0"):
        L.huber_loss(Tensor(np.zeros(3)), np.zeros(3), delta=delta)
    with pytest.raises(ValueError, match=r"HuberLoss: got delta=.*; expected delta > 0"):
        L.HuberLoss(delta=delta)


def test_threshold_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match=r"smooth_l1_loss: got beta='1'; expected a number"):
        L.smooth_l1_loss(Tensor(np.zeros(3)), np.zeros(3), beta="1")
    with pytest.raises(TypeError, match=r"HuberLoss: got delta=None; expected a number"):
        L.HuberLoss(delta=None)


@pytest.mark.parametrize("fn, where", [(L.l1_loss, "l1_loss"), (L.huber_loss, "huber_loss")])
def test_weight_of_another_shape_is_rejected(fn, where):
    with pytest.raises(ValueError, match=rf"{where}: weight of shape \(3,\) does not match input shape "
                                         r"\(2, 3\); expected one weight per element"):
        fn(Tensor(np.zeros((2, 3))), np.zeros((2, 3)), weight=np.ones(3))
