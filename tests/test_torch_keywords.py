"""PyTorch's keyword names (dim, keepdim) work wherever numpy's (axis, keepdims) do."""

import numpy as np
import pytest

import autograd as ag


@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "prod", "max", "min", "amax", "amin",
                                  "logsumexp", "softmax", "log_softmax"])
def test_reductions_accept_dim_and_keepdim(name):
    x = ag.tensor(np.arange(1.0, 13.0).reshape(3, 4), dtype="float64")
    by_numpy_names = getattr(ag, name)(x, axis=1, **({} if "softmax" in name else {"keepdims": True}))
    by_torch_names = getattr(x, name)(dim=1, **({} if "softmax" in name else {"keepdim": True}))
    if name in ("max", "min"):  # PyTorch's (values, indices) pair
        by_torch_names = by_torch_names.values
    np.testing.assert_array_equal(by_torch_names.numpy(), by_numpy_names.numpy())


def test_dim_gradient_matches_axis_gradient():
    data = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])
    a = ag.tensor(data, requires_grad=True)
    b = ag.tensor(data, requires_grad=True)
    a.logsumexp(dim=0).sum().backward()
    b.logsumexp(axis=0).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())
    softmax_col = np.exp(data) / np.exp(data).sum(axis=0)
    np.testing.assert_allclose(a.grad.numpy(), softmax_col, rtol=1e-12)


def test_cat_and_stack_accept_dim():
    x = ag.ones(2, 3)
    assert ag.cat([x, x], dim=1).shape == (2, 6)
    assert ag.stack([x, x], dim=0).shape == (2, 2, 3)


def test_both_spellings_at_once_is_refused():
    with pytest.raises(TypeError, match="sum: got both dim= and axis="):
        ag.ones(2, 2).sum(dim=0, axis=0)
