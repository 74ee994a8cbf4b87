"""MultiStepLR, ConstantLR, LambdaLR, MultiplicativeLR, CosineAnnealingWarmRestarts, OneCycleLR,
ReduceLROnPlateau, SequentialLR and ChainedScheduler: the same optimizer and scheduler run in torch and
here (rates, momenta, state_dict round trips midway, resuming, rates set by hand), hand-derived closed
forms, and argument errors."""

from __future__ import annotations

import math
import re
from typing import Any, Callable

import numpy as np
import pytest

from autograd import tensor
from nn import optim
from nn.optim import lr_scheduler as S

LRS = (0.1, 0.02, 0.5)


def make_optimizer(lib: Any = None, kind: str = "SGD", groups: int = 3, **kw: Any) -> Any:
    """An optimizer over ``groups`` one-element parameters, each in its own group with its own rate."""
    if lib is None:
        params, module = [tensor([1.0], requires_grad=True) for _ in range(groups)], optim
    else:
        params, module = [lib.tensor([1.0], requires_grad=True) for _ in range(groups)], lib.optim
    return getattr(module, kind)([{"params": [p], "lr": LRS[i]} for i, p in enumerate(params)], **kw)


def momenta(opt: Any) -> list[float]:
    out = []
    for g in opt.param_groups:
        if "betas" in g:
            out.append(float(g["betas"][0]))
        elif "momentum" in g:
            out.append(float(g["momentum"]))
    return out


def trace(lib: Any, build: Callable, steps: int, kind: str = "SGD", save_at: int | None = None,
          metrics: list[float] | None = None, opt_kw: dict | None = None) -> list[Any]:
    """What the optimizer's groups hold (rates, momenta) and ``get_last_lr()`` after the constructor and
    after each step; at ``save_at``, both state dicts go to a new optimizer and scheduler, which go on.
    A step that raises ValueError is recorded as 'raised'."""
    module = S if lib is None else lib.optim.lr_scheduler
    opt_kw = {"momentum": 0.9} if opt_kw is None and kind == "SGD" else (opt_kw or {})

    def fresh():
        opt = make_optimizer(lib, kind, **opt_kw)
        return opt, build(module, opt)

    opt, sched = fresh()
    out = [([g["lr"] for g in opt.param_groups], list(sched.get_last_lr()), momenta(opt))]
    for t in range(steps):
        opt.step()
        try:
            sched.step() if metrics is None else sched.step(metrics[t])
        except ValueError:
            out.append("raised")
            continue
        out.append(([g["lr"] for g in opt.param_groups], list(sched.get_last_lr()), momenta(opt)))
        if t == save_at:
            saved_opt, saved_sched = opt.state_dict(), sched.state_dict()
            opt, sched = fresh()
            opt.load_state_dict(saved_opt)
            sched.load_state_dict(saved_sched)
    return out


def assert_same_trace(got: list[Any], expected: list[Any]) -> None:
    assert len(got) == len(expected)
    for t, (a, b) in enumerate(zip(got, expected)):
        if a == "raised" or b == "raised":
            assert a == b, f"step {t}: {a} vs {b}"
            continue
        for part, x, y in zip(("group lrs", "get_last_lr", "momenta"), a, b):
            assert len(x) == len(y), (t, part)
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=0, err_msg=f"step {t}, {part}")


# Functions of the epoch, the same objects in both libraries.
def decay(epoch):
    return 0.9 ** epoch


def harmonic(epoch):
    return 1.0 / (1.0 + epoch)


def sawtooth(epoch):
    return epoch % 3 + 1.0


CASES = {
    "MultiStepLR": lambda M, o: M.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.5),
    "MultiStepLR-unsorted-default-gamma": lambda M, o: M.MultiStepLR(o, milestones=(9, 0, 4)),
    "ConstantLR-defaults": lambda M, o: M.ConstantLR(o),
    "ConstantLR": lambda M, o: M.ConstantLR(o, factor=0.25, total_iters=4),
    "ConstantLR-factor-1": lambda M, o: M.ConstantLR(o, factor=1.0, total_iters=2),
    "LambdaLR": lambda M, o: M.LambdaLR(o, decay),
    "LambdaLR-per-group": lambda M, o: M.LambdaLR(o, [decay, harmonic, sawtooth]),
    "LambdaLR-lambda": lambda M, o: M.LambdaLR(o, lambda e: (1 + e / 3) ** -0.5),
    "MultiplicativeLR": lambda M, o: M.MultiplicativeLR(o, lambda e: 0.9),
    "MultiplicativeLR-per-group": lambda M, o: M.MultiplicativeLR(o, (decay, harmonic, sawtooth)),
    "CosineAnnealingWarmRestarts": lambda M, o: M.CosineAnnealingWarmRestarts(o, T_0=3, eta_min=0.01),
    "CosineAnnealingWarmRestarts-T_mult": lambda M, o: M.CosineAnnealingWarmRestarts(o, 2, 3, 0.001),
    "CosineAnnealingWarmRestarts-T_0-1": lambda M, o: M.CosineAnnealingWarmRestarts(o, T_0=1, T_mult=2),
    "OneCycleLR-defaults": lambda M, o: M.OneCycleLR(o, max_lr=1.0, total_steps=20),
    "OneCycleLR-per-group": lambda M, o: M.OneCycleLR(o, max_lr=[1.0, 0.2, 3.0], total_steps=12,
                                                      pct_start=0.25, base_momentum=[0.8, 0.85, 0.5],
                                                      max_momentum=(0.9, 0.99, 0.6), div_factor=10.0,
                                                      final_div_factor=100.0),
    "OneCycleLR-linear-three-phase": lambda M, o: M.OneCycleLR(o, 0.5, epochs=4, steps_per_epoch=4,
                                                               anneal_strategy="linear", three_phase=True),
    "OneCycleLR-three-phase-cos": lambda M, o: M.OneCycleLR(o, 0.5, total_steps=13, pct_start=0.4,
                                                            three_phase=True),
    "OneCycleLR-pct_start-0": lambda M, o: M.OneCycleLR(o, 2.0, total_steps=6, pct_start=0.0),
    "OneCycleLR-no-momentum": lambda M, o: M.OneCycleLR(o, 1.0, total_steps=9, cycle_momentum=False),
    "SequentialLR-warmup": lambda M, o: M.SequentialLR(
        o, [M.LinearLR(o, start_factor=0.1, total_iters=4), M.ExponentialLR(o, gamma=0.8)], milestones=[4]),
    "SequentialLR-three": lambda M, o: M.SequentialLR(
        o, [M.ConstantLR(o, 0.5, 2), M.CosineAnnealingLR(o, T_max=5, eta_min=0.01), M.StepLR(o, 2, 0.5)],
        milestones=[3, 9]),
    "SequentialLR-restarts-and-cycles": lambda M, o: M.SequentialLR(
        o, [M.MultiStepLR(o, [1, 2]), M.MultiplicativeLR(o, lambda e: 0.8),
            M.CosineAnnealingWarmRestarts(o, 2, 2, eta_min=0.001), M.OneCycleLR(o, 1.0, total_steps=6),
            M.LambdaLR(o, harmonic)],
        milestones=[3, 6, 12, 18]),
    "SequentialLR-milestone-0": lambda M, o: M.SequentialLR(
        o, [M.LambdaLR(o, harmonic), M.MultiStepLR(o, [0, 2])], milestones=[0]),
    "SequentialLR-one": lambda M, o: M.SequentialLR(o, [M.ExponentialLR(o, 0.7)], milestones=[]),
    "ChainedScheduler": lambda M, o: M.ChainedScheduler(
        [M.LinearLR(o, 0.5, total_iters=3), M.ExponentialLR(o, 0.9), M.MultiStepLR(o, [4, 8])]),
    "ChainedScheduler-with-optimizer": lambda M, o: M.ChainedScheduler(
        (M.ConstantLR(o, 0.5, 5), M.CosineAnnealingLR(o, 4), M.MultiplicativeLR(o, harmonic)), optimizer=o),
    "ChainedScheduler-of-SequentialLR": lambda M, o: M.ChainedScheduler(
        [M.SequentialLR(o, [M.LinearLR(o, 0.5, total_iters=3), M.ExponentialLR(o, 0.9)], [3]),
         M.StepLR(o, 4)]),
}

# The optimizer each case runs with (SGD with momentum otherwise).
KINDS = {"OneCycleLR-linear-three-phase": "Adam", "OneCycleLR-three-phase-cos": "RMSprop",
         "OneCycleLR-no-momentum": "Adagrad", "SequentialLR-restarts-and-cycles": "Adam"}
OPT_KW = {"OneCycleLR-three-phase-cos": {"momentum": 0.5}}
STEPS = 24


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("save_at", [None, 6], ids=["straight", "state-saved-at-6"])
def test_matches_torch(torch, name, save_at):
    build, kind = CASES[name], KINDS.get(name, "SGD")
    opt_kw = OPT_KW.get(name)
    got = trace(None, build, STEPS, kind, save_at, opt_kw=opt_kw)
    expected = trace(torch, build, STEPS, kind, save_at, opt_kw=opt_kw)
    assert_same_trace(got, expected)
    rates = [tuple(step[0]) for step in expected if step != "raised"]
    assert len(set(rates)) > 1 or name == "ConstantLR-factor-1"  # the schedule moved


PLATEAU_METRICS = [5.0, 4.0, 4.1, 4.0, 4.0, 3.9996, 4.0, 4.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0,
                   1.5, 1.0, 0.99, 0.99, 0.99, 0.99, 0.99] + [0.99] * 8  # 12 bad epochs at the end
PLATEAU_CASES = {
    "defaults": {},
    "patience-1": {"patience": 1},
    "cooldown-min_lr-per-group": {"patience": 0, "cooldown": 2, "factor": 0.5, "min_lr": [0.05, 0.01, 0.2]},
    "max-abs": {"mode": "max", "threshold_mode": "abs", "threshold": 0.5, "patience": 1},
    "max-rel": {"mode": "max", "threshold": 0.01, "patience": 2, "factor": 0.3},
    "min-abs": {"threshold_mode": "abs", "threshold": 0.05, "patience": 1, "min_lr": 0.004},
    "eps": {"patience": 1, "eps": 0.02, "factor": 0.5},
}


@pytest.mark.parametrize("kw", list(PLATEAU_CASES.values()), ids=list(PLATEAU_CASES))
@pytest.mark.parametrize("save_at", [None, 9], ids=["straight", "state-saved-at-9"])
def test_reduce_lr_on_plateau_matches_torch(torch, kw, save_at):
    build = lambda M, o: M.ReduceLROnPlateau(o, **kw)
    steps = len(PLATEAU_METRICS)
    got = trace(None, build, steps, save_at=save_at, metrics=PLATEAU_METRICS)
    expected = trace(torch, build, steps, save_at=save_at, metrics=PLATEAU_METRICS)
    assert_same_trace(got, expected)


def test_plateau_cases_reduce():
    # each configuration above reduces some rate at least once over the metrics (PyTorch's defaults
    # have patience 10: those wait 11 bad epochs)
    for name, kw in PLATEAU_CASES.items():
        lrs = [step[0] for step in trace(None, lambda M, o, kw=kw: M.ReduceLROnPlateau(o, **kw),
                                         len(PLATEAU_METRICS), metrics=PLATEAU_METRICS)]
        assert lrs[-1] != lrs[0], name


# ---------------------------------------------------------------------------------------------- by hand
def rates(sched, opt, n):
    out = [sched.get_last_lr()]
    for _ in range(n):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr())
    return np.array(out)


def one_group(lr=1.0, lib=None, kind="SGD", **kw):
    if lib is None:
        return getattr(optim, kind)([tensor([1.0], requires_grad=True)], lr=lr, **kw)
    return getattr(lib.optim, kind)([lib.tensor([1.0], requires_grad=True)], lr=lr, **kw)


def test_multi_step_closed_form():
    opt = make_optimizer()
    got = rates(S.MultiStepLR(opt, milestones=[3, 1, 3], gamma=0.5), opt, 6)
    count = [0, 1, 1, 3, 3, 3, 3]  # milestones at or before t, 3 counted twice
    np.testing.assert_allclose(got, [[lr * 0.5 ** c for lr in LRS] for c in count], rtol=1e-15)


def test_constant_closed_form_and_zero_factor():
    opt = make_optimizer()
    got = rates(S.ConstantLR(opt, factor=0.5, total_iters=3), opt, 5)
    np.testing.assert_allclose(got, [[lr * (0.5 if t < 3 else 1.0) for lr in LRS] for t in range(6)])
    # PyTorch divides by the factor at total_iters (ZeroDivisionError); the rate goes back to eta0 here
    opt = make_optimizer()
    got = rates(S.ConstantLR(opt, factor=0.0, total_iters=2), opt, 3)
    np.testing.assert_array_equal(got, [[0.0] * 3, [0.0] * 3, list(LRS), list(LRS)])


def test_lambda_and_multiplicative_closed_forms():
    opt = make_optimizer()
    got = rates(S.LambdaLR(opt, [decay, harmonic, sawtooth]), opt, 6)
    expected = [[LRS[0] * 0.9 ** t, LRS[1] / (1 + t), LRS[2] * (t % 3 + 1)] for t in range(7)]
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    opt = make_optimizer()
    got = rates(S.MultiplicativeLR(opt, harmonic), opt, 5)
    # f is not applied at epoch 0: eta(t) = eta0 * f(1) * ... * f(t) = eta0 / (t + 1)!
    np.testing.assert_allclose(got, [[lr / math.factorial(t + 1) for lr in LRS] for t in range(6)],
                               rtol=1e-14)


def test_lambda_lr_overwrites_and_multiplicative_lr_scales_a_rate_set_by_hand():
    for cls, fn, after in ((S.LambdaLR, lambda e: 0.5 ** e, [0.5 * 0.5 ** 2]),
                           (S.MultiplicativeLR, lambda e: 0.5, [3.0 * 0.5])):
        opt = one_group(0.5)
        sched = cls(opt, fn)
        opt.step()
        sched.step()
        opt.param_groups[0]["lr"] = 3.0
        opt.step()
        sched.step()
        assert sched.get_last_lr() == pytest.approx(after, rel=1e-15), cls.__name__


def warm_restarts_expected(t, T_0, T_mult, eta_min, eta0=1.0):
    start, length = 0, T_0
    while t >= start + length:
        start, length = start + length, length * T_mult
    return eta_min + (eta0 - eta_min) * (1 + math.cos(math.pi * (t - start) / length)) / 2


@pytest.mark.parametrize("T_0, T_mult", [(3, 1), (2, 2), (1, 3)])
def test_warm_restarts_closed_form(T_0, T_mult):
    opt = one_group()
    got = rates(S.CosineAnnealingWarmRestarts(opt, T_0, T_mult, eta_min=0.1), opt, 20)[:, 0]
    np.testing.assert_allclose(got, [warm_restarts_expected(t, T_0, T_mult, 0.1) for t in range(21)],
                               rtol=1e-14)


def test_warm_restarts_fractional_epochs_match_torch(torch):
    epochs = [0.5, 1.0, 1.5, 2.0, 2.5, 5.75, 6.0, 13.9, 14.0, 3, 0.25, 40.0, 29.5]
    seen = []
    for lib in (None, torch):
        opt = one_group(lib=lib)
        module = S if lib is None else torch.optim.lr_scheduler
        sched = module.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.1)
        out = []
        for e in epochs:
            opt.step()
            sched.step(e)
            out.append((sched.get_last_lr()[0], sched.T_cur, sched.T_i, sched.last_epoch))
            for _ in range(2):  # plain steps go on from there
                opt.step()
                sched.step()
                out.append((sched.get_last_lr()[0], sched.T_cur, sched.T_i, sched.last_epoch))
        seen.append(np.array(out, dtype=float))
    np.testing.assert_allclose(seen[0], seen[1], rtol=1e-12)
    # and the closed form, at the epochs given
    np.testing.assert_allclose(seen[0][::3, 0], [warm_restarts_expected(e, 2, 2, 0.1) for e in epochs],
                               rtol=1e-13)


def test_warm_restarts_finds_the_period_exactly():
    # epochs 0 | 1..10 | 11..110 | 111..: epoch 111 starts the fourth period. PyTorch's floating-point
    # logarithm puts it at the end of the third (log10(1000) = 2.9999999999999996), giving eta_min.
    opt = one_group()
    sched = S.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=10, eta_min=0.0)
    sched.step(111)
    assert (sched.T_cur, sched.T_i, sched.get_last_lr()) == (0, 1000, [1.0])
    sched.step(110.5)
    assert (sched.T_cur, sched.T_i) == (99.5, 100)


def test_warm_restarts_refuses_a_negative_epoch():
    sched = S.CosineAnnealingWarmRestarts(one_group(), T_0=2)
    with pytest.raises(ValueError, match=r"CosineAnnealingWarmRestarts.step: got epoch=-1.0; expected"):
        sched.step(-1)
    with pytest.raises(TypeError, match=r"got epoch='1'"):
        sched.step("1")


@pytest.mark.parametrize("three_phase", [False, True])
def test_one_cycle_linear_closed_form(three_phase):
    # total 10, pct_start 0.4: the rise ends at step 3 (0.4 * 10 - 1); two phases: the fall to min_lr
    # ends at step 9; three phases: the fall back to initial_lr ends at step 6 (2 * 0.4 * 10 - 2)
    peak, div, final = 2.0, 20.0, 50.0
    initial, low = peak / div, peak / div / final
    opt = one_group(kind="Adam", betas=(0.5, 0.99))
    sched = S.OneCycleLR(opt, peak, total_steps=10, pct_start=0.4, anneal_strategy="linear",
                         div_factor=div, final_div_factor=final, three_phase=three_phase,
                         base_momentum=0.8, max_momentum=0.9)
    got, got_beta = [sched.get_last_lr()[0]], [opt.param_groups[0]["betas"]]
    for _ in range(10):
        opt.step()
        sched.step()
        got.append(sched.get_last_lr()[0])
        got_beta.append(opt.param_groups[0]["betas"])

    def lerp(a, b, f):
        return a + (b - a) * f

    expected, expected_beta = [], []
    for t in range(11):
        if t <= 3:
            expected.append(lerp(initial, peak, t / 3))
            expected_beta.append(lerp(0.9, 0.8, t / 3))
        elif not three_phase:
            expected.append(lerp(peak, low, (t - 3) / 6))
            expected_beta.append(lerp(0.8, 0.9, (t - 3) / 6))
        elif t <= 6:
            expected.append(lerp(peak, initial, (t - 3) / 3))
            expected_beta.append(lerp(0.8, 0.9, (t - 3) / 3))
        else:
            expected.append(lerp(initial, low, (t - 6) / 3))
            expected_beta.append(0.9)
    np.testing.assert_allclose(got, expected, rtol=1e-9)  # the last ones lose digits to cancellation
    np.testing.assert_allclose([b[0] for b in got_beta], expected_beta, rtol=1e-14)
    assert all(b[1] == 0.99 for b in got_beta)  # beta2 is left alone


def test_one_cycle_writes_its_bounds_into_the_groups():
    opt = make_optimizer()
    S.OneCycleLR(opt, max_lr=[1.0, 2.0, 4.0], total_steps=10, div_factor=4.0, final_div_factor=10.0)
    for g, peak in zip(opt.param_groups, (1.0, 2.0, 4.0)):
        assert (g["initial_lr"], g["max_lr"], g["min_lr"]) == (peak / 4, peak, peak / 40)
        assert (g["max_momentum"], g["base_momentum"], g["momentum"]) == (0.95, 0.85, 0.95)


def test_one_cycle_raises_past_total_steps_and_stays_put():
    opt = one_group(momentum=0.9)
    sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(3):
        opt.step()
        sched.step()
    last = sched.get_last_lr()
    for _ in range(2):
        with pytest.raises(ValueError, match=r"OneCycleLR: got step 4; expected at most total_steps=3"):
            sched.step()
    assert sched.last_epoch == 3 and sched.get_last_lr() == last


def test_one_cycle_phase_of_no_length():
    # pct_start * total_steps == 1: the rise ends at step 0, where PyTorch divides 0 by 0; here step 0 is
    # the end of the rise, the peak
    opt = one_group(momentum=0.9)
    sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=0.1)
    assert sched.get_last_lr() == [1.0] and opt.param_groups[0]["momentum"] == 0.85


def test_one_cycle_resumes_from_the_saved_groups_only():
    opt = one_group(momentum=0.9)
    opt.param_groups[0]["initial_lr"] = 0.04
    with pytest.raises(KeyError, match=r"OneCycleLR: param 'max_lr' is not specified in param_groups\[0\]"):
        S.OneCycleLR(opt, max_lr=1.0, total_steps=10, last_epoch=3)


def test_reduce_lr_on_plateau_by_hand():
    opt = make_optimizer(groups=2)
    sched = S.ReduceLROnPlateau(opt, factor=0.5, patience=1, cooldown=1, min_lr=[0.03, 0.0])
    metrics = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5]
    # best 1.0; bad epochs 1, 2 -> reduce (patience 1), cooldown 1 epoch (bad count reset), then
    # bad 1, 2 -> reduce again (group 0 stops at its min_lr 0.03), then an improvement
    expected = [[0.1, 0.02], [0.1, 0.02], [0.05, 0.01], [0.05, 0.01], [0.05, 0.01], [0.03, 0.005],
                [0.03, 0.005]]
    got = []
    for m in metrics:
        opt.step()
        sched.step(m)
        got.append(sched.get_last_lr())
    np.testing.assert_allclose(got, expected, rtol=1e-15)
    assert sched.best == 0.5 and sched.num_bad_epochs == 0 and sched.last_epoch == 7


def test_reduce_lr_on_plateau_metrics_kinds():
    opt = one_group()
    sched = S.ReduceLROnPlateau(opt, patience=0)
    sched.step(tensor(1.0))
    sched.step(np.array(2.0))
    assert sched.get_last_lr() == [0.1]
    with pytest.raises(TypeError, match=r"ReduceLROnPlateau.step: got metrics of type str \('loss'\)"):
        sched.step("loss")


def test_reduce_lr_on_plateau_with_a_group_added_later(torch):
    for lib in (None, torch):
        module = S if lib is None else torch.optim.lr_scheduler
        params = [(tensor if lib is None else lib.tensor)([1.0], requires_grad=True)]
        opt = one_group(lib=lib)
        sched = module.ReduceLROnPlateau(opt, patience=0, min_lr=0.15)
        opt.add_param_group({"params": params, "lr": 2.0})
        sched.step(1.0)
        sched.step(2.0)
        assert sched.get_last_lr() == pytest.approx([0.15, 0.2], rel=1e-15)  # min_lr covers the new group
        opt = one_group(lib=lib)
        sched = module.ReduceLROnPlateau(opt, patience=0, min_lr=[0.5])
        opt.add_param_group({"params": [params[0].detach().clone().requires_grad_()], "lr": 2.0})
        sched.step(1.0)
        with pytest.raises(RuntimeError, match="min_lr"):
            sched.step(2.0)


def test_sequential_warmup_then_decay_by_hand():
    opt = make_optimizer()
    warmup = S.LinearLR(opt, start_factor=0.25, total_iters=3)
    cosine = S.CosineAnnealingLR(opt, T_max=4, eta_min=0.0)
    sched = S.SequentialLR(opt, [warmup, cosine], milestones=[3])
    got = rates(sched, opt, 8)
    factors = [0.25, 0.5, 0.75] + [(1 + math.cos(math.pi * k / 4)) / 2 for k in range(6)]
    np.testing.assert_allclose(got, [[lr * f for lr in LRS] for f in factors], rtol=1e-13, atol=1e-17)
    assert sched.last_epoch == 8 and cosine.last_epoch == 5 and warmup.last_epoch == 2


def test_chained_by_hand():
    opt = make_optimizer()
    sched = S.ChainedScheduler([S.ConstantLR(opt, 0.5, total_iters=2), S.MultiStepLR(opt, [1, 3], 0.1)])
    got = rates(sched, opt, 4)
    factors = [0.5, 0.05, 0.1, 0.01, 0.01]
    np.testing.assert_allclose(got, [[lr * f for lr in LRS] for f in factors], rtol=1e-14)


# ---------------------------------------------------------------------------------------------- state
class Decay:
    """A callable object with state: its __dict__ goes into the scheduler's state dict."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate ** epoch


@pytest.mark.parametrize("name", ["LambdaLR", "MultiplicativeLR"])
def test_state_of_the_functions(torch, name):
    states, sequences = [], []
    for lib in (None, torch):
        module = S if lib is None else torch.optim.lr_scheduler
        opt = make_optimizer(lib, groups=2)
        obj = Decay(0.5)
        sched = getattr(module, name)(opt, [obj, harmonic])
        for _ in range(3):
            opt.step()
            sched.step()
        obj.rate = 0.8  # changed during training: restored into the new object
        saved = sched.state_dict()
        states.append(saved["lr_lambdas"])
        opt2 = make_optimizer(lib, groups=2)
        obj2 = Decay(0.5)
        sched2 = getattr(module, name)(opt2, [obj2, harmonic])
        opt2.load_state_dict(opt.state_dict())
        sched2.load_state_dict(saved)
        assert obj2.rate == 0.8 and "lr_lambdas" in saved  # and the saved dict is left whole
        sequences.append(rates(sched2, opt2, 4))
    assert states[0] == states[1] == [{"rate": 0.8}, None]
    np.testing.assert_allclose(sequences[0], sequences[1], rtol=1e-12)


def test_state_dict_is_a_copy():
    opt = make_optimizer()
    sched = S.MultiStepLR(opt, [2, 4])
    saved = sched.state_dict()
    saved["milestones"][7] = 1
    assert 7 not in sched.milestones
    seq = S.SequentialLR(opt, [S.ExponentialLR(opt, 0.5), S.StepLR(opt, 2)], [3])
    saved = seq.state_dict()
    saved["_milestones"].append(9)
    assert seq._milestones == [3]


@pytest.mark.parametrize("name", ["MultiStepLR", "ConstantLR", "LambdaLR-per-group",
                                  "MultiplicativeLR-per-group", "CosineAnnealingWarmRestarts-T_mult",
                                  "OneCycleLR-per-group", "SequentialLR-three", "ChainedScheduler"])
def test_loads_torch_state_dicts(torch, name):
    """A torch scheduler's state dict (with the torch optimizer's) continues the schedule here."""
    build = CASES[name]
    topt = make_optimizer(torch, momentum=0.9)
    tsched = build(torch.optim.lr_scheduler, topt)
    for _ in range(5):
        topt.step()
        tsched.step()
    opt = make_optimizer(momentum=0.9)
    sched = build(S, opt)
    opt.load_state_dict(topt.state_dict())
    sched.load_state_dict(tsched.state_dict())
    np.testing.assert_allclose(rates(sched, opt, 6), rates(tsched, topt, 6), rtol=1e-12)


def test_loads_torch_reduce_lr_on_plateau_state(torch):
    topt = make_optimizer(torch)
    tsched = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, patience=1, cooldown=1)
    for m in PLATEAU_METRICS[:6]:
        tsched.step(m)
    opt = make_optimizer()
    sched = S.ReduceLROnPlateau(opt)
    opt.load_state_dict(topt.state_dict())
    sched.load_state_dict(tsched.state_dict())
    assert set(sched.state_dict()) == set(tsched.state_dict())
    for m in PLATEAU_METRICS[6:]:
        sched.step(m)
        tsched.step(m)
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12)


@pytest.mark.parametrize("name, kw", [
    ("MultiStepLR", {"milestones": [2, 4, 4], "gamma": 0.5}),
    ("ConstantLR", {"factor": 0.5, "total_iters": 4}),
    ("LambdaLR", {"lr_lambda": harmonic}),
    ("MultiplicativeLR", {"lr_lambda": decay}),
    ("CosineAnnealingWarmRestarts", {"T_0": 2, "T_mult": 2}),
    ("OneCycleLR", {"max_lr": 1.0, "total_steps": 12}),
])
@pytest.mark.parametrize("resume_at", [2, 3])
def test_resume_with_last_epoch_vs_torch(torch, name, kw, resume_at):
    sequences = []
    for lib in (None, torch):
        module = S if lib is None else torch.optim.lr_scheduler
        opt = one_group(0.1, lib, momentum=0.9)
        sched = getattr(module, name)(opt, **kw)
        for _ in range(resume_at):
            opt.step()
            sched.step()
        resumed = one_group(0.1, lib, momentum=0.9)
        resumed.load_state_dict(opt.state_dict())
        sched = getattr(module, name)(resumed, **kw, last_epoch=resume_at)
        sequences.append(rates(sched, resumed, 6))
    np.testing.assert_allclose(sequences[0], sequences[1], rtol=1e-12)


@pytest.mark.parametrize("name, kw", [
    ("MultiStepLR", {"milestones": [2, 3], "gamma": 0.5}), ("ConstantLR", {"factor": 0.5, "total_iters": 3}),
    ("MultiplicativeLR", {"lr_lambda": decay}), ("LambdaLR", {"lr_lambda": decay}),
    ("CosineAnnealingWarmRestarts", {"T_0": 3}), ("OneCycleLR", {"max_lr": 1.0, "total_steps": 8}),
])
def test_rate_changed_by_hand_vs_torch(torch, name, kw):
    sequences = []
    for lib in (None, torch):
        module = S if lib is None else torch.optim.lr_scheduler
        opt = one_group(lib=lib, momentum=0.9)
        sched = getattr(module, name)(opt, **kw)
        out = []
        for epoch in range(7):
            if epoch == 1:
                opt.param_groups[0]["lr"] *= 3.0
            opt.step()
            sched.step()
            out.append(opt.param_groups[0]["lr"])
        sequences.append(out)
    np.testing.assert_allclose(sequences[0], sequences[1], rtol=1e-12)


def test_repr():
    opt = make_optimizer()
    assert repr(S.MultiStepLR(opt, [2])).startswith("MultiStepLR(milestones=Counter({2: 1}), gamma=0.1")
    assert repr(S.ReduceLROnPlateau(opt)).startswith("ReduceLROnPlateau(mode='min', factor=0.1")
    chained = S.ChainedScheduler([S.ExponentialLR(opt, 0.5)])
    assert repr(chained) == "ChainedScheduler([ExponentialLR(gamma=0.5, last_epoch=0)])"
    seq = S.SequentialLR(opt, [S.ExponentialLR(opt, 0.5), S.StepLR(opt, 3)], [2])
    assert repr(seq).startswith("SequentialLR(schedulers=[ExponentialLR(gamma=0.5, last_epoch=0), StepLR(")


# ---------------------------------------------------------------------------------------------- errors
# (scheduler, build(M, opt) -> scheduler, exception, message); the message names the scheduler, what it
# got and what was expected. torch_too: PyTorch refuses the same arguments with the same exception type.
ERRORS = [
    ("LRScheduler", lambda M, o, make: M.ExponentialLR([0.1], 0.5), TypeError,
     r"ExponentialLR: got list; expected an Optimizer", True),
    ("LRScheduler", lambda M, o, make: M.ExponentialLR(o, 0.5, last_epoch=-2), ValueError,
     r"ExponentialLR: got last_epoch=-2; expected an integer >= -1", False),
    ("StepLR", lambda M, o, make: M.StepLR(o, 2, gamma="0.5"), TypeError,
     r"StepLR: got gamma='0.5' \(str\); expected a real number", False),
    ("ExponentialLR", lambda M, o, make: M.ExponentialLR(o, gamma=math.nan), ValueError,
     r"ExponentialLR: got gamma=nan; expected a finite real number", False),
    ("CosineAnnealingLR", lambda M, o, make: M.CosineAnnealingLR(o, 3, eta_min=None), TypeError,
     r"CosineAnnealingLR: got eta_min=None \(NoneType\); expected a real number", False),
    ("LinearLR", lambda M, o, make: M.LinearLR(o, start_factor=1.5), ValueError,
     r"LinearLR: got start_factor=1.5; expected a value in \(0, 1\]", True),
    ("PowerLawLR", lambda M, o, make: M.PowerLawLR(o, s=2.0, c="x"), TypeError,
     r"PowerLawLR: got c='x' \(str\); expected a real number", False),
    ("MultiStepLR", lambda M, o, make: M.MultiStepLR(o, milestones=3), TypeError,
     r"MultiStepLR: got milestones=3; expected an iterable of epochs", True),
    ("MultiStepLR", lambda M, o, make: M.MultiStepLR(o, milestones=[2, 4.5]), ValueError,
     r"MultiStepLR: got milestones=\[2, 4.5\]; expected non-negative integer epochs", False),
    ("MultiStepLR", lambda M, o, make: M.MultiStepLR(o, milestones="24"), TypeError,
     r"MultiStepLR: got milestones='24'; expected an iterable", False),
    ("ConstantLR", lambda M, o, make: M.ConstantLR(o, factor=1.5), ValueError,
     r"ConstantLR: got factor=1.5; expected a value in \[0, 1\]", True),
    ("ConstantLR", lambda M, o, make: M.ConstantLR(o, factor=-0.5), ValueError,
     r"ConstantLR: got factor=-0.5; expected a value in \[0, 1\]", True),
    ("ConstantLR", lambda M, o, make: M.ConstantLR(o, total_iters=0), ValueError,
     r"ConstantLR: got total_iters=0; expected a positive integer", False),
    ("LambdaLR", lambda M, o, make: M.LambdaLR(o, [decay]), ValueError,
     r"LambdaLR: got 1 lr_lambdas; expected one per parameter group \(3\)", True),
    ("LambdaLR", lambda M, o, make: M.LambdaLR(o, 0.5), TypeError,
     r"LambdaLR: got lr_lambda of type float \(0\.5\); expected a function of the epoch", False),
    ("MultiplicativeLR", lambda M, o, make: M.MultiplicativeLR(o, [decay, 0.9, decay]), TypeError,
     r"MultiplicativeLR: got lr_lambda\[1\] of type float \(0\.9\); expected a function", True),
    ("MultiplicativeLR", lambda M, o, make: M.MultiplicativeLR(o, (decay,) * 4), ValueError,
     r"MultiplicativeLR: got 4 lr_lambdas; expected one per parameter group \(3\)", True),
    ("CosineAnnealingWarmRestarts", lambda M, o, make: M.CosineAnnealingWarmRestarts(o, T_0=0),
     ValueError, r"CosineAnnealingWarmRestarts: got T_0=0; expected a positive integer", True),
    ("CosineAnnealingWarmRestarts", lambda M, o, make: M.CosineAnnealingWarmRestarts(o, T_0=2.5),
     ValueError, r"CosineAnnealingWarmRestarts: got T_0=2.5; expected a positive integer", True),
    ("CosineAnnealingWarmRestarts", lambda M, o, make: M.CosineAnnealingWarmRestarts(o, 2, T_mult=0),
     ValueError, r"CosineAnnealingWarmRestarts: got T_mult=0; expected an integer >= 1", True),
    ("CosineAnnealingWarmRestarts", lambda M, o, make: M.CosineAnnealingWarmRestarts(o, 2, eta_min="0"),
     TypeError, r"CosineAnnealingWarmRestarts: got eta_min='0' \(str\); expected a real number", False),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(o, 1.0), ValueError,
     r"OneCycleLR: got total_steps=None, epochs=None, steps_per_epoch=None; expected total_steps, or both",
     True),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(o, 1.0, total_steps=0), ValueError,
     r"OneCycleLR: got total_steps=0; expected a positive integer", True),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=-1), ValueError,
     r"OneCycleLR: got steps_per_epoch=-1; expected a positive integer", True),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(o, 1.0, total_steps=9, pct_start=1.5), ValueError,
     r"OneCycleLR: got pct_start=1.5; expected a value in \[0, 1\]", True),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(o, 1.0, total_steps=9, anneal_strategy="exp"),
     ValueError, r"OneCycleLR: got anneal_strategy='exp'; expected 'cos' or 'linear'", True),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(o, [1.0, 2.0], total_steps=9), ValueError,
     r"OneCycleLR: got 2 values of max_lr; expected one per parameter group \(3\)", True),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(o, -1.0, total_steps=9), ValueError,
     r"OneCycleLR: got max_lr=-1.0; expected a number >= 0", False),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(o, 1.0, total_steps=9, div_factor=0), ValueError,
     r"OneCycleLR: got div_factor=0.0; expected a number > 0", False),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(o, 1.0, total_steps=9, base_momentum=[0.8]), ValueError,
     r"OneCycleLR: got 1 values of base_momentum; expected one per parameter group \(3\)", True),
    ("OneCycleLR", lambda M, o, make: M.OneCycleLR(make("Adagrad"), 1.0, total_steps=9), ValueError,
     r"OneCycleLR: got cycle_momentum=True with Adagrad, which has no momentum; expected an optimizer with "
     r"'momentum' or 'betas'", True),
    ("ReduceLROnPlateau", lambda M, o, make: M.ReduceLROnPlateau(o, factor=1.0), ValueError,
     r"ReduceLROnPlateau: got factor=1.0; expected a value in \[0, 1\)", True),
    ("ReduceLROnPlateau", lambda M, o, make: M.ReduceLROnPlateau(o, mode="avg"), ValueError,
     r"ReduceLROnPlateau: got mode='avg'; expected 'min' or 'max'", True),
    ("ReduceLROnPlateau", lambda M, o, make: M.ReduceLROnPlateau(o, threshold_mode="pct"), ValueError,
     r"ReduceLROnPlateau: got threshold_mode='pct'; expected 'rel' or 'abs'", True),
    ("ReduceLROnPlateau", lambda M, o, make: M.ReduceLROnPlateau(o, min_lr=[0.0, 0.1]), ValueError,
     r"ReduceLROnPlateau: got 2 values of min_lr; expected one per parameter group \(3\)", True),
    ("ReduceLROnPlateau", lambda M, o, make: M.ReduceLROnPlateau(o, patience=-1), ValueError,
     r"ReduceLROnPlateau: got patience=-1; expected a non-negative integer", False),
    ("ReduceLROnPlateau", lambda M, o, make: M.ReduceLROnPlateau(o, cooldown=1.5), ValueError,
     r"ReduceLROnPlateau: got cooldown=1.5; expected a non-negative integer", False),
    ("ReduceLROnPlateau", lambda M, o, make: M.ReduceLROnPlateau(o, threshold=-0.1), ValueError,
     r"ReduceLROnPlateau: got threshold=-0.1; expected a number >= 0", False),
    ("ReduceLROnPlateau", lambda M, o, make: M.ReduceLROnPlateau(o, eps=-1e-8), ValueError,
     r"ReduceLROnPlateau: got eps=-1e-08; expected a number >= 0", False),
    ("ReduceLROnPlateau", lambda M, o, make: M.ReduceLROnPlateau("opt"), TypeError,
     r"ReduceLROnPlateau: got str; expected an Optimizer", True),
    ("SequentialLR", lambda M, o, make: M.SequentialLR(o, [], milestones=[]), ValueError,
     r"SequentialLR: got no schedulers; expected at least one", True),
    ("SequentialLR", lambda M, o, make: M.SequentialLR(o, [M.ExponentialLR(o, 0.5)] * 2, milestones=[]),
     ValueError, r"SequentialLR: got 0 milestones for 2 schedulers; expected 1", True),
    ("SequentialLR", lambda M, o, make: M.SequentialLR(
        o, [M.ExponentialLR(o, 0.5), M.StepLR(o, 2), M.StepLR(o, 3)], milestones=[4, 2]), ValueError,
     r"SequentialLR: got milestones=\[4, 2\]; expected non-decreasing non-negative integer epochs", False),
    ("SequentialLR", lambda M, o, make: M.SequentialLR(o, [M.ExponentialLR(o, 0.5), "StepLR"], [2]),
     TypeError, r"SequentialLR: got a str at index 1; expected a learning-rate scheduler", True),
    ("SequentialLR", lambda M, o, make: M.SequentialLR(
        o, [M.ExponentialLR(o, 0.5), M.ReduceLROnPlateau(o)], [2]), ValueError,
     r"SequentialLR: got a ReduceLROnPlateau at index 1; expected schedulers stepped without", True),
    ("SequentialLR", lambda M, o, make: M.SequentialLR(
        o, [M.ExponentialLR(o, 0.5), M.StepLR(make(), 2)], [2]), ValueError,
     r"SequentialLR: got a StepLR at index 1 that schedules another optimizer; expected", True),
    ("SequentialLR", lambda M, o, make: M.SequentialLR(
        o, [M.ExponentialLR(o, 0.5), M.ChainedScheduler([M.StepLR(o, 2)])], [2]), ValueError,
     r"SequentialLR: got a ChainedScheduler at index 1; expected single schedules", False),
    ("ChainedScheduler", lambda M, o, make: M.ChainedScheduler([]), ValueError,
     r"ChainedScheduler: got no schedulers; expected at least one", True),
    ("ChainedScheduler", lambda M, o, make: M.ChainedScheduler(M.StepLR(o, 2)), TypeError,
     r"ChainedScheduler: got schedulers of type StepLR \(.*\); expected a list of schedulers", True),
    ("ChainedScheduler", lambda M, o, make: M.ChainedScheduler([M.StepLR(o, 2), M.ReduceLROnPlateau(o)]),
     ValueError, r"ChainedScheduler: got a ReduceLROnPlateau at index 1; expected schedulers stepped", True),
    ("ChainedScheduler", lambda M, o, make: M.ChainedScheduler([M.StepLR(o, 2)], optimizer=make()),
     ValueError, r"ChainedScheduler: got a StepLR at index 0 that schedules another optimizer; expected",
     True),
]


@pytest.mark.parametrize("where, build, exc, message, torch_too", ERRORS,
                         ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)])
def test_argument_errors(where, build, exc, message, torch_too):
    with pytest.raises(exc, match=message) as info:
        build(S, make_optimizer(), lambda kind="SGD": one_group(kind=kind))
    text = str(info.value)
    assert re.match(r"[A-Za-z]+(\.step)?: got .*; expected ", text), text


@pytest.mark.parametrize("where, build, exc, message",
                         [e[:4] for e in ERRORS if e[4]], ids=[e[0] for e in ERRORS if e[4]])
def test_torch_refuses_the_same_arguments(torch, where, build, exc, message):
    with pytest.raises(exc):
        make = lambda kind="SGD": one_group(lib=torch, kind=kind)
        build(torch.optim.lr_scheduler, make_optimizer(torch), make)


def test_the_error_table_covers_every_scheduler():
    assert set(S.__all__) - {e[0] for e in ERRORS} == set()


def test_sequential_lr_takes_a_single_scheduler_of_another_kind_first():
    # PyTorch runs a ChainedScheduler first in a SequentialLR with an extra step of each of its
    # schedulers, and fails with NotImplementedError when one comes later; here neither is accepted
    opt = make_optimizer()
    with pytest.raises(ValueError, match=r"got a SequentialLR at index 0; expected single schedules"):
        S.SequentialLR(opt, [S.SequentialLR(opt, [S.StepLR(opt, 2)], []), S.StepLR(opt, 2)], [2])
