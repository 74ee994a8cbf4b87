"""Details of ``nn.Module``, the losses and the optimizers that a PyTorch user sees, each compared with
torch 2.13 itself: ``named_modules``'s arguments, which attribute assignments and registrations are
refused, ``dir()`` of a module and of every container, the reprs of the losses, and the optimizers'
signatures, ``defaults``, parameter groups, state dicts and reprs."""

from __future__ import annotations

import inspect
from collections import OrderedDict
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np
import pytest

import autograd
import nn
from nn import losses, optim


def _outcome(call: Callable[[], Any]) -> type | None:
    """The class of the exception ``call`` raises, or None."""
    try:
        call()
    except Exception as exc:  # noqa: BLE001 -- the class is what is compared
        return type(exc)
    return None


def _ours() -> SimpleNamespace:
    return SimpleNamespace(nn=nn, optim=optim, param=lambda: nn.Parameter(np.ones(2)),
                           tensor=lambda: autograd.ones(2))


def _theirs(torch) -> SimpleNamespace:
    return SimpleNamespace(nn=torch.nn, optim=torch.optim, param=lambda: torch.nn.Parameter(torch.ones(2)),
                           tensor=lambda: torch.ones(2))


def _tables(module) -> tuple[list, list, list, bool]:
    """What a module holds: its parameter, buffer and submodule names, and its own ``forward``."""
    return (list(module._parameters), list(module._buffers), list(module._modules),
            "forward" in module.__dict__)


# ============================================================================================ named_modules
def test_named_modules_takes_torch_s_arguments_in_torch_s_order(torch):
    ours = inspect.signature(nn.Module.named_modules).parameters
    theirs = inspect.signature(torch.nn.Module.named_modules).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == [
        (p.name, p.kind, p.default) for p in theirs.values()]


def _shared_net(L):
    relu = L.nn.ReLU()
    inner = L.nn.Sequential(L.nn.Linear(2, 2), relu)
    return L.nn.Sequential(inner, relu, L.nn.Sequential(inner)), inner


@pytest.mark.parametrize("remove_duplicate", [True, False])
def test_named_modules_positional_memo_and_prefix_as_torch(torch, remove_duplicate):
    for memo_of in (lambda inner: set(), lambda inner: {inner}):
        got, want = [], []
        for L, out in ((_ours(), got), (_theirs(torch), want)):
            net, inner = _shared_net(L)
            memo = memo_of(inner)
            out.append([n for n, _ in net.named_modules(memo, "net", remove_duplicate)])
            out.append(len(memo))
        assert got == want


def test_modules_and_named_parameters_still_list_each_module_once():
    net, inner = _shared_net(_ours())
    assert [n for n, _ in net.named_modules()] == ["", "0", "0.0", "0.1", "2"]
    assert [n for n, _ in net.named_parameters(prefix="m")] == ["m.0.0.weight", "m.0.0.bias"]


# ============================================================================================ assignments
# Each case builds a Linear(2, 2) and does one thing to it; ours and torch's must both succeed (holding the
# same members afterwards) or both raise an exception of the same class.
def _with_plain(m, L):
    m.foo = 3


def _with_buffer(m, L):
    m.register_buffer("buf", L.tensor())


def _with_child(m, L):
    m.child = L.nn.ReLU()


ASSIGNMENTS = {
    "Parameter over forward": (None, lambda m, L: setattr(m, "forward", L.param())),
    "Parameter over train (method)": (None, lambda m, L: setattr(m, "train", L.param())),
    "Parameter over training (instance flag)": (None, lambda m, L: setattr(m, "training", L.param())),
    "Parameter over a plain attribute": (_with_plain, lambda m, L: setattr(m, "foo", L.param())),
    "Parameter over a buffer": (_with_buffer, lambda m, L: setattr(m, "buf", L.param())),
    "Parameter over a submodule": (_with_child, lambda m, L: setattr(m, "child", L.param())),
    "Parameter over a parameter": (None, lambda m, L: setattr(m, "weight", L.param())),
    "Module over forward": (None, lambda m, L: setattr(m, "forward", L.nn.ReLU())),
    "Module over a parameter": (None, lambda m, L: setattr(m, "weight", L.nn.ReLU())),
    "Module over a buffer": (_with_buffer, lambda m, L: setattr(m, "buf", L.nn.ReLU())),
    "Module over a plain attribute": (_with_plain, lambda m, L: setattr(m, "foo", L.nn.ReLU())),
    "Tensor over a parameter": (None, lambda m, L: setattr(m, "weight", L.tensor())),
    "int over a buffer": (_with_buffer, lambda m, L: setattr(m, "buf", 3)),
    "int over a submodule": (_with_child, lambda m, L: setattr(m, "child", 3)),
    "register_parameter train": (None, lambda m, L: m.register_parameter("train", L.param())),
    "register_parameter over a plain attribute": (_with_plain,
                                                  lambda m, L: m.register_parameter("foo", L.param())),
    "register_parameter over a buffer": (_with_buffer, lambda m, L: m.register_parameter("buf", L.param())),
    "register_buffer eval": (None, lambda m, L: m.register_buffer("eval", L.tensor())),
    "register_buffer over a parameter": (None, lambda m, L: m.register_buffer("weight", L.tensor())),
    "register_buffer over a submodule": (_with_child, lambda m, L: m.register_buffer("child", L.tensor())),
    "add_module cuda": (None, lambda m, L: m.add_module("cuda", L.nn.ReLU())),
    "register_module cuda": (None, lambda m, L: m.register_module("cuda", L.nn.ReLU())),
    "add_module over a parameter": (None, lambda m, L: m.add_module("bias", L.nn.ReLU())),
    "add_module over a submodule": (_with_child, lambda m, L: m.add_module("child", L.nn.Tanh())),
}


@pytest.mark.parametrize("case", ASSIGNMENTS)
def test_assignments_and_registrations_as_torch(torch, case):
    setup, act = ASSIGNMENTS[case]
    results = []
    for L in (_ours(), _theirs(torch)):
        m = L.nn.Linear(2, 2)
        if setup is not None:
            setup(m, L)
        results.append((_outcome(lambda m=m, L=L: act(m, L)), _tables(m)))
    assert results[0] == results[1]


class _WithClassMembers:
    """Mixed into a Module class of either library: a class attribute and a property."""

    scale = 2.0

    @property
    def size(self) -> int:
        return 1


@pytest.mark.parametrize("name", ["scale", "size"])
def test_a_parameter_never_shadows_a_class_attribute_or_property(torch, name):
    ours = type("Ours", (nn.Module, _WithClassMembers), {})()
    theirs = type("Theirs", (torch.nn.Module, _WithClassMembers), {})()
    assert _outcome(lambda: setattr(theirs, name, torch.nn.Parameter(torch.ones(1)))) is KeyError
    what = "an attribute" if name == "scale" else "a property"
    with pytest.raises(KeyError, match=rf"Ours: cannot assign a Parameter to '{name}': attribute '{name}' "
                                       rf"already exists \(it is {what} of Ours\); expected a new name"):
        setattr(ours, name, nn.Parameter([1.0]))
    assert list(ours.named_parameters()) == []
    assert getattr(ours, name) == {"scale": 2.0, "size": 1}[name]


def test_a_refused_parameter_leaves_the_module_as_it_was():
    m = nn.Linear(2, 2)
    with pytest.raises(KeyError, match=r"Linear: cannot assign a Parameter to 'forward': attribute 'forward' "
                                       r"already exists \(it is a method of Linear\)"):
        m.forward = nn.Parameter([1.0])
    assert "forward" not in m.__dict__ and [n for n, _ in m.named_parameters()] == ["weight", "bias"]
    assert m(autograd.ones(1, 2)).shape == (1, 2)  # forward is still the method


def test_cuda_is_a_method_that_says_there_is_no_gpu():
    with pytest.raises(RuntimeError, match=r"Linear.cuda: got device 'cuda:1'; chaingrad computes on the"):
        nn.Linear(2, 2).cuda(1)


# ============================================================================================ dir()
def _containers(L, param):
    return {
        "Linear": L.nn.Linear(1, 1),
        "Sequential": L.nn.Sequential(L.nn.ReLU(), L.nn.Tanh()),
        "Sequential of names": L.nn.Sequential(OrderedDict([("act", L.nn.ReLU()), ("2nd", L.nn.Tanh())])),
        "ModuleList": L.nn.ModuleList([L.nn.ReLU(), L.nn.Tanh()]),
        "ModuleDict": L.nn.ModuleDict({"act": L.nn.ReLU(), "1st": L.nn.Tanh()}),
        "ParameterList": L.nn.ParameterList([param(), "not a tensor"]),
        "ParameterDict": L.nn.ParameterDict({"p": param(), "3q": param(), "s": "not a tensor"}),
        "BatchNorm1d": L.nn.BatchNorm1d(2),
    }


@pytest.mark.parametrize("kind", list(_containers(_ours(), _ours().param)))
def test_dir_lists_members_but_no_name_starting_with_a_digit(torch, kind):
    ours = _containers(_ours(), _ours().param)[kind]
    theirs = _containers(_theirs(torch), _theirs(torch).param)[kind]
    members = {"0", "1", "2nd", "1st", "3q", "act", "p", "s", "weight", "bias", "running_mean",
               "running_var", "num_batches_tracked"}
    got, want = dir(ours), dir(theirs)
    assert [n for n in got if n in members] == [n for n in want if n in members]
    assert not [n for n in got if n[0].isdigit()]
    assert got == sorted(got)


def test_dir_of_a_subclass_shows_its_members():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(1, 1)
            self.scale = nn.Parameter([1.0])
            self.register_buffer("count", np.zeros(1))

    names = dir(Net())
    assert {"fc", "scale", "count", "forward", "training"} <= set(names)


# ============================================================================================ loss reprs
LOSS_OPTIONS = {
    "MSELoss": dict(reduction="sum"),
    "L1Loss": dict(reduction="none"),
    "SmoothL1Loss": dict(reduction="sum", beta=0.5),
    "HuberLoss": dict(reduction="none", delta=2.0),
    "CrossEntropyLoss": dict(weight=[1.0, 2.0], ignore_index=1, reduction="sum", label_smoothing=0.1),
    "NLLLoss": dict(weight=[1.0, 2.0], ignore_index=0, reduction="none"),
    "BCELoss": dict(weight=[1.0, 2.0], reduction="sum"),
    "BCEWithLogitsLoss": dict(weight=[1.0, 2.0], reduction="sum", pos_weight=[3.0, 1.0]),
    "KLDivLoss": dict(reduction="batchmean", log_target=True),
    "HingeLoss": dict(reduction="sum", margin=2.0),
}


def test_every_loss_class_is_covered():
    classes = {name for name, c in vars(losses).items()
               if isinstance(c, type) and issubclass(c, losses._Loss) and not name.startswith("_")}
    assert classes == set(LOSS_OPTIONS)


@pytest.mark.parametrize("name", LOSS_OPTIONS)
def test_loss_reprs_show_no_options_as_torch(torch, name):
    ours = getattr(nn, name)
    theirs = getattr(torch.nn, name, None)
    options = LOSS_OPTIONS[name]
    their_options = {k: torch.tensor(v) if isinstance(v, list) else v for k, v in options.items()}
    want = [repr(theirs()), repr(theirs(**their_options))] if theirs is not None else [f"{name}()"] * 2
    assert [repr(ours()), repr(ours(**options))] == want == [f"{name}()"] * 2
    # the options are still there to read
    assert ours(**options).reduction == options["reduction"]


def test_a_loss_inside_a_sequential_prints_as_torch(torch):
    ours = nn.Sequential(nn.Linear(1, 1), nn.MSELoss(reduction="sum"))
    theirs = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.MSELoss(reduction="sum"))
    assert repr(ours) == repr(theirs)


# ============================================================================================ optimizers
OPTIMIZER_CASES = {
    "SGD": [dict(lr=0.1), dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4),
            dict(lr=1, maximize=True, foreach=False, fused=True)],
    "Adam": [{}, dict(lr=1e-2, betas=[0.8, 0.9], weight_decay=1, amsgrad=True),
             dict(decoupled_weight_decay=True, foreach=True)],
    "AdamW": [{}, dict(weight_decay=0, betas=(0.5, 0.6), maximize=True, fused=True)],
    "RMSprop": [{}, dict(momentum=0.5, centered=True, alpha=0.9, foreach=True)],
    "Adagrad": [{}, dict(lr_decay=0.1, initial_accumulator_value=1, eps=1e-6, fused=False)],
}


def test_every_optimizer_is_covered():
    classes = {name for name in optim.__all__
               if isinstance(getattr(optim, name), type) and getattr(optim, name) is not optim.Optimizer}
    assert classes == set(OPTIMIZER_CASES)


def _typed(group: dict) -> dict:
    """A group without its parameters, each value with its type: 0 and 0.0 differ here."""
    return {k: (type(v).__name__, v) for k, v in group.items() if k != "params"}


def _optimizer(L, name: str, kwargs: dict, groups: bool):
    params = [L.param(), L.param()]
    if groups:
        return getattr(L.optim, name)([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.5}], **kwargs)
    return getattr(L.optim, name)(params, **kwargs)


@pytest.mark.parametrize("name", OPTIMIZER_CASES)
def test_optimizer_signatures_match_torch(torch, name):
    def described(cls):
        return [(p.name, p.kind, p.default) for p in inspect.signature(cls.__init__).parameters.values()]

    assert described(getattr(optim, name)) == described(getattr(torch.optim, name))


@pytest.mark.parametrize("name, kwargs", [(n, kw) for n, cases in OPTIMIZER_CASES.items() for kw in cases])
@pytest.mark.parametrize("groups", [False, True])
def test_optimizer_defaults_groups_and_repr_match_torch(torch, name, kwargs, groups):
    ours = _optimizer(_ours(), name, kwargs, groups)
    theirs = _optimizer(_theirs(torch), name, kwargs, groups)
    assert list(ours.defaults) == list(theirs.defaults)
    assert _typed(ours.defaults) == _typed(theirs.defaults)
    assert [list(g) for g in ours.param_groups] == [list(g) for g in theirs.param_groups]
    assert [_typed(g) for g in ours.param_groups] == [_typed(g) for g in theirs.param_groups]
    assert repr(ours) == repr(theirs)
    ours_groups, their_groups = ours.state_dict()["param_groups"], theirs.state_dict()["param_groups"]
    assert [_typed(g) for g in ours_groups] == [_typed(g) for g in their_groups]
    assert [g["params"] for g in ours_groups] == [g["params"] for g in their_groups]


@pytest.mark.parametrize("name", ["SGD", "Adam", "Adagrad"])
def test_fused_with_foreach_is_refused_as_torch(torch, name):
    assert _outcome(lambda: _optimizer(_theirs(torch), name, dict(fused=True, foreach=True), False)) \
        is RuntimeError
    with pytest.raises(RuntimeError, match=rf"{name}: got fused=True and foreach=True"):
        _optimizer(_ours(), name, dict(fused=True, foreach=True), False)


@pytest.mark.parametrize("name", OPTIMIZER_CASES)
def test_flags_that_need_a_gpu_or_a_graph_are_refused_when_made(name):
    signature = inspect.signature(getattr(optim, name).__init__).parameters
    if "capturable" in signature:
        with pytest.raises(RuntimeError, match=rf"{name}: got capturable=True, which is for CUDA graphs"):
            _optimizer(_ours(), name, dict(capturable=True), False)
    with pytest.raises(NotImplementedError, match=rf"{name}: got differentiable=True"):
        _optimizer(_ours(), name, dict(differentiable=True), False)
    with pytest.raises(TypeError, match=rf"{name}: got foreach='yes'; expected True, False or None"):
        _optimizer(_ours(), name, dict(foreach="yes"), False)


@pytest.mark.parametrize("name", OPTIMIZER_CASES)
def test_foreach_and_fused_change_no_step(name):
    kwargs = dict(foreach=True) if name == "RMSprop" else dict(fused=True)
    finals = []
    for options in ({}, kwargs):
        w = autograd.tensor([1.0, -2.0], dtype="float64", requires_grad=True)
        opt = getattr(optim, name)([w], lr=0.1, **options)
        for _ in range(3):
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
        finals.append(w.tolist())
    assert finals[0] == finals[1] and finals[0] != [1.0, -2.0]


def test_a_torch_state_dict_keeps_its_implementation_choices(torch):
    w = torch.nn.Parameter(torch.ones(2))
    saved = torch.optim.SGD([w], lr=0.3, foreach=False).state_dict()
    ours = optim.SGD([nn.Parameter(np.ones(2))], lr=0.1)
    ours.load_state_dict(saved)
    assert _typed(ours.param_groups[0]) == _typed(saved["param_groups"][0])
