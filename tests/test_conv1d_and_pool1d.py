"""Conv1d, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d and their functions, the 2-D layers on
inputs of height 1: against PyTorch 2.13 on tables of configurations (float64 values, output shapes and
dtypes, gradients of the input, weight and bias, indices), finite differences of first and second order,
reprs, state dicts both ways, PyTorch's default initialisation, and errors (PyTorch raises too; our
message names the function or layer, what it got and what it expected)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import assert_conv_matches_torch, check_both_raise

import autograd
import nn
import nn.functional as F
from autograd import Tensor, gradcheck, gradgradcheck
from nn.layers import (
    AdaptiveAvgPool1d,
    AdaptiveMaxPool1d,
    AvgPool1d,
    Conv1d,
    Conv2d,
    MaxPool1d,
)

RNG = np.random.default_rng(20250611)

same_warning = pytest.mark.filterwarnings("ignore:Using padding='same'")


# ----------------------------------------------------------------------------------------- conv1d
# (N, C, L, O, k, options); N None: an unbatched (C, L) input
CONV_CASES = [
    (2, 3, 10, 4, 3, {}),
    (2, 3, 10, 4, 3, dict(stride=2, padding=1)),
    (1, 2, 9, 3, 2, dict(dilation=3, padding=2)),
    (3, 4, 11, 6, 3, dict(groups=2, stride=(2,), padding=(1,), dilation=(2,))),
    (2, 4, 8, 4, 5, dict(groups=4, padding="same")),  # depthwise, odd kernel
    (2, 2, 7, 3, 4, dict(padding="same")),  # even kernel: the extra zero goes at the end
    (2, 2, 7, 3, 2, dict(padding="same", dilation=3)),
    (2, 3, 6, 2, 3, dict(padding="valid")),
    (None, 3, 8, 2, 3, dict(padding=1)),
    (2, 3, 5, 2, 1, dict(stride=3)),  # 1-wide kernel
    (2, 6, 13, 3, 3, dict(groups=3, stride=3, padding=2, dilation=2)),
    (0, 3, 5, 2, 3, {}),  # an empty batch
]


def _conv_arrays(case, bias=True):
    N, C, L, n_out, k, options = case
    x = RNG.standard_normal((C, L) if N is None else (N, C, L))
    w = RNG.standard_normal((n_out, C // options.get("groups", 1), k))
    return x, w, RNG.standard_normal(n_out) if bias else None, options


@same_warning
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("case", CONV_CASES)
def test_conv1d_matches_torch(torch, case, bias):
    x, w, b, options = _conv_arrays(case, bias)
    assert_conv_matches_torch(torch, x, w, b, **options)


def conv1d_reference(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    """Direct loops: out[n, o, i] = b[o] + sum_{c, a} w[o, c, a] * xpad[n, g*Cg + c, i*s + a*d]."""
    one = lambda v: v if isinstance(v, int) else v[0]  # noqa: E731
    s, p, d = one(stride), one(padding), one(dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (p, p)))
    n_out, Cg, k = w.shape
    Lo = (xp.shape[-1] - d * (k - 1) - 1) // s + 1
    out = np.zeros((x.shape[0], n_out, Lo))
    for o in range(n_out):
        g = o // (n_out // groups)
        for i in range(Lo):
            window = xp[:, g * Cg:(g + 1) * Cg, i * s:i * s + d * (k - 1) + 1:d]
            out[:, o, i] = (window * w[o]).sum(axis=(1, 2))
    return out if b is None else out + b[:, None]


@pytest.mark.parametrize("case", [c for c in CONV_CASES if not isinstance(c[5].get("padding"), str)])
def test_conv1d_matches_direct_loops(case):
    x, w, b, options = _conv_arrays(case)
    batch = x if case[0] is not None else x[None]
    expected = conv1d_reference(batch, w, b, **options)
    got = F.conv1d(Tensor(x), Tensor(w), Tensor(b), **options).numpy()
    np.testing.assert_allclose(got, expected if case[0] is not None else expected[0], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("options", [dict(stride=2, padding=1), dict(dilation=2, groups=2),
                                     dict(padding="same")])
def test_conv1d_first_and_second_derivatives(options):
    groups = options.get("groups", 1)
    x = RNG.standard_normal((2, 4, 7))
    w = RNG.standard_normal((4, 4 // groups, 3))
    b = RNG.standard_normal(4)

    def f(x, w, b):
        return F.conv1d(x, w, b, **options)

    assert gradcheck(f, [x, w, b], eps=1e-6, atol=1e-6, rtol=1e-5)
    assert gradgradcheck(lambda x, w, b: f(x, w, b) ** 2, [x, w, b])


def test_conv1d_keeps_the_float_dtype_and_converts_integers():
    w = Tensor(np.ones((2, 1, 3), dtype=np.float32))
    assert F.conv1d(Tensor(np.ones((1, 1, 5), dtype=np.float32)), w).dtype == np.float32
    assert F.conv1d(Tensor(np.ones((1, 1, 5))), Tensor(np.ones((2, 1, 3)))).dtype == np.float64
    # as conv2d: integer sequences become floats of the weight's dtype (PyTorch refuses them)
    assert F.conv1d(Tensor(np.arange(5).reshape(1, 5)), w).tolist() == [[3.0, 6.0, 9.0]] * 2


# ----------------------------------------------------------------------------------------- Conv1d layer
LAYER_CASES = [
    dict(kernel_size=3),
    dict(kernel_size=3, padding=1),
    dict(kernel_size=(2,), stride=(2,), padding=(1,), dilation=(2,)),
    dict(kernel_size=3, padding="same", dilation=2),
    dict(kernel_size=4, padding="same"),
    dict(kernel_size=3, padding="valid", bias=False),
    dict(kernel_size=3, padding=1, groups=2),
    dict(kernel_size=3, padding=2, padding_mode="reflect"),
    dict(kernel_size=3, padding=1, padding_mode="replicate", bias=False),
    dict(kernel_size=5, padding=3, padding_mode="circular", stride=2),
    dict(kernel_size=4, padding="same", padding_mode="circular"),
    dict(kernel_size=4, padding="same", padding_mode="reflect", groups=2),
]


@same_warning
@pytest.mark.parametrize("kwargs", LAYER_CASES)
@pytest.mark.parametrize("batched", [True, False])
def test_conv1d_layer_matches_torch(torch, kwargs, batched):
    ours = Conv1d(4, 6, dtype=np.float64, **kwargs)
    theirs = torch.nn.Conv1d(4, 6, dtype=torch.float64, **kwargs)
    assert repr(ours) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()] == \
        [(k, v.shape) for k, v in ours.state_dict().items()]
    # torch's parameters loaded into ours (as torch tensors), then gradients of the input and parameters
    loaded = ours.load_state_dict(theirs.state_dict())
    assert not loaded.missing_keys and not loaded.unexpected_keys
    x = RNG.standard_normal((3, 4, 9) if batched else (4, 9))
    X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = ours(X), theirs(tx)
    assert y.shape == tuple(ty.shape) and y.dtype == np.float64
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = RNG.standard_normal(y.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(X.grad.numpy(), tx.grad.numpy(), rtol=1e-11, atol=1e-11)
    for (name, p), (their_name, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == their_name
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-11, atol=1e-11)
    # and ours loaded into a fresh torch layer
    fresh = torch.nn.Conv1d(4, 6, dtype=torch.float64, **kwargs)
    fresh.load_state_dict({k: torch.tensor(np.array(v)) for k, v in ours.state_dict().items()})
    np.testing.assert_allclose(fresh(torch.tensor(x)).detach().numpy(), y.numpy(), rtol=1e-12, atol=1e-12)


def test_conv1d_layer_default_init_is_pytorchs(torch):
    autograd.manual_seed(5)
    conv = Conv1d(6, 8, 5, groups=2)
    bound = 1 / math.sqrt(6 // 2 * 5)  # kaiming_uniform_(a=sqrt(5)): U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    for p in (conv.weight, conv.bias):
        assert p.dtype == np.float32 and np.abs(p.numpy()).max() <= bound
    assert np.abs(conv.weight.numpy()).max() > 0.8 * bound
    theirs = torch.nn.Conv1d(6, 8, 5, groups=2)
    for q in (theirs.weight, theirs.bias):
        assert q.abs().max().item() <= bound
    # the scheme of Conv2d: a kernel (k,) draws what a (1, k) kernel draws
    autograd.manual_seed(5)
    image = Conv2d(6, 8, (1, 5), groups=2)
    np.testing.assert_array_equal(image.weight.numpy()[:, :, 0], conv.weight.numpy())
    np.testing.assert_array_equal(image.bias.numpy(), conv.bias.numpy())
    assert Conv1d(2, 3, 3, dtype=torch.float64).weight.dtype == np.float64
    assert Conv1d(2, 3, 3, bias=False).bias is None
    assert [n for n, _ in Conv1d(2, 3, 3, bias=False).named_parameters()] == ["weight"]


def test_layers_and_functions_are_exported():
    assert nn.Conv1d is Conv1d and nn.MaxPool1d is MaxPool1d and nn.AvgPool1d is AvgPool1d
    assert nn.AdaptiveAvgPool1d is AdaptiveAvgPool1d and nn.AdaptiveMaxPool1d is AdaptiveMaxPool1d
    for name in ("conv1d", "max_pool1d", "avg_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool1d"):
        assert name in F.__all__ and callable(getattr(F, name))


def test_a_small_1d_network_matches_torch(torch):
    autograd.manual_seed(1)
    ours = nn.Sequential(Conv1d(2, 4, 3, padding=1, dtype=np.float64), nn.ReLU(), MaxPool1d(2),
                         Conv1d(4, 4, 3, padding="same", padding_mode="circular", dtype=np.float64),
                         AvgPool1d(2), AdaptiveMaxPool1d(3), nn.Flatten(), nn.Linear(12, 2, dtype=np.float64))
    theirs = torch.nn.Sequential(
        torch.nn.Conv1d(2, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool1d(2),
        torch.nn.Conv1d(4, 4, 3, padding="same", padding_mode="circular"), torch.nn.AvgPool1d(2),
        torch.nn.AdaptiveMaxPool1d(3), torch.nn.Flatten(), torch.nn.Linear(12, 2)).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict(theirs.state_dict())
    x = RNG.standard_normal((5, 2, 16))
    ((ours(Tensor(x)) ** 2).mean()).backward()
    ((theirs(torch.tensor(x)) ** 2).mean()).backward()
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------------------- pooling
# (L, kernel, stride, padding, dilation, ceil_mode)
MAX_POOL_CASES = [
    (8, 2, None, 0, 1, False),
    (9, 3, 2, 1, 1, False),
    (9, 3, 2, 1, 1, True),
    (10, 2, 3, 1, 2, True),
    (5, 2, 2, 1, 1, True),  # ceil would add a window starting in the trailing padding: dropped
    (7, (3,), (1,), (1,), (2,), False),
    (3, 4, 2, 0, 1, True),  # kernel longer than the input: only ceil_mode gives an output
    (12, 4, 3, 2, 3, True),
]


def _pool_input(L, batched=True, ties=False):
    shape = (2, 3, L) if batched else (3, L)
    x = RNG.standard_normal(shape)
    return np.round(x) if ties else x  # rounding makes ties, which go to the first maximum


def _compare_outputs(torch, ours, theirs, X, tx):
    """Outputs (and indices, for a pair) equal in shape, dtype and value; the input gradients too."""
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    for a, b in zip(ours, theirs):
        assert a.shape == tuple(b.shape) and a.dtype == b.detach().numpy().dtype
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = RNG.standard_normal(ours[0].shape)
    ours[0].backward(g)
    theirs[0].backward(torch.tensor(g))
    np.testing.assert_allclose(X.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("case", MAX_POOL_CASES)
def test_max_pool1d_matches_torch(torch, case, batched):
    L, k, s, p, d, ceil = case
    x = _pool_input(L, batched, ties=True)
    for as_layer in (False, True):
        X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        if as_layer:
            ours = MaxPool1d(k, s, p, d, return_indices=True, ceil_mode=ceil)
            theirs = torch.nn.MaxPool1d(k, s, p, d, return_indices=True, ceil_mode=ceil)
            assert repr(ours) == repr(theirs)
            _compare_outputs(torch, ours(X), theirs(tx), X, tx)
        else:
            _compare_outputs(torch, F.max_pool1d(X, k, s, p, d, ceil, return_indices=True),
                             torch.nn.functional.max_pool1d(tx, k, s, p, d, ceil, return_indices=True), X, tx)


def test_max_pool1d_nan_and_infinity_follow_torch(torch):
    x = np.array([[[1.0, np.nan, 3.0, np.nan, -np.inf, -np.inf, 2.0]]])
    y, i = F.max_pool1d(Tensor(x), 3, 2, 1, return_indices=True)
    ty, ti = torch.nn.functional.max_pool1d(torch.tensor(x), 3, 2, 1, return_indices=True)
    np.testing.assert_array_equal(y.numpy(), ty.numpy())
    np.testing.assert_array_equal(i.numpy(), ti.numpy())


# (L, kernel, stride, padding, ceil_mode, count_include_pad)
AVG_POOL_CASES = [
    (8, 2, None, 0, False, True),
    (9, 3, 2, 1, False, True),
    (9, 3, 2, 1, False, False),
    (9, 3, 2, 1, True, True),
    (10, 4, 3, 2, True, False),
    (5, 2, 2, 1, True, True),
    (7, (3,), (1,), (1,), False, False),
    (3, 4, 2, 0, True, True),
]


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("case", AVG_POOL_CASES)
def test_avg_pool1d_matches_torch(torch, case, batched):
    L, k, s, p, ceil, include = case
    x = _pool_input(L, batched)
    for as_layer in (False, True):
        X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        if as_layer:
            ours, theirs = AvgPool1d(k, s, p, ceil, include), torch.nn.AvgPool1d(k, s, p, ceil, include)
            assert repr(ours) == repr(theirs)
            _compare_outputs(torch, ours(X), theirs(tx), X, tx)
        else:
            _compare_outputs(torch, F.avg_pool1d(X, k, s, p, ceil, include),
                             torch.nn.functional.avg_pool1d(tx, k, s, p, ceil, include), X, tx)


# (L, output_size)
ADAPTIVE_CASES = [(10, 4), (10, 5), (7, 3), (5, 8), (6, 6), (9, 1), (1, 3), (8, (3,)), (11, 0)]


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("case", ADAPTIVE_CASES)
def test_adaptive_pool1d_matches_torch(torch, case, batched):
    L, size = case
    x = _pool_input(L, batched, ties=True)
    pairs = [
        (lambda X: F.adaptive_avg_pool1d(X, size),
         lambda t: torch.nn.functional.adaptive_avg_pool1d(t, size)),
        (lambda X: F.adaptive_max_pool1d(X, size, True),
         lambda t: torch.nn.functional.adaptive_max_pool1d(t, size, True)),
        (AdaptiveAvgPool1d(size), torch.nn.AdaptiveAvgPool1d(size)),
        (AdaptiveMaxPool1d(size, return_indices=True), torch.nn.AdaptiveMaxPool1d(size, return_indices=True)),
    ]
    for ours, theirs in pairs:
        if isinstance(ours, nn.Module):
            assert repr(ours) == repr(theirs)
        X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        y, ty = ours(X), theirs(tx)
        if size == 0:  # torch's backward refuses an empty output: values and shapes only
            y, ty = (y[0], ty[0]) if isinstance(y, tuple) else (y, ty)
            assert y.shape == tuple(ty.shape)
            continue
        _compare_outputs(torch, y, ty, X, tx)


def test_adaptive_average_keeps_inf_and_nan_in_their_bins(torch):
    # the bins are summed without multiplying anything by 0, so inf * 0 = NaN never spreads
    x = np.array([[[1.0, np.inf, 3.0, 4.0, np.nan, 6.0, -np.inf]]])
    for size in (2, 3, 5, 9):
        np.testing.assert_array_equal(F.adaptive_avg_pool1d(Tensor(x), size).numpy(),
                                      torch.nn.functional.adaptive_avg_pool1d(torch.tensor(x), size).numpy())
    image = np.arange(20.0).reshape(1, 1, 4, 5)
    image[0, 0, 1, 2], image[0, 0, 3, 0] = np.inf, np.nan
    for size in ((2, 3), (3, 2), (4, 2)):
        theirs = torch.nn.functional.adaptive_avg_pool2d(torch.tensor(image), size).numpy()
        np.testing.assert_array_equal(F.adaptive_avg_pool2d(Tensor(image), size).numpy(), theirs)


@pytest.mark.parametrize("fn, args", [
    (F.max_pool1d, (3, 2, 1)),
    (F.max_pool1d, (2, 1, 1, 2, True)),
    (F.avg_pool1d, (3, 2, 1, True, False)),
    (F.adaptive_avg_pool1d, (3,)),
    (F.adaptive_max_pool1d, (4,)),
])
def test_pool1d_first_and_second_derivatives(fn, args):
    x = RNG.standard_normal((2, 2, 7))
    assert gradcheck(lambda x: fn(x, *args), [x], eps=1e-6, atol=1e-6, rtol=1e-5)
    assert gradgradcheck(lambda x: fn(x, *args) ** 2, [x])


def test_pool_layers_keep_their_arguments_as_torch_shows_them(torch):
    pairs = [
        (MaxPool1d(2), torch.nn.MaxPool1d(2)),
        (MaxPool1d((3,), 1, (1,), 2, ceil_mode=True), torch.nn.MaxPool1d((3,), 1, (1,), 2, ceil_mode=True)),
        (AvgPool1d(3), torch.nn.AvgPool1d(3)),
        (AvgPool1d((4,), 2, 1, count_include_pad=False),
         torch.nn.AvgPool1d((4,), 2, 1, count_include_pad=False)),
        (AdaptiveAvgPool1d(5), torch.nn.AdaptiveAvgPool1d(5)),
        (AdaptiveMaxPool1d((5,)), torch.nn.AdaptiveMaxPool1d((5,))),
    ]
    for ours, theirs in pairs:
        assert repr(ours) == repr(theirs)
        for name in ("kernel_size", "stride", "padding", "dilation", "output_size"):
            assert getattr(ours, name, None) == getattr(theirs, name, None), name
        assert ours.state_dict() == {} and len(theirs.state_dict()) == 0


# ----------------------------------------------------------------------------------------- errors
def _x(*shape):
    return np.zeros(shape)


# (ours, torch's, a pattern our message must match from its start); torch must raise too
ERRORS = [
    ("conv1d 4-D input", lambda m, t: m.conv1d(t(_x(1, 2, 4, 10)), t(_x(3, 2, 3))),
     r"conv1d: got an input of shape \(1, 2, 4, 10\); expected \(N, C, L\) or \(C, L\)"),
    ("conv1d 1-D input", lambda m, t: m.conv1d(t(_x(10)), t(_x(3, 2, 3))),
     r"conv1d: got an input of shape \(10,\); expected \(N, C, L\) or \(C, L\)"),
    ("conv1d 4-D weight", lambda m, t: m.conv1d(t(_x(2, 2, 10)), t(_x(3, 2, 3, 1))),
     r"conv1d: weight has shape \(3, 2, 3, 1\); expected \(out_channels, in_channels / groups, k\)"),
    ("conv1d channels", lambda m, t: m.conv1d(t(_x(2, 4, 10)), t(_x(3, 2, 3))),
     r"conv1d: input of shape \(2, 4, 10\) \(read as N, C, L\) has 4 channels, but the weight of shape "
     r"\(3, 2, 3\) expects 2 input channels"),
    ("conv1d unbatched channels", lambda m, t: m.conv1d(t(_x(4, 10)), t(_x(3, 2, 3))),
     r"conv1d: input of shape \(4, 10\) \(read as an unbatched C, L\) has 4 channels"),
    ("conv1d stride pair", lambda m, t: m.conv1d(t(_x(2, 2, 10)), t(_x(3, 2, 3)), stride=(1, 2)),
     r"conv1d: got stride=\(1, 2\); expected an int or a tuple of one int"),
    ("conv1d stride 0", lambda m, t: m.conv1d(t(_x(2, 2, 10)), t(_x(3, 2, 3)), stride=0),
     r"conv1d: got stride=0; expected values >= 1"),
    ("conv1d negative padding", lambda m, t: m.conv1d(t(_x(2, 2, 10)), t(_x(3, 2, 3)), padding=-1),
     r"conv1d: got padding=-1; expected values >= 0"),
    ("conv1d same strided", lambda m, t: m.conv1d(t(_x(2, 2, 10)), t(_x(3, 2, 3)), stride=2, padding="same"),
     r"conv1d: padding='same' needs stride 1; got stride=\(2,\)"),
    ("conv1d padding string", lambda m, t: m.conv1d(t(_x(2, 2, 10)), t(_x(3, 2, 3)), padding="full"),
     r"conv1d: got padding='full'; expected an int, a tuple of one int, 'valid' or 'same'"),
    ("conv1d kernel too long", lambda m, t: m.conv1d(t(_x(2, 2, 10)), t(_x(3, 2, 11))),
     r"conv1d: input of length 10 with kernel 11, stride 1, padding 0, dilation 1 gives an output of size 0; "
     r"the \(dilated\) kernel, 11, must fit in the padded input, 10"),
    ("conv1d dilated kernel",
     lambda m, t: m.conv1d(t(_x(2, 2, 10)), t(_x(3, 2, 3)), dilation=5, padding=(0,)),
     r"conv1d: input of length 10 with kernel 3, stride 1, padding 0, dilation 5 .* kernel, 11, must fit"),
    ("conv1d groups", lambda m, t: m.conv1d(t(_x(2, 4, 10)), t(_x(5, 2, 3)), groups=2),
     r"conv1d: weight of shape \(5, 2, 3\) has 5 output channels; expected a multiple of groups=2"),
    ("conv1d groups 0", lambda m, t: m.conv1d(t(_x(2, 4, 10)), t(_x(4, 4, 3)), groups=0),
     r"conv1d: got groups=0; expected a positive int"),
    ("conv1d bias", lambda m, t: m.conv1d(t(_x(2, 2, 10)), t(_x(3, 2, 3)), t(_x(4))),
     r"conv1d: bias has shape \(4,\); expected \(3,\), one per output channel"),
    ("max_pool1d padding", lambda m, t: m.max_pool1d(t(_x(2, 3, 10)), 3, padding=2),
     r"max_pool1d: padding 2 is more than half the kernel 3; expected padding at most 1"),
    ("max_pool1d kernel pair", lambda m, t: m.max_pool1d(t(_x(2, 3, 10)), (3, 3)),
     r"max_pool1d: got kernel_size=\(3, 3\); expected an int or a tuple of one int"),
    ("max_pool1d kernel 0", lambda m, t: m.max_pool1d(t(_x(2, 3, 10)), 0),
     r"max_pool1d: got kernel_size=0; expected values >= 1"),
    ("max_pool1d 4-D", lambda m, t: m.max_pool1d(t(_x(1, 2, 3, 10)), 2),
     r"max_pool1d: got an input of shape \(1, 2, 3, 10\); expected \(N, C, L\) or \(C, L\)"),
    ("max_pool1d too long", lambda m, t: m.max_pool1d(t(_x(2, 3, 4)), 5),
     r"max_pool1d: input of length 4 with kernel 5, stride 5, padding 0, dilation 1 gives an output of "
     r"size 0"),
    ("avg_pool1d padding", lambda m, t: m.avg_pool1d(t(_x(2, 3, 10)), 3, padding=2),
     r"avg_pool1d: padding 2 is more than half the kernel 3; expected padding at most 1"),
    ("avg_pool1d too long", lambda m, t: m.avg_pool1d(t(_x(2, 3, 10)), 11),
     r"avg_pool1d: input of length 10 with kernel 11, stride 11, padding 0, dilation 1 gives an output of "
     r"size 0"),
    ("avg_pool1d 1-D", lambda m, t: m.avg_pool1d(t(_x(10)), 2),
     r"avg_pool1d: got an input of shape \(10,\); expected \(N, C, L\) or \(C, L\)"),
    ("adaptive_avg_pool1d pair", lambda m, t: m.adaptive_avg_pool1d(t(_x(2, 3, 10)), (2, 2)),
     r"adaptive_avg_pool1d: got output_size=\(2, 2\); expected an int or a tuple of one int"),
    ("adaptive_avg_pool1d None", lambda m, t: m.adaptive_avg_pool1d(t(_x(2, 3, 10)), None),
     r"adaptive_avg_pool1d: got output_size=None; expected an int or a tuple of one int"),
    ("adaptive_max_pool1d (None,)", lambda m, t: m.adaptive_max_pool1d(t(_x(2, 3, 10)), (None,)),
     r"adaptive_max_pool1d: got output_size=\(None,\); expected an int or a tuple of one int"),
    ("adaptive_avg_pool1d negative", lambda m, t: m.adaptive_avg_pool1d(t(_x(2, 3, 10)), -1),
     r"adaptive_avg_pool1d: got output_size=-1; expected sizes >= 0"),
    ("adaptive_max_pool1d empty", lambda m, t: m.adaptive_max_pool1d(t(_x(2, 3, 0)), 2),
     r"adaptive_max_pool1d: got an input of shape \(2, 3, 0\); expected a non-empty length"),
    ("adaptive_avg_pool1d 4-D", lambda m, t: m.adaptive_avg_pool1d(t(_x(1, 2, 3, 10)), 2),
     r"adaptive_avg_pool1d: got an input of shape \(1, 2, 3, 10\); expected \(N, C, L\) or \(C, L\)"),
]

# the layers: built and called in one go (PyTorch checks some arguments only when called)
LAYER_ERRORS = [
    ("Conv1d groups", lambda n, t: n.Conv1d(4, 6, 3, groups=4),
     r"Conv1d: got out_channels=6 with groups=4; expected out_channels divisible by groups"),
    ("Conv1d same strided", lambda n, t: n.Conv1d(4, 6, 3, stride=2, padding="same"),
     r"Conv1d: padding='same' needs stride 1; got stride=\(2,\)"),
    ("Conv1d padding mode", lambda n, t: n.Conv1d(4, 6, 3, padding_mode="mirror"),
     r"Conv1d: got padding_mode='mirror'; expected one of 'zeros', 'reflect', 'replicate', 'circular'"),
    ("Conv1d kernel pair", lambda n, t: n.Conv1d(4, 6, (3, 3))(t(_x(2, 4, 10))),
     r"Conv1d: got kernel_size=\(3, 3\); expected an int or a tuple of one int"),
    ("Conv1d kernel 0", lambda n, t: n.Conv1d(4, 6, 0)(t(_x(2, 4, 10))),
     r"Conv1d: got kernel_size=0; expected values >= 1"),
    ("Conv1d channels", lambda n, t: n.Conv1d(3, 6, 3)(t(_x(2, 4, 10))),
     r"Conv1d\(3, 6, kernel_size=\(3,\), stride=\(1,\)\): conv1d: input of shape \(2, 4, 10\) "
     r"\(read as N, C, L\) has 4 channels, but the layer expects 3 input channels"),
    ("Conv1d 4-D", lambda n, t: n.Conv1d(4, 6, 3)(t(_x(1, 2, 4, 10))),
     r"Conv1d\(4, 6, kernel_size=\(3,\), stride=\(1,\)\): conv1d: got an input of shape \(1, 2, 4, 10\); "
     r"expected \(N, C, L\) or \(C, L\)"),
    ("Conv1d reflect too wide",
     lambda n, t: n.Conv1d(4, 6, 3, padding=10, padding_mode="reflect")(t(_x(2, 4, 10))),
     r"Conv1d\(4, 6, .*padding_mode=reflect\): pad: reflect padding \(10, 10\) of dimension 2 needs "
     r"widths at most 9 for its size 10"),
    ("Conv1d too long", lambda n, t: n.Conv1d(4, 6, 11)(t(_x(2, 4, 10))),
     r"Conv1d\(4, 6, kernel_size=\(11,\), stride=\(1,\)\): conv1d: input of length 10 with kernel 11"),
    ("MaxPool1d kernel pair", lambda n, t: n.MaxPool1d((2, 2))(t(_x(2, 4, 10))),
     r"MaxPool1d: got kernel_size=\(2, 2\); expected an int or a tuple of one int"),
    ("MaxPool1d padding", lambda n, t: n.MaxPool1d(3, padding=2)(t(_x(2, 4, 10))),
     r"MaxPool1d\(kernel_size=3, stride=3, padding=2, dilation=1, ceil_mode=False\): max_pool1d: "
     r"padding 2 is more than half the kernel 3; expected padding at most 1"),
    ("AvgPool1d kernel pair", lambda n, t: n.AvgPool1d((2, 2))(t(_x(2, 4, 10))),
     r"AvgPool1d: got kernel_size=\(2, 2\); expected an int or a tuple of one int"),
    ("AvgPool1d too long", lambda n, t: n.AvgPool1d(12)(t(_x(2, 4, 10))),
     r"AvgPool1d\(kernel_size=\(12,\), stride=\(12,\), padding=\(0,\)\): avg_pool1d: input of length 10"),
    ("AdaptiveAvgPool1d pair", lambda n, t: n.AdaptiveAvgPool1d((2, 2))(t(_x(2, 4, 10))),
     r"AdaptiveAvgPool1d: got output_size=\(2, 2\); expected an int or a tuple of one int"),
    ("AdaptiveMaxPool1d None", lambda n, t: n.AdaptiveMaxPool1d(None)(t(_x(2, 4, 10))),
     r"AdaptiveMaxPool1d: got output_size=None; expected an int or a tuple of one int"),
    ("AdaptiveMaxPool1d 4-D", lambda n, t: n.AdaptiveMaxPool1d(2)(t(_x(1, 2, 4, 10))),
     r"AdaptiveMaxPool1d\(output_size=2\): adaptive_max_pool1d: got an input of shape \(1, 2, 4, 10\)"),
]


@pytest.mark.parametrize("name, call, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_function_errors_match_torch(torch, name, call, message):
    check_both_raise(call, (torch.nn.functional, torch.tensor), (F, Tensor), message)


@same_warning
@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors is a no-op")
@pytest.mark.parametrize("name, call, message", LAYER_ERRORS, ids=[e[0] for e in LAYER_ERRORS])
def test_layer_errors_match_torch(torch, name, call, message):
    check_both_raise(call, (torch.nn, torch.tensor), (nn, Tensor), message)


def test_the_same_arguments_work_in_both(torch):
    # what torch accepts, ours accepts: lists for tuples, numpy integers, 'valid' with any stride
    x = RNG.standard_normal((2, 4, 10))
    w = RNG.standard_normal((6, 2, 3))
    for options in (dict(stride=[2], padding=[1], dilation=[1], groups=2),
                    dict(stride=np.int64(2), groups=np.int64(2)), dict(padding="valid", stride=3, groups=2)):
        y = F.conv1d(Tensor(x), Tensor(w), **options)
        ty = torch.nn.functional.conv1d(torch.tensor(x), torch.tensor(w), **options)
        np.testing.assert_allclose(y.numpy(), ty.numpy(), rtol=1e-12, atol=1e-12)
    assert repr(MaxPool1d([2])) == repr(torch.nn.MaxPool1d([2]))
