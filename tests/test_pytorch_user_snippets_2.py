"""More code a PyTorch user writes, run once with ``torch`` and once with chaingrad, compared: round two.

The machinery is ``pytorch_snippets.py``'s (see its docstring): each snippet is a function of a library
namespace ``L`` (``L.torch``, ``L.nn``, ``L.F``, ``L.optim``, ``L.data``), written as PyTorch code, that
returns what it computed; values, dtypes, shapes, Python types and whether something raised are compared.
``test_pytorch_user_snippets.py`` covers the basics of autograd, creation, indexing, layers and training
loops; the snippets here cover what it touches little: the losses' options, the optimizers' options and
state, the Module API, everyday tensor idioms and data loading. Every weight comes from fixed numpy data,
so nothing depends on a random stream. Only snippets that behave the same in both libraries are here.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from pytorch_snippets import attempt, data, fill_parameters, run_snippet, snippet_registry

SNIPPETS, snippet = snippet_registry()


def f64(L, *shape, seed=0, low=-2.0, high=2.0, requires_grad=False):
    """A float64 tensor of fixed data (see ``data``)."""
    return L.torch.tensor(data(*shape, seed=seed, low=low, high=high), requires_grad=requires_grad)


def labels(L, *values):
    return L.torch.tensor(list(values))


# ------------------------------------------------------------------------------------------- losses
@snippet
def cross_entropy_weight_with_each_reduction(L):
    logits = f64(L, 5, 3, requires_grad=True)
    y = labels(L, 0, 2, 1, 2, 2)
    w = L.torch.tensor([0.2, 1.0, 3.0], dtype=L.torch.float64)
    parts = [L.nn.CrossEntropyLoss(weight=w, reduction=r)(logits, y) for r in ("mean", "sum", "none")]
    (parts[0] * 3 + parts[1] + (parts[2] ** 2).sum()).backward()
    return parts, logits.grad


@snippet
def cross_entropy_ignore_index_other_than_default(L):
    logits = f64(L, 6, 4, seed=1, requires_grad=True)
    y = labels(L, 0, 3, 0, 1, 2, 0)
    loss_fn = L.nn.CrossEntropyLoss(ignore_index=0)
    mean = loss_fn(logits, y)
    none = L.F.cross_entropy(logits, y, ignore_index=0, reduction="none")
    weighted = L.F.cross_entropy(logits, y, ignore_index=0,
                                 weight=L.torch.tensor([5.0, 1.0, 2.0, 0.5], dtype=L.torch.float64))
    (mean + none.sum() + weighted).backward()
    return mean, none, weighted, logits.grad, loss_fn.ignore_index


@snippet
def cross_entropy_everything_ignored_is_nan(L):
    logits = f64(L, 2, 3, requires_grad=True)
    y = labels(L, -100, -100)
    mean = L.F.cross_entropy(logits, y)
    total = L.F.cross_entropy(logits, y, reduction="sum")
    total.backward()
    return bool(L.torch.isnan(mean)), total, logits.grad


@snippet
def cross_entropy_label_smoothing_with_weight_and_ignore(L):
    logits = f64(L, 5, 4, seed=2, requires_grad=True)
    y = labels(L, 1, 3, -100, 0, 3)
    w = L.torch.tensor([1.0, 2.0, 0.5, 1.5], dtype=L.torch.float64)
    parts = [L.F.cross_entropy(logits, y, label_smoothing=0.2),
             L.F.cross_entropy(logits, y, weight=w, label_smoothing=0.1),
             L.F.cross_entropy(logits, y, weight=w, label_smoothing=0.3, reduction="sum"),
             L.F.cross_entropy(logits, y, weight=w, label_smoothing=0.05, reduction="none")]
    sum(p.sum() for p in parts).backward()
    return parts, logits.grad


@snippet
def cross_entropy_probability_targets_with_options(L):
    logits = f64(L, 4, 3, seed=3, requires_grad=True)
    target = f64(L, 4, 3, seed=4).softmax(dim=1)
    w = L.torch.tensor([0.5, 2.0, 1.0], dtype=L.torch.float64)
    parts = [L.F.cross_entropy(logits, target, reduction="none"),
             L.F.cross_entropy(logits, target, reduction="sum"),
             L.F.cross_entropy(logits, target, weight=w),
             L.F.cross_entropy(logits, target, label_smoothing=0.1),
             L.F.cross_entropy(logits, target, weight=w, label_smoothing=0.25, reduction="none"),
             L.nn.CrossEntropyLoss()(logits, L.F.one_hot(labels(L, 0, 2, 1, 1), 3).double())]
    sum(p.sum() for p in parts).backward()
    return parts, logits.grad


@snippet
def cross_entropy_on_sequences_with_weight_and_ignore(L):
    # (N, C, T) scores with (N, T) labels: a tagger's loss over padded sequences
    scores = f64(L, 2, 3, 4, seed=5, requires_grad=True)
    y = L.torch.tensor([[0, 2, 1, -1], [2, 2, -1, -1]])
    w = L.torch.tensor([1.0, 0.5, 2.0], dtype=L.torch.float64)
    mean = L.F.cross_entropy(scores, y, weight=w, ignore_index=-1)
    none = L.F.cross_entropy(scores, y, ignore_index=-1, reduction="none")
    (mean + none.sum()).backward()
    return mean, none, scores.grad


@snippet
def unbatched_inputs_to_losses(L):
    logits = f64(L, 4, seed=16, requires_grad=True)
    soft = logits.detach().softmax(0)
    parts = [L.F.cross_entropy(logits, L.torch.tensor(2)), L.F.cross_entropy(logits, soft),
             L.F.nll_loss(logits.log_softmax(0), L.torch.tensor(1)),
             L.F.cross_entropy(logits, L.torch.tensor(3), label_smoothing=0.2)]
    sum(parts).backward()
    return parts, logits.grad


@snippet
def nll_loss_options(L):
    logp = f64(L, 5, 3, seed=6).log_softmax(dim=1).requires_grad_()
    y = labels(L, 2, 0, 1, 1, 0)
    w = L.torch.tensor([2.0, 1.0, 0.25], dtype=L.torch.float64)
    parts = [L.nn.NLLLoss()(logp, y), L.nn.NLLLoss(reduction="sum")(logp, y),
             L.nn.NLLLoss(weight=w, reduction="none")(logp, y), L.nn.NLLLoss(weight=w)(logp, y),
             L.nn.NLLLoss(ignore_index=1)(logp, y), L.F.nll_loss(logp[0], y[0])]
    sum(p.sum() for p in parts).backward()
    return parts, logp.grad


@snippet
def nll_of_gathered_log_probabilities_equals_cross_entropy(L):
    logits = f64(L, 4, 5, seed=7, requires_grad=True)
    y = labels(L, 4, 0, 2, 2)
    logp = L.F.log_softmax(logits, dim=1)
    picked = logp.gather(1, y.unsqueeze(1)).squeeze(1)
    by_hand = -picked.mean()
    by_index = -logp[L.torch.arange(4), y].mean()
    by_hand.backward()
    return by_hand, by_index, L.F.cross_entropy(logits, y), picked.shape, logits.grad


@snippet
def bce_with_logits_pos_weight_and_weight(L):
    logits = f64(L, 4, 3, seed=8, requires_grad=True)
    target = L.torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 1.0, 1.0]],
                            dtype=L.torch.float64)
    pos_weight = L.torch.tensor([3.0, 1.0, 0.5], dtype=L.torch.float64)
    weight = L.torch.tensor([1.0, 2.0, 0.0], dtype=L.torch.float64)
    parts = [L.nn.BCEWithLogitsLoss(pos_weight=pos_weight)(logits, target),
             L.nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")(logits, target),
             L.nn.BCEWithLogitsLoss(weight=weight, reduction="sum")(logits, target),
             L.F.binary_cross_entropy_with_logits(logits, target, weight=weight, pos_weight=pos_weight),
             L.F.binary_cross_entropy_with_logits(logits, target * 0.8 + 0.1)]  # soft labels
    sum(p.sum() for p in parts).backward()
    return parts, logits.grad


@snippet
def bce_with_weight_and_soft_targets(L):
    p = f64(L, 6, seed=9).sigmoid().requires_grad_()
    t = L.torch.tensor([1.0, 0.0, 0.3, 0.9, 0.0, 1.0], dtype=L.torch.float64)
    w = L.torch.tensor([1.0, 2.0, 1.0, 0.5, 3.0, 1.0], dtype=L.torch.float64)
    parts = [L.nn.BCELoss(weight=w)(p, t), L.nn.BCELoss(reduction="none")(p, t),
             L.F.binary_cross_entropy(p, t, weight=w, reduction="sum")]
    sum(q.sum() for q in parts).backward()
    return parts, p.grad


@snippet
def regression_losses_with_target_gradient(L):
    pred = f64(L, 3, 4, seed=10, requires_grad=True)
    target = f64(L, 3, 4, seed=11, requires_grad=True)
    parts = [L.nn.MSELoss(reduction="sum")(pred, target), L.nn.L1Loss(reduction="none")(pred, target),
             L.nn.L1Loss()(pred, target), L.F.mse_loss(pred, target, reduction="none")]
    sum(p.sum() for p in parts).backward()
    return parts, pred.grad, target.grad


@snippet
def smooth_l1_and_huber_thresholds(L):
    pred = f64(L, 8, seed=12, low=-3, high=3, requires_grad=True)
    target = f64(L, 8, seed=13)
    parts = [L.nn.SmoothL1Loss()(pred, target), L.nn.SmoothL1Loss(beta=0.25)(pred, target),
             L.nn.SmoothL1Loss(beta=2.0, reduction="none")(pred, target),
             L.nn.SmoothL1Loss(beta=0.0)(pred, target), L.nn.HuberLoss()(pred, target),
             L.nn.HuberLoss(delta=0.5, reduction="sum")(pred, target),
             L.F.huber_loss(pred, target, delta=2.5, reduction="none")]
    sum(p.sum() for p in parts).backward()
    # Huber with delta d is d times smooth L1 with beta d
    same = L.torch.allclose(L.F.huber_loss(pred, target, delta=0.5),
                            0.5 * L.F.smooth_l1_loss(pred, target, beta=0.5))
    return parts, pred.grad, same


@snippet
def kl_div_log_target_and_reductions(L):
    logp = f64(L, 4, 3, seed=14).log_softmax(1).requires_grad_()
    q = f64(L, 4, 3, seed=15).softmax(1)
    logq = q.log()
    parts = [L.nn.KLDivLoss(reduction="batchmean")(logp, q),
             L.nn.KLDivLoss(reduction="batchmean", log_target=True)(logp, logq),
             L.F.kl_div(logp, logq, reduction="sum", log_target=True),
             L.F.kl_div(logp, q, reduction="none"), L.F.kl_div(logp, q, reduction="mean")]
    sum(p.sum() for p in parts).backward()
    return parts, logp.grad


@snippet
def loss_modules_attributes_and_reprs(L):
    ce = L.nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=3)
    mods = [L.nn.MSELoss(), L.nn.L1Loss(reduction="sum"), ce, L.nn.BCEWithLogitsLoss(),
            L.nn.SmoothL1Loss(beta=0.5), L.nn.HuberLoss(delta=2.0), L.nn.KLDivLoss(reduction="batchmean")]
    weighted = L.nn.CrossEntropyLoss(weight=L.torch.tensor([1.0, 2.0])).double()
    bce = L.nn.BCEWithLogitsLoss(pos_weight=L.torch.tensor([3.0]))
    return ([m.reduction for m in mods], ce.label_smoothing, ce.ignore_index, mods[4].beta, mods[5].delta,
            list(ce.state_dict()), len(list(ce.parameters())), ce.weight, weighted.weight,
            list(weighted.state_dict()), list(bce.state_dict()), bce.pos_weight, mods[6].log_target)


@snippet
def losses_keep_float32(L):
    x = L.torch.tensor(data(4, 3), dtype=L.torch.float32, requires_grad=True)
    y = labels(L, 0, 1, 2, 1)
    t = L.torch.tensor(data(4, 3, seed=1), dtype=L.torch.float32)
    parts = [L.F.cross_entropy(x, y), L.F.mse_loss(x, t), L.F.smooth_l1_loss(x, t),
             L.F.binary_cross_entropy_with_logits(x, t.sigmoid()), L.F.nll_loss(x.log_softmax(1), y)]
    sum(parts).backward()
    return [p.dtype for p in parts], parts, x.grad.dtype, x.grad


@snippet
def bad_loss_arguments_raise(L):
    x = f64(L, 3, 4)
    return [attempt(lambda: L.F.cross_entropy(x, labels(L, 0, 4, 1))),
            attempt(lambda: L.F.mse_loss(x, x, reduction="average")),
            attempt(lambda: L.F.binary_cross_entropy(x.sigmoid(), f64(L, 3, 3).sigmoid())),
            attempt(lambda: L.F.cross_entropy(x, labels(L, 0, 1))),
            attempt(lambda: L.F.nll_loss(x, labels(L, 0, 1, 2).double()))]


# --------------------------------------------------------------------------------------- optimizers
def fit_steps(L, make_opt, steps=4, n=3, seed=0):
    """Parameters after ``steps`` steps of ``make_opt(params)`` on a fixed quartic objective."""
    w = L.nn.Parameter(f64(L, n, seed=seed))
    b = L.nn.Parameter(f64(L, 1, seed=seed + 1))
    opt = make_opt([w, b])
    for _ in range(steps):
        opt.zero_grad()
        (((w - 0.3) ** 4).sum() + (w * b).sum() ** 2 + b.sum().exp()).backward()
        opt.step()
    return w, b


@snippet
def sgd_options_many_steps(L):
    S = L.optim.SGD
    return [fit_steps(L, lambda p: S(p, lr=0.05, momentum=0.9, dampening=0.3)),
            fit_steps(L, lambda p: S(p, lr=0.05, momentum=0.5, weight_decay=0.1)),
            fit_steps(L, lambda p: S(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)),
            fit_steps(L, lambda p: S(p, lr=0.01, maximize=True)),
            fit_steps(L, lambda p: S(p, lr=0.01, momentum=0.9, maximize=True, weight_decay=0.2)),
            fit_steps(L, lambda p: S(p, 0.1))]


@snippet
def adam_and_adamw_options(L):
    A, W = L.optim.Adam, L.optim.AdamW
    return [fit_steps(L, lambda p: A(p, lr=0.05, weight_decay=0.1)),
            fit_steps(L, lambda p: A(p, lr=0.05, amsgrad=True, weight_decay=0.01)),
            fit_steps(L, lambda p: A(p, lr=0.05, betas=(0.5, 0.6), eps=1e-3)),
            fit_steps(L, lambda p: A(p, lr=0.02, maximize=True)),
            fit_steps(L, lambda p: W(p, lr=0.05, weight_decay=0.5)),
            fit_steps(L, lambda p: W(p, lr=0.05, amsgrad=True)),
            fit_steps(L, lambda p: W(p, lr=0.05, weight_decay=0.1, maximize=True, betas=(0.8, 0.88)))]


@snippet
def rmsprop_options(L):
    R = L.optim.RMSprop
    return [fit_steps(L, lambda p: R(p, lr=0.01)),
            fit_steps(L, lambda p: R(p, lr=0.01, alpha=0.9, eps=1e-4)),
            fit_steps(L, lambda p: R(p, lr=0.01, momentum=0.8)),
            fit_steps(L, lambda p: R(p, lr=0.01, centered=True)),
            fit_steps(L, lambda p: R(p, lr=0.01, centered=True, momentum=0.5, weight_decay=0.1)),
            fit_steps(L, lambda p: R(p, lr=0.01, maximize=True))]


@snippet
def adagrad_options(L):
    A = L.optim.Adagrad
    return [fit_steps(L, lambda p: A(p, lr=0.1)),
            fit_steps(L, lambda p: A(p, lr=0.1, lr_decay=0.5)),
            fit_steps(L, lambda p: A(p, lr=0.1, weight_decay=0.2)),
            fit_steps(L, lambda p: A(p, lr=0.1, initial_accumulator_value=0.5, eps=1e-3)),
            fit_steps(L, lambda p: A(p, lr=0.1, maximize=True))]


@snippet
def param_groups_with_their_own_options(L):
    def make(p):
        return L.optim.SGD([{"params": [p[0]], "lr": 0.1, "momentum": 0.9},
                            {"params": [p[1]], "weight_decay": 0.5}], lr=0.01)

    def make_adam(p):
        return L.optim.Adam([{"params": [p[0]]}, {"params": [p[1]], "lr": 0.2, "betas": (0.5, 0.9)}],
                            lr=0.01)

    return fit_steps(L, make), fit_steps(L, make_adam)


@snippet
def no_weight_decay_on_biases_idiom(L):
    model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.Tanh(), L.nn.Linear(4, 2)).double()
    fill_parameters(L, model, seed=3)
    decay = [p for n, p in model.named_parameters() if not n.endswith("bias")]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias")]
    opt = L.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=0.01)
    x = f64(L, 5, 3, seed=4)
    for _ in range(3):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    return list(model.parameters()), [len(g["params"]) for g in opt.param_groups], \
        [g["weight_decay"] for g in opt.param_groups]


@snippet
def add_param_group_during_training(L):
    a = L.nn.Parameter(f64(L, 2))
    b = L.nn.Parameter(f64(L, 2, seed=1))
    opt = L.optim.SGD([a], lr=0.1, momentum=0.9)
    history = []
    for step in range(4):
        if step == 2:
            opt.add_param_group({"params": b, "lr": 0.5})
        opt.zero_grad()
        ((a * b).sum() ** 2 + (a ** 2).sum()).backward()
        opt.step()
        history.append((a.detach().clone(), b.detach().clone()))
    groups = [(g["lr"], g["momentum"], g["nesterov"], len(g["params"])) for g in opt.param_groups]
    return history, groups


@snippet
def optimizer_state_after_steps(L):
    w = L.nn.Parameter(f64(L, 3))
    opts = [L.optim.SGD([w], lr=0.1, momentum=0.9), L.optim.Adam([w], lr=0.1),
            L.optim.Adam([w], lr=0.1, amsgrad=True), L.optim.Adagrad([w], lr=0.1),
            L.optim.RMSprop([w], lr=0.01, centered=True, momentum=0.5)]
    out = []
    for opt in opts:
        for _ in range(2):
            opt.zero_grad()
            (w ** 3).sum().backward()
            opt.step()
        state = opt.state[w]
        out.append({k: (float(v) if k == "step" else v) for k, v in sorted(state.items())})
    return out, w


@snippet
def optimizer_state_dict_structure(L):
    model = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.ReLU(), L.nn.Linear(3, 1)).double()
    fill_parameters(L, model)
    opt = L.optim.Adam([{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.1}],
                       lr=0.01)
    before = opt.state_dict()
    model(f64(L, 4, 2)).sum().backward()
    opt.step()
    sd = opt.state_dict()
    keys = ["lr", "eps", "weight_decay"]
    return (sorted(sd), before["state"], [g["params"] for g in sd["param_groups"]],
            [{k: float(g[k]) for k in keys} for g in sd["param_groups"]],
            [(g["betas"], g["amsgrad"], g["maximize"]) for g in sd["param_groups"]], sorted(sd["state"]),
            [sorted(s) for s in sd["state"].values()], sd["state"][3]["exp_avg"],
            sd["state"][1]["exp_avg_sq"], float(sd["state"][0]["step"]))


@snippet
def optimizer_load_state_dict_then_continue(L):
    def run(model, opt, steps):
        x = f64(L, 6, 2, seed=1)
        for _ in range(steps):
            opt.zero_grad()
            model(x).tanh().pow(2).mean().backward()
            opt.step()

    results = []
    for name, kw in [("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
                     ("RMSprop", dict(lr=0.01, centered=True, momentum=0.3)),
                     ("Adagrad", dict(lr=0.1, lr_decay=0.1)), ("AdamW", dict(lr=0.05, amsgrad=True))]:
        make = getattr(L.optim, name)
        model = L.nn.Linear(2, 2).double()
        fill_parameters(L, model)
        opt = make(model.parameters(), **kw)
        run(model, opt, 2)
        saved = copy.deepcopy((model.state_dict(), opt.state_dict()))
        run(model, opt, 3)
        resumed = L.nn.Linear(2, 2).double()
        resumed.load_state_dict(saved[0])
        resumed_opt = make(resumed.parameters(), lr=123.0)
        resumed_opt.load_state_dict(saved[1])
        lr_back = resumed_opt.param_groups[0]["lr"]
        run(resumed, resumed_opt, 3)
        results.append((list(model.parameters()), list(resumed.parameters()), lr_back))
    return results


@snippet
def parameters_without_gradient_are_skipped(L):
    a = L.nn.Parameter(f64(L, 2))
    b = L.nn.Parameter(f64(L, 2, seed=1))
    opt = L.optim.Adam([a, b], lr=0.1)
    (a ** 2).sum().backward()
    opt.step()
    after_one = (a.detach().clone(), b.detach().clone(), len(opt.state), b in opt.state)
    opt.zero_grad(set_to_none=False)
    opt.step()  # zero gradients: Adam still moves along its running average
    return after_one, a, b, b.grad is None, a.grad


@snippet
def optimizer_hyperparameters_in_groups(L):
    p = [L.nn.Parameter(L.torch.zeros(2))]
    s = L.optim.SGD(p, lr=0.1).param_groups[0]
    a = L.optim.Adam(p, lr=0.1).param_groups[0]
    w = L.optim.AdamW(p).param_groups[0]
    r = L.optim.RMSprop(p).param_groups[0]
    g = L.optim.Adagrad(p).param_groups[0]
    # torch's defaults are the int 0 in places: compared as floats
    return ([float(s[k]) for k in ("lr", "momentum", "dampening", "weight_decay")], s["nesterov"],
            s["maximize"],
            [float(a[k]) for k in ("lr", "eps", "weight_decay")], a["betas"], a["amsgrad"], a["maximize"],
            [float(w[k]) for k in ("lr", "eps", "weight_decay")], w["betas"], w["amsgrad"],
            [float(r[k]) for k in ("lr", "alpha", "eps", "weight_decay", "momentum")], r["centered"],
            [float(g[k]) for k in ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")],
            s["params"][0] is p[0], type(s["params"]).__name__)


@snippet
def bad_optimizer_arguments_raise(L):
    w = L.nn.Parameter(L.torch.zeros(2))
    return [attempt(lambda: L.optim.SGD([w], lr=-0.1)),
            attempt(lambda: L.optim.SGD([w], lr=0.1, nesterov=True)),
            attempt(lambda: L.optim.SGD([w], lr=0.1, momentum=-0.5)),
            attempt(lambda: L.optim.Adam([w], betas=(1.0, 0.9))),
            attempt(lambda: L.optim.Adam([w], eps=-1.0)),
            attempt(lambda: L.optim.SGD([], lr=0.1)),
            attempt(lambda: L.optim.RMSprop([w], alpha=-0.1)),
            attempt(lambda: L.optim.Adagrad([w], lr_decay=-1.0)),
            attempt(lambda: L.optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1))]


@snippet
def manual_lr_decay_and_warmup(L):
    w = L.nn.Parameter(f64(L, 3))
    opt = L.optim.SGD([w], lr=0.0, momentum=0.9)
    lrs = []
    for step in range(6):
        lr = 0.1 * min(1.0, (step + 1) / 3) * 0.5 ** (step // 4)
        for g in opt.param_groups:
            g["lr"] = lr
        opt.zero_grad()
        (w.sin() ** 2).sum().backward()
        opt.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs, w


@snippet
def optimizer_step_with_closure(L):
    def run(name, **kw):
        w = L.nn.Parameter(f64(L, 3))
        opt = getattr(L.optim, name)([w], **kw)
        calls = []

        def closure():
            opt.zero_grad()
            loss = ((w - 1.0) ** 2).sum()
            loss.backward()
            calls.append(L.torch.is_grad_enabled())
            return loss

        losses = [opt.step(closure) for _ in range(3)]
        with L.torch.no_grad():
            under_no_grad = opt.step(closure)  # the closure still records its graph
        return losses, under_no_grad, calls, w, opt.step() is None

    return [run("SGD", lr=0.1, momentum=0.9), run("Adam", lr=0.1), run("AdamW", lr=0.1),
            run("RMSprop", lr=0.01), run("Adagrad", lr=0.1)]


@snippet
def lr_schedulers_driven_by_metrics_and_milestones(L):
    def make(lr=1.0, **kw):
        return L.optim.SGD([L.nn.Parameter(L.torch.zeros(1))], lr=lr, **kw)

    opt = make()
    plateau = L.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
    seen = []
    for metric in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7, 0.8]:
        plateau.step(metric)
        seen.append(opt.param_groups[0]["lr"])
    runs = {}
    for name, opt, kw in [("MultiStepLR", make(), dict(milestones=[2, 4], gamma=0.1)),
                          ("LambdaLR", make(0.5), dict(lr_lambda=lambda e: 1 / (1 + e))),
                          ("OneCycleLR", make(0.1, momentum=0.9), dict(max_lr=1.0, total_steps=6))]:
        sched = getattr(L.optim.lr_scheduler, name)(opt, **kw)
        lrs = []
        for _ in range(5):
            opt.step()
            sched.step()
            lrs.append((opt.param_groups[0]["lr"], float(opt.param_groups[0]["momentum"])))
        runs[name] = (lrs, sched.get_last_lr(), sched.last_epoch)
    return seen, runs


@snippet
def gradient_accumulation_and_clipping(L):
    model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.Tanh(), L.nn.Linear(4, 1)).double()
    fill_parameters(L, model, seed=9)
    opt = L.optim.SGD(model.parameters(), lr=0.5)
    x, y = f64(L, 8, 3, seed=1), f64(L, 8, 1, seed=2)
    norms, accumulated = [], None
    for i in range(4):
        loss = L.F.mse_loss(model(x[2 * i:2 * i + 2]), y[2 * i:2 * i + 2]) / 2
        loss.backward()
        if i % 2 == 1:
            accumulated = [p.grad.clone() for p in model.parameters()]
            norms.append(L.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.1))
            L.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.02)
            opt.step()
            opt.zero_grad()
    return norms, accumulated, list(model.parameters())


# ----------------------------------------------------------------------------------------- modules
def make_block_class(L):
    class Block(L.nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.lin = L.nn.Linear(n_in, n_out)
            self.norm = L.nn.BatchNorm1d(n_out)
            self.act = L.nn.ReLU()

        def forward(self, x):
            return self.act(self.norm(self.lin(x)))

    class Net(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = L.nn.Sequential(Block(3, 4), L.nn.Dropout(0.2), Block(4, 4))
            self.head = L.nn.Linear(4, 2)

        def forward(self, x):
            return self.head(self.encoder(x))

    return Net


@snippet
def named_modules_and_children(L):
    net = make_block_class(L)()
    return ([(n, type(m).__name__) for n, m in net.named_modules()],
            [(n, type(m).__name__) for n, m in net.named_children()],
            [type(m).__name__ for m in net.encoder.children()], len(list(net.modules())),
            [n for n, m in net.named_modules() if isinstance(m, L.nn.Linear)])


@snippet
def named_parameters_prefix_and_recurse(L):
    net = make_block_class(L)()
    return ([n for n, _ in net.named_parameters()], [n for n, _ in net.head.named_parameters(prefix="head")],
            [n for n, _ in net.named_parameters(recurse=False)], [n for n, _ in net.named_buffers()],
            [n for n, _ in net.encoder[0].named_buffers(prefix="enc")], len(list(net.buffers())))


@snippet
def apply_an_initialiser(L):
    def init_weights(m):
        if isinstance(m, L.nn.Linear):
            L.nn.init.constant_(m.weight, 0.05)
            L.nn.init.zeros_(m.bias)
        elif isinstance(m, L.nn.BatchNorm1d):
            L.nn.init.ones_(m.weight)
            L.nn.init.constant_(m.bias, 0.1)

    net = make_block_class(L)().double()
    returned = net.apply(init_weights)
    visited = []
    net.apply(lambda m: visited.append(type(m).__name__))
    net.encoder[1].eval()  # no dropout
    out = net(f64(L, 5, 3))
    return returned is net, visited, dict(net.named_parameters()), out


@snippet
def parameter_counting_idioms(L):
    net = make_block_class(L)()
    net.encoder[0].requires_grad_(False)
    total = sum(p.numel() for p in net.parameters())
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    per_layer = {n: p.numel() for n, p in net.named_parameters()}
    frozen = [n for n, p in net.named_parameters() if not p.requires_grad]
    buffers = sum(b.numel() for b in net.buffers())
    return total, trainable, per_layer, frozen, buffers, type(total)


@snippet
def requires_grad_on_a_module_freezes_it(L):
    model = L.nn.Sequential(L.nn.Linear(3, 3), L.nn.Tanh(), L.nn.Linear(3, 1)).double()
    fill_parameters(L, model, seed=2)
    returned = model[0].requires_grad_(False)
    out = model(f64(L, 4, 3))
    out.sum().backward()
    flags = [p.requires_grad for p in model.parameters()]
    grads = [p.grad for p in model.parameters()]
    model.requires_grad_()
    after = [p.requires_grad for p in model.parameters()]
    return returned is model[0], flags, grads, after, out.requires_grad


@snippet
def module_zero_grad_options(L):
    model = L.nn.Sequential(L.nn.Linear(2, 2), L.nn.Linear(2, 1)).double()
    fill_parameters(L, model)
    model(f64(L, 3, 2)).sum().backward()
    model.zero_grad(set_to_none=False)
    zeros = [p.grad.clone() for p in model.parameters()]
    model(f64(L, 3, 2)).sum().backward()
    model[1].zero_grad()
    return zeros, [p.grad is None for p in model.parameters()], model[0].weight.grad


@snippet
def train_and_eval_change_dropout_and_batchnorm(L):
    model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.BatchNorm1d(4), L.nn.Dropout(0.999)).double()
    fill_parameters(L, model, seed=4)
    x = f64(L, 6, 3)
    model.eval()
    before = model(x)
    stats = (model[1].running_mean.clone(), model[1].num_batches_tracked.clone())
    model.train()
    model[2].eval()  # dropout off, batch norm in training mode: batch statistics, running ones updated
    during = model(x)
    r = model.train(False)
    return (before, stats, during, model[1].running_mean, model[1].running_var, model[1].num_batches_tracked,
            r is model, [m.training for m in model.modules()])


@snippet
def dropout_extremes_in_training(L):
    x = f64(L, 3, 4)
    L.torch.manual_seed(0)
    return (L.nn.Dropout(0.0)(x), L.nn.Dropout(1.0)(x), L.F.dropout(x, 1.0, training=True),
            L.nn.Dropout(0.3).eval()(x), attempt(lambda: L.nn.Dropout(1.5)), repr(L.nn.Dropout(0.25)))


@snippet
def state_dict_keys_buffers_and_non_persistent(L):
    class WithBuffers(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = L.nn.Linear(2, 2)
            self.register_buffer("mask", L.torch.ones(2))
            self.register_buffer("cache", L.torch.zeros(3), persistent=False)
            self.bn = L.nn.BatchNorm1d(2)

    m = WithBuffers()
    sd = m.state_dict()
    m.bn(f64(L, 4, 2).float())
    m.bn(f64(L, 4, 2, seed=1).float())
    return (list(sd), [n for n, _ in m.named_buffers()], m.state_dict()["bn.num_batches_tracked"],
            [tuple(v.shape) for v in sd.values()])


@snippet
def load_state_dict_strict_false_reports_keys(L):
    model = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.ReLU(), L.nn.Linear(3, 1)).double()
    fill_parameters(L, model, seed=1)
    sd = model.state_dict()
    partial = {k: v for k, v in sd.items() if k.startswith("0.")}
    partial["extra.weight"] = sd["0.weight"]
    target = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.ReLU(), L.nn.Linear(3, 1)).double()
    L.nn.init.zeros_(target[2].weight)
    result = target.load_state_dict(partial, strict=False)
    strict = attempt(lambda: target.load_state_dict(partial))
    bad_shape = dict(sd)
    bad_shape["2.weight"] = sd["0.weight"]
    shape_error = attempt(lambda: target.load_state_dict(bad_shape, strict=False))
    return (sorted(result.missing_keys), result.unexpected_keys, strict, shape_error, target[0].weight,
            target[2].weight, isinstance(result, tuple), len(result))


@snippet
def transfer_learning_backbone_into_new_head(L):
    backbone = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.ReLU(), L.nn.Linear(4, 4)).double()
    fill_parameters(L, backbone, seed=7)
    old = L.nn.Sequential(backbone, L.nn.Linear(4, 10)).double()
    new = L.nn.Sequential(L.nn.Sequential(L.nn.Linear(3, 4), L.nn.ReLU(), L.nn.Linear(4, 4)),
                          L.nn.Linear(4, 2)).double()
    fill_parameters(L, new, seed=20)
    sd = {k: v for k, v in old.state_dict().items() if not k.startswith("1.")}
    result = new.load_state_dict(sd, strict=False)
    for p in new[0].parameters():
        p.requires_grad = False
    out = new(f64(L, 2, 3))
    out.sum().backward()
    return list(old.state_dict()), result.missing_keys, out, new[0][0].weight.grad, new[1].weight.grad


@snippet
def module_list_indexing_and_editing(L):
    layers = L.nn.ModuleList([L.nn.Linear(i + 1, i + 2) for i in range(3)])
    first, last = layers[0], layers[-1]
    sliced = layers[1:]
    layers.append(L.nn.ReLU())
    layers.extend([L.nn.Tanh(), L.nn.Sigmoid()])
    layers.insert(1, L.nn.Identity())
    del layers[-1]
    return (type(sliced).__name__, len(sliced), sliced[0] is layers[2], first.in_features, last.out_features,
            [type(m).__name__ for m in layers], len(layers), [n for n, _ in layers.named_parameters()],
            attempt(lambda: layers[10]))


@snippet
def sequential_indexing_slicing_and_editing(L):
    seq = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.ReLU(), L.nn.Linear(3, 3), L.nn.Tanh(), L.nn.Linear(3, 1))
    head = seq[:2]
    tail = seq[-2:]
    step2 = seq[::2]
    seq.append(L.nn.Sigmoid())
    del seq[1]
    seq[0] = L.nn.Linear(2, 3, bias=False)
    return ([type(m).__name__ for m in head], [type(m).__name__ for m in tail],
            [n for n, _ in step2.named_children()], [n for n, _ in seq.named_children()],
            [n for n, _ in seq.named_parameters()], type(seq[1:]).__name__, len(seq), head[0] is not seq[0],
            tail[0] is seq[-3])


@snippet
def nested_sequential_state_dict_names(L):
    model = L.nn.Sequential(L.nn.Sequential(L.nn.Linear(2, 2), L.nn.BatchNorm1d(2)), L.nn.ReLU(),
                            L.nn.ModuleList([L.nn.Linear(2, 1)]))
    return list(model.state_dict()), [n for n, _ in model.named_modules()]


@snippet
def reprs_of_layers_and_models(L):
    class Scale(L.nn.Module):
        def __init__(self, factor):
            super().__init__()
            self.factor = factor

        def extra_repr(self):
            return f"factor={self.factor}"

    model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.ReLU(), L.nn.Dropout(0.1), L.nn.BatchNorm1d(4),
                            L.nn.Linear(4, 2, bias=False), Scale(2.5))
    layers = [L.nn.Linear(3, 4).extra_repr(), repr(L.nn.LayerNorm(4)), repr(L.nn.LeakyReLU(0.2)),
              repr(L.nn.Conv2d(1, 8, 3, padding=1)), repr(L.nn.MaxPool2d(2)), repr(L.nn.Flatten()),
              repr(L.nn.Embedding(10, 3)), repr(L.nn.Softmax(dim=1)), repr(L.nn.Identity()),
              repr(L.nn.Tanh()), repr(L.nn.GELU()), repr(L.nn.ModuleList([L.nn.ReLU(), L.nn.ReLU()]))]
    return repr(model), layers, repr(Scale(1))


@snippet
def deepcopy_model_is_independent(L):
    model = L.nn.Sequential(L.nn.Linear(2, 2), L.nn.BatchNorm1d(2)).double()
    fill_parameters(L, model)
    clone = copy.deepcopy(model)
    with L.torch.no_grad():
        model[0].weight.mul_(2.0)
    model(f64(L, 4, 2))
    return (clone[0].weight, model[0].weight, clone[1].running_mean, model[1].running_mean,
            clone[0].weight is not model[0].weight, clone[0].weight.requires_grad)


@snippet
def ema_target_network_update(L):
    online = L.nn.Linear(3, 2).double()
    target = L.nn.Linear(3, 2).double()
    fill_parameters(L, online, seed=1)
    fill_parameters(L, target, seed=2)
    tau = 0.1
    with L.torch.no_grad():
        for _ in range(3):
            for tp, op in zip(target.parameters(), online.parameters()):
                tp.mul_(1 - tau).add_(op, alpha=tau)
        hard = L.nn.Linear(3, 2).double()
        for hp, op in zip(hard.parameters(), online.parameters()):
            hp.copy_(op)
    return list(target.parameters()), list(hard.parameters()), target.weight.requires_grad


@snippet
def module_dtype_conversions(L):
    model = L.nn.Sequential(L.nn.Linear(2, 2), L.nn.BatchNorm1d(2))
    dtypes = [[p.dtype for p in model.parameters()]]
    r = model.double()
    dtypes.append([p.dtype for p in model.parameters()] + [b.dtype for b in model.buffers()])
    model.to(L.torch.float32)
    dtypes.append([b.dtype for b in model.buffers()])
    out = model.to(dtype=L.torch.float64)(f64(L, 3, 2))
    return dtypes, r is model, out.dtype


@snippet
def get_submodule_and_parameter(L):
    net = make_block_class(L)()
    return (type(net.get_submodule("encoder.2.norm")).__name__, net.get_parameter("head.bias").shape,
            attempt(lambda: net.get_submodule("encoder.5")), net.get_submodule("") is net,
            type(net.encoder[0].lin).__name__, hasattr(net, "head"), hasattr(net, "tail"))


@snippet
def setting_and_deleting_module_attributes(L):
    class Model(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = L.nn.Linear(2, 2)
            self.b = L.nn.Linear(2, 2)
            self.scale = L.nn.Parameter(L.torch.ones(1))

    m = Model()
    names0 = [n for n, _ in m.named_parameters()]
    del m.b
    m.c = L.nn.Tanh()
    m.scale = L.nn.Parameter(L.torch.zeros(2))
    m.plain = 3
    return (names0, [n for n, _ in m.named_parameters()], [n for n, _ in m.named_children()], m.scale,
            attempt(lambda: m.b), m.plain, list(m.state_dict()))


@snippet
def shared_module_counted_once(L):
    shared = L.nn.Linear(2, 2)
    model = L.nn.Sequential(shared, L.nn.ReLU(), shared)
    return (len(list(model.parameters())), [n for n, _ in model.named_parameters()],
            [n for n, _ in model.named_modules()], list(model.state_dict()))


@snippet
def layer_norm_and_batch_norm_variants(L):
    x = f64(L, 4, 3, 5, requires_grad=True)
    ln = L.nn.LayerNorm([3, 5], elementwise_affine=False).double()
    ln2 = L.nn.LayerNorm(5, eps=1e-3).double()
    fill_parameters(L, ln2, seed=3)
    bn = L.nn.BatchNorm1d(3, eps=1e-2, momentum=0.5).double()
    y = [ln(x), ln2(x), bn(x), L.F.layer_norm(x, (5,))]
    sum((t * t).sum() for t in y[:3]).backward()
    return y, x.grad, len(list(ln.parameters())), bn.running_mean, bn.running_var, repr(bn), repr(ln)


@snippet
def load_state_dict_result_prints_as_in_torch(L):
    model = L.nn.Linear(2, 2)
    result = model.load_state_dict(L.nn.Linear(2, 2).state_dict())
    return str(result), repr(result), list(result), result.missing_keys == []


@snippet
def sequential_and_module_list_editing_methods(L):
    seq = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.Tanh())
    seq.insert(1, L.nn.ReLU())
    seq.insert(-1, L.nn.Identity())
    seq.extend(L.nn.Sequential(L.nn.Linear(3, 1), L.nn.Sigmoid()))
    popped = seq.pop(2)
    layers = L.nn.ModuleList([L.nn.Linear(2, 2)]) + L.nn.ModuleList([L.nn.ReLU(), L.nn.ReLU()])
    taken = layers.pop(0)
    blocks = L.nn.ModuleList([L.nn.Sequential(L.nn.Linear(4, 4), L.nn.GELU()) for _ in range(3)])
    blocks.append(L.nn.LayerNorm(4))
    return ([(n, type(m).__name__) for n, m in seq.named_children()], type(popped).__name__,
            [n for n, _ in seq.named_parameters()], type(layers).__name__,
            [(n, type(m).__name__) for n, m in layers.named_children()], type(taken).__name__, repr(blocks),
            attempt(lambda: seq.insert(9, L.nn.ReLU())))


@snippet
def forward_hooks_collect_activations(L):
    model = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.ReLU(), L.nn.Linear(3, 1)).double()
    fill_parameters(L, model, seed=5)
    activations = {}

    def save(name):
        def hook(module, inputs, output):
            activations[name] = (len(inputs), output.detach().clone())
        return hook

    handles = [m.register_forward_hook(save(n)) for n, m in model.named_children()]
    out = model(f64(L, 4, 2))
    for h in handles:
        h.remove()
    model(f64(L, 1, 2))
    return out, activations


@snippet
def freezing_batch_norm_statistics(L):
    model = L.nn.Sequential(L.nn.Linear(3, 3), L.nn.BatchNorm1d(3), L.nn.ReLU(), L.nn.Linear(3, 1)).double()
    fill_parameters(L, model, seed=6)
    with L.torch.no_grad():
        model[1].running_mean.fill_(0.5)
        model[1].running_var.fill_(2.0)
    model.train()
    for m in model.modules():
        if isinstance(m, L.nn.BatchNorm1d):
            m.eval()
            m.weight.requires_grad_(False)
            m.bias.requires_grad_(False)
    opt = L.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)
    x = f64(L, 5, 3, seed=7)
    for _ in range(2):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    bn = model[1]
    return (bn.running_mean, bn.running_var, bn.num_batches_tracked, list(model.parameters()),
            [m.training for m in model.modules()])


@snippet
def layer_attributes(L):
    lin, conv = L.nn.Linear(3, 2), L.nn.Conv2d(3, 6, 3, stride=2, padding=1)
    bn, ln, emb = L.nn.BatchNorm1d(3), L.nn.LayerNorm(3), L.nn.Embedding(7, 2, padding_idx=0)
    return ((lin.in_features, lin.out_features, lin.weight.shape, lin.bias.shape),
            (conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding, conv.dilation,
             conv.groups, conv.weight.shape),
            (bn.num_features, bn.eps, bn.momentum, bn.affine, bn.track_running_stats),
            (ln.normalized_shape, ln.eps, ln.elementwise_affine),
            (emb.num_embeddings, emb.embedding_dim, emb.padding_idx, emb.weight[0]),
            L.nn.Dropout(0.3).p, L.nn.LeakyReLU(0.2).negative_slope, L.nn.Softmax(dim=1).dim,
            (L.nn.Flatten().start_dim, L.nn.Flatten().end_dim), (L.nn.MaxPool2d(2).kernel_size,
                                                                L.nn.MaxPool2d(2).stride))


@snippet
def small_cnn_with_same_padding_and_global_pooling(L):
    model = L.nn.Sequential(L.nn.Conv2d(2, 3, 3, padding="same"), L.nn.ReLU(), L.nn.AdaptiveAvgPool2d(1),
                            L.nn.Flatten(), L.nn.Linear(3, 2)).double()
    fill_parameters(L, model, seed=8)
    x = f64(L, 4, 2, 5, 5, seed=9)
    y = labels(L, 0, 1, 1, 0)
    opt = L.optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = L.nn.CrossEntropyLoss()(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, list(model.parameters()), model[:3](x).shape


@snippet
def bag_of_embeddings_classifier(L):
    class BagOfWords(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = L.nn.Embedding(6, 3, padding_idx=0)
            self.out = L.nn.Linear(3, 2)

        def forward(self, tokens):
            mask = (tokens != 0).unsqueeze(-1).double()
            return self.out((self.emb(tokens) * mask).sum(1) / mask.sum(1))

    model = BagOfWords().double()
    fill_parameters(L, model, seed=10)
    tokens = L.torch.tensor([[1, 2, 0, 0], [3, 3, 4, 5], [5, 1, 2, 0]])
    loss = L.F.cross_entropy(model(tokens), labels(L, 0, 1, 1))
    loss.backward()
    return loss, model.emb.weight.grad, model.out.weight.grad


@snippet
def parameter_basics(L):
    p = L.nn.Parameter(L.torch.ones(2, 3))
    q = L.nn.Parameter(L.torch.zeros(2), requires_grad=False)
    y = p * 2
    return (p.requires_grad, q.requires_grad, isinstance(p, L.torch.Tensor), type(y).__name__,
            y.requires_grad, p.is_leaf, p.shape, p.dtype, type(p.detach()).__name__)


# ------------------------------------------------------------------------------------- tensor idioms
@snippet
def no_grad_updates_in_place_methods(L):
    w = f64(L, 4, requires_grad=True)
    (w ** 2).sum().backward()
    with L.torch.no_grad():
        w.add_(w.grad, alpha=-0.1)
        w.mul_(0.9)
        w.clamp_(min=-1.0, max=1.0)
        w[0] = 0.25
        w[1:3] += 1.0
    return w, w.requires_grad, w.is_leaf, w.grad_fn is None


@snippet
def detach_clone_is_independent(L):
    x = f64(L, 3, requires_grad=True)
    y = x * 2
    snap = y.detach().clone()
    shared = y.detach()
    with L.torch.no_grad():
        shared += 1.0
    snap[0] = -5.0
    return y, snap, shared, snap.requires_grad, snap.is_leaf, x.detach().requires_grad


@snippet
def item_and_tolist_types(L):
    T = L.torch
    f = T.tensor([[1.5, 2.5], [3.5, 4.5]])
    return (f.sum().item(), type(f.sum().item()), T.tensor(3).item(), type(T.tensor(3).item()),
            T.tensor(True).item(), f.tolist(), f[0].tolist(), f[0, 0].tolist(), type(f[0, 0].tolist()),
            T.tensor([1, 2]).tolist(), (f > 2).tolist(), T.tensor([7]).item(), float(f[1, 1]), int(f[1, 0]),
            attempt(lambda: f.item()))


@snippet
def collect_predictions_with_cat_and_stack(L):
    model = L.nn.Linear(3, 2).double()
    fill_parameters(L, model)
    x = f64(L, 7, 3)
    outs, losses = [], []
    with L.torch.no_grad():
        for i in range(0, 7, 3):
            out = model(x[i:i + 3])
            outs.append(out)
            losses.append(out.pow(2).mean())
    all_out = L.torch.cat(outs)
    mean_loss = L.torch.stack(losses).mean()
    per_batch = L.torch.stack(losses)
    return all_out, mean_loss, per_batch, L.torch.cat(outs, dim=0).argmax(dim=1), L.torch.stack(outs[:2], 1)


@snippet
def torch_max_with_dim_idiom(L):
    out = L.torch.tensor([[0.1, 0.7, 0.2], [0.5, 0.5, 0.0], [0.3, 0.1, 0.9]], dtype=L.torch.float64)
    y = labels(L, 1, 1, 2)
    _, predicted = L.torch.max(out, 1)
    values, idx = out.max(dim=1, keepdim=True)
    correct = (predicted == y).sum().item()
    top2 = out.topk(2, dim=1).indices
    in_top2 = (top2 == y.unsqueeze(1)).any(dim=1).float().mean()
    return predicted, values, idx, correct, type(correct), in_top2, out.argmax(1), out.argmin(dim=1)


@snippet
def accuracy_idioms(L):
    logits = f64(L, 8, 3, seed=3)
    y = labels(L, 0, 1, 2, 0, 1, 2, 0, 1)
    pred = logits.argmax(dim=1)
    acc1 = (pred == y).float().mean()
    acc2 = (pred == y).sum().item() / len(y)
    acc3 = pred.eq(y).double().mean().item()
    probs = logits.sigmoid()[:, 0]
    binary = ((probs > 0.5).long() == (y == 0).long()).float().mean()
    return acc1, acc1.dtype, acc2, acc3, binary, (pred == y).dtype, (pred == y).sum().dtype


@snippet
def where_with_python_numbers(L):
    T = L.torch
    x = f64(L, 2, 3, requires_grad=True)
    a = T.where(x > 0, x, 0.0)
    b = T.where(x > 0, 1.0, -1.0)
    c = T.where(x > 0, x, T.zeros_like(x)).sum()
    x32 = T.tensor(data(3), dtype=T.float32)
    d = T.where(x32 > 0, x32, 0.0)
    (a.sum() + c).backward()
    return a, b, x.grad, d.dtype, T.where(x32 < 0)


@snippet
def masked_mean_over_padded_sequences(L):
    T = L.torch
    h = f64(L, 3, 5, 2, requires_grad=True)
    lengths = T.tensor([5, 2, 3])
    mask = T.arange(5).unsqueeze(0) < lengths.unsqueeze(1)
    m = mask.unsqueeze(-1).double()
    mean = (h * m).sum(dim=1) / m.sum(dim=1)
    filled = h.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
    mean.sum().backward()
    return mask, mean, filled, h.grad, mask.sum(dim=1), mask.dtype


@snippet
def topk_sort_argsort_variants(L):
    T = L.torch
    x = T.tensor([3.0, -1.0, 2.0, 3.0, 0.5, -4.0], dtype=T.float64)
    m = f64(L, 3, 4, seed=5)
    return (x.topk(3), x.topk(2, largest=False), T.topk(m, 2, dim=0), m.topk(1, dim=1).values,
            x.sort(), x.sort(descending=True).values, T.argsort(x), T.argsort(m, dim=1, descending=True),
            T.sort(m, dim=0), x.sort(stable=True).indices, x[x.argsort()])


@snippet
def unique_variants(L):
    T = L.torch
    y = T.tensor([3, 1, 2, 3, 3, 1])
    values, inverse, counts = T.unique(y, return_inverse=True, return_counts=True)
    return (T.unique(y), values, inverse, counts, y.unique(), T.unique(T.tensor([[2, 2], [1, 0]])),
            len(T.unique(y)), T.unique(T.tensor([1.5, 0.5, 1.5])), T.unique(y, sorted=True))


@snippet
def clamp_variants(L):
    T = L.torch
    x = f64(L, 6, seed=6, low=-3, high=3, requires_grad=True)
    lo = T.tensor([-1.0, 0.0, -2.0, 0.5, -0.5, 0.0], dtype=T.float64)
    parts = [x.clamp(min=0), x.clamp(max=0.5), T.clamp(x, -1, 1), x.clamp(min=lo), x.clamp(lo, lo + 1),
             x.clip(-0.5, 0.5), x.clamp_min(0.2), x.clamp_max(-0.2)]
    sum(p.sum() for p in parts).backward()
    y = x.detach().clone()
    r = y.clamp_(0.0, 1.0)
    i = T.tensor([-3, 5, 9]).clamp(0, 6)
    return parts, x.grad, y, r is y, i, i.dtype


@snippet
def new_factories_and_like_dtypes(L):
    T = L.torch
    x = T.tensor([[1.0, 2.0]], dtype=T.float64)
    i = T.tensor([1, 2, 3])
    return [x.new_zeros(2, 3), x.new_ones((1, 2)), x.new_full((2,), 7.5), x.new_tensor([1, 2]),
            x.new_zeros(2, dtype=T.int64), i.new_zeros(3), i.new_ones(2).dtype,
            T.zeros_like(i, dtype=T.float32), T.ones_like(x, dtype=T.int64), T.full_like(x, 3),
            T.full_like(i, 2.9), T.zeros_like(x).dtype,
            T.empty_like(x).shape, T.randn_like(x).dtype, x.new_empty(4).shape, T.rand_like(x).shape]


@snippet
def broadcasting_pitfalls(L):
    pred = f64(L, 4, 1, seed=7)
    y = f64(L, 4, seed=8)
    wrong = pred - y
    right = pred.squeeze(1) - y
    also_right = pred - y.unsqueeze(1)
    pairwise = (f64(L, 3, 1, 2) - f64(L, 1, 4, 2, seed=1)).pow(2).sum(-1)
    col = f64(L, 3, seed=2).view(-1, 1) * L.torch.arange(3.0, dtype=L.torch.float64)
    return (wrong.shape, right.shape, also_right.shape, pairwise, col,
            attempt(lambda: f64(L, 3) + f64(L, 4)), (pred.squeeze() == pred.view(-1)).all())


@snippet
def normalising_rows_and_columns(L):
    x = f64(L, 3, 4, seed=9, requires_grad=True)
    unit = x / x.norm(dim=1, keepdim=True)
    probs = x.exp() / x.exp().sum(dim=1, keepdim=True)
    standardised = (x - x.mean(dim=0)) / (x.std(dim=0, unbiased=True) + 1e-8)
    minmax = (x - x.min()) / (x.max() - x.min())
    (unit.sum() + probs[:, 0].sum() + standardised.pow(2).sum() + minmax.sum()).backward()
    return unit, probs, standardised, minmax, x.grad, L.F.normalize(x, dim=1)


@snippet
def index_assignment_with_repeated_indices(L):
    T = L.torch
    x = T.zeros(4, dtype=T.float64)
    x[T.tensor([0, 0, 2])] += 1.0
    y = T.zeros(2, 3)
    y[:, T.tensor([0, 2])] = T.tensor([[1.0, 2.0], [3.0, 4.0]])
    z = T.arange(6.0).view(2, 3)
    z[z > 2] = -1.0
    counts = T.zeros(3, dtype=T.int64).index_add_(0, T.tensor([0, 0, 2]), T.tensor([1, 1, 1])) \
        if hasattr(T.zeros(1), "index_add_") else None
    b = T.zeros(3, dtype=T.float64)
    b.scatter_add_(0, T.tensor([0, 0, 2]), T.ones(3, dtype=T.float64))
    return x, y, z, b, counts is None or counts.tolist() == [2, 0, 1]


@snippet
def one_hot_and_back(L):
    y = labels(L, 2, 0, 1, 2)
    oh = L.F.one_hot(y, num_classes=4)
    inferred = L.F.one_hot(y)
    back = oh.argmax(dim=1)
    smoothed = oh.double() * 0.9 + 0.1 / 4
    return oh, oh.dtype, inferred.shape, back, smoothed, oh.float().sum(dim=0)


@snippet
def split_chunk_unbind_with_sizes(L):
    T = L.torch
    x = T.arange(10.0).view(2, 5)
    a, b = T.split(x, [2, 3], dim=1)
    parts = x.split(2, dim=1)
    rows = x.unbind(0)
    halves = T.chunk(x, 2, dim=1)
    return a, b, list(parts), list(rows), list(halves), type(rows).__name__, type(parts).__name__


@snippet
def tensors_from_lists_of_numpy_numbers(L):
    T = L.torch
    row = np.array([1.5, 2.5, 3.5])
    ints = np.array([1, 2, 3], dtype=np.int32)
    made = [T.tensor([row[0], row[1]]), T.tensor([row[0], 2.0]), T.tensor([[row[2]], [1]]),
            T.tensor([np.float32(1.5), 2.0]), T.tensor([np.float16(1.5), np.float16(2.5)]),
            T.tensor([ints[0], ints[1]]), T.tensor([ints[0], 2]), T.tensor([1.5, 2.5]), T.tensor([1, 2.5]),
            T.tensor([list(row), list(row)]), T.tensor(row[0]), T.tensor([row.sum(), row.mean()])]
    return [(t.dtype, t) for t in made]


@snippet
def pad_modes(L):
    x = f64(L, 1, 2, 5, requires_grad=True)
    parts = [L.F.pad(x, (2, 1), mode="reflect"), L.F.pad(x, (1, 3), mode="replicate"),
             L.F.pad(x, (1, 1), mode="constant", value=0.5), L.F.pad(x, (0, 0, 1, 0))]
    sum((p * p).sum() for p in parts).backward()
    return parts, x.grad


@snippet
def integer_tensors_in_arithmetic(L):
    T = L.torch
    i = T.tensor([1, 2, 3])
    f = T.tensor([0.5, 1.5, 2.5])
    return [(i.float() * f).dtype, (i * 2).dtype, (i // 2), (i % 2 == 0), i.sum().dtype, i.float().mean(),
            i.max().item(), type(i.max().item()),
            i.argmax().dtype, T.tensor([True, False, True]).sum().item()]


@snippet
def reshaping_idioms(L):
    x = L.torch.arange(24.0).view(2, 3, 4)
    b = x.size(0)
    return (x.view(b, -1).shape, x.reshape(len(x), -1).shape, x.flatten().shape, x.flatten(start_dim=1).shape,
            x.flatten(0, 1).shape, x.view(-1, 4).shape, x[None].shape, x[..., None].shape,
            x.unsqueeze(0).squeeze(0).shape, x.permute(0, 2, 1).shape,
            x.transpose(1, 2).contiguous().view(2, -1),
            x.mean(dim=(1, 2)), x.shape[-1], x.ndim, len(x))


@snippet
def comparisons_of_whole_tensors(L):
    T = L.torch
    a = T.tensor([1.0, 2.0, 3.0], dtype=T.float64)
    b = a + 1e-9
    return (T.allclose(a, b), T.equal(a, b), T.equal(a, a.clone()), T.isclose(a, b), (a == b).all().item(),
            T.allclose(a, a + 0.1, atol=0.2), a.eq(b).any().item(), a.ne(b).sum().item())


@snippet
def flip_roll_and_cumulative(L):
    T = L.torch
    x = f64(L, 2, 4, seed=10, requires_grad=True)
    parts = [x.flip(1), T.flip(x, [0, 1]), x.roll(1, dims=1), T.roll(x, -1, 0), x.cumsum(1), x.cumprod(dim=1),
             x.cummax(dim=1).values, x.diff(dim=1)]
    sum((p * p).sum() for p in parts).backward()
    return parts, x.grad


@snippet
def softmax_probabilities_and_entropy(L):
    logits = f64(L, 3, 4, seed=11, requires_grad=True)
    probs = L.F.softmax(logits, dim=-1)
    logp = L.F.log_softmax(logits, dim=-1)
    entropy = -(probs * logp).sum(dim=-1)
    conf, pred = probs.max(dim=1)
    entropy.mean().backward()
    return probs, entropy, conf, pred, logits.grad, probs.sum(dim=1)


@snippet
def gradient_of_a_loss_with_respect_to_an_input(L):
    model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.Tanh(), L.nn.Linear(4, 2)).double()
    fill_parameters(L, model, seed=12)
    x = f64(L, 5, 3).requires_grad_(True)
    loss = L.F.cross_entropy(model(x), labels(L, 0, 1, 1, 0, 1))
    loss.backward()
    adversarial = (x + 0.1 * x.grad.sign()).detach()
    return x.grad, adversarial, adversarial.requires_grad, model[0].weight.grad


@snippet
def autograd_grad_for_penalties(L):
    x = f64(L, 4, 2, requires_grad=True)
    w = f64(L, 2, seed=1, requires_grad=True)
    y = (x @ w).tanh().sum()
    (gx,) = L.autograd.grad(y, x, create_graph=True)
    penalty = (gx.norm(dim=1) - 1).pow(2).mean()
    penalty.backward()
    return gx, penalty, w.grad, x.grad


# ---------------------------------------------------------------------------------------------- data
@snippet
def tensor_dataset_indexing(L):
    X = L.torch.tensor(data(5, 2))
    y = L.torch.tensor([0, 1, 0, 1, 1])
    ds = L.data.TensorDataset(X, y)
    xi, yi = ds[2]
    return (len(ds), xi, yi, yi.dtype, ds[-1], ds[1:3], len(ds.tensors), ds.tensors[1],
            attempt(lambda: L.data.TensorDataset(X, y[:3])))


@snippet
def dataloader_batch_sizes_and_drop_last(L):
    ds = L.data.TensorDataset(L.torch.arange(14.0).view(7, 2), L.torch.arange(7))
    out = {}
    for bs, drop in [(2, False), (2, True), (3, False), (3, True), (7, False), (10, False), (1, True)]:
        loader = L.data.DataLoader(ds, batch_size=bs, shuffle=False, drop_last=drop)
        out[f"{bs}-{drop}"] = (len(loader), [tuple(xb.shape) for xb, _ in loader],
                               [yb for _, yb in loader][-1])
    return out


@snippet
def dataloader_repeated_epochs_in_order(L):
    ds = L.data.TensorDataset(L.torch.tensor(data(5, 3)), L.torch.tensor([1, 0, 1, 1, 0]))
    loader = L.data.DataLoader(ds, batch_size=2)
    first = [yb for _, yb in loader]
    second = [yb for _, yb in loader]
    total = sum(xb.shape[0] for xb, _ in loader)
    xb, yb = next(iter(loader))
    return first, second, total, xb, yb, loader.batch_size


@snippet
def subset_of_a_dataset(L):
    ds = L.data.TensorDataset(L.torch.arange(10.0).view(5, 2), L.torch.arange(5))
    train = L.data.Subset(ds, [4, 0, 2])
    val = L.data.Subset(ds, list(range(3, 5)))
    batches = [yb for _, yb in L.data.DataLoader(train, batch_size=2)]
    return len(train), train[0], len(val), val[1], batches, list(train.indices), train.dataset is ds


@snippet
def custom_dataset_through_the_loader(L):
    class Squares(L.data.Dataset):
        def __init__(self, n):
            self.x = np.arange(n, dtype=np.float64)

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return L.torch.tensor([self.x[i], self.x[i] ** 2]), int(self.x[i]) % 2

    ds = Squares(5)
    batches = [(xb, yb) for xb, yb in L.data.DataLoader(ds, batch_size=2)]
    return len(ds), ds[3], batches, batches[0][1].dtype


@snippet
def train_and_validate_over_loaders(L):
    X = L.torch.tensor(data(12, 3))
    y = L.torch.tensor([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2])
    train_loader = L.data.DataLoader(L.data.TensorDataset(X[:8], y[:8]), batch_size=3)
    val_loader = L.data.DataLoader(L.data.TensorDataset(X[8:], y[8:]), batch_size=3)
    model = L.nn.Sequential(L.nn.Linear(3, 5), L.nn.ReLU(), L.nn.Linear(5, 3)).double()
    fill_parameters(L, model, seed=13)
    opt = L.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = []
    for _ in range(2):
        model.train()
        total = 0.0
        for xb, yb in train_loader:
            opt.zero_grad()
            loss = L.F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * xb.size(0)
        model.eval()
        correct = 0
        with L.torch.no_grad():
            for xb, yb in val_loader:
                correct += (model(xb).argmax(1) == yb).sum().item()
        history.append((total / len(train_loader.dataset), correct / len(val_loader.dataset)))
    return history, list(model.parameters())


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_behaves_as_in_torch(name):
    run_snippet(SNIPPETS[name])
