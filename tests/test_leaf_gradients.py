"""A leaf's (or a retained tensor's) .grad is an array of its own: writable, sharing memory with no other
gradient, and of the leaf's shape, whatever the op that produced it."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor


def t64(values, requires_grad=True):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


TWO_OPERANDS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "maximum": autograd.maximum,
    "minimum": autograd.minimum,
    "stack": lambda a, b: autograd.stack([a, b]),
    "cat": lambda a, b: autograd.cat([a, b]),
    "where": lambda a, b: autograd.where(Tensor(np.array([True, False, True])), a, b),
}


@pytest.mark.parametrize("name", sorted(TWO_OPERANDS))
def test_two_leaves_get_gradients_of_their_own(name):
    a, b = t64([1.0, 2.0, 3.0]), t64([3.0, 2.0, 1.0])
    TWO_OPERANDS[name](a, b).sum().backward()
    before = b.grad.numpy().copy()
    assert a.grad.data.flags.writeable and b.grad.data.flags.writeable
    a.grad.data *= 0.5  # in place, as gradient clipping does
    np.testing.assert_array_equal(b.grad.numpy(), before)
    assert not np.shares_memory(a.grad.data, b.grad.data)


def test_a_large_reduced_leaf_gets_a_writable_gradient():
    # the sum's rule broadcasts the gradient as a read-only view past 65,536 elements
    x = t64(np.ones((300, 300)))
    x.sum().backward()
    x.grad.data *= 0.5
    np.testing.assert_array_equal(x.grad.numpy(), np.full((300, 300), 0.5))


@pytest.mark.parametrize("make", [lambda x: x.reshape(4), lambda x: x.T, lambda x: x + 0.0],
                         ids=["reshape", "transpose", "add_constant"])
def test_a_leaf_does_not_share_the_gradient_a_retained_tensor_holds(make):
    x = t64(np.arange(4.0).reshape(2, 2))
    h = make(x)
    h.retain_grad()
    (h * h).sum().backward()
    expected_h = 2 * h.data
    x.grad.data[...] = 0.0
    np.testing.assert_array_equal(h.grad.numpy(), expected_h)


def test_an_empty_operand_broadcast_gets_a_gradient_of_its_own_shape():
    a, b = t64(np.ones(3)), t64(np.ones((0, 1)))
    (a + b).sum().backward()
    assert b.grad.shape == (0, 1)
    assert a.grad.shape == (3,)
    np.testing.assert_array_equal(a.grad.numpy(), np.zeros(3))  # summed over no rows


@pytest.mark.parametrize("view", [lambda t: t.reshape(6), lambda t: t.T.reshape(6),
                                  lambda t: t.astype(np.float64)], ids=["reshape", "transpose", "astype"])
def test_views_of_one_gradient_do_not_reach_two_leaves(view):
    x, y = t64(np.ones((2, 3))), t64(np.ones((2, 3)))
    out = view(x) + view(y)
    out.backward(np.ones(out.shape))
    assert not np.shares_memory(x.grad.data, y.grad.data)
    x.grad.data[...] = 5.0
    np.testing.assert_array_equal(y.grad.data, np.ones((2, 3)))
