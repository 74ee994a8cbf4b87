"""Optimizers refuse a ``.grad`` that is not a Tensor of its parameter's shape and dtype.

Assigning such a ``.grad`` raises at once, as in PyTorch (tests/test_grad_assignment.py covers that). A
gradient can still stop fitting afterwards, when a parameter's ``.data`` or a gradient's ``.data`` is
replaced, so ``step`` checks every gradient before it changes anything and names the optimizer, the
parameter's group and index, and what it got and expected.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from autograd import Tensor
from nn import optim
from nn.module import Parameter

OPTIMIZERS = {
    "SGD": dict(lr=0.1, momentum=0.9),
    "Adam": dict(lr=0.1),
    "AdamW": dict(lr=0.1, weight_decay=0.1),
    "RMSprop": dict(lr=0.1, momentum=0.5, centered=True),
    "Adagrad": dict(lr=0.1),
}


def two_groups(name: str, dtype=np.float32):
    """An optimizer over two groups, a (2,) parameter in group 0 and a (2, 3) and a (3,) one in group 1,
    each with a good gradient and one step already taken (so every kind of state exists)."""
    rng = np.random.default_rng(0)
    params = [Parameter(rng.normal(size=s).astype(dtype)) for s in [(2,), (2, 3), (3,)]]
    opt = getattr(optim, name)([{"params": params[:1]}, {"params": params[1:]}], **OPTIMIZERS[name])
    for p in params:
        p.grad = Tensor(np.ones_like(p.data))
    opt.step()
    return opt, params


def snapshot(opt, params):
    # the state's values only: its keys are the parameters, which hold the gradient under test
    return [p.data.copy() for p in params], [copy.deepcopy(opt.state[p]) for p in params]


def assert_unchanged(before, opt, params):
    data, states = before
    for p, d, state in zip(params, data, states):
        np.testing.assert_array_equal(p.data, d)
        assert state.keys() == opt.state[p].keys()
        for key, value in state.items():
            np.testing.assert_array_equal(opt.state[p][key], value)


# ------------------------------------------------------------------ refusals
NOT_TENSORS = [
    (np.ones((2, 3), dtype=np.float32), r"numpy\.ndarray \(dtype float32, shape \(2, 3\)\)"),
    (1.5, r"float \(1\.5\)"),
    ([[1.0] * 3] * 2, r"list \(\[\[1\.0, "),
]


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("bad, got", NOT_TENSORS)
def test_a_grad_that_is_not_a_tensor_is_refused_when_assigned(name, bad, got):
    opt, params = two_groups(name)
    good = params[1].grad
    with pytest.raises(TypeError, match=rf"^grad: got a value of type {got}.*; expected a Tensor of the "
                                        r"tensor's shape \(2, 3\) and dtype float32, or None"):
        params[1].grad = bad
    assert params[1].grad is good
    before = snapshot(opt, params)
    opt.step()  # the gradients it keeps are all good
    assert not np.array_equal(params[1].data, before[0][1])


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("bad, got", NOT_TENSORS)
def test_step_refuses_a_grad_slot_that_holds_no_tensor(name, bad, got):
    # only code that writes the slot behind the property can put one there; step still names it
    opt, params = two_groups(name)
    params[1]._grad = bad
    before = snapshot(opt, params)
    with pytest.raises(TypeError, match=rf"^{name}\.step: parameter 0 of group 1 has a \.grad of type "
                                        rf"{got}.*expected a Tensor of the parameter's shape \(2, 3\) "
                                        r"and dtype float32"):
        opt.step()
    # group 0 comes first but is not updated either: every gradient is checked before any update
    assert_unchanged(before, opt, params)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_grad_of_another_shape_is_refused(name):
    opt, params = two_groups(name)
    with pytest.raises(RuntimeError, match=r"^grad: got a Tensor of shape \(3, 1\) and dtype float32; "
                                           r"expected a Tensor of the tensor's shape \(3,\)"):
        params[2].grad = Tensor(np.ones((3, 1), dtype=np.float32))
    # the parameter's array replaced by one of another shape after backward: the gradient no longer fits
    params[2].data = params[2].data.reshape(3, 1)
    before = snapshot(opt, params)
    with pytest.raises(ValueError, match=rf"^{name}\.step: parameter 1 of group 1 has a gradient of shape "
                                         r"\(3,\) and dtype float32; expected the parameter's shape \(3, 1\) "
                                         r"and dtype float32"):
        opt.step()
    assert_unchanged(before, opt, params)


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("param_dtype, grad_dtype", [
    (np.float32, np.float64), (np.float64, np.float32), (np.float32, np.float16), (np.float32, np.int64),
])
def test_a_grad_of_another_dtype_is_refused(name, param_dtype, grad_dtype):
    opt, params = two_groups(name, dtype=param_dtype)
    grad_name, want = np.dtype(grad_dtype).name, np.dtype(param_dtype).name
    with pytest.raises(RuntimeError, match=rf"^grad: got a Tensor of shape \(2,\) and dtype {grad_name}; "
                                           rf"expected .* dtype {want}, or None \(convert it"):
        params[0].grad = Tensor(np.ones(2, dtype=grad_dtype))
    # the gradient's array replaced by one of another dtype after the assignment
    params[0].grad.data = np.ones(2, dtype=grad_dtype)
    before = snapshot(opt, params)
    with pytest.raises(TypeError, match=rf"^{name}\.step: parameter 0 of group 0 has a gradient of shape "
                                        rf"\(2,\) and dtype {grad_name}; expected the "
                                        rf"parameter's shape \(2,\) and dtype {want}"):
        opt.step()
    assert_unchanged(before, opt, params)


def test_a_number_is_refused_even_for_a_zero_dim_parameter():
    # np.asarray(2.0) has the 0-d parameter's shape: only the type check can catch it
    w = Parameter(np.array(1.0, dtype=np.float32))
    opt = optim.SGD([w], lr=0.5)
    with pytest.raises(TypeError, match=r"^grad: got a value of type float \(2\.0\); expected a Tensor of "
                                        r"the tensor's shape \(\) and dtype float32"):
        w.grad = 2.0
    assert w.grad is None
    opt.step()  # nothing to do without a gradient
    assert w.data == np.float32(1.0)


def test_a_wrapped_array_of_the_right_dtype_is_accepted():
    # what the refusal's message suggests
    w = Parameter(np.array([1.0, 2.0], dtype=np.float32))
    opt = optim.SGD([w], lr=0.5)
    w.grad = Tensor(np.array([2.0, 4.0]), dtype=w.dtype)
    opt.step()
    np.testing.assert_array_equal(w.data, np.array([1.0, 2.0], dtype=np.float32)
                                  - np.float32(0.5) * np.array([2.0, 4.0], dtype=np.float32))


def test_torch_refuses_the_same_grads_of_a_parameter_with_the_same_exceptions():
    torch = pytest.importorskip("torch")
    cases = [  # (torch's bad grad, ours) for a float32 parameter of shape (2,)
        (np.ones(2, dtype=np.float32), np.ones(2, dtype=np.float32)),
        (2.0, 2.0),
        (torch.ones(3), Tensor(np.ones(3, dtype=np.float32))),
        (torch.ones(2, dtype=torch.float64), Tensor(np.ones(2))),
    ]
    for theirs, ours in cases:
        w_t = torch.nn.Parameter(torch.zeros(2))
        with pytest.raises((TypeError, RuntimeError)) as torch_error:
            w_t.grad = theirs
        w = Parameter(np.zeros(2, dtype=np.float32))
        with pytest.raises(torch_error.type, match=r"^grad: got "):
            w.grad = ours
        assert w.grad is None


# ------------------------------------------------------------------ zero_grad
@pytest.mark.parametrize("bad", [np.ones(3, dtype=np.float32), np.ones((2, 1), dtype=np.float32),
                                 np.ones(2, dtype=np.float64)])
def test_zero_grad_replaces_a_grad_that_no_longer_fits(bad):
    w = Parameter(np.array([1.0, 2.0], dtype=np.float32))
    opt = optim.Adam([w], lr=0.1)
    w.grad = Tensor(np.ones(2, dtype=np.float32))
    w.grad.data = bad  # its array replaced after the assignment
    opt.zero_grad(set_to_none=False)
    # zeros of the parameter's own shape and dtype, whatever the old gradient was
    assert isinstance(w.grad, Tensor)
    assert w.grad.data.shape == (2,) and w.grad.data.dtype == np.float32
    np.testing.assert_array_equal(w.grad.data, np.zeros(2, dtype=np.float32))
    opt.step()  # a zero gradient: accepted
    w.grad.data = bad
    opt.zero_grad()
    assert w.grad is None


# ------------------------------------------------------------------ ordinary training
def _batches():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 3))
    y = x @ np.array([1.0, -2.0, 0.5]) + 0.3
    return x, y


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_training_loop_matches_plain_numpy_gradients_and_torch(name):
    """Linear regression by hand in numpy (the gradients) gives the same parameters as backward."""
    x, y = _batches()
    w0, b0 = np.zeros(3), np.zeros(())
    w, b = Parameter(w0.copy()), Parameter(b0.copy())  # float64: numpy arrays keep their dtype
    opt = getattr(optim, name)([{"params": [w]}, {"params": [b], "lr": 0.05}], **OPTIMIZERS[name])
    ref_w, ref_b = Parameter(w0.copy()), Parameter(b0.copy())
    ref_opt = getattr(optim, name)([{"params": [ref_w]}, {"params": [ref_b], "lr": 0.05}], **OPTIMIZERS[name])
    for _ in range(5):
        opt.zero_grad()
        loss = ((Tensor(x) @ w + b - Tensor(y)) ** 2).mean()
        loss.backward()
        opt.step()
        # the same step from gradients written out in numpy
        r = x @ ref_w.data + ref_b.data - y
        ref_w.grad = Tensor(2 * x.T @ r / len(y))
        ref_b.grad = Tensor(np.array(2 * r.mean()))
        ref_opt.step()
    np.testing.assert_allclose(w.data, ref_w.data, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.data, ref_b.data, rtol=1e-10, atol=1e-12)
    assert not np.array_equal(w.data, w0)

    torch = pytest.importorskip("torch")
    tw = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    tb = torch.zeros((), dtype=torch.float64, requires_grad=True)
    topt = getattr(torch.optim, name)([{"params": [tw]}, {"params": [tb], "lr": 0.05}], **OPTIMIZERS[name])
    tx, ty = torch.tensor(x), torch.tensor(y)
    for _ in range(5):
        topt.zero_grad()
        ((tx @ tw + tb - ty) ** 2).mean().backward()
        topt.step()
    np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.data, tb.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_gradients_recorded_with_create_graph_are_accepted():
    w = Parameter(np.array([1.0, 2.0]))
    opt = optim.SGD([w], lr=0.1)
    (w * w * w).sum().backward(create_graph=True)
    assert w.grad.requires_grad  # a gradient with a graph of its own is still a Tensor of w's shape and dtype
    opt.step()
    np.testing.assert_allclose(w.data, np.array([1.0, 2.0]) - 0.1 * 3 * np.array([1.0, 2.0]) ** 2)
