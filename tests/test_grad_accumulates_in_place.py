"""A leaf's ``.grad`` is added to in place by later backward passes, as PyTorch's is: code that holds
``p.grad`` sees the sums. Each case runs with torch and with chaingrad and compares values and identity."""

from __future__ import annotations

import pytest

import autograd

torch = pytest.importorskip("torch")


def two_passes(lib):
    w = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    (w * 3).sum().backward()
    g = w.grad
    (w * w).sum().backward()
    return g is w.grad, g.tolist(), w.grad.tolist()


def leaf_used_twice_in_the_second_pass(lib):
    w = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    (w * 3).sum().backward()
    g = w.grad
    (w * w + w).sum().backward()
    return g is w.grad, w.grad.tolist()


def with_create_graph(lib):
    w = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    (w * 3).sum().backward()
    g = w.grad
    (w * w).sum().backward(create_graph=True)  # the sum is recorded: a new tensor
    return g is w.grad, g.tolist(), w.grad.tolist(), w.grad.requires_grad


def retained_interior_gradient(lib):
    w = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    h = w * 2
    h.retain_grad()
    loss = (h * h).sum()
    loss.backward(retain_graph=True)
    g = h.grad
    loss.backward()
    return g is h.grad, g.tolist(), h.grad.tolist()  # replaced, not added to in place


def gradient_accumulation_over_micro_batches(lib):
    w = lib.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=lib.float64, requires_grad=True)
    kept = []
    for x in ([1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]):
        (w @ lib.tensor(x, dtype=lib.float64)).pow(2).sum().backward()
        kept.append(w.grad)
    return all(k is kept[0] for k in kept), kept[0].tolist()


# torch warns that backward(create_graph=True) ties a parameter and its gradient in a cycle
@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True:UserWarning")
@pytest.mark.parametrize("case", [two_passes, leaf_used_twice_in_the_second_pass, with_create_graph,
                                  retained_interior_gradient, gradient_accumulation_over_micro_batches],
                         ids=lambda f: f.__name__)
def test_grad_identity_and_values_match_torch(case):
    assert case(autograd) == case(torch)


def test_a_graph_that_read_the_old_gradient_gets_its_values_and_is_then_refused():
    w = autograd.tensor([1.0, 2.0], dtype=autograd.float64, requires_grad=True)
    c = autograd.tensor([1.0, -1.0], dtype=autograd.float64, requires_grad=True)
    (w * 3).sum().backward()  # w.grad = [3, 3]
    loss = (c * w.grad).sum() + (w * 2).sum()
    loss.backward(retain_graph=True)  # w's sum is written into w.grad after the pass, not during it
    assert c.grad.tolist() == [3.0, 3.0] and w.grad.tolist() == [5.0, 5.0]
    with pytest.raises(RuntimeError, match=r"'mul' needs the values of its second operand .*backward "
                                           r"\(accumulating \.grad\)"):
        loss.backward()  # torch refuses already in the first pass


def test_a_gradient_that_cannot_be_written_is_replaced():
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    g = w.grad
    g.data.flags.writeable = False
    (w * 3).sum().backward()
    assert w.grad is not g and g.tolist() == [3.0, 3.0] and w.grad.tolist() == [6.0, 6.0]


def test_values_of_a_scalar_graph_are_unaffected():
    x = autograd.Value(2.0)
    y = x * x + x
    y.backward()
    assert x.grad == 5.0
