"""Random configurations of the ``nn`` losses, layers and optimizers, run by chaingrad and by torch (float64).

The fixed cases in test_losses.py, test_nn_layers.py, test_conv*.py and test_optim.py check each option on
its own; here hypothesis draws combinations of them (class weights with ignored labels and label smoothing
on spatial inputs, grouped dilated convolutions with reflect padding, pooling with ceil mode and padding,
transposed inputs into Linear, ...). Each test replays one configuration on both libraries with the same
numbers and compares the forward values and the gradients with respect to every input and parameter (seeded
with one random upstream gradient, so every output entry counts). Arrays come from a numpy generator seeded
by hypothesis; inputs avoid the kinks of relu, hinge and max where a tie would make the gradient ambiguous.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd import Tensor
from nn import losses as L

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RTOL, ATOL = 1e-9, 1e-10
EXAMPLES = settings(max_examples=80, deadline=None, derandomize=True)
FEW = settings(max_examples=60, deadline=None, derandomize=True)
REDUCTIONS = ("mean", "sum", "none")
seeds = st.integers(0, 2**32 - 1)


# ------------------------------------------------------------------------------------------------ helpers
def pair(a: np.ndarray, requires_grad: bool = True) -> tuple[Tensor, Any]:
    """The same float64 array as a chaingrad Tensor and a torch tensor (separate copies)."""
    a = np.asarray(a, dtype=np.float64)
    return (Tensor(a.copy(), requires_grad=requires_grad),
            torch.tensor(a.copy(), dtype=torch.float64, requires_grad=requires_grad))


def close(ours: Any, theirs: Any, what: str) -> None:
    ours_arr = ours.data if isinstance(ours, Tensor) else np.asarray(ours)
    theirs_arr = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    assert ours_arr.shape == theirs_arr.shape, f"{what}: shape {ours_arr.shape} vs torch {theirs_arr.shape}"
    np.testing.assert_allclose(ours_arr, theirs_arr, rtol=RTOL, atol=ATOL, equal_nan=True, err_msg=what)


def compare(ours_out: Tensor, theirs_out: Any, leaves: dict[str, tuple[Any, Any]],
            rng: np.random.Generator) -> np.ndarray:
    """Forward values, then the gradient of ``sum(out * g)`` for one random ``g``, for every named leaf;
    returns ``g``."""
    close(ours_out, theirs_out, "forward")
    g = rng.standard_normal(theirs_out.shape)
    ours_out.backward(Tensor(g.copy()))
    theirs_out.backward(torch.tensor(g))
    for name, (o, t) in leaves.items():
        if t.grad is None:
            assert o.grad is None or not np.any(o.grad.data), f"{name}: gradient where torch has none"
            continue
        assert o.grad is not None, f"{name}: no gradient, torch has one"
        close(o.grad, t.grad, f"gradient of {name}")
    return g


def reduce_t(per: Any, reduction: str) -> Any:
    return {"mean": per.mean, "sum": per.sum, "none": lambda: per}[reduction]()


def copy_params(ours: nn.Module, theirs: Any, rng: np.random.Generator, scale: float = 0.5) -> None:
    """Give both modules the same random parameter values (in registration order, which both share)."""
    mine = list(ours.parameters())
    other = list(theirs.parameters())
    assert [p.data.shape for p in mine] == [tuple(p.shape) for p in other]
    with torch.no_grad():
        for p, q in zip(mine, other):
            v = rng.standard_normal(p.data.shape) * scale
            p.data[...] = v
            q.copy_(torch.tensor(v))


def compare_params(ours: nn.Module, theirs: Any, what: str) -> None:
    for i, (p, q) in enumerate(zip(ours.parameters(), theirs.parameters())):
        if q.grad is not None:
            close(p.grad, q.grad, f"{what}: gradient of parameter {i}")
        else:
            assert p.grad is None or not np.any(p.grad.data), f"{what}: parameter {i} got a gradient"


@st.composite
def shapes(draw: Any, min_dims: int = 0, max_dims: int = 3, max_side: int = 4) -> tuple[int, ...]:
    return tuple(draw(st.lists(st.integers(1, max_side), min_size=min_dims, max_size=max_dims)))


# ------------------------------------------------------------------------------------------------ losses
@EXAMPLES
@given(seed=seeds, n=st.integers(1, 4), c=st.integers(1, 5), spatial=shapes(0, 2, 3),
       unbatched=st.booleans(), probs=st.booleans(), weighted=st.booleans(),
       ignore=st.sampled_from(["none", "class", "negative"]),
       smoothing=st.sampled_from([0.0, 0.0, 0.1, 0.7, 1.0]),
       reduction=st.sampled_from(REDUCTIONS), as_module=st.booleans(), labels_as_tensor=st.booleans())
def test_cross_entropy(seed, n, c, spatial, unbatched, probs, weighted, ignore, smoothing, reduction,
                       as_module, labels_as_tensor):
    rng = np.random.default_rng(seed)
    shape = (c,) if unbatched else (n, c) + spatial
    idx_shape = () if unbatched else (n,) + spatial
    x, xt = pair(rng.standard_normal(shape) * 2)
    leaves = {"input": (x, xt)}
    weight = rng.uniform(0.2, 2.0, c) if weighted else None
    kw: dict[str, Any] = {"reduction": reduction, "label_smoothing": smoothing}
    tkw: dict[str, Any] = dict(kw)
    if weight is not None:
        kw["weight"], tkw["weight"] = weight, torch.tensor(weight)
    if probs:
        p = rng.uniform(0.0, 1.0, shape)
        p /= p.sum(axis=0 if unbatched else 1, keepdims=True)
        target, tt = pair(p)
        leaves["target"] = (target, tt)
    else:
        labels = rng.integers(0, c, idx_shape)
        if ignore != "none":
            ii = int(rng.integers(0, c)) if ignore == "class" else -1
            kw["ignore_index"] = tkw["ignore_index"] = ii
            labels = np.where(rng.uniform(size=idx_shape) < 0.4, ii, labels)
        target = Tensor(labels) if labels_as_tensor else labels
        tt = torch.tensor(labels)
    if as_module:
        kw.pop("reduction")
        ours = L.CrossEntropyLoss(reduction=reduction, **kw)(x, target)
    else:
        ours = F.cross_entropy(x, target, **kw)
    compare(ours, TF.cross_entropy(xt, tt, **tkw), leaves, rng)


@EXAMPLES
@given(seed=seeds, n=st.integers(1, 4), c=st.integers(1, 5), spatial=shapes(0, 2, 3),
       unbatched=st.booleans(), weighted=st.booleans(), ignore=st.sampled_from(["none", "class", "negative"]),
       reduction=st.sampled_from(REDUCTIONS), as_module=st.booleans())
def test_nll_loss(seed, n, c, spatial, unbatched, weighted, ignore, reduction, as_module):
    rng = np.random.default_rng(seed)
    shape = (c,) if unbatched else (n, c) + spatial
    idx_shape = () if unbatched else (n,) + spatial
    x, xt = pair(-rng.uniform(0.05, 3.0, shape))
    labels = rng.integers(0, c, idx_shape)
    kw: dict[str, Any] = {"reduction": reduction}
    tkw: dict[str, Any] = dict(kw)
    if weighted:
        w = rng.uniform(0.2, 2.0, c)
        kw["weight"], tkw["weight"] = w, torch.tensor(w)
    if ignore != "none":
        ii = int(rng.integers(0, c)) if ignore == "class" else -7
        kw["ignore_index"] = tkw["ignore_index"] = ii
        labels = np.where(rng.uniform(size=idx_shape) < 0.4, ii, labels)
    if as_module:
        kw.pop("reduction")
        ours = L.NLLLoss(reduction=reduction, **kw)(x, labels)
    else:
        ours = F.nll_loss(x, labels, **kw)
    compare(ours, TF.nll_loss(xt, torch.tensor(labels), **tkw), {"input": (x, xt)}, rng)


def broadcast_shape(draw: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape that broadcasts to ``shape``: a suffix of it, some sides set to 1."""
    k = draw(st.integers(0, len(shape)))
    suffix = shape[len(shape) - k:]
    return tuple(1 if draw(st.booleans()) else s for s in suffix)


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss:UserWarning")
@EXAMPLES
@given(data=st.data(), seed=seeds, shape=shapes(0, 3, 4), reduction=st.sampled_from(REDUCTIONS),
       kind=st.sampled_from(["mse", "bce", "bce_logits", "kl", "hinge"]), as_module=st.booleans())
def test_elementwise_losses(data, seed, shape, reduction, kind, as_module):
    rng = np.random.default_rng(seed)
    leaves: dict[str, tuple[Any, Any]] = {}
    weight_refs: list[tuple[Tensor, Any, Any]] = []  # (ours, torch leaf, torch reference output)
    if kind == "mse":
        x, xt = pair(rng.standard_normal(shape))
        y, yt = pair(rng.standard_normal(shape))
        leaves = {"input": (x, xt), "target": (y, yt)}
        ours = (L.MSELoss(reduction=reduction)(x, y) if as_module else F.mse_loss(x, y, reduction=reduction))
        theirs = TF.mse_loss(xt, yt, reduction=reduction)
    elif kind == "bce":
        x, xt = pair(rng.uniform(0.02, 0.98, shape))
        # 0/1 labels or soft targets; the target gets a gradient too (log(1 - x) - log(x))
        soft = data.draw(st.booleans(), "soft targets")
        y_arr = rng.uniform(0, 1, shape) if soft else rng.integers(0, 2, shape).astype(float)
        y, yt = pair(y_arr)
        leaves = {"input": (x, xt), "target": (y, yt)}
        w = tw = None
        if data.draw(st.booleans(), "weight"):
            w, tw = pair(rng.uniform(0.1, 2.0, broadcast_shape(data.draw, shape)))
            # torch does not differentiate its weight: the reference for that gradient is torch's
            # unweighted per-element loss times the weight
            per = TF.binary_cross_entropy(xt.detach(), yt.detach(), reduction="none")
            weight_refs.append((w, tw, reduce_t(per * tw, reduction)))
        ours = (L.BCELoss(weight=w, reduction=reduction)(x, y) if as_module
                else F.binary_cross_entropy(x, y, weight=w, reduction=reduction))
        theirs = TF.binary_cross_entropy(xt, yt, weight=None if tw is None else tw.detach(),
                                         reduction=reduction)
    elif kind == "bce_logits":
        x, xt = pair(rng.standard_normal(shape) * 3)
        y, yt = pair(rng.uniform(0, 1, shape))
        leaves = {"input": (x, xt), "target": (y, yt)}
        kw: dict[str, Any] = {}
        tkw: dict[str, Any] = {}
        if data.draw(st.booleans(), "weight"):
            w, wt = pair(rng.uniform(0.1, 2.0, broadcast_shape(data.draw, shape)))
            kw["weight"], tkw["weight"] = w, wt.detach()
        if shape and data.draw(st.booleans(), "pos_weight"):
            side = data.draw(st.sampled_from([1, shape[-1]]), "pos_weight side")
            pw, pwt = pair(rng.uniform(0.1, 3.0, (side,)))
            kw["pos_weight"], tkw["pos_weight"] = pw, pwt.detach()
        ours = (L.BCEWithLogitsLoss(reduction=reduction, **kw)(x, y) if as_module
                else F.binary_cross_entropy_with_logits(x, y, reduction=reduction, **kw))
        theirs = TF.binary_cross_entropy_with_logits(xt, yt, reduction=reduction, **tkw)
        # torch does not differentiate weight and pos_weight; their gradients are checked against
        # torch's per-element loss (its formula with pos_weight) times the weight
        if "weight" in kw or "pos_weight" in kw:
            xd, yd = xt.detach(), yt.detach()
            if "pos_weight" in kw:
                per = (1 - yd) * xd + (1 + (pwt - 1) * yd) * TF.softplus(-xd)
                close(per.detach(), TF.binary_cross_entropy_with_logits(
                    xd, yd, reduction="none", pos_weight=pwt.detach()), "the pos_weight formula")
                weight_refs.append((pw, pwt, None))
            else:
                per = TF.binary_cross_entropy_with_logits(xd, yd, reduction="none")
            if "weight" in kw:
                per = per * wt
                weight_refs.append((w, wt, None))
            weight_refs[-1] = weight_refs[-1][:2] + (reduce_t(per, reduction),)
    elif kind == "kl":
        log_target = data.draw(st.booleans(), "log_target")
        red = data.draw(st.sampled_from(REDUCTIONS + ("batchmean",)), "kl reduction")
        x, xt = pair(-rng.uniform(0.05, 3.0, shape))
        t_arr = rng.uniform(0.05, 1.0, shape)
        # zero probabilities contribute 0 in both; the target's gradient there is nan in torch (the
        # derivative of p log p at 0) and 0 here, so such a target is compared without its gradient
        zeros = not log_target and data.draw(st.booleans(), "zero probabilities")
        if zeros:
            t_arr = np.where(rng.uniform(size=shape) < 0.4, 0.0, t_arr)
        y, yt = pair(np.log(t_arr) if log_target else t_arr, requires_grad=not zeros)
        leaves = {"input": (x, xt)} if zeros else {"input": (x, xt), "target": (y, yt)}
        ours = (L.KLDivLoss(reduction=red, log_target=log_target)(x, y) if as_module
                else F.kl_div(x, y, reduction=red, log_target=log_target))
        theirs = TF.kl_div(xt, yt, reduction=red, log_target=log_target)
    else:  # hinge: torch has no such loss; its formula is clamp(margin - y s, min=0)
        margin = data.draw(st.sampled_from([1.0, 0.5, 2.0]), "margin")
        s_arr = rng.standard_normal(shape) * 2
        y_arr = rng.choice([-1.0, 1.0], shape)
        s_arr = np.where(np.abs(margin - y_arr * s_arr) < 1e-3, s_arr + 0.01, s_arr)  # off the kink
        x, xt = pair(s_arr)
        y, yt = pair(y_arr, requires_grad=False)
        leaves = {"input": (x, xt)}
        ours = (L.HingeLoss(reduction=reduction, margin=margin)(x, y) if as_module
                else F.hinge_loss(x, y, reduction=reduction, margin=margin))
        theirs = reduce_t(torch.clamp(margin - yt * xt, min=0), reduction)
    g = compare(ours, theirs, leaves, rng)
    if weight_refs:
        ref = weight_refs[-1][2]
        close(ours, ref, "forward of the weighted reference")
        ref.backward(torch.tensor(g))
        for o, t, _ in weight_refs:
            close(o.grad, t.grad, "gradient of a weight")


# ------------------------------------------------------------------------------------------------ layers
@EXAMPLES
@given(seed=seeds, fin=st.integers(1, 5), fout=st.integers(1, 5), bias=st.booleans(),
       batch=shapes(0, 2, 4), layout=st.sampled_from(["plain", "numpy view", "engine transpose"]),
       then=st.sampled_from(["none", "linear", "relu", "cross_entropy"]))
def test_linear(seed, fin, fout, bias, batch, layout, then):
    rng = np.random.default_rng(seed)
    ours = nn.Linear(fin, fout, bias=bias, dtype="float64")
    theirs = torch.nn.Linear(fin, fout, bias=bias, dtype=torch.float64)
    copy_params(ours, theirs, rng)
    shape = batch + (fin,)
    # the input is a view with reversed axes: built from its transpose, in numpy or by the engine
    base = rng.standard_normal(shape[::-1] if layout != "plain" else shape)
    if layout == "plain":
        x, xt = pair(base)
        leaf = (x, xt)
    elif layout == "numpy view":  # a leaf whose array is a transposed (Fortran-ordered) view
        x = Tensor(base.copy().T, requires_grad=True)
        xt = torch.tensor(base.T.copy(), requires_grad=True)
        leaf = (x, xt)
    else:  # the engine's transpose of a leaf
        b, bt = pair(base)
        x, xt = b.permute(*reversed(range(b.ndim))), bt.permute(*reversed(range(bt.ndim)))
        leaf = (b, bt)
    out, out_t = ours(x), theirs(xt)
    if then == "linear":
        second, second_t = nn.Linear(fout, 3, dtype="float64"), torch.nn.Linear(fout, 3, dtype=torch.float64)
        copy_params(second, second_t, rng)
        out, out_t = second(out), second_t(out_t)
    elif then == "relu":
        out, out_t = F.relu(out), TF.relu(out_t)
    elif then == "cross_entropy" and out.data.ndim == 2:
        # linear's batch result is laid out features first: the fused loss must read it right
        labels = rng.integers(0, fout, out.data.shape[0])
        out, out_t = F.cross_entropy(out, labels), TF.cross_entropy(out_t, torch.tensor(labels))
    compare(out, out_t, {"input": leaf}, rng)
    compare_params(ours, theirs, "Linear")


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning")
@EXAMPLES
@given(data=st.data(), seed=seeds, groups=st.integers(1, 3), cin=st.integers(1, 2), cout=st.integers(1, 2),
       kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       stride=st.tuples(st.integers(1, 2), st.integers(1, 3)),
       dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)), bias=st.booleans(),
       mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]), batched=st.booleans(),
       size=st.tuples(st.integers(2, 7), st.integers(2, 7)))
def test_conv2d(data, seed, groups, cin, cout, kernel, stride, dilation, bias, mode, batched, size):
    rng = np.random.default_rng(seed)
    padding = data.draw(st.sampled_from(["valid", "same", "int", "pair"]), "padding kind")
    if padding == "same":
        stride = (1, 1)
    elif padding == "int":
        padding = data.draw(st.integers(0, 2), "padding")
    elif padding == "pair":
        padding = data.draw(st.tuples(st.integers(0, 2), st.integers(0, 2)), "padding")
    pads = {"valid": (0, 0)}.get(padding, None) if isinstance(padding, str) else (
        (padding, padding) if isinstance(padding, int) else padding)
    if pads is None:  # 'same': at most the dilated kernel's half, plus one
        pads = tuple(d * (k - 1) // 2 + 1 for d, k in zip(dilation, kernel))
    for p, s, d, k in zip(pads, size, dilation, kernel):
        if mode in ("reflect", "circular") and p >= s or s + 2 * p < d * (k - 1) + 1:
            assume(False)  # torch rejects the configuration, or the output would be empty
    ours = nn.Conv2d(groups * cin, groups * cout, kernel, stride, padding, dilation, groups, bias, mode,
                     dtype="float64")
    theirs = torch.nn.Conv2d(groups * cin, groups * cout, kernel, stride, padding, dilation, groups, bias,
                             mode, dtype=torch.float64)
    copy_params(ours, theirs, rng)
    shape = ((2,) if batched else ()) + (groups * cin,) + size
    x, xt = pair(rng.standard_normal(shape))
    compare(ours(x), theirs(xt), {"input": (x, xt)}, rng)
    compare_params(ours, theirs, "Conv2d")


def all_windows_touch_input(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> bool:
    """Whether every pooling window along one axis has a tap inside the input (torch's output size)."""
    span = n + 2 * p - d * (k - 1) - 1
    count = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (count - 1) * s >= n + p:
        count -= 1
    return all(any(0 <= i * s - p + j * d < n for j in range(k)) for i in range(count))


@EXAMPLES
@given(data=st.data(), seed=seeds, kind=st.sampled_from(["max", "avg"]),
       kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)), ceil_mode=st.booleans(), batched=st.booleans(),
       size=st.tuples(st.integers(1, 7), st.integers(1, 7)), as_function=st.booleans())
def test_pool2d(data, seed, kind, kernel, ceil_mode, batched, size, as_function):
    rng = np.random.default_rng(seed)
    stride = data.draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))), "stride")
    dilation = (data.draw(st.tuples(st.integers(1, 2), st.integers(1, 2)), "dilation") if kind == "max"
                else (1, 1))
    padding = data.draw(st.tuples(st.integers(0, kernel[0] // 2), st.integers(0, kernel[1] // 2)), "padding")
    stride_pair = kernel if stride is None else stride
    for n, p, d, k, s in zip(size, padding, dilation, kernel, stride_pair):
        # no complete window; or (with dilation) a window whose taps all fall in the padding, where
        # torch's max-pool backward writes the gradient outside the input (heap corruption)
        assume(n + 2 * p >= d * (k - 1) + 1 and all_windows_touch_input(n, k, s, p, d, ceil_mode))
    shape = ((2, 2) if batched else (3,)) + size
    x, xt = pair(rng.standard_normal(shape))  # continuous values: no ties inside a window
    if kind == "max":
        args = (kernel, stride, padding, dilation)
        kw = {"ceil_mode": ceil_mode}
        if as_function:
            ours, theirs = F.max_pool2d(x, *args, **kw), TF.max_pool2d(xt, *args, **kw)
        else:
            ours, theirs = nn.MaxPool2d(*args, **kw)(x), torch.nn.MaxPool2d(*args, **kw)(xt)
    else:
        kw = {"ceil_mode": ceil_mode, "count_include_pad": data.draw(st.booleans(), "count_include_pad"),
              "divisor_override": data.draw(st.sampled_from([None, None, 1, 3]), "divisor_override")}
        args = (kernel, stride, padding)
        if as_function:
            ours, theirs = F.avg_pool2d(x, *args, **kw), TF.avg_pool2d(xt, *args, **kw)
        else:
            ours, theirs = nn.AvgPool2d(*args, **kw)(x), torch.nn.AvgPool2d(*args, **kw)(xt)
    compare(ours, theirs, {"input": (x, xt)}, rng)


@EXAMPLES
@given(seed=seeds, two_d=st.booleans(), spatial=st.booleans(), affine=st.booleans(), track=st.booleans(),
       training=st.booleans(), momentum=st.sampled_from([0.1, 0.5, None]), eps=st.sampled_from([1e-5, 1e-2]),
       n=st.integers(2, 4), c=st.integers(1, 3))
def test_batch_norm(seed, two_d, spatial, affine, track, training, momentum, eps, n, c):
    rng = np.random.default_rng(seed)
    if not track and not training:
        training = True  # without running statistics eval mode uses the batch too; keep one spelling
    kw = {"eps": eps, "momentum": momentum, "affine": affine, "track_running_stats": track}
    if two_d:
        ours = nn.BatchNorm2d(c, dtype="float64", **kw)
        theirs = torch.nn.BatchNorm2d(c, dtype=torch.float64, **kw)
        shape = (n, c, 3, 2)
    else:
        ours = nn.BatchNorm1d(c, dtype="float64", **kw)
        theirs = torch.nn.BatchNorm1d(c, dtype=torch.float64, **kw)
        shape = (n, c, 3) if spatial else (n, c)
    copy_params(ours, theirs, rng)
    if track:
        mean, var = rng.standard_normal(c), rng.uniform(0.5, 2.0, c)
        ours.running_mean.data[...] = mean
        ours.running_var.data[...] = var
        theirs.running_mean.copy_(torch.tensor(mean))
        theirs.running_var.copy_(torch.tensor(var))
    ours.train(training)
    theirs.train(training)
    x, xt = pair(rng.standard_normal(shape) * 2 + 1)
    for step in range(2):  # twice: the running statistics move (the cumulative average with momentum=None)
        out, out_t = ours(x), theirs(xt)
        if track:
            close(ours.running_mean, theirs.running_mean, f"running_mean after forward {step}")
            close(ours.running_var, theirs.running_var, f"running_var after forward {step}")
    compare(out, out_t, {"input": (x, xt)}, rng)
    compare_params(ours, theirs, "BatchNorm")


@EXAMPLES
@given(seed=seeds, shape=shapes(1, 4, 4), k=st.integers(1, 3), affine=st.booleans(), bias=st.booleans(),
       eps=st.sampled_from([1e-5, 1e-3, 0.5]))
def test_layer_norm(seed, shape, k, affine, bias, eps):
    rng = np.random.default_rng(seed)
    normalized = shape[len(shape) - min(k, len(shape)):]
    ours = nn.LayerNorm(normalized, eps=eps, elementwise_affine=affine, bias=bias, dtype="float64")
    theirs = torch.nn.LayerNorm(normalized, eps=eps, elementwise_affine=affine, bias=bias,
                                dtype=torch.float64)
    copy_params(ours, theirs, rng)
    x, xt = pair(rng.standard_normal(shape))
    compare(ours(x), theirs(xt), {"input": (x, xt)}, rng)
    compare_params(ours, theirs, "LayerNorm")


ACTIVATIONS = {
    "ReLU": lambda d: ((), {}),
    "LeakyReLU": lambda d: ((d(st.sampled_from([0.01, 0.2, -0.5, 2.0])),), {}),
    "Sigmoid": lambda d: ((), {}),
    "Tanh": lambda d: ((), {}),
    "ELU": lambda d: ((), {"alpha": d(st.sampled_from([1.0, 0.3, 2.5]))}),
    "GELU": lambda d: ((), {"approximate": d(st.sampled_from(["none", "tanh"]))}),
    "Softplus": lambda d: ((), {"beta": d(st.sampled_from([1.0, 0.5, 3.0])),
                                "threshold": d(st.sampled_from([20.0, 2.0, 0.5]))}),
    "Softmax": lambda d: ((), {"dim": d(st.integers(-1, 0))}),
    "LogSoftmax": lambda d: ((), {"dim": d(st.integers(-1, 0))}),
    "Identity": lambda d: ((), {}),
    "Flatten": lambda d: ((), {"start_dim": d(st.integers(0, 1)), "end_dim": d(st.sampled_from([-1, 1, 2]))}),
    "Dropout": lambda d: ((), {"p": d(st.sampled_from([0.0, 0.5, 0.9]))}),
    "ZeroPad2d": lambda d: ((d(st.one_of(st.integers(0, 2), st.tuples(*[st.integers(-1, 2)] * 4))),), {}),
}


@EXAMPLES
@given(data=st.data(), seed=seeds, name=st.sampled_from(sorted(ACTIVATIONS)), shape=shapes(3, 4, 3))
def test_activation_and_shape_modules(data, seed, name, shape):
    rng = np.random.default_rng(seed)
    args, kw = ACTIVATIONS[name](data.draw)
    if name == "ZeroPad2d" and isinstance(args[0], tuple):  # negative padding crops; keep something
        left, right, top, bottom = args[0]
        assume(shape[-1] + left + right >= 1 and shape[-2] + top + bottom >= 1)
    ours, theirs = getattr(nn, name)(*args, **kw), getattr(torch.nn, name)(*args, **kw)
    if name == "Dropout":  # eval mode is the identity, in training only p=0 is deterministic
        if kw["p"] > 0:
            ours.eval()
            theirs.eval()
    x_arr = rng.standard_normal(shape) * 3
    x_arr = np.where(np.abs(x_arr) < 1e-3, 0.1, x_arr)  # off relu's kink
    if name == "Softplus":  # off the switch to the identity at beta x = threshold
        x_arr = np.where(np.abs(x_arr * kw["beta"] - kw["threshold"]) < 1e-3, x_arr + 0.1, x_arr)
    x, xt = pair(x_arr)
    compare(ours(x), theirs(xt), {"input": (x, xt)}, rng)


# ------------------------------------------------------------------------------------------------ training
def build(rng: np.random.Generator, draw: Any) -> tuple[Any, Any, tuple[int, ...], str, int]:
    """A small random MLP or CNN in both libraries, with the same parameters."""
    act = draw(st.sampled_from(["ReLU", "Tanh", "Sigmoid", "GELU", "ELU"]), "activation")
    if draw(st.booleans(), "cnn"):
        groups = draw(st.sampled_from([1, 2]), "groups")
        pool = draw(st.sampled_from(["MaxPool2d", "AvgPool2d"]), "pool")
        spec = [("Conv2d", (2, 2 * groups, 3), {"padding": 1, "groups": groups}), (act, (), {}),
                (pool, (2,), {}), ("Flatten", (), {}), ("Linear", (2 * groups * 4, 3), {})]
        in_shape = (3, 2, 4, 4)
    else:
        hidden = draw(st.integers(2, 6), "hidden")
        spec = [("Linear", (4, hidden), {}), (act, (), {})]
        if draw(st.booleans(), "layer norm"):
            spec.append(("LayerNorm", (hidden,), {}))
        spec.append(("Linear", (hidden, 3), {}))
        in_shape = (5, 4)
    ours = nn.Sequential(*[getattr(nn, n)(*a, **k) for n, a, k in spec]).double()
    theirs = torch.nn.Sequential(*[getattr(torch.nn, n)(*a, **k) for n, a, k in spec]).double()
    copy_params(ours, theirs, rng)
    loss = draw(st.sampled_from(["cross_entropy", "mse"]), "loss")
    return ours, theirs, in_shape, loss, 3


def train_and_compare(ours, theirs, opt, opt_t, in_shape, loss, n_out, rng) -> None:
    for step in range(2):
        x = rng.standard_normal(in_shape)
        if loss == "cross_entropy":
            y = rng.integers(0, n_out, in_shape[0])
            ours_loss = F.cross_entropy(ours(Tensor(x)), y)
            theirs_loss = TF.cross_entropy(theirs(torch.tensor(x)), torch.tensor(y))
        else:
            y = rng.standard_normal((in_shape[0], n_out))
            ours_loss = F.mse_loss(ours(Tensor(x)), y)
            theirs_loss = TF.mse_loss(theirs(torch.tensor(x)), torch.tensor(y))
        close(ours_loss, theirs_loss, f"loss at step {step}")
        opt.zero_grad()
        opt_t.zero_grad()
        ours_loss.backward()
        theirs_loss.backward()
        compare_params(ours, theirs, f"step {step}")
        opt.step()
        opt_t.step()
        for i, (p, q) in enumerate(zip(ours.parameters(), theirs.parameters())):
            close(p, q, f"parameter {i} after step {step}")


@FEW
@given(data=st.data(), seed=seeds, lr=st.sampled_from([0.1, 0.5]), momentum=st.sampled_from([0.0, 0.9]),
       dampening=st.sampled_from([0.0, 0.3]), weight_decay=st.sampled_from([0.0, 0.01]),
       nesterov=st.booleans(), maximize=st.booleans())
def test_network_after_two_sgd_steps(data, seed, lr, momentum, dampening, weight_decay, nesterov, maximize):
    rng = np.random.default_rng(seed)
    ours, theirs, in_shape, loss, n_out = build(rng, data.draw)
    if nesterov:  # nesterov needs momentum and no dampening, in both libraries
        momentum, dampening = 0.9, 0.0
    kw = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov,
              maximize=maximize)
    train_and_compare(ours, theirs, nn.optim.SGD(ours.parameters(), **kw),
                      torch.optim.SGD(theirs.parameters(), **kw), in_shape, loss, n_out, rng)


@FEW
@given(data=st.data(), seed=seeds, lr=st.sampled_from([1e-3, 0.05]), amsgrad=st.booleans(),
       weight_decay=st.sampled_from([0.0, 0.01, 0.3]), betas=st.sampled_from([(0.9, 0.999), (0.5, 0.6)]),
       decoupled=st.booleans())
def test_network_after_two_adam_steps(data, seed, lr, amsgrad, weight_decay, betas, decoupled):
    rng = np.random.default_rng(seed)
    ours, theirs, in_shape, loss, n_out = build(rng, data.draw)
    kw = dict(lr=lr, amsgrad=amsgrad, weight_decay=weight_decay, betas=betas)
    if decoupled:
        opt, opt_t = nn.optim.AdamW(ours.parameters(), **kw), torch.optim.AdamW(theirs.parameters(), **kw)
    else:
        opt, opt_t = nn.optim.Adam(ours.parameters(), **kw), torch.optim.Adam(theirs.parameters(), **kw)
    train_and_compare(ours, theirs, opt, opt_t, in_shape, loss, n_out, rng)
