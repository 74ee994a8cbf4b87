"""Pooling padding limits against PyTorch 2.13: max_pool2d / MaxPool2d and avg_pool2d / AvgPool2d accept
padding up to half the kernel size, ``2 * padding <= kernel_size`` on each axis, whatever the dilation,
and refuse more with an error naming the op, the padding and the limit; max_unpool2d / MaxUnpool2d set no
such limit but refuse a padding that makes the output size negative."""

from __future__ import annotations

import functools
import itertools
import re

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RNG = np.random.default_rng(20)
X = RNG.standard_normal((2, 3, 9, 10))


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _outcome(fn, *args, **kw):
    try:
        return fn(*args, **kw), None
    except (ValueError, RuntimeError) as err:
        return None, err


def _padding_message(op: str, padding, kernel) -> str:
    """Our refusal: the op, the padding as given and the limit kernel // 2 (per axis when they differ)."""
    p, k = _pair(padding), _pair(kernel)
    given = str(p[0]) if p[0] == p[1] else str(p)
    limit = (k[0] // 2, k[1] // 2)
    shown = str(limit[0]) if limit[0] == limit[1] else str(limit)
    return (rf"{op}: padding {re.escape(given)} is more than half the kernel {k[0]}x{k[1]}; expected padding "
            rf"at most {re.escape(shown)}")


KERNELS = [1, 2, 3, 4, (3, 1), (2, 4), (1, 3)]
PADDINGS = [0, 1, 2, 3, (1, 0), (0, 2), (2, 1), (1, 2)]
DILATIONS = [1, 2, 3, (2, 1)]


def _check_padding_limits(name: str, assert_same_values, **kw) -> None:
    """F.<name> against torch's on X for every kernel and padding (``kw`` the other keywords): both accept
    or both refuse, a padding beyond half the kernel is refused with our message, and an accepted one
    gives torch's values (``assert_same_values(ours, theirs, err_msg=...)``)."""
    refused_for_padding = 0
    for kernel, padding in itertools.product(KERNELS, PADDINGS):
        ref, torch_err = _outcome(getattr(TF, name), torch.tensor(X), kernel, padding=padding, **kw)
        got, err = _outcome(getattr(F, name), Tensor(X), kernel, padding=padding, **kw)
        case = (kernel, padding, *kw.values())
        assert (err is None) == (torch_err is None), (case, err, torch_err)
        if any(2 * p > k for p, k in zip(_pair(padding), _pair(kernel))):
            refused_for_padding += 1
            assert err is not None, case
            assert re.match(_padding_message(name, padding, kernel), str(err)), case
        elif err is None:
            assert_same_values(got.numpy(), ref.numpy(), err_msg=str(case))
    assert refused_for_padding > 0


@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("dilation", DILATIONS, ids=str)
def test_max_pool_accepts_and_refuses_the_padding_torch_does(dilation, ceil_mode):
    _check_padding_limits("max_pool2d", np.testing.assert_array_equal, dilation=dilation, ceil_mode=ceil_mode)


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("ceil_mode", [False, True])
def test_avg_pool_accepts_and_refuses_the_padding_torch_does(ceil_mode, count_include_pad):
    close = functools.partial(np.testing.assert_allclose, rtol=1e-12, atol=1e-15)
    _check_padding_limits("avg_pool2d", close, ceil_mode=ceil_mode, count_include_pad=count_include_pad)


@pytest.mark.parametrize("kernel, padding, dilation", [
    (3, 2, 2),          # the dilated kernel (5) would allow 2; torch's limit is 3 // 2 = 1
    (2, 2, 3),
    ((3, 1), (1, 1), 1),
    ((2, 4), (2, 1), (1, 2)),
    ((3, 3), (1, 2), (1, 3)),
])
def test_padding_beyond_half_the_kernel_is_refused_even_with_dilation(kernel, padding, dilation):
    with pytest.raises(RuntimeError, match="pad should be"):
        TF.max_pool2d(torch.tensor(X), kernel, padding=padding, dilation=dilation)
    message = _padding_message("max_pool2d", padding, kernel)
    with pytest.raises(ValueError, match=message):
        F.max_pool2d(Tensor(X), kernel, padding=padding, dilation=dilation)
    with pytest.raises(ValueError, match=message):
        F.max_pool2d(Tensor(X[0]), kernel, padding=padding, dilation=dilation, return_indices=True)
    pool = nn.MaxPool2d(kernel, padding=padding, dilation=dilation)  # as in torch, refused when called
    with pytest.raises(ValueError, match=r"^MaxPool2d\(.*\): " + message):
        pool(Tensor(X))
    if dilation == 1:
        with pytest.raises(ValueError, match=_padding_message("avg_pool2d", padding, kernel)):
            F.avg_pool2d(Tensor(X), kernel, padding=padding)
        with pytest.raises(ValueError, match=r"^AvgPool2d\(.*\): " + _padding_message("avg_pool2d", padding,
                                                                                          kernel)):
            nn.AvgPool2d(kernel, padding=padding)(Tensor(X))


@pytest.mark.parametrize("kernel, padding, dilation, ceil_mode", [
    (2, 1, 3, False),
    (3, 1, 3, True),
    ((2, 4), (1, 2), (3, 2), True),
    (4, 2, 2, False),
])
def test_padding_at_the_limit_with_dilation_matches_torch_in_value_indices_and_gradient(kernel, padding,
                                                                                         dilation, ceil_mode):
    x = RNG.standard_normal((2, 2, 11, 12))
    a, ta = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    out, idx = F.max_pool2d(a, kernel, padding=padding, dilation=dilation, ceil_mode=ceil_mode,
                            return_indices=True)
    ref, ref_idx = TF.max_pool2d(ta, kernel, padding=padding, dilation=dilation, ceil_mode=ceil_mode,
                                 return_indices=True)
    np.testing.assert_array_equal(out.numpy(), ref.detach().numpy())
    np.testing.assert_array_equal(idx.numpy(), ref_idx.numpy())
    seed = RNG.standard_normal(out.shape)
    out.backward(seed)
    ref.backward(torch.tensor(seed))
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("kernel, stride, padding",
                         [(2, 2, 1), (2, 1, 1), (1, 1, 1), (3, 2, 2), ((2, 1), 2, (2, 1))])
def test_max_unpool_takes_any_padding_torch_does(kernel, stride, padding):
    # no half-kernel limit in torch's unpooling: only the output size (H - 1) * s - 2 p + k matters
    x = RNG.standard_normal((1, 2, 4, 4))
    k, s, p = _pair(kernel), _pair(stride), _pair(padding)
    size = [(4 - 1) * si - 2 * pi + ki for ki, si, pi in zip(k, s, p)]
    plane = size[0] * size[1]
    indices = RNG.choice(plane, size=16, replace=False) if plane >= 16 else RNG.integers(0, plane, 16)
    indices = np.broadcast_to(indices.reshape(1, 1, 4, 4), (1, 2, 4, 4)).copy()
    ref = TF.max_unpool2d(torch.tensor(x), torch.tensor(indices), kernel, stride, padding)
    got = F.max_unpool2d(Tensor(x), indices, kernel, stride, padding)
    assert got.shape == tuple(ref.shape) == (1, 2, size[0], size[1])
    if plane >= 16:  # distinct indices: which duplicate wins is unspecified otherwise
        np.testing.assert_array_equal(got.numpy(), ref.numpy())
    layer = nn.MaxUnpool2d(kernel, stride, padding)
    assert layer(Tensor(x), indices).shape == got.shape


def test_max_unpool_refuses_a_padding_that_makes_the_output_size_negative():
    x, indices = np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), dtype=np.int64)
    with pytest.raises(ValueError, match="non-negative"):
        TF.max_unpool2d(torch.tensor(x), torch.tensor(indices), 1, padding=2)
    expected = (r"max_unpool2d: kernel 1x1, stride 1 and padding 2 give an output of size -2x-2 for a 2x2 "
                r"input .*; expected sizes >= 0")
    with pytest.raises(ValueError, match=expected):
        F.max_unpool2d(Tensor(x), indices, 1, padding=2)
    with pytest.raises(ValueError, match=r"^MaxUnpool2d\(.*\): " + expected):
        nn.MaxUnpool2d(1, padding=2)(Tensor(x), indices)
    with pytest.raises(ValueError, match=r"max_unpool2d: got output_size=\(-1, -1\); expected .* i\.e\. 0\."):
        F.max_unpool2d(Tensor(x), indices, 1, padding=1, output_size=(-1, -1))
