"""Inputs that numpy would quietly turn into something else are refused with a message that says why."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor, grad, hessian, jacobian


def t64(values, requires_grad=True):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_a_list_holding_tensors_is_refused_instead_of_cut_from_the_graph():
    a = t64(np.ones(3))
    x = t64(np.ones((2, 3)))
    with pytest.raises(TypeError, match=r"got a list that holds Tensors; .*autograd\.stack"):
        x + [a]
    with pytest.raises(TypeError, match=r"Tensor: got a list that holds Tensors"):
        Tensor([a, a])
    with pytest.raises(TypeError, match=r"Tensor: got a list that holds Tensors"):
        autograd.tensor([[1.0, 2.0], [a.sum(), 3.0]])
    assert Tensor([[1.0, 2.0], [3.0, 4.0]]).shape == (2, 2)  # numbers are fine


def test_functional_inputs_must_be_numbers():
    with pytest.raises(TypeError, match=r"grad: argument 0 is None \(dtype object\); expected numbers"):
        grad(lambda v: (v * v).sum())(None)
    with pytest.raises(TypeError, match=r"jacobian: argument 0 is a tuple; pass several inputs"):
        jacobian(lambda v: v * 2, (np.ones(2), np.ones(2)))
    with pytest.raises(TypeError, match=r"hessian: argument 0 is a list; pass several inputs"):
        hessian(lambda v: (v * v).sum(), [np.ones(2), np.ones(2)])
    np.testing.assert_allclose(grad(lambda v: (v * v).sum())([1.0, 2.0]).data, [2.0, 4.0])  # a list: a vector


@pytest.mark.parametrize("inputs, message", [
    ([], r"backward: got inputs=\[\]; expected at least one tensor"),
    (["a"], r"backward: inputs\[0\] is 'a'; expected tensors that require grad"),
    ([Tensor([1.0])], r"backward: inputs\[0\] is a tensor that does not require grad"),
])
def test_backward_refuses_inputs_that_would_receive_nothing(inputs, message):
    x = t64([1.0, 2.0])
    with pytest.raises(ValueError, match=message):
        (x * 2).sum().backward(inputs=inputs)
    assert x.grad is None


def test_where_refuses_a_float_condition():
    x = t64([1.0, -2.0])
    with pytest.raises(TypeError, match=r"where: the condition has dtype float64; expected booleans"):
        autograd.where(x, x, x)
    assert autograd.where(Tensor(np.array([1, 0])), x, -x).tolist() == [1.0, 2.0]  # a 0/1 mask


def test_astype_refuses_non_numeric_dtypes():
    with pytest.raises(TypeError, match=r"astype: got dtype <U0; expected a floating-point"):
        t64([1.0]).astype(str)
