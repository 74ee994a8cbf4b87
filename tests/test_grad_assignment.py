"""Assignments to ``Tensor.grad`` and ``Tensor.requires_grad`` are checked when they are made, as in PyTorch.

Each case is built twice from one description, with our Tensor and with torch's, so that the tables
below (written from what torch 2.13 does) are checked against torch itself wherever it is installed.
Reading the ``.grad`` of an interior tensor that does not keep its gradient warns, as in torch, and the
engine, the ops and nn never trigger that warning themselves.
"""

from __future__ import annotations

import copy
import pickle
import re
import warnings

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value, draw_graph, gradcheck, retain_grads
from nn import optim
from nn.module import Parameter

F32 = np.float32


class Ours:
    """Builds the tensors of a case with chaingrad."""

    @staticmethod
    def tensor(array, requires_grad=False):
        return Tensor(np.array(array), requires_grad=requires_grad)


class Torch:
    """Builds the same tensors with torch."""

    def __init__(self, torch):
        self.torch = torch

    def tensor(self, array, requires_grad=False):
        return self.torch.tensor(np.array(array), requires_grad=requires_grad)


def torch_builder():
    return Torch(pytest.importorskip("torch"))


def outcome(action):
    """None when ``action()`` runs, else the class of the exception it raises."""
    try:
        action()
    except Exception as exc:  # the class is what is compared
        return type(exc)
    return None


def f32(*shape):
    return np.zeros(shape, dtype=F32)


# ------------------------------------------------------------------ .grad
def _itself(L):
    x = L.tensor(f32(3), True)
    return x, x


# name: (build(L) -> (target, value), exception class (ours and torch's), what our message says)
GRAD_CASES = {
    "None": (lambda L: (L.tensor(f32(3), True), None), None, None),
    "same shape and dtype": (lambda L: (L.tensor(f32(3), True), L.tensor(np.ones(3, F32))), None, None),
    "numpy array": (lambda L: (L.tensor(f32(3), True), np.zeros(3, F32)), TypeError,
                    r"value of type numpy\.ndarray \(dtype float32, shape \(3,\)\)"),
    "python float": (lambda L: (L.tensor(f32(3), True), 1.5), TypeError, r"value of type float \(1\.5\)"),
    "list": (lambda L: (L.tensor(f32(3), True), [0.0, 0.0, 0.0]), TypeError,
             r"value of type list \(\[0\.0, 0\.0, 0\.0\]\)"),
    "other shape": (lambda L: (L.tensor(f32(3), True), L.tensor(f32(2, 3))), RuntimeError,
                    r"Tensor of shape \(2, 3\) and dtype float32"),
    "shape that broadcasts": (lambda L: (L.tensor(f32(3), True), L.tensor(f32(1, 3))), RuntimeError,
                              r"Tensor of shape \(1, 3\) and dtype float32"),
    "0-d for one element": (lambda L: (L.tensor(f32(1), True), L.tensor(f32())), RuntimeError,
                            r"Tensor of shape \(\) and dtype float32"),
    "float64 for float32": (lambda L: (L.tensor(f32(3), True), L.tensor(np.zeros(3))), RuntimeError,
                            r"Tensor of shape \(3,\) and dtype float64"),
    "int64 for float32": (lambda L: (L.tensor(f32(3), True), L.tensor(np.zeros(3, np.int64))), RuntimeError,
                          r"Tensor of shape \(3,\) and dtype int64"),
    "the tensor itself": (_itself, RuntimeError, r"the tensor itself"),
    "a grad that carries a graph": (
        lambda L: (L.tensor(f32(3), True), L.tensor(np.ones(3, F32), True) * 2), None, None),
    "a grad that requires grad": (lambda L: (L.tensor(f32(3), True), L.tensor(np.ones(3, F32), True)),
                                  None, None),
    "on a computed tensor": (lambda L: (L.tensor(f32(3), True) * 2, L.tensor(np.ones(3, F32))), None, None),
    "on a tensor that does not require grad": (lambda L: (L.tensor(f32(3)), L.tensor(np.ones(3, F32))),
                                               None, None),
    "int64 on an int64 tensor": (
        lambda L: (L.tensor(np.zeros(3, np.int64)), L.tensor(np.ones(3, np.int64))), None, None),
}


def _assign_grad(target, value):
    target.grad = value


@pytest.mark.parametrize("case", GRAD_CASES)
def test_grad_assignment(case):
    build, refused, message = GRAD_CASES[case]
    target, value = build(Ours)
    if refused is None:
        target.grad = value
        assert target.grad is value  # kept as it is, not copied or converted
        return
    with pytest.raises(refused) as error:
        target.grad = value
    if case == "the tensor itself":
        expected = rf"^grad: got {message}; expected another tensor"
    else:  # what was given, and what was expected: the target's shape and dtype
        want = re.escape(f"expected a Tensor of the tensor's shape {target.data.shape} and dtype "
                         f"{target.data.dtype}, or None")
        expected = rf"^grad: got a {message}; {want}"
    assert error.match(expected)
    assert target.grad is None  # nothing was stored


@pytest.mark.parametrize("case", GRAD_CASES)
def test_torch_accepts_and_refuses_the_same_grads_with_the_same_exceptions(case):
    build, refused, _ = GRAD_CASES[case]
    target, value = build(torch_builder())
    assert outcome(lambda: _assign_grad(target, value)) is refused


def test_deleting_grad_sets_it_to_none_as_in_torch():
    x = Tensor(np.ones(2), requires_grad=True)
    (x * x).sum().backward()
    del x.grad
    assert x.grad is None
    torch = pytest.importorskip("torch")
    t = torch.ones(2, requires_grad=True)
    (t * t).sum().backward()
    del t.grad
    assert t.grad is None


def test_a_wrong_shaped_grad_can_no_longer_be_broadcast_into_by_backward():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    with pytest.raises(RuntimeError, match="a gradient is never broadcast"):
        x.grad = Tensor(np.ones((2, 3)))  # once accepted: backward then summed into a (2, 3) gradient
    (x * x).sum().backward()
    assert x.grad.shape == (3,)
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0, 6.0])  # 2x, by hand


def test_backward_adds_to_an_assigned_grad():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    x.grad = Tensor(np.array([10.0, 20.0]))
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [12.0, 24.0])  # 10 + 2x, 20 + 2x


def test_a_gradient_recorded_by_create_graph_can_be_assigned_back_and_differentiated():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (x * x * x).sum().backward(create_graph=True)
    g = x.grad
    assert not g.is_leaf
    x.grad = None
    x.grad = g  # a gradient with a graph of its own fits: same shape and dtype
    assert x.grad is g
    np.testing.assert_array_equal(g.data, [3.0, 12.0])  # 3x^2
    x.grad = None
    g.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, 12.0])  # d/dx sum(3x^2) = 6x


# ------------------------------------------------------------------ .requires_grad
def _set_flag(t, flag):
    t.requires_grad = flag


def _del_flag(t):
    del t.requires_grad


def _method(flag):
    return lambda t: t.requires_grad_(flag)


def _attr(flag):
    return lambda t: _set_flag(t, flag)


def _float_leaf(L, requires_grad=False):
    return L.tensor(np.ones(2, F32), requires_grad)


def _computed(L):
    return L.tensor(np.ones(2, F32), True) * 2


# name: (build(L) -> tensor, action(t), our exception, torch's, our message, requires_grad afterwards)
FLAG_CASES = {
    "True on a float leaf": (_float_leaf, _attr(True), None, None, None, True),
    "False on a float leaf": (lambda L: _float_leaf(L, True), _attr(False), None, None, None, False),
    "True on an int leaf": (lambda L: L.tensor(np.ones(2, np.int64)), _attr(True), TypeError, RuntimeError,
                            r"^requires_grad: only floating-point tensors can require gradients; got dtype "
                            r"int64", False),
    "True on a bool leaf": (lambda L: L.tensor(np.ones(2, bool)), _attr(True), TypeError, RuntimeError,
                            r"^requires_grad: only floating-point .* got dtype bool", False),
    "requires_grad_() on an int leaf": (lambda L: L.tensor(np.ones(2, np.int64)), _method(True), TypeError,
                                        RuntimeError, r"^requires_grad_: only floating-point", False),
    "False on an int leaf": (lambda L: L.tensor(np.ones(2, np.int64)), _attr(False), None, None, None, False),
    "True on a computed tensor": (_computed, _attr(True), RuntimeError, RuntimeError,
                                  r"^requires_grad: can only change requires_grad of a leaf tensor; got one "
                                  r"computed by 'mul' \(it requires grad already", True),
    "False on a computed tensor": (_computed, _attr(False), RuntimeError, RuntimeError,
                                   r"^requires_grad: can only change .*'mul' \(use \.detach\(\)", True),
    "requires_grad_() on a computed tensor": (_computed, _method(True), None, None, None, True),
    "requires_grad_(False) on a computed tensor": (_computed, _method(False), RuntimeError, RuntimeError,
                                                   r"^requires_grad_: can only change .* \.detach\(\)", True),
    "True on a tensor computed from constants": (lambda L: _float_leaf(L) * 2, _attr(True), None, None,
                                                 None, True),
    "the int 1": (_float_leaf, _attr(1), TypeError, RuntimeError,
                  r"^requires_grad: got a value of type int \(1\); expected a bool", False),
    "a numpy bool": (_float_leaf, _attr(np.bool_(True)), TypeError, RuntimeError,
                     r"^requires_grad: got a value of type numpy\.bool.*; expected a bool", False),
    "None": (lambda L: _float_leaf(L, True), _attr(None), TypeError, RuntimeError,
             r"^requires_grad: got a value of type NoneType \(None\); expected a bool", True),
    "requires_grad_(1)": (_float_leaf, _method(1), TypeError, TypeError,
                          r"^requires_grad_: got a value of type int \(1\); expected a bool", False),
    "requires_grad_('yes')": (_float_leaf, _method("yes"), TypeError, TypeError,
                              r"^requires_grad_: got a value of type str \('yes'\)", False),
    "del": (lambda L: _float_leaf(L, True), _del_flag, AttributeError, RuntimeError, "requires_grad", True),
}


@pytest.mark.parametrize("case", FLAG_CASES)
def test_requires_grad_assignment(case):
    build, action, refused, _, message, after = FLAG_CASES[case]
    t = build(Ours)
    if refused is None:
        action(t)
    else:
        with pytest.raises(refused, match=message):
            action(t)
    assert t.requires_grad is after


@pytest.mark.parametrize("case", FLAG_CASES)
def test_torch_accepts_and_refuses_the_same_requires_grad_changes(case):
    build, action, ours, theirs, _, after = FLAG_CASES[case]
    t = build(torch_builder())
    assert outcome(lambda: action(t)) is theirs
    assert (theirs is None) == (ours is None)  # the same acceptance; the class differs only where noted
    assert t.requires_grad is after


def test_switching_requires_grad_decides_what_backward_reaches():
    x = Tensor(np.array([1.0, 2.0]))
    x.requires_grad = True
    w = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    w.requires_grad = False  # frozen: no longer recorded
    y = (x * w).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])  # w, by hand
    assert w.grad is None
    x.requires_grad = False
    assert not (x * w).requires_grad


# ------------------------------------------------------------------ nn
def test_parameters_check_assignments_and_keep_them_through_pickle_and_deepcopy():
    p = Parameter(np.array([1.0, 2.0], dtype=F32))
    with pytest.raises(RuntimeError, match=r"^grad: got a Tensor of shape \(3,\)"):
        p.grad = Tensor(np.ones(3, F32))
    with pytest.raises(TypeError, match=r"^requires_grad: got a value of type int"):
        p.requires_grad = 0
    p.grad = Tensor(np.array([5.0, 6.0], dtype=F32))
    p.requires_grad = False
    for q in (pickle.loads(pickle.dumps(p)), copy.deepcopy(p)):
        assert type(q) is Parameter and not q.requires_grad
        np.testing.assert_array_equal(q.grad.data, [5.0, 6.0])
        with pytest.raises(RuntimeError, match=r"^grad: got a Tensor of shape \(1,\)"):
            q.grad = Tensor(np.ones(1, F32))


def test_module_requires_grad_takes_a_bool_as_torch_does():
    lin = nn.Linear(2, 2)
    with pytest.raises(TypeError, match=r"^requires_grad_: got a value of type int \(0\)"):
        lin.requires_grad_(0)
    assert all(p.requires_grad for p in lin.parameters())
    lin.requires_grad_(False)
    assert not any(p.requires_grad for p in lin.parameters())
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.nn.Linear(2, 2).requires_grad_(0)


def test_a_frozen_parameter_is_skipped_by_the_optimizer_and_zero_grad_keeps_grads_valid():
    lin = nn.Linear(2, 1)
    w0, b0 = lin.weight.data.copy(), lin.bias.data.copy()
    lin.weight.requires_grad = False
    opt = optim.SGD(lin.parameters(), lr=0.5)
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], dtype=F32))
    lin(x).sum().backward()
    assert lin.weight.grad is None
    np.testing.assert_array_equal(lin.bias.grad.data, [2.0])  # d sum / d bias = the batch size
    opt.step()
    np.testing.assert_array_equal(lin.weight.data, w0)
    np.testing.assert_array_equal(lin.bias.data, b0 - F32(0.5) * F32(2.0))
    opt.zero_grad(set_to_none=False)
    lin.zero_grad(set_to_none=False)
    lin.bias.grad = lin.bias.grad  # what zero_grad left fits its parameter
    np.testing.assert_array_equal(lin.bias.grad.data, [0.0])


# ------------------------------------------------------------------ the warning
def _interior(L):
    return L.tensor(np.ones(2), True) * 2


def _retained(L):
    h = _interior(L)
    h.retain_grad()
    return h


def _assigned(L):
    h = _interior(L)
    h.grad = L.tensor(np.ones(2))
    return h


def _input_of_backward(L):
    h = _interior(L)
    (h * h).sum().backward(inputs=[h])
    return h


def _after_backward(L):
    h = _interior(L)
    (h * h).sum().backward()
    return h


# name: (build(L) -> tensor whose .grad is read, whether reading it warns)
WARN_CASES = {
    "a leaf": (lambda L: L.tensor(np.ones(2), True), False),
    "a leaf that does not require grad": (lambda L: L.tensor(np.ones(2)), False),
    "an interior tensor": (_interior, True),
    "an interior tensor after backward": (_after_backward, True),
    "an interior tensor that retains its gradient": (_retained, False),
    "an interior tensor with an assigned gradient": (_assigned, False),
    "an interior tensor named in backward(inputs=...)": (_input_of_backward, False),
    "a tensor computed from constants": (lambda L: L.tensor(np.ones(2)) * 2, False),
}


def _grad_warnings(t):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t.grad  # noqa: B018 - reading it is what is tested
    return [w for w in caught if issubclass(w.category, UserWarning) and "not a leaf" in str(w.message)]


@pytest.mark.parametrize("case", WARN_CASES)
def test_reading_grad_warns_only_where_it_can_never_be_filled(case):
    build, warns = WARN_CASES[case]
    caught = _grad_warnings(build(Ours))
    assert len(caught) == int(warns)
    if warns:
        message = str(caught[0].message)
        assert message.startswith("grad: read on a tensor computed by 'mul', which is not a leaf")
        assert "retain_grad()" in message
        assert caught[0].filename == __file__  # it points at the line that read .grad


@pytest.mark.parametrize("case", WARN_CASES)
def test_torch_warns_in_the_same_cases(case):
    build, warns = WARN_CASES[case]
    assert len(_grad_warnings(build(torch_builder()))) == int(warns)


def test_the_engine_ops_and_nn_never_warn_about_interior_gradients():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = Tensor(np.array([[1.0, -2.0], [0.5, 3.0]]), requires_grad=True, label="x")
        h = (x * 3).tanh()
        y = (h @ h).sum()
        y.backward(retain_graph=True)
        assert "grad" in draw_graph(y).source  # drawing reads every node's gradient
        y.backward(inputs=[x], retain_graph=True)
        autograd.zero_grad([h, y, x])
        retain_grads(y).backward()
        assert "grad" in draw_graph(y, show_grad=True).source
        copy.deepcopy(x)
        repr(h)
        assert gradcheck(lambda t: (t * t).sin().sum(), [np.array([0.5, -1.0])])
        g = autograd.grad(lambda t: (t.exp() * 2).sum())(np.array([0.0, 1.0]))
        np.testing.assert_allclose(g.data, 2 * np.exp([0.0, 1.0]), rtol=1e-15)
        model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        opt = optim.Adam(model.parameters(), lr=0.1)
        for _ in range(2):
            opt.zero_grad()
            nn.MSELoss()(model(Tensor(np.ones((4, 2), F32))), Tensor(np.zeros((4, 1), F32))).backward()
            opt.step()
        model.zero_grad(set_to_none=False)


# ------------------------------------------------------------------ Value
def test_value_grad_stays_a_plain_float_the_user_reads_and_writes():
    x = Value(3.0)
    x.grad = 1.0  # accumulated onto, as a leaf's gradient is
    (x * x).backward()
    assert x.grad == 1.0 + 2 * 3.0
    x.grad = 0.0
    y = x * x + x
    y.backward()
    assert (x.grad, y.grad) == (2 * 3.0 + 1.0, 1.0)
    autograd.zero_grad(x)
    assert x.grad == 0.0


@pytest.mark.parametrize("flag", [1, 0, np.bool_(True), None, "yes"], ids=repr)
def test_constructors_take_a_bool_requires_grad_only_as_torch(flag):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.tensor([1.0], requires_grad=flag)
    with pytest.raises(TypeError, match="Tensor: got requires_grad .*; expected a bool"):
        Tensor([1.0], requires_grad=flag)
    with pytest.raises(TypeError, match="expected a bool"):
        nn.Parameter(np.ones(2), requires_grad=flag)
