"""Max pooling's indices (``return_indices=True``), the entry its gradient goes to in windows of ties, NaN
and -inf, and max unpooling: against direct loops written here and against PyTorch (float64)."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest

import autograd
from autograd import Tensor, gradcheck, gradgradcheck
from nn.conv_ops import max_pool2d, max_unpool2d
from nn.layers.pool import MaxPool2d, MaxUnpool2d

RNG = np.random.default_rng(20240801)


@pytest.fixture(scope="module", autouse=True)
def _torch_on_one_thread():
    """PyTorch's thread pool costs milliseconds a call on these tiny tensors while pytest-xdist keeps every
    core busy; one thread makes the comparisons fast. The setting is restored afterwards."""
    try:
        import torch
    except ImportError:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


# ----------------------------------------------------------------------------------------- references
def _out_size(n, k, s, p, d, ceil_mode):
    span = n + 2 * p - d * (k - 1) - 1
    out = (math.ceil(span / s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= n + p:  # a last window may not start in the trailing padding
        out -= 1
    return out


def _window_entries(i, j, H, W, k, s, p, d):
    """The (row, col) input positions of window (i, j) in row-major scan order, padding left out."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = k, s, p, d
    rows = [i * sh - ph + a * dh for a in range(kh)]
    cols = [j * sw - pw + b * dw for b in range(kw)]
    return [(r, c) for r in rows for c in cols if 0 <= r < H and 0 <= c < W]


def loop_max_pool(x, kernel, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Output and flat indices by scanning every window: a NaN is taken whenever it is met (so the last NaN
    wins and nothing after it replaces it), otherwise only a strictly larger value replaces the first
    entry inside the input (so the first of tied maxima stays, and an all -inf window keeps its first
    entry)."""
    k = _pair(kernel)
    s = k if stride is None else _pair(stride)
    p, d = _pair(padding), _pair(dilation)
    N, C, H, W = x.shape
    Ho = _out_size(H, k[0], s[0], p[0], d[0], ceil_mode)
    Wo = _out_size(W, k[1], s[1], p[1], d[1], ceil_mode)
    out = np.empty((N, C, Ho, Wo))
    idx = np.empty((N, C, Ho, Wo), dtype=np.int64)
    for n, c, i, j in itertools.product(range(N), range(C), range(Ho), range(Wo)):
        best = None
        for r, col in _window_entries(i, j, H, W, k, s, p, d):
            v = x[n, c, r, col]
            if best is None or math.isnan(v) or (not math.isnan(best[0]) and v > best[0]):
                best = (v, r * W + col)
        out[n, c, i, j], idx[n, c, i, j] = best
    return out, idx


def loop_pool_grad(x_shape, idx, upstream):
    """Each upstream gradient added to the input entry its index names."""
    N, C, H, W = x_shape
    grad = np.zeros((N, C, H * W))
    for n, c in itertools.product(range(N), range(C)):
        for flat, g in zip(idx[n, c].ravel(), upstream[n, c].ravel()):
            grad[n, c, flat] += g
    return grad.reshape(x_shape)


def has_empty_window(H, W, kernel, stride, padding, dilation, ceil_mode):
    k, p, d = _pair(kernel), _pair(padding), _pair(dilation)
    s = k if stride is None else _pair(stride)
    Ho = _out_size(H, k[0], s[0], p[0], d[0], ceil_mode)
    Wo = _out_size(W, k[1], s[1], p[1], d[1], ceil_mode)
    return any(not _window_entries(i, j, H, W, k, s, p, d) for i in range(Ho) for j in range(Wo))


# ----------------------------------------------------------------------------------------- inputs
def ties(shape):
    """Small integers: nearly every window holds tied maxima."""
    return RNG.integers(-2, 3, shape).astype(np.float64)


def with_neg_inf(shape):
    """About two thirds -inf, so that many windows (with padding) hold nothing else."""
    x = ties(shape)
    x[RNG.random(shape) < 0.67] = -np.inf
    return x


def with_nan(shape):
    """Ties, -inf and a few NaNs, two or more in some windows."""
    x = with_neg_inf(shape) if RNG.random() < 0.5 else ties(shape)
    x[RNG.random(shape) < 0.15] = np.nan
    return x


INPUTS = {"ties": ties, "neg_inf": with_neg_inf, "nan": with_nan}


def _configs():
    """(kernel, stride, padding, dilation, ceil_mode) that PyTorch accepts (padding at most half the
    kernel) for a 7x6 input."""
    grid = itertools.product([2, 3, (2, 3)], [None, 1, (1, 2)], [0, 1, (1, 0)], [1, (2, 1)], [False, True])
    out = [c for c in grid if all(2 * p <= k for p, k in zip(_pair(c[2]), _pair(c[0])))]
    return out + [(1, None, 0, 1, False), (1, 2, 0, 3, True), (3, 2, 1, 2, True),
                  ((3, 2), (2, 3), 1, (1, 2), True)]


CONFIGS = _configs()


def _check_against_loops(x, config, batched=True):
    k, s, p, d, ceil = config
    X = Tensor(x if batched else x[0], requires_grad=True)
    y, idx = max_pool2d(X, k, s, p, d, ceil, return_indices=True)
    ref, ref_idx = loop_max_pool(x, k, s, p, d, ceil)
    if not batched:
        ref, ref_idx = ref[0], ref_idx[0]
    np.testing.assert_array_equal(y.numpy(), ref)  # NaN == NaN here
    assert idx.dtype == np.int64 and not idx.requires_grad and idx.shape == y.shape
    np.testing.assert_array_equal(idx.numpy(), ref_idx)
    seed = RNG.standard_normal(y.shape)
    y.backward(seed)
    ref_grad = loop_pool_grad(x.shape, ref_idx if batched else ref_idx[None], seed if batched else seed[None])
    np.testing.assert_allclose(X.grad.numpy(), ref_grad if batched else ref_grad[0], rtol=1e-12, atol=1e-12)
    return y, idx, seed, X.grad.numpy()


# ----------------------------------------------------------------------------------------- indices
@pytest.mark.parametrize("config", CONFIGS, ids=str)
@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_outputs_indices_and_gradients_match_loops_and_torch(kind, config):
    x = INPUTS[kind]((2, 2, 7, 6))
    k, s, p, d, ceil = config
    assert not has_empty_window(7, 6, k, s, p, d, ceil)  # PyTorch would read out of bounds
    y, idx, seed, grad = _check_against_loops(x, config)

    # the default path chooses the same entries
    X = Tensor(x, requires_grad=True)
    plain = max_pool2d(X, k, s, p, d, ceil)
    np.testing.assert_array_equal(plain.numpy(), y.numpy())
    plain.backward(seed)
    np.testing.assert_array_equal(X.grad.numpy(), grad)

    torch = pytest.importorskip("torch")
    tx = torch.tensor(x, requires_grad=True)
    ty, tidx = torch.nn.functional.max_pool2d(tx, k, s, p, d, ceil, return_indices=True)
    np.testing.assert_array_equal(y.numpy(), ty.detach().numpy())
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    ty.backward(torch.tensor(seed))
    np.testing.assert_allclose(grad, tx.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("config", [(3, 2, 1, 1, False), (2, 1, 1, 2, True),
                                    ((2, 3), (1, 2), (1, 0), 1, True)], ids=str)
def test_unbatched_input_gives_unbatched_indices(config):
    x = with_nan((1, 3, 7, 6))
    y, idx, _, _ = _check_against_loops(x, config, batched=False)
    assert y.shape == idx.shape and len(idx.shape) == 3
    torch = pytest.importorskip("torch")
    ty, tidx = torch.nn.functional.max_pool2d(torch.tensor(x[0]), *config, return_indices=True)
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())


def test_float32_and_integer_inputs_give_int64_indices():
    x = ties((1, 2, 5, 5))
    ref, ref_idx = loop_max_pool(x, 3, 2, 1)
    for a in (x.astype(np.float32), x.astype(np.int32)):
        y, idx = max_pool2d(Tensor(a), 3, 2, 1, return_indices=True)
        assert idx.dtype == np.int64
        np.testing.assert_array_equal(idx.numpy(), ref_idx)
        np.testing.assert_array_equal(y.numpy(), ref)


# ----------------------------------------------------------------------------------------- -inf and NaN
def test_all_neg_inf_window_sends_its_gradient_to_the_first_input_entry():
    x = np.full((1, 1, 3, 3), -np.inf)
    X = Tensor(x, requires_grad=True)
    y = max_pool2d(X, 3, 2, padding=1)
    np.testing.assert_array_equal(y.numpy(), np.full((1, 1, 2, 2), -np.inf))
    y.sum().backward()
    # windows start at rows/cols -1 and 1: their first entries inside the input are (0, 0), (0, 1),
    # (1, 0) and (1, 1); nothing is lost to the padding
    expected = np.zeros((3, 3))
    expected[:2, :2] = 1.0
    np.testing.assert_array_equal(X.grad.numpy()[0, 0], expected)


def test_neg_inf_window_next_to_finite_values_still_prefers_the_finite_maximum():
    x = np.array([[[[-np.inf, -np.inf, 2.0], [-np.inf, -np.inf, -np.inf]]]])
    X = Tensor(x, requires_grad=True)
    y, idx = max_pool2d(X, 2, 1, padding=1, ceil_mode=True, return_indices=True)
    ref, ref_idx = loop_max_pool(x, 2, 1, 1, ceil_mode=True)
    np.testing.assert_array_equal(y.numpy(), ref)
    np.testing.assert_array_equal(idx.numpy(), ref_idx)
    y.sum().backward()
    np.testing.assert_array_equal(X.grad.numpy(), loop_pool_grad(x.shape, ref_idx, np.ones(ref.shape)))
    assert X.grad.numpy().sum() == y.numpy().size  # every window's gradient reached the input


def test_nan_window_sends_its_gradient_to_its_last_nan():
    x = np.array([[[[np.nan, 2.0, np.nan], [np.nan, np.nan, 3.0], [1.0, 2.0, 3.0]]]])
    X = Tensor(x, requires_grad=True)
    y, idx = max_pool2d(X, 3, return_indices=True)
    assert np.isnan(y.item())
    assert idx.item() == 4  # (1, 1): the last NaN in row-major order
    y.sum().backward()
    expected = np.zeros((3, 3))
    expected[1, 1] = 1.0
    np.testing.assert_array_equal(X.grad.numpy()[0, 0], expected)


@pytest.mark.parametrize("kind", ["neg_inf", "nan"])
def test_second_derivatives_use_the_same_entries(kind):
    x = INPUTS[kind]((1, 2, 5, 5))
    _, ref_idx = loop_max_pool(x, 3, 2, 1)
    seed = RNG.standard_normal(ref_idx.shape)

    def pool_grad(s):  # a recorded backward pass: the scatter primitive, a function of the seed s
        return autograd.grad(lambda t: (max_pool2d(t, 3, 2, 1) * s).sum(), create_graph=True)(Tensor(x))

    with np.errstate(invalid="ignore"):  # the summed forward value, -inf * seed, may be inf - inf; unused
        g = pool_grad(Tensor(seed))
    np.testing.assert_allclose(g.numpy(), loop_pool_grad(x.shape, ref_idx, seed), rtol=1e-12, atol=1e-12)
    # differentiating the scatter w.r.t. the seed runs its adjoint, a gather at the same entries
    h = RNG.standard_normal(x.shape)
    with np.errstate(invalid="ignore"):
        gg = autograd.grad(lambda s: (pool_grad(s) * Tensor(h)).sum())(Tensor(seed))
    gathered = np.take_along_axis(h.reshape(1, 2, -1), ref_idx.reshape(1, 2, -1), axis=2)
    np.testing.assert_allclose(gg.numpy(), gathered.reshape(seed.shape), rtol=1e-12, atol=1e-12)


def test_gradcheck_with_ties_broken_by_position():
    x = RNG.permutation(50).reshape(1, 2, 5, 5) * 0.1
    for args in [(2, 1, 1), (3, 2, 1, 2, True)]:
        assert gradcheck(lambda t, a=args: max_pool2d(t, *a), [x])
        assert gradgradcheck(lambda t, a=args: max_pool2d(t, *a) ** 2, [x])


def test_return_indices_needs_an_input_entry_in_every_window():
    # rows -1 and 4 of a 4-row input: with dilation 5 the window skips the whole input
    x = Tensor(RNG.standard_normal((1, 1, 4, 3)), requires_grad=True)
    assert has_empty_window(4, 3, (2, 1), 1, (1, 0), (5, 1), False)
    with pytest.raises(ValueError, match=re.escape(
            "max_pool2d: with kernel 2x1, stride 1, padding (1, 0) and dilation (5, 1), the windows of "
            "output row 0 hold only padding of the 4x3 input; return_indices=True needs an input entry in "
            "every window")):
        max_pool2d(x, (2, 1), 1, (1, 0), (5, 1), return_indices=True)
    y = max_pool2d(x, (2, 1), 1, (1, 0), (5, 1))  # without indices: the maximum of nothing, no gradient
    np.testing.assert_array_equal(y.numpy(), np.full((1, 1, 1, 3), -np.inf))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((1, 1, 4, 3)))


# ----------------------------------------------------------------------------------------- the layer
def test_max_pool_layer_returns_indices():
    x = ties((2, 3, 6, 7))
    pool = MaxPool2d(3, 2, 1, 1, True, True)  # PyTorch's positional order: return_indices is the fifth
    assert pool.return_indices is True and pool.ceil_mode is True
    assert repr(pool) == "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)"
    y, idx = pool(Tensor(x))
    ref, ref_idx = loop_max_pool(x, 3, 2, 1, 1, True)
    np.testing.assert_array_equal(y.numpy(), ref)
    np.testing.assert_array_equal(idx.numpy(), ref_idx)
    assert isinstance(MaxPool2d(2)(Tensor(x)), Tensor)
    torch = pytest.importorskip("torch")
    assert repr(pool) == repr(torch.nn.MaxPool2d(3, 2, 1, 1, True, True))


# ----------------------------------------------------------------------------------------- unpooling
def loop_unpool(v, idx, out_hw):
    N, C = v.shape[:2]
    out = np.zeros((N, C, out_hw[0] * out_hw[1]))
    for n, c in itertools.product(range(N), range(C)):
        for flat, val in zip(idx[n, c].ravel(), v[n, c].ravel()):
            out[n, c, flat] = val
    return out.reshape(N, C, *out_hw)


UNPOOL_CASES = [  # (input H, W, kernel, stride, padding, output_size)
    (6, 6, 2, None, 0, None),
    (7, 6, 2, None, 0, (7, 6)),
    (7, 7, 3, 2, 1, None),
    (7, 6, 3, 2, 1, (1, 1, 7, 6)),
    (5, 7, (2, 3), (1, 2), (1, 0), None),  # overlapping windows: repeated indices
    (6, 6, 3, 1, 1, None),
]


@pytest.mark.parametrize("case", UNPOOL_CASES, ids=str)
def test_max_unpool_matches_loops_and_torch(case):
    H, W, k, s, p, output_size = case
    x = RNG.standard_normal((1, 2, H, W))
    y, idx = max_pool2d(Tensor(x), k, s, p, return_indices=True)
    V = Tensor(y.numpy(), requires_grad=True)
    out = max_unpool2d(V, idx, k, s, p, output_size)
    kh, kw = _pair(k)
    sh, sw = _pair(k if s is None else s)
    ph, pw = _pair(p)
    hw = tuple(output_size[-2:]) if output_size else ((y.shape[2] - 1) * sh - 2 * ph + kh,
                                                      (y.shape[3] - 1) * sw - 2 * pw + kw)
    np.testing.assert_array_equal(out.numpy(), loop_unpool(y.numpy(), idx.numpy(), hw))
    seed = RNG.standard_normal(out.shape)
    out.backward(seed)
    gathered = np.take_along_axis(seed.reshape(1, 2, -1), idx.numpy().reshape(1, 2, -1), axis=2)
    np.testing.assert_array_equal(V.grad.numpy(), gathered.reshape(y.shape))

    torch = pytest.importorskip("torch")
    tv = torch.tensor(y.numpy(), requires_grad=True)
    tout = torch.nn.functional.max_unpool2d(tv, torch.tensor(idx.numpy()), k, s, p, output_size)
    np.testing.assert_array_equal(out.numpy(), tout.detach().numpy())
    tout.backward(torch.tensor(seed))
    np.testing.assert_array_equal(V.grad.numpy(), tv.grad.numpy())


def test_max_unpool_gradcheck_and_unbatched():
    x = RNG.standard_normal((2, 6, 5))
    y, idx = max_pool2d(Tensor(x), 2, return_indices=True)
    assert gradcheck(lambda v: max_unpool2d(v, idx, 2, output_size=(6, 5)) ** 2, [y.numpy()])
    assert gradgradcheck(lambda v: max_unpool2d(v, idx, 2, output_size=(6, 5)) ** 2, [y.numpy()])
    out = max_unpool2d(y, idx, 2, output_size=(6, 5))
    assert out.shape == (2, 6, 5)
    np.testing.assert_array_equal(out.numpy(), loop_unpool(y.numpy()[None], idx.numpy()[None], (6, 5))[0])
    # the maxima are back where they were, so pooling again gives them
    np.testing.assert_array_equal(max_pool2d(Tensor(np.where(out.numpy() != 0, x, -np.inf)), 2).numpy(),
                                  y.numpy())


def test_max_unpool_layer():
    x = RNG.standard_normal((1, 1, 4, 4))
    unpool = MaxUnpool2d(2)
    assert repr(unpool) == "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"
    y, idx = MaxPool2d(2, return_indices=True)(Tensor(x))
    out = unpool(y, idx, output_size=(5, 5))
    np.testing.assert_array_equal(out.numpy(), loop_unpool(y.numpy(), idx.numpy(), (5, 5)))
    with pytest.raises(ValueError, match=re.escape("MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), "
                                                   "padding=(0, 0)): max_unpool2d: got output_size=(8, 8)")):
        unpool(y, idx, (8, 8))
    torch = pytest.importorskip("torch")
    assert repr(unpool) == repr(torch.nn.MaxUnpool2d(2))
    assert repr(MaxUnpool2d(3, 1, (1, 0))) == repr(torch.nn.MaxUnpool2d(3, 1, (1, 0)))


def test_max_unpool_errors():
    y = Tensor(RNG.standard_normal((1, 1, 2, 2)))
    good = np.array([[[[0, 3], [9, 14]]]])
    with pytest.raises(ValueError, match=re.escape(
            "max_unpool2d: got output_size=(6, 4); expected (H, W) or (N, C, H, W) with H and W within the "
            "stride of the default 4x4, i.e. 3..5 by 3..5")):
        max_unpool2d(y, good, 2, output_size=(6, 4))
    for bad_size in ((4,), (1, 4, 4), 4, (4.0, 4)):
        with pytest.raises(ValueError, match=re.escape(f"max_unpool2d: got output_size={bad_size!r}")):
            max_unpool2d(y, good, 2, output_size=bad_size)
    with pytest.raises(ValueError, match=re.escape(
            "max_unpool2d: got index 16; expected indices in [0, 16) for an output of size 4x4")):
        max_unpool2d(y, good + 2, 2)
    with pytest.raises(ValueError, match=re.escape(
            "max_unpool2d: got index -1; expected indices in [0, 16)")):
        max_unpool2d(y, good - 1, 2)
    with pytest.raises(ValueError, match=re.escape(
            "max_unpool2d: got indices of shape (1, 1, 4) and dtype int64; expected integers of the input's "
            "shape (1, 1, 2, 2)")):
        max_unpool2d(y, good.reshape(1, 1, 4), 2)
    with pytest.raises(ValueError, match=re.escape(
            "max_unpool2d: got indices of shape (1, 1, 2, 2) and dtype float64")):
        max_unpool2d(y, good.astype(np.float64), 2)
