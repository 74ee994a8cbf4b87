"""Arrays and tensors mixed in numpy's operators and ufuncs (Tensor.__array_ufunc__)."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

A = np.array([1.5, -2.0, 3.0])
W = np.array([0.5, 1.25, -0.75])

# d/dw of sum(a op w), by hand
ARITHMETIC = [
    (operator.add, lambda a, w: np.ones_like(w)),
    (operator.sub, lambda a, w: -np.ones_like(w)),
    (operator.mul, lambda a, w: a),
    (operator.truediv, lambda a, w: -a / w ** 2),
    (operator.matmul, lambda a, w: a),
]


@pytest.mark.parametrize("op, derivative", ARITHMETIC, ids=lambda v: getattr(v, "__name__", ""))
def test_an_array_with_a_tensor_is_the_recorded_tensor_operation(op, derivative):
    w = Tensor(W, requires_grad=True)
    out = op(A, w)
    assert isinstance(out, Tensor) and out.requires_grad
    np.testing.assert_allclose(out.numpy(), op(A, W))
    out.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), derivative(A, W))


def test_an_array_to_the_power_of_a_tensor():
    a = np.abs(A)
    w = Tensor(W, requires_grad=True)
    (a ** w).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), a ** W * np.log(a))


@pytest.mark.parametrize("op", [operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne])
def test_comparisons_with_the_array_first_mirror_correctly(op):
    a = np.array([0.5, 2.0, -0.75])
    out = op(a, Tensor(W))
    assert isinstance(out, Tensor) and out.dtype == np.bool_
    np.testing.assert_array_equal(out.numpy(), op(a, W))


@pytest.mark.parametrize("op", [operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift,
                                operator.floordiv, operator.mod])
def test_integer_operators_with_the_array_first(op):
    a, b = np.array([5, 6, 7]), np.array([1, 2, 3])
    out = op(a, Tensor(b))
    assert isinstance(out, Tensor)
    np.testing.assert_array_equal(out.numpy(), op(a, b))


def test_pytorchs_update_through_data_updates_the_array_in_place():
    w = Tensor(W.copy(), requires_grad=True)
    array = w.data
    (w * w).sum().backward()
    w.data -= 0.1 * w.grad  # PyTorch's old idiom; numpy used to hand it to the tensor, making .data a Tensor
    assert w.data is array and type(w.data) is np.ndarray
    np.testing.assert_allclose(w.numpy(), W - 0.1 * 2 * W)
    total = np.zeros(3)
    total += w
    assert type(total) is np.ndarray
    np.testing.assert_allclose(total, w.numpy())


def test_other_ufuncs_work_on_the_data_and_give_arrays():
    w = Tensor(W, requires_grad=True)
    for result, expected in ((np.exp(w), np.exp(W)), (np.maximum(A, w), np.maximum(A, W)),
                             (np.add.reduce(w), np.add.reduce(W))):
        assert type(result) in (np.ndarray, np.float64)
        np.testing.assert_allclose(result, expected)


def test_a_ufunc_cannot_write_into_a_tensor():
    with pytest.raises(TypeError):
        np.add(A, A, out=(ag.zeros(3, dtype=ag.float64),))
