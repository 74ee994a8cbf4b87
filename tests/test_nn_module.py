"""nn.module: Parameter, Module registration and traversal, modes, state dicts, repr, containers."""

from __future__ import annotations

import copy
import pickle
import re
from collections import OrderedDict

import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn.layers import BatchNorm1d, Dropout, Linear, ReLU, Sigmoid, Tanh
from nn.mlp import MLP
from nn.module import IncompatibleKeys, Module, ModuleList, Parameter, Sequential


class Block(Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = Linear(3, 4)
        self.scale = Parameter(np.ones(4, dtype=np.float32))
        self.register_buffer("count", Tensor(np.zeros((), dtype=np.int64)))
        self.act = ReLU()

    def forward(self, x: Tensor) -> Tensor:
        return self.act(self.fc(x)) * self.scale


class Net(Module):
    def __init__(self) -> None:
        super().__init__()
        self.layer1 = Block()
        self.layers = ModuleList([Linear(4, 4), Linear(4, 2)])
        self.head = Sequential(Tanh(), Dropout(0.1))

    def forward(self, x: Tensor) -> Tensor:
        x = self.layer1(x)
        for layer in self.layers:
            x = layer(x)
        return self.head(x)


# --------------------------------------------------------------------------- Parameter
def test_parameter_defaults_and_repr():
    p = Parameter([1.0, 2.0])
    assert isinstance(p, Tensor) and p.requires_grad and p.dtype == np.float32 and p.is_leaf
    assert repr(p) == "Parameter([1., 2.], requires_grad=True)"
    assert Parameter([1, 2]).dtype == np.float32  # integers become float
    assert Parameter(np.zeros(2)).dtype == np.float64  # arrays keep their float dtype
    assert not Parameter([1.0], requires_grad=False).requires_grad
    t = autograd.ones(3)
    assert Parameter(t).data is t.data  # shares the array
    assert "Parameter(" in repr(Parameter(np.ones((3, 3))))


def test_parameter_ops_give_tensors_and_grads():
    p = Parameter([1.0, 2.0])
    y = (p * p).sum()
    assert type(y) is Tensor
    y.backward()
    np.testing.assert_allclose(p.grad.numpy(), [2.0, 4.0])


def test_parameter_pickle_and_deepcopy():
    p = Parameter([1.0, 2.0])
    for q in (pickle.loads(pickle.dumps(p)), copy.deepcopy(p)):
        assert isinstance(q, Parameter) and q.requires_grad
        np.testing.assert_array_equal(q.numpy(), p.numpy())
        assert q.data is not p.data


# --------------------------------------------------------------------------- registration and traversal
def test_named_parameters_order_and_dotted_names():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "layer1.scale", "layer1.fc.weight", "layer1.fc.bias",
        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
    ]
    assert [n for n, _ in net.named_parameters(prefix="model")][0] == "model.layer1.scale"
    assert len(list(net.parameters())) == 7
    assert list(net.parameters(recurse=False)) == []
    assert [n for n, _ in net.layer1.named_parameters(recurse=False)] == ["scale"]


def test_parameters_are_registered_in_assignment_order():
    class M(Module):
        def __init__(self) -> None:
            super().__init__()
            self.b = Parameter([1.0])
            self.a = Parameter([2.0])

    assert [n for n, _ in M().named_parameters()] == ["b", "a"]


def test_buffers_children_modules():
    net = Net()
    assert [n for n, _ in net.named_buffers()] == ["layer1.count"]
    assert [n for n, _ in net.named_children()] == ["layer1", "layers", "head"]
    assert [type(m).__name__ for m in net.children()] == ["Block", "ModuleList", "Sequential"]
    names = [n for n, _ in net.named_modules()]
    assert names == ["", "layer1", "layer1.fc", "layer1.act", "layers", "layers.0", "layers.1", "head",
                     "head.0", "head.1"]
    assert list(net.modules())[0] is net
    assert len(list(net.buffers())) == 1


def test_shared_parameters_and_modules_listed_once():
    lin = Linear(2, 2)
    seq = Sequential(lin, ReLU(), lin)
    assert len(list(seq.parameters())) == 2
    assert [n for n, _ in seq.named_modules()] == ["", "0", "1"]
    # the state dict keeps both names, as PyTorch does
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_setattr_replaces_and_type_checks():
    m = Block()
    with pytest.raises(TypeError, match="cannot assign Tensor as parameter 'scale'"):
        m.scale = autograd.ones(4)
    m.scale = None
    assert [n for n, _ in m.named_parameters(recurse=False)] == []
    m.scale = Parameter(np.ones(4, dtype=np.float32))
    with pytest.raises(TypeError, match="cannot assign int as child module 'fc'"):
        m.fc = 3
    with pytest.raises(TypeError, match="buffer 'count'"):
        m.count = 3
    m.count = Tensor(np.ones((), dtype=np.int64))
    assert int(m.state_dict()["count"]) == 1
    # reassigning a name to another kind moves it
    m.act = Parameter([0.5])
    assert "act" not in dict(m.named_children()) and "act" in dict(m.named_parameters())
    del m.act
    assert "act" not in dict(m.named_parameters())
    with pytest.raises(AttributeError, match="'Block' object has no attribute 'nope'"):
        _ = m.nope


def test_assignment_before_init_is_a_clear_error():
    class Bad(Module):
        def __init__(self) -> None:
            self.w = Parameter([1.0])

    with pytest.raises(AttributeError, match=re.escape("super().__init__()")):
        Bad()


def test_register_helpers_validate():
    m = Module()
    with pytest.raises(KeyError, match="contain no '.'"):
        m.register_buffer("a.b", Tensor([1.0]))
    with pytest.raises(TypeError, match="expected a Parameter or None"):
        m.register_parameter("w", Tensor([1.0]))
    with pytest.raises(TypeError, match="expected a Module or None"):
        m.add_module("x", 3)
    m.register_buffer("arr", np.zeros(2))
    assert isinstance(m.arr, Tensor)
    m.register_buffer("tmp", Tensor([1.0]), persistent=False)
    assert list(m.state_dict()) == ["arr"]
    assert [n for n, _ in m.named_buffers()] == ["arr", "tmp"]


def test_forward_not_implemented_names_the_class():
    class NoForward(Module):
        pass

    with pytest.raises(NotImplementedError, match="NoForward"):
        NoForward()(autograd.ones(1))


def test_call_runs_forward():
    net = Net()
    out = net(autograd.randn(5, 3))
    assert out.shape == (5, 2)


# --------------------------------------------------------------------------- modes and gradients
def test_train_eval_recursive():
    net = Net()
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    net.head.train(False)
    assert net.training and not net.head[1].training and net.layers[0].training
    with pytest.raises(ValueError, match="expected a bool"):
        net.train("no")


def test_zero_grad_sets_none():
    net = Net().eval()
    net(autograd.randn(4, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net(autograd.randn(4, 3)).sum().backward()
    net.zero_grad(set_to_none=False)
    assert all(float(np.abs(p.grad.numpy()).sum()) == 0.0 for p in net.parameters())


def test_requires_grad_and_dtype_conversion():
    net = Net()
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    params = list(net.parameters())
    net.double()
    assert all(p.dtype == np.float64 for p in net.parameters())
    assert list(net.parameters()) == params or all(a is b for a, b in zip(net.parameters(), params))
    assert net.layer1.count.dtype == np.int64  # integer buffers untouched
    with pytest.raises(TypeError, match="floating-point"):
        net.to("int32")


def test_apply_visits_every_module():
    seen = []
    Net().apply(lambda m: seen.append(type(m).__name__))
    assert seen[-1] == "Net" and seen.count("Linear") == 3


def test_deepcopy_module_is_independent():
    net = Net()
    twin = copy.deepcopy(net)
    twin.layer1.fc.weight.data[...] = 0
    assert np.abs(net.layer1.fc.weight.numpy()).sum() > 0
    assert [n for n, _ in twin.named_parameters()] == [n for n, _ in net.named_parameters()]


# --------------------------------------------------------------------------- state dict
def test_state_dict_names_values_are_copies():
    net = Net()
    sd = net.state_dict()
    assert isinstance(sd, OrderedDict)
    assert list(sd) == ["layer1.scale", "layer1.count", "layer1.fc.weight", "layer1.fc.bias",
                        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
    assert all(isinstance(v, np.ndarray) for v in sd.values())
    sd["layer1.fc.weight"][...] = 42
    assert not np.any(net.layer1.fc.weight.numpy() == 42)
    assert list(net.state_dict(prefix="m"))[0] == "m.layer1.scale"


def test_load_state_dict_in_place_with_cast():
    a, b = Net(), Net()
    w_before = b.layer1.fc.weight
    arr_before = b.layer1.fc.weight.data
    sd = {k: v.astype(np.float64) if v.dtype.kind == "f" else v for k, v in a.state_dict().items()}
    assert b.load_state_dict(sd) == IncompatibleKeys([], [])
    assert b.layer1.fc.weight is w_before and b.layer1.fc.weight.data is arr_before
    assert b.layer1.fc.weight.dtype == np.float32
    for (k, va), vb in zip(a.state_dict().items(), b.state_dict().values()):
        np.testing.assert_array_equal(va, vb, err_msg=k)
    # Tensors are accepted as values too
    b.load_state_dict({k: Tensor(v) for k, v in a.state_dict().items()})


def test_load_state_dict_reports_missing_unexpected_and_shapes():
    net = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
    sd = net.state_dict()
    del sd["2.bias"]
    sd["9.weight"] = np.zeros(1)
    with pytest.raises(KeyError) as exc:
        net.load_state_dict(sd)
    msg = str(exc.value)
    assert "missing keys: '2.bias'" in msg and "unexpected keys: '9.weight'" in msg and "Sequential" in msg
    result = net.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["2.bias"] and result.unexpected_keys == ["9.weight"]

    other = Sequential(Linear(2, 4), ReLU(), Linear(4, 1))
    with pytest.raises(ValueError) as exc:
        net.load_state_dict(other.state_dict())
    msg = str(exc.value)
    assert "'0.weight': expected shape (3, 2), got (4, 2)" in msg and "'2.weight'" in msg
    with pytest.raises(ValueError, match="size mismatch"):  # even when not strict
        net.load_state_dict(other.state_dict(), strict=False)
    with pytest.raises(TypeError, match="expected a mapping"):
        net.load_state_dict([1, 2])


def test_failed_load_changes_nothing():
    net = Sequential(Linear(2, 3), Linear(3, 1))
    before = net.state_dict()
    bad = {k: np.zeros_like(v) for k, v in before.items()}
    bad["1.bias"] = np.zeros(5)
    with pytest.raises(ValueError):
        net.load_state_dict(bad)
    for k, v in net.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


# --------------------------------------------------------------------------- repr
def test_repr_nested_like_pytorch():
    net = Sequential(Linear(2, 2), ReLU(), Sequential(Linear(2, 1), Sigmoid()))
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=2, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=2, out_features=1, bias=True)\n"
        "    (1): Sigmoid()\n"
        "  )\n"
        ")"
    )
    assert repr(Module()) == "Module()"


def test_repr_equals_torch():
    torch = pytest.importorskip("torch")
    ours = Sequential(Linear(3, 4), BatchNorm1d(4), ReLU(), Dropout(0.2), Linear(4, 2, bias=False), Tanh())
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(),
                                 torch.nn.Dropout(0.2), torch.nn.Linear(4, 2, bias=False), torch.nn.Tanh())
    assert repr(ours) == repr(theirs)
    ml = ModuleList([Linear(1, 1)])
    assert repr(ml) == repr(torch.nn.ModuleList([torch.nn.Linear(1, 1)]))


# --------------------------------------------------------------------------- containers
def test_sequential_indexing_and_ordereddict():
    a, b, c = Linear(2, 3), ReLU(), Linear(3, 1)
    seq = Sequential(a, b, c)
    assert len(seq) == 3 and seq[0] is a and seq[-1] is c and list(seq) == [a, b, c]
    sub = seq[1:]
    assert isinstance(sub, Sequential) and list(sub) == [b, c]
    with pytest.raises(IndexError, match="index 3 is out of range for 3 modules"):
        seq[3]
    named = Sequential(OrderedDict([("hidden", a), ("act", b), ("out", c)]))
    assert [n for n, _ in named.named_parameters()] == ["hidden.weight", "hidden.bias", "out.weight",
                                                         "out.bias"]
    assert named[0] is a
    seq.append(Sigmoid())
    assert len(seq) == 4
    seq[3] = Tanh()
    assert isinstance(seq[3], Tanh)
    del seq[1]
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2"] and seq[1] is c
    with pytest.raises(TypeError, match="expected a Module"):
        Sequential(Linear(1, 1), lambda x: x)


def test_sequential_forward_composes():
    seq = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
    x = autograd.randn(4, 2)
    expected = seq[2](seq[1](seq[0](x)))
    np.testing.assert_allclose(seq(x).numpy(), expected.numpy())


def test_module_list():
    layers = ModuleList()
    assert len(layers) == 0
    layers.append(Linear(1, 2)).extend([ReLU(), Linear(2, 1)])
    assert len(layers) == 3 and isinstance(layers[-1], Linear)
    assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    layers.insert(1, Sigmoid())
    assert [type(m).__name__ for m in layers] == ["Linear", "Sigmoid", "ReLU", "Linear"]
    del layers[1]
    assert [n for n, _ in layers.named_children()] == ["0", "1", "2"]
    layers += [Tanh()]
    assert isinstance(layers[3], Tanh) and isinstance(layers[1:], ModuleList)
    with pytest.raises(TypeError, match="expected a Module"):
        layers.append(3)
    with pytest.raises(NotImplementedError, match="iterate"):
        layers(autograd.ones(1))


def test_mlp_structure_and_output_activation():
    net = MLP([3, 5, 2])
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Linear"]
    same = MLP([3, 5, 2], activation="tanh", output_activation="same")
    assert [type(m).__name__ for m in same] == ["Linear", "Tanh", "Linear", "Tanh"]
    cls = MLP([2, 2, 2, 1], activation=Sigmoid, output_activation="sigmoid", bias=False)
    assert [type(m).__name__ for m in cls] == ["Linear", "Sigmoid", "Linear", "Sigmoid", "Linear", "Sigmoid"]
    assert all(m.bias is None for m in cls if isinstance(m, Linear))
    assert MLP([2, 1], dtype=np.float64)[0].weight.dtype == np.float64
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        MLP([2, 3, 2], activation="swish")
    with pytest.raises(ValueError, match="at least an input and an output"):
        MLP([2])


def test_mlp_textbook_example_4_2_1_shape():
    # textbook Def. 4.1.3 reading: ReLU after every layer, output included
    net = MLP([3, 5, 2], output_activation="same")
    out = net(autograd.tensor([[1.0, 0.0, 6.0]]))
    assert out.shape == (1, 2) and (out.numpy() >= 0).all()
