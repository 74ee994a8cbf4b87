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


def test_a_slice_of_a_large_gradient_does_not_keep_it_alive():
    x = Tensor(np.ones(10, np.float32), requires_grad=True)
    (autograd.cat([x, Tensor(np.ones(10_000, np.float32))]) * 2).sum().backward()
    assert x.grad.data.base is None or x.grad.data.base.nbytes <= 2 * x.grad.data.nbytes
    np.testing.assert_array_equal(x.grad.data, np.full(10, 2.0, np.float32))


def test_the_addends_of_a_fan_out_sum_are_let_go_at_once():
    # h feeds two ops: its two gradient pieces are summed, and neither may stay alive through the next
    # rule (tanh's), which would add an array of h's size to the pass's peak
    import tracemalloc

    x = Tensor(np.random.default_rng(0).standard_normal(200_000).astype(np.float32), requires_grad=True)
    h = x.tanh()
    loss = ((h * 2.0).exp() + (h * 3.0).sin()).sum()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start = tracemalloc.get_traced_memory()[0]
        loss.backward()
        peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    assert peak < 4.5 * x.data.nbytes, peak / x.data.nbytes


def test_a_recorded_seed_of_another_dtype_gives_the_leaf_its_own_dtype():
    # with create_graph the seed Tensor is used as it is (the gradient is a function of it), cast to the
    # output's dtype as a plain seed array is
    w = Tensor(np.ones(2, np.float32), requires_grad=True)
    v = Tensor(np.array([2.0, 3.0]), requires_grad=True)  # float64
    w.backward(v, create_graph=True)
    assert w.grad.dtype == np.float32 and w.grad.requires_grad
    np.testing.assert_array_equal(w.grad.data, [2.0, 3.0])
    w.grad.sum().backward()
    np.testing.assert_array_equal(v.grad.data, [1.0, 1.0])
