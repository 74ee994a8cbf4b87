"""Copying and pickling tensors and modules, as in PyTorch: deep copies of leaves only, and pickled or
shallow-copied tensors that keep their data and requires_grad but not their graph or gradient."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from nn.module import Parameter


def _graph():
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True, label="a")
    return a, a * 2.0


def test_deepcopy_of_a_computed_tensor_raises_naming_its_op():
    _, b = _graph()
    with pytest.raises(RuntimeError, match=r"deepcopy: got a tensor computed by 'mul'; expected a leaf"):
        copy.deepcopy(b)


def test_torch_refuses_that_deepcopy_too():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="graph leaves"):
        copy.deepcopy(torch.ones(2, requires_grad=True) * 2)


def test_deepcopy_of_a_leaf_copies_data_grad_and_flags():
    a, b = _graph()
    b.sum().backward()
    c = copy.deepcopy(a)
    assert c.is_leaf and c.requires_grad and c.label == "a"
    np.testing.assert_array_equal(c.data, [1.0, 2.0])
    np.testing.assert_array_equal(c.grad.data, [2.0, 2.0])
    assert not np.shares_memory(c.data, a.data) and not np.shares_memory(c.grad.data, a.grad.data)
    c.data += 1.0
    c.grad.data *= 0.0
    np.testing.assert_array_equal(a.data, [1.0, 2.0])
    np.testing.assert_array_equal(a.grad.data, [2.0, 2.0])


def test_deepcopy_of_a_leaf_with_a_recorded_gradient_keeps_its_values():
    x = Tensor(np.array([3.0]), requires_grad=True)
    (x * x).sum().backward(create_graph=True)
    assert not x.grad.is_leaf
    c = copy.deepcopy(x)
    assert c.grad.is_leaf and not c.grad.requires_grad
    np.testing.assert_array_equal(c.grad.data, [6.0])


def test_a_deepcopy_keeps_shared_arrays_shared():
    a = Tensor(np.array([1.0]), requires_grad=True)
    first, second = copy.deepcopy([a, a])
    assert first is second


def test_pickling_a_computed_tensor_gives_a_leaf_with_its_data():
    _, b = _graph()
    c = pickle.loads(pickle.dumps(b))
    assert c.is_leaf and c.requires_grad and c.grad is None
    np.testing.assert_array_equal(c.data, [2.0, 4.0])
    c.sum().backward()  # a leaf of its own
    np.testing.assert_array_equal(c.grad.data, [1.0, 1.0])


def test_pickling_a_leaf_drops_its_gradient_like_torch():
    a, b = _graph()
    b.sum().backward()
    c = pickle.loads(pickle.dumps(a))
    assert c.grad is None and c.requires_grad and c.label == "a" and c.dtype == a.dtype
    torch = pytest.importorskip("torch")
    t = torch.ones(2, requires_grad=True)
    (t * 2).sum().backward()
    u = pickle.loads(pickle.dumps(t))
    assert u.grad is None and u.requires_grad


def test_copy_copy_shares_the_data_and_drops_the_graph_like_torch():
    _, b = _graph()
    c = copy.copy(b)
    assert c.is_leaf and c.requires_grad and np.shares_memory(c.data, b.data)
    torch = pytest.importorskip("torch")
    t = torch.ones(2, requires_grad=True) * 2
    u = copy.copy(t)
    assert u.is_leaf and u.requires_grad and u.data_ptr() == t.data_ptr()


def test_modules_deepcopy_and_pickle_with_their_parameters():
    autograd.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    x = Tensor(np.ones((5, 3), dtype=np.float32))
    for other in (copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert all(type(p) is Parameter for p in other.parameters())
        for p, q in zip(net.parameters(), other.parameters()):
            np.testing.assert_array_equal(p.data, q.data)
            assert not np.shares_memory(p.data, q.data)
        other(x).sum().backward()
        assert all(p.grad is None for p in net.parameters())  # the copy trains on its own
        assert all(q.grad is not None for q in other.parameters())


def test_copies_keep_an_assigned_grad_and_flag_and_check_assignments_as_the_original_does():
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    a.grad = Tensor(np.array([5.0, 6.0]))
    a.requires_grad = False
    deep, pickled = copy.deepcopy(a), pickle.loads(pickle.dumps(a))
    assert not deep.requires_grad and not pickled.requires_grad
    np.testing.assert_array_equal(deep.grad.data, [5.0, 6.0])
    assert not np.shares_memory(deep.grad.data, a.grad.data)
    assert pickled.grad is None  # pickling drops the gradient, as in PyTorch
    for t in (deep, pickled):
        with pytest.raises(RuntimeError, match=r"^grad: got a Tensor of shape \(3,\)"):
            t.grad = Tensor(np.zeros(3))
        t.requires_grad = True
        t.grad = None
        (t * t).sum().backward()
        np.testing.assert_array_equal(t.grad.data, [2.0, 4.0])
