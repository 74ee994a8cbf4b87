"""Learning-rate schedules: closed forms (including the course notes' three schedules), torch's
get_last_lr sequences, state_dict round trips and validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import tensor
from nn import optim
from nn.optim import lr_scheduler as S

N = 12
LRS = (0.1, 0.02)


def make_optimizer(lib=None):
    if lib is None:
        a, b = tensor([1.0], requires_grad=True), tensor([2.0], requires_grad=True)
        return optim.SGD([{"params": [a]}, {"params": [b], "lr": LRS[1]}], lr=LRS[0], momentum=0.9)
    a = lib.tensor([1.0], requires_grad=True)
    b = lib.tensor([2.0], requires_grad=True)
    return lib.optim.SGD([{"params": [a]}, {"params": [b], "lr": LRS[1]}], lr=LRS[0], momentum=0.9)


def sequence(sched, opt, n=N):
    out = [sched.get_last_lr()]
    for _ in range(n):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr())
    return np.array(out)


CASES = [
    ("StepLR", {"step_size": 3}, lambda t: 0.1 ** (t // 3)),
    ("StepLR", {"step_size": 2, "gamma": 0.5}, lambda t: 0.5 ** (t // 2)),
    ("ExponentialLR", {"gamma": 0.9}, lambda t: 0.9 ** t),
    ("CosineAnnealingLR", {"T_max": 5}, lambda t: (1 + math.cos(math.pi * t / 5)) / 2),
    ("LinearLR", {}, lambda t: 1 / 3 + (1 - 1 / 3) * min(t, 5) / 5),
    ("LinearLR", {"start_factor": 1.0, "end_factor": 0.25, "total_iters": 4},
     lambda t: 1 - 0.75 * min(t, 4) / 4),
]


@pytest.mark.parametrize("name, kw, factor", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_closed_form(name, kw, factor):
    opt = make_optimizer()
    got = sequence(getattr(S, name)(opt, **kw), opt)
    expected = np.array([[lr * factor(t) for lr in LRS] for t in range(N + 1)])
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-16)
    assert [g["lr"] for g in opt.param_groups] == list(got[-1])


@pytest.mark.parametrize("name, kw, factor", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_vs_torch(name, kw, factor):
    torch = pytest.importorskip("torch")
    opt = make_optimizer()
    got = sequence(getattr(S, name)(opt, **kw), opt, n=2 * N)
    topt = make_optimizer(torch)
    ref = sequence(getattr(torch.optim.lr_scheduler, name)(topt, **kw), topt, n=2 * N)
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-15)


def test_cosine_with_eta_min_vs_closed_form_and_torch():
    opt = make_optimizer()
    got = sequence(S.CosineAnnealingLR(opt, T_max=4, eta_min=0.001), opt)
    expected = [[0.001 + (lr - 0.001) * (1 + math.cos(math.pi * t / 4)) / 2 for lr in LRS]
                for t in range(N + 1)]
    np.testing.assert_allclose(got, expected, rtol=1e-13)
    torch = pytest.importorskip("torch")
    topt = make_optimizer(torch)
    ref = sequence(torch.optim.lr_scheduler.CosineAnnealingLR(topt, T_max=4, eta_min=0.001), topt)
    np.testing.assert_allclose(got, ref, rtol=1e-10)


# ---------------------------------------------------------------------------------------------- the notes
def test_power_law_is_the_notes_schedule():
    # notes 001: eta(tau) = eta0 (1 + tau / s) ** c, usually c = -0.5
    opt = make_optimizer()
    got = sequence(S.PowerLawLR(opt, s=4.0, c=-0.5), opt)
    expected = [[lr * (1 + t / 4.0) ** -0.5 for lr in LRS] for t in range(N + 1)]
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    assert S.PowerLawLR(make_optimizer(), s=1.0).c == -0.5


def test_power_law_vs_torch_lambda_lr():
    torch = pytest.importorskip("torch")
    opt = make_optimizer()
    got = sequence(S.PowerLawLR(opt, s=3.0, c=-0.75), opt)
    topt = make_optimizer(torch)
    ref = sequence(torch.optim.lr_scheduler.LambdaLR(topt, lambda t: (1 + t / 3.0) ** -0.75), topt)
    np.testing.assert_allclose(got, ref, rtol=1e-13)


def test_notes_linear_schedule_via_linear_lr():
    # notes 001: eta(tau) = (1 - tau/K) eta0 + (tau/K) eta_K for tau <= K, then eta_K
    eta0, eta_k, k = LRS[0], 0.01, 6
    opt = make_optimizer()
    got = sequence(S.LinearLR(opt, start_factor=1.0, end_factor=eta_k / eta0, total_iters=k), opt)[:, 0]
    expected = [(1 - t / k) * eta0 + (t / k) * eta_k if t <= k else eta_k for t in range(N + 1)]
    np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_notes_exponential_decay_via_exponential_lr():
    # notes 001: eta(tau) = eta0 c ** (tau / s)
    c, s = 0.96, 3.0
    opt = make_optimizer()
    got = sequence(S.ExponentialLR(opt, gamma=c ** (1 / s)), opt)[:, 0]
    np.testing.assert_allclose(got, [LRS[0] * c ** (t / s) for t in range(N + 1)], rtol=1e-13)


def test_schedule_drives_the_optimizer_updates():
    w = tensor(np.array([1.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.5)
    sched = S.StepLR(opt, step_size=1, gamma=0.5)
    expected = 1.0
    for t in range(4):
        opt.zero_grad()
        (w * 1.0).sum().backward()  # gradient 1: each step moves w by the current lr
        opt.step()
        expected -= 0.5 * 0.5 ** t
        sched.step()
    assert w.item() == pytest.approx(expected)


# ---------------------------------------------------------------------------------------------- state
@pytest.mark.parametrize("name, kw", [(c[0], c[1]) for c in CASES] + [("PowerLawLR", {"s": 2.0})])
def test_state_dict_round_trip(name, kw):
    opt = make_optimizer()
    sched = getattr(S, name)(opt, **kw)
    for _ in range(4):
        opt.step()
        sched.step()
    saved_sched, saved_opt = sched.state_dict(), opt.state_dict()
    assert "optimizer" not in saved_sched and saved_sched["last_epoch"] == 4
    continued = sequence(sched, opt, n=5)
    opt2 = make_optimizer()
    sched2 = getattr(S, name)(opt2, **kw)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    np.testing.assert_array_equal(sequence(sched2, opt2, n=5), continued)


def test_resume_with_last_epoch():
    opt = make_optimizer()
    with pytest.raises(KeyError, match="initial_lr"):
        S.StepLR(opt, step_size=2, last_epoch=3)
    for g in opt.param_groups:
        g["initial_lr"] = g["lr"]
    for g, lr in zip(opt.param_groups, (0.4, 0.08)):
        g["lr"] = lr  # the rates restored with the optimizer's state: the scheduler goes on from them
    sched = S.StepLR(opt, step_size=2, gamma=0.5, last_epoch=3)
    # the constructor's step to epoch 4 halves the rates, as PyTorch's StepLR does (its other recursive
    # schedulers leave a resumed rate as it is)
    assert sched.last_epoch == 4 and sched.get_last_lr() == [0.2, 0.04]
    rates = []
    for _ in range(3):
        opt.step()
        sched.step()
        rates.append(sched.get_last_lr())
    assert rates == [[0.2, 0.04], [0.1, 0.02], [0.1, 0.02]]  # epochs 5, 6 and 7: halved at 6


@pytest.mark.parametrize("name, kw", [("StepLR", {"step_size": 3, "gamma": 0.5}),
                                      ("ExponentialLR", {"gamma": 0.9}), ("CosineAnnealingLR", {"T_max": 4}),
                                      ("LinearLR", {"total_iters": 6})])
def test_resume_with_last_epoch_vs_torch(name, kw):
    torch = pytest.importorskip("torch")
    sequences = []
    for lib, sched_mod in ((None, S), (torch, torch.optim.lr_scheduler)):
        opt = _one_group(0.1, lib)
        sched = getattr(sched_mod, name)(opt, **kw)
        for _ in range(5):
            opt.step()
            sched.step()
        resumed = _one_group(0.1, lib)
        resumed.load_state_dict(opt.state_dict())
        sched = getattr(sched_mod, name)(resumed, **kw, last_epoch=5)
        rates = [resumed.param_groups[0]["lr"]]
        for _ in range(6):
            resumed.step()
            sched.step()
            rates.append(resumed.param_groups[0]["lr"])
        sequences.append(rates)
    np.testing.assert_allclose(sequences[0], sequences[1], rtol=1e-12)


def test_initial_lr_is_recorded():
    opt = make_optimizer()
    S.ExponentialLR(opt, gamma=0.5)
    assert [g["initial_lr"] for g in opt.param_groups] == list(LRS)


@pytest.mark.parametrize("make, message", [
    (lambda o: S.StepLR(o, step_size=0), "step_size=0"),
    (lambda o: S.StepLR(o, step_size=1.5), "positive integer"),
    (lambda o: S.CosineAnnealingLR(o, T_max=0), "T_max=0"),
    (lambda o: S.LinearLR(o, start_factor=0.0), r"start_factor=0.0; expected a value in \(0, 1\]"),
    (lambda o: S.LinearLR(o, end_factor=1.5), "end_factor=1.5"),
    (lambda o: S.LinearLR(o, total_iters=0), "total_iters=0"),
    (lambda o: S.PowerLawLR(o, s=0.0), "s=0.0; expected a positive scale"),
])
def test_invalid_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make(make_optimizer())


def test_needs_an_optimizer():
    with pytest.raises(TypeError, match="expected an Optimizer"):
        S.StepLR([tensor([1.0])], step_size=1)


def test_repr():
    assert repr(S.StepLR(make_optimizer(), step_size=2)).startswith("StepLR(step_size=2, gamma=0.1")


def _one_group(lr=1.0, lib=None):
    if lib is None:
        return optim.SGD([tensor([1.0], requires_grad=True)], lr=lr)
    return lib.optim.SGD([lib.tensor([1.0], requires_grad=True)], lr=lr)


def _chained_rates(lib=None):
    """ExponentialLR(0.5) and StepLR(2, 0.1) stepped together for four epochs."""
    sched_mod = S if lib is None else lib.optim.lr_scheduler
    opt = _one_group(lib=lib)
    scheds = [sched_mod.ExponentialLR(opt, 0.5), sched_mod.StepLR(opt, 2, 0.1)]
    rates = []
    for _ in range(4):
        opt.step()
        for sched in scheds:
            sched.step()
        rates.append(opt.param_groups[0]["lr"])
    return rates


def test_schedulers_stepped_together_compose():
    # each step scales the current rate: halved every epoch, and divided by 10 at epochs 2 and 4
    np.testing.assert_allclose(_chained_rates(), [0.5, 0.025, 0.0125, 0.000625], rtol=1e-14)


def test_a_rate_set_by_hand_is_scaled_from_there():
    opt = _one_group()
    sched = S.StepLR(opt, step_size=2, gamma=0.1)
    opt.step()
    sched.step()
    opt.param_groups[0]["lr"] = 0.05  # epoch 1: changed by hand
    opt.step()
    sched.step()
    assert sched.get_last_lr() == pytest.approx([0.005], rel=1e-14)


def test_chained_schedulers_vs_torch():
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(_chained_rates(), _chained_rates(torch), rtol=1e-14)


@pytest.mark.parametrize("name, kw", [("CosineAnnealingLR", {"T_max": 3, "eta_min": 0.01}),
                                      ("LinearLR", {"start_factor": 0.5, "total_iters": 3})])
def test_rate_changed_by_hand_vs_torch(name, kw):
    torch = pytest.importorskip("torch")
    sequences = []
    for lib, sched_mod in ((None, S), (torch, torch.optim.lr_scheduler)):
        opt = _one_group(lib=lib)
        sched = getattr(sched_mod, name)(opt, **kw)
        rates = []
        for epoch in range(10):
            if epoch == 1:  # before the step to epoch 2; the cosine's trough at 3 then resets the rate
                opt.param_groups[0]["lr"] *= 3.0
            opt.step()
            sched.step()
            rates.append(opt.param_groups[0]["lr"])
        sequences.append(rates)
    np.testing.assert_allclose(sequences[0], sequences[1], rtol=1e-12)
