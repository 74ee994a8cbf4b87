"""Gradient hooks (Tensor.register_hook) and grad_fn, against torch."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import autograd
from autograd import Tensor, hooks

torch = pytest.importorskip("torch")

X = np.array([1.0, -2.0, 0.5])


def _pair():
    return Tensor(X.copy(), requires_grad=True), torch.tensor(X.copy(), requires_grad=True)


def _grads_agree(ours, theirs):
    assert ours is not None and theirs is not None
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-14)


def test_a_leaf_hook_replaces_each_pass_gradient_before_it_accumulates():
    x, tx = _pair()
    for t in (x, tx):
        t.register_hook(lambda g: g * 2)
        for _ in range(2):
            (t * t * t).sum().backward()
    _grads_agree(x.grad, tx.grad)


def test_an_interior_hook_changes_what_flows_on_and_what_it_retains():
    x, tx = _pair()
    results = []
    for t in (x, tx):
        h = t * 3
        h.retain_grad()
        h.register_hook(lambda g: g * 10)
        (h * h).sum().backward()
        results.append(h.grad)
    _grads_agree(*results)
    _grads_agree(x.grad, tx.grad)


def test_hooks_run_in_the_order_registered_and_see_the_summed_gradient():
    x, tx = _pair()
    seen = {"ours": [], "torch": []}
    for t, key in ((x, "ours"), (tx, "torch")):
        h = t.exp()
        h.register_hook(lambda g, key=key: seen[key].append(g.detach().numpy().copy()))
        h.register_hook(lambda g: g + 1.0)
        h.register_hook(lambda g, key=key: seen[key].append(g.detach().numpy().copy()))
        (h * h + h.sin()).sum().backward()  # h used twice: the hooks see the sum, once
    assert len(seen["ours"]) == len(seen["torch"]) == 2
    for a, b in zip(seen["ours"], seen["torch"]):
        np.testing.assert_allclose(a, b, rtol=1e-14)
    _grads_agree(x.grad, tx.grad)


def test_a_recorded_gradient_keeps_what_the_hook_saw():
    """The backward rules write into the arrays they get; a tensor a hook kept must not change."""
    x = Tensor(X.copy(), requires_grad=True)
    kept = []
    h = x.exp()  # exp's array rule multiplies its gradient by exp(x) in place
    h.register_hook(kept.append)
    (h * Tensor(X)).sum().backward()
    np.testing.assert_allclose(kept[0].numpy(), X)
    np.testing.assert_allclose(x.grad.numpy(), X * np.exp(X))


def test_removing_a_hook_stops_it():
    x, tx = _pair()
    for t in (x, tx):
        handle = t.register_hook(lambda g: g * 100)
        handle.remove()
        handle.remove()
        (t * t).sum().backward()
    _grads_agree(x.grad, tx.grad)
    with x.register_hook(lambda g: g * 0) as handle:
        assert isinstance(handle, hooks.RemovableHandle)
    x.grad = None
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * X)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_hooks_take_part_in_create_graph_as_in_torch():
    x, tx = _pair()
    for t in (x, tx):
        h = t * t
        h.register_hook(lambda g: g * g)
        (h * 3 * t).sum().backward(create_graph=True)
    _grads_agree(x.grad, tx.grad)
    first, tfirst = x.grad, tx.grad
    x.grad, tx.grad = None, None
    first.sum().backward()
    tfirst.sum().backward()
    _grads_agree(x.grad, tx.grad)


def test_backward_inputs_runs_the_hooks_of_the_inputs_like_torch():
    x, tx = _pair()
    w, tw = Tensor(X * 2, requires_grad=True), torch.tensor(X * 2, requires_grad=True)
    for t, u in ((x, w), (tx, tw)):
        t.register_hook(lambda g: g * 10)
        u.register_hook(lambda g: g * 100)
        (t * u).sum().backward(inputs=[t])
    _grads_agree(x.grad, tx.grad)
    assert w.grad is None and tw.grad is None


@pytest.mark.parametrize("with_leaf", [False, True], ids=["interior_alone", "interior_and_leaf"])
def test_backward_inputs_runs_the_hook_of_an_interior_input_like_torch(with_leaf):
    x, tx = _pair()
    results = []
    for t in (x, tx):
        y = t * 2
        y.register_hook(lambda g: g * 10)
        (y * y).sum().backward(inputs=[y, t] if with_leaf else [y], retain_graph=True)
        results.append(y.grad.clone())
        (y * y).sum().backward(inputs=[y])  # a second pass accumulates the hooked gradient again
        results.append(y.grad)
    _grads_agree(results[0], results[2])
    _grads_agree(results[1], results[3])
    if with_leaf:
        _grads_agree(x.grad, tx.grad)


def test_bad_hooks_and_bad_tensors_are_refused_like_torch():
    with pytest.raises(RuntimeError):
        torch.tensor([1.0]).register_hook(lambda g: g)
    with pytest.raises(RuntimeError, match="register_hook: cannot register a hook on a tensor that does not "
                                           "require grad"):
        autograd.tensor([1.0]).register_hook(lambda g: g)
    with pytest.raises(TypeError, match=r"register_hook: got a hook of type int \(3\); expected a callable"):
        autograd.tensor([1.0], requires_grad=True).register_hook(3)
    for make in (lambda g: g.sum(), lambda g: g.numpy(), lambda g: g.float()):
        x, tx = _pair()
        tx.register_hook(make)
        with pytest.raises((RuntimeError, TypeError)):
            (tx * tx).sum().backward()
        h = x * x
        h.register_hook(make)
        with pytest.raises((RuntimeError, TypeError), match="register_hook: hook '<lambda>' returned"):
            (h * 2).sum().backward(retain_graph=True)
        # the failed pass left the graph as it was: another pass without the hook works
        hooks.REGISTRY.pop(id(h))
        (h * 2).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), 4 * X)


def test_a_failing_leaf_hook_leaves_the_earlier_gradient():
    x = Tensor(X.copy(), requires_grad=True)
    (x * x).sum().backward()
    handle = x.register_hook(lambda g: g.sum())
    with pytest.raises(RuntimeError, match="register_hook"):
        (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * X)
    handle.remove()


@pytest.mark.parametrize("refers_to_its_tensor", [False, True], ids=["plain_hook", "hook_holding_tensor"])
def test_hooks_go_with_their_tensor(refers_to_its_tensor):
    x = Tensor(X.copy(), requires_grad=True)
    y = x * 2
    if refers_to_its_tensor:  # a cycle tensor -> hook -> tensor, which the garbage collector must break
        y.register_hook(lambda g, y=y: g * y.data)
    else:
        y.register_hook(lambda g: g)
    key, alive = id(y), weakref.ref(y)
    assert key in hooks.REGISTRY
    del x, y
    gc.collect()
    assert alive() is None
    assert key not in hooks.REGISTRY


def test_removing_the_last_hook_forgets_the_tensor():
    x = Tensor(X.copy(), requires_grad=True)
    first, second = x.register_hook(lambda g: g), x.register_hook(lambda g: g)
    first.remove()
    assert id(x) in hooks.REGISTRY
    second.remove()
    assert id(x) not in hooks.REGISTRY and not hasattr(x, "_hooks")


def test_grad_fn_names_the_operation_and_its_inputs():
    x = Tensor(X.copy(), requires_grad=True)
    y = (x * 2.0).exp() + Tensor(X)
    assert x.grad_fn is None and Tensor(X).grad_fn is None
    assert y.grad_fn.name() == "add"
    (exp_fn, _), (const, _) = y.grad_fn.next_functions
    assert exp_fn.name() == "exp" and const is None
    assert exp_fn.next_functions[0][0].name() == "mul"
    assert exp_fn.next_functions[0][0].next_functions == ((None, 0), (None, 0))
    assert repr(exp_fn) == "<exp backward>" and exp_fn == y._parents[0].grad_fn
