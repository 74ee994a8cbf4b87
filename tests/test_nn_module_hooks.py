"""Module hooks (``register_forward_pre_hook``, ``register_forward_hook`` and their handles) and the lookups
``get_submodule``, ``get_parameter``, ``get_buffer``: what they see, change and raise, against PyTorch
where it has the same API."""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pytest

import nn
from autograd import Tensor, tensor
from nn import Linear, Module, ReLU, Sequential
from nn.module import RemovableHandle


class Scale(Module):
    """forward(x, factor=2.0): a module with a keyword argument, written for both libraries alike."""

    def forward(self, x, factor=2.0):
        return x * factor


def _scenario(lib, make_input, fail=False):
    """Register hooks of every kind on a module of ``lib`` (``nn`` or ``torch.nn``), call it, and return
    the log of what the hooks saw and the output, as plain Python values."""

    def plain(t):
        return t.tolist() if hasattr(t, "tolist") else t

    log = []
    class Twice(lib.Module):
        def forward(self, x, factor=2.0):
            if fail:
                raise ValueError("forward failed")
            return x * factor

    m = Twice()
    m.register_forward_pre_hook(lambda mod, args: log.append(("pre", [plain(a) for a in args])))
    m.register_forward_pre_hook(lambda mod, args: (args[0] + 1,))
    m.register_forward_pre_hook(lambda mod, args: log.append(("first", [plain(a) for a in args])),
                                prepend=True)
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {**kwargs, "factor": 10.0}),
                                with_kwargs=True)
    m.register_forward_hook(lambda mod, args, out: log.append(("post", plain(args[0]), plain(out))))
    m.register_forward_hook(lambda mod, args, kwargs, out: log.append(("kw", dict(kwargs))) or out * -1,
                            with_kwargs=True)
    m.register_forward_hook(lambda mod, args, out: log.append(("always", out if out is None else plain(out))),
                            always_call=True)
    try:
        out = m(make_input([1.0, 2.0]), factor=3.0)
    except ValueError as exc:
        return log, str(exc)
    return log, plain(out)


@pytest.mark.parametrize("fail", [False, True])
def test_hooks_see_and_change_what_torch_s_do(torch, fail):
    ours = _scenario(nn, lambda v: Tensor(np.array(v)), fail)
    theirs = _scenario(torch.nn, lambda v: torch.tensor(v, dtype=torch.float64), fail)
    assert ours == theirs


def test_the_scenario_by_hand():
    log, out = _scenario(nn, lambda v: Tensor(np.array(v)))
    assert log == [("first", [[1.0, 2.0]]), ("pre", [[1.0, 2.0]]), ("post", [2.0, 3.0], [20.0, 30.0]),
                   ("kw", {"factor": 10.0}), ("always", [-20.0, -30.0])]
    assert out == [-20.0, -30.0]
    log, error = _scenario(nn, lambda v: Tensor(np.array(v)), fail=True)
    assert error == "forward failed"
    assert log == [("first", [[1.0, 2.0]]), ("pre", [[1.0, 2.0]]), ("always", None)]


def test_a_pre_hook_may_return_a_single_value_or_a_tuple():
    m = Scale()
    handle = m.register_forward_pre_hook(lambda mod, args: args[0] * 0 + 5.0)
    assert m(tensor([1.0])).tolist() == [10.0]
    handle.remove()
    m.register_forward_pre_hook(lambda mod, args: (args[0], 4.0))  # the second becomes factor
    assert m(tensor([1.0])).tolist() == [4.0]


def test_removing_hooks_and_handles():
    m = ReLU()
    calls = []
    a = m.register_forward_hook(lambda mod, args, out: calls.append("a"))
    b = m.register_forward_hook(lambda mod, args, out: calls.append("b"))
    assert isinstance(a, RemovableHandle) and b.id > a.id
    m(tensor([1.0]))
    a.remove()
    a.remove()  # a second removal does nothing
    m(tensor([1.0]))
    with m.register_forward_pre_hook(lambda mod, args: calls.append("pre")):
        m(tensor([1.0]))
    m(tensor([1.0]))
    assert calls == ["a", "b", "b", "pre", "b", "b"]
    b.remove()
    assert not m._forward_hooks and not m._forward_pre_hooks


def test_hooks_of_submodules_run_when_the_container_runs():
    net = Sequential(Linear(3, 4), ReLU(), Linear(4, 2))
    seen = []
    for name, layer in net.named_children():
        layer.register_forward_hook(lambda mod, args, out, name=name: seen.append((name, out.shape)))
    net(Tensor(np.ones((5, 3))))
    assert seen == [("0", (5, 4)), ("1", (5, 4)), ("2", (5, 2))]


def test_a_forward_hook_can_replace_the_output_and_gradients_follow():
    lin = Linear(2, 1, dtype="float64")
    lin.register_forward_hook(lambda mod, args, out: out * 3.0)
    x = Tensor(np.array([[1.0, 2.0]]))
    lin(x).sum().backward()
    np.testing.assert_array_equal(lin.weight.grad.numpy(), [[3.0, 6.0]])


def test_a_bad_with_kwargs_pre_hook_result_is_refused():
    m = Scale()
    m.register_forward_pre_hook(lambda mod, args, kwargs: args, with_kwargs=True)
    with pytest.raises(RuntimeError, match=r"Scale: a forward pre-hook registered with_kwargs=True returned "
                                           r"a value of type tuple .*; expected None or a pair "
                                           r"\(args, kwargs\)"):
        m(tensor([1.0]))


def test_an_always_call_hook_that_fails_after_an_error_warns_and_the_first_error_is_raised():
    m = Scale()
    m.register_forward_hook(lambda mod, args, out: 1 / 0, always_call=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(TypeError):
            m("not a number", factor=None)
    assert len(caught) == 1 and "ZeroDivisionError" in str(caught[0].message)
    assert "Scale: a forward hook with always_call=True raised" in str(caught[0].message)


def test_a_hook_that_is_not_callable_is_refused():
    with pytest.raises(TypeError, match=r"^ReLU.register_forward_hook: got a hook of type int \(3\); "
                                        "expected a callable$"):
        ReLU().register_forward_hook(3)
    with pytest.raises(TypeError, match=r"^ReLU.register_forward_pre_hook: got a hook of type NoneType"):
        ReLU().register_forward_pre_hook(None)


def test_without_hooks_a_call_takes_the_direct_path(monkeypatch):
    def slow_path(self, args, kwargs):
        raise AssertionError("the hook path ran without hooks")

    monkeypatch.setattr(Module, "_call_with_hooks", slow_path)
    assert ReLU()(tensor([-1.0])).tolist() == [0.0]
    m = ReLU()
    m.register_forward_hook(lambda mod, args, out: None).remove()
    assert m(tensor([-1.0])).tolist() == [0.0]


def test_modules_copy_with_their_hooks_and_old_pickles_load():
    m = ReLU()
    calls = []
    m.register_forward_hook(lambda mod, args, out: calls.append(type(mod).__name__))
    copy.deepcopy(m)(tensor([1.0]))
    assert calls == ["ReLU"]
    old = Linear(2, 1)
    state = dict(old.__dict__)
    del state["_forward_hooks"], state["_forward_pre_hooks"]  # as pickled before hooks existed
    restored = Linear.__new__(Linear)
    restored.__setstate__(state)
    assert restored(tensor([[1.0, 1.0]])).shape == (1, 1)
    assert pickle.loads(pickle.dumps(Linear(2, 1)))(tensor([[1.0, 1.0]])).shape == (1, 1)


# ------------------------------------------------------------------------------------------ lookup by name
def _net(lib):
    inner = lib.Sequential(lib.Linear(2, 3), lib.BatchNorm1d(3), lib.Linear(3, 3, bias=False))
    return lib.Sequential(inner, lib.ReLU())


LOOKUPS = [("get_submodule", t) for t in ("", "0", "0.2", "1", "0.5", "0.0.weight", "x.y")]
LOOKUPS += [("get_parameter", t) for t in ("0.0.weight", "0.2.bias", "0.1.running_mean", "0.1.training",
                                            "0.7.weight", "1.weight")]
LOOKUPS += [("get_buffer", t) for t in ("0.1.running_var", "0.1.num_batches_tracked", "0.0.weight",
                                         "0.1.nothing")]


@pytest.mark.parametrize("method, target", LOOKUPS)
def test_lookups_find_or_refuse_what_torch_does(torch, method, target):
    ours, theirs = _net(nn), _net(torch.nn)
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    try:
        expected = getattr(theirs, method)(target)
    except AttributeError:
        with pytest.raises(AttributeError, match=rf"Sequential.{method}"):
            getattr(ours, method)(target)
        return
    got = getattr(ours, method)(target)
    if isinstance(expected, torch.nn.Module):
        assert repr(got) == repr(expected)
    else:
        np.testing.assert_array_equal(got.numpy(), expected.detach().numpy())


def test_lookups_return_the_members_themselves():
    net = _net(nn)
    assert net.get_submodule("") is net and net.get_submodule("0.1") is net[0][1]
    assert net.get_parameter("0.0.bias") is net[0][0].bias
    assert net.get_buffer("0.1.running_mean") is net[0][1].running_mean
    assert Linear(2, 2).get_parameter("weight").shape == (2, 2)


@pytest.mark.parametrize("call, message", [
    (lambda n: n.get_submodule("0.5"), r"Sequential.get_submodule\('0.5'\): Sequential \(at '0'\) has no "
                                       r"attribute '5'"),
    (lambda n: n.get_submodule("0.0.weight"), r"get_submodule\('0.0.weight'\): '0.0.weight' is a Parameter, "
                                              r"not a Module"),
    (lambda n: n.get_parameter("0.7.weight"), r"Sequential.get_parameter\('0.7.weight'\): Sequential \(at "
                                              r"'0'\) has no attribute '7'"),
    (lambda n: n.get_submodule("x"), r"get_submodule\('x'\): Sequential has no attribute 'x'"),
    (lambda n: n.get_parameter("0.2.bias"), r"Sequential.get_parameter\('0.2.bias'\): Linear \(at '0.2'\) "
                                            r"has an attribute 'bias', but it is not a parameter"),
    (lambda n: n.get_parameter("0.1.running_mean"), r"BatchNorm1d \(at '0.1'\) has an attribute "
                                                    r"'running_mean', but it is not a parameter"),
    (lambda n: n.get_buffer("0.1.nothing"), r"get_buffer\('0.1.nothing'\): BatchNorm1d \(at '0.1'\) has no "
                                            r"attribute 'nothing'"),
])
def test_lookup_errors_name_the_path_and_what_is_there(call, message):
    with pytest.raises(AttributeError, match=message):
        call(_net(nn))


def test_lookup_targets_must_be_strings():
    with pytest.raises(TypeError, match=r"Sequential.get_submodule: got a target of type int \(0\); "
                                        r"expected a dotted name \(str\)"):
        _net(nn).get_submodule(0)
    with pytest.raises(TypeError, match=r"Sequential.get_parameter: got a target of type NoneType"):
        _net(nn).get_parameter(None)
