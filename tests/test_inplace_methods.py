"""PyTorch's in-place methods (add_, mul_, fill_, copy_, clamp_, exp_, ...) against torch."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor

torch = pytest.importorskip("torch")

DATA = np.array([[0.5, -1.25, 2.0], [3.0, 0.75, -0.5]])
OTHER = np.array([1.5, -0.5, 4.0])


def _both(data=DATA):
    return Tensor(data.copy()), torch.tensor(data.copy())


@pytest.mark.parametrize("name, kwargs", [("add_", {}), ("add_", {"alpha": 0.5}), ("sub_", {}),
                                          ("sub_", {"alpha": -2}), ("mul_", {}), ("div_", {}), ("pow_", {})])
@pytest.mark.parametrize("operand", ["tensor", "number"])
def test_binary_methods_change_the_tensor_as_torch_does(name, kwargs, operand):
    ours, theirs = _both(np.abs(DATA))
    array = ours.data
    other = (Tensor(OTHER), torch.tensor(OTHER)) if operand == "tensor" else (1.5, 1.5)
    assert getattr(ours, name)(other[0], **kwargs) is ours
    getattr(theirs, name)(other[1], **kwargs)
    assert ours.data is array
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-15)


@pytest.mark.parametrize("name", ["neg_", "abs_", "exp_", "log_", "sqrt_", "sin_", "cos_", "tanh_",
                                  "sigmoid_", "relu_"])
def test_unary_methods_change_the_tensor_as_torch_does(name):
    data = np.abs(DATA) if name in ("log_", "sqrt_") else DATA
    ours, theirs = _both(data)
    array = ours.data
    assert getattr(ours, name)() is ours and ours.data is array
    getattr(theirs, name)()
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-14)


def test_fill_zero_copy_and_clamp_match_torch():
    for call in (lambda t: t.fill_(2.5), lambda t: t.zero_(), lambda t: t.clamp_(-1.0, 1.0),
                 lambda t: t.clamp_(max=0.6), lambda t: t.clamp_(min=0.0)):
        ours, theirs = _both()
        call(ours)
        call(theirs)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    ours, theirs = _both()
    ours.copy_(Tensor(OTHER))
    theirs.copy_(torch.tensor(OTHER))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_copy_and_fill_convert_dtypes_as_torch():
    ours, theirs = Tensor(np.zeros(3, dtype=np.int64)), torch.zeros(3, dtype=torch.int64)
    ours.copy_(Tensor(np.array([1.7, -2.7, 3.2])))
    theirs.copy_(torch.tensor([1.7, -2.7, 3.2]))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    ours.fill_(2.5)
    theirs.fill_(2.5)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_a_result_that_needs_another_dtype_is_refused_like_torch():
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2]).div_(2)
    with pytest.raises(TypeError, match="div_: cannot update a tensor of shape"):
        autograd.tensor([1, 2]).div_(2)
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2]).exp_()
    with pytest.raises(TypeError, match="exp_: the result, of dtype float64, cannot be stored"):
        autograd.tensor([1, 2]).exp_()


def test_shapes_that_do_not_broadcast_are_refused():
    with pytest.raises(ValueError, match="add_: cannot update a tensor of shape"):
        autograd.zeros(2, 3).add_(autograd.zeros(2))
    with pytest.raises(ValueError, match=r"copy_: got a value of shape \(2,\); expected one that broadcasts"):
        autograd.zeros(2, 3).copy_(autograd.zeros(2))
    with pytest.raises(ValueError, match="fill_: got a value of shape"):
        autograd.zeros(2).fill_(autograd.zeros(2))


def test_a_leaf_that_requires_grad_changes_under_no_grad_only_as_in_torch():
    ours = Tensor(DATA.copy(), requires_grad=True)
    theirs = torch.tensor(DATA.copy(), requires_grad=True)
    with pytest.raises(RuntimeError):
        theirs.mul_(2.0)
    with pytest.raises(RuntimeError, match=r"mul_: cannot change a tensor in place while gradients are "
                                           r"recorded.*`x \* y`"):
        ours.mul_(2.0)
    np.testing.assert_array_equal(ours.numpy(), DATA)
    with autograd.no_grad():
        ours.sub_(Tensor(OTHER), alpha=0.1).clamp_(-1.0, 1.0)
    with torch.no_grad():
        theirs.sub_(torch.tensor(OTHER), alpha=0.1).clamp_(-1.0, 1.0)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-15)
    assert ours.requires_grad


def test_recorded_tensors_and_operands_are_refused_with_the_out_of_place_form():
    x = Tensor(DATA.copy(), requires_grad=True)
    y = x * 2.0  # PyTorch would record y.add_(1); chaingrad does not record in-place operations
    for call, rewrite in ((lambda: y.add_(1.0), r"`x \+ alpha \* y`"), (lambda: y.exp_(), r"`x.exp\(\)`"),
                          (lambda: autograd.zeros(2, 3).copy_(y), r"`src.clone\(\)`"),
                          (lambda: autograd.zeros(2, 3).mul_(x), r"`x \* y`")):
        with pytest.raises(RuntimeError, match=rewrite):
            call()


def test_read_only_data_is_refused():
    view = autograd.zeros(3).expand(2, 3)
    with pytest.raises(ValueError, match="add_: this tensor's data is read-only"):
        view.add_(1.0)
    with pytest.raises(ValueError, match="zero_: this tensor's data is read-only"):
        view.zero_()


@pytest.mark.parametrize("name", ["add_", "sub_"])
def test_a_float_alpha_on_an_integer_tensor_is_refused_like_torch(name):
    with pytest.raises(RuntimeError):
        getattr(torch.tensor([1, 2]), name)(torch.tensor([1, 1]), alpha=2.5)
    x = autograd.tensor([1, 2])
    with pytest.raises(TypeError, match=f"{name}: got alpha=2.5 for a result of dtype int64; expected an "
                                        "integer alpha"):
        getattr(x, name)(autograd.tensor([1, 1]), alpha=2.5)
    assert x.tolist() == [1, 2]
    ours, theirs = autograd.tensor([1, 2]), torch.tensor([1, 2])
    getattr(ours, name)(autograd.tensor([1, 1]), alpha=3)
    getattr(theirs, name)(torch.tensor([1, 1]), alpha=3)
    assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("call", [lambda t: -t, lambda t: t.neg(), lambda t: t.neg_()],
                         ids=["-", "neg", "neg_"])
def test_negating_a_bool_tensor_is_refused_with_the_op_named_as_in_torch(call):
    with pytest.raises(RuntimeError):
        call(torch.tensor([True, False]))
    with pytest.raises(RuntimeError, match="neg: got a bool tensor; expected numbers"):
        call(autograd.tensor([True, False]))
