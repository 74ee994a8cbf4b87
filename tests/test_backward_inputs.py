"""``backward(inputs=...)``: gradients accumulate into the named tensors only, as in PyTorch.

An interior input stops the pass when no other input lies behind it; when one does, the gradient flows
on through it (PyTorch's behaviour), and the interior input still keeps its own ``.grad``, accumulated
across passes like a leaf's. Expected values are written by hand with numpy.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from autograd import Tensor
from autograd.tensor import TensorOp, result

RNG = np.random.default_rng(7)
X = RNG.standard_normal((3, 4))
W = RNG.standard_normal((4, 2))


def graph():
    """h = x @ w, y = sum(tanh(h)) + sum(w * w)."""
    x, w = Tensor(X.copy(), requires_grad=True), Tensor(W.copy(), requires_grad=True)
    h = x @ w
    y = h.tanh().sum() + (w * w).sum()
    return x, w, h, y


def dy_dh() -> np.ndarray:
    return 1.0 - np.tanh(X @ W) ** 2


def test_interior_input_with_a_leaf_behind_it_passes_the_gradient_on():
    x, w, h, y = graph()
    y.backward(inputs=[h, w])
    np.testing.assert_allclose(h.grad.numpy(), dy_dh(), rtol=1e-13)
    # w receives both paths: directly (2 w) and through h (x^T dy/dh)
    np.testing.assert_allclose(w.grad.numpy(), 2.0 * W + X.T @ dy_dh(), rtol=1e-13)
    assert x.grad is None  # not an input


def test_interior_input_alone_is_where_the_pass_stops():
    x, w, h, y = graph()
    y.backward(inputs=[h])
    np.testing.assert_allclose(h.grad.numpy(), dy_dh(), rtol=1e-13)
    assert x.grad is None and w.grad is None


def test_interior_inputs_accumulate_across_passes_like_leaves():
    x, w, h, y = graph()
    for _ in range(3):
        y.backward(inputs=[h, x], retain_graph=True)
    np.testing.assert_allclose(h.grad.numpy(), 3.0 * dy_dh(), rtol=1e-13)
    np.testing.assert_allclose(x.grad.numpy(), 3.0 * dy_dh() @ W.T, rtol=1e-13)
    assert w.grad is None
    assert isinstance(h.grad, Tensor) and h._retains_grad  # named in inputs=, it retains from then on


def test_chained_interior_inputs():
    x, w, h, y = graph()
    t = h.tanh()
    z = (t * t).sum()
    z.backward(inputs=[t, h, w])
    dz_dt = 2.0 * np.tanh(X @ W)
    np.testing.assert_allclose(t.grad.numpy(), dz_dt, rtol=1e-13)
    np.testing.assert_allclose(h.grad.numpy(), dz_dt * dy_dh(), rtol=1e-13)
    np.testing.assert_allclose(w.grad.numpy(), X.T @ (dz_dt * dy_dh()), rtol=1e-13)


def test_create_graph_through_an_interior_input_records_its_accumulated_gradient():
    x, w, h, y = graph()
    y.backward(inputs=[h, w], retain_graph=True)
    first = w.grad.numpy().copy()
    y.backward(inputs=[h, w], create_graph=True)
    np.testing.assert_allclose(w.grad.numpy(), 2.0 * first, rtol=1e-13)
    assert w.grad.requires_grad  # the second pass was recorded


def _failing_rule(node, g):
    raise ValueError("failing rule")


def test_a_failed_pass_leaves_an_interior_inputs_earlier_gradient():
    x = Tensor(X.copy(), requires_grad=True)
    u = result(x.data * 1.0, (x,), TensorOp("failing", _failing_rule, _failing_rule))
    h = u * 2.0
    y = (h * h).sum()
    y.backward(inputs=[h], retain_graph=True)  # h alone: the failing rule is behind it and never runs
    earlier = h.grad.numpy().copy()
    np.testing.assert_allclose(earlier, 2.0 * h.data, rtol=1e-14)
    with pytest.raises(ValueError, match="failing rule"):
        y.backward(inputs=[h, x], retain_graph=True)  # now the pass goes through h and hits it
    np.testing.assert_array_equal(h.grad.numpy(), earlier)
    assert x.grad is None and h._retains_grad  # as the first, successful pass left it


@pytest.mark.parametrize("names", [("h", "w"), ("h",), ("h", "x"), ("x",), ("w", "h", "x")])
def test_matches_torch(names):
    torch = pytest.importorskip("torch")
    x, w, h, y = graph()
    ours = {"x": x, "w": w, "h": h}
    tx, tw = torch.tensor(X, requires_grad=True), torch.tensor(W, requires_grad=True)
    th = tx @ tw
    ty = th.tanh().sum() + (tw * tw).sum()
    theirs = {"x": tx, "w": tw, "h": th}
    for _ in range(2):
        y.backward(inputs=[ours[n] for n in names], retain_graph=True)
        ty.backward(inputs=[theirs[n] for n in names], retain_graph=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # both warn on reading a non-leaf's .grad
        expected = {n: theirs[n].grad for n in "xwh"}
        got = {n: ours[n].grad for n in "xwh"}
    for n, grad in expected.items():
        if grad is None:
            assert got[n] is None, n
        else:
            np.testing.assert_allclose(got[n].numpy(), grad.numpy(), rtol=1e-12, err_msg=n)


def test_an_input_named_twice_counts_once():
    x, w, h, y = graph()
    y.backward(inputs=[h, w, h], retain_graph=True)
    np.testing.assert_allclose(h.grad.numpy(), dy_dh(), rtol=1e-13)
    np.testing.assert_allclose(w.grad.numpy(), 2.0 * W + X.T @ dy_dh(), rtol=1e-13)
