"""Bad arguments to the factories, the shape ops and the reductions: each error names the function the
user called, the value it got and what it expected, instead of surfacing a numpy message. Also the axes
given as a list of ints, which the reductions take like a tuple (PyTorch's ``sum(dim=[0, 1])``)."""

from __future__ import annotations

import math
import re
import reprlib

import numpy as np
import pytest

import autograd
from autograd import Tensor

# ---------------------------------------------------------------------------------------------- arange


@pytest.mark.parametrize("args, dtype, match", [
    ((0, 5, -1), None, r"^arange: got step -1 with start 0 < stop 5; expected a positive step"),
    ((5, 0, 1), None, r"^arange: got step 1 with start 5 > stop 0; expected a negative step"),
    ((0.0, 5.0, -0.5), None, r"^arange: got step -0\.5 with start 0\.0 < stop 5\.0; expected a positive"),
    ((0, 5, -1), "int64", r"^arange: got step -1 with start 0 < stop 5"),
    # the sign is judged before the bounds are truncated for an integer dtype, as PyTorch does
    ((0, 0.5, -1), "int64", r"^arange: got step -1 with start 0 < stop 0\.5"),
    ((0, 5, -0.5), "int64", r"^arange: got step -0\.5 with start 0 < stop 5"),
], ids=repr)
def test_arange_refuses_a_step_whose_sign_leads_away_from_stop(args, dtype, match):
    with pytest.raises(ValueError, match=match):
        autograd.arange(*args, dtype=dtype)


@pytest.mark.parametrize("args, dtype", [((0, 5, -1), None), ((5, 0, 1), None), ((0.0, 5.0, -0.5), None),
                                         ((0, 0.5, -1), "int64"), ((0, 5, -0.5), "int64")], ids=repr)
def test_torch_refuses_those_steps_too(args, dtype):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="inconsistent with step sign"):
        torch.arange(*args, dtype=None if dtype is None else torch.int64)


@pytest.mark.parametrize("args", [(3, 3), (3, 3, -1), (3, 3, 2), (-0.0, 0.0, -1), (2.5, 2.5, -0.5)],
                         ids=repr)
def test_arange_with_equal_bounds_is_empty_whatever_the_step_sign(args):
    out = autograd.arange(*args)
    assert out.shape == (0,) and out.shape == np.arange(*args).shape
    torch = pytest.importorskip("torch")
    assert out.tolist() == torch.arange(*args).tolist() == []


@pytest.mark.parametrize("args", [(0, 5, 1), (5, 0, -1), (0.0, 1.0, 0.25), (1.0, -1.0, -0.5), (-3, 4, 2)],
                         ids=repr)
def test_arange_with_a_consistent_step_still_matches_numpy(args):
    assert autograd.arange(*args).tolist() == np.arange(*args).tolist()


@pytest.mark.parametrize("args, match", [
    (("3",), r"^arange: got stop of type str \('3'\); expected a real number"),
    ((0, "5"), r"^arange: got stop of type str \('5'\)"),
    ((None,), r"^arange: got stop of type NoneType \(None\)"),
    (("0", 5), r"^arange: got start of type str \('0'\)"),
    ((0, 5, "a"), r"^arange: got step of type str \('a'\)"),
    ((0, 5, None), r"^arange: got step of type NoneType \(None\)"),
    ((1 + 2j,), r"^arange: got stop of type complex \(\(1\+2j\)\)"),
    (([1, 2],), r"^arange: got stop of type list \(\[1, 2\]\)"),
    ((autograd.tensor([1, 2]),), r"^arange: got stop of type Tensor \(dtype int64, shape \(2,\)\)"),
], ids=repr)
def test_arange_names_an_argument_that_is_not_a_real_number(args, match):
    with pytest.raises(TypeError, match=match):
        autograd.arange(*args)
    with pytest.raises(TypeError, match=match):
        autograd.arange(*args, dtype="int64")


@pytest.mark.parametrize("args", [(0, math.inf), (-math.inf, 0), (0, math.nan), (0, 5, math.nan)], ids=repr)
def test_arange_refuses_infinite_or_nan_bounds_and_a_nan_step(args):
    padded = args + (1,) * (3 - len(args))
    match = rf"^arange: got start={padded[0]}, stop={padded[1]}, step={padded[2]}; expected finite"
    with pytest.raises(ValueError, match=match):
        autograd.arange(*args)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.arange(*args)


def test_arange_takes_zero_d_tensors_as_bounds():
    out = autograd.arange(autograd.tensor(0.0), autograd.tensor(2.0), autograd.tensor(0.5))
    assert out.tolist() == np.arange(0.0, 2.0, 0.5).tolist()
    with pytest.raises(ValueError, match=r"^arange: got step -1"):
        autograd.arange(autograd.tensor(0), autograd.tensor(3), -1)


# ---------------------------------------------------------------------------------------------- dtypes


@pytest.mark.parametrize("name, call", [
    ("zeros", lambda: autograd.zeros(2, dtype="foo")),
    ("ones", lambda: autograd.ones(2, dtype="foo")),
    ("eye", lambda: autograd.eye(2, dtype="foo")),
    ("full", lambda: autograd.full(2, 1.0, dtype="foo")),
    ("arange", lambda: autograd.arange(3, dtype="foo")),
    ("randn", lambda: autograd.randn(2, dtype="foo")),
    ("rand_like", lambda: autograd.rand_like(autograd.zeros(2), dtype="foo")),
    ("zeros_like", lambda: autograd.zeros_like(autograd.zeros(2), dtype="foo")),
    ("full_like", lambda: autograd.full_like(autograd.zeros(2), 1.0, dtype="foo")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_an_unknown_dtype_names_the_factory(name, call):
    with pytest.raises(TypeError, match=rf"^{name}: got dtype 'foo'; expected a numpy dtype"):
        call()


# ---------------------------------------------------------------------------------------------- sizes


@pytest.mark.parametrize("call, match", [
    (lambda: autograd.zeros(2.5), r"^zeros: got size of type float \(2\.5\); expected an int"),
    (lambda: autograd.zeros("3"), r"^zeros: got size of type str \('3'\)"),
    (lambda: autograd.ones((2, None)), r"^ones: got size of type NoneType \(None\)"),
    (lambda: autograd.full((2, "a"), 1.0), r"^full: got size of type str \('a'\)"),
    (lambda: autograd.eye(2, "a"), r"^eye: got size of type str \('a'\)"),
    (lambda: autograd.randn(None), r"^randn: got size of type NoneType \(None\)"),
], ids=["zeros-float", "zeros-str", "ones-None", "full-str", "eye-str", "randn-None"])
def test_a_size_that_is_not_an_int_names_the_factory(call, match):
    with pytest.raises(TypeError, match=match):
        call()


# ---------------------------------------------------------------------------------------------- full, *_like


@pytest.mark.parametrize("fill", ["a", None, 1 + 2j, np.array("x")], ids=repr)
@pytest.mark.parametrize("dtype", [None, "float32"])
def test_full_refuses_a_fill_value_that_is_not_a_real_number(fill, dtype):
    # with a dtype, numpy alone would have made None a nan
    with pytest.raises(TypeError, match=r"^full: got fill_value .* expected a real number"):
        autograd.full((2,), fill, dtype=dtype)
    with pytest.raises(TypeError, match=r"^full_like: got fill_value .* expected a real number"):
        autograd.full_like(autograd.zeros(2), fill, dtype=dtype)


def test_torch_refuses_those_fill_values_too():
    torch = pytest.importorskip("torch")
    for fill in ["a", None]:
        with pytest.raises(TypeError):
            torch.full((2,), fill)
        with pytest.raises(TypeError):
            torch.full_like(torch.zeros(2), fill)


@pytest.mark.parametrize("fill", [np.float64(2.5), np.array(3), autograd.tensor(1.5), True], ids=repr)
def test_full_still_takes_numpy_scalars_zero_d_arrays_and_tensors(fill):
    value = fill.item() if hasattr(fill, "item") else fill
    assert autograd.full((2,), fill).tolist() == np.full((2,), value).tolist()


def test_full_like_names_itself_for_a_fill_value_of_the_wrong_shape():
    with pytest.raises(TypeError, match=r"^full_like: got fill_value of shape \(2,\); expected a single"):
        autograd.full_like(autograd.zeros(2), [1.0, 2.0])


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "randn_like", "rand_like"])
@pytest.mark.parametrize("arg", [3, [1.0, 2.0], None], ids=repr)
def test_like_factories_refuse_what_is_not_a_tensor(name, arg):
    with pytest.raises(TypeError, match=rf"^{name}: got {type(arg).__name__}; expected a Tensor"):
        getattr(autograd, name)(arg)


def test_full_like_refuses_what_is_not_a_tensor():
    with pytest.raises(TypeError, match=r"^full_like: got int; expected a Tensor"):
        autograd.full_like(3, 1.0)


# ---------------------------------------------------------------------------------------------- manual_seed


@pytest.mark.parametrize("seed", ["a", "3", 1.5, 2.0, None, True, [1, 2], np.float64(3.0)], ids=repr)
def test_manual_seed_takes_only_ints(seed):
    kind = re.escape(type(seed).__name__)
    shown = re.escape(reprlib.repr(seed))
    message = rf"^manual_seed: got seed of type (numpy\.)?{kind} \({shown}\); expected an int"
    with pytest.raises(TypeError, match=message):
        autograd.manual_seed(seed)


def _draws(seed: object) -> list:
    autograd.manual_seed(seed)
    return autograd.randn(4).tolist()


def test_a_negative_seed_stands_for_its_64_bit_twin_as_in_torch():
    assert _draws(-1) == _draws(2**64 - 1)
    assert _draws(-2**63) == _draws(2**63)
    assert _draws(-5) != _draws(5)
    torch = pytest.importorskip("torch")
    torch.manual_seed(-1)
    a = torch.rand(3)
    torch.manual_seed(2**64 - 1)
    assert torch.equal(a, torch.rand(3))


def test_a_seed_below_minus_two_to_the_63_is_refused_as_in_torch():
    with pytest.raises(ValueError, match=r"^manual_seed: got seed -9223372036854775809; expected an int >= "
                                         r"-2\*\*63"):
        autograd.manual_seed(-2**63 - 1)
    torch = pytest.importorskip("torch")
    with pytest.raises((ValueError, RuntimeError, OverflowError)):
        torch.manual_seed(-2**63 - 1)


def test_numpy_integer_seeds_give_the_same_numbers_as_ints():
    assert _draws(np.int64(7)) == _draws(7)
    assert _draws(np.uint8(7)) == _draws(7)


# ---------------------------------------------------------------------------------------------- reshape, view


@pytest.mark.parametrize("method", ["reshape", "view"])
@pytest.mark.parametrize("args, match", [
    (([2, "a"],), r"got shape \(2, 'a'\), with a size of type str \('a'\); expected ints"),
    ((2, "a"), r"got shape \(2, 'a'\), with a size of type str \('a'\)"),
    ((2.0, 3), r"got shape \(2\.0, 3\), with a size of type float \(2\.0\)"),
    ((True, 6), r"got shape \(True, 6\), with a size of type bool \(True\)"),
    ((None,), r"got shape \(None,\), with a size of type NoneType \(None\)"),
    (("6",), r"got shape \('6',\), with a size of type str \('6'\)"),
], ids=repr)
def test_reshape_and_view_name_a_size_that_is_not_an_int(method, args, match):
    t = autograd.zeros(2, 3)
    with pytest.raises(TypeError, match=rf"^{method}: {match}"):
        getattr(t, method)(*args)


@pytest.mark.parametrize("method", ["reshape", "view"])
def test_reshape_and_view_name_themselves_for_a_bad_shape(method):
    t = autograd.zeros(2, 3)
    with pytest.raises(ValueError, match=rf"^{method}: got shape \(-1, -1\) with 2 negative sizes; "
                                         "expected at most one -1"):
        getattr(t, method)(-1, -1)
    with pytest.raises(ValueError, match=rf"^{method}: cannot reshape a tensor of shape \(2, 3\) "
                                         r"\(6 elements\) into shape \(4, 2\)"):
        getattr(t, method)(4, 2)


def test_view_is_reshape_with_its_own_name():
    x = np.arange(6.0)
    assert autograd.tensor(x).view(3, -1).tolist() == x.reshape(3, -1).tolist()
    assert autograd.tensor(x).view([2, 3]).tolist() == x.reshape(2, 3).tolist()


# ------------------------------------------------------------------------------------ expand, broadcast_to


@pytest.mark.parametrize("sizes, bad", [((2, "a"), "'a'"), ((2, 3.0), "3.0"), ((2, None), "None"),
                                        (([2, "a"],), "'a'")], ids=repr)
def test_expand_and_broadcast_to_name_a_size_that_is_not_an_int(sizes, bad):
    t = autograd.zeros(2, 3)
    for name in ("expand", "broadcast_to"):
        with pytest.raises(TypeError, match=rf"^{name}: got shape .*, with a size of type \w+ \({bad}\)"):
            getattr(t, name)(*sizes)


def test_expand_errors_name_expand_not_broadcast_to():
    t = autograd.zeros(2, 3)
    with pytest.raises(ValueError, match=r"^expand: cannot expand a tensor of shape \(2, 3\) to \(4, 3\); "
                                         "expected each size to equal the tensor's, or the tensor's to be 1"):
        t.expand(4, 3)
    with pytest.raises(ValueError, match=r"^expand: got size -2 in shape \(2, -2\); expected sizes >= 0, "
                                         "or -1 to keep the tensor's size"):
        t.expand(2, -2)
    with pytest.raises(ValueError, match=r"^expand: cannot expand .* to \(5, 4, 3\)"):
        autograd.expand(t, 5, 4, 3)


def test_broadcast_to_keeps_a_size_for_minus_one():
    t = autograd.zeros(2, 3)
    assert t.broadcast_to(2, -1).shape == (2, 3)  # as torch.broadcast_to and expand
    with pytest.raises(ValueError, match=r"^broadcast_to: cannot broadcast a tensor of shape \(2, 3\) to "
                                         r"\(4, 3\)"):
        t.broadcast_to(4, 3)


def test_expand_still_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.arange(3.0).reshape(3, 1)
    assert autograd.tensor(x).expand(2, -1, 4).tolist() == torch.tensor(x).expand(2, -1, 4).tolist()


# ---------------------------------------------------------------------------------------------- tile, repeat


def test_tile_refuses_non_int_reps_with_a_type_error():
    t = autograd.zeros(2)
    with pytest.raises(TypeError, match=r"^tile: got reps 2\.0, with an entry of type float \(2\.0\); "
                                        "expected non-negative ints"):
        t.tile(2.0)
    with pytest.raises(TypeError, match=r"^tile: got reps 'a', with an entry of type str \('a'\)"):
        t.tile("a")
    with pytest.raises(TypeError, match=r"^tile: got reps \(2, True\), with an entry of type bool \(True\)"):
        t.tile((2, True))


def test_repeat_errors_name_repeat_not_tile():
    t = autograd.zeros(2, 3)
    with pytest.raises(TypeError, match=r"^repeat: got sizes \(2, 'a'\), with an entry of type str \('a'\)"):
        t.repeat(2, "a")
    with pytest.raises(TypeError, match=r"^repeat: got sizes \(2, 2\.0\), with an entry of type float "
                                        r"\(2\.0\)"):
        t.repeat(2, 2.0)
    with pytest.raises(ValueError, match=r"^repeat: got sizes=\(2, -1\); expected non-negative ints"):
        t.repeat(2, -1)


# -------------------------------------------------------------------------------------- permute, transpose


def test_permute_and_transpose_name_a_bad_axis():
    t = autograd.zeros(2, 3)
    with pytest.raises(TypeError, match=r"^permute: got dim='a'; expected an int"):
        t.permute(0, "a")
    with pytest.raises(TypeError, match=r"^permute: got dim=1\.0; expected an int"):
        t.permute([0, 1.0])
    with pytest.raises(ValueError, match=r"^permute: got dims \(0, 0\); expected a permutation of \(0, 1\)"):
        t.permute(0, 0)
    with pytest.raises(TypeError, match=r"^transpose: got dim0='a'; expected an int"):
        t.transpose("a", 1)
    with pytest.raises(ValueError, match=r"^transpose: dim1 5 is out of range"):
        t.transpose(0, 5)


# ---------------------------------------------------------------------------------------------- keepdims

REDUCTIONS = ["sum", "mean", "var", "std", "prod", "max", "min", "amax", "amin", "argmax", "argmin",
              "logsumexp"]


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("keepdims", ["a", None, 1.0, 2, [True]], ids=repr)
def test_reductions_refuse_a_keepdims_that_is_not_a_bool(name, keepdims):
    # numpy would refuse some of these with a message about integers, and take others as true
    t = autograd.ones(2, 3)
    with pytest.raises(TypeError, match=rf"^{name}: got keepdims of type {type(keepdims).__name__} "
                                        rf"\({re.escape(repr(keepdims))}\); expected a bool"):
        getattr(t, name)(0, keepdims=keepdims)


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reductions_take_a_numpy_bool_keepdims(name):
    x = np.arange(6.0).reshape(2, 3)
    for flag in (np.True_, np.False_):
        out = getattr(autograd.tensor(x), name)(axis=1, keepdims=flag)
        assert out.tolist() == getattr(autograd.tensor(x), name)(axis=1, keepdims=bool(flag)).tolist()
        assert out.shape == ((2, 1) if flag else (2,))


def test_torch_refuses_a_keepdim_that_is_not_a_bool():
    torch = pytest.importorskip("torch")
    for keepdim in ("a", None, 1):
        with pytest.raises(TypeError):
            torch.ones(2, 3).sum(0, keepdim=keepdim)


# ---------------------------------------------------------------------------------------------- list axes

# (our name, torch's name, extra torch keywords); prod, max and min take one dim in PyTorch
LIST_AXES_LIKE_TORCH = [("sum", "sum", {}), ("mean", "mean", {}), ("var", "var", {"correction": 0}),
                        ("std", "std", {"correction": 0}), ("amax", "amax", {}), ("amin", "amin", {}),
                        ("logsumexp", "logsumexp", {})]


@pytest.mark.parametrize("name, torch_name, kwargs", LIST_AXES_LIKE_TORCH, ids=lambda v: v
                         if isinstance(v, str) else "")
@pytest.mark.parametrize("axes", [[0, 2], [-1], [2, 0, 1], [1]], ids=repr)
@pytest.mark.parametrize("keepdims", [False, True])
def test_a_list_of_axes_reduces_like_torch(name, torch_name, kwargs, axes, keepdims):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    t = Tensor(x, requires_grad=True)
    out = getattr(t, name)(axis=axes, keepdims=keepdims)
    pt = torch.tensor(x, requires_grad=True)
    expected = getattr(pt, torch_name)(dim=axes, keepdim=keepdims, **kwargs)
    assert out.shape == tuple(expected.shape)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(t.grad.numpy(), pt.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name, reference", [("sum", np.sum), ("mean", np.mean), ("prod", np.prod),
                                             ("max", np.max), ("min", np.min), ("var", np.var),
                                             ("std", np.std)], ids=lambda v: v if isinstance(v, str) else "")
@pytest.mark.parametrize("axes", [[0, 1], [1], [-1, 0]], ids=repr)
def test_a_list_of_axes_is_the_tuple_numpy_takes(name, reference, axes):
    x = np.random.default_rng(1).standard_normal((3, 4))
    out = getattr(Tensor(x), name)(axis=axes)
    np.testing.assert_allclose(out.numpy(), reference(x, axis=tuple(axes)), rtol=1e-12)


def test_numpy_itself_refuses_a_list_of_axes():
    with pytest.raises(TypeError):
        np.sum(np.ones((2, 3)), axis=[0, 1])


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "max", "logsumexp", "var"])
def test_a_list_of_axes_with_a_non_int_names_the_reduction(name):
    t = autograd.ones(2, 3)
    with pytest.raises(TypeError, match=rf"^{name}: got axis=\[0, 'a'\]; expected an int"):
        getattr(t, name)(axis=[0, "a"])
    with pytest.raises(TypeError, match=rf"^{name}: got axis=\[0, 1\.0\]"):
        getattr(t, name)(axis=[0, 1.0])


def test_argmax_takes_one_axis_only_as_torch_does():
    with pytest.raises(TypeError, match=r"^argmax: got axis=\[0\]; expected an int or None"):
        autograd.ones(2, 3).argmax(axis=[0])
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.ones(2, 3).argmax(dim=[0])
