"""``nn.functional.normalize``: values, first and second derivatives against PyTorch in float64, by hand,
and its argument errors."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import compare_with_torch

import nn.functional as F
from autograd import Tensor

RNG = np.random.default_rng(20240813)
X = RNG.standard_normal((3, 4, 2))


@pytest.mark.parametrize("p", [1, 2, 3.0, float("inf"), 0.5])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("eps", [1e-12, 1.5])
def test_values_and_derivatives_match_torch(torch, p, dim, eps):
    # eps=1.5 exceeds some of the norms, so the divisor is eps there
    compare_with_torch(torch, lambda x: F.normalize(x, p, dim, eps),
                       lambda x: torch.nn.functional.normalize(x, p, dim, eps), X)


@pytest.mark.parametrize("p", [1, 2, float("inf"), 0.5])
def test_zero_slices_stay_zero_with_torch_s_gradient(torch, p):
    # first order only: PyTorch's second derivative of a norm at zero is nan, the engine's is finite
    x = X.copy()
    x[1, :, 0] = 0.0
    compare_with_torch(torch, lambda t: F.normalize(t, p, 1),
                       lambda t: torch.nn.functional.normalize(t, p, 1), x, second_order=False)
    np.testing.assert_array_equal(F.normalize(Tensor(x), p, 1).numpy()[1, :, 0], 0.0)


def test_defaults_give_unit_rows_of_a_batch_by_hand():
    x = Tensor(np.array([[3.0, 4.0], [-1.0, 0.0]]), requires_grad=True)
    y = F.normalize(x)
    np.testing.assert_allclose(y.numpy(), [[0.6, 0.8], [-1.0, 0.0]], rtol=1e-15)
    y[0, 0].backward()
    # d(x0 / |x|)/dx = (|x|^2 e0 - x0 x) / |x|^3 = ([25, 0] - 3 [3, 4]) / 125
    np.testing.assert_allclose(x.grad.numpy()[0], [16 / 125, -12 / 125], rtol=1e-14)
    assert F.normalize(Tensor(np.ones((2, 3), dtype=np.float32)), dim=-1).dtype == np.float32


@pytest.mark.parametrize("kwargs, message", [
    (dict(p=0), r"normalize: got p=0; expected a positive number or inf"),
    (dict(p=-2), r"normalize: got p=-2; expected a positive number"),
    (dict(p="fro"), r"normalize: got p='fro'"),
    (dict(eps=-1.0), r"normalize: got eps=-1.0; expected a number >= 0"),
    (dict(dim=3), r"normalize: got dim=3; expected an int in \[-3, 2\] for an input of shape \(3, 4, 2\)"),
])
def test_bad_arguments_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        F.normalize(Tensor(X), **kwargs)
