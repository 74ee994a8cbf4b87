"""Module backward hooks (``register_full_backward_hook``, ``register_full_backward_pre_hook``).

Each scenario is a function of a library namespace ``L`` (torch or chaingrad) that builds a module from
fixed weights, registers hooks that log what they are given, runs a backward pass and returns the log and
the gradients. The test runs it with both libraries and compares: which hooks ran, in which order, and
every gradient they saw, with None where torch gives None.
"""

from __future__ import annotations

import copy
import pickle
import types
import warnings

import numpy as np
import pytest

import autograd
import nn as cg_nn
from autograd import Tensor
from nn import Linear, ReLU, Sequential

torch = pytest.importorskip("torch")

TORCH = types.SimpleNamespace(torch=torch, nn=torch.nn, tensor=torch.tensor, grad=torch.autograd.grad)
OURS = types.SimpleNamespace(torch=autograd, nn=cg_nn, tensor=autograd.tensor, grad=autograd.grad)


def data(*shape: int, seed: int = 0) -> np.ndarray:
    return np.round(np.random.default_rng(seed).uniform(-2, 2, size=shape), 3)


def linear(L, n_in: int, n_out: int, seed: int = 0):
    """A Linear layer in float64 with fixed weights."""
    layer = L.nn.Linear(n_in, n_out).double()
    with L.torch.no_grad():
        layer.weight.copy_(L.tensor(data(n_out, n_in, seed=seed)))
        layer.bias.copy_(L.tensor(data(n_out, seed=seed + 1)))
    return layer


def arrays(grads) -> list:
    """A hook's tuple of gradients as numpy arrays (None kept)."""
    return [None if g is None else np.array(g.detach().numpy() if hasattr(g, "detach") else g.numpy())
            for g in grads]


def logger(log: list, name: str):
    """A pair of hooks that append (name, kind, gradients...) to ``log``."""
    def full(module, grad_input, grad_output):
        log.append((name, "full", arrays(grad_input), arrays(grad_output)))

    def pre(module, grad_output):
        log.append((name, "pre", arrays(grad_output)))

    return full, pre


def hooked(module, log: list, name: str, pre: bool = True):
    full, pre_hook = logger(log, name)
    module.register_full_backward_hook(full)
    if pre:
        module.register_full_backward_pre_hook(pre_hook)
    return module


# ------------------------------------------------------------------------------------------ scenarios
def linear_layer(L):
    log: list = []
    x = L.tensor(data(2, 3), requires_grad=True)
    layer = hooked(linear(L, 3, 4), log, "fc")
    (layer(x) * L.tensor(data(2, 4, seed=5))).sum().backward()
    return log, [x.grad, layer.weight.grad, layer.bias.grad]


def input_without_grad(L):
    log: list = []
    layer = hooked(linear(L, 3, 4), log, "fc")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both libraries warn that grad_input is all None
        (layer(L.tensor(data(2, 3))) ** 2).sum().backward()
    return log, [layer.weight.grad]


def make_two_in_two_out(L):
    class TwoInTwoOut(L.nn.Module):
        def forward(self, a, k, b):
            return a * k + b * b, a - b

    return TwoInTwoOut()


def several_inputs_one_output_used(L):
    log: list = []
    a, b = L.tensor(data(2, 3), requires_grad=True), L.tensor(data(2, 3, seed=1), requires_grad=True)
    first, _ = hooked(make_two_in_two_out(L), log, "m")(a, 2.0, b)
    (first * first).sum().backward()
    return log, [a.grad, b.grad]


def several_inputs_both_outputs_used(L):
    log: list = []
    a, b = L.tensor(data(2, 3), requires_grad=True), L.tensor(data(2, 3, seed=1))
    first, second = hooked(make_two_in_two_out(L), log, "m")(a, 3.0, b)
    (first.exp() + second * second).sum().backward()
    return log, [a.grad]


def input_used_outside_the_module(L):
    # grad_input counts the module's own use of x only
    log: list = []
    x = L.tensor(data(2, 3), requires_grad=True)
    layer = hooked(linear(L, 3, 2), log, "fc")
    (layer(x).sum() + (x * 5.0).sum()).backward()
    return log, [x.grad]


def sequential_order(L):
    log: list = []
    net = L.nn.Sequential(linear(L, 3, 4), L.nn.Tanh(), linear(L, 4, 2, seed=3))
    for i, module in enumerate(net):
        hooked(module, log, str(i))
    hooked(net, log, "net")
    x = L.tensor(data(5, 3), requires_grad=True)
    net(x).pow(2).mean().backward()
    return log, [x.grad]


def module_called_twice(L):
    log: list = []
    layer = hooked(linear(L, 3, 3), log, "fc")
    x = L.tensor(data(2, 3), requires_grad=True)
    layer(layer(x).tanh()).sum().backward()
    return log, [x.grad, layer.weight.grad]


def identity_module(L):
    class Same(L.nn.Module):
        def forward(self, a):
            return a

    log: list = []
    x = L.tensor(data(4), requires_grad=True)
    (hooked(Same(), log, "same")(x) * 3.0).sum().backward()
    return log, [x.grad]


def replacing_grad_input(L):
    x = L.tensor(data(2, 3), requires_grad=True)
    layer = linear(L, 3, 4)
    layer.register_full_backward_hook(lambda module, gi, go: (gi[0] * 10.0,))
    layer(x).sum().backward()
    return [x.grad, layer.weight.grad]


def replacing_grad_output(L):
    x = L.tensor(data(2, 3), requires_grad=True)
    layer = linear(L, 3, 4)
    layer.register_full_backward_pre_hook(lambda module, go: (go[0] * 0.5,))
    seen: list = []
    layer.register_full_backward_hook(lambda module, gi, go: seen.append(arrays(go)))
    layer(x).sum().backward()
    return seen, [x.grad, layer.weight.grad, layer.bias.grad]


def hooks_removed_and_prepended(L):
    order: list = []
    layer = linear(L, 3, 2)
    layer.register_full_backward_hook(lambda *a: order.append("first"))
    handle = layer.register_full_backward_hook(lambda *a: order.append("removed"))
    layer.register_full_backward_hook(lambda *a: order.append("prepended"), prepend=True)
    handle.remove()
    layer(L.tensor(data(1, 3), requires_grad=True)).sum().backward()
    return order


def under_no_grad(L):
    log: list = []
    layer = hooked(linear(L, 3, 2), log, "fc")
    x = L.tensor(data(1, 3), requires_grad=True)
    with L.torch.no_grad():
        y = layer(x)
    return log, y.requires_grad


def retained_graph_twice(L):
    log: list = []
    layer = hooked(linear(L, 3, 2), log, "fc")
    x = L.tensor(data(2, 3), requires_grad=True)
    loss = layer(x).pow(2).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    return log, [x.grad]


def second_derivative_through_hooks(L):
    log: list = []
    layer = hooked(linear(L, 3, 3), log, "fc", pre=False)
    x = L.tensor(data(2, 3), requires_grad=True)
    (g,) = L.grad(layer(x).tanh().sum(), x, create_graph=True)
    (g * g).sum().backward()
    return [x.grad, layer.weight.grad], len(log)


SCENARIOS = [linear_layer, input_without_grad, several_inputs_one_output_used,
             several_inputs_both_outputs_used, input_used_outside_the_module, sequential_order,
             module_called_twice, identity_module, replacing_grad_input, replacing_grad_output,
             hooks_removed_and_prepended, under_no_grad, retained_graph_twice,
             second_derivative_through_hooks]


def as_comparable(obj):
    if isinstance(obj, (Tensor, torch.Tensor)):
        return np.array(obj.detach().numpy())
    if isinstance(obj, (list, tuple)):
        return [as_comparable(v) for v in obj]
    return obj


def assert_same(ours, theirs, where: str) -> None:
    if isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray), f"{where}: {ours!r} where torch has an array"
        assert ours.shape == theirs.shape, f"{where}: shape {ours.shape} != torch's {theirs.shape}"
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12, err_msg=where)
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), f"{where}: {ours!r} != torch's {theirs!r}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{where}[{i}]")
    else:
        assert ours == theirs, f"{where}: {ours!r} != torch's {theirs!r}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_hooks_see_what_torchs_see(scenario):
    theirs = as_comparable(scenario(TORCH))
    ours = as_comparable(scenario(OURS))
    assert_same(ours, theirs, scenario.__name__)


def test_the_hooks_run_where_they_should():
    # what the comparisons rest on, checked by hand on a 1 -> 1 layer: y = w x + b, loss = y^2
    log: list = []
    layer = hooked(Linear(1, 1, dtype="float64"), log, "fc")
    layer.weight.data[...] = 3.0
    layer.bias.data[...] = 1.0
    x = autograd.tensor([[2.0]], dtype="float64", requires_grad=True)
    (layer(x) ** 2).sum().backward()  # y = 7, dloss/dy = 14, dloss/dx = 14 * 3
    assert [entry[:2] for entry in log] == [("fc", "pre"), ("fc", "full")]
    assert log[0][2][0].item() == 14.0
    assert log[1][2][0].item() == 42.0 and log[1][3][0].item() == 14.0
    assert x.grad.item() == 42.0


def test_no_input_requiring_grad_warns():
    log: list = []
    layer = hooked(Linear(2, 1), log, "fc", pre=False)
    with pytest.warns(UserWarning, match="none of its inputs requires grad"):
        layer(autograd.tensor([[1.0, 2.0]])).sum().backward()
    assert log[0][2] == [None]


def test_output_that_is_not_a_tensor_or_tuple_warns_and_is_not_hooked():
    class Listing(cg_nn.Module):
        def forward(self, a):
            return [a * 2.0]

    log: list = []
    module = hooked(Listing(), log, "m")
    x = autograd.tensor([1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Tensor or a tuple of Tensors; got a value of type list"):
        out = module(x)
    out[0].sum().backward()
    assert log == [] and x.grad.tolist() == [2.0]


@pytest.mark.parametrize("returned, error, message", [
    (lambda gi: (gi[0][:1],), RuntimeError, r"returned a gradient of shape \(1, 2\) in grad_input; expected "
                                            r"the shape \(2, 2\)"),
    (lambda gi: (gi[0], gi[0]), RuntimeError, "returned 2 gradients; expected 1, one for each of grad_input"),
    (lambda gi: 5, TypeError, r"returned a value of type int \(5\); expected None or a tuple of 1"),
    (lambda gi: ([1.0],), TypeError, r"returned a value of type list \(\[1.0\]\) in grad_input; expected"),
])
def test_bad_hook_results_raise(returned, error, message):
    layer = Linear(2, 3)
    layer.register_full_backward_hook(lambda module, gi, go: returned(gi))
    x = autograd.tensor(np.ones((2, 2)), dtype="float32", requires_grad=True)
    with pytest.raises(error, match=f"register_full_backward_hook: hook '<lambda>' {message}"):
        layer(x).sum().backward()
    assert x.grad is None  # a failed pass leaves no gradient behind


def test_a_pre_hook_with_a_wrong_result_names_itself():
    layer = Linear(2, 3)
    layer.register_full_backward_pre_hook(lambda module, go: go + go)
    with pytest.raises(RuntimeError, match="register_full_backward_pre_hook: .* returned 2 gradients; "
                                           "expected 1, one for each of grad_output"):
        layer(autograd.tensor(np.ones((1, 2)), requires_grad=True)).sum().backward()


def test_registering_a_non_callable_raises():
    with pytest.raises(TypeError, match=r"Linear.register_full_backward_hook: got a hook of type int \(3\); "
                                        "expected a callable"):
        Linear(1, 1).register_full_backward_hook(3)


def test_gradients_kept_by_a_hook_are_not_changed_by_later_rules():
    # the array rules below a hooked module write into the gradient they are given (relu's does)
    kept: list = []
    layer = Linear(3, 3)
    layer.register_full_backward_hook(lambda module, gi, go: kept.append((gi[0].numpy().copy(), gi[0])))
    x = autograd.tensor(np.array([[1.0, -1.0, 2.0]], dtype=np.float32), requires_grad=True)
    layer(autograd.relu(x)).sum().backward()
    copy_then, tensor = kept[0]
    np.testing.assert_array_equal(tensor.numpy(), copy_then)


def test_hooked_modules_work_with_counting_inputs_and_pictures():
    log: list = []
    net = Sequential(Linear(3, 2), ReLU())
    hooked(net[0], log, "fc")
    x = autograd.tensor(np.ones((1, 3)), requires_grad=True)
    y = net(x).sum()
    with autograd.count_ops() as counter:
        y.backward(retain_graph=True, inputs=[x])
    assert counter.backward_elements > 0
    assert [entry[1] for entry in log] == ["pre", "full"]
    assert net[0].weight.grad is None and x.grad is not None  # inputs= left the weight alone
    assert "backward_hook" in autograd.draw_graph(y).source


def test_modules_with_backward_hooks_copy_and_unpickle():
    layer = Linear(2, 2)
    layer.register_full_backward_hook(lambda *a: None)
    assert len(copy.deepcopy(layer)._backward_hooks) == 1
    state = layer.__dict__.copy()
    del state["_backward_hooks"], state["_backward_pre_hooks"]  # as pickled before these hooks existed
    restored = Linear.__new__(Linear)
    restored.__setstate__(state)
    assert restored._backward_hooks == {} and restored._backward_pre_hooks == {}
    assert isinstance(pickle.loads(pickle.dumps(Linear(1, 1))), Linear)
