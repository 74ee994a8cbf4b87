"""Names and keys that PyTorch refuses or drops, and how chaingrad matches it.

* ``Module.register_parameter`` / ``add_module`` / ``register_module`` / ``register_buffer`` refuse a name
  taken by another kind of member or by any other attribute (``KeyError``), an empty or dotted name
  (``KeyError``) and a name that is not a str (``TypeError``); a member of the same kind is replaced in
  place, keeping its position in ``state_dict()`` order.
* ``Optimizer.load_state_dict`` of a torch optimizer's state dict drops the implementation-only group
  entries (``foreach``, ``fused``, ``capturable``, ``differentiable``, ``param_names``) that the optimizer
  does not take.
* ``chaingrad train`` on a diverging run prints its one-line error without numpy's RuntimeWarnings.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import warnings
from collections import OrderedDict

import numpy as np
import pytest

from autograd import Tensor
from nn import optim
from nn.cli import main
from nn.data import DataLoader, TensorDataset, xor
from nn.layers import BatchNorm1d, LayerNorm, Linear, ReLU
from nn.losses import CrossEntropyLoss
from nn.module import Module, Parameter, Sequential
from nn.train import fit

ROOT = pathlib.Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------------------------------ modules
class Ours(Module):
    """One member of each kind, a plain attribute and a method."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = Linear(1, 1)
        self.w = Parameter(np.ones(1))
        self.register_buffer("b", np.zeros(1))
        self.plain = 3

    def meth(self) -> None:
        pass


def _torch_twin(torch):
    class Theirs(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lin = torch.nn.Linear(1, 1)
            self.w = torch.nn.Parameter(torch.ones(1))
            self.register_buffer("b", torch.zeros(1))
            self.plain = 3

        def meth(self) -> None:
            pass

    return Theirs()


METHODS = ["register_parameter", "add_module", "register_module", "register_buffer"]
# the member each method may replace
OWN = {"register_parameter": "w", "add_module": "lin", "register_module": "lin", "register_buffer": "b"}
TAKEN = ["plain", "meth", "forward", "training", "lin", "w", "b"]


def _value(method: str, torch=None):
    if torch is None:
        return {"register_parameter": Parameter(np.full(1, 7.0)), "register_buffer": Tensor(np.full(1, 7.0))
                }.get(method, ReLU())
    return {"register_parameter": torch.nn.Parameter(torch.full((1,), 7.0)),
            "register_buffer": torch.full((1,), 7.0)}.get(method, torch.nn.ReLU())


def _outcome(call) -> type | None:
    try:
        call()
    except Exception as exc:  # noqa: BLE001 -- the type is what is compared
        return type(exc)
    return None


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", TAKEN)
def test_register_refuses_a_name_taken_by_anything_but_its_own_kind(method, name):
    m = Ours()
    before_sd = list(m.state_dict())
    before = getattr(m, name)
    value = _value(method)
    if name == OWN[method]:
        getattr(m, method)(name, value)
        assert getattr(m, name) is value
        return
    with pytest.raises(KeyError, match=rf"Ours.{method}: attribute '{name}' already exists"):
        getattr(m, method)(name, value)
    # nothing changed: the old member or attribute is still there, and the order too
    if name in ("meth", "forward"):  # a bound method is a new object at each access
        assert getattr(m, name).__func__ is getattr(Ours, name)
    else:
        assert getattr(m, name) is before
    assert list(m.state_dict()) == before_sd
    assert [n for n, _ in m.named_children()] == ["lin"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", TAKEN)
def test_register_over_a_taken_name_like_torch(method, name):
    torch = pytest.importorskip("torch")
    ours, theirs = Ours(), _torch_twin(torch)
    got = _outcome(lambda: getattr(ours, method)(name, _value(method)))
    expected = _outcome(lambda: getattr(theirs, method)(name, _value(method, torch)))
    assert got is expected
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_register_refuses_class_attributes_and_properties_like_torch():
    class WithClassAttrs(Module):
        scale = 2.0

        @property
        def size(self) -> int:
            return 1

    m = WithClassAttrs()
    for name, what in (("scale", "an attribute"), ("size", "a property")):
        with pytest.raises(KeyError,
                           match=rf"attribute '{name}' already exists \(it is {what} of WithClassAttrs\)"):
            m.register_parameter(name, Parameter([1.0]))
        with pytest.raises(KeyError, match=rf"attribute '{name}' already exists"):
            m.add_module(name, ReLU())
    assert list(m.named_parameters()) == [] and list(m.named_children()) == []


def test_messages_say_what_the_name_is_and_what_was_expected():
    m = Ours()
    with pytest.raises(KeyError, match=r"'b' already exists \(it is a buffer\); expected a new name or the "
                                       r"name of an existing parameter"):
        m.register_parameter("b", Parameter([1.0]))
    with pytest.raises(KeyError, match=r"'w' already exists \(it is a parameter\); expected a new name or "
                                       r"the name of an existing submodule"):
        m.add_module("w", ReLU())
    with pytest.raises(KeyError, match=r"'lin' already exists \(it is a submodule\); expected a new name or "
                                       r"the name of an existing parameter"):
        m.register_parameter("lin", Parameter([1.0]))


BAD_NAMES = [("", KeyError), ("a.b", KeyError), (".", KeyError), (1, TypeError), (None, TypeError)]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name, error", BAD_NAMES)
def test_register_refuses_empty_dotted_and_non_str_names(method, name, error):
    m = Module()
    with pytest.raises(error, match=rf"Module\.{method}: got"):
        getattr(m, method)(name, _value(method))
    assert m.state_dict() == OrderedDict() and list(m.named_children()) == []


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name, error", BAD_NAMES)
def test_bad_names_raise_what_torch_raises(method, name, error):
    torch = pytest.importorskip("torch")
    assert _outcome(lambda: getattr(torch.nn.Module(), method)(name, _value(method, torch))) is error
    assert _outcome(lambda: getattr(Module(), method)(name, _value(method))) is error


def test_a_dotted_name_error_keeps_its_text_readable():
    # a KeyError prints the repr of its message: a double quote in it would turn the quotes around
    with pytest.raises(KeyError) as info:
        Module().add_module("a.b", ReLU())
    assert '"' not in info.value.args[0] and "'a.b'" in info.value.args[0]


def test_register_refuses_a_value_of_the_wrong_kind_after_a_free_name():
    m = Module()
    with pytest.raises(TypeError, match=r"Module.register_parameter: got Tensor for 'x'; expected a Param"):
        m.register_parameter("x", Tensor([1.0]))
    with pytest.raises(TypeError, match=r"Module.add_module: got int for 'x'; expected a Module or None"):
        m.add_module("x", 3)
    assert not hasattr(m, "x")


# ---------------------------------------------------------------- replacing a member of the same kind
def _replace_all_ours() -> list[list[str]]:
    orders = []
    m = Ours()
    m.register_parameter("q", Parameter([1.0]))
    m.register_parameter("w", Parameter([2.0]))
    orders.append(list(m.state_dict()))
    m = Ours()
    m.add_module("q", Linear(1, 1))
    m.add_module("lin", Linear(1, 1))
    orders.append(list(m.state_dict()))
    m = Ours()
    m.register_buffer("q", np.ones(1))
    m.register_buffer("b", np.ones(1))
    orders.append(list(m.state_dict()))
    m = Ours()
    m.q = Parameter([1.0])
    m.w = Parameter([2.0])
    orders.append(list(m.state_dict()))
    m = Ours()
    m.q = Linear(1, 1)
    m.lin = Linear(1, 1)
    orders.append(list(m.state_dict()))
    return orders


# By hand: a replaced member stays where it was; a new one comes after the others of its kind.
REPLACED_ORDERS = [
    ["w", "q", "b", "lin.weight", "lin.bias"],
    ["w", "b", "lin.weight", "lin.bias", "q.weight", "q.bias"],
    ["w", "b", "q", "lin.weight", "lin.bias"],
    ["w", "q", "b", "lin.weight", "lin.bias"],
    ["w", "b", "lin.weight", "lin.bias", "q.weight", "q.bias"],
]


def test_replacing_a_member_keeps_its_place_in_the_order():
    assert _replace_all_ours() == REPLACED_ORDERS


def test_replacing_a_member_keeps_its_place_like_torch():
    torch = pytest.importorskip("torch")
    orders = []
    m = _torch_twin(torch)
    m.register_parameter("q", torch.nn.Parameter(torch.ones(1)))
    m.register_parameter("w", torch.nn.Parameter(torch.ones(1)))
    orders.append(list(m.state_dict()))
    m = _torch_twin(torch)
    m.add_module("q", torch.nn.Linear(1, 1))
    m.add_module("lin", torch.nn.Linear(1, 1))
    orders.append(list(m.state_dict()))
    m = _torch_twin(torch)
    m.register_buffer("q", torch.ones(1))
    m.register_buffer("b", torch.ones(1))
    orders.append(list(m.state_dict()))
    m = _torch_twin(torch)
    m.q = torch.nn.Parameter(torch.ones(1))
    m.w = torch.nn.Parameter(torch.ones(1))
    orders.append(list(m.state_dict()))
    m = _torch_twin(torch)
    m.q = torch.nn.Linear(1, 1)
    m.lin = torch.nn.Linear(1, 1)
    orders.append(list(m.state_dict()))
    assert _replace_all_ours() == orders


def test_replacing_with_none_and_back():
    m = Ours()
    m.register_parameter("w", None)
    assert m.w is None and list(m.state_dict()) == ["b", "lin.weight", "lin.bias"]
    new = Parameter([5.0])
    m.register_parameter("w", new)
    assert m.w is new and list(m.state_dict()) == ["w", "b", "lin.weight", "lin.bias"]
    m.add_module("lin", None)
    assert m.lin is None and list(m.state_dict()) == ["w", "b"]


def test_a_buffer_registered_again_takes_the_new_persistence():
    m = Module()
    m.register_buffer("a", np.zeros(1), persistent=False)
    m.register_buffer("z", np.zeros(1))
    assert list(m.state_dict()) == ["z"]
    m.register_buffer("a", np.ones(1))
    assert list(m.state_dict()) == ["a", "z"]
    m.register_buffer("a", np.ones(1), persistent=False)
    assert list(m.state_dict()) == ["z"]


# ------------------------------------------------------------------------------------ setattr paths
def _assign_all(m, param, module) -> None:
    """Assignments that the register methods would refuse, but ``setattr`` allows (as in PyTorch)."""
    m.plain = param()  # a plain attribute becomes a parameter
    m.b = param()  # a buffer becomes a parameter and leaves the buffers
    m.lin = param()  # so does a submodule
    m.meth = module()  # a module assigned over a method shadows it
    m.training = param()


def test_setattr_still_turns_any_attribute_into_a_member():
    m = Ours()
    _assign_all(m, lambda: Parameter([1.0]), lambda: Linear(1, 1))
    # by hand: the new parameters follow 'w' in assignment order; 'meth' is the only submodule left
    assert list(m.state_dict()) == ["w", "plain", "b", "lin", "training", "meth.weight", "meth.bias"]
    assert list(m.named_buffers()) == [] and [n for n, _ in m.named_children()] == ["meth"]
    assert "plain" not in m.__dict__


def test_setattr_paths_like_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = Ours(), _torch_twin(torch)
    _assign_all(ours, lambda: Parameter([1.0]), lambda: Linear(1, 1))
    _assign_all(theirs, lambda: torch.nn.Parameter(torch.ones(1)), lambda: torch.nn.Linear(1, 1))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]


def test_setattr_of_another_kind_over_a_member_is_still_refused():
    m = Ours()
    with pytest.raises(TypeError, match="cannot assign Linear as parameter 'w'"):
        m.w = Linear(1, 1)
    with pytest.raises(TypeError, match="cannot assign int as child module 'lin'"):
        m.lin = 3
    assert isinstance(m.w, Parameter) and isinstance(m.lin, Linear)


def test_layers_state_dict_order_like_torch():
    # the layers register None placeholders for missing biases and statistics
    ours = Sequential(Linear(2, 3, bias=False), BatchNorm1d(3, affine=False), LayerNorm(3, bias=False),
                      BatchNorm1d(3, track_running_stats=False), ReLU())
    expected = ["0.weight", "1.running_mean", "1.running_var", "1.num_batches_tracked", "2.weight",
                "3.weight", "3.bias"]
    assert list(ours.state_dict()) == expected
    torch = pytest.importorskip("torch")
    tnn = torch.nn
    theirs = tnn.Sequential(tnn.Linear(2, 3, bias=False), tnn.BatchNorm1d(3, affine=False),
                            tnn.LayerNorm(3, bias=False), tnn.BatchNorm1d(3, track_running_stats=False),
                            tnn.ReLU())
    assert list(theirs.state_dict()) == expected


def test_sequential_refuses_names_of_its_own_attributes_like_torch():
    for name in ("forward", "append", "training"):
        with pytest.raises(KeyError, match=rf"Sequential.add_module: attribute '{name}' already exists"):
            Sequential(OrderedDict([(name, ReLU())]))
    assert [n for n, _ in Sequential(OrderedDict([("act", ReLU())])).named_children()] == ["act"]


# ---------------------------------------------------------------------------- optimizer state dicts
OPTIMIZERS = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]
# torch's keyword arguments that choose its implementation, per optimizer, as far as torch's CPU build
# takes them (capturable is for devices with CUDA graphs; without a step the state dict is still valid)
TORCH_ONLY = {
    "SGD": dict(foreach=True),
    "Adam": dict(foreach=True, capturable=True),
    "AdamW": dict(fused=True),
    "RMSprop": dict(foreach=False, capturable=True),
    "Adagrad": dict(fused=True),
}


def _params() -> list[Parameter]:
    return [Parameter(np.array([1.0, -2.0])), Parameter(np.array([[0.5]]))]


def _our_keys(name: str) -> set[str]:
    return set(getattr(optim, name)(_params()).param_groups[0])


def _torch_state(torch, name: str, kw: dict, step: bool, named: bool = False) -> tuple[dict, list]:
    theirs = [torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True),
              torch.tensor([[0.5]], dtype=torch.float64, requires_grad=True)]
    params = [("a", theirs[0]), ("b", theirs[1])] if named else theirs
    opt = getattr(torch.optim, name)(params, lr=0.05, **kw)
    if step:
        (theirs[0] ** 2).sum().backward()
        (theirs[1] * 3).sum().backward()
        opt.step()
    return opt.state_dict(), theirs


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_torch_state_dict_leaves_exactly_our_keys(name):
    torch = pytest.importorskip("torch")
    kw = TORCH_ONLY[name]
    saved, _ = _torch_state(torch, name, kw, step="capturable" not in kw)
    assert set(kw) <= set(saved["param_groups"][0])  # the state dict does carry them
    opt = getattr(optim, name)(_params())
    opt.load_state_dict(saved)
    assert set(opt.param_groups[0]) == _our_keys(name)
    assert set(opt.state_dict()["param_groups"][0]) == _our_keys(name)
    assert opt.param_groups[0]["lr"] == 0.05


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_torch_param_names_are_dropped(name):
    torch = pytest.importorskip("torch")
    saved, _ = _torch_state(torch, name, {}, step=True, named=True)
    assert saved["param_groups"][0]["param_names"] == ["a", "b"]
    opt = getattr(optim, name)(_params())
    opt.load_state_dict(saved)
    assert set(opt.param_groups[0]) == _our_keys(name)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_maximize_from_torch_is_kept_and_followed(name):
    torch = pytest.importorskip("torch")
    saved, theirs = _torch_state(torch, name, dict(maximize=True, foreach=False), step=True)
    ours = [Parameter(t.detach().numpy().copy()) for t in theirs]
    opt = getattr(optim, name)(ours)
    opt.load_state_dict(saved)
    assert opt.param_groups[0]["maximize"] is True
    # one more step on both sides, with the gradients of the loss the saved step used
    torch_opt = getattr(torch.optim, name)(theirs, lr=0.05)
    torch_opt.load_state_dict(saved)
    for t in theirs:
        t.grad = None
    (theirs[0] ** 2).sum().backward()
    (theirs[1] * 3).sum().backward()
    torch_opt.step()
    ours[0].grad = Tensor(2 * ours[0].data)
    ours[1].grad = Tensor(np.full_like(ours[1].data, 3.0))
    opt.step()
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=0, atol=1e-12)


def test_torch_only_keys_are_dropped_without_torch_and_other_keys_stay():
    saved = optim.SGD(_params(), lr=0.1, momentum=0.9).state_dict()
    group = saved["param_groups"][0]
    group.update(foreach=None, fused=None, differentiable=False, capturable=False, param_names=["a", "b"],
                 initial_lr=0.1, note="encoder")
    opt = optim.SGD(_params(), lr=0.5)
    opt.load_state_dict(saved)
    # a scheduler's 'initial_lr' and a user's own entry are not torch's implementation choices: kept
    assert set(opt.param_groups[0]) == _our_keys("SGD") | {"initial_lr", "note"}
    assert opt.param_groups[0]["note"] == "encoder" and opt.param_groups[0]["momentum"] == 0.9


def test_a_scheduler_s_initial_lr_from_torch_is_kept():
    torch = pytest.importorskip("torch")
    w = torch.zeros(2, requires_grad=True)
    torch_opt = torch.optim.SGD([w], lr=0.1)
    torch.optim.lr_scheduler.StepLR(torch_opt, step_size=1)
    opt = optim.SGD([Parameter(np.zeros(2))], lr=0.5)
    opt.load_state_dict(torch_opt.state_dict())
    assert set(opt.param_groups[0]) == _our_keys("SGD") | {"initial_lr"}
    assert opt.param_groups[0]["initial_lr"] == 0.1


def test_loading_still_refuses_a_torch_state_dict_that_does_not_fit():
    torch = pytest.importorskip("torch")
    saved, _ = _torch_state(torch, "Adam", dict(foreach=True), step=True)
    opt = optim.Adam(_params()[:1], lr=0.3)
    with pytest.raises(ValueError, match="parameter group 0 has 2 parameters in the saved state and 1 here"):
        opt.load_state_dict(saved)
    assert opt.param_groups[0]["lr"] == 0.3 and opt.state == {}


# ------------------------------------------------------------------------------- chaingrad train
def _diverging_argv(out: pathlib.Path) -> list[str]:
    return ["train", "--dataset", "xor", "--hidden", "4", "--epochs", "2", "--no-progress", "--out", str(out),
            "--lr", "1e300"]


def test_diverging_train_prints_one_line_and_no_runtime_warning(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "default"}
    done = subprocess.run([sys.executable, "-m", "nn.cli", *_diverging_argv(tmp_path / "out")],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 2
    assert "RuntimeWarning" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("chaingrad: error: training diverged") and "--lr" in line
    assert not (tmp_path / "out" / "mlp_xor.npz").exists()


def test_diverging_train_in_process_warns_nothing_and_restores_numpy(tmp_path, capsys):
    before = np.geterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(_diverging_argv(tmp_path / "out")) == 2
    assert [w for w in caught if issubclass(w.category, RuntimeWarning)] == []
    assert capsys.readouterr().err.startswith("chaingrad: error: training diverged")
    assert np.geterr() == before


def test_fit_outside_the_command_still_warns():
    # the library keeps numpy's settings: only the command turns the warnings off
    X, y = xor()
    model = Sequential(Linear(2, 4), ReLU(), Linear(4, 2))
    loader = DataLoader(TensorDataset(X, y), batch_size=4)
    with np.errstate(all="warn"), pytest.warns(RuntimeWarning):
        with pytest.raises(FloatingPointError, match="fit: the"):
            fit(model, CrossEntropyLoss(), optim.Adam(model.parameters(), lr=1e300), loader, epochs=2,
                progress=False)
