"""nn.ModuleDict, nn.ParameterList, nn.ParameterDict, nn.Unflatten, Sequential's + and *, and
``remove_duplicate=`` of the named_* methods, each compared with PyTorch: results, reprs, state_dict keys,
the order of parameters(), and which calls raise."""

from __future__ import annotations

import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor


def _raises_both(ours, theirs, ours_error: type[BaseException], theirs_error: type[BaseException],
                 match: str | None = None) -> None:
    """Both calls raise: ours ``ours_error`` (with ``match`` in its message), PyTorch's ``theirs_error``."""
    with pytest.raises(ours_error, match=match):
        ours()
    with pytest.raises(theirs_error):
        theirs()


def _torch_repr(text: str) -> str:
    """PyTorch's repr of a parameter container in chaingrad's dtype names."""
    return (text.replace("torch.FloatTensor", "float32").replace("torch.DoubleTensor", "float64")
            .replace("torch.float", "float"))


def _f32(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# ============================================================================================ ModuleDict
def _module_dicts(torch):
    ours = nn.ModuleDict({"encoder": nn.Linear(3, 4), "act": nn.ReLU(), "head": nn.Linear(4, 2)})
    theirs = torch.nn.ModuleDict({"encoder": torch.nn.Linear(3, 4), "act": torch.nn.ReLU(),
                                  "head": torch.nn.Linear(4, 2)})
    return ours, theirs


class TestModuleDict:
    def test_repr_keys_and_parameter_names_match_torch(self, torch):
        ours, theirs = _module_dicts(torch)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict()) == [
            "encoder.weight", "encoder.bias", "head.weight", "head.bias"]
        assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
        assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
        assert list(ours) == list(theirs) == list(ours.keys()) == ["encoder", "act", "head"]
        assert repr(nn.ModuleDict()) == repr(torch.nn.ModuleDict()) == "ModuleDict()"

    def test_state_dict_moves_both_ways_and_the_outputs_agree(self, torch):
        ours, theirs = _module_dicts(torch)
        theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
        x = _f32(5, 3)
        got = ours["head"](ours["act"](ours["encoder"](Tensor(x))))
        want = theirs["head"](theirs["act"](theirs["encoder"](torch.from_numpy(x))))
        np.testing.assert_allclose(got.numpy(), want.detach().numpy(), rtol=1e-6, atol=1e-6)
        ours2, _ = _module_dicts(torch)
        assert repr(ours2.load_state_dict(theirs.state_dict())) == "<All keys matched successfully>"
        np.testing.assert_array_equal(ours2["encoder"].weight.numpy(), ours["encoder"].weight.numpy())

    def test_dict_methods_as_in_torch(self, torch):
        ours, theirs = _module_dicts(torch)
        for d, relu, tanh in ((ours, nn.ReLU, nn.Tanh), (theirs, torch.nn.ReLU, torch.nn.Tanh)):
            act = d["act"]
            assert "act" in d and "nope" not in d and len(d) == 3
            assert d.act is act  # also an attribute, as any submodule
            d["act"] = tanh()  # replacing keeps the position
            d["extra"] = relu()
            del d["encoder"]
            popped = d.pop("head")
            assert type(popped).__name__ == "Linear"
        assert list(ours.keys()) == list(theirs.keys()) == ["act", "extra"]
        assert [type(m).__name__ for m in ours.values()] == [type(m).__name__ for m in theirs.values()]
        assert [(k, type(m).__name__) for k, m in ours.items()] == [
            (k, type(m).__name__) for k, m in theirs.items()]
        assert repr(ours) == repr(theirs)
        ours.clear()
        theirs.clear()
        assert len(ours) == len(theirs) == 0 and list(ours.parameters()) == []

    def test_update_from_mappings_pairs_and_another_module_dict(self, torch):
        def build(lib, d):
            d.update({"b": lib.ReLU(), "a": lib.Tanh()})  # a plain dict keeps its order
            d.update(OrderedDict([("c", lib.Sigmoid())]))
            d.update([("d", lib.ReLU()), ("b", lib.Sigmoid())])  # "b" keeps its place
            other = type(d)()
            other.update(d)
            return other

        ours = build(nn, nn.ModuleDict())
        theirs = build(torch.nn, torch.nn.ModuleDict())
        assert list(ours) == list(theirs) == ["b", "a", "c", "d"]
        assert repr(ours) == repr(theirs)

    @pytest.mark.parametrize("case", ["missing", "not_a_module", "method_name", "dotted", "empty", "int_key",
                                      "update_int", "update_short_pair", "update_not_pairs", "call"])
    def test_errors_raised_where_torch_raises(self, torch, case):
        ours, theirs = _module_dicts(torch)
        calls = {
            "missing": (lambda d, lib: d["nope"], KeyError, KeyError, "no module under the key 'nope'"),
            "not_a_module": (lambda d, lib: d.__setitem__("x", 3), TypeError, TypeError, "expected a Module"),
            "method_name": (lambda d, lib: d.__setitem__("keys", lib.ReLU()), KeyError, KeyError,
                            "already exists"),
            "dotted": (lambda d, lib: d.__setitem__("a.b", lib.ReLU()), KeyError, KeyError, "no '.'"),
            "empty": (lambda d, lib: d.__setitem__("", lib.ReLU()), KeyError, KeyError, "non-empty"),
            "int_key": (lambda d, lib: d.__setitem__(0, lib.ReLU()), TypeError, TypeError, "expected a str"),
            "update_int": (lambda d, lib: d.update(3), TypeError, TypeError, "iterable of"),
            "update_short_pair": (lambda d, lib: d.update([("a",)]), ValueError, ValueError, "length 1"),
            "update_not_pairs": (lambda d, lib: d.update([3]), TypeError, TypeError, "element #0"),
            "call": (lambda d, lib: d(1), NotImplementedError, NotImplementedError, "no forward"),
        }
        call, ours_error, theirs_error, match = calls[case]
        _raises_both(lambda: call(ours, nn), lambda: call(theirs, torch.nn), ours_error, theirs_error, match)

    def test_a_module_holding_a_module_dict_trains(self):
        class Heads(nn.Module):
            def __init__(self):
                super().__init__()
                self.heads = nn.ModuleDict({"a": nn.Linear(2, 1), "b": nn.Linear(2, 1)})

            def forward(self, x):
                return self.heads["a"](x) + self.heads["b"](x)

        net = Heads()
        assert list(net.state_dict()) == ["heads.a.weight", "heads.a.bias", "heads.b.weight", "heads.b.bias"]
        net(autograd.ones(3, 2)).sum().backward()
        assert all(p.grad is not None for p in net.parameters())


# ========================================================================================= ParameterList
def _delete_first(container) -> None:
    del container[0]


class TestParameterList:
    def test_repr_state_dict_and_conversion_match_torch(self, torch):
        a, b = _f32(2, 3), _f32(3, seed=1)
        ours = nn.ParameterList([nn.Parameter(a), Tensor(b)])
        theirs = torch.nn.ParameterList([torch.nn.Parameter(torch.from_numpy(a)), torch.from_numpy(b)])
        ours.append(Tensor(np.ones(2)))  # float64
        theirs.append(torch.ones(2, dtype=torch.float64))
        ours.append(5)  # not a tensor: kept as an object, not registered
        theirs.append(5)
        assert repr(ours) == _torch_repr(repr(theirs))
        assert "(1): Parameter containing: [float32 of size 3]" in repr(ours)
        assert list(ours.state_dict()) == list(theirs.state_dict()) == ["0", "1", "2"]
        assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
        assert [type(p).__name__ for p in ours] == [type(p).__name__ for p in theirs] == [
            "Parameter", "Parameter", "Parameter", "int"]
        assert ours[1].requires_grad and theirs[1].requires_grad
        assert str(ours[2].dtype) == "float64" and len(ours) == len(theirs) == 4
        for p, q in zip(list(ours)[:3], list(theirs)[:3]):
            np.testing.assert_array_equal(p.numpy(), q.detach().numpy())

    def test_one_entry_prints_on_one_line_as_in_torch(self, torch):
        ours = nn.ParameterList([autograd.zeros(2)])
        theirs = torch.nn.ParameterList([torch.zeros(2)])
        assert repr(ours) == _torch_repr(repr(theirs)) == (
            "ParameterList(  (0): Parameter containing: [float32 of size 2])")
        assert repr(nn.ParameterList([autograd.zeros(())])) == _torch_repr(
            repr(torch.nn.ParameterList([torch.zeros(())])))
        assert repr(nn.ParameterList()) == repr(torch.nn.ParameterList()) == "ParameterList()"

    def test_a_tensor_becomes_a_parameter_sharing_its_array(self):
        t = autograd.zeros(3)
        params = nn.ParameterList([t])
        assert isinstance(params[0], nn.Parameter) and params[0].requires_grad
        assert params[0].data is t.data
        p = nn.Parameter(np.ones(2, np.float32))
        params.append(p)
        assert params[1] is p  # a Parameter is kept as it is

    def test_indexing_slicing_iadd_and_extend(self, torch):
        arrays = [_f32(2, seed=i) for i in range(4)]
        ours = nn.ParameterList([Tensor(a) for a in arrays[:2]])
        theirs = torch.nn.ParameterList([torch.from_numpy(a) for a in arrays[:2]])
        ours += [Tensor(arrays[2])]
        theirs += [torch.from_numpy(arrays[2])]
        assert ours.extend([Tensor(arrays[3])]) is ours
        theirs.extend([torch.from_numpy(arrays[3])])
        assert ours[-1] is list(ours)[3]
        sliced = ours[1::2]
        assert isinstance(sliced, nn.ParameterList)
        assert all(p is q for p, q in zip(sliced, [ours[1], ours[3]]))
        assert len(sliced) == len(theirs[1::2]) == 2
        assert repr(sliced) == _torch_repr(repr(theirs[1::2]))
        ours[0] = Tensor(np.full(2, 7.0, np.float32))
        theirs[0] = torch.full((2,), 7.0)
        np.testing.assert_array_equal(ours[0].numpy(), theirs[0].detach().numpy())
        assert isinstance(ours[0], nn.Parameter)
        assert "0" not in dir(ours) and "0" not in dir(theirs)

    @pytest.mark.parametrize("case", ["out_of_range", "str_index", "integer_tensor", "extend_tensor",
                                      "extend_int", "replace_parameter_by_int", "call", "delete"])
    def test_errors_raised_where_torch_raises(self, torch, case):
        ours = nn.ParameterList([autograd.zeros(2)])
        theirs = torch.nn.ParameterList([torch.zeros(2)])
        calls = {
            "out_of_range": (lambda p, lib: p[3], lambda p: p[3], IndexError, IndexError, "out of range"),
            "str_index": (lambda p, lib: p["a"], lambda p: p["a"], TypeError, TypeError, "integers"),
            "integer_tensor": (lambda p, lib: p.append(autograd.tensor([1, 2])),
                               lambda p: p.append(torch.tensor([1, 2])), TypeError, RuntimeError,
                               "floating-point"),
            "extend_tensor": (lambda p, lib: p.extend(autograd.zeros(2)), lambda p: p.extend(torch.zeros(2)),
                              TypeError, TypeError, "iterable"),
            "extend_int": (lambda p, lib: p.extend(3), lambda p: p.extend(3), TypeError, TypeError,
                           "iterable"),
            "replace_parameter_by_int": (lambda p, lib: p.__setitem__(0, 3), lambda p: p.__setitem__(0, 3),
                                         TypeError, TypeError, "cannot assign int"),
            "call": (lambda p, lib: p(), lambda p: p(), RuntimeError, RuntimeError, "cannot be called"),
            "delete": (lambda p, lib: _delete_first(p), _delete_first, AttributeError, AttributeError, None),
        }
        ours_call, theirs_call, ours_error, theirs_error, match = calls[case]
        _raises_both(lambda: ours_call(ours, nn), lambda: theirs_call(theirs), ours_error, theirs_error,
                     match)
        assert len(ours) == 1  # a failed append adds nothing

    def test_gradients_reach_the_parameters_as_in_torch(self, torch):
        ws = [np.random.default_rng(i).standard_normal((3, 3)) for i in range(3)]
        x = np.random.default_rng(9).standard_normal((4, 3))
        ours = nn.ParameterList([Tensor(w) for w in ws])
        theirs = torch.nn.ParameterList([torch.from_numpy(w.copy()) for w in ws])
        h, g = Tensor(x), torch.from_numpy(x)
        for p, q in zip(ours, theirs):
            h, g = (h @ p).tanh(), (g @ q).tanh()
        h.sum().backward()
        g.sum().backward()
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-12, atol=1e-12)

    def test_module_api_works_on_it(self):
        params = nn.ParameterList([autograd.zeros(2), autograd.ones(3)])
        assert params.double() is params and str(params[1].dtype) == "float64"
        clone = copy.deepcopy(params)
        assert clone[0] is not params[0] and len(clone) == 2
        np.testing.assert_array_equal(clone[1].numpy(), params[1].numpy())
        again = pickle.loads(pickle.dumps(params))
        assert list(again.state_dict()) == ["0", "1"]
        sgd = nn.optim.SGD(params.parameters(), lr=1.0)
        assert len(sgd.param_groups[0]["params"]) == 2


# ========================================================================================= ParameterDict
class TestParameterDict:
    def test_plain_dicts_are_sorted_ordered_ones_are_not_as_in_torch(self, torch):
        b, a = _f32(2), _f32(1, 2, seed=1)
        ours = nn.ParameterDict({"b": Tensor(b), "a": Tensor(a)})
        theirs = torch.nn.ParameterDict({"b": torch.from_numpy(b), "a": torch.from_numpy(a)})
        assert list(ours) == list(theirs) == ["a", "b"]
        assert list(ours.state_dict()) == list(theirs.state_dict())
        ours_od = nn.ParameterDict(OrderedDict([("b", Tensor(b)), ("a", Tensor(a))]))
        theirs_od = torch.nn.ParameterDict(OrderedDict([("b", torch.from_numpy(b)),
                                                        ("a", torch.from_numpy(a))]))
        assert list(ours_od) == list(theirs_od) == ["b", "a"]
        assert [n for n, _ in ours_od.named_parameters()] == [n for n, _ in theirs_od.named_parameters()]

    def test_repr_matches_torch(self, torch):
        ours = nn.ParameterDict({"w": autograd.zeros(2, 3), "s": Tensor(np.ones(4))})
        theirs = torch.nn.ParameterDict({"w": torch.zeros(2, 3), "s": torch.ones(4, dtype=torch.float64)})
        ours["c"] = 3.0
        theirs["c"] = 3.0
        assert repr(ours) == _torch_repr(repr(theirs))
        assert repr(ours) == (
            "ParameterDict(\n"
            "    (s): Parameter containing: [float64 of size 4]\n"
            "    (w): Parameter containing: [float32 of size 2x3]\n"
            "    (c): Object of type: float\n"
            ")")
        assert list(ours.state_dict()) == list(theirs.state_dict()) == ["s", "w"]
        assert repr(nn.ParameterDict()) == repr(torch.nn.ParameterDict()) == "ParameterDict()"

    def test_dict_methods_as_in_torch(self, torch):
        def run(lib, make):
            d = lib.ParameterDict(OrderedDict([("x", make(2)), ("y", make(3))]))
            log = [len(d), "x" in d, 0 in d, list(d), list(reversed(d))]
            log.append(d.get("nope", "default"))
            log.append(tuple(d.setdefault("z", make(1)).shape))
            log.append(tuple(d.setdefault("x", make(9)).shape))  # already there: unchanged
            key, value = d.popitem()
            log += [key, tuple(value.shape), list(d)]
            log.append(tuple(d.pop("x").shape))
            d["w"] = make(4)
            log += [list(d.keys()), [k for k, _ in d.items()], [tuple(v.shape) for v in d.values()]]
            copied = d.copy()
            log += [type(copied).__name__, copied["w"] is d["w"], list(copied)]
            log.append(list(d.fromkeys(["p", "q"]).items()))
            merged = d | {"m": make(1)}
            log += [type(merged).__name__, list(merged), list(d)]
            left = {"l": 1} | d
            log += [type(left).__name__, list(left)]
            d |= [("n", make(2))]
            log.append(list(d))
            d.clear()
            log += [len(d), list(d.parameters())]
            return log

        assert run(nn, autograd.zeros) == run(torch.nn, torch.zeros)

    def test_missing_key_is_a_key_error_and_an_attribute_error(self, torch):
        params = nn.ParameterDict({"w": autograd.zeros(1)})
        for error in (KeyError, AttributeError):
            with pytest.raises(error, match="no entry under the key 'v'"):
                params["v"]
        with pytest.raises(AttributeError):  # PyTorch raises an AttributeError
            torch.nn.ParameterDict({"w": torch.zeros(1)})["v"]
        with pytest.raises(KeyError):
            del params["v"]
        assert params.get("v") is None

    @pytest.mark.parametrize("case", ["int_key", "int_key_set", "update_int", "update_not_pairs",
                                      "update_long_pair", "method_name", "dotted", "integer_tensor", "call",
                                      "popitem_empty"])
    def test_errors_raised_where_torch_raises(self, torch, case):
        ours = nn.ParameterDict({"w": autograd.zeros(1)})
        theirs = torch.nn.ParameterDict({"w": torch.zeros(1)})
        calls = {
            "int_key": (lambda d, lib: d[0], TypeError, TypeError, "expected a str"),
            "int_key_set": (lambda d, lib: d.__setitem__(0, lib.zeros(1)), TypeError, TypeError,
                            "expected a str"),
            "update_int": (lambda d, lib: d.update(3), TypeError, TypeError, "iterable of"),
            "update_not_pairs": (lambda d, lib: d.update([1, 2]), TypeError, TypeError, "element #0"),
            "update_long_pair": (lambda d, lib: d.update([("a", 1, 2)]), ValueError, ValueError, "length 3"),
            "method_name": (lambda d, lib: d.__setitem__("keys", lib.zeros(1)), KeyError, KeyError,
                            "attribute"),
            "dotted": (lambda d, lib: d.__setitem__("a.b", lib.zeros(1)), KeyError, KeyError, "no '.'"),
            "integer_tensor": (lambda d, lib: d.__setitem__("i", lib.tensor([1, 2])), TypeError, RuntimeError,
                               "floating-point"),
            "call": (lambda d, lib: d(1), RuntimeError, RuntimeError, "cannot be called"),
            "popitem_empty": (lambda d, lib: (d.clear(), d.popitem()), KeyError, KeyError, "empty"),
        }
        call, ours_error, theirs_error, match = calls[case]
        _raises_both(lambda: call(ours, autograd), lambda: call(theirs, torch), ours_error, theirs_error,
                     match)

    def test_state_dict_moves_both_ways(self, torch):
        ours = nn.ParameterDict({"scale": autograd.ones(3), "shift": autograd.zeros(3)})
        theirs = torch.nn.ParameterDict({"scale": torch.full((3,), 2.0), "shift": torch.full((3,), -1.0)})
        ours.load_state_dict(theirs.state_dict())
        assert ours["scale"].tolist() == [2.0] * 3 and ours["shift"].tolist() == [-1.0] * 3
        ours["shift"].data[:] = 5.0
        theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
        assert theirs["shift"].tolist() == [5.0] * 3


# ============================================================================================= Unflatten
class TestUnflatten:
    @pytest.mark.parametrize("dim, size, shape", [
        (1, (2, 5), (3, 10)), (-1, [2, -1], (3, 10)), (0, (3, 1, 1), (3, 4)), (-2, (2, 2), (5, 4, 3)),
    ])
    def test_shapes_values_grads_and_repr_match_torch(self, torch, dim, size, shape):
        x = np.random.default_rng(0).standard_normal(shape)
        ours, theirs = nn.Unflatten(dim, size), torch.nn.Unflatten(dim, size)
        assert repr(ours) == repr(theirs)
        xt, xs = Tensor(x, requires_grad=True), torch.from_numpy(x).requires_grad_()
        out, ref = ours(xt), theirs(xs)
        assert out.shape == tuple(ref.shape)
        np.testing.assert_array_equal(out.numpy(), ref.detach().numpy())
        weights = np.random.default_rng(1).standard_normal(out.shape)
        (out * Tensor(weights)).sum().backward()
        (ref * torch.from_numpy(weights)).sum().backward()
        np.testing.assert_array_equal(xt.grad.numpy(), xs.grad.numpy())
        assert autograd.gradcheck(lambda t: ours(t), (Tensor(x, requires_grad=True),))

    def test_flatten_then_unflatten_round_trips(self):
        x = autograd.randn(2, 3, 4, 5)
        net = nn.Sequential(nn.Flatten(1, 2), nn.Unflatten(1, (3, 4)))
        assert net(x).shape == x.shape
        np.testing.assert_array_equal(net(x).numpy(), x.numpy())

    @pytest.mark.parametrize("args, error, theirs_error", [
        ((1, 5), TypeError, TypeError),
        ((1, (2, 2.5)), TypeError, TypeError),
    ])
    def test_bad_sizes_raise_on_construction(self, torch, args, error, theirs_error):
        _raises_both(lambda: nn.Unflatten(*args), lambda: torch.nn.Unflatten(*args), error, theirs_error,
                     "unflattened_size")

    @pytest.mark.parametrize("args, shape", [((1, (3, 3)), (2, 10)), ((5, (2, 5)), (2, 10)),
                                             ((1, (-1, -1)), (2, 10))])
    def test_sizes_that_do_not_fit_raise_on_call(self, torch, args, shape):
        _raises_both(lambda: nn.Unflatten(*args)(autograd.zeros(*shape)),
                     lambda: torch.nn.Unflatten(*args)(torch.zeros(*shape)), ValueError,
                     (RuntimeError, IndexError), "Unflatten\\(dim=")

    def test_refusals_torch_defers_to_the_call(self):
        with pytest.raises(ValueError, match="empty unflattened_size"):
            nn.Unflatten(1, ())
        with pytest.raises(TypeError, match=r"got dim of type float \(1.0\); expected an int"):
            nn.Unflatten(1.0, (2, 5))
        with pytest.raises(TypeError, match="entry 0 is of type bool"):
            nn.Unflatten(1, (True, 10))

    @pytest.mark.parametrize("start, end, shape", [(1, -1, (2, 3, 4)), (0, 2, (2, 3, 4)), (-2, -1, (2, 3, 4)),
                                                   (0, -1, ())])
    def test_flatten_dims_match_torch(self, torch, start, end, shape):
        ours, theirs = nn.Flatten(start, end), torch.nn.Flatten(start, end)
        assert repr(ours) == repr(theirs)
        assert ours(autograd.zeros(shape)).shape == tuple(theirs(torch.zeros(shape)).shape)


# ============================================================================== Sequential's + and *
def _pair(torch):
    ours = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
    return ours, theirs


class TestSequentialArithmetic:
    def test_add_concatenates_the_same_modules(self, torch):
        (a, ta), (b, tb) = _pair(torch), _pair(torch)
        ours, theirs = a + b, ta + tb
        assert repr(ours) == repr(theirs) and isinstance(ours, nn.Sequential)
        assert [m for m in ours] == [*a, *b]
        assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
        assert len(a) == 2  # the operands are unchanged

    def test_add_renumbers_named_modules(self, torch):
        ours = nn.Sequential(OrderedDict(act=nn.ReLU(), out=nn.Tanh()))
        theirs = torch.nn.Sequential(OrderedDict(act=torch.nn.ReLU(), out=torch.nn.Tanh()))
        assert repr(ours + ours) == repr(theirs + theirs)

    def test_iadd_appends_in_place(self, torch):
        ours = nn.Sequential(OrderedDict(act=nn.ReLU()))
        theirs = torch.nn.Sequential(OrderedDict(act=torch.nn.ReLU()))
        same = ours
        ours += nn.Sequential(nn.Tanh(), nn.Sigmoid())
        theirs += torch.nn.Sequential(torch.nn.Tanh(), torch.nn.Sigmoid())
        assert ours is same and repr(ours) == repr(theirs)
        ours += ours  # PyTorch raises here (its dict changes size while it iterates)
        names = [n for n, _ in ours.named_modules(remove_duplicate=False)]
        assert names == ["", "act", "1", "2", "3", "4", "5"]
        assert [type(m).__name__ for m in ours] == ["ReLU", "Tanh", "Sigmoid"] * 2

    @pytest.mark.parametrize("factor", [1, 2, 3])
    def test_mul_and_rmul_repeat_the_same_modules(self, torch, factor):
        ours, theirs = _pair(torch)
        for got, want in ((ours * factor, theirs * factor), (factor * ours, factor * theirs)):
            assert repr(got) == repr(want) and len(got) == 2 * factor
            assert all(got[i] is ours[i % 2] for i in range(len(got)))
            assert [n for n, _ in got.named_parameters()] == [n for n, _ in want.named_parameters()]
            assert list(got.state_dict()) == list(want.state_dict())
        same = ours
        ours *= factor
        theirs *= factor
        assert ours is same and repr(ours) == repr(theirs)

    @pytest.mark.parametrize("call, error", [
        (lambda s, lib: s + lib.ModuleList([]), ValueError),
        (lambda s, lib: s + 1, ValueError),
        (lambda s, lib: s.__iadd__([lib.ReLU()]), ValueError),
        (lambda s, lib: s * 0, ValueError),
        (lambda s, lib: s * -1, ValueError),
        (lambda s, lib: s * 1.5, TypeError),
        (lambda s, lib: 2.0 * s, TypeError),
        (lambda s, lib: s.__imul__(0), ValueError),
        (lambda s, lib: [1] + s, TypeError),
    ])
    def test_errors_raised_where_torch_raises(self, torch, call, error):
        ours, theirs = _pair(torch)
        _raises_both(lambda: call(ours, nn), lambda: call(theirs, torch.nn), error, error)
        assert len(ours) == 2


# =============================================================================== remove_duplicate=
def _shared(lib, ones):
    lin = lib.Linear(1, 1)
    bn = lib.BatchNorm1d(1)

    class Shared(lib.Module):
        def __init__(self):
            super().__init__()
            self.a = lin
            self.inner = lib.Sequential(lin, bn)
            self.bn = bn
            self.w = lib.Parameter(ones(1))
            self.v = self.w

    return Shared()


class TestRemoveDuplicate:
    @pytest.mark.parametrize("remove_duplicate", [True, False])
    @pytest.mark.parametrize("kwargs", [{}, {"prefix": "net"}, {"recurse": False}])
    def test_named_parameters_and_buffers_match_torch(self, torch, remove_duplicate, kwargs):
        ours, theirs = _shared(nn, autograd.ones), _shared(torch.nn, torch.ones)
        for method in ("named_parameters", "named_buffers"):
            got = [n for n, _ in getattr(ours, method)(remove_duplicate=remove_duplicate, **kwargs)]
            want = [n for n, _ in getattr(theirs, method)(remove_duplicate=remove_duplicate, **kwargs)]
            assert got == want, method

    @pytest.mark.parametrize("remove_duplicate", [True, False])
    def test_named_modules_match_torch(self, torch, remove_duplicate):
        ours, theirs = _shared(nn, autograd.ones), _shared(torch.nn, torch.ones)
        got = [n for n, _ in ours.named_modules(prefix="m", remove_duplicate=remove_duplicate)]
        want = [n for n, _ in theirs.named_modules(prefix="m", remove_duplicate=remove_duplicate)]
        assert got == want

    def test_without_duplicates_the_names_are_those_of_the_state_dict(self):
        net = _shared(nn, autograd.ones)
        params = dict(net.named_parameters(remove_duplicate=False))
        buffers = dict(net.named_buffers(remove_duplicate=False))
        assert set(net.state_dict()) == set(params) | set(buffers)
        assert params["a.weight"] is params["inner.0.weight"]
        assert len(list(net.parameters())) == 5  # each shared parameter once
