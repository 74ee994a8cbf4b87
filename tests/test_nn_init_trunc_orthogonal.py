"""nn.init.trunc_normal_ and nn.init.orthogonal_: the truncated normal's support, moments and distribution
function against closed forms (every proposal of the sampler: central, short, tail and far-tail
intervals), exact orthogonality, the uniform (Haar) distribution's first moments, seeding and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn import Linear, init
from nn.module import Parameter

N = 20000


def _mass(lo: float, hi: float) -> float:
    """P(lo <= Z <= hi) for a standard normal Z, computed on the side of zero that keeps tail digits."""
    if lo >= 0:
        return 0.5 * (math.erfc(lo / math.sqrt(2)) - math.erfc(hi / math.sqrt(2)))
    if hi <= 0:
        return _mass(-hi, -lo)
    return 0.5 * (math.erf(hi / math.sqrt(2)) - math.erf(lo / math.sqrt(2)))


def _pdf(z: float) -> float:
    return 0.0 if math.isinf(z) else math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def _z_pdf(z: float) -> float:
    return 0.0 if math.isinf(z) else z * _pdf(z)


def truncated_moments(mean, std, a, b):
    """The mean and variance of N(mean, std^2) conditioned on [a, b] (the textbook closed forms)."""
    lo, hi = (a - mean) / std, (b - mean) / std
    mass = _mass(lo, hi)
    shift = (_pdf(lo) - _pdf(hi)) / mass
    return mean + std * shift, std ** 2 * (1 + (_z_pdf(lo) - _z_pdf(hi)) / mass - shift ** 2)


# mean, std, a, b: central, shifted, tail, far tail, short, negative tail, half-line, untruncated, a
# medium interval off zero, a long interval far out
TRUNCATIONS = [(0.0, 1.0, -2.0, 2.0), (1.0, 0.5, 0.0, 3.0), (0.0, 1.0, 3.0, 5.0), (0.0, 1.0, 6.0, 100.0),
               (0.0, 1.0, 0.1, 0.2), (0.0, 2.0, -16.0, -10.0), (0.0, 1.0, -math.inf, 0.0),
               (2.0, 3.0, -math.inf, math.inf), (0.0, 1.0, 0.5, 1.5), (0.0, 1.0, 10.0, 10.2)]


@pytest.mark.parametrize("mean, std, a, b", TRUNCATIONS)
def test_trunc_normal_has_the_truncated_normal_s_support_moments_and_distribution(mean, std, a, b):
    autograd.manual_seed(11)
    w = init.trunc_normal_(np.zeros(N), mean, std, a, b)
    assert w.min() >= a and w.max() <= b
    expected_mean, expected_var = truncated_moments(mean, std, a, b)
    centred = w - w.mean()
    var = centred.var()
    # five standard errors: of the mean, and of the variance (from the sample's fourth moment)
    assert abs(w.mean() - expected_mean) < 5 * math.sqrt(expected_var / N)
    assert abs(var - expected_var) < 5 * math.sqrt((np.mean(centred ** 4) - var ** 2) / N)
    # the distribution function at its quartiles: within 0.02 (DKW: P(miss) < 2 exp(-2 N 0.02^2) ~ 2e-7)
    lo = (a - mean) / std
    for q in np.quantile(w, [0.25, 0.5, 0.75]):
        expected = _mass(lo, (q - mean) / std) / _mass(lo, (b - mean) / std)
        assert abs(np.mean(w <= q) - expected) < 0.02


def test_trunc_normal_keeps_the_dtype_shape_and_is_seeded():
    autograd.manual_seed(5)
    p = init.trunc_normal_(Parameter(np.zeros((30, 40), dtype=np.float32)), std=0.02, a=-0.03, b=0.03)
    assert p.dtype == np.float32 and p.shape == (30, 40)
    assert (abs(p.data) <= np.float32(0.03)).all() and len(np.unique(p.data)) > 1000
    autograd.manual_seed(5)
    again = init.trunc_normal_(Parameter(np.zeros((30, 40), dtype=np.float32)), std=0.02, a=-0.03, b=0.03)
    np.testing.assert_array_equal(p.data, again.data)


def test_trunc_normal_default_matches_torch_s_distribution(torch):
    # different generators: compare the moments of large samples, not draws
    ours = init.trunc_normal_(np.zeros(N))
    theirs = torch.nn.init.trunc_normal_(torch.zeros(N, dtype=torch.float64)).numpy()
    assert abs(ours.mean() - theirs.mean()) < 0.05 and abs(ours.std() - theirs.std()) < 0.03
    assert ours.min() >= -2 and ours.max() <= 2 and theirs.min() >= -2 and theirs.max() <= 2


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(a=1.0, b=1.0), ValueError, r"trunc_normal_: got a=1.0, b=1.0; expected a < b"),
    (dict(a=2.0, b=-2.0), ValueError, r"trunc_normal_: got a=2.0, b=-2.0; expected a < b"),
    (dict(std=0.0), ValueError, r"trunc_normal_: got mean=0.0, std=0.0; expected a finite mean and a finite "
                                r"std > 0"),
    (dict(mean=math.inf), ValueError, r"trunc_normal_: got mean=inf"),
    (dict(std="1"), TypeError, r"trunc_normal_: got std='1'; expected a number"),
])
def test_trunc_normal_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        init.trunc_normal_(np.zeros(3), **kwargs)


# ------------------------------------------------------------------------------------------ orthogonal
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (6, 2, 3, 3), (2, 8, 1), (1, 7), (7, 1)])
@pytest.mark.parametrize("gain", [1.0, 2.5])
def test_orthogonal_rows_or_columns_are_orthonormal(shape, gain):
    w = init.orthogonal_(np.zeros(shape), gain=gain)
    m = w.reshape(shape[0], -1)
    gram = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    np.testing.assert_allclose(gram, gain ** 2 * np.eye(min(m.shape)), atol=1e-12)


def test_orthogonal_float32_and_a_layer_weight():
    lin = Linear(16, 8)
    init.orthogonal_(lin.weight)
    w = lin.weight.data
    assert w.dtype == np.float32
    np.testing.assert_allclose(w.astype(np.float64) @ w.T, np.eye(8), atol=1e-6)


def test_orthogonal_is_uniform_in_its_first_moments():
    # for a uniformly random orthogonal 3x3 Q: E[Q] = 0 and E[Q_ij^2] = 1/3 for every entry; QR without
    # its sign fix gives a non-uniform Q whose diagonal has a nonzero mean
    autograd.manual_seed(2)
    draws = np.stack([init.orthogonal_(np.zeros((3, 3))) for _ in range(3000)])
    # each entry lies in [-1, 1] with variance 1/3: the standard error of a mean of 3000 is 0.0105
    assert np.abs(draws.mean(axis=0)).max() < 0.05
    np.testing.assert_allclose((draws ** 2).mean(axis=0), 1 / 3, atol=0.03)
    dets = np.linalg.det(draws)
    assert abs(dets.mean()) < 0.1  # rotations and reflections equally often


def test_orthogonal_is_seeded_and_leaves_empty_tensors_alone():
    autograd.manual_seed(4)
    a = init.orthogonal_(np.zeros((4, 6)))
    autograd.manual_seed(4)
    np.testing.assert_array_equal(init.orthogonal_(np.zeros((4, 6))), a)
    assert init.orthogonal_(Tensor(np.zeros((0, 3)))).shape == (0, 3)


def test_orthogonal_errors():
    with pytest.raises(ValueError, match=r"orthogonal_: got a tensor of shape \(3,\); expected at least 2 "
                                         r"dimensions"):
        init.orthogonal_(np.zeros(3))
    with pytest.raises(TypeError, match=r"orthogonal_: got an array of dtype int64; expected floating point"):
        init.orthogonal_(np.zeros((2, 2), dtype=np.int64))
