"""The random fills ``random_``, ``exponential_``, ``geometric_``, ``cauchy_`` and ``log_normal_``: their
draws cannot match torch's stream, so they are tested by distribution (support, and mean, variance or
quantiles within a few standard errors on large samples from a fixed seed), by the dtype they keep, and
against torch on which ranges and dtypes each takes and which calls raise.

Their rules as in-place methods (seeded, reproducible, refused on a tensor that requires grad while
recording, stamped for the backward pass's check) are tested with the older fills in
test_more_inplace_methods.py.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
from autograd import Tensor

N = 200_000  # one standard error of a mean is sigma / 447


def _fill(call, shape=(N,), dtype=np.float64, seed=0):
    autograd.manual_seed(seed)
    t = Tensor(np.zeros(shape, dtype=dtype))
    assert call(t) is t
    assert t.dtype == np.dtype(dtype) and t.shape == shape
    return t.numpy()


# ---------------------------------------------------------------------------------------------- random_


def test_random_draws_each_integer_of_from_to_with_equal_probability():
    x = _fill(lambda t: t.random_(3, 10))
    assert set(np.unique(x)) == set(range(3, 10))
    # discrete uniform on 7 values: mean 6, variance (7**2 - 1) / 12 = 4; standard errors 0.0045 and 0.008
    assert abs(x.mean() - 6) < 0.025 and abs(x.var() - 4) < 0.04
    frequencies = np.bincount(x.astype(np.int64))[3:] / N
    np.testing.assert_allclose(frequencies, 1 / 7, atol=0.004)  # 5 standard errors
    assert set(np.unique(_fill(lambda t: t.random_(4)))) == {0, 1, 2, 3}  # random_(to)
    assert set(np.unique(_fill(lambda t: t.random_(-2, to=1), dtype=np.int8))) == {-2, -1, 0}
    assert set(np.unique(_fill(lambda t: t.random_(**{"from": 5, "to": 7}), dtype=np.int16))) == {5, 6}


# the inclusive range of random_() with no arguments, as PyTorch's: an integer dtype's whole non-negative
# range, the exactly representable integers of a float dtype (2**digits), both values of bool
DEFAULT_RANGES = {
    "float16": 2**11, "float32": 2**24, "float64": 2**53, "int8": 127, "uint8": 255, "int16": 2**15 - 1,
    "int32": 2**31 - 1, "int64": 2**63 - 1, "bool": 1,
}


@pytest.mark.parametrize("dtype", sorted(DEFAULT_RANGES))
def test_random_without_bounds_covers_the_range_of_the_dtype_as_torch(dtype, torch):
    top = DEFAULT_RANGES[dtype]
    x = _fill(lambda t: t.random_(), dtype=dtype)
    torch.manual_seed(0)
    theirs = torch.zeros(N, dtype=getattr(torch, dtype)).random_()
    for sample in (x, theirs.numpy()):
        values = sample.astype(np.float64)
        assert values.min() >= 0 and values.max() <= top
        assert (values == np.round(values)).all()
        # uniform on [0, top]: mean top / 2, standard error about top / sqrt(12 N) = 0.00065 top
        assert abs(values.mean() / top - 0.5) < 0.005
    if top < N:  # every value shows up, the top one included
        assert x.max() == top and x.min() == 0


def test_random_from_without_to_runs_to_the_top_of_the_dtype_as_torch(torch):
    for lib in (autograd, torch):
        x = lib.zeros(N, dtype=lib.int8).random_(-5, None)
        assert x.min().item() == -5 and x.max().item() == 127
        assert lib.zeros(4, dtype=lib.int8).random_(127, None).tolist() == [127] * 4
        assert lib.zeros(4, dtype=lib.bool).random_(1, None).tolist() == [True] * 4
        y = lib.zeros(N, dtype=lib.int64).random_(-2**63, None)  # the whole of int64
        assert y.min().item() < -2**62 and y.max().item() > 2**62
    x = _fill(lambda t: t.random_(2**24 - 3, None), dtype=np.float32)
    assert set(np.unique(x)) == {2**24 - 3, 2**24 - 2, 2**24 - 1, 2**24}


@pytest.mark.parametrize("call", [
    lambda t: t.random_(0, 2**24 + 2),
    lambda t: t.random_(-2**24 - 1, 0),
])
def test_random_beyond_the_exact_integers_of_a_float_dtype_warns_as_torch(call, torch):
    with pytest.warns(UserWarning, match="out of bounds"):
        call(torch.zeros(10))
    with pytest.warns(UserWarning, match=r"^random_: .* is outside \[-16777216, 16777216\], the integers "
                                         r"that float32 holds exactly; draws beyond are rounded"):
        call(Tensor(np.zeros(10, np.float32)))


# ---------------------------------------------------------------------------------------------- others


@pytest.mark.parametrize("lambd", [1.0, 2.0, 0.25])
def test_exponential_has_mean_one_over_lambda_and_variance_its_square(lambd):
    x = _fill(lambda t: t.exponential_(lambd)) if lambd != 1.0 else _fill(lambda t: t.exponential_())
    mean, var = 1 / lambd, 1 / lambd**2
    assert x.min() >= 0
    # standard errors: mean / 447 for the mean, sqrt(8) var / 447 for the variance
    assert abs(x.mean() / mean - 1) < 0.012 and abs(x.var() / var - 1) < 0.035
    assert abs(np.mean(x > mean * np.log(2)) - 0.5) < 0.006  # the median, mean * ln 2


def test_exponential_of_an_infinite_rate_is_zero_as_torch(torch):
    assert torch.zeros(3).exponential_(float("inf")).tolist() == [0.0] * 3
    assert Tensor(np.ones(3)).exponential_(float("inf")).tolist() == [0.0] * 3


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int16"])
def test_geometric_counts_trials_to_the_first_success(dtype):
    p = 0.3
    x = _fill(lambda t: t.geometric_(p), dtype=dtype).astype(np.float64)
    assert x.min() == 1 and (x == np.round(x)).all()
    # mean 1 / p, variance (1 - p) / p**2 = 7.8: standard errors 0.0062 and about 0.05
    assert abs(x.mean() - 1 / p) < 0.035 and abs(x.var() - (1 - p) / p**2) < 0.3
    for k in (1, 2, 3):  # P(X = k) = (1 - p)**(k - 1) p, standard errors below 0.001
        assert abs(np.mean(x == k) - (1 - p) ** (k - 1) * p) < 0.005


def test_geometric_draws_past_the_range_of_the_dtype_are_stored_as_torch_stores_them(torch):
    for lib in (autograd, torch):
        small = lib.zeros(N, dtype=lib.int8).geometric_(1e-3)
        assert small.min().item() < 0  # draws above 127 wrap around
        assert lib.zeros(N, dtype=lib.float16).geometric_(1e-6).max().item() == float("inf")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and numpy's overflow is no warning
        Tensor(np.zeros(10, np.float16)).geometric_(1e-9)
        Tensor(np.zeros(10, np.float16)).log_normal_(20.0, 1.0)


@pytest.mark.parametrize("median, sigma", [(0.0, 1.0), (1.0, 2.0)])
def test_cauchy_has_its_median_and_quartiles_at_median_plus_minus_sigma(median, sigma):
    if (median, sigma) == (0.0, 1.0):
        x = _fill(lambda t: t.cauchy_())
    else:
        x = _fill(lambda t: t.cauchy_(median=median, sigma=sigma))
    # standard error of a quantile q: sqrt(q (1 - q) / N) / density(q); pi sigma / 894 at the median
    q25, q50, q75 = np.quantile(x, [0.25, 0.5, 0.75])
    assert abs(q50 - median) < 0.02 * sigma
    assert abs(q25 - (median - sigma)) < 0.03 * sigma and abs(q75 - (median + sigma)) < 0.03 * sigma
    assert np.abs(x - median).max() > 1000 * sigma  # heavy tails: no mean, no variance


@pytest.mark.parametrize("mean, std", [(1.0, 2.0), (0.5, 0.25)])
def test_log_normal_has_a_normal_logarithm_of_the_mean_and_std_asked_for(mean, std):
    if (mean, std) == (1.0, 2.0):  # the defaults
        x = _fill(lambda t: t.log_normal_())
    else:
        x = _fill(lambda t: t.log_normal_(mean, std))
    assert x.min() > 0
    logs = np.log(x)
    # standard errors: std / 447 for the mean, std / 632 for the standard deviation
    assert abs(logs.mean() - mean) < 0.012 * std and abs(logs.std() - std) < 0.01 * std


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_continuous_fills_keep_every_float_dtype(dtype):
    for call in (lambda t: t.exponential_(), lambda t: t.cauchy_(), lambda t: t.log_normal_(0.0, 1.0),
                 lambda t: t.geometric_(0.5), lambda t: t.random_(0, 100)):
        x = _fill(call, shape=(3, 4), dtype=dtype)
        assert x.dtype == np.dtype(dtype)


# ---------------------------------------------------------------------------------------------- errors

ERRORS = [
    (lambda L, t: t.exponential_(0.0), ValueError, r"^exponential_: got lambd=0.0; expected lambd > 0"),
    (lambda L, t: t.exponential_(-1.0), ValueError, r"^exponential_: got lambd=-1.0; expected lambd > 0"),
    (lambda L, t: t.exponential_(float("nan")), ValueError, r"^exponential_: got lambd=nan"),
    (lambda L, t: t.geometric_(0.0), ValueError,
     r"^geometric_: got p=0.0; expected a probability in \(0, 1\)"),
    (lambda L, t: t.geometric_(1.0), ValueError, r"^geometric_: got p=1.0; expected a probability"),
    (lambda L, t: t.geometric_(1.5), ValueError, r"^geometric_: got p=1.5"),
    (lambda L, t: t.cauchy_(0.0, 0.0), ValueError, r"^cauchy_: got sigma=0.0; expected sigma > 0"),
    (lambda L, t: t.cauchy_(0.0, -1.0), ValueError, r"^cauchy_: got sigma=-1.0; expected sigma > 0"),
    (lambda L, t: t.log_normal_(0.0, 0.0), ValueError, r"^log_normal_: got std=0.0; expected std > 0"),
    (lambda L, t: t.log_normal_(0.0, -1.0), ValueError, r"^log_normal_: got std=-1.0; expected std > 0"),
    (lambda L, t: t.random_(5, 5), ValueError, r"^random_: got from=5 and to=5; expected from < to"),
    (lambda L, t: t.random_(0), ValueError, r"^random_: got from=0 and to=0; expected from < to"),
    (lambda L, t: t.random_(-1), ValueError, r"^random_: got from=0 and to=-1; expected from < to"),
    (lambda L, t: t.to(L.uint8).random_(-3, 2), ValueError,
     r"^random_: got from=-3 for a tensor of dtype uint8; expected from in \[0, 255\]"),
    (lambda L, t: t.to(L.uint8).random_(0, 257), ValueError,
     r"^random_: got to=257 for a tensor of dtype uint8; expected to - 1 in \[0, 255\]"),
    (lambda L, t: t.to(L.int8).random_(-200, None), ValueError,
     r"^random_: got from=-200 for a tensor of dtype int8; expected from in \[-128, 127\]"),
    (lambda L, t: t.to(L.bool).random_(0, 3), ValueError,
     r"^random_: got to=3 for a tensor of dtype bool; expected to - 1 in \[0, 1\]"),
    (lambda L, t: t.to(L.float32).random_(2**24, None), ValueError,
     r"^random_: got from=16777216 and no to for a tensor of dtype float32; expected from < 16777216"),
    (lambda L, t: t.random_(2.5), TypeError, r"^random_: got to of type float \(2.5\); expected an int"),
    (lambda L, t: t.random_(True), TypeError, r"^random_: got to of type bool \(True\); expected an int"),
    (lambda L, t: t.random_(0, 5, 7), TypeError,
     r"^random_: got arguments \(0, 5, 7\) and keywords \[\]; expected random_\(\), random_\(to\) or "
     r"random_\(from, to\)"),
    (lambda L, t: t.geometric_(), TypeError, r"geometric_\(\) missing 1 required positional argument"),
    (lambda L, t: t.exponential_("2"), TypeError,
     r"^exponential_: got lambd of type str \('2'\); expected a number"),
]


@pytest.mark.parametrize("call, error, match", ERRORS)
def test_random_fills_refuse_what_torch_refuses(call, error, match, torch):
    with pytest.raises((RuntimeError, TypeError)):
        call(torch, torch.zeros(3, dtype=torch.float64))
    ours = Tensor(np.arange(3.0))
    with pytest.raises(error, match=match):
        call(autograd, ours)
    assert ours.tolist() == [0.0, 1.0, 2.0]  # unchanged


@pytest.mark.parametrize("name, call", [
    ("exponential_", lambda t: t.exponential_()), ("cauchy_", lambda t: t.cauchy_()),
    ("log_normal_", lambda t: t.log_normal_()),
])
def test_continuous_fills_need_a_floating_tensor_as_in_torch(name, call, torch):
    with pytest.raises((RuntimeError, NotImplementedError)):
        call(torch.zeros(3, dtype=torch.int64))
    with pytest.raises(TypeError, match=rf"^{name}: got a tensor of dtype int64; expected a floating-point"):
        call(Tensor(np.zeros(3, dtype=np.int64)))


def test_geometric_takes_integer_tensors_but_not_bool_as_torch(torch):
    assert torch.zeros(3, dtype=torch.int32).geometric_(0.5).dtype == torch.int32
    assert Tensor(np.zeros(3, np.int32)).geometric_(0.5).dtype == np.int32
    with pytest.raises(NotImplementedError):
        torch.zeros(3, dtype=torch.bool).geometric_(0.5)
    with pytest.raises(TypeError, match=r"^geometric_: got a tensor of dtype bool; expected an integer or "
                                        r"floating-point tensor"):
        Tensor(np.zeros(3, bool)).geometric_(0.5)


def test_random_fills_write_into_a_view_and_stamp_its_memory():
    base = Tensor(np.zeros((4, 3)))
    w = Tensor(np.ones(3), requires_grad=True)
    loss = (w * base[0]).sum()
    base[2:].exponential_()  # a view of rows 2 and 3: the memory mul read is stamped all the same
    assert (base.numpy()[:2] == 0).all() and (base.numpy()[2:] > 0).all()
    with pytest.raises(RuntimeError, match=r"'mul' needs the values of its second operand .* which "
                                           r"exponential_ changed in place"):
        loss.backward()
