"""Values changed in place between the forward and the backward pass (autograd.modifications): the
backward pass raises where its gradient would read them, as PyTorch's version counters make it raise,
and computes the gradient where no rule reads them."""

from __future__ import annotations

import gc
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor, Value, modifications, no_grad

W = np.array([0.5, -1.5, 2.0])
C = np.array([1.25, 0.75, -3.0])
M = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]])


def ours() -> SimpleNamespace:
    return SimpleNamespace(
        tensor=lambda data, requires_grad=False: Tensor(np.array(data, dtype=np.float64), requires_grad),
        no_grad=no_grad, sgd=nn.optim.SGD)


def theirs(torch: Any) -> SimpleNamespace:
    return SimpleNamespace(
        tensor=lambda data, requires_grad=False: torch.tensor(np.array(data), dtype=torch.float64,
                                                              requires_grad=requires_grad),
        no_grad=torch.no_grad, sgd=torch.optim.SGD)


# Each scenario builds a graph, changes something in place and runs backward; it returns the leaves
# whose gradients are compared when the pass succeeds.
def operand_of_mul_changed_under_no_grad(lib):
    w = lib.tensor(W, True)
    loss = (w * w).sum()
    with lib.no_grad():
        w.mul_(2.0)
    loss.backward()
    return [w]


def constant_operand_of_mul_changed(lib):
    w, c = lib.tensor(W, True), lib.tensor(C)
    loss = (w * c).sum()
    c.add_(1.0)
    loss.backward()
    return [w]


def constant_operand_of_matmul_changed_by_augmented_assignment(lib):
    w, m = lib.tensor(W, True), lib.tensor(M)
    loss = (m @ w).sum()
    m += 1.0
    loss.backward()
    return [w]


def output_of_exp_changed_under_no_grad(lib):
    w = lib.tensor(W, True)
    e = w.exp()
    with lib.no_grad():
        e.mul_(0.5)
    e.sum().backward()
    return [w]


def base_of_a_view_changed_by_assignment(lib):
    w, base = lib.tensor(W, True), lib.tensor(np.arange(6.0))
    loss = (w * base[1:4]).sum()
    base[5] = 10.0  # outside the part mul read; PyTorch's view shares one version counter all the same
    loss.backward()
    return [w]


def view_changed_after_its_base_was_used(lib):
    w, base = lib.tensor(W, True), lib.tensor(np.arange(3.0))
    loss = (w * base).sum()
    base[1:].fill_(4.0)
    loss.backward()
    return [w]


def graph_kept_then_operand_changed(lib):
    w, c = lib.tensor(W, True), lib.tensor(C)
    loss = (w * c).sum()
    loss.backward(retain_graph=True)
    c.zero_()
    loss.backward()
    return [w]


def optimizer_step_before_backward(lib):
    w = lib.tensor(W, True)
    opt = lib.sgd([w], lr=0.1)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    opt.step()
    loss.backward()
    return [w]


def constant_operand_of_add_changed(lib):
    w, c = lib.tensor(W, True), lib.tensor(C)
    loss = ((w + c) * w).sum()
    c.add_(5.0)
    loss.backward()
    return [w]


def operands_of_shape_ops_changed(lib):
    w, c, d, e = lib.tensor(W, True), lib.tensor(C), lib.tensor(M), lib.tensor(C)
    loss = (w - c.reshape(3, 1)[:, 0] + d.sum(0)).sum() + (w * w * e.clone()).sum()
    c.mul_(3.0)
    d.fill_(-1.0)
    e.add_(2.0)  # clone's rule reads nothing; mul reads the clone, which kept the old values
    loss.backward()
    return [w]


def changed_after_backward_then_recorded_again(lib):
    w, c = lib.tensor(W, True), lib.tensor(C)
    (w * c).sum().backward()
    c.mul_(2.0)
    (w * c).sum().backward()
    return [w]


def optimizer_step_between_training_steps(lib):
    w, c = lib.tensor(W, True), lib.tensor(C)
    opt = lib.sgd([w], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        (w * w * c).sum().backward()
        opt.step()
    (w * w * c).sum().backward()
    return [w]


RAISES = [operand_of_mul_changed_under_no_grad, constant_operand_of_mul_changed,
          constant_operand_of_matmul_changed_by_augmented_assignment, output_of_exp_changed_under_no_grad,
          base_of_a_view_changed_by_assignment, view_changed_after_its_base_was_used,
          graph_kept_then_operand_changed, optimizer_step_before_backward]
PASSES = [constant_operand_of_add_changed, operands_of_shape_ops_changed,
          changed_after_backward_then_recorded_again, optimizer_step_between_training_steps]


@pytest.mark.parametrize("scenario", RAISES, ids=lambda f: f.__name__)
def test_backward_through_values_changed_in_place_raises(scenario):
    with pytest.raises(RuntimeError, match=r"^backward: '\w+' needs the values of .* changed in place"):
        scenario(ours())


@pytest.mark.parametrize("scenario", RAISES, ids=lambda f: f.__name__)
def test_torch_raises_in_the_same_cases(scenario, torch):
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        scenario(theirs(torch))


@pytest.mark.parametrize("scenario", PASSES, ids=lambda f: f.__name__)
def test_changes_no_rule_reads_leave_the_gradient_as_torch_computes_it(scenario, torch):
    mine, reference = scenario(ours()), scenario(theirs(torch))
    for a, b in zip(mine, reference):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-14)


def test_the_gradient_of_a_pass_through_a_changed_add_operand_is_the_forward_one():
    # by hand: d/dw sum((w + c) * w) = 2w + c, with c as the forward pass saw it
    (w,) = constant_operand_of_add_changed(ours())
    np.testing.assert_allclose(w.grad.numpy(), 2 * W + C)


def test_the_error_names_the_op_the_operand_and_the_change():
    w, m = Tensor(W, requires_grad=True), Tensor(M.copy())
    loss = (m @ w).sum()
    m.add_(1.0)
    with pytest.raises(RuntimeError) as error:
        loss.backward()
    message = str(error.value)
    assert "'matmul'" in message and "first operand" in message and "add_" in message
    assert "float64, shape (2, 3)" in message and "clone()" in message


def test_the_output_of_the_op_is_named_when_it_changed():
    w = Tensor(W, requires_grad=True)
    out = w.sigmoid()
    with no_grad():
        out.sub_(1.0)
    with pytest.raises(RuntimeError, match="'sigmoid' needs the values of its own output"):
        out.sum().backward()


def test_a_refused_pass_changes_no_gradient_and_the_graph_stays_usable():
    w, c = Tensor(W, requires_grad=True), Tensor(C.copy())
    (w * 3.0).sum().backward()
    before = w.grad.numpy().copy()
    hidden = w * c
    hidden.retain_grad()
    loss = hidden.sum()
    c.mul_(2.0)
    with pytest.raises(RuntimeError):
        loss.backward()
    np.testing.assert_array_equal(w.grad.numpy(), before)
    assert hidden.grad is None
    # a graph recorded after the change differentiates as usual
    (w * c).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), before + 2 * C)


@pytest.mark.parametrize("change", [
    pytest.param(lambda p: nn.init.normal_(p), id="nn.init.normal_"),
    pytest.param(lambda p: nn.init.zeros_(p), id="nn.init.zeros_"),
    pytest.param(lambda p: p.__setitem__(0, 1.0), id="setitem"),
    pytest.param(lambda p: p.clamp_(-0.1, 0.1), id="clamp_"),
    pytest.param(lambda p: p.copy_(autograd.zeros(3, dtype=autograd.float64)), id="copy_"),
])
def test_every_in_place_write_of_a_parameter_is_seen(change):
    layer = nn.Linear(3, 2, dtype=np.float64)
    loss = layer(Tensor(np.ones((4, 3)))).sum()
    with no_grad():
        change(layer.weight)
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_load_state_dict_after_the_forward_pass_is_seen():
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh())
    loss = model(Tensor(np.ones((2, 3), dtype=np.float32))).sum()
    model.load_state_dict(nn.Sequential(nn.Linear(3, 2), nn.Tanh()).state_dict())
    with pytest.raises(RuntimeError, match="load_state_dict changed"):
        loss.backward()


def test_an_in_place_activation_of_a_saved_constant_is_seen():
    w, x = Tensor(W, requires_grad=True), Tensor(C.copy())
    loss = (w * x).sum()
    F.relu(x, inplace=True)
    with pytest.raises(RuntimeError, match=r"relu\(inplace=True\) changed"):
        loss.backward()


def test_value_graphs_are_unaffected_by_changes_to_tensors():
    t = Tensor(C.copy())
    x = Value(2.0)
    y = x * x + x.tanh()
    t.add_(1.0)  # changes recorded after the Value graph
    reshaped = Tensor(np.zeros((1, 3)))
    reshaped.squeeze_()
    y.backward()
    assert x.grad == pytest.approx(2 * 2.0 + 1 - np.tanh(2.0) ** 2)


def test_functional_grad_after_an_optimizer_step_uses_the_new_values():
    w = Tensor(W.copy(), requires_grad=True)
    opt = nn.optim.SGD([w], lr=0.5)
    (w * w).sum().backward()
    opt.step()  # w <- w - 0.5 * 2w = 0
    g = autograd.grad(lambda v: (v * v * v).sum())(w)
    np.testing.assert_allclose(g.numpy(), np.zeros(3), atol=0)


def test_the_record_of_changes_forgets_arrays_that_died():
    for _ in range(50):
        Tensor(np.ones(2)).add_(1.0)
    gc.collect()
    left = [entry for entry in modifications._CHANGED.values() if entry[2]() is None]
    assert left == []
    before = len(modifications._CHANGED)
    for _ in range(200):
        Tensor(np.ones(2)).mul_(2.0)
    assert len(modifications._CHANGED) <= before + 1


def test_owner_is_the_array_that_holds_the_memory():
    a = np.zeros((4, 3))
    for view in (a[1:], a.T, a.reshape(12)[::2], a[1:][:, 0]):
        assert modifications.owner(view) is a
    copy = a[[0, 1]]
    assert modifications.owner(copy) is copy


# An index, mask or condition an op saved for its backward pass is read when the pass runs, like an operand.
def index_of_gather_changed(lib):
    w, idx = lib.tensor(B2, True), lib.index([[0], [1]])
    out = w.gather(1, idx).sum()
    idx[0, 0] = 1
    out.backward()
    return [w]


def tensor_index_changed(lib):
    w, idx = lib.tensor(W, True), lib.index([0, 0, 2])
    out = w[idx].sum()
    idx[1] = 1
    out.backward()
    return [w]


def index_of_index_select_changed(lib):
    w, idx = lib.tensor(W, True), lib.index([0, 0])
    out = w.index_select(0, idx).sum()
    idx[0] = 1
    out.backward()
    return [w]


def condition_of_where_changed(lib):
    w, mask = lib.tensor(W, True), lib.mask([True, False, True])
    out = lib.where(mask, w, 0.0).sum()
    mask[1] = True
    out.backward()
    return [w]


def mask_of_masked_fill_changed(lib):
    w, mask = lib.tensor(W, True), lib.mask([True, False, False])
    out = w.masked_fill(mask, 0.0).sum()
    mask[1] = True
    out.backward()
    return [w]


B2 = np.array([[1.0, 2.0], [3.0, 4.0]])
SAVED_ARRAYS = [index_of_gather_changed, tensor_index_changed, index_of_index_select_changed,
                condition_of_where_changed, mask_of_masked_fill_changed]


def _with_indices(lib, torch=None):
    if torch is None:
        lib.index = lambda data: Tensor(np.array(data, dtype=np.int64))
        lib.mask = lambda data: Tensor(np.array(data, dtype=bool))
        lib.where = autograd.where
    else:
        lib.index = lambda data: torch.tensor(data, dtype=torch.int64)
        lib.mask = lambda data: torch.tensor(data, dtype=torch.bool)
        lib.where = torch.where
    return lib


@pytest.mark.parametrize("scenario", SAVED_ARRAYS, ids=lambda f: f.__name__)
def test_a_changed_index_mask_or_condition_is_refused_as_torch_refuses_it(scenario, torch):
    with pytest.raises(RuntimeError, match="needs the values of an array it saved"):
        scenario(_with_indices(ours()))
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        scenario(_with_indices(theirs(torch), torch))


def test_a_failed_write_leaves_no_stamp(torch):
    w, x = Tensor(W, requires_grad=True), Tensor(np.array([1, 2, 3]))
    loss = (w * x).sum()
    with pytest.raises(TypeError):
        x.add_(1.5)  # an int64 tensor cannot take a float result
    with pytest.raises(IndexError):
        x[7] = 1
    loss.backward()
    np.testing.assert_array_equal(w.grad.numpy(), [1.0, 2.0, 3.0])


def test_the_usual_training_loop_order_skips_the_check(monkeypatch):
    w = Tensor(W.copy(), requires_grad=True)
    opt = nn.optim.SGD([w], lr=0.1)
    calls = []
    monkeypatch.setattr(modifications, "check", lambda order: calls.append(len(order)))
    for _ in range(3):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()  # stamps w, after which the next graph is recorded
    assert calls == []
    loss = (w * w).sum()
    opt.step()
    loss.backward()
    assert calls == [2]
