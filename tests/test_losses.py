"""Losses: forward vs closed forms written in numpy, vs torch (float64), gradients vs finite differences,
stability for large logits, and the errors for bad targets."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograd import Tensor, tensor
from nn import losses as L

try:
    from autograd import gradcheck
except ImportError:  # pragma: no cover - fallback while the core helper is missing
    gradcheck = None

REDUCTIONS = ["mean", "sum", "none"]
RNG = np.random.default_rng(0)


# ---------------------------------------------------------------------------------------------- helpers
def t64(a, requires_grad=True) -> Tensor:
    return Tensor(np.array(a, dtype=np.float64), requires_grad=requires_grad)


def check_grad(f, *arrays) -> None:
    """Gradient of f (a function of float64 Tensors) vs two-sided finite differences."""
    xs = [np.array(a, dtype=np.float64) for a in arrays]
    if gradcheck is not None:
        assert gradcheck(f, [Tensor(x) for x in xs], eps=1e-6, atol=1e-7, rtol=1e-5)
        return
    ts = [Tensor(x.copy(), requires_grad=True) for x in xs]  # pragma: no cover
    out = f(*ts)
    out.backward(np.ones_like(out.data))
    for i, x in enumerate(xs):
        num = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            def val(h, idx=idx, i=i):
                moved = [y.copy() for y in xs]
                moved[i][idx] += h
                return f(*[Tensor(y) for y in moved]).data.sum()
            num[idx] = (val(1e-6) - val(-1e-6)) / 2e-6
        np.testing.assert_allclose(ts[i].grad.data, num, rtol=1e-5, atol=1e-7)


def reduce_np(v: np.ndarray, reduction: str):
    return {"mean": np.mean, "sum": np.sum, "none": lambda a: a}[reduction](v)


def log_softmax_np(x: np.ndarray, axis: int = 1) -> np.ndarray:
    # independent reference: logsumexp with the max subtracted, row by row in Python floats for 2-D
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def torch_or_skip():
    return pytest.importorskip("torch")


def to_torch(torch, a, requires_grad=False):
    a = a.data if isinstance(a, Tensor) else a
    out = torch.tensor(np.asarray(a))
    if requires_grad:
        out.requires_grad_(True)
    return out


def compare_with_torch(ours_fn, torch_fn, x: np.ndarray, *others, rtol=1e-10, atol=1e-12):
    """Forward and gradient (w.r.t. the first argument) of ours vs torch, float64."""
    torch = torch_or_skip()
    xt = t64(x)
    out = ours_fn(xt, *others)
    xr = to_torch(torch, x, requires_grad=True)
    ref = torch_fn(xr, *[to_torch(torch, o) if o is not None else None for o in others])
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=rtol, atol=atol)
    seed = RNG.standard_normal(out.data.shape)
    out.backward(seed)
    ref.backward(torch.tensor(seed))
    np.testing.assert_allclose(xt.grad.data, xr.grad.numpy(), rtol=rtol, atol=atol)


# ---------------------------------------------------------------------------------------------- MSE
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_closed_form(reduction):
    x, y = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    got = L.mse_loss(t64(x), t64(y, False), reduction=reduction)
    np.testing.assert_allclose(got.data, reduce_np((x - y) ** 2, reduction), rtol=1e-14)
    check_grad(lambda a, b: L.mse_loss(a, b, reduction=reduction), x, y)


def test_mse_is_the_mean_not_half_the_mean():
    assert L.MSELoss()(tensor([3.0, 1.0]), tensor([1.0, 1.0])).item() == 2.0
    assert L.mse_loss(tensor([3.0]), tensor([1.0]), reduction="sum").item() == 4.0


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_vs_torch(reduction):
    torch = torch_or_skip()
    x, y = RNG.standard_normal((5, 2)), RNG.standard_normal((5, 2))
    compare_with_torch(lambda a, b: L.mse_loss(a, b, reduction=reduction),
                       lambda a, b: torch.nn.functional.mse_loss(a, b, reduction=reduction), x, y)


def test_mse_keeps_float32():
    out = L.mse_loss(tensor([1.0, 2.0], requires_grad=True), np.array([0.0, 0.0]))
    assert out.dtype == np.float32


# ---------------------------------------------------------------------------------------------- cross-entropy
def ce_reference(x, y, weight=None, ignore_index=-100, reduction="mean"):
    """Cross-entropy of (N, C) logits and labels, one example at a time with math (independent)."""
    terms, weights = [], []
    for row, label in zip(x, y):
        if label == ignore_index:
            terms.append(0.0)
            weights.append(0.0)
            continue
        m = max(row)
        lse = m + math.log(sum(math.exp(v - m) for v in row))
        w = 1.0 if weight is None else weight[label]
        terms.append(w * (lse - row[label]))
        weights.append(w)
    terms = np.array(terms)
    if reduction == "none":
        return terms
    if reduction == "sum":
        return terms.sum()
    return terms.sum() / sum(weights)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_closed_form(reduction, weighted):
    x = RNG.standard_normal((6, 4))
    y = np.array([0, 3, 1, 1, 2, 0])
    w = np.array([0.5, 2.0, 1.0, 3.0]) if weighted else None
    got = L.cross_entropy(t64(x), y, weight=w, reduction=reduction)
    np.testing.assert_allclose(got.data, ce_reference(x, y, w, reduction=reduction), rtol=1e-12)
    check_grad(lambda a: L.cross_entropy(a, y, weight=w, reduction=reduction), x)


def test_cross_entropy_gradient_is_softmax_minus_onehot():
    x = RNG.standard_normal((3, 5))
    y = np.array([4, 0, 2])
    xt = t64(x)
    L.cross_entropy(xt, y, reduction="sum").backward()
    p = np.exp(log_softmax_np(x))
    np.testing.assert_allclose(xt.grad.data, p - np.eye(5)[y], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_ignore_index(reduction):
    x = RNG.standard_normal((5, 3))
    y = np.array([0, -100, 2, 1, -100])
    w = np.array([1.0, 2.0, 0.5])
    got = L.cross_entropy(t64(x), y, weight=w, reduction=reduction)
    np.testing.assert_allclose(got.data, ce_reference(x, y, w, reduction=reduction), rtol=1e-12)
    xt = t64(x)
    L.cross_entropy(xt, y, ignore_index=-100).backward()
    assert np.all(xt.grad.data[[1, 4]] == 0)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_probabilities_closed_form(reduction):
    x = RNG.standard_normal((4, 3))
    p = RNG.dirichlet(np.ones(3), size=4)
    got = L.cross_entropy(t64(x), t64(p, False), reduction=reduction)
    np.testing.assert_allclose(got.data, reduce_np(-(p * log_softmax_np(x)).sum(1), reduction), rtol=1e-12)
    check_grad(lambda a, b: L.cross_entropy(a, b, reduction=reduction), x, p)


def test_cross_entropy_one_hot_probabilities_equal_labels():
    x = RNG.standard_normal((4, 3))
    y = np.array([2, 0, 1, 1])
    a = L.cross_entropy(t64(x), y).item()
    b = L.cross_entropy(t64(x), np.eye(3)[y]).item()
    assert a == pytest.approx(b, rel=1e-14)


def test_cross_entropy_unbatched_and_spatial():
    x = RNG.standard_normal((2, 3, 4, 5))  # (N, C, d1, d2)
    y = RNG.integers(0, 3, size=(2, 4, 5))
    got = L.cross_entropy(t64(x), y, reduction="none")
    flat_x = np.moveaxis(x, 1, -1).reshape(-1, 3)
    expected = ce_reference(flat_x, y.reshape(-1), reduction="none").reshape(2, 4, 5)
    np.testing.assert_allclose(got.data, expected, rtol=1e-12)
    check_grad(lambda a: L.cross_entropy(a, y), x)
    v = RNG.standard_normal(4)
    assert L.cross_entropy(t64(v), np.int64(2)).item() == pytest.approx(ce_reference(v[None], [2]))


@pytest.mark.parametrize("logit", [1e4, -1e4, 1e30])
def test_cross_entropy_stable_for_huge_logits(logit):
    x = t64([[logit, 0.0, -logit], [0.0, logit, 1.0]])
    loss = L.cross_entropy(x, [2, 1])
    loss.backward()
    assert np.isfinite(loss.item()) and np.all(np.isfinite(x.grad.data))
    expected = ce_reference(x.data, [2, 1])
    assert loss.item() == pytest.approx(expected, rel=1e-12)
    x32 = tensor([[1e4, 0.0]], requires_grad=True)
    loss32 = L.cross_entropy(x32, [1])
    loss32.backward()
    assert loss32.item() == 1e4 and x32.grad.tolist() == [[1.0, -1.0]]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", ["labels", "weight", "ignore", "probs", "probs_weight", "smooth",
                                  "smooth_weight_ignore", "smooth_probs", "spatial"])
def test_cross_entropy_vs_torch(reduction, case):
    torch = torch_or_skip()
    F = torch.nn.functional
    x = RNG.standard_normal((6, 4))
    y = np.array([0, 3, 1, -100, 2, 0])
    w = np.array([0.5, 2.0, 1.0, 3.0])
    kw = {}
    if case == "labels":
        y = np.abs(y) % 4
    if case in ("weight", "probs_weight", "smooth_weight_ignore"):
        kw["weight"] = w
    if case.startswith("smooth"):
        kw["label_smoothing"] = 0.2
    if case.startswith("probs") or case == "smooth_probs":
        y = RNG.dirichlet(np.ones(4), size=6)
    if case == "spatial":
        x = RNG.standard_normal((2, 4, 3))
        y = RNG.integers(0, 4, size=(2, 3))
    tkw = {k: (torch.tensor(v) if isinstance(v, np.ndarray) else v) for k, v in kw.items()}
    compare_with_torch(lambda a, b: L.cross_entropy(a, b, reduction=reduction, **kw),
                       lambda a, b: F.cross_entropy(a, b, reduction=reduction, **tkw), x, y)


# ---------------------------------------------------------------------------------------------- NLL
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_closed_form_and_torch(reduction):
    logp = log_softmax_np(RNG.standard_normal((5, 3)))
    y = np.array([2, 0, 1, 2, -100])
    w = np.array([1.0, 0.5, 2.0])
    got = L.nll_loss(t64(logp), y, weight=w, reduction=reduction)
    terms = np.array([-w[c] * logp[i, c] if c != -100 else 0.0 for i, c in enumerate(y)])
    expected = {"none": terms, "sum": terms.sum(), "mean": terms.sum() / w[y[:4]].sum()}[reduction]
    np.testing.assert_allclose(got.data, expected, rtol=1e-13)
    check_grad(lambda a: L.nll_loss(a, y, weight=w, reduction=reduction), logp)
    torch = pytest.importorskip("torch")
    compare_with_torch(lambda a, b: L.nll_loss(a, b, weight=w, reduction=reduction),
                       lambda a, b: torch.nn.functional.nll_loss(a, b, weight=torch.tensor(w),
                                                                 reduction=reduction), logp, y)


def test_nll_of_log_softmax_is_cross_entropy():
    x = RNG.standard_normal((4, 5))
    y = np.array([1, 4, 0, 0])
    a = L.NLLLoss()(t64(log_softmax_np(x)), y)
    assert a.item() == pytest.approx(L.CrossEntropyLoss()(t64(x), y).item(), rel=1e-13)


# ---------------------------------------------------------------------------------------------- BCE
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_closed_form(reduction):
    p = RNG.uniform(0.05, 0.95, size=(3, 4))
    y = RNG.uniform(0, 1, size=(3, 4))
    w = RNG.uniform(0.5, 2.0, size=(4,))
    got = L.binary_cross_entropy(t64(p), t64(y, False), weight=w, reduction=reduction)
    ref = -w * (y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(got.data, reduce_np(ref, reduction), rtol=1e-13)
    check_grad(lambda a, b: L.binary_cross_entropy(a, b, weight=w, reduction=reduction), p, y)


def test_bce_clamps_logs_at_minus_100():
    x = t64([0.0, 1.0, 0.0, 1.0])
    loss = L.binary_cross_entropy(x, [1.0, 0.0, 0.0, 1.0], reduction="none")
    assert loss.tolist() == [100.0, 100.0, 0.0, 0.0]
    loss.sum().backward()
    assert np.all(np.isfinite(x.grad.data))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_vs_torch(reduction):
    torch = torch_or_skip()
    p = np.array([[0.0, 0.3, 1.0], [0.999, 1e-3, 0.5]])
    y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.25]])
    w = np.array([1.0, 2.0, 0.5])
    compare_with_torch(lambda a, b: L.binary_cross_entropy(a, b, weight=w, reduction=reduction),
                       lambda a, b: torch.nn.functional.binary_cross_entropy(
                           a, b, weight=torch.tensor(w), reduction=reduction), p, y, rtol=1e-8)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_closed_form(reduction):
    x = RNG.standard_normal((3, 4)) * 3
    y = RNG.uniform(0, 1, size=(3, 4))
    got = L.binary_cross_entropy_with_logits(t64(x), t64(y, False), reduction=reduction)
    s = 1 / (1 + np.exp(-x))
    ref = -(y * np.log(s) + (1 - y) * np.log(1 - s))
    np.testing.assert_allclose(got.data, reduce_np(ref, reduction), rtol=1e-12)
    check_grad(lambda a, b: L.binary_cross_entropy_with_logits(a, b, reduction=reduction), x, y)
    pw = np.array([1.0, 2.0, 0.5, 3.0])
    got = L.binary_cross_entropy_with_logits(t64(x), y, reduction=reduction, pos_weight=pw)
    ref = -(pw * y * np.log(s) + (1 - y) * np.log(1 - s))
    np.testing.assert_allclose(got.data, reduce_np(ref, reduction), rtol=1e-12)
    check_grad(lambda a: L.binary_cross_entropy_with_logits(a, y, reduction=reduction, pos_weight=pw), x)


def test_bce_with_logits_gradient_is_sigmoid_minus_target():
    x = RNG.standard_normal(6)
    y = RNG.uniform(0, 1, size=6)
    xt = t64(x)
    L.binary_cross_entropy_with_logits(xt, y, reduction="sum").backward()
    np.testing.assert_allclose(xt.grad.data, 1 / (1 + np.exp(-x)) - y, rtol=1e-12)


def test_bce_with_logits_stable():
    x = t64([1e4, -1e4, 800.0, -800.0])
    loss = L.binary_cross_entropy_with_logits(x, [1.0, 0.0, 0.0, 1.0], reduction="none")
    assert loss.tolist() == [0.0, 0.0, 800.0, 800.0]
    loss.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, -1.0]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_vs_torch(reduction):
    torch = torch_or_skip()
    x = RNG.standard_normal((4, 3)) * 5
    y = RNG.uniform(0, 1, size=(4, 3))
    w, pw = np.array([[1.0], [2.0], [0.5], [1.5]]), np.array([0.5, 1.0, 4.0])
    compare_with_torch(
        lambda a, b: L.binary_cross_entropy_with_logits(a, b, weight=w, reduction=reduction, pos_weight=pw),
        lambda a, b: torch.nn.functional.binary_cross_entropy_with_logits(
            a, b, weight=torch.tensor(w), reduction=reduction, pos_weight=torch.tensor(pw)), x, y)


# ---------------------------------------------------------------------------------------------- hinge / SVM
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_closed_form(reduction):
    s = np.array([2.0, 0.5, -1.0, 0.3, -2.5])
    y = np.array([1.0, 1.0, 1.0, -1.0, -1.0])
    got = L.hinge_loss(t64(s), y, reduction=reduction)
    np.testing.assert_allclose(got.data, reduce_np(np.maximum(0, 1 - y * s), reduction))
    st = t64(s)
    L.hinge_loss(st, y, reduction="sum").backward()
    assert st.grad.tolist() == [0.0, -1.0, -1.0, 1.0, 0.0]
    check_grad(lambda a: L.hinge_loss(a, y, reduction=reduction), s)  # no point at the kink


def test_hinge_vs_torch_margin_formula():
    torch = torch_or_skip()
    s = RNG.standard_normal(7)
    y = np.where(RNG.uniform(size=7) > 0.5, 1.0, -1.0)
    compare_with_torch(lambda a, b: L.HingeLoss(margin=0.5)(a, b),
                       lambda a, b: torch.clamp(0.5 - b * a, min=0).mean(), s, y)


# Textbook Exercise 4 (ch. 7): x1 = (-1, 0), y1 = -1; x2 = (1, 0), y2 = 1; x3 = (0, 0), y3 = -1;
# x4 = (2, 0), y4 = 1
SVM_X = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 0.0], [2.0, 0.0]])
SVM_Y = np.array([-1.0, 1.0, -1.0, 1.0])


def svm_reference(w, b, lam):
    return lam * float(w @ w) + float(np.mean(np.maximum(0.0, 1 - SVM_Y * (SVM_X @ w - b))))


def test_svm_objective_textbook_exercise():
    for w, b, lam in [((1.0, 0.0), 0.0, 0.1), ((0.3, -0.7), 0.2, 0.01), ((2.0, 0.0), 1.0, 0.005)]:
        w = np.array(w)
        got = L.svm_objective(t64(w), b, SVM_X, SVM_Y, lam)
        assert got.item() == pytest.approx(svm_reference(w, b, lam), rel=1e-14)
    # the book's w . x - b convention: with w = (1, 0), b = 0.5, x3 = (0, 0) has margin y3 (0 - 0.5) = 0.5
    got = L.svm_objective(t64([1.0, 0.0]), 0.5, SVM_X, SVM_Y, 0.0).item()
    assert got == pytest.approx((0 + 0.5 + 0.5 + 0) / 4)


def test_svm_objective_gradient_on_a_smooth_piece():
    # at w = (0.3, -0.7), b = 0.2 every point is strictly inside the margin: the gradient of (7.12) is
    # 2 lam w - (1/N) sum_i y_i x_i  and  d/db = (1/N) sum_i y_i
    lam = 0.01
    w, b = t64([0.3, -0.7]), t64(0.2)
    L.svm_objective(w, b, SVM_X, SVM_Y, lam).backward()
    np.testing.assert_allclose(w.grad.data, 2 * lam * w.data - (SVM_Y[:, None] * SVM_X).mean(0), rtol=1e-14)
    assert b.grad.item() == pytest.approx(SVM_Y.mean(), abs=1e-15)
    check_grad(lambda w_, b_: L.svm_objective(w_, b_, SVM_X, SVM_Y, lam), [0.3, -0.7], 0.2)


def test_svm_objective_minimum_of_the_exercise():
    # for lam < 1/16 the minimum is the hard-margin separator w = (2, 0), b = 1 with L = 4 lam
    lam = 0.01
    best = svm_reference(np.array([2.0, 0.0]), 1.0, lam)
    assert L.svm_objective(t64([2.0, 0.0]), 1.0, SVM_X, SVM_Y, lam).item() == pytest.approx(4 * lam)
    for dw in [(0.05, 0.0), (-0.05, 0.0), (0.0, 0.05)]:
        for db in (-0.05, 0.0, 0.05):
            w = np.array([2.0, 0.0]) + dw
            assert L.svm_objective(t64(w), 1.0 + db, SVM_X, SVM_Y, lam).item() > best


# ---------------------------------------------------------------------------------------------- KL
@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")
@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_closed_form_and_torch(reduction, log_target):
    logq = log_softmax_np(RNG.standard_normal((3, 4)))
    p = RNG.dirichlet(np.ones(4), size=3)
    p[0, 1] = 0.0  # a zero probability contributes 0
    p[0] /= p[0].sum()
    with np.errstate(divide="ignore"):
        target = np.log(p) if log_target else p
    pointwise = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1)) - logq), 0.0)
    expected = pointwise.sum() / 3 if reduction == "batchmean" else reduce_np(pointwise, reduction)
    got = L.kl_div(t64(logq), target, reduction=reduction, log_target=log_target)
    np.testing.assert_allclose(got.data, expected, rtol=1e-12, atol=1e-15)
    xt = t64(logq)
    L.kl_div(xt, target, reduction="sum", log_target=log_target).backward()
    np.testing.assert_allclose(xt.grad.data, -p, rtol=1e-13, atol=1e-15)
    if not log_target:
        torch = pytest.importorskip("torch")
        compare_with_torch(lambda a, b: L.KLDivLoss(reduction=reduction)(a, b),
                           lambda a, b: torch.nn.functional.kl_div(a, b, reduction=reduction), logq, p)


def test_kl_log_target_vs_torch():
    torch = torch_or_skip()
    logq = log_softmax_np(RNG.standard_normal((3, 4)))
    logp = log_softmax_np(RNG.standard_normal((3, 4)))
    compare_with_torch(lambda a, b: L.kl_div(a, b, reduction="sum", log_target=True),
                       lambda a, b: torch.nn.functional.kl_div(a, b, reduction="sum", log_target=True),
                       logq, logp)
    check_grad(lambda a, b: L.kl_div(a, b, reduction="batchmean", log_target=True), logq, logp)


def test_kl_batchmean_is_the_batch_kl():
    p = np.array([[0.5, 0.5], [0.9, 0.1]])
    q = np.array([[0.25, 0.75], [0.5, 0.5]])
    kl = np.mean([(pi * np.log(pi / qi)).sum() for pi, qi in zip(p, q)])
    assert L.KLDivLoss(reduction="batchmean")(t64(np.log(q)), p).item() == pytest.approx(kl, rel=1e-14)


def test_kl_target_gradient():
    check_grad(lambda a, b: L.kl_div(a, b, reduction="sum"), log_softmax_np(RNG.standard_normal((2, 3))),
               RNG.dirichlet(np.ones(3), size=2))


# ---------------------------------------------------------------------------------------------- classes
def test_loss_classes_match_functions_and_print():
    x, y = RNG.standard_normal((4, 3)), np.array([0, 2, 1, 1])
    pairs = [
        (L.MSELoss(reduction="sum"), lambda a: L.mse_loss(a, np.ones((4, 3)), reduction="sum"),
         np.ones((4, 3))),
        (L.CrossEntropyLoss(weight=[1.0, 2.0, 3.0], label_smoothing=0.1),
         lambda a: L.cross_entropy(a, y, weight=[1.0, 2.0, 3.0], label_smoothing=0.1), y),
        (L.NLLLoss(ignore_index=1), lambda a: L.nll_loss(a, y, ignore_index=1), y),
        (L.HingeLoss(reduction="none"), lambda a: L.hinge_loss(a, np.ones((4, 3)), reduction="none"),
         np.ones((4, 3))),
        (L.BCEWithLogitsLoss(pos_weight=np.array([1.0, 2.0, 3.0])),
         lambda a: L.binary_cross_entropy_with_logits(a, np.full((4, 3), 0.5), pos_weight=[1.0, 2.0, 3.0]),
         np.full((4, 3), 0.5)),
        (L.KLDivLoss(reduction="batchmean", log_target=True),
         lambda a: L.kl_div(a, np.zeros((4, 3)) - 1, reduction="batchmean", log_target=True),
         np.zeros((4, 3)) - 1),
    ]
    for module, fn, target in pairs:
        np.testing.assert_allclose(module(t64(x), target).data, fn(t64(x)).data, rtol=1e-15)
    p = RNG.uniform(0.1, 0.9, (4, 3))
    bce = L.BCELoss(reduction="sum")(t64(p), p).item()
    assert bce == L.binary_cross_entropy(t64(p), p, reduction="sum").item()
    assert repr(L.MSELoss(reduction="sum")) == "MSELoss()"  # as torch: options are not printed
    assert "weight" in L.CrossEntropyLoss(weight=[1.0, 2.0]).state_dict()
    from nn.module import Module
    assert isinstance(L.CrossEntropyLoss(), Module)


def test_invalid_reduction_is_rejected_everywhere():
    classes = (L.MSELoss, L.CrossEntropyLoss, L.NLLLoss, L.BCELoss, L.BCEWithLogitsLoss, L.HingeLoss,
               L.KLDivLoss)
    for cls in classes:
        with pytest.raises(ValueError, match="reduction='avg'"):
            cls(reduction="avg")
    with pytest.raises(ValueError, match="'batchmean'"):
        L.kl_div(t64([0.0]), [1.0], reduction="bad")
    with pytest.raises(ValueError, match="expected one of 'mean', 'sum', 'none'"):
        L.mse_loss(t64([0.0]), [1.0], reduction="batchmean")


# ---------------------------------------------------------------------------------------------- errors
def test_error_shapes_are_named():
    with pytest.raises(ValueError, match=r"target shape \(2,\) does not broadcast with input shape \(3,\)"):
        L.mse_loss(t64([1.0, 2.0, 3.0]), np.zeros(2))
    with pytest.raises(ValueError, match=r"target shape \(2,\) does not match input shape \(3, 4\)"):
        L.cross_entropy(t64(np.zeros((3, 4))), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"target shape \(3, 3\) does not match input shape \(3, 4\)"):
        L.cross_entropy(t64(np.zeros((3, 4))), np.zeros((3, 3)))
    # kl_div broadcasts, as in PyTorch (tests/test_loss_shapes.py); these refuse any other shape
    for fn in (L.binary_cross_entropy, L.binary_cross_entropy_with_logits, L.hinge_loss):
        with pytest.raises(ValueError, match=r"\(2,\) does not match input shape \(2, 1\)"):
            fn(t64([[0.5], [0.5]]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match=r"weight has shape \(2,\); expected .* shape \(3,\)"):
        L.cross_entropy(t64(np.zeros((1, 3))), [0], weight=[1.0, 2.0])


def test_error_labels_out_of_range_name_label_and_classes():
    with pytest.raises(IndexError, match=r"label 3 at position \(1,\) is out of range for 3 classes.*0, 3\)"):
        L.cross_entropy(t64(np.zeros((2, 3))), np.array([0, 3]))
    with pytest.raises(IndexError, match=r"label -1 .* 3 classes"):
        L.nll_loss(t64(np.zeros((2, 3))), np.array([-1, 0]))
    L.nll_loss(t64(np.zeros((2, 3))), np.array([-1, 0]), ignore_index=-1)  # ignored: fine


def test_error_float_labels_for_class_indices():
    with pytest.raises(TypeError, match="class labels must be integers; got dtype float64"):
        L.cross_entropy(t64(np.zeros((2, 3))), np.array([0.0, 1.0]))
    with pytest.raises(TypeError, match="class labels must be integers"):
        L.nll_loss(t64(np.zeros((2, 3))), np.array([0.0, 1.0]))


def test_error_probabilities_outside_unit_interval():
    with pytest.raises(ValueError, match=r"input 1.5 at position \(1,\) is outside \[0, 1\].*with_logits"):
        L.binary_cross_entropy(t64([0.5, 1.5]), [1.0, 0.0])
    with pytest.raises(ValueError, match=r"target -1.0 at position \(0,\) is outside \[0, 1\]"):
        L.binary_cross_entropy(t64([0.5, 0.5]), [-1.0, 0.0])
    with pytest.raises(ValueError, match=r"target 2.0 .* outside \[0, 1\]"):
        L.binary_cross_entropy_with_logits(t64([0.5, 0.5]), [2.0, 0.0])
    with pytest.raises(ValueError, match="outside"):
        L.binary_cross_entropy(t64([np.nan]), [1.0])


def test_error_hinge_labels_not_signs():
    with pytest.raises(ValueError, match=r"label 0.0 at position \(1,\) is not -1 or \+1.*2 \* y - 1"):
        L.hinge_loss(t64([0.5, 0.5]), [1.0, 0.0])
    with pytest.raises(ValueError, match="not -1 or"):
        L.svm_objective(t64([1.0, 0.0]), 0.0, SVM_X, np.array([1.0, 0.0, 1.0, 1.0]), 0.1)


def test_error_misc():
    with pytest.raises(ValueError, match="label_smoothing=1.5"):
        L.CrossEntropyLoss(label_smoothing=1.5)
    with pytest.raises(TypeError, match="floating-point"):
        L.mse_loss(tensor([1, 2]), [1.0, 2.0])
    with pytest.raises(ValueError, match="lam >= 0"):
        L.svm_objective(t64([1.0, 0.0]), 0.0, SVM_X, SVM_Y, -1.0)
    with pytest.raises(ValueError, match=r"X has shape \(4, 2\) and w has shape \(3,\)"):
        L.svm_objective(t64([1.0, 0.0, 0.0]), 0.0, SVM_X, SVM_Y, 0.1)


def test_second_derivatives():
    gradgradcheck = pytest.importorskip("autograd.gradcheck").gradgradcheck
    x = RNG.standard_normal((3, 4))
    assert gradgradcheck(lambda a: L.cross_entropy(a, np.array([0, 3, 1]), label_smoothing=0.1), [Tensor(x)])
    assert gradgradcheck(lambda a: L.binary_cross_entropy_with_logits(a, np.full((3, 4), 0.3)), [Tensor(x)])
    probs = Tensor(1 / (1 + np.exp(-x)))
    assert gradgradcheck(lambda a: L.binary_cross_entropy(a, np.full((3, 4), 0.3)), [probs])


# PyTorch 2.13's gradients in these cases: nan in the rows whose label counts, 0 in ignored rows
_ALL, _KEPT, _NONE = [True] * 4, [True, False, True, False], [False] * 4


@pytest.mark.parametrize("kwargs, nan_rows", [
    ({"weight": np.zeros(3)}, _ALL),
    ({"weight": np.zeros(3), "label_smoothing": 0.1}, _ALL),
    ({"weight": np.zeros(3), "ignore_index": 1}, _KEPT),
    ({"weight": np.array([0.0, 1.0, 0.0]), "ignore_index": 1}, _KEPT),
    ({"ignore_index": 1, "label_smoothing": 0.2}, _NONE),
])
def test_cross_entropy_with_no_weight_left_is_nan_without_warnings(kwargs, nan_rows):
    # the mean over a total weight of 0 is nan, as in PyTorch, and no 0 * inf warning comes out of it
    x = t64(np.random.default_rng(3).standard_normal((4, 3)))
    y = np.array([0, 1, 2, 1]) if "weight" in kwargs else np.array([1, 1, 1, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = L.cross_entropy(x, y, **kwargs)
        loss.backward()
    assert np.isnan(loss.item())
    grad = x.grad.numpy()
    assert np.isnan(grad[nan_rows]).all()
    assert (grad[~np.array(nan_rows)] == 0).all()


def test_binary_cross_entropy_mixed_second_derivative_with_a_target_that_requires_grad():
    # L = -(y log x + (1 - y) log(1 - x)): d2L / dx dy = -1 / (x (1 - x)) in either order
    from autograd import gradgradcheck

    x, y = t64([0.3]), t64([0.8])
    L.binary_cross_entropy(x, y, reduction="sum").backward(create_graph=True)
    gy = y.grad
    assert gy.requires_grad
    np.testing.assert_allclose(gy.data, [math.log(0.7) - math.log(0.3)], rtol=1e-14)
    x.grad = y.grad = None
    gy.sum().backward()
    np.testing.assert_allclose(x.grad.data, [-1 / (0.3 * 0.7)], rtol=1e-12)
    rng = np.random.default_rng(3)
    probs, soft = rng.uniform(0.1, 0.9, (3, 4)), rng.uniform(0, 1, (3, 4))
    for reduction in ("mean", "sum", "none"):
        assert gradgradcheck(lambda a, b, r=reduction: L.binary_cross_entropy(a, b, reduction=r),
                             [Tensor(probs), Tensor(soft)])
