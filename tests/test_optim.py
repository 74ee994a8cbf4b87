"""Optimizers: step-by-step against the update formulas written out in numpy (always run) and against torch
(float64, skipped without torch); parameter groups, state_dict round trips, in-place updates, validation."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from autograd import Tensor, tensor
from nn import optim
from nn.module import Parameter

STEPS = 5
H = np.array([[3.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 2.0]])
G = np.array([0.5, -1.0, 0.25])
X0 = np.array([1.0, -2.0, 0.5])
M0 = np.array([[0.3, -0.2], [1.5, 0.7]])


def loss_fn(x: Tensor, m: Tensor) -> Tensor:
    """0.5 x^T H x + g . x  +  sum(m^2 * c) + a coupling term (a small quadratic/linear problem)."""
    quad = (x * (Tensor(H) @ x)).sum() * 0.5 + (x * Tensor(G)).sum()
    return quad + (m * m * Tensor(np.array([1.0, 2.0]))).sum() + (m.sum(axis=0) * x[:2]).sum()


def torch_loss(torch, x, m):
    h, g, c = torch.tensor(H), torch.tensor(G), torch.tensor([1.0, 2.0])
    return 0.5 * (x * (h @ x)).sum() + (x * g).sum() + (m * m * c).sum() + (m.sum(0) * x[:2]).sum()


def grads_np(x: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The gradient of loss_fn, by hand."""
    gx = H @ x + G
    gx[:2] += m.sum(axis=0)
    gm = 2 * m * np.array([1.0, 2.0]) + x[:2][None, :]
    return gx, gm


# ---------------------------------------------------------------------------------------------- references
def reference_trajectory(name: str, kw: dict, steps: int = STEPS) -> list[list[np.ndarray]]:
    """The optimizer's update formulas written out in numpy, independently of nn.optim."""
    params = [X0.copy(), M0.copy()]
    state: list[dict] = [{} for _ in params]
    out = []
    for t in range(1, steps + 1):
        gs = grads_np(*params)
        for i, (p, g) in enumerate(zip(params, gs)):
            params[i] = _reference_update(name, kw, p, g.copy(), state[i], t)
        out.append([p.copy() for p in params])
    return out


def _reference_update(name, kw, p, g, s, t):
    lr = kw.get("lr")
    wd = kw.get("weight_decay", 1e-2 if name == "AdamW" else 0.0)
    if kw.get("maximize"):
        g = -g
    if name == "SGD":
        mu, damp = kw.get("momentum", 0.0), kw.get("dampening", 0.0)
        g = g + wd * p
        if mu:
            s["b"] = g.copy() if t == 1 else mu * s["b"] + (1 - damp) * g
            g = g + mu * s["b"] if kw.get("nesterov") else s["b"]
        return p - lr * g
    if name in ("Adam", "AdamW"):
        b1, b2 = kw.get("betas", (0.9, 0.999))
        eps = kw.get("eps", 1e-8)
        if name == "AdamW":
            p = p * (1 - lr * wd)
        else:
            g = g + wd * p
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        v = s["v"]
        if kw.get("amsgrad"):
            s["vmax"] = np.maximum(s.get("vmax", 0.0), v)
            v = s["vmax"]
        m_hat = s["m"] / (1 - b1 ** t)
        v_hat = v / (1 - b2 ** t)
        return p - lr * m_hat / (np.sqrt(v_hat) + eps)
    if name == "RMSprop":
        alpha, eps, mu = kw.get("alpha", 0.99), kw.get("eps", 1e-8), kw.get("momentum", 0.0)
        g = g + wd * p
        s["v"] = alpha * s.get("v", 0.0) + (1 - alpha) * g * g
        if kw.get("centered"):
            s["a"] = alpha * s.get("a", 0.0) + (1 - alpha) * g
            denom = np.sqrt(s["v"] - s["a"] ** 2) + eps
        else:
            denom = np.sqrt(s["v"]) + eps
        if mu > 0:
            s["b"] = mu * s.get("b", 0.0) + g / denom
            return p - lr * s["b"]
        return p - lr * g / denom
    if name == "Adagrad":
        g = g + wd * p
        s["sum"] = s.get("sum", kw.get("initial_accumulator_value", 0.0)) + g * g
        clr = lr / (1 + (t - 1) * kw.get("lr_decay", 0.0))
        return p - clr * g / (np.sqrt(s["sum"]) + kw.get("eps", 1e-10))
    raise AssertionError(name)


def our_trajectory(name: str, kw: dict, steps: int = STEPS, dtype=np.float64) -> list[list[np.ndarray]]:
    x = Tensor(X0.astype(dtype), requires_grad=True)
    m = Tensor(M0.astype(dtype), requires_grad=True)
    opt = getattr(optim, name)([x, m], **kw)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(x, m).backward()
        opt.step()
        out.append([x.data.copy(), m.data.copy()])
    return out


def torch_trajectory(name: str, kw: dict, steps: int = STEPS) -> list[list[np.ndarray]]:
    torch = pytest.importorskip("torch")
    x = torch.tensor(X0, requires_grad=True)
    m = torch.tensor(M0, requires_grad=True)
    opt = getattr(torch.optim, name)([x, m], **kw)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        torch_loss(torch, x, m).backward()
        opt.step()
        out.append([x.detach().numpy().copy(), m.detach().numpy().copy()])
    return out


CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.1, "nesterov": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.2, "maximize": True}),
    ("Adam", {"lr": 0.1}),
    ("Adam", {"lr": 0.1, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.1, "amsgrad": True}),
    ("Adam", {"lr": 0.1, "amsgrad": True, "weight_decay": 0.1, "betas": (0.5, 0.9)}),
    ("Adam", {"lr": 0.1, "betas": (0.0, 0.5), "eps": 1e-3}),
    ("Adam", {"lr": 0.1, "maximize": True}),
    ("AdamW", {"lr": 0.1}),
    ("AdamW", {"lr": 0.1, "weight_decay": 0.3, "amsgrad": True}),
    ("AdamW", {"lr": 0.1, "maximize": True, "betas": (0.8, 0.99)}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.9, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.05, "alpha": 0.5, "eps": 1e-3, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.1}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1, "initial_accumulator_value": 0.5}),
    ("Adagrad", {"lr": 0.1, "eps": 1e-3, "maximize": True}),
]


def _ids(case):
    name, kw = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in kw.items())


def assert_same_trajectory(got, expected, rtol=1e-12, atol=1e-13):
    for step, (ps, qs) in enumerate(zip(got, expected), 1):
        for i, (p, q) in enumerate(zip(ps, qs)):
            np.testing.assert_allclose(p, q, rtol=rtol, atol=atol, err_msg=f"step {step}, parameter {i}")


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_matches_formulas(case):
    name, kw = case
    assert_same_trajectory(our_trajectory(name, kw), reference_trajectory(name, kw))


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_matches_torch(case):
    name, kw = case
    assert_same_trajectory(our_trajectory(name, kw), torch_trajectory(name, kw))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_float32_parameters_stay_float32(name):
    kw = {"lr": 0.01, "momentum": 0.9} if name in ("SGD", "RMSprop") else {"lr": 0.01}
    got = our_trajectory(name, kw, dtype=np.float32)
    assert all(p.dtype == np.float32 for ps in got for p in ps)
    assert_same_trajectory(got, reference_trajectory(name, kw), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_a_single_number_parameter(case):
    # a 0-d parameter (a learnable temperature, say): numpy gives scalars, not arrays, for its square
    # roots, and the update rules write into those with out=
    name, kw = case
    w = Tensor(np.array(1.5), requires_grad=True)
    opt = getattr(optim, name)([w], **kw)
    p, state = np.array(1.5), {}
    for t in range(1, 4):
        opt.zero_grad()
        (w * w * w).backward()  # d w^3 / dw = 3 w^2
        opt.step()
        p = _reference_update(name, kw, p, 3 * p * p, state, t)
        assert w.data.shape == ()
        np.testing.assert_allclose(w.data, p, rtol=1e-12, err_msg=f"step {t}")


def test_adam_with_decoupled_weight_decay_is_adamw():
    kw = {"lr": 0.1, "weight_decay": 0.3}
    assert_same_trajectory(our_trajectory("Adam", {**kw, "decoupled_weight_decay": True}),
                           reference_trajectory("AdamW", kw))
    pytest.importorskip("torch")
    got = our_trajectory("Adam", {**kw, "decoupled_weight_decay": True})
    assert_same_trajectory(got, torch_trajectory("Adam", {**kw, "decoupled_weight_decay": True}))


def test_a_group_saved_without_the_decoupling_flag_keeps_its_class_rule():
    x = tensor([1.0, 2.0], requires_grad=True)
    opt = optim.AdamW([x], lr=0.1, weight_decay=0.5)
    state = opt.state_dict()
    del state["param_groups"][0]["decoupled_weight_decay"]  # as saved before the option existed
    fresh = optim.AdamW([x], lr=0.1, weight_decay=0.5)
    fresh.load_state_dict(state)
    (x * x).sum().backward()
    fresh.step()
    # AdamW's first step: x (1 - lr wd) - lr sign(g) = x * 0.95 - 0.1
    np.testing.assert_allclose(x.data, [0.95 - 0.1, 1.9 - 0.1], rtol=1e-6)


# ---------------------------------------------------------------------------------------------- defaults
def test_defaults_match_torch():
    # torch 2.13's defaults, ints where its signatures have ints, with its implementation choices
    w = [tensor([1.0], requires_grad=True)]
    assert optim.SGD(w).defaults == dict(lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                                         maximize=False, foreach=None, differentiable=False, fused=None)
    assert optim.Adam(w).defaults == dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                                          amsgrad=False, maximize=False, foreach=None, capturable=False,
                                          differentiable=False, fused=None, decoupled_weight_decay=False)
    assert optim.AdamW(w).defaults["weight_decay"] == 1e-2
    assert optim.RMSprop(w).defaults == dict(lr=1e-2, momentum=0, alpha=0.99, eps=1e-8, centered=False,
                                             weight_decay=0, capturable=False, foreach=None, maximize=False,
                                             differentiable=False)
    assert optim.Adagrad(w).defaults == dict(lr=1e-2, lr_decay=0, eps=1e-10, weight_decay=0,
                                             initial_accumulator_value=0, foreach=None, maximize=False,
                                             differentiable=False, fused=None)


def test_sgd_momentum_is_the_notes_update():
    # notes 001: Delta w(t) = -eta grad E(w) + mu Delta w(t - 1), w(t) = w(t - 1) + Delta w(t)
    eta, mu = 0.1, 0.9
    w = tensor(np.array([2.0, -1.0]), requires_grad=True)
    opt = optim.SGD([w], lr=eta, momentum=mu)
    ref, delta = w.data.copy(), np.zeros(2)
    for _ in range(6):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
        delta = -eta * 2 * ref + mu * delta
        ref = ref + delta
        np.testing.assert_allclose(w.data, ref, rtol=1e-13)


# ---------------------------------------------------------------------------------------------- groups
def _group_run(lib, torch=None):
    if lib == "ours":
        x = Tensor(X0.copy(), requires_grad=True)
        m = Tensor(M0.copy(), requires_grad=True)
        opt = optim.SGD([{"params": [x]}, {"params": [m], "lr": 0.01, "momentum": 0.5}], lr=0.1, momentum=0.9)
    else:
        x = torch.tensor(X0, requires_grad=True)
        m = torch.tensor(M0, requires_grad=True)
        opt = torch.optim.SGD([{"params": [x]}, {"params": [m], "lr": 0.01, "momentum": 0.5}], lr=0.1,
                              momentum=0.9)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        if lib == "ours":
            loss_fn(x, m).backward()
        else:
            torch_loss(torch, x, m).backward()
        opt.step()
        out.append([np.array(x.data if lib == "ours" else x.detach().numpy()),
                    np.array(m.data if lib == "ours" else m.detach().numpy())])
    return out, opt


def test_param_groups_have_their_own_hyperparameters():
    got, opt = _group_run("ours")
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert [g["momentum"] for g in opt.param_groups] == [0.9, 0.5]
    # by hand: x with lr 0.1 / momentum 0.9, m with lr 0.01 / momentum 0.5
    x, m = X0.copy(), M0.copy()
    bx = bm = None
    for step in range(STEPS):
        gx, gm = grads_np(x, m)
        bx = gx if bx is None else 0.9 * bx + gx
        bm = gm if bm is None else 0.5 * bm + gm
        x, m = x - 0.1 * bx, m - 0.01 * bm
        np.testing.assert_allclose(got[step][0], x, rtol=1e-12)
        np.testing.assert_allclose(got[step][1], m, rtol=1e-12)


def test_param_groups_vs_torch():
    torch = pytest.importorskip("torch")
    assert_same_trajectory(_group_run("ours")[0], _group_run("torch", torch)[0])


def test_add_param_group_and_errors():
    a = tensor([1.0], requires_grad=True)
    b = tensor([2.0], requires_grad=True)
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": b, "betas": (0.5, 0.6)})
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[1]["betas"] == (0.5, 0.6)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="'params'"):
        opt.add_param_group({"lr": 0.1})


def test_accepts_parameters_and_generators():
    ps = [Parameter(np.ones(2)), Parameter(np.zeros(3))]
    opt = optim.SGD((p for p in ps), lr=0.1)
    assert len(opt.param_groups[0]["params"]) == 2
    assert all(a is b for a, b in zip(opt.param_groups[0]["params"], ps))


# ---------------------------------------------------------------------------------------------- state
@pytest.mark.parametrize("case", [c for c in CASES if c[0] != "SGD" or "momentum" in c[1]], ids=_ids)
def test_state_dict_round_trip_resumes_identically(case):
    name, kw = case
    x = Tensor(X0.copy(), requires_grad=True)
    m = Tensor(M0.copy(), requires_grad=True)
    opt = getattr(optim, name)([x, m], **kw)

    def run(opt, x, m, n):
        for _ in range(n):
            opt.zero_grad()
            loss_fn(x, m).backward()
            opt.step()
        return [x.data.copy(), m.data.copy()]

    run(opt, x, m, 3)
    saved = opt.state_dict()
    saved_params = [x.data.copy(), m.data.copy()]
    saved_copy = copy.deepcopy(saved)
    continued = run(opt, x, m, 3)
    # the saved dict is a snapshot, unaffected by further steps
    for idx, s in saved["state"].items():
        for k, v in s.items():
            np.testing.assert_array_equal(v, saved_copy["state"][idx][k])
    x2 = Tensor(saved_params[0], requires_grad=True)
    m2 = Tensor(saved_params[1], requires_grad=True)
    opt2 = getattr(optim, name)([x2, m2], lr=123.0)  # the saved lr wins
    opt2.load_state_dict(saved)
    assert opt2.param_groups[0]["lr"] == kw["lr"]
    resumed = run(opt2, x2, m2, 3)
    for a, b in zip(continued, resumed):
        np.testing.assert_array_equal(a, b)


def test_state_dict_format_like_torch():
    x = tensor(np.ones(2), requires_grad=True)
    opt = optim.SGD([{"params": [x], "lr": 0.5}], lr=0.1, momentum=0.9)
    (x * x).sum().backward()
    opt.step()
    sd = opt.state_dict()
    assert set(sd) == {"state", "param_groups"}
    assert sd["param_groups"] == [dict(lr=0.5, momentum=0.9, dampening=0, weight_decay=0, nesterov=False,
                                       maximize=False, foreach=None, differentiable=False, fused=None,
                                       params=[0])]
    np.testing.assert_array_equal(sd["state"][0]["momentum_buffer"], [2.0, 2.0])


def test_load_state_dict_errors():
    a, b = tensor([1.0], requires_grad=True), tensor([2.0], requires_grad=True)
    sd = optim.SGD([a, b], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="group 0 has 2 parameters in the saved state and 1 here"):
        optim.SGD([a], lr=0.1).load_state_dict(sd)
    with pytest.raises(ValueError, match="1 parameter groups; this optimizer has 2"):
        optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).load_state_dict(sd)


# ---------------------------------------------------------------------------------------------- in place
@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_updates_in_place_without_new_tensors(case, monkeypatch):
    name, kw = case
    x = Tensor(X0.copy(), requires_grad=True)
    m = Tensor(M0.copy(), requires_grad=True)
    arrays = [x.data, m.data]
    opt = getattr(optim, name)([x, m], **kw)
    loss_fn(x, m).backward()
    grads = [x.grad, m.grad]
    grad_values = [x.grad.data.copy(), m.grad.data.copy()]
    created = []
    original_init = Tensor.__init__

    def counting_init(self, *args, **kwargs):
        created.append(1)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(Tensor, "__init__", counting_init)
    opt.step()
    opt.step()
    monkeypatch.undo()
    assert not created, "step() created Tensor objects"
    assert x.data is arrays[0] and m.data is arrays[1]
    assert not np.array_equal(x.data, X0)
    assert x.grad is grads[0] and m.grad is grads[1]
    np.testing.assert_array_equal(x.grad.data, grad_values[0])  # gradients are never modified
    for s in opt.state.values():
        for v in s.values():
            assert isinstance(v, (np.ndarray, int))


def test_params_without_grad_are_skipped():
    a = tensor(np.array([1.0, 2.0]), requires_grad=True)
    b = tensor(np.array([3.0]), requires_grad=True)
    for cls in (optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop, optim.Adagrad):
        opt = cls([a, b], lr=0.1) if cls is not optim.SGD else cls([a, b], lr=0.1, momentum=0.9)
        a.grad = None
        b.grad = None
        (a * a).sum().backward()
        before = b.data.copy()
        opt.step()
        np.testing.assert_array_equal(b.data, before)
        assert b not in opt.state or opt.state[b].get("step", 0) == 0


def test_zero_grad():
    a = tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = optim.SGD([a], lr=0.1)
    (a * a).sum().backward()
    g = a.grad
    opt.zero_grad(set_to_none=False)
    assert a.grad is not g and a.grad.tolist() == [0.0, 0.0]
    assert g.tolist() == [2.0, 4.0]  # the old gradient tensor is untouched
    opt.zero_grad()
    assert a.grad is None


def test_broadcast_view_gradient_is_read_only_safe():
    # the gradient of a sum is a read-only broadcast view; the optimizers only read it
    a = tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    for cls in (optim.SGD, optim.Adam, optim.RMSprop, optim.Adagrad):
        a.grad = None
        a.sum().backward()
        cls([a], lr=0.1).step()


# ---------------------------------------------------------------------------------------------- validation
@pytest.mark.parametrize("cls, kw, message", [
    (optim.SGD, {"lr": -0.1}, "invalid learning rate lr=-0.1"),
    (optim.SGD, {"lr": 0.1, "momentum": -0.5}, "invalid momentum"),
    (optim.SGD, {"lr": 0.1, "weight_decay": -1.0}, "invalid weight_decay"),
    (optim.SGD, {"lr": 0.1, "nesterov": True}, "Nesterov momentum requires momentum > 0 and dampening = 0"),
    (optim.SGD, {"lr": 0.1, "nesterov": True, "momentum": 0.9, "dampening": 0.1}, "dampening = 0"),
    (optim.Adam, {"betas": (1.0, 0.999)}, "invalid beta parameter at index 0: 1.0"),
    (optim.Adam, {"betas": (0.9, -0.1)}, "index 1"),
    (optim.Adam, {"betas": 0.9}, "expected a pair"),
    (optim.AdamW, {"eps": -1e-8}, "invalid eps"),
    (optim.RMSprop, {"alpha": -0.1}, "invalid alpha"),
    (optim.RMSprop, {"momentum": -0.1}, "invalid momentum"),
    (optim.Adagrad, {"lr_decay": -0.1}, "invalid lr_decay"),
    (optim.Adagrad, {"initial_accumulator_value": -1.0}, "initial_accumulator_value"),
    (optim.Adam, {"lr": math.nan}, "invalid learning rate"),
])
def test_invalid_hyperparameters(cls, kw, message):
    with pytest.raises(ValueError, match=message):
        cls([tensor([1.0], requires_grad=True)], **kw)


def test_invalid_params():
    w = tensor([1.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"single Tensor \(wrap it in a list"):
        optim.SGD(w, lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.Adam([])
    with pytest.raises(ValueError, match="not a leaf tensor"):
        optim.SGD([w * 2], lr=0.1)
    with pytest.raises(TypeError, match="expected a Tensor"):
        optim.SGD([np.ones(2)], lr=0.1)
    with pytest.raises(ValueError, match="appears twice"):
        optim.SGD([w, w], lr=0.1)
    with pytest.raises(TypeError, match="ordered collection"):
        optim.SGD({w}, lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)


def test_repr_lists_groups():
    text = repr(optim.SGD([tensor([1.0], requires_grad=True)], lr=0.1))
    assert text.startswith("SGD (") and "lr: 0.1" in text
