"""``autograd.grad(outputs, inputs, ...)`` and ``autograd.backward(tensors, ...)``: PyTorch's
torch.autograd.grad and torch.autograd.backward, compared with torch in float64."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import autograd
from autograd import Tensor

A = np.array([0.5, -1.25, 2.0])
B = np.array([[1.5, -0.5, 0.25], [0.75, 2.0, -1.0]])


def ours() -> SimpleNamespace:
    return SimpleNamespace(leaf=lambda data: Tensor(np.array(data), requires_grad=True),
                           const=lambda data: Tensor(np.array(data)),
                           grad=autograd.grad, backward=autograd.backward, ones_like=autograd.ones_like)


def theirs(torch: Any) -> SimpleNamespace:
    return SimpleNamespace(leaf=lambda data: torch.tensor(np.array(data), requires_grad=True),
                           const=lambda data: torch.tensor(np.array(data)),
                           grad=torch.autograd.grad, backward=torch.autograd.backward,
                           ones_like=torch.ones_like)


# Each case returns a list of tensors (or None) to compare, computed with one library's namespace.
def one_output_one_input(lib):
    x = lib.leaf(A)
    return list(lib.grad((x.tanh() * x).sum(), x))


def several_outputs_and_inputs(lib):
    a, b = lib.leaf(A), lib.leaf(B)
    z = b * a
    return list(lib.grad([z.sum(), (z * z).mean()], [a, b]))


def vector_output_with_grad_outputs(lib):
    a, b = lib.leaf(A), lib.leaf(B)
    z = (b @ a).exp()
    return list(lib.grad(z, (a, b), grad_outputs=lib.const([1.0, -2.0])))


def one_grad_output_per_output_with_none_for_a_scalar(lib):
    a = lib.leaf(A)
    return list(lib.grad([(a * a).sum(), a.sin()], a, grad_outputs=[None, lib.const([1.0, 0.5, -1.0])]))


def interior_input(lib):
    a = lib.leaf(A)
    m = a.exp()
    out = (m * m * a).sum()
    return list(lib.grad(out, [m, a]))


def output_is_an_input(lib):
    a = lib.leaf(A)
    y = a * 3.0
    return list(lib.grad(y, [y, a], grad_outputs=lib.const([1.0, 2.0, 3.0])))


def same_input_twice(lib):
    a = lib.leaf(A)
    return list(lib.grad((a ** 3).sum(), [a, a]))


def second_and_third_derivatives(lib):
    x = lib.leaf(A)
    (g,) = lib.grad((x.sin() * x ** 2).sum(), x, create_graph=True)
    (h,) = lib.grad(g.sum(), x, create_graph=True)
    (t,) = lib.grad((h * h).sum(), x)
    return [g.detach(), h.detach(), t]


def gradient_penalty(lib):
    # the gradient of a norm of an input gradient with respect to weights (WGAN-GP, double backward)
    w, x = lib.leaf(B), lib.leaf(A)
    score = (w @ x).tanh().sum()
    (gx,) = lib.grad(score, x, create_graph=True)
    penalty = ((gx * gx).sum().sqrt() - 1.0) ** 2
    return list(lib.grad(penalty, w))


def unused_input_allowed(lib):
    a, b = lib.leaf(A), lib.leaf(B)
    return list(lib.grad((a * a).sum(), [a, b], allow_unused=True))


def unused_input_materialized(lib):
    a, b = lib.leaf(A), lib.leaf([np.inf, -1.0])  # zeros, not the unused input times 0
    return list(lib.grad((a * a).sum(), [a, b], materialize_grads=True))


def retained_graph_used_twice(lib):
    a = lib.leaf(A)
    out = (a.exp() * a).sum()
    first = lib.grad(out, a, retain_graph=True)
    second = lib.grad(out, a)
    return [first[0], second[0]]


def backward_of_several_outputs(lib):
    a, b = lib.leaf(A), lib.leaf(B)
    z = b * a
    lib.backward([z.sum(), z], [None, lib.const(B)])
    return [a.grad, b.grad]


def backward_of_one_output_accumulates(lib):
    a = lib.leaf(A)
    lib.backward((a * a).sum())
    lib.backward(a.cos().sum())
    return [a.grad]


CASES = [one_output_one_input, several_outputs_and_inputs, vector_output_with_grad_outputs,
         one_grad_output_per_output_with_none_for_a_scalar, interior_input, output_is_an_input,
         same_input_twice, second_and_third_derivatives, gradient_penalty, unused_input_allowed,
         unused_input_materialized, retained_graph_used_twice, backward_of_several_outputs,
         backward_of_one_output_accumulates]


@pytest.mark.parametrize("case", CASES, ids=lambda f: f.__name__)
def test_gradients_match_torch(case, torch):
    mine, reference = case(ours()), case(theirs(torch))
    assert len(mine) == len(reference)
    for a, b in zip(mine, reference):
        if b is None:
            assert a is None
            continue
        assert a.shape == tuple(b.shape)
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_the_hand_derived_gradient_and_its_derivative():
    x = Tensor(A, requires_grad=True)
    (g,) = autograd.grad((x ** 3).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.numpy(), 3 * A ** 2)
    assert g.requires_grad
    (h,) = autograd.grad(g.sum(), x)
    np.testing.assert_allclose(h.numpy(), 6 * A)
    assert not h.requires_grad


def test_no_grad_attribute_changes_and_no_tensor_starts_retaining():
    a = Tensor(A, requires_grad=True)
    a.grad = autograd.ones_like(a)
    m = a * 2.0
    kept = a * 3.0
    kept.retain_grad()
    out = (m * m + kept).sum()
    autograd.grad(out, [m, a, kept], retain_graph=True)
    np.testing.assert_array_equal(a.grad.numpy(), np.ones(3))
    assert kept.grad is None and kept._retains_grad and not m._retains_grad
    out.backward()  # the graph was kept, and the leaf accumulates as usual
    np.testing.assert_allclose(a.grad.numpy(), 1 + 8 * A + 3)


def test_hooks_see_the_gradient_as_in_backward():
    a = Tensor(A, requires_grad=True)
    seen = []
    m = a * 2.0
    m.register_hook(lambda g: seen.append(g.numpy().copy()))
    autograd.grad((m * m).sum(), a)
    np.testing.assert_allclose(seen[0], 4 * A)


@pytest.mark.parametrize("call, error, message", [
    (lambda a, c: autograd.grad((c * 2.0).sum(), a), RuntimeError, "output 0 does not require grad"),
    (lambda a, c: autograd.grad((a * c).sum(), c), RuntimeError, "input 0 does not require grad"),
    (lambda a, c: autograd.grad((a * 2.0).sum(), [a, Tensor(B, requires_grad=True)]), RuntimeError,
     "input 1 .* was not used"),
    (lambda a, c: autograd.grad(a * 2.0, a), RuntimeError, r"output 0 has shape \(3,\)"),
    (lambda a, c: autograd.grad(a * 2.0, a, grad_outputs=Tensor(np.ones(2))), ValueError,
     r"grad_outputs\[0\] has shape \(2,\); expected output 0's shape \(3,\)"),
    (lambda a, c: autograd.grad([a.sum(), a.sum()], a, grad_outputs=[None]), ValueError,
     "got 1 grad_outputs for 2 outputs"),
    (lambda a, c: autograd.grad([], a), TypeError, "outputs should be a Tensor or a non-empty sequence"),
    (lambda a, c: autograd.grad(a.sum(), "a"), TypeError, "inputs should be a Tensor"),
    (lambda a, c: autograd.grad(a.sum(), a, grad_outputs=1.0), TypeError, "grad_outputs should be None"),
    (lambda a, c: autograd.grad(a.sum(), a, allow_unused=False, materialize_grads=True), ValueError,
     "materialize_grads=True needs allow_unused"),
    (lambda a, c: autograd.backward(a * 2.0), RuntimeError, r"backward: output 0 has shape \(3,\)"),
    (lambda a, c: autograd.vjp(a.sum(), a), TypeError, r"vjp: got Tensor for f.*autograd.grad\(outputs"),
    (lambda a, c: autograd.grad(3.0), TypeError, "grad: got float for f; expected a function"),
])
def test_bad_calls_are_refused_clearly(call, error, message):
    a, c = Tensor(A, requires_grad=True), Tensor(A)
    with pytest.raises(error, match=message):
        call(a, c)


def test_torch_refuses_the_same_calls(torch):
    a, c = torch.tensor(A, requires_grad=True), torch.tensor(A)
    for call in (lambda: torch.autograd.grad((c * 2.0).sum(), a),
                 lambda: torch.autograd.grad((a * c).sum(), c),
                 lambda: torch.autograd.grad((a * 2.0).sum(), [a, torch.tensor(B, requires_grad=True)]),
                 lambda: torch.autograd.grad(a * 2.0, a)):
        with pytest.raises(RuntimeError):
            call()


def test_a_refused_pass_restores_the_inputs():
    a = Tensor(A, requires_grad=True)
    a.grad = autograd.ones_like(a)
    out = (a * a).sum()
    out.backward(retain_graph=False)
    with pytest.raises(autograd.GraphFreedError):
        autograd.grad(out, a)
    np.testing.assert_allclose(a.grad.numpy(), 1 + 2 * A)


def test_several_outputs_are_one_pass_so_hooks_see_the_summed_gradient(torch):
    seen = {}
    for lib, x in (("ours", Tensor(A, requires_grad=True)), ("torch", torch.tensor(A, requires_grad=True))):
        y = x * 2.0
        calls = []
        y.register_hook(lambda g, calls=calls: calls.append(1) or g * g)
        grad = autograd.grad if lib == "ours" else torch.autograd.grad
        (g,) = grad([(y * 1.0).sum(), (y * 3.0).sum()], x)
        seen[lib] = (np.asarray(g.detach().numpy()), len(calls))
    np.testing.assert_allclose(seen["ours"][0], seen["torch"][0])
    np.testing.assert_allclose(seen["ours"][0], np.full(3, 16.0 * 2))  # hook squares 1 + 3, times dy/dx
    assert seen["ours"][1] == seen["torch"][1] == 1


def test_inputs_may_be_any_iterable_such_as_a_generator():
    layer = Tensor(B, requires_grad=True), Tensor(A[:2], requires_grad=True)
    loss = (layer[0].sum(1) * layer[1]).sum()
    grads = autograd.grad(loss, (p for p in layer))
    np.testing.assert_allclose(grads[0].numpy(), np.repeat(A[:2, None], 3, axis=1))
    np.testing.assert_allclose(grads[1].numpy(), B.sum(1))
