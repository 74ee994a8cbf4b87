"""The fused primitives of nn.fused: ``linear`` (``x @ W.T + b`` as one op) and the softmax cross-entropy
that ``nn.functional.cross_entropy`` uses for (N, C) logits with plain integer labels.

References are written in numpy here (never with the code under test); torch, where installed, is a
second reference in float64. The fused cross-entropy is also compared with the general path
(``log_softmax`` + ``nll_loss``), which it must reproduce to rounding, edge cases included.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor, draw_graph, gradcheck, gradgradcheck, tensor
from nn import losses as L

RNG = np.random.default_rng(7)
TORCH_RTOL, TORCH_ATOL = 1e-10, 1e-12


def t64(a, requires_grad=True) -> Tensor:
    return Tensor(np.array(a, dtype=np.float64), requires_grad=requires_grad)


def torch_or_skip():
    return pytest.importorskip("torch")


def op_labels(source: str) -> list[str]:
    """The labels of the operation nodes of a DOT picture (as tests/test_graph_tensor.py reads them)."""
    return [label.strip('"') for label in re.findall(r'^\s*op\d+ \[label=("[^"]*"|\w+)', source, flags=re.M)]


# ============================================================================================== linear
def linear_np(x, w, b=None):
    out = x @ w.T
    return out if b is None else out + b


def linear_grads_np(x, w, g):
    """d<g, x W^T + b>: g W for x, g^T x over every leading axis for W, the sum of g for b."""
    flat_g = g.reshape(-1, w.shape[0])
    return g @ w, flat_g.T @ x.reshape(-1, w.shape[1]), flat_g.sum(axis=0)


X_SHAPES = [(3,), (4, 3), (2, 4, 3)]
X_IDS = ["in", "N_in", "B_N_in"]
# (x, weight, bias) requires_grad
REQUIRES = [(True, True, True), (False, True, True), (True, False, False), (False, False, True),
            (True, True, False)]
REQUIRES_IDS = ["all", "params_only", "x_only", "bias_only", "no_bias_grad"]


def _linear_operands(x_shape, bias=True, requires=(True, True, True), out_features=2):
    x0 = RNG.standard_normal(x_shape)
    w0 = RNG.standard_normal((out_features, x_shape[-1]))
    b0 = RNG.standard_normal(out_features) if bias else None
    x, w = t64(x0, requires[0]), t64(w0, requires[1])
    b = t64(b0, requires[2]) if bias else None
    return (x0, w0, b0), (x, w, b)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("x_shape", X_SHAPES, ids=X_IDS)
def test_linear_forward_matches_numpy(x_shape, bias):
    (x0, w0, b0), (x, w, b) = _linear_operands(x_shape, bias)
    out = F.linear(x, w, b)
    assert out.shape == x_shape[:-1] + (2,) and out.dtype == np.float64
    assert out.op == "linear" and out.parents == ((x, w, b) if bias else (x, w))
    np.testing.assert_allclose(out.data, linear_np(x0, w0, b0), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("x_shape", X_SHAPES, ids=X_IDS)
def test_linear_grads_match_numpy(x_shape, bias):
    for requires, what in zip(REQUIRES, REQUIRES_IDS):
        (x0, w0, b0), (x, w, b) = _linear_operands(x_shape, bias, requires)
        out = F.linear(x, w, b)
        if not out.requires_grad:
            assert what == "bias_only" and not bias  # nothing to differentiate
            continue
        g = RNG.standard_normal(out.shape)
        out.backward(g)
        gx, gw, gb = linear_grads_np(x0, w0, g)
        for t, expected, needed in ((x, gx, requires[0]), (w, gw, requires[1]), (b, gb, requires[2])):
            if t is None:
                continue
            if needed:
                assert isinstance(t.grad, Tensor) and t.grad.shape == t.shape and t.grad.dtype == np.float64
                np.testing.assert_allclose(t.grad.data, expected, rtol=1e-13, atol=1e-14, err_msg=what)
            else:
                assert t.grad is None, what


def test_linear_on_views_matches_numpy_and_feeds_later_ops():
    # A batch is multiplied features first (the result is in Fortran order): operands that are views,
    # and the ops that take the result (relu, another linear, the fused cross-entropy), must not mind.
    x0 = RNG.standard_normal((6, 5))
    w0, b0 = RNG.standard_normal((4, 5)), RNG.standard_normal(4)
    w1, b1 = RNG.standard_normal((3, 4)), RNG.standard_normal(3)
    y = np.array([0, 2, 1, 1, 0, 2])
    x = Tensor(np.ascontiguousarray(x0.T).T, requires_grad=True)
    ws = [Tensor(np.ascontiguousarray(a.T).T, requires_grad=True) for a in (w0, w1)]
    bs = [t64(b0), t64(b1)]
    h = F.relu(F.linear(x, ws[0], bs[0]))
    logits = F.linear(h, ws[1], bs[1])
    pre = linear_np(x0, w0, b0)
    np.testing.assert_allclose(logits.data, linear_np(np.maximum(pre, 0), w1, b1), rtol=1e-13, atol=1e-14)
    F.cross_entropy(logits, y).backward()
    # the same gradients from numpy, layer by layer
    _, g = ce_np(linear_np(np.maximum(pre, 0), w1, b1), y)
    gh, gw1, gb1 = linear_grads_np(np.maximum(pre, 0), w1, g)
    gx, gw0, gb0 = linear_grads_np(x0, w0, gh * (pre > 0))
    for t, expected in ((x, gx), (ws[0], gw0), (bs[0], gb0), (ws[1], gw1), (bs[1], gb1)):
        np.testing.assert_allclose(t.grad.data, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("x_shape", X_SHAPES, ids=X_IDS)
def test_linear_gradcheck_and_gradgradcheck(x_shape, bias):
    (x0, w0, b0), _ = _linear_operands(x_shape, bias)
    inputs = [x0, w0] + ([b0] if bias else [])
    f = (lambda x, w, b: F.linear(x, w, b)) if bias else (lambda x, w: F.linear(x, w))
    assert gradcheck(f, inputs, atol=1e-7, rtol=1e-6)
    # second derivatives go through the Tensor rule (recorded under create_graph=True)
    assert gradgradcheck(f, inputs, atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("x_shape", X_SHAPES, ids=X_IDS)
def test_linear_vs_torch(x_shape, bias):
    torch = torch_or_skip()
    for requires, what in zip(REQUIRES, REQUIRES_IDS):
        (x0, w0, b0), (x, w, b) = _linear_operands(x_shape, bias, requires)
        out = F.linear(x, w, b)
        xt, wt = torch.tensor(x0, requires_grad=requires[0]), torch.tensor(w0, requires_grad=requires[1])
        bt = torch.tensor(b0, requires_grad=requires[2]) if bias else None
        ref = torch.nn.functional.linear(xt, wt, bt)
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)
        assert out.requires_grad == ref.requires_grad, what
        if not out.requires_grad:
            continue
        g = RNG.standard_normal(out.shape)
        out.backward(g)
        ref.backward(torch.tensor(g))
        for ours, theirs in ((x, xt), (w, wt), (b, bt)):
            if ours is None:
                continue
            assert (ours.grad is None) == (theirs.grad is None), what
            if ours.grad is not None:
                np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=TORCH_RTOL,
                                           atol=TORCH_ATOL, err_msg=what)


def test_linear_second_derivative_vs_torch():
    torch = torch_or_skip()
    (x0, w0, b0), (x, w, b) = _linear_operands((4, 3), True)
    # d/dx, d/dW of sum((dL/dx)^2) with L = sum(tanh(linear(x)))
    gx, _ = autograd.grad(lambda z, v: F.linear(z, v, b).tanh().sum(), argnums=(0, 1),
                          create_graph=True)(x, w)
    (gx * gx).sum().backward()
    xt, wt = torch.tensor(x0, requires_grad=True), torch.tensor(w0, requires_grad=True)
    (gxt,) = torch.autograd.grad(torch.nn.functional.linear(xt, wt, torch.tensor(b0)).tanh().sum(), xt,
                                 create_graph=True)
    (gxt * gxt).sum().backward()
    np.testing.assert_allclose(gx.data, gxt.detach().numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)
    np.testing.assert_allclose(x.grad.data, xt.grad.numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)
    np.testing.assert_allclose(w.grad.data, wt.grad.numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)


@pytest.mark.parametrize("dtypes", [("float32", "float32", "float64"), ("float32", "float32", "float32"),
                                    ("float64", "float32", None), ("float32", "float64", "float32")],
                         ids=["f32_f32_f64", "f32_f32_f32", "f64_f32_nobias", "f32_f64_f32"])
def test_linear_promotes_like_matmul_plus_bias(dtypes):
    x_dt, w_dt, b_dt = dtypes
    x0 = RNG.standard_normal((4, 3)).astype(x_dt)
    w0 = RNG.standard_normal((2, 3)).astype(w_dt)
    b0 = RNG.standard_normal(2).astype(b_dt) if b_dt else None
    x, w = Tensor(x0, requires_grad=True), Tensor(w0, requires_grad=True)
    b = Tensor(b0, requires_grad=True) if b_dt else None
    out = F.linear(x, w, b)
    expected = linear_np(x0, w0, b0)  # numpy's own promotion
    assert out.dtype == expected.dtype
    unfused = x @ w.T + b if b_dt else x @ w.T
    assert unfused.dtype == out.dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-6 if expected.dtype == np.float32 else 1e-14)
    g = RNG.standard_normal(out.shape)
    out.backward(g)
    gx, gw, gb = linear_grads_np(x0.astype(np.float64), w0.astype(np.float64), g)
    for t, ref in ((x, gx), (w, gw), (b, gb)):
        if t is None:
            continue
        assert isinstance(t.grad, Tensor) and t.grad.dtype == t.dtype  # each operand keeps its dtype
        np.testing.assert_allclose(t.grad.data, ref, rtol=1e-5, atol=1e-5)


def test_linear_graph_is_one_op_named_linear():
    x = tensor(RNG.standard_normal((4, 3)), dtype="float64")
    w, b = t64(RNG.standard_normal((2, 3))), t64(RNG.standard_normal(2))
    out = F.linear(x, w, b)
    labels = op_labels(draw_graph(out).source)
    assert len(labels) == 1 and labels[0].split()[0] == "linear", labels
    assert "(4, 3)" in labels[0] and "(4, 2)" in labels[0]  # the label shows input and output shapes
    unfused = op_labels(draw_graph(x @ w.T + b).source)
    assert sorted(re.match(r"[a-z_]+", lab).group() for lab in unfused) == ["add", "matmul", "permute"]


def test_nn_linear_layer_uses_the_fused_op():
    layer = nn.Linear(3, 2, dtype="float64")
    x0 = RNG.standard_normal((5, 3))
    out = layer(t64(x0, requires_grad=False))
    assert out.op == "linear"
    w0, b0 = layer.weight.data.copy(), layer.bias.data.copy()
    np.testing.assert_allclose(out.data, x0 @ w0.T + b0, rtol=1e-14)
    g = RNG.standard_normal(out.shape)
    out.backward(g)
    _, gw, gb = linear_grads_np(x0, w0, g)
    np.testing.assert_allclose(layer.weight.grad.data, gw, rtol=1e-13)
    np.testing.assert_allclose(layer.bias.grad.data, gb, rtol=1e-13)
    no_bias = nn.Linear(3, 2, bias=False, dtype="float64")
    np.testing.assert_allclose(no_bias(t64(x0, False)).data, x0 @ no_bias.weight.data.T, rtol=1e-14)


def test_linear_counts_macs_as_a_matrix_product():
    n, k, m = 5, 3, 4
    x, w, b = t64(RNG.standard_normal((n, k))), t64(RNG.standard_normal((m, k))), t64(RNG.standard_normal(m))
    with autograd.count_ops() as c:
        F.linear(x, w, b).sum().backward()
    assert c.by_op["linear"] == 1 and c.forward_macs == n * k * m
    assert c.backward_macs == 2 * n * k * m  # g W and g^T x
    assert c.local_derivatives == 3 + 1  # linear's three operands, sum's one


# ============================================================================================== cross-entropy
def ce_np(x, y, weight=None, reduction="mean"):
    """Loss and d loss / d x of PyTorch's cross-entropy for (N, C) logits, written out in numpy."""
    n = x.shape[0]
    m = x.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(x - m).sum(axis=1))
    per = weight[y] if weight is not None else np.ones(n)
    denom = per.sum() if reduction == "mean" else 1.0
    loss = (per * (lse - x[np.arange(n), y])).sum() / denom
    p = np.exp(x - lse[:, None])
    onehot = np.zeros_like(x)
    onehot[np.arange(n), y] = 1.0
    return loss, (per / denom)[:, None] * (p - onehot)


# (N, C): classes first needs C <= 64 and N >= 16; the others take the (N, C) layout
CE_SHAPES = [(32, 10), (16, 64), (5, 10), (15, 64), (20, 100)]
CE_IDS = ["32x10_classes_first", "16x64_classes_first", "5x10_rows", "15x64_rows", "20x100_rows"]


def _ce_data(shape, seed=0):
    rng = np.random.default_rng(seed)
    n, c = shape
    x = rng.standard_normal(shape) * 3.0
    y = rng.integers(0, c, n)
    w = rng.uniform(0.2, 2.0, c)
    return x, y, w


def _fused_ce(x0, y, **kw):
    x = t64(x0)
    loss = F.cross_entropy(x, y, **kw)
    return x, loss


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("shape", CE_SHAPES, ids=CE_IDS)
def test_cross_entropy_fused_matches_numpy(shape, reduction, weighted):
    x0, y, w = _ce_data(shape)
    w = w if weighted else None
    x, loss = _fused_ce(x0, y, weight=w, reduction=reduction)
    assert loss.op == "cross_entropy" and loss.shape == () and loss.dtype == np.float64
    loss.backward()
    expected, grad = ce_np(x0, y, w, reduction)
    np.testing.assert_allclose(loss.item(), expected, rtol=1e-13)
    np.testing.assert_allclose(x.grad.data, grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("shape", CE_SHAPES, ids=CE_IDS)
def test_cross_entropy_fused_vs_torch(shape, reduction, weighted):
    torch = torch_or_skip()
    x0, y, w = _ce_data(shape, seed=1)
    w = w if weighted else None
    x, loss = _fused_ce(x0, y, weight=w, reduction=reduction)
    seed = 0.7  # an upstream gradient other than 1
    (loss * seed).backward()
    xt = torch.tensor(x0, requires_grad=True)
    wt = None if w is None else torch.tensor(w)
    ref = torch.nn.functional.cross_entropy(xt, torch.tensor(y), weight=wt, reduction=reduction)
    (ref * seed).backward()
    np.testing.assert_allclose(loss.item(), ref.item(), rtol=TORCH_RTOL, atol=TORCH_ATOL)
    np.testing.assert_allclose(x.grad.data, xt.grad.numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)


def _general_path(x, y, weight, reduction):
    """The same loss through log_softmax + nll_loss (no fused op anywhere)."""
    if weight is None:
        terms = F.cross_entropy(x, y, reduction="none")
        loss = terms.mean() if reduction == "mean" else terms.sum()
    else:
        loss = L.nll_loss(autograd.log_softmax(x, 1), y, weight=weight, reduction=reduction)
    assert loss.op != "cross_entropy"
    return loss


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("shape", CE_SHAPES, ids=CE_IDS)
def test_cross_entropy_fused_equals_general_path(shape, reduction, weighted):
    x0, y, w = _ce_data(shape, seed=2)
    w = w if weighted else None
    x, fused = _fused_ce(x0, y, weight=w, reduction=reduction)
    fused.backward()
    xg = t64(x0)
    general = _general_path(xg, y, w, reduction)
    general.backward()
    np.testing.assert_allclose(fused.item(), general.item(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(x.grad.data, xg.grad.data, rtol=1e-12, atol=1e-12)


# Logits that are views of other arrays: a transpose (Fortran order, as linear lays out a batch) and a
# slice taking every other column (neither order).
LAYOUTS = {"transposed": lambda a: np.ascontiguousarray(a.T).T,
           "every_other_column": lambda a: np.repeat(a, 2, 1)[:, ::2]}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("shape", CE_SHAPES, ids=CE_IDS)
def test_cross_entropy_fused_on_logits_that_are_views(shape, layout):
    # The label entries are read and, in the backward pass, written through a flat view of the logits'
    # layout: with many classes, logits in Fortran order once lost the label's -1 from their gradient.
    x0, y, w = _ce_data(shape, seed=5)
    view = LAYOUTS[layout](x0)
    assert not view.flags.c_contiguous and np.array_equal(view, x0)
    for kw in ({}, {"weight": w, "reduction": "sum"}):
        x = Tensor(view, requires_grad=True)
        loss = F.cross_entropy(x, y, **kw)
        assert loss.op == "cross_entropy"
        loss.backward()
        expected, grad = ce_np(x0, y, kw.get("weight"), kw.get("reduction", "mean"))
        np.testing.assert_allclose(loss.item(), expected, rtol=1e-13)
        np.testing.assert_allclose(x.grad.data, grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("shape", [(20, 4), (3, 5)], ids=["classes_first", "rows"])
def test_cross_entropy_fused_array_rule_equals_tensor_rule(shape):
    x0, y, w = _ce_data(shape, seed=3)
    for kw in ({}, {"weight": w, "reduction": "sum"}):
        plain, loss = _fused_ce(x0, y, **kw)
        loss.backward(0.3)
        recorded, loss_r = _fused_ce(x0, y, **kw)
        loss_r.backward(0.3, create_graph=True)
        assert recorded.grad.requires_grad  # the Tensor rule ran, recorded
        np.testing.assert_allclose(plain.grad.data, recorded.grad.data, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("shape", [(16, 3), (3, 5)], ids=["classes_first", "rows"])
def test_cross_entropy_fused_gradcheck_and_gradgradcheck(shape):
    x0, y, w = _ce_data(shape, seed=4)
    for kw in ({}, {"weight": w, "reduction": "sum"}):
        f = lambda x, kw=kw: F.cross_entropy(x, y, **kw)
        assert f(t64(x0)).op == "cross_entropy"
        assert gradcheck(f, [x0], atol=1e-7, rtol=1e-6)
        assert gradgradcheck(f, [x0], atol=1e-7, rtol=1e-6)


def test_cross_entropy_second_derivative_vs_torch():
    torch = torch_or_skip()
    x0, y, w = _ce_data((16, 5), seed=5)
    x = t64(x0)
    g = autograd.grad(lambda z: F.cross_entropy(z, y, weight=w), create_graph=True)(x)
    (g * g).sum().backward()
    xt = torch.tensor(x0, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(xt, torch.tensor(y), weight=torch.tensor(w))
    (gt,) = torch.autograd.grad(ref, xt, create_graph=True)
    (gt * gt).sum().backward()
    np.testing.assert_allclose(g.data, gt.detach().numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)
    np.testing.assert_allclose(x.grad.data, xt.grad.numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)


@pytest.mark.parametrize("label_dtype", ["int32", "int64", "uint8"])
@pytest.mark.parametrize("shape", [(24, 7), (4, 7)], ids=["classes_first", "rows"])
def test_cross_entropy_label_dtypes(shape, label_dtype):
    x0, y, _ = _ce_data(shape, seed=6)
    labels = y.astype(label_dtype)
    for target in (labels, tensor(labels)):
        x, loss = _fused_ce(x0, target)
        assert loss.op == "cross_entropy"
        loss.backward()
        expected, grad = ce_np(x0, y)
        np.testing.assert_allclose(loss.item(), expected, rtol=1e-13)
        np.testing.assert_allclose(x.grad.data, grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("label_dtype", ["uint8", "int8", "int16"])
@pytest.mark.parametrize("shape", [(300, 10), (300, 70)], ids=["classes_first", "rows"])
def test_cross_entropy_small_label_dtypes_with_a_large_batch(shape, label_dtype):
    # A label times the batch size (or the class count) does not fit these dtypes: positions must not be
    # computed in the labels' own dtype, where they would wrap or overflow.
    x0, y, w = _ce_data(shape, seed=9)
    for weight in (None, w):
        x, loss = _fused_ce(x0, tensor(y.astype(label_dtype)), weight=weight)
        assert loss.op == "cross_entropy"
        loss.backward()
        expected, grad = ce_np(x0, y, weight)
        np.testing.assert_allclose(loss.item(), expected, rtol=1e-13)
        np.testing.assert_allclose(x.grad.data, grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("reduction, expected", [("mean", "nan"), ("sum", 0.0)])
def test_cross_entropy_empty_batch_gives_nan_mean_and_zero_sum(reduction, expected):
    x = t64(np.zeros((0, 3)), requires_grad=True)
    loss = F.cross_entropy(x, np.zeros(0, dtype=np.int64), reduction=reduction)
    if expected == "nan":
        assert np.isnan(loss.item())
    else:
        assert loss.item() == expected
    loss.backward()
    assert x.grad.shape == (0, 3)


@pytest.mark.parametrize("bad, label_dtype", [(10, "int64"), (-1, "int64"), (-3, "int32"), (255, "uint8"),
                                              (10, "int32")])
@pytest.mark.parametrize("n", [3, 20], ids=["rows", "classes_first"])
def test_cross_entropy_bad_labels_raise_index_error_naming_the_label(n, bad, label_dtype):
    x0 = RNG.standard_normal((n, 10))
    y = np.arange(n) % 10
    y[1] = bad
    y = y.astype(label_dtype)
    for reduction in ("mean", "sum"):
        with pytest.raises(IndexError, match=rf"label {bad} at position \(1,\) is out of range for 10 "):
            F.cross_entropy(t64(x0), y, reduction=reduction)


@pytest.mark.parametrize("label_dtype, n_classes", [("int8", 200), ("int8", 300), ("int16", 70_000)])
def test_cross_entropy_narrow_signed_labels_with_many_classes(label_dtype, n_classes):
    # Read as unsigned, int8's -100 is 156 and -1 is 255: fewer than 200 or 300 classes. Neither may
    # pass for a class index.
    rng = np.random.default_rng(10)
    x0 = rng.standard_normal((3, n_classes))
    y = np.array([5, -100, 7], dtype=label_dtype)
    loss = F.cross_entropy(t64(x0), y)
    keep = np.array([True, False, True])
    np.testing.assert_allclose(loss.item(), ce_np(x0[keep], y[keep].astype(np.int64))[0], rtol=1e-13)
    with pytest.raises(IndexError, match=r"label -1 at position \(1,\) is out of range"):
        F.cross_entropy(t64(x0), np.array([5, -1, 7], dtype=label_dtype))


def test_cross_entropy_ignore_index_label_is_not_a_bad_label():
    x0, y, _ = _ce_data((5, 4), seed=7)
    y[2] = -100  # the default ignore_index: skipped by the general path, not an error
    loss = F.cross_entropy(t64(x0), y)
    assert loss.op != "cross_entropy"
    keep = np.arange(5) != 2
    np.testing.assert_allclose(loss.item(), ce_np(x0[keep], y[keep])[0], rtol=1e-13)


@pytest.mark.parametrize("shape", [(20, 5), (4, 5)], ids=["classes_first", "rows"])
def test_cross_entropy_huge_logits_stay_finite(shape):
    rng = np.random.default_rng(8)
    x0 = rng.choice([-1e4, 0.0, 1e4], size=shape) + rng.standard_normal(shape)
    y = rng.integers(0, shape[1], shape[0])
    x, loss = _fused_ce(x0, y)
    loss.backward()
    assert np.isfinite(loss.item()) and np.isfinite(x.grad.data).all()
    expected, grad = ce_np(x0, y)
    # logits of 1e4 keep about 12 digits of their fractional part: compare to that precision
    np.testing.assert_allclose(loss.item(), expected, rtol=1e-10)
    np.testing.assert_allclose(x.grad.data, grad, rtol=1e-10, atol=1e-13)
    torch = pytest.importorskip("torch")
    xt = torch.tensor(x0, requires_grad=True)
    torch.nn.functional.cross_entropy(xt, torch.tensor(y)).backward()
    np.testing.assert_allclose(x.grad.data, xt.grad.numpy(), rtol=1e-10, atol=1e-13)


def _both_paths(x0, y):
    x, fused = _fused_ce(x0, y)
    fused.backward()
    xg = t64(x0)
    general = _general_path(xg, y, None, "mean")
    general.backward()
    return (fused, x.grad.data), (general, xg.grad.data)


@pytest.mark.parametrize("shape", [(20, 5), (4, 5)], ids=["classes_first", "rows"])
def test_cross_entropy_inf_logit_gives_nan_in_its_row_like_the_general_path_and_torch(shape):
    # Found behaviour (fused, general path and torch alike): +inf in a row makes the loss nan and that
    # row's gradient nan; every other row's gradient stays finite and exact.
    x0, y, _ = _ce_data(shape, seed=9)
    x0[1, (y[1] + 1) % shape[1]] = np.inf
    with np.errstate(invalid="ignore"):
        (fused, g_fused), (general, g_general) = _both_paths(x0, y)
    assert np.isnan(fused.item()) and np.isnan(general.item())
    assert np.isnan(g_fused[1]).all() and np.isnan(g_general[1]).all()
    others = np.arange(shape[0]) != 1
    assert np.isfinite(g_fused[others]).all()
    np.testing.assert_allclose(g_fused[others], g_general[others], rtol=1e-12, atol=1e-15)
    torch = pytest.importorskip("torch")
    xt = torch.tensor(x0, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(xt, torch.tensor(y))
    ref.backward()
    assert np.isnan(ref.item())
    np.testing.assert_array_equal(np.isnan(xt.grad.numpy()), np.isnan(g_fused))


@pytest.mark.parametrize("shape", [(20, 5), (4, 5)], ids=["classes_first", "rows"])
def test_cross_entropy_minus_inf_logits(shape):
    # Found behaviour (fused, general path and torch alike): -inf on another class is a probability of 0
    # (finite loss, gradient 0 there); -inf on the label makes the loss +inf with a finite gradient.
    x0, y, _ = _ce_data(shape, seed=10)
    other = x0.copy()
    other[1, (y[1] + 1) % shape[1]] = -np.inf
    (fused, g_fused), (general, g_general) = _both_paths(other, y)
    finite = other.copy()
    finite[1, (y[1] + 1) % shape[1]] = -1e300  # exp underflows to exactly 0: the same loss
    expected, grad = ce_np(finite, y)
    np.testing.assert_allclose([fused.item(), general.item()], expected, rtol=1e-12)
    np.testing.assert_allclose(g_fused, grad, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g_general, grad, rtol=1e-12, atol=1e-15)

    at_label = x0.copy()
    at_label[1, y[1]] = -np.inf
    with np.errstate(invalid="ignore", divide="ignore"):
        (fused, g_fused), (general, g_general) = _both_paths(at_label, y)
    assert fused.item() == np.inf and general.item() == np.inf
    assert np.isfinite(g_fused).all()
    np.testing.assert_allclose(g_fused, g_general, rtol=1e-12, atol=1e-15)


def test_cross_entropy_float32_logits_give_float32_loss_and_grads():
    for shape in ((32, 10), (5, 10)):
        x0, y, w = _ce_data(shape, seed=11)
        for kw in ({}, {"weight": w}, {"reduction": "sum"}):
            x = Tensor(x0.astype(np.float32), requires_grad=True)
            loss = F.cross_entropy(x, y, **kw)
            assert loss.op == "cross_entropy" and loss.dtype == np.float32
            loss.backward()
            assert isinstance(x.grad, Tensor) and x.grad.dtype == np.float32
            expected, grad = ce_np(x0.astype(np.float32).astype(np.float64), y, kw.get("weight"),
                                   kw.get("reduction", "mean"))
            np.testing.assert_allclose(loss.item(), expected, rtol=1e-5)
            np.testing.assert_allclose(x.grad.data, grad, rtol=1e-4, atol=1e-6)


def test_cross_entropy_loss_module_takes_the_fused_path():
    x0, y, w = _ce_data((6, 3), seed=12)
    loss = nn.CrossEntropyLoss(weight=w, reduction="sum")(t64(x0), y)
    assert loss.op == "cross_entropy"
    np.testing.assert_allclose(loss.item(), ce_np(x0, y, w, "sum")[0], rtol=1e-13)


@pytest.mark.parametrize("case", ["label_smoothing", "none", "ignore_in_range", "spatial", "probabilities",
                                  "unbatched"])
def test_cross_entropy_other_cases_take_the_general_path(case):
    torch = torch_or_skip()
    x0, y, _ = _ce_data((4, 3), seed=13)
    kw: dict = {}
    if case == "label_smoothing":
        kw = {"label_smoothing": 0.1}
    elif case == "none":
        kw = {"reduction": "none"}
    elif case == "ignore_in_range":
        kw = {"ignore_index": 1}
    elif case == "spatial":
        x0, y = RNG.standard_normal((2, 3, 2)), RNG.integers(0, 3, (2, 2))
    elif case == "probabilities":
        y = np.abs(RNG.standard_normal((4, 3)))
        y /= y.sum(axis=1, keepdims=True)
    else:
        x0, y = x0[0], y[0]
    x = t64(x0)
    loss = F.cross_entropy(x, y, **kw)
    assert loss.op != "cross_entropy"
    g = RNG.standard_normal(loss.shape)
    loss.backward(g)
    xt = torch.tensor(x0, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(xt, torch.tensor(y), **kw)
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(loss.data, ref.detach().numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)
    np.testing.assert_allclose(x.grad.data, xt.grad.numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)
