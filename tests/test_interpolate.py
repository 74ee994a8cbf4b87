"""F.interpolate and nn.Upsample against PyTorch 2.13: a table of sequences and images, modes, sizes and
scale factors (output shapes, dtypes and values in float32 and float64, gradients in float64), finite
differences of first and second order, NaN and infinity, reprs, and errors (PyTorch raises too; our message
names the function or layer, what it got and what it expected)."""

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
from nn.layers import Upsample

RNG = np.random.default_rng(20250612)

# (input shape, keywords of interpolate)
CASES = [
    ((2, 3, 5), dict(scale_factor=2)),
    ((2, 3, 5), dict(scale_factor=1.7)),
    ((2, 3, 7), dict(size=3)),
    ((2, 3, 5), dict(scale_factor=2, mode="linear")),
    ((2, 3, 5), dict(scale_factor=2, mode="linear", align_corners=True)),
    ((2, 3, 7), dict(size=3, mode="linear")),  # downsampling
    ((2, 3, 7), dict(size=(4,), mode="linear", align_corners=True)),
    ((2, 3, 5), dict(scale_factor=1.7, mode="linear")),  # the index maps use 1 / 1.7, not 5 / 8
    ((2, 3, 5), dict(scale_factor=1.7, mode="linear", recompute_scale_factor=True)),  # ... here 5 / 8
    ((2, 3, 6), dict(scale_factor=1.1, mode="linear")),  # the size stays: weights (1, 0)
    ((2, 3, 1), dict(size=4, mode="linear", align_corners=True)),  # one input entry
    ((2, 3, 6), dict(size=1, mode="linear", align_corners=True)),  # one output entry
    ((2, 3, 5), dict(scale_factor=0.5, mode="nearest-exact")),
    ((2, 3, 5), dict(size=12, mode="nearest-exact")),
    ((2, 3, 9), dict(size=4, mode="area")),
    ((2, 3, 9), dict(scale_factor=0.5, mode="area")),
    ((0, 3, 5), dict(scale_factor=2, mode="linear")),  # an empty batch
    ((2, 3, 4, 5), dict(scale_factor=2)),
    ((2, 3, 4, 5), dict(scale_factor=(2, 3), mode="bilinear")),
    ((2, 3, 4, 5), dict(size=(7, 3), mode="bilinear", align_corners=True)),
    ((2, 3, 4, 5), dict(scale_factor=(0.5, 1.5), mode="bilinear")),
    ((2, 3, 4, 5), dict(size=(4, 8), mode="bilinear")),  # the height stays
    ((2, 3, 5, 7), dict(scale_factor=1.3, mode="bilinear", recompute_scale_factor=True)),
    ((1, 2, 4, 6), dict(scale_factor=2.1)),  # sizes double: PyTorch's small-image kernel reads i // 2
    ((1, 2, 6, 5), dict(scale_factor=(1.1, 0.7), mode="nearest-exact")),
    ((1, 2, 40, 90), dict(scale_factor=1.5)),  # output height + width > 128: PyTorch's general kernel
    ((1, 2, 50, 70), dict(scale_factor=2.01)),  # ... which reads floor(i / 2.01) even for double sizes
    ((1, 2, 40, 90), dict(scale_factor=1.5, mode="nearest-exact")),
    ((1, 2, 40, 60), dict(scale_factor=(1.5, 2.5), mode="bilinear")),
    ((2, 3, 6, 6), dict(size=(3, 2), mode="area")),
    ((2, 3, 5, 5), dict(size=4)),
]
IDS = [f"{shape}-{kw}" for shape, kw in CASES]
NEAREST = ("nearest", "nearest-exact")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape, kw", CASES, ids=IDS)
def test_values_shapes_and_dtypes_match_torch(torch, shape, kw, dtype):
    x = RNG.standard_normal(shape).astype(dtype)
    y = F.interpolate(Tensor(x), **kw)
    ty = torch.nn.functional.interpolate(torch.tensor(x), **kw)
    assert y.shape == tuple(ty.shape) and y.dtype == np.dtype(dtype)
    if kw.get("mode", "nearest") in NEAREST:  # a copy of entries: exactly equal
        np.testing.assert_array_equal(y.numpy(), ty.numpy())
    else:  # weights equal; the weighted sums round differently
        tol = 1e-6 if dtype == "float32" else 1e-14
        np.testing.assert_allclose(y.numpy(), ty.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("shape, kw", CASES, ids=IDS)
def test_gradients_match_torch(torch, shape, kw):
    x = RNG.standard_normal(shape)
    X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = F.interpolate(X, **kw), torch.nn.functional.interpolate(tx, **kw)
    g = RNG.standard_normal(y.shape)
    y.backward(g)
    if kw.get("mode", "nearest") in NEAREST:
        # PyTorch's backward of these modes may read other entries than its forward (see the next test):
        # ours is the derivative of the forward pass, whose values agree with PyTorch's
        expected = adjoint_of_torch_interpolate(torch, shape, kw, g)
    else:
        ty.backward(torch.tensor(g))
        expected = tx.grad.numpy()
    np.testing.assert_allclose(X.grad.numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape, kw", [
    ((1, 1, 5), dict(scale_factor=1.1)),
    ((1, 1, 5), dict(scale_factor=2.1)),
    ((1, 1, 50, 70), dict(scale_factor=2.01)),
    ((1, 1, 2, 3, 5), dict(scale_factor=(1.0, 1.0, 2.1))),  # a volume: as a sequence
])
def test_torchs_nearest_backward_differs_from_its_forward_and_ours_does_not(torch, shape, kw):
    check_true_derivative_where_torch_differs(torch, RNG.standard_normal(shape), kw, rtol=0.0)


@pytest.mark.parametrize("shape, kw", [
    ((1, 2, 4), dict(scale_factor=2)),
    ((1, 2, 5), dict(size=3, mode="nearest-exact")),
    ((1, 2, 4), dict(scale_factor=1.5, mode="linear")),
    ((1, 2, 5), dict(size=3, mode="linear", align_corners=True)),
    ((1, 2, 6), dict(size=4, mode="area")),
    ((1, 1, 3, 4), dict(scale_factor=(2, 0.5))),
    ((1, 1, 3, 4), dict(scale_factor=(1.5, 2), mode="bilinear")),
    ((1, 1, 3, 4), dict(size=(2, 5), mode="bilinear", align_corners=True)),
    ((1, 1, 4, 4), dict(size=(3, 2), mode="area")),
])
def test_first_and_second_derivatives(shape, kw):
    x = RNG.standard_normal(shape)
    assert gradcheck(lambda x: F.interpolate(x, **kw), [x], eps=1e-6, atol=1e-6, rtol=1e-5)
    assert gradgradcheck(lambda x: F.interpolate(x, **kw) ** 2, [x])


@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply:RuntimeWarning")
def test_infinity_and_nan_propagate_as_in_torch(torch):
    x = np.array([[[[1.0, np.inf, 3.0], [4.0, np.nan, -np.inf]]]])
    for kw in (dict(size=(2, 5), mode="bilinear"), dict(size=(4, 3), mode="bilinear"),
               dict(size=(2, 3), mode="bilinear"), dict(scale_factor=2), dict(size=(3, 2), mode="area")):
        y = F.interpolate(Tensor(x), **kw).numpy()
        ty = torch.nn.functional.interpolate(torch.tensor(x), **kw).numpy()
        np.testing.assert_array_equal(y, ty)  # NaN where PyTorch has NaN (an unchanged axis too: inf * 0)
    seq = np.array([[[1.0, np.inf, 3.0, np.nan]]])
    for size in (4, 3, 8):
        np.testing.assert_array_equal(
            F.interpolate(Tensor(seq), size=size, mode="linear").numpy(),
            torch.nn.functional.interpolate(torch.tensor(seq), size=size, mode="linear").numpy())


def test_area_is_adaptive_average_pooling():
    x = Tensor(RNG.standard_normal((2, 3, 7, 9)))
    np.testing.assert_array_equal(F.interpolate(x, size=(3, 4), mode="area").numpy(),
                                  F.adaptive_avg_pool2d(x, (3, 4)).numpy())
    np.testing.assert_array_equal(F.interpolate(x[:, :, 0], scale_factor=0.5, mode="area").numpy(),
                                  F.adaptive_avg_pool1d(x[:, :, 0], 4).numpy())


# ----------------------------------------------------------------------------------------- Upsample
UPSAMPLES = [
    dict(scale_factor=2),
    dict(scale_factor=2, mode="linear"),
    dict(size=7, mode="linear", align_corners=True),
    dict(scale_factor=1.5, mode="nearest-exact"),
    dict(size=(5,), mode="area"),
    dict(scale_factor=0.5, mode="linear", recompute_scale_factor=True),
]
UPSAMPLES_2D = [
    dict(scale_factor=2),
    dict(scale_factor=(2, 3), mode="bilinear"),
    dict(size=(5, 7), mode="bilinear", align_corners=True),
    dict(size=3),
    dict(scale_factor=(1.5, 0.5), mode="area"),
]


@pytest.mark.parametrize("kw, shape", [(kw, (2, 3, 6)) for kw in UPSAMPLES] +
                         [(kw, (2, 3, 4, 6)) for kw in UPSAMPLES_2D])
def test_upsample_matches_torch(torch, kw, shape):
    check_resampling_layer(torch, Upsample(**kw), torch.nn.Upsample(**kw), RNG.standard_normal(shape),
                           rtol=1e-14)


def test_upsample_is_exported_and_keeps_torchs_conversions(torch):
    assert nn.Upsample is Upsample and F.interpolate is nn.interpolation.interpolate
    for kw in (dict(scale_factor=3), dict(scale_factor=(2, 1)), dict(size=(2, 3))):
        ours, theirs = Upsample(**kw), torch.nn.Upsample(**kw)
        assert (ours.size, ours.scale_factor) == (theirs.size, theirs.scale_factor)
        assert repr(ours) == repr(theirs)


# ----------------------------------------------------------------------------------------- errors
def _x(*shape, dtype="float64"):
    return np.zeros(shape, dtype=dtype)


# (a name, the call with a module of functions and a tensor constructor, the start of our message)
ERRORS = [
    ("both sizes", lambda m, t: m.interpolate(t(_x(1, 1, 4)), size=3, scale_factor=2),
     r"interpolate: got both size=3 and scale_factor=2; expected exactly one of them"),
    ("no size", lambda m, t: m.interpolate(t(_x(1, 1, 4))),
     r"interpolate: got neither size=None and scale_factor=None; expected exactly one of them"),
    ("size per dimension", lambda m, t: m.interpolate(t(_x(1, 1, 4)), size=(3, 3)),
     r"interpolate: got size=\(3, 3\) for an input of shape \(1, 1, 4\); expected one value per spatial "
     r"dimension \(1: L\), or a single one"),
    ("scale per dimension", lambda m, t: m.interpolate(t(_x(1, 1, 4, 4)), scale_factor=(2,)),
     r"interpolate: got scale_factor=\(2,\) for an input of shape \(1, 1, 4, 4\); expected one value per "
     r"spatial dimension \(2: H, W\)"),
    ("float size", lambda m, t: m.interpolate(t(_x(1, 1, 4)), size=(3.0,)),
     r"interpolate: got size=\(3.0,\); expected an int or a tuple of ints"),
    ("bool size", lambda m, t: m.interpolate(t(_x(1, 1, 4)), size=True),
     r"interpolate: got size=True; expected an int or a tuple of ints"),
    ("infinite scale", lambda m, t: m.interpolate(t(_x(1, 1, 4)), scale_factor=float("inf")),
     r"interpolate: got scale_factor=inf; expected a finite number or a tuple of finite numbers"),
    ("nan scale", lambda m, t: m.interpolate(t(_x(1, 1, 4)), scale_factor=float("nan")),
     r"interpolate: got scale_factor=nan; expected a finite number"),
    ("empty output", lambda m, t: m.interpolate(t(_x(1, 1, 4)), scale_factor=0.1),
     r"interpolate: an input of shape \(1, 1, 4\) with scale_factor=0.1 gives spatial sizes \(4,\) -> "
     r"\(0,\); expected input sizes > 0 and output sizes >= 1"),
    ("zero scale", lambda m, t: m.interpolate(t(_x(1, 1, 4, 4)), scale_factor=0, mode="bilinear"),
     r"interpolate: an input of shape \(1, 1, 4, 4\) with scale_factor=0 gives spatial sizes \(4, 4\) -> "
     r"\(0, 0\)"),
    ("negative scale", lambda m, t: m.interpolate(t(_x(1, 1, 4)), scale_factor=-2, mode="linear"),
     r"interpolate: an input of shape \(1, 1, 4\) with scale_factor=-2 gives spatial sizes \(4,\) -> "
     r"\(-8,\)"),
    ("negative size", lambda m, t: m.interpolate(t(_x(1, 1, 4)), size=-3),
     r"interpolate: an input of shape \(1, 1, 4\) with size=-3 gives spatial sizes \(4,\) -> \(-3,\)"),
    ("negative area size", lambda m, t: m.interpolate(t(_x(1, 1, 4)), size=-3, mode="area"),
     r"interpolate: an input of shape \(1, 1, 4\) with size=-3 gives spatial sizes \(4,\) -> \(-3,\); "
     r"expected input sizes > 0 and output sizes >= 0"),
    ("empty input", lambda m, t: m.interpolate(t(_x(1, 1, 0)), size=3, mode="linear"),
     r"interpolate: an input of shape \(1, 1, 0\) with size=3 gives spatial sizes \(0,\) -> \(3,\)"),
    ("no channels", lambda m, t: m.interpolate(t(_x(1, 0, 4)), scale_factor=2),
     r"interpolate: got an input of shape \(1, 0, 4\); expected at least one channel"),
    ("unbatched", lambda m, t: m.interpolate(t(_x(2, 4)), scale_factor=2),
     r"interpolate: got an input of shape \(2, 4\); expected \(N, C, L\), \(N, C, H, W\), \(N, C, D, H, W\) "
     r"\(a batch"),
    ("6-D", lambda m, t: m.interpolate(t(_x(1, 1, 1, 1, 2, 2)), scale_factor=2),
     r"interpolate: got an input of shape \(1, 1, 1, 1, 2, 2\); expected \(N, C, L\), \(N, C, H, W\), "
     r"\(N, C, D, H, W\)"),
    ("linear of an image", lambda m, t: m.interpolate(t(_x(1, 1, 4, 4)), scale_factor=2, mode="linear"),
     r"interpolate: got an input of shape \(1, 1, 4, 4\) with mode='linear'; expected \(N, C, L\) "
     r"\(mode='bilinear' resamples 4-D inputs\)"),
    ("bilinear of a sequence", lambda m, t: m.interpolate(t(_x(1, 1, 4)), scale_factor=2, mode="bilinear"),
     r"interpolate: got an input of shape \(1, 1, 4\) with mode='bilinear'; expected \(N, C, H, W\) "
     r"\(mode='linear' resamples 3-D inputs\)"),
    ("align_corners of nearest",
     lambda m, t: m.interpolate(t(_x(1, 1, 4)), scale_factor=2, align_corners=False),
     r"interpolate: got align_corners=False with mode='nearest'; expected None: align_corners is an option "
     r"of the modes 'linear', 'bilinear', 'bicubic' and 'trilinear' only"),
    ("align_corners of area",
     lambda m, t: m.interpolate(t(_x(1, 1, 4)), size=2, mode="area", align_corners=True),
     r"interpolate: got align_corners=True with mode='area'; expected None"),
    ("align_corners not a bool",
     lambda m, t: m.interpolate(t(_x(1, 1, 4)), scale_factor=2, mode="linear", align_corners=1),
     r"interpolate: got align_corners=1; expected True, False or None"),
    ("unknown mode", lambda m, t: m.interpolate(t(_x(1, 1, 4)), scale_factor=2, mode="cubic"),
     r"interpolate: got mode='cubic'; expected one of 'nearest', 'nearest-exact', 'linear', 'bilinear', "
     r"'bicubic', 'trilinear', 'area'"),
    ("antialias of nearest", lambda m, t: m.interpolate(t(_x(1, 1, 4, 4)), scale_factor=2, antialias=True),
     r"interpolate: got antialias=True with mode='nearest'; expected False"),
    ("recompute with size", lambda m, t: m.interpolate(t(_x(1, 1, 4)), size=3, recompute_scale_factor=True),
     r"interpolate: got recompute_scale_factor=True with size=3; expected it only with scale_factor"),
    ("integers", lambda m, t: m.interpolate(t(_x(1, 1, 4, dtype="int64")), scale_factor=2),
     r"interpolate: got an input of dtype int64; expected a floating dtype"),
]

LAYER_ERRORS = [
    ("Upsample mode", lambda n, t: n.Upsample(scale_factor=2, mode="cubic")(t(_x(1, 1, 4))),
     r"Upsample: got mode='cubic'; expected one of"),
    ("Upsample both", lambda n, t: n.Upsample(size=3, scale_factor=2)(t(_x(1, 1, 4))),
     r"Upsample: got both size=3 and scale_factor=2.0; expected exactly one of them"),
    ("Upsample factor 0", lambda n, t: n.Upsample(scale_factor=0)(t(_x(1, 1, 4))),
     r"Upsample: got neither size=None and scale_factor=None; expected exactly one of them"),
    ("Upsample align_corners", lambda n, t: n.Upsample(scale_factor=2, align_corners=True)(t(_x(1, 1, 4))),
     r"Upsample: got align_corners=True with mode='nearest'; expected None"),
    ("Upsample bilinear of a sequence",
     lambda n, t: n.Upsample(scale_factor=2, mode="bilinear")(t(_x(1, 1, 4))),
     r"Upsample\(scale_factor=2.0, mode='bilinear'\): interpolate: got an input of shape \(1, 1, 4\) with "
     r"mode='bilinear'; expected \(N, C, H, W\)"),
    ("Upsample size per dimension", lambda n, t: n.Upsample(size=(2, 3))(t(_x(1, 1, 4))),
     r"Upsample\(size=\(2, 3\), mode='nearest'\): interpolate: got size=\(2, 3\) for an input of shape"),
]


@pytest.mark.parametrize("name, call, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_function_errors_match_torch(torch, name, call, message):
    check_both_raise(call, (torch.nn.functional, torch.tensor), (F, Tensor), message)


@pytest.mark.parametrize("name, call, message", LAYER_ERRORS, ids=[e[0] for e in LAYER_ERRORS])
def test_layer_errors_match_torch(torch, name, call, message):
    check_both_raise(call, (torch.nn, torch.tensor), (nn, Tensor), message)


@pytest.mark.parametrize("call", [
    lambda: F.interpolate(Tensor(_x(1, 1, 4, 4)), scale_factor=0.5, mode="lanczos", antialias=True),
    lambda: Upsample(scale_factor=2, mode="lanczos"),
])
def test_what_torch_does_and_chaingrad_does_not_is_not_implemented(call):
    with pytest.raises(NotImplementedError, match=r"^(interpolate|Upsample): .*not implemented in chaingrad"):
        call()


# ----------------------------------------------------------------------------------------- random cases
FACTORS = [0.3, 0.5, 0.7, 1.0, 1.1, 1.5, 1.7, 2.0, 2.01, 2.1, 2.5, 3.0, 1 / 3, 10 / 3, 7.77]


@settings(max_examples=120, deadline=None, derandomize=True)
@given(data=st.data(), image=st.booleans(), dtype=st.sampled_from(["float32", "float64"]),
       mode=st.sampled_from(["nearest", "nearest-exact", "linear", "area"]), by_size=st.booleans(),
       align_corners=st.booleans(), recompute=st.booleans())
def test_random_resamplings_match_torch(data, image, dtype, mode, by_size, align_corners, recompute):
    torch = pytest.importorskip("torch")
    spatial = tuple(data.draw(st.lists(st.integers(1, 70), min_size=1 + image, max_size=1 + image), "sizes"))
    if mode == "linear" and image:
        mode = "bilinear"
    kw: dict = {"mode": mode}
    if mode in ("linear", "bilinear"):
        kw["align_corners"] = align_corners
    if by_size:
        kw["size"] = tuple(data.draw(st.integers(1, 150), "size") for _ in spatial)
    else:
        kw["scale_factor"] = tuple(data.draw(st.sampled_from(FACTORS), "factor") for _ in spatial)
        kw["recompute_scale_factor"] = recompute
        if min(int(n * f) for n, f in zip(spatial, kw["scale_factor"])) < 1:
            return  # both refuse an empty output (the error tests cover it)
    shape = (1, 2) + spatial
    x = RNG.standard_normal(shape)
    y = F.interpolate(Tensor(x.astype(dtype)), **kw)
    ty = torch.nn.functional.interpolate(torch.tensor(x.astype(dtype)), **kw)
    assert y.shape == tuple(ty.shape) and y.dtype == np.dtype(dtype)
    if mode in NEAREST:
        np.testing.assert_array_equal(y.numpy(), ty.numpy())
    else:
        tol = 1e-6 if dtype == "float32" else 1e-14
        np.testing.assert_allclose(y.numpy(), ty.numpy(), rtol=tol, atol=tol)
    X = Tensor(x, requires_grad=True)
    out = F.interpolate(X, **kw)
    g = RNG.standard_normal(out.shape)
    out.backward(g)
    if mode in NEAREST:
        expected = adjoint_of_torch_interpolate(torch, shape, kw, g)
    else:
        tx = torch.tensor(x, requires_grad=True)
        torch.nn.functional.interpolate(tx, **kw).backward(torch.tensor(g))
        expected = tx.grad.numpy()
    np.testing.assert_allclose(X.grad.numpy(), expected, rtol=1e-12, atol=1e-12)
