"""F.interpolate's bicubic mode, volumes (nearest, nearest-exact, area, trilinear) and antialiasing, and the
layers that resample with them, against PyTorch 2.13: a table of inputs and keywords (values in float32 and
float64, input gradients in float64), finite differences of first and second order, inf and NaN, and
errors (PyTorch raises too; our message names the function, what it got and what it expected)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import (
    adjoint_of_torch_interpolate,
    check_both_raise,
    check_resampling_layer,
    check_true_derivative_where_torch_differs,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd import Tensor, gradcheck, gradgradcheck

RNG = np.random.default_rng(20250613)
NEAREST = ("nearest", "nearest-exact")

# (input shape, keywords of interpolate)
CASES = [
    ((2, 3, 4, 5), dict(scale_factor=2, mode="bicubic")),
    ((2, 3, 4, 5), dict(scale_factor=2, mode="bicubic", align_corners=True)),
    ((2, 3, 6, 7), dict(size=(3, 4), mode="bicubic")),  # downsampling
    ((2, 3, 5, 4), dict(scale_factor=(1.7, 0.6), mode="bicubic")),  # the taps use 1 / 1.7, not 5 / 8
    ((2, 3, 5, 4), dict(scale_factor=1.7, mode="bicubic", recompute_scale_factor=True)),
    ((1, 2, 6, 6), dict(scale_factor=1.1, mode="bicubic")),  # the size stays, the positions move
    ((1, 2, 1, 3), dict(size=(4, 5), mode="bicubic", align_corners=True)),  # one input row
    ((1, 2, 5, 6), dict(size=(1, 1), mode="bicubic", align_corners=True)),
    ((1, 2, 2, 2), dict(size=(9, 9), mode="bicubic")),  # every tap clamped at a border somewhere
    ((1, 2, 40, 60), dict(scale_factor=1.5, mode="bicubic")),
    ((0, 3, 4, 4), dict(scale_factor=2, mode="bicubic")),  # an empty batch
    ((2, 2, 3, 4, 5), dict(scale_factor=2, mode="trilinear")),
    ((2, 2, 3, 4, 5), dict(size=(5, 2, 7), mode="trilinear", align_corners=True)),
    ((1, 2, 4, 5, 6), dict(scale_factor=(0.5, 1.5, 1.1), mode="trilinear")),  # the width stays: (1, 0)
    ((1, 2, 3, 4, 5), dict(scale_factor=1.3, mode="trilinear", recompute_scale_factor=True)),
    ((1, 2, 3, 4, 5), dict(scale_factor=2)),
    ((1, 2, 3, 4, 5), dict(scale_factor=(1.5, 0.5, 2.1))),
    ((1, 2, 3, 4, 5), dict(size=(5, 3, 7), mode="nearest-exact")),
    ((1, 2, 4, 4, 4), dict(scale_factor=0.7, mode="nearest-exact")),
    ((1, 2, 6, 5, 7), dict(size=(3, 2, 4), mode="area")),
    ((1, 2, 6, 5, 7), dict(scale_factor=0.5, mode="area")),
    ((1, 2, 3, 3, 3), dict(size=(4, 5, 1), mode="area")),  # overlapping bins
    ((1, 2, 12, 10), dict(size=(4, 3), mode="bilinear", antialias=True)),
    ((1, 2, 12, 10), dict(scale_factor=0.3, mode="bilinear", antialias=True)),
    ((1, 2, 9, 9), dict(scale_factor=(0.5, 2.0), mode="bilinear", antialias=True)),
    ((1, 2, 5, 6), dict(scale_factor=2.5, mode="bilinear", antialias=True)),  # up: renormalised borders
    ((1, 2, 6, 5), dict(scale_factor=1.1, mode="bilinear", antialias=True)),  # sizes stay: left as they are
    ((1, 2, 10, 12), dict(scale_factor=0.45, mode="bilinear", antialias=True, recompute_scale_factor=True)),
    ((1, 2, 12, 10), dict(size=(5, 4), mode="bicubic", antialias=True)),
    ((1, 2, 8, 8), dict(scale_factor=(0.6, 1.7), mode="bicubic", antialias=True, align_corners=True)),
    ((1, 2, 7, 9), dict(size=(3, 9), mode="bicubic", antialias=True)),
    ((1, 2, 5, 7), dict(size=(11, 13), mode="bicubic", antialias=True, align_corners=True)),
    ((1, 2, 30, 3), dict(size=(4, 2), mode="bicubic", antialias=True)),  # a filter 30 entries wide
]
IDS = [f"{shape}-{kw}" for shape, kw in CASES]


def _torchs_backward_may_differ(shape, kw):
    """Whether PyTorch's backward may not be the derivative of its forward pass: that of a nearest mode
    may read other entries; that of bicubic keeps an image whose size stays as it is, and antialiasing's
    resamples an axis whose size stays, where the forward passes do the opposite, when a scale factor
    other than 1 gives the input's size (see the test below)."""
    if kw.get("mode", "nearest") in NEAREST:
        return True
    if not (kw["mode"] == "bicubic" or kw.get("antialias")) or "scale_factor" not in kw:
        return False
    factors = kw["scale_factor"] if isinstance(kw["scale_factor"], tuple) else (kw["scale_factor"],) * 2
    return not kw.get("recompute_scale_factor") and not kw.get("align_corners") and any(
        int(n * f) == n and f != 1 for n, f in zip(shape[2:], factors))


def _compare(torch, shape, kw, dtype):
    """Values and shapes of ours and torch's in ``dtype``; in float64 the input gradients too."""
    x = RNG.standard_normal(shape).astype(dtype)
    X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = F.interpolate(X, **kw), torch.nn.functional.interpolate(tx, **kw)
    assert y.shape == tuple(ty.shape) and y.dtype == np.dtype(dtype)
    if kw.get("mode", "nearest") in NEAREST:  # a copy of entries: exactly equal
        np.testing.assert_array_equal(y.numpy(), ty.detach().numpy())
    else:  # weights equal to their rounding, the weighted sums rounded differently
        tol = 1e-5 if dtype == "float32" else 1e-13
        np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=tol, atol=tol)
    if dtype == "float32":
        return
    g = RNG.standard_normal(y.shape)
    y.backward(g)
    if _torchs_backward_may_differ(shape, kw):
        expected = adjoint_of_torch_interpolate(torch, shape, kw, g)
    else:
        ty.backward(torch.tensor(g))
        expected = tx.grad.numpy()
    np.testing.assert_allclose(X.grad.numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape, kw", CASES, ids=IDS)
def test_values_and_gradients_match_torch(torch, shape, kw, dtype):
    _compare(torch, shape, kw, dtype)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=st.data(),
       mode=st.sampled_from(["bicubic", "trilinear", "bilinear-antialias", "bicubic-antialias"]),
       by_size=st.booleans(), align_corners=st.booleans(), recompute=st.booleans())
def test_random_resamplings_match_torch(data, mode, by_size, align_corners, recompute):
    torch = pytest.importorskip("torch")
    dims = 3 if mode == "trilinear" else 2
    spatial = tuple(data.draw(st.lists(st.integers(1, 18 - 4 * dims), min_size=dims, max_size=dims), "sizes"))
    mode, _, antialias = mode.partition("-")
    kw: dict = {"mode": mode, "align_corners": align_corners}
    if antialias:
        kw["antialias"] = True
    if by_size:
        kw["size"] = tuple(data.draw(st.integers(1, 22 - 4 * dims), "size") for _ in spatial)
    else:
        kw["scale_factor"] = tuple(data.draw(st.sampled_from([0.3, 0.5, 0.7, 1.0, 1.1, 1.5, 2.1, 10 / 3]))
                                   for _ in spatial)
        kw["recompute_scale_factor"] = recompute
    out = kw.get("size") or tuple(int(n * f) for n, f in zip(spatial, kw["scale_factor"]))
    if min(out) < 1 or (antialias and out[-1] == 1):
        return  # both refuse an empty output; PyTorch's antialiasing to a width of 1 is wrong (below)
    for dtype in ("float32", "float64"):
        _compare(torch, (1, 2) + spatial, kw, dtype)


@pytest.mark.parametrize("shape, kw", [
    ((1, 1, 3, 4), dict(scale_factor=1.5, mode="bicubic")),
    ((1, 1, 3, 4), dict(size=(2, 5), mode="bicubic", align_corners=True)),
    ((1, 1, 2, 3, 3), dict(scale_factor=1.5, mode="trilinear")),
    ((1, 1, 2, 3, 2), dict(size=(3, 2, 4), mode="trilinear", align_corners=True)),
    ((1, 1, 2, 3, 2), dict(scale_factor=2)),
    ((1, 1, 2, 3, 2), dict(scale_factor=1.5, mode="nearest-exact")),
    ((1, 1, 3, 4, 4), dict(size=(2, 3, 2), mode="area")),
    ((1, 1, 6, 5), dict(size=(3, 2), mode="bilinear", antialias=True)),
    ((1, 1, 4, 6), dict(scale_factor=(1.5, 0.5), mode="bicubic", antialias=True)),
])
def test_first_and_second_derivatives(shape, kw):
    x = RNG.standard_normal(shape)
    assert gradcheck(lambda x: F.interpolate(x, **kw), [x], eps=1e-6, atol=1e-6, rtol=1e-5)
    assert gradgradcheck(lambda x: F.interpolate(x, **kw) ** 2, [x])


def test_cubic_weights_by_hand():
    # align_corners=True from 3 entries to 6 puts output 1 at 0.4: taps x[0], x[0], x[1], x[2] with the
    # cubic convolution kernel (a = -0.75) at 1.4, 0.4, 0.6 and 1.6: -0.108, 0.72, 0.46, -0.072
    x = Tensor(np.array([[[[1.0, 10.0, 100.0]]]]))
    y = F.interpolate(x, size=(1, 6), mode="bicubic", align_corners=True).numpy()[0, 0, 0]
    assert y[0] == 1.0 and y[-1] == 100.0
    np.testing.assert_allclose(y[1], -0.108 * 1 + 0.72 * 1 + 0.46 * 10 - 0.072 * 100, rtol=1e-14)
    # the weights sum to 1, so a constant stays, borders included
    constant = F.interpolate(Tensor(np.full((1, 1, 3, 4), 2.5)), size=(7, 9), mode="bicubic").numpy()
    np.testing.assert_allclose(constant, 2.5, rtol=1e-14)
    # the antialiasing cubic (a = -0.5) reproduces straight lines, away from the borders
    line = Tensor(np.arange(12.0).reshape(1, 1, 1, 12))
    y = F.interpolate(line, size=(1, 24), mode="bicubic", antialias=True).numpy()[0, 0, 0]
    np.testing.assert_allclose(y[3:-3], (np.arange(3, 21) + 0.5) / 2 - 0.5, rtol=1e-14)


def test_antialiased_downsampling_by_hand():
    # from 6 entries to 2 the triangle is 3 entries wide on each side of the centres 1.5 and 4.5: the
    # entries 0..4 weigh 2/3, 1, 2/3, 1/3, 0 for the first output (normalised by their sum 8/3)
    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0])
    y = F.interpolate(Tensor(x.reshape(1, 1, 1, 6)), size=(1, 2), mode="bilinear", antialias=True).numpy()
    np.testing.assert_allclose(y.ravel(), [(2 / 3 * 1 + 2 + 2 / 3 * 4 + 1 / 3 * 8) * 3 / 8,
                                           (1 / 3 * 4 + 2 / 3 * 8 + 16 + 2 / 3 * 32) * 3 / 8], rtol=1e-14)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("kw", [
    dict(size=(3, 7), mode="bicubic"), dict(size=(5, 5), mode="bicubic", align_corners=True),
    dict(size=(2, 3), mode="bilinear", antialias=True), dict(size=(3, 2), mode="bicubic", antialias=True),
    dict(size=(6, 9), mode="bilinear", antialias=True), dict(size=(3, 9), mode="bicubic", antialias=True),
    dict(size=(2, 3, 5), mode="trilinear"), dict(size=(1, 3, 3), mode="area"), dict(size=(3, 4, 6)),
])
def test_infinity_and_nan_propagate_as_in_torch(torch, kw):
    x = np.array([[[[1.0, np.inf, 3.0, 0.5, 2.0], [4.0, np.nan, -np.inf, 1.0, 2.0],
                    [0.0, 1.0, 2.0, 3.0, 4.0]]]])
    if len(kw["size"]) == 3:
        x = np.concatenate([x[:, :, None]] * 2, axis=2)
    y = F.interpolate(Tensor(x), **kw).numpy()
    ty = torch.nn.functional.interpolate(torch.tensor(x), **kw).numpy()
    np.testing.assert_allclose(y, ty, rtol=1e-14)  # NaN and inf where PyTorch has them, and only there
    assert np.isfinite(y).any()


@pytest.mark.parametrize("shape, kw", [
    ((1, 2, 6, 6), dict(scale_factor=1.1, mode="bicubic")),
    ((1, 2, 6, 5), dict(scale_factor=(1.1, 2.0), mode="bilinear", antialias=True)),
    ((1, 2, 5, 6), dict(scale_factor=(0.5, 1.1), mode="bicubic", antialias=True)),
])
def test_torchs_backward_differs_from_its_forward_where_a_factor_keeps_a_size_and_ours_does_not(torch, shape,
                                                                                               kw):
    check_true_derivative_where_torch_differs(torch, RNG.standard_normal(shape), kw, rtol=1e-13)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_torchs_antialiasing_to_a_width_of_1_repeats_its_first_row_and_ours_does_not(torch, mode):
    # PyTorch 2.13's CPU kernel gives every row the first row's value when the output width is 1; ours
    # resamples as it does the transposed image
    x = np.random.default_rng(5).standard_normal((1, 2, 5, 4))
    kw = dict(size=(7, 1), mode=mode, antialias=True)
    y = F.interpolate(Tensor(x), **kw).numpy()
    transposed = F.interpolate(Tensor(x.transpose(0, 1, 3, 2).copy()), size=(1, 7), mode=mode, antialias=True)
    np.testing.assert_allclose(y, transposed.numpy().transpose(0, 1, 3, 2), rtol=1e-14, atol=1e-15)
    theirs = torch.nn.functional.interpolate(torch.tensor(x), **kw).numpy()
    their_transposed = torch.nn.functional.interpolate(torch.tensor(x.transpose(0, 1, 3, 2).copy()),
                                                       size=(1, 7), mode=mode, antialias=True).numpy()
    np.testing.assert_allclose(y, their_transposed.transpose(0, 1, 3, 2), rtol=1e-13)
    assert (theirs == theirs[:, :, :1]).all() and not np.allclose(y, theirs)  # fails once PyTorch fixes it


# ----------------------------------------------------------------------------------------- layers
LAYERS = [
    ("Upsample", dict(scale_factor=2, mode="bicubic"), (2, 3, 4, 5)),
    ("Upsample", dict(size=(5, 7), mode="bicubic", align_corners=True), (2, 3, 4, 5)),
    ("Upsample", dict(scale_factor=(2, 1.5, 0.5), mode="trilinear"), (1, 2, 3, 4, 6)),
    ("Upsample", dict(size=3, mode="trilinear", align_corners=True), (1, 2, 2, 4, 5)),
    ("Upsample", dict(scale_factor=2), (1, 2, 2, 3, 4)),
    ("Upsample", dict(size=(3, 2, 2), mode="area"), (1, 2, 5, 4, 3)),
    ("UpsamplingNearest2d", dict(scale_factor=2), (2, 3, 4, 5)),
    ("UpsamplingNearest2d", dict(size=(3, 7)), (2, 3, 4, 5)),
    ("UpsamplingBilinear2d", dict(scale_factor=(2, 3)), (2, 3, 4, 5)),
    ("UpsamplingBilinear2d", dict(size=5), (2, 3, 4, 5)),
]


@pytest.mark.parametrize("name, kw, shape", LAYERS, ids=[f"{n}-{kw}" for n, kw, _ in LAYERS])
def test_layers_match_torch(torch, name, kw, shape):
    check_resampling_layer(torch, getattr(nn, name)(**kw), getattr(torch.nn, name)(**kw),
                           RNG.standard_normal(shape), rtol=1e-13)


def test_layers_are_exported():
    from nn.layers import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d

    assert nn.UpsamplingNearest2d is UpsamplingNearest2d and nn.UpsamplingBilinear2d is UpsamplingBilinear2d
    assert issubclass(UpsamplingBilinear2d, Upsample) and issubclass(UpsamplingNearest2d, Upsample)


# ----------------------------------------------------------------------------------------- errors
def _x(*shape):
    return np.zeros(shape)


# (a name, the call with a module of functions and a tensor constructor, the start of our message)
ERRORS = [
    ("bicubic of a sequence", lambda m, t: m.interpolate(t(_x(1, 1, 4)), scale_factor=2, mode="bicubic"),
     r"interpolate: got an input of shape \(1, 1, 4\) with mode='bicubic'; expected \(N, C, H, W\) "
     r"\(mode='linear' resamples 3-D inputs\)"),
    ("bicubic of a volume", lambda m, t: m.interpolate(t(_x(1, 1, 2, 2, 2)), scale_factor=2, mode="bicubic"),
     r"interpolate: got an input of shape \(1, 1, 2, 2, 2\) with mode='bicubic'; expected \(N, C, H, W\) "
     r"\(mode='trilinear' resamples 5-D inputs\)"),
    ("trilinear of an image", lambda m, t: m.interpolate(t(_x(1, 1, 4, 4)), scale_factor=2, mode="trilinear"),
     r"interpolate: got an input of shape \(1, 1, 4, 4\) with mode='trilinear'; expected \(N, C, D, H, W\) "
     r"\(mode='bilinear' resamples 4-D inputs\)"),
    ("linear of a volume", lambda m, t: m.interpolate(t(_x(1, 1, 2, 2, 2)), scale_factor=2, mode="linear"),
     r"interpolate: got an input of shape \(1, 1, 2, 2, 2\) with mode='linear'; expected \(N, C, L\) "
     r"\(mode='trilinear' resamples 5-D inputs\)"),
    ("antialias of trilinear",
     lambda m, t: m.interpolate(t(_x(1, 1, 2, 2, 2)), scale_factor=2, mode="trilinear", antialias=True),
     r"interpolate: got antialias=True with mode='trilinear'; expected False: antialias is an option of the "
     r"modes 'bilinear' and 'bicubic' \(of 4-D inputs\) only"),
    ("antialias of area", lambda m, t: m.interpolate(t(_x(1, 1, 4, 4)), size=2, mode="area", antialias=True),
     r"interpolate: got antialias=True with mode='area'; expected False"),
    ("align_corners of a volume's area",
     lambda m, t: m.interpolate(t(_x(1, 1, 2, 2, 2)), size=2, mode="area", align_corners=False),
     r"interpolate: got align_corners=False with mode='area'; expected None"),
    ("align_corners not a bool",
     lambda m, t: m.interpolate(t(_x(1, 1, 4, 4)), scale_factor=2, mode="bicubic", align_corners="yes"),
     r"interpolate: got align_corners='yes'; expected True, False or None"),
    ("scale per dimension of a volume", lambda m, t: m.interpolate(t(_x(1, 1, 2, 2, 2)), scale_factor=(2, 2)),
     r"interpolate: got scale_factor=\(2, 2\) for an input of shape \(1, 1, 2, 2, 2\); expected one value "
     r"per spatial dimension \(3: D, H, W\), or a single one"),
    ("empty volume output",
     lambda m, t: m.interpolate(t(_x(1, 1, 2, 4, 4)), scale_factor=0.4, mode="trilinear"),
     r"interpolate: an input of shape \(1, 1, 2, 4, 4\) with scale_factor=0.4 gives spatial sizes "
     r"\(2, 4, 4\) -> \(0, 1, 1\); expected input sizes > 0 and output sizes >= 1"),
    ("Upsample trilinear of an image",
     lambda m, t: nn_or_torch(m).Upsample(scale_factor=2, mode="trilinear")(t(_x(1, 1, 4, 4))),
     r"Upsample\(scale_factor=2.0, mode='trilinear'\): interpolate: got an input of shape \(1, 1, 4, 4\) "
     r"with mode='trilinear'; expected \(N, C, D, H, W\)"),
    ("UpsamplingBilinear2d of a volume",
     lambda m, t: nn_or_torch(m).UpsamplingBilinear2d(scale_factor=2)(t(_x(1, 1, 2, 2, 2))),
     r"UpsamplingBilinear2d\(scale_factor=2.0, mode='bilinear'\): interpolate: got an input of shape "
     r"\(1, 1, 2, 2, 2\) with mode='bilinear'; expected \(N, C, H, W\)"),
    ("UpsamplingNearest2d with neither", lambda m, t: nn_or_torch(m).UpsamplingNearest2d()(t(_x(1, 1, 4, 4))),
     r"UpsamplingNearest2d: got neither size=None and scale_factor=None; expected exactly one of them"),
]


def nn_or_torch(functions):
    """The layers' module that goes with a module of functions: torch.nn for torch.nn.functional."""
    return nn if functions is F else __import__("torch").nn


@pytest.mark.parametrize("name, call, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_match_torch(torch, name, call, message):
    check_both_raise(call, (torch.nn.functional, torch.tensor), (F, Tensor), message)
