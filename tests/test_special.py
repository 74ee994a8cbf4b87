"""erf_array, the vectorized error function behind the erf op and exact GELU, against math.erf."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor
from autograd.ops.special import erf_array

_math_erf = np.vectorize(math.erf, otypes=[np.float64])
REL_TOL = 4e-15  # the polynomials reach about 2e-15; double that leaves room for the platform's libm


def _relative_error(x: np.ndarray) -> np.ndarray:
    expected = _math_erf(x)
    return np.abs(erf_array(x) - expected) / np.abs(expected)


def test_matches_math_erf_on_a_dense_grid_across_every_piece_and_the_saturated_tail() -> None:
    # 0.25-wide pieces up to 6: a grid of step 1e-4 lands many points in each, and on their edges
    x = np.concatenate([np.linspace(-7.0, 7.0, 140_001), np.arange(1, 29) * 0.25,
                        -np.arange(1, 29) * 0.25])
    x = x[x != 0.0]
    assert _relative_error(x).max() <= REL_TOL


def test_keeps_relative_accuracy_for_tiny_inputs() -> None:
    x = np.concatenate([np.logspace(-300, -1, 3000), -np.logspace(-300, -1, 3000)])
    assert _relative_error(x).max() <= REL_TOL


@given(st.floats(min_value=-30.0, max_value=30.0, allow_nan=False).filter(lambda v: abs(v) > 1e-300))
def test_matches_math_erf_on_drawn_values(v: float) -> None:
    assert _relative_error(np.array([v]))[0] <= REL_TOL


def test_special_values() -> None:
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 6.0, -6.0, 1.7e308, 5e-324])
    out = erf_array(x)
    assert out[:2].tolist() == [0.0, 0.0] and math.copysign(1.0, out[1]) == -1.0  # erf(-0) is -0
    assert out[2:4].tolist() == [1.0, -1.0]
    assert math.isnan(out[4])
    assert out[5:8].tolist() == [math.erf(6.0), math.erf(-6.0), 1.0]
    assert out[8] == math.erf(5e-324)


def test_shape_and_dtype() -> None:
    x32 = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    out = erf_array(x32)
    assert out.shape == (3, 4) and out.dtype == np.float64
    assert np.allclose(out, _math_erf(x32.astype(np.float64)), rtol=REL_TOL, atol=0)
    assert erf_array(np.float64(0.5)).shape == ()
    assert erf_array(np.array([1, 2])).tolist() == pytest.approx([math.erf(1), math.erf(2)], rel=REL_TOL)


def test_the_erf_and_exact_gelu_ops_use_it() -> None:
    x = np.linspace(-8, 8, 1001)
    assert np.allclose(Tensor(x).erf().numpy(), _math_erf(x), rtol=REL_TOL, atol=0)
    gelu = 0.5 * x * (1.0 + _math_erf(x / math.sqrt(2.0)))
    # 1 + erf(x / sqrt 2) cancels for large negative x, in either formula: compare to |x| * eps there
    assert np.allclose(Tensor(x).gelu().numpy(), gelu, rtol=1e-14, atol=1e-14)
    x32 = x.astype(np.float32)
    assert Tensor(x32).gelu().dtype == np.float32 and Tensor(x32).erf().dtype == np.float32


# float32: a degree-5 table computed in float32. A degree-4 one reaches 2.9 float32 ulps on this grid.
ULPS_32 = 2.5


def _ulps_32(x: np.ndarray, got: np.ndarray) -> np.ndarray:
    expected = _math_erf(x.astype(np.float64))
    return np.abs(got.astype(np.float64) - expected) / np.spacing(np.abs(expected).astype(np.float32))


def test_float32_within_a_few_ulps_on_a_dense_grid_and_for_tiny_inputs() -> None:
    x = np.concatenate([np.linspace(-7.0, 7.0, 140_001), np.logspace(-44, 0, 3000),
                        -np.logspace(-44, 0, 3000)]).astype(np.float32)
    x = x[x != 0.0]
    got = erf_array(x, np.float32)
    assert got.dtype == np.float32
    assert _ulps_32(x, got).max() <= ULPS_32


def test_float32_special_values() -> None:
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 6.0, -6.0, 3e38], dtype=np.float32)
    out = erf_array(x, np.float32)
    assert out[:2].tolist() == [0.0, 0.0] and math.copysign(1.0, out[1]) == -1.0
    assert out[2:4].tolist() == [1.0, -1.0]
    assert math.isnan(out[4])
    assert out[5:].tolist() == [1.0, -1.0, 1.0]


def test_other_dtypes_are_refused_with_a_clear_error() -> None:
    with pytest.raises(TypeError, match="erf_array: got dtype=float16; expected float64 or float32"):
        erf_array(np.zeros(2), np.float16)


def test_float32_ops_compute_in_float32() -> None:
    x = np.linspace(-5, 5, 2001).astype(np.float32)
    assert _ulps_32(x, Tensor(x).erf().numpy()).max() <= ULPS_32
    gelu = 0.5 * x.astype(np.float64) * (1.0 + _math_erf(x.astype(np.float64) / math.sqrt(2.0)))
    assert np.allclose(Tensor(x).gelu().numpy(), gelu, rtol=1e-6, atol=1e-6)
