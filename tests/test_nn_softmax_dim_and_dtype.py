"""The softmax family without a ``dim`` chooses as PyTorch does (dim 0 for 0-, 1- and 3-D inputs, dim 1
otherwise) and warns as PyTorch does; ``dtype=`` converts the input first."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

FUNCTIONS = ["softmax", "log_softmax", "softmin"]
MODULES = {"softmax": nn.Softmax, "log_softmax": nn.LogSoftmax, "softmin": nn.Softmin}
# PyTorch's choice, written out: the dimension used for an input of each number of dimensions
IMPLICIT_DIM = {0: 0, 1: 0, 2: 1, 3: 0, 4: 1, 5: 1}


def _by_hand(name: str, a: np.ndarray, dim: int) -> np.ndarray:
    z = -a if name == "softmin" else a
    e = np.exp(z - z.max(axis=dim, keepdims=True))
    s = e / e.sum(axis=dim, keepdims=True)
    return np.log(s) if name == "log_softmax" else s


def _input(ndim: int) -> np.ndarray:
    return np.random.default_rng(ndim).standard_normal((2, 3, 4, 2, 3)[:ndim])


def _recorded(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call()
    return out, caught


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("ndim", range(6))
def test_no_dim_uses_pytorchs_choice_and_warns(name, ndim):
    a = _input(ndim)
    expected = _by_hand(name, a, IMPLICIT_DIM[ndim])
    for call in (lambda: getattr(F, name)(autograd.tensor(a)),
                 lambda: getattr(F, name)(autograd.tensor(a), None),
                 lambda: MODULES[name]()(autograd.tensor(a))):
        out, caught = _recorded(call)
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
        assert len(caught) == 1 and caught[0].category is UserWarning
        assert str(caught[0].message).startswith(f"Implicit dimension choice for {name} has been deprecated")
        assert f"uses dim={IMPLICIT_DIM[ndim]} for this {ndim}-D input" in str(caught[0].message)
        assert caught[0].filename == __file__  # it points at the caller, not at nn's code


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("ndim", range(6))
def test_no_dim_matches_torch(torch, name, ndim):
    a = _input(ndim)
    ours, our_warnings = _recorded(lambda: MODULES[name]()(autograd.tensor(a)))
    theirs, their_warnings = _recorded(lambda: getattr(torch.nn, type(MODULES[name]()).__name__)()(
        torch.from_numpy(a)))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    assert [w.category for w in our_warnings] == [w.category for w in their_warnings]
    prefix = f"Implicit dimension choice for {name} has been deprecated"
    assert str(their_warnings[0].message).startswith(prefix)
    assert str(our_warnings[0].message).startswith(prefix)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_given_dim_does_not_warn(name):
    x = autograd.tensor(_input(3))
    _, caught = _recorded(lambda: (getattr(F, name)(x, 2), getattr(F, name)(x, dim=-1), MODULES[name](1)(x)))
    assert caught == []


def test_the_modules_repr_keeps_dim_none(torch):
    for name in FUNCTIONS:
        module = MODULES[name]()
        assert module.dim is None
        assert repr(module) == repr(getattr(torch.nn, type(module).__name__)())


@pytest.mark.parametrize("name", FUNCTIONS)
def test_dtype_converts_the_input_first(torch, name):
    a = _input(2).astype(np.float32)
    x = autograd.tensor(a, requires_grad=True)
    t = torch.tensor(a, requires_grad=True)
    weights = np.arange(a.size, dtype=np.float64).reshape(a.shape)
    for dtype in (autograd.float64, "float64", torch.float64):
        out = getattr(F, name)(x, 1, dtype=dtype)
        assert out.dtype == np.float64
    theirs = getattr(torch.nn.functional, name)(t, 1, dtype=torch.float64)
    np.testing.assert_allclose(out.numpy(), theirs.detach().numpy(), rtol=1e-12)
    (out * autograd.tensor(weights)).sum().backward()
    (theirs * torch.from_numpy(weights)).sum().backward()
    assert x.grad.dtype == np.float32  # the gradient comes back in the input's dtype
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_dtype_by_hand_and_on_integer_inputs(name):
    out = getattr(F, name)(autograd.tensor([1, 2]), 0, dtype="float64")
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), _by_hand(name, np.array([1.0, 2.0]), 0), rtol=1e-15)
    with pytest.raises(TypeError, match=rf"{name}: got dtype=.*int64.*; expected a floating dtype"):
        getattr(F, name)(autograd.tensor([1.0, 2.0]), 0, dtype="int64")


def test_dtype_positionally_after_stacklevel_as_torch(torch):
    a = _input(2)
    ours = F.softmax(autograd.tensor(a.astype(np.float32)), 1, 3, "float64")
    theirs = torch.nn.functional.softmax(torch.tensor(a.astype(np.float32)), 1, 3, torch.float64)
    assert ours.dtype == np.float64 and theirs.dtype == torch.float64
