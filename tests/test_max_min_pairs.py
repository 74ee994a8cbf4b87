"""PyTorch's ``max(x, dim)`` / ``min(x, dim)``: the (values, indices) pair, against torch; numpy's
``axis=`` form keeps returning the values with the gradient shared among ties."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, ValuesIndices

# small integers: many ties, where the first index wins and the gradient goes to it alone
X = np.round(np.random.default_rng(7).standard_normal((3, 4, 5)))


def _call(lib, x, name, form, dim, keepdim):
    if form == "method":
        return getattr(x, name)(dim, keepdim)
    if form == "keywords":
        return getattr(x, name)(dim=dim, keepdim=keepdim)
    return getattr(lib, name)(x, dim, keepdim=keepdim)


@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize("form", ["method", "keywords", "function"])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_the_pair_its_indices_and_its_gradient_match_torch(torch, name, form, dim, keepdim):
    x = Tensor(X, requires_grad=True)
    t = torch.tensor(X, requires_grad=True)
    ours, theirs = _call(ag, x, name, form, dim, keepdim), _call(torch, t, name, form, dim, keepdim)
    assert isinstance(ours, ValuesIndices)
    np.testing.assert_array_equal(ours.values.numpy(), theirs.values.detach().numpy())
    np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    assert ours.indices.dtype == np.int64
    weights = np.random.default_rng(1).standard_normal(ours.values.shape)
    (ours.values * Tensor(weights)).sum().backward()
    (theirs.values * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-15)


def test_the_gradient_goes_to_the_first_maximum_by_hand():
    x = Tensor(np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]), requires_grad=True)
    values, indices = x.max(1)
    assert values.tolist() == [3.0, 2.0] and indices.tolist() == [1, 0]
    values.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])


def test_pytorch_idioms_give_pytorchs_answers():
    outputs = Tensor(np.array([[0.1, 2.0, -1.0], [3.0, 0.5, 0.2]]))
    _, predicted = ag.max(outputs, 1)  # the classifier tutorial's prediction
    assert predicted.tolist() == [1, 0]
    assert outputs.max(1)[0].tolist() == [2.0, 3.0]  # a DQN's target values
    centred = outputs - outputs.max(dim=1, keepdim=True)[0]
    np.testing.assert_allclose(centred.numpy(), [[-1.9, 0.0, -3.0], [0.0, -2.5, -2.8]])


def test_second_derivatives_through_the_selected_values(torch):
    x = Tensor(X[0], requires_grad=True)
    t = torch.tensor(X[0], requires_grad=True)
    (g,) = ag.grad((x.max(1).values ** 3).sum(), x, create_graph=True)
    (tg,) = torch.autograd.grad((t.max(1).values ** 3).sum(), t, create_graph=True)
    (h,) = ag.grad(g.sum(), x)
    (th,) = torch.autograd.grad(tg.sum(), t)
    np.testing.assert_allclose(h.numpy(), th.numpy())


def test_nan_is_the_maximum_and_its_index_is_returned(torch):
    data = np.array([[1.0, np.nan, 3.0], [np.nan, 2.0, np.nan]])
    for name in ("max", "min"):
        ours, theirs = getattr(Tensor(data), name)(1), getattr(torch.tensor(data), name)(1)
        np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
        np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())


@pytest.mark.parametrize("dim", [0, -1])
def test_a_0d_tensor_has_one_element_at_index_0(torch, dim):
    x = Tensor(np.array(2.5), requires_grad=True)
    values, indices = x.max(dim)
    theirs = torch.tensor(2.5).max(dim)
    assert values.item() == theirs.values.item() and indices.item() == theirs.indices.item() == 0
    values.backward()
    assert x.grad.item() == 1.0


def test_numpys_axis_form_keeps_returning_values_and_sharing_ties():
    x = Tensor(np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]), requires_grad=True)
    out = x.max(axis=1)
    assert isinstance(out, Tensor) and out.tolist() == [3.0, 2.0]
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0.0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    assert isinstance(x.max((0, 1)), Tensor) and isinstance(x.min(), Tensor)
    assert x.max(axis=None, keepdims=True).shape == (1, 1)


@pytest.mark.parametrize("call, error, message", [
    (lambda x: x.max(1, axis=1), TypeError, r"max: got both a dim \(1\) and axis=1"),
    (lambda x: x.min(dim=1, keepdim=True, keepdims=True), TypeError, "min: got both keepdim and keepdims="),
    (lambda x: x.max(1.5), TypeError, r"max: got dim=1.5; expected an int"),
    (lambda x: x.max(2), ValueError, "max: axis 2 is out of range"),
    (lambda x: x.max(1, keepdim="yes"), TypeError, r"max: got keepdims of type str \('yes'\)"),
    (lambda x: ag.zeros(0, 3).min(0), ValueError, r"min: got a tensor of shape \(0, 3\) with nothing"),
])
def test_bad_arguments_are_refused(call, error, message):
    with pytest.raises(error, match=message):
        call(Tensor(np.ones((2, 3))))


@pytest.mark.parametrize("shape, dim", [((0, 3), 1), ((2, 0, 4), 2), ((2, 0), 0)])
def test_an_empty_tensor_along_a_non_empty_dim_gives_empty_pairs_as_torch(torch, shape, dim):
    ours, theirs = ag.zeros(*shape).max(dim), torch.zeros(*shape).max(dim)
    assert ours.values.shape == tuple(theirs.values.shape) == ours.indices.shape
    assert ours.indices.dtype == np.int64
