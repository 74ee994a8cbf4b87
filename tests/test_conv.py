"""Convolution, pooling and padding: values against direct loops written here and against PyTorch, gradients
against finite differences (float64), first-maximum routing, error messages, and the layers."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from helpers import assert_conv_matches_torch

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from nn.conv_ops import avg_pool2d, conv2d, max_pool2d, pad
from nn.layers import AvgPool2d, Conv2d, MaxPool2d, ZeroPad2d

try:
    from autograd import gradcheck, gradgradcheck
except ImportError:  # pragma: no cover - the engine's checker is the reference when it exists
    gradcheck = gradgradcheck = None

RNG = np.random.default_rng(20240607)


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


# ----------------------------------------------------------------------------------------- references
def naive_conv2d(x, w, b=None, stride=1, padding=0, dilation=1):
    """Direct loops over every output entry (textbook (10.7) with stride, padding and dilation)."""
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    N, C, H, W = x.shape
    Co, _, kh, kw = w.shape
    xp = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    xp[:, :, ph:ph + H, pw:pw + W] = x
    Ho = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    Wo = (W + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((N, Co, Ho, Wo))
    for n in range(N):
        for o in range(Co):
            for i in range(Ho):
                for j in range(Wo):
                    total = 0.0 if b is None else b[o]
                    for c in range(C):
                        for a in range(kh):
                            for bb in range(kw):
                                total += w[o, c, a, bb] * xp[n, c, i * sh + a * dh, j * sw + bb * dw]
                    out[n, o, i, j] = total
    return out


def naive_pool(x, k, stride, padding, reduce, fill):
    kh, kw = _pair(k)
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    N, C, H, W = x.shape
    xp = np.full((N, C, H + 2 * ph, W + 2 * pw), fill)
    xp[:, :, ph:ph + H, pw:pw + W] = x
    Ho = (H + 2 * ph - kh) // sh + 1
    Wo = (W + 2 * pw - kw) // sw + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = reduce(xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw], axis=(2, 3))
    return out


# (N, C, H, W, O, kernel, stride, padding, dilation)
GEOMETRIES = [
    (1, 1, 5, 5, 1, 3, 1, 0, 1),
    (2, 3, 6, 5, 4, 3, 1, 1, 1),
    (2, 2, 7, 7, 3, 3, 2, 0, 1),
    (2, 2, 7, 6, 3, 3, 2, 1, 1),
    (1, 3, 8, 8, 2, 3, 1, 2, 2),
    (3, 2, 9, 7, 2, 2, 2, 2, 2),
    (2, 1, 5, 6, 3, 1, 1, 0, 1),
    (2, 4, 6, 6, 2, 1, 2, 1, 1),
    (1, 2, 6, 9, 3, (2, 3), (1, 2), (1, 0), (2, 1)),
    (2, 2, 8, 5, 2, (3, 1), (2, 1), (0, 2), (1, 2)),
    (2, 3, 5, 5, 2, (1, 3), 1, (2, 1), 1),
    (1, 1, 4, 4, 1, 2, (2, 1), 0, (1, 2)),
    (4, 2, 5, 5, 3, 3, 1, 2, 1),
    (2, 2, 10, 10, 2, 3, 2, 2, 2),
    (2, 5, 3, 3, 6, 3, 1, 0, 1),
]


def _case(geom, dtype=np.float64):
    N, C, H, W, Co, k, s, p, d = geom
    kh, kw = _pair(k)
    x = RNG.standard_normal((N, C, H, W)).astype(dtype)
    w = RNG.standard_normal((Co, C, kh, kw)).astype(dtype)
    b = RNG.standard_normal(Co).astype(dtype)
    return x, w, b, s, p, d


@pytest.mark.parametrize("geom", GEOMETRIES)
def test_conv2d_matches_direct_loops(geom):
    x, w, b, s, p, d = _case(geom)
    got = conv2d(Tensor(x), Tensor(w), Tensor(b), stride=s, padding=p, dilation=d)
    np.testing.assert_allclose(got.numpy(), naive_conv2d(x, w, b, s, p, d), rtol=1e-12, atol=1e-12)
    no_bias = F.conv2d(Tensor(x), Tensor(w), None, s, p, d)
    np.testing.assert_allclose(no_bias.numpy(), naive_conv2d(x, w, None, s, p, d), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("geom", GEOMETRIES)
def test_conv2d_forward_and_backward_match_torch(geom):
    torch = pytest.importorskip("torch")
    x, w, b, s, p, d = _case(geom)
    assert_conv_matches_torch(torch, x, w, b, stride=s, padding=p, dilation=d)


def _gradcheck(f, inputs):
    if gradcheck is not None:
        assert gradcheck(f, inputs, eps=1e-6, atol=1e-6, rtol=1e-5)
        return
    # fallback: central differences of sum(f * v) for a fixed cotangent v
    xs = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in inputs]
    out = f(*xs)
    v = RNG.standard_normal(out.shape)
    out.backward(v)
    for k, t in enumerate(xs):
        flat = t.data.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + 1e-6
            up = float((f(*[Tensor(a.data) for a in xs]).numpy() * v).sum())
            flat[i] = old - 1e-6
            down = float((f(*[Tensor(a.data) for a in xs]).numpy() * v).sum())
            flat[i] = old
            assert abs((up - down) / 2e-6 - t.grad.data.reshape(-1)[i]) < 1e-6, (k, i)


@pytest.mark.parametrize("geom", [
    (2, 2, 5, 4, 3, (2, 3), (2, 1), 1, (1, 2)),
    (1, 2, 6, 6, 2, 3, 2, 2, 2),
    (2, 1, 4, 5, 2, 1, 1, 1, 1),
])
def test_conv2d_gradients_match_finite_differences(geom):
    x, w, b, s, p, d = _case(geom)
    _gradcheck(lambda x, w, b: conv2d(x, w, b, stride=s, padding=p, dilation=d), [x, w, b])


def test_conv2d_second_derivatives_through_create_graph():
    if gradgradcheck is None:
        pytest.skip("autograd.gradgradcheck is not available")
    x, w, b, s, p, d = _case((2, 2, 5, 4, 2, (2, 3), (2, 1), 1, (1, 2)))
    assert gradgradcheck(lambda x, w, b: conv2d(x, w, b, stride=s, padding=p, dilation=d), [x, w, b])
    # a gradient of a gradient, d/dw and d/dx of ||d loss / dx||^2, against PyTorch's double backward
    torch = pytest.importorskip("torch")
    X = Tensor(x, requires_grad=True)
    Wt = Tensor(w, requires_grad=True)
    (conv2d(X, Wt, stride=s, padding=p, dilation=d) ** 3).sum().backward(create_graph=True)
    gx = X.grad
    X.grad = Wt.grad = None
    (gx * gx).sum().backward()
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    tloss = (torch.nn.functional.conv2d(tx, tw, stride=s, padding=p, dilation=d) ** 3).sum()
    (tgx,) = torch.autograd.grad(tloss, [tx], create_graph=True)
    (tgx * tgx).sum().backward()
    np.testing.assert_allclose(Wt.grad.numpy(), tw.grad.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(X.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-10)


def test_conv2d_unbatched_integer_and_float32_inputs():
    x = RNG.standard_normal((2, 5, 5)).astype(np.float32)
    w = RNG.standard_normal((3, 2, 3, 3)).astype(np.float32)
    out = conv2d(Tensor(x), Tensor(w), padding=1)
    assert out.shape == (3, 5, 5) and out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), naive_conv2d(x[None].astype(np.float64), w, padding=1)[0],
                               rtol=1e-5, atol=1e-5)
    ints = conv2d(Tensor(np.arange(16).reshape(1, 1, 4, 4)), Tensor(np.ones((1, 1, 2, 2), np.float32)))
    assert ints.dtype == np.float32 and ints.numpy()[0, 0, 0, 0] == 0 + 1 + 4 + 5


def test_conv2d_counts_multiply_adds():
    x = Tensor(RNG.standard_normal((2, 3, 6, 6)), requires_grad=True)
    w = Tensor(RNG.standard_normal((4, 3, 3, 3)), requires_grad=True)
    with autograd.count_ops() as c:
        y = conv2d(x, w, padding=1, stride=2)
        y.sum().backward()
    macs = 2 * 4 * 3 * 3 * 3 * 3 * 3  # N * O * Ho * Wo * C * kh * kw, Ho = Wo = 3
    assert c.forward_macs == macs
    assert c.backward_macs == 2 * macs  # input grad and weight grad


# ----------------------------------------------------------------------------------------- errors
def test_geometry_error_names_everything():
    msg = "conv2d: input 5x5 with kernel 7x7, stride 1, padding 0, dilation 1 gives an output of size -1x-1"
    with pytest.raises(ValueError, match=re.escape(msg)):
        conv2d(autograd.zeros(1, 1, 5, 5), autograd.zeros(1, 1, 7, 7))
    msg = "input 4x6 with kernel 3x3, stride (1, 2), padding (0, 1), dilation 2 gives an output of size 0x2"
    with pytest.raises(ValueError, match=re.escape(msg)):
        conv2d(autograd.zeros(1, 1, 4, 6), autograd.zeros(1, 1, 3, 3), stride=(1, 2), padding=(0, 1),
               dilation=2)


def test_channel_and_bias_mismatch_errors():
    with pytest.raises(ValueError, match=r"has 3 channels.*expects 2 input channels"):
        conv2d(autograd.zeros(1, 3, 5, 5), autograd.zeros(4, 2, 3, 3))
    with pytest.raises(ValueError, match=r"bias has shape \(3,\); expected \(4,\)"):
        conv2d(autograd.zeros(1, 2, 5, 5), autograd.zeros(4, 2, 3, 3), autograd.zeros(3))
    with pytest.raises(ValueError, match=r"expected \(N, C, H, W\) or \(C, H, W\)"):
        conv2d(autograd.zeros(5, 5), autograd.zeros(1, 1, 3, 3))
    with pytest.raises(ValueError, match="stride"):
        conv2d(autograd.zeros(1, 1, 5, 5), autograd.zeros(1, 1, 3, 3), stride=0)
    with pytest.raises(ValueError, match=r"max_pool2d: input 3x3 with kernel 4x4"):
        max_pool2d(autograd.zeros(1, 1, 3, 3), 4)
    with pytest.raises(ValueError, match="more than half"):
        max_pool2d(autograd.zeros(1, 1, 6, 6), 2, padding=2)
    with pytest.raises(ValueError, match=r"Conv2d\(2, 4, kernel_size=\(3, 3\).*has 3 channels"):
        Conv2d(2, 4, 3)(autograd.zeros(1, 3, 5, 5))


# ----------------------------------------------------------------------------------------- pooling
def test_max_pool_routes_a_tie_to_the_first_maximum():
    x = Tensor(np.array([[[[1.0, 3.0, 2.0, 2.0],
                           [3.0, 0.0, 2.0, 2.0],
                           [5.0, 5.0, 4.0, 1.0],
                           [5.0, 5.0, 1.0, 4.0]]]]), requires_grad=True)
    y = max_pool2d(x, 2)
    assert y.numpy()[0, 0].tolist() == [[3.0, 2.0], [5.0, 4.0]]
    y.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    expected = [[0.0, 10.0, 20.0, 0.0],
                [0.0, 0.0, 0.0, 0.0],
                [30.0, 0.0, 40.0, 0.0],
                [0.0, 0.0, 0.0, 0.0]]
    assert x.grad.numpy()[0, 0].tolist() == expected


def test_max_pool_overlapping_windows_add_their_gradients():
    # stride 1: the 9 is the maximum of all four 2x2 windows; the tied 1s of the top left go nowhere else
    x = Tensor(np.array([[[[1.0, 1.0, 0.0],
                           [1.0, 9.0, 0.0],
                           [0.0, 0.0, 0.0]]]]), requires_grad=True)
    max_pool2d(x, 2, stride=1).sum().backward()
    assert x.grad.numpy()[0, 0].tolist() == [[0.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 0.0]]
    z = Tensor(np.zeros((1, 1, 3, 3)), requires_grad=True)  # all tied: each window's first entry
    max_pool2d(z, 2, stride=1).sum().backward()
    assert z.grad.numpy()[0, 0].tolist() == [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]


@pytest.mark.parametrize("k, s, p, d", [(2, None, 0, 1), (3, 1, 1, 1), (3, 2, 1, 1),
                                        ((2, 3), (1, 2), (1, 1), 1), (2, 1, 0, 2), (3, 2, 1, 2)])
def test_max_pool_matches_loops_and_torch_with_ties(k, s, p, d):
    x = RNG.integers(0, 3, size=(2, 3, 7, 8)).astype(np.float64)  # many ties
    X = Tensor(x, requires_grad=True)
    y = max_pool2d(X, k, s, p, d)
    if d == 1:
        ref = naive_pool(x, k, k if s is None else s, p, np.max, -np.inf)
        np.testing.assert_array_equal(y.numpy(), ref)
    torch = pytest.importorskip("torch")
    tx = torch.tensor(x, requires_grad=True)
    ty = torch.nn.functional.max_pool2d(tx, k, s, p, d)
    np.testing.assert_array_equal(y.numpy(), ty.detach().numpy())
    g = RNG.standard_normal(ty.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(X.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_max_pool_gradients_and_second_derivatives():
    x = RNG.permutation(2 * 2 * 6 * 5).reshape(2, 2, 6, 5).astype(np.float64) / 7  # distinct values
    _gradcheck(lambda t: max_pool2d(t, 3, stride=2, padding=1), [x])
    _gradcheck(lambda t: max_pool2d(t, 2, stride=1, dilation=2), [x])
    if gradgradcheck is not None:
        assert gradgradcheck(lambda t: max_pool2d(t, 2, stride=1) ** 2, [x])


def test_max_pool_nan_propagates():
    x = np.zeros((1, 1, 2, 4))
    x[0, 0, 1, 0] = np.nan
    X = Tensor(x, requires_grad=True)
    y = max_pool2d(X, 2)
    assert np.isnan(y.numpy()[0, 0, 0, 0]) and y.numpy()[0, 0, 0, 1] == 0.0
    y.sum().backward()
    assert X.grad.numpy()[0, 0, 1, 0] == 1.0


@pytest.mark.parametrize("k, s, p", [(2, None, 0), (3, 1, 1), (3, 2, 1), ((2, 3), (2, 1), (1, 0))])
def test_avg_pool_matches_loops_torch_and_finite_differences(k, s, p):
    x = RNG.standard_normal((2, 2, 7, 6))
    y = avg_pool2d(Tensor(x), k, s, p)
    ref = naive_pool(x, k, k if s is None else s, p, np.mean, 0.0)  # zero padding counts (count_include_pad)
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-12, atol=1e-12)
    _gradcheck(lambda t: avg_pool2d(t, k, s, p), [x[:1]])
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(y.numpy(), torch.nn.functional.avg_pool2d(torch.tensor(x), k, s, p).numpy(),
                               rtol=1e-12, atol=1e-12)


def test_avg_pool_second_derivatives():
    if gradgradcheck is None:
        pytest.skip("autograd.gradgradcheck is not available")
    assert gradgradcheck(lambda t: avg_pool2d(t, 3, 2, 1) ** 2, [RNG.standard_normal((1, 2, 5, 5))])


# ----------------------------------------------------------------------------------------- padding
def test_pad_follows_torch_order_last_dimension_first():
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))
    # (left, right, top, bottom)
    assert pad(x, (1, 0, 0, 2)).tolist() == [[0.0, 1.0, 2.0], [0.0, 3.0, 4.0], [0.0, 0.0, 0.0],
                                             [0.0, 0.0, 0.0]]
    assert pad(x, (0, 1), value=9.0).tolist() == [[1.0, 2.0, 9.0], [3.0, 4.0, 9.0]]
    assert pad(x, (1, 1), mode="circular").tolist() == [[2.0, 1.0, 2.0, 1.0], [4.0, 3.0, 4.0, 3.0]]
    assert pad(x, (-1, 0, 0, 0)).tolist() == [[2.0], [4.0]]
    with pytest.raises(ValueError, match="even-length"):
        pad(x, (1, 2, 3))
    with pytest.raises(ValueError, match="mode"):
        pad(x, (1, 1), mode="wrap")


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("widths", [(1, 2, 2, 0), (0, 1), (2, 1, 1, 2)])
def test_pad_matches_torch_and_finite_differences(mode, widths):
    x = RNG.standard_normal((1, 2, 3, 4))
    _gradcheck(lambda t: pad(t, widths, mode=mode), [x])
    torch = pytest.importorskip("torch")
    # torch's non-constant modes pad the last len(widths) // 2 dimensions of a tensor with 1 or 2 more only
    x3 = x.reshape(x.shape[1:]) if len(widths) == 2 else x
    expected = torch.nn.functional.pad(torch.tensor(x3), widths, mode=mode).numpy()
    expected = expected.reshape((1, 2, -1, x.shape[-1] + widths[0] + widths[1]))
    np.testing.assert_array_equal(pad(Tensor(x), widths, mode=mode).numpy(), expected)


# ----------------------------------------------------------------------------------------- layers
def test_layers_are_exported():
    assert nn.Conv2d is Conv2d and nn.MaxPool2d is MaxPool2d and nn.AvgPool2d is AvgPool2d
    assert nn.ZeroPad2d is ZeroPad2d
    assert F.conv2d is conv2d and F.max_pool2d is max_pool2d and F.avg_pool2d is avg_pool2d and F.pad is pad


def test_conv2d_layer_init_and_state_dict_layout():
    autograd.manual_seed(3)
    conv = Conv2d(3, 5, (3, 2))
    state = conv.state_dict()
    assert list(state) == ["weight", "bias"]
    assert state["weight"].shape == (5, 3, 3, 2) and state["bias"].shape == (5,)
    bound = 1 / math.sqrt(3 * 3 * 2)
    for p in (conv.weight, conv.bias):
        assert p.dtype == np.float32 and np.abs(p.numpy()).max() <= bound
    assert np.abs(conv.weight.numpy()).max() > 0.7 * bound  # uniform over the whole interval
    autograd.manual_seed(3)
    np.testing.assert_array_equal(Conv2d(3, 5, (3, 2)).weight.numpy(), conv.weight.numpy())
    assert Conv2d(3, 5, 3, bias=False).bias is None
    assert [n for n, _ in Conv2d(3, 5, 3, bias=False).named_parameters()] == ["weight"]


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("kwargs", [
    dict(kernel_size=3, padding=1),
    dict(kernel_size=(3, 2), stride=(2, 1), padding=(0, 1), dilation=(1, 2)),
    dict(kernel_size=3, padding="same", dilation=2),
    dict(kernel_size=(2, 4), padding="same"),
    dict(kernel_size=3, padding=1, padding_mode="circular"),
    dict(kernel_size=3, padding=(2, 1), padding_mode="reflect", bias=False),
])
def test_conv2d_layer_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    ours = Conv2d(3, 4, dtype=np.float64, **kwargs)
    theirs = torch.nn.Conv2d(3, 4, **kwargs).double()
    assert repr(ours) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()] == \
        [(k, v.shape) for k, v in ours.state_dict().items()]
    theirs.load_state_dict({k: torch.tensor(np.array(v)) for k, v in ours.state_dict().items()})
    x = RNG.standard_normal((2, 3, 7, 8))
    np.testing.assert_allclose(ours(Tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-12, atol=1e-12)
    # and the other way round: torch's weights loaded into ours
    fresh = torch.nn.Conv2d(3, 4, **kwargs).double()
    ours.load_state_dict({k: v.detach().numpy() for k, v in fresh.state_dict().items()})
    np.testing.assert_allclose(ours(Tensor(x)).numpy(), fresh(torch.tensor(x)).detach().numpy(),
                               rtol=1e-12, atol=1e-12)


def test_pool_and_pad_layers_repr_and_values_match_torch():
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 3, 6, 7))
    pairs = [(MaxPool2d(2), torch.nn.MaxPool2d(2)),
             (MaxPool2d(3, stride=2, padding=1, dilation=1), torch.nn.MaxPool2d(3, stride=2, padding=1)),
             (MaxPool2d((2, 3), stride=(1, 2), dilation=2),
              torch.nn.MaxPool2d((2, 3), stride=(1, 2), dilation=2)),
             (AvgPool2d(3, 1, 1), torch.nn.AvgPool2d(3, 1, 1)),
             (AvgPool2d(2), torch.nn.AvgPool2d(2)),
             (ZeroPad2d(1), torch.nn.ZeroPad2d(1)),
             (ZeroPad2d((1, 0, 2, 3)), torch.nn.ZeroPad2d((1, 0, 2, 3)))]
    for ours, theirs in pairs:
        assert repr(ours) == repr(theirs)
        np.testing.assert_allclose(ours(Tensor(x)).numpy(), theirs(torch.tensor(x)).numpy(), rtol=1e-12,
                                   atol=1e-12)


def test_small_cnn_trains_and_matches_torch_gradients():
    torch = pytest.importorskip("torch")
    autograd.manual_seed(0)
    ours = nn.Sequential(Conv2d(1, 4, 3, padding=1, dtype=np.float64), nn.ReLU(), MaxPool2d(2),
                         nn.Flatten(), nn.Linear(4 * 4 * 4, 3, dtype=np.float64))
    theirs = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                 torch.nn.Flatten(), torch.nn.Linear(64, 3)).double()
    theirs.load_state_dict({k: torch.tensor(np.array(v)) for k, v in ours.state_dict().items()})
    x = RNG.standard_normal((5, 1, 8, 8))
    ((ours(Tensor(x)) ** 2).mean()).backward()
    ((theirs(torch.tensor(x)) ** 2).mean()).backward()
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-10, atol=1e-12)
