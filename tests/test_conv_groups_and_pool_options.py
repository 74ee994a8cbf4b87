"""Grouped convolution (``groups``), string padding of the functional ``conv2d``, and the pooling options
``ceil_mode``, ``count_include_pad`` and ``divisor_override``: values and gradients against plain numpy
references written here and against PyTorch (float64), finite differences, error messages, the layers."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from helpers import assert_conv_matches_torch
from numpy.lib.stride_tricks import sliding_window_view

import autograd
import nn.functional as F
from autograd import Tensor, gradcheck, gradgradcheck
from nn.conv_ops import avg_pool2d, conv2d, max_pool2d
from nn.layers import AvgPool2d, Conv2d, MaxPool2d

RNG = np.random.default_rng(20240721)


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


# ----------------------------------------------------------------------------------------- references
def grouped_conv_reference(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """Each group convolved on its own with numpy's sliding windows, the outputs stacked by channel."""
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    n_out, Cg, kh, kw = w.shape
    Og = n_out // groups
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    # windows of the dilated kernel's extent, then every dh-th / dw-th tap of each, then the stride
    win = sliding_window_view(xp, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3))
    win = win[:, :, ::sh, ::sw, ::dh, ::dw]  # (N, C, Ho, Wo, kh, kw)
    outs = []
    for g in range(groups):
        xg = win[:, g * Cg:(g + 1) * Cg]
        wg = w[g * Og:(g + 1) * Og]
        outs.append(np.einsum("ncijab,ocab->noij", xg, wg))
    out = np.concatenate(outs, axis=1)
    return out if b is None else out + b[None, :, None, None]


def ceil_size(n, k, s, p, d=1):
    """The output length of a pooling in ceil_mode: the division rounded up, minus one if the last window
    would start at or after the end of the input and its leading padding."""
    span = n + 2 * p - d * (k - 1) - 1
    out = math.ceil(span / s) + 1
    if (out - 1) * s >= n + p:
        out -= 1
    return out


def pool_reference(x, k, s, p, d, ceil_mode, kind, count_include_pad=True, divisor_override=None):
    """Direct loops over the output positions; the window is clipped to the input (and, for the
    average's divisor with count_include_pad, to the padded input), as PyTorch documents."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = _pair(k), _pair(s), _pair(p), _pair(d)
    N, C, H, W = x.shape
    if ceil_mode:
        Ho, Wo = ceil_size(H, kh, sh, ph, dh), ceil_size(W, kw, sw, pw, dw)
    else:
        Ho = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
        Wo = (W + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            r0, c0 = i * sh - ph, j * sw - pw
            rows = [r for r in range(r0, r0 + dh * (kh - 1) + 1, dh) if 0 <= r < H]
            cols = [c for c in range(c0, c0 + dw * (kw - 1) + 1, dw) if 0 <= c < W]
            block = x[:, :, rows][:, :, :, cols]
            if kind == "max":
                out[:, :, i, j] = block.max(axis=(2, 3)) if block.size else -np.inf
                continue
            if divisor_override is not None:
                div = divisor_override
            elif count_include_pad:
                div = (min(r0 + kh, H + ph) - r0) * (min(c0 + kw, W + pw) - c0)
            else:
                div = len(rows) * len(cols)
            out[:, :, i, j] = block.sum(axis=(2, 3)) / div
    return out


# ----------------------------------------------------------------------------------------- grouped conv
# (N, C, H, W, O, groups, kernel, stride, padding, dilation)
GROUPED = [
    (2, 4, 6, 5, 6, 2, 3, 1, 1, 1),  # stride 1: the flat input-gradient path
    (2, 4, 7, 7, 4, 2, 3, 2, 1, 1),  # stride 2: the col2im input-gradient path
    (3, 3, 6, 6, 3, 3, 3, 1, 1, 1),  # depthwise
    (2, 3, 7, 6, 6, 3, 3, 2, 0, 1),  # depthwise with two kernels per channel
    (1, 4, 8, 8, 4, 4, (2, 3), (1, 2), (1, 0), (2, 1)),
    (2, 6, 5, 5, 9, 3, 1, 1, 0, 1),  # 1x1 kernel
    (2, 6, 9, 7, 6, 2, (3, 2), 2, 2, 2),
    (1, 8, 5, 5, 4, 4, 3, 1, 2, 2),  # fewer output than input channels
]


def _grouped_case(geom):
    N, C, H, W, Co, G, k, s, p, d = geom
    kh, kw = _pair(k)
    x = RNG.standard_normal((N, C, H, W))
    w = RNG.standard_normal((Co, C // G, kh, kw))
    b = RNG.standard_normal(Co)
    return x, w, b, s, p, d, G


@pytest.mark.parametrize("geom", GROUPED)
def test_grouped_conv2d_matches_numpy_reference(geom):
    x, w, b, s, p, d, G = _grouped_case(geom)
    got = conv2d(Tensor(x), Tensor(w), Tensor(b), stride=s, padding=p, dilation=d, groups=G)
    np.testing.assert_allclose(got.numpy(), grouped_conv_reference(x, w, b, s, p, d, G), rtol=1e-12,
                               atol=1e-12)
    unbatched = F.conv2d(Tensor(x[0]), Tensor(w), None, s, p, d, G)
    np.testing.assert_allclose(unbatched.numpy(), grouped_conv_reference(x[:1], w, None, s, p, d, G)[0],
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("geom", GROUPED)
def test_grouped_conv2d_forward_and_backward_match_torch(geom):
    torch = pytest.importorskip("torch")
    x, w, b, s, p, d, G = _grouped_case(geom)
    assert_conv_matches_torch(torch, x, w, b, stride=s, padding=p, dilation=d, groups=G)


@pytest.mark.parametrize("geom", [
    (2, 4, 5, 4, 2, 2, 3, 1, 1, 1),
    (2, 3, 5, 5, 6, 3, (2, 3), (2, 1), 1, (1, 2)),
    (1, 2, 4, 4, 2, 2, 2, 2, 0, 1),
])
def test_grouped_conv2d_first_and_second_derivatives(geom):
    x, w, b, s, p, d, G = _grouped_case(geom)

    def f(x, w, b):
        return conv2d(x, w, b, stride=s, padding=p, dilation=d, groups=G)

    assert gradcheck(f, [x, w, b], eps=1e-6, atol=1e-6, rtol=1e-5)
    assert gradgradcheck(lambda x, w, b: f(x, w, b) ** 2, [x, w, b])


def test_grouped_conv2d_double_backward_matches_torch():
    torch = pytest.importorskip("torch")
    x, w, _, s, p, d, G = _grouped_case((2, 4, 6, 5, 6, 2, 3, 2, 1, 1))
    X, Wt = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    (conv2d(X, Wt, stride=s, padding=p, dilation=d, groups=G) ** 3).sum().backward(create_graph=True)
    gx = X.grad
    X.grad = Wt.grad = None
    (gx * gx).sum().backward()
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    tloss = (torch.nn.functional.conv2d(tx, tw, stride=s, padding=p, dilation=d, groups=G) ** 3).sum()
    (tgx,) = torch.autograd.grad(tloss, [tx], create_graph=True)
    (tgx * tgx).sum().backward()
    np.testing.assert_allclose(Wt.grad.numpy(), tw.grad.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(X.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-10)


def test_grouped_conv2d_counts_the_multiply_adds_of_its_groups():
    N, C, Co, G, H = 2, 6, 4, 2, 6
    x = Tensor(RNG.standard_normal((N, C, H, H)), requires_grad=True)
    w = Tensor(RNG.standard_normal((Co, C // G, 3, 3)), requires_grad=True)
    with autograd.count_ops() as c:
        conv2d(x, w, padding=1, stride=2, groups=G).sum().backward()
    Ho = (H + 2 - 3) // 2 + 1
    macs = N * Co * Ho * Ho * (C // G) * 3 * 3  # each output entry reads C/G channels, not C
    assert c.forward_macs == macs
    assert c.backward_macs == 2 * macs


def test_conv2d_groups_errors_name_what_was_given():
    x = autograd.zeros(1, 4, 5, 5)
    with pytest.raises(ValueError, match=re.escape(
            "conv2d: weight of shape (3, 2, 3, 3) has 3 output channels; expected a multiple of groups=2")):
        conv2d(x, autograd.zeros(3, 2, 3, 3), groups=2)
    with pytest.raises(ValueError, match=re.escape(
            "conv2d: input of shape (1, 4, 5, 5) (read as N, C, H, W) has 4 channels, but the weight of "
            "shape (4, 1, 3, 3) with groups=2 expects 2 input channels")):
        conv2d(x, autograd.zeros(4, 1, 3, 3), groups=2)
    for bad in (0, -2, 1.5, "2"):
        msg = f"conv2d: got groups={bad!r}; expected a positive int"
        with pytest.raises(ValueError, match=re.escape(msg)):
            conv2d(x, autograd.zeros(4, 4, 3, 3), groups=bad)
    # numpy integers are ordinary ints
    assert conv2d(x, autograd.zeros(4, 1, 3, 3), groups=np.int64(4)).shape == (1, 4, 3, 3)


def test_conv2d_layer_groups_errors():
    with pytest.raises(ValueError, match=re.escape(
            "Conv2d: got in_channels=3 with groups=2; expected in_channels divisible by groups")):
        Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match=re.escape(
            "Conv2d: got out_channels=3 with groups=2; expected out_channels divisible by groups")):
        Conv2d(4, 3, 3, groups=2)
    with pytest.raises(ValueError, match=re.escape("Conv2d: got groups=0; expected a positive int")):
        Conv2d(4, 4, 3, groups=0)
    with pytest.raises(ValueError, match=r"Conv2d\(4, 4, kernel_size=\(3, 3\).*groups=2\).*has 2 channels"):
        Conv2d(4, 4, 3, groups=2)(autograd.zeros(1, 2, 5, 5))


def test_grouped_conv2d_layer_init_uses_the_fan_in_of_one_group():
    autograd.manual_seed(5)
    conv = Conv2d(8, 32, 3, groups=4)
    assert conv.weight.shape == (32, 2, 3, 3) and conv.bias.shape == (32,)
    bound = 1 / math.sqrt(8 // 4 * 3 * 3)  # fan_in = in_channels / groups * kh * kw
    for p in (conv.weight, conv.bias):
        assert np.abs(p.numpy()).max() <= bound
        # the whole interval is used, not the narrower one of fan_in = in_channels * kh * kw
        assert np.abs(p.numpy()).max() > 0.7 * bound > 1 / math.sqrt(8 * 3 * 3)


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("kwargs", [
    dict(in_channels=4, out_channels=6, kernel_size=3, padding=1, groups=2),
    dict(in_channels=4, out_channels=4, kernel_size=3, stride=2, groups=4, bias=False),
    dict(in_channels=3, out_channels=6, kernel_size=(2, 4), padding="same", groups=3),
    dict(in_channels=4, out_channels=8, kernel_size=3, padding=1, dilation=2, groups=2,
         padding_mode="circular"),
    dict(in_channels=4, out_channels=4, kernel_size=3, padding="valid", groups=1),
])
def test_grouped_conv2d_layer_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    ours = Conv2d(dtype=np.float64, **kwargs)
    theirs = torch.nn.Conv2d(**kwargs).double()
    assert repr(ours) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()] == \
        [(k, v.shape) for k, v in ours.state_dict().items()]
    ours.load_state_dict(theirs.state_dict())
    x = RNG.standard_normal((2, kwargs["in_channels"], 7, 8))
    X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = ours(X), theirs(tx)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = RNG.standard_normal(ty.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(X.grad.numpy(), tx.grad.numpy(), rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-11, atol=1e-11)


# ----------------------------------------------------------------------------------------- string padding
@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("padding, kernel, dilation, groups", [
    ("same", 3, 1, 1), ("same", (2, 4), 1, 1), ("same", 3, 2, 2), ("same", (4, 1), (1, 3), 1),
    ("valid", 3, 1, 1), ("valid", (2, 3), 2, 2),
])
def test_functional_conv2d_string_padding_matches_torch(padding, kernel, dilation, groups):
    torch = pytest.importorskip("torch")
    kh, kw = _pair(kernel)
    x = RNG.standard_normal((2, 4, 7, 6))
    w = RNG.standard_normal((2, 4 // groups, kh, kw))
    X, Wt = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    y = F.conv2d(X, Wt, padding=padding, dilation=dilation, groups=groups)
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    ty = torch.nn.functional.conv2d(tx, tw, padding=padding, dilation=dilation, groups=groups)
    if padding == "same":
        assert y.shape[2:] == x.shape[2:]
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = RNG.standard_normal(ty.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(X.grad.numpy(), tx.grad.numpy(), rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(Wt.grad.numpy(), tw.grad.numpy(), rtol=1e-11, atol=1e-11)


def test_functional_conv2d_string_padding_errors():
    x, w = autograd.zeros(1, 1, 5, 5), autograd.zeros(1, 1, 3, 3)
    msg = "conv2d: padding='same' needs stride 1; got stride=(2, 2)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        conv2d(x, w, stride=2, padding="same")
    with pytest.raises(ValueError, match=re.escape(
            "conv2d: got padding='full'; expected an int, a pair of ints, 'valid' or 'same'")):
        conv2d(x, w, padding="full")
    # an uneven 'same' pads before the channel check would see it: the message shows the shape given
    with pytest.raises(ValueError, match=re.escape("input of shape (1, 1, 5, 5) (read as N, C, H, W)")):
        conv2d(x, autograd.zeros(1, 2, 2, 2), padding="same")


# ----------------------------------------------------------------------------------------- pooling options
# (H, W, kernel, stride, padding, dilation): several make ceil_mode add a row or column, and some make
# its rule drop a window that would start in the trailing padding
POOLS = [
    (5, 5, 2, 2, 0, 1),
    (5, 6, 2, 2, 1, 1),  # ceil would give 4 rows; the 4th starts at 6 >= H + p = 6 and is dropped
    (7, 7, 3, 2, 1, 1),
    (6, 7, 3, 2, 0, 1),
    (3, 3, 4, 2, 0, 1),  # kernel larger than the input: only ceil_mode gives an output
    (8, 7, (3, 2), (3, 2), (1, 1), 1),
    (6, 9, 2, (2, 3), (1, 0), 1),
    (4, 5, 3, 3, 1, 1),
]
MAX_POOLS = POOLS + [(7, 8, 2, 2, 1, 2), (9, 7, 3, 2, 1, (2, 1)), (6, 6, (2, 3), 3, 0, 2)]


def _fits(H, W, k, s, p, d):
    (kh, kw), (ph, pw), (dh, dw) = _pair(k), _pair(p), _pair(d)
    return H + 2 * ph >= dh * (kh - 1) + 1 and W + 2 * pw >= dw * (kw - 1) + 1


def _with_ceil_mode(geoms):
    """(geometry, ceil_mode) pairs; without ceil_mode only where the kernel fits in the padded input."""
    return [(g, c) for g in geoms for c in (False, True) if c or _fits(*g)]


@pytest.mark.parametrize("geom, ceil_mode", _with_ceil_mode(MAX_POOLS))
def test_max_pool_ceil_mode_matches_reference_and_torch(geom, ceil_mode):
    H, W, k, s, p, d = geom
    x = RNG.integers(0, 4, size=(2, 3, H, W)).astype(np.float64)  # ties: the first maximum is checked too
    X = Tensor(x, requires_grad=True)
    y = max_pool2d(X, k, s, p, d, ceil_mode=ceil_mode)
    np.testing.assert_array_equal(y.numpy(), pool_reference(x, k, s, p, d, ceil_mode, "max"))
    torch = pytest.importorskip("torch")
    tx = torch.tensor(x, requires_grad=True)
    ty = torch.nn.functional.max_pool2d(tx, k, s, p, d, ceil_mode=ceil_mode)
    assert y.shape == tuple(ty.shape)
    g = RNG.standard_normal(ty.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(X.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("divisor_override", [None, 3, -2])
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("geom, ceil_mode", _with_ceil_mode(POOLS))
def test_avg_pool_options_match_reference_and_torch(geom, ceil_mode, count_include_pad, divisor_override):
    H, W, k, s, p, _ = geom
    x = RNG.standard_normal((2, 3, H, W))
    X = Tensor(x, requires_grad=True)
    options = dict(ceil_mode=ceil_mode, count_include_pad=count_include_pad,
                   divisor_override=divisor_override)
    y = avg_pool2d(X, k, s, p, **options)
    np.testing.assert_allclose(y.numpy(), pool_reference(x, k, s, p, 1, ceil_mode, "avg", count_include_pad,
                                                         divisor_override), rtol=1e-12, atol=1e-12)
    torch = pytest.importorskip("torch")
    tx = torch.tensor(x, requires_grad=True)
    ty = torch.nn.functional.avg_pool2d(tx, k, s, p, **options)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = RNG.standard_normal(ty.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(X.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("options", [
    dict(ceil_mode=True),
    dict(count_include_pad=False),
    dict(ceil_mode=True, count_include_pad=False),
    dict(divisor_override=5),
])
def test_avg_pool_options_first_and_second_derivatives(options):
    x = RNG.standard_normal((1, 2, 6, 5))
    assert gradcheck(lambda t: avg_pool2d(t, 3, 2, 1, **options), [x], eps=1e-6, atol=1e-6, rtol=1e-5)
    assert gradgradcheck(lambda t: avg_pool2d(t, 3, 2, 1, **options) ** 2, [x])


def test_max_pool_ceil_mode_first_and_second_derivatives():
    x = RNG.permutation(2 * 7 * 6).reshape(1, 2, 7, 6).astype(np.float64) / 5  # distinct values
    assert gradcheck(lambda t: max_pool2d(t, 2, 2, ceil_mode=True), [x], eps=1e-6, atol=1e-6, rtol=1e-5)
    assert gradcheck(lambda t: max_pool2d(t, 3, 2, 1, 2, ceil_mode=True), [x], eps=1e-6, atol=1e-6, rtol=1e-5)
    assert gradgradcheck(lambda t: max_pool2d(t, 2, 2, ceil_mode=True) ** 2, [x])


def test_pool_options_keep_float32_and_unbatched_inputs():
    x = RNG.standard_normal((3, 5, 5)).astype(np.float32)
    y = avg_pool2d(Tensor(x), 2, ceil_mode=True, count_include_pad=False)
    assert y.shape == (3, 3, 3) and y.dtype == np.float32
    ref = pool_reference(x[None].astype(np.float64), 2, 2, 0, 1, True, "avg", count_include_pad=False)
    np.testing.assert_allclose(y.numpy(), ref[0], rtol=1e-6, atol=1e-6)
    m = max_pool2d(Tensor(x), 2, ceil_mode=True)
    assert m.shape == (3, 3, 3) and m.dtype == np.float32
    np.testing.assert_array_equal(m.numpy()[:, 2, 2], x[:, 4, 4])  # the last window holds one entry


def test_pool_option_errors():
    with pytest.raises(ValueError, match=re.escape(
            "max_pool2d: input 3x3 with kernel 4x4, stride 1, padding 0, dilation 1 and ceil_mode=True gives "
            "an output of size 0x0")):
        max_pool2d(autograd.zeros(1, 1, 3, 3), 4, 1, ceil_mode=True)
    for bad in (0, 1.5, True):
        with pytest.raises(ValueError, match=re.escape(
                f"avg_pool2d: got divisor_override={bad!r}; expected None or a nonzero int")):
            avg_pool2d(autograd.zeros(1, 1, 4, 4), 2, divisor_override=bad)
    with pytest.raises(ValueError, match=re.escape("AvgPool2d: got divisor_override=0")):
        AvgPool2d(2, divisor_override=0)


def test_pool_layers_with_options_match_torch():
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 3, 7, 6))
    pairs = [(MaxPool2d(2, ceil_mode=True), torch.nn.MaxPool2d(2, ceil_mode=True)),
             (MaxPool2d(3, 2, 1, 2, ceil_mode=True), torch.nn.MaxPool2d(3, 2, 1, 2, ceil_mode=True)),
             (AvgPool2d(3, 2, 1, True, False), torch.nn.AvgPool2d(3, 2, 1, True, False)),
             (AvgPool2d(2, ceil_mode=True), torch.nn.AvgPool2d(2, ceil_mode=True)),
             (AvgPool2d(3, 1, 1, divisor_override=4), torch.nn.AvgPool2d(3, 1, 1, divisor_override=4))]
    for ours, theirs in pairs:
        assert repr(ours) == repr(theirs)
        np.testing.assert_allclose(ours(Tensor(x)).numpy(), theirs(torch.tensor(x)).numpy(), rtol=1e-12,
                                   atol=1e-12)
    layer = AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False, divisor_override=None)
    assert (layer.ceil_mode, layer.count_include_pad, layer.divisor_override) == (True, False, None)
    assert MaxPool2d(2, ceil_mode=True).ceil_mode is True
