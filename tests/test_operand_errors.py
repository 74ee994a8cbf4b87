"""Bad operands and arguments of the elementwise binary ops, broadcast_to, cat, stack, split and chunk:
each error names the op the user called, what it got and what it expected; valid input behaves as in
PyTorch (or numpy, where the docs say chaingrad follows numpy).

Decision on Python operators (``t + 'a'``): an operand of a type no Tensor op can use (str, None, dict,
any object) makes the operator return NotImplemented, so Python raises its own TypeError ("unsupported
operand type(s) for +: 'Tensor' and 'str'"), which names the operator and both types, as PyTorch does.
Lists and arrays are operands chaingrad's operators accept (PyTorch's do not); when one cannot be made a
tensor of numbers, the error names the op (``add``, ``eq``, ...).
"""

from __future__ import annotations

import operator
import re

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, tensor


def f64(values, requires_grad=False):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


# Values that cannot be an operand, with the text of the error that names each: its type and its repr.
BAD_OPERANDS = [
    ("a", r"of type str \('a'\)"),
    (None, r"of type NoneType \(None\)"),
    (["a"], r"of type list \(\['a'\]\)"),
    ({"a": 1}, r"of type dict \(\{'a': 1\}\)"),
    (np.array(["a", "b"]), r"of type numpy\.ndarray \(dtype <U1, shape \(2,\)\)"),
    (1 + 2j, r"of type complex \(\(1\+2j\)\)"),
]
EXPECTED_OPERAND = "expected a Tensor, a number, or an array or (nested) list of numbers"

# The function forms, each called with the bad operand second and first.
BINARY_FUNCTIONS = ["maximum", "minimum", "add", "sub", "mul", "div", "pow", "eq", "ne", "lt", "ge", "matmul"]


@pytest.mark.parametrize("name", BINARY_FUNCTIONS)
@pytest.mark.parametrize("bad, got", BAD_OPERANDS)
def test_binary_function_names_itself_and_the_bad_operand(name, bad, got):
    fn = getattr(ag, name)
    t = f64([1.0, 2.0])
    for args in ((t, bad), (bad, t)):
        message = rf"^{name}: got an operand {got}; {re.escape(EXPECTED_OPERAND)}$"
        with pytest.raises(TypeError, match=message):
            fn(*args)


@pytest.mark.parametrize("name", ["maximum", "minimum", "add", "mul", "eq"])
@pytest.mark.parametrize("bad", ["a", None, {"a": 1}])
def test_binary_function_raises_typeerror_as_torch_does(name, bad):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        getattr(torch, name)(torch.tensor([1.0, 2.0]), bad)
    with pytest.raises(TypeError, match=rf"^{name}: got an operand of type {type(bad).__name__} "):
        getattr(ag, name)(f64([1.0, 2.0]), bad)


@pytest.mark.parametrize("bad, got", BAD_OPERANDS)
def test_where_names_itself_and_the_bad_branch(bad, got):
    t = f64([1.0, -2.0])
    cond = t.data > 0
    for args in ((cond, t, bad), (cond, bad, t)):
        with pytest.raises(TypeError, match=rf"^where: got an operand {got}; "):
            ag.where(*args)


def test_where_names_a_bad_condition_and_its_type():
    t = f64([1.0, -2.0])
    with pytest.raises(TypeError, match=r"^where: got a condition of type NoneType \(None\), of dtype "
                                        r"object; expected booleans"):
        ag.where(None, t, t)
    with pytest.raises(ValueError, match=r"^where: got a condition of type list .* nested lists differ in "
                                         r"length; expected booleans"):
        ag.where([[True], [True, False]], t, t)
    # a tensor condition keeps the short form, which already says all
    with pytest.raises(TypeError, match=r"^where: the condition has dtype float64; expected booleans"):
        ag.where(t, t, t)


@pytest.mark.parametrize("symbol, fn, op", [("+", operator.add, "add"), ("-", operator.sub, "sub"),
                                            ("*", operator.mul, "mul"), ("/", operator.truediv, "div"),
                                            ("**", operator.pow, "pow")])
def test_operators_refuse_unusable_types_as_python_and_torch_do(symbol, fn, op):
    torch = pytest.importorskip("torch")
    t = f64([1.0, 2.0])
    for bad in ("a", None, {"a": 1}, object()):
        with pytest.raises(TypeError):
            fn(torch.tensor([1.0, 2.0]), bad)
        with pytest.raises(TypeError):
            fn(bad, torch.tensor([1.0, 2.0]))
        # Python asks the str next (``'a' * n`` repeats it), which has its own words for the refusal
        name = type(bad).__name__
        message = "can't multiply sequence" if isinstance(bad, str) and symbol == "*" else (
            rf"^unsupported operand type\(s\) for {re.escape(symbol)}.*: 'Tensor' and '{name}'$")
        with pytest.raises(TypeError, match=message):
            fn(t, bad)
        with pytest.raises(TypeError):  # a str's own operators answer first ("can only concatenate str")
            fn(bad, t)
    # A list or an array is converted, and when that fails the error names the op, from either side.
    for bad, got in (BAD_OPERANDS[2], BAD_OPERANDS[4]):
        for args in ((t, bad), (bad, t)):
            with pytest.raises(TypeError, match=rf"^{op}: got an operand {got}; "):
                fn(*args)


def test_comparison_operators_with_unusable_operands():
    torch = pytest.importorskip("torch")
    t = f64([1.0, 2.0])
    # A str or None is simply unequal, as in PyTorch and Python.
    assert (t == "a") is False and (torch.tensor([1.0, 2.0]) == "a") is False
    assert (t != None) is True  # noqa: E711 - the operator is what is tested
    # A list is an operand here (PyTorch's == answers False instead); one of strings names eq.
    with pytest.raises(TypeError, match=r"^eq: got an operand of type list \(\['a'\]\); "):
        t == ["a"]  # noqa: B015
    with pytest.raises(TypeError, match=r"^lt: got an operand of type list \(\['a'\]\); "):
        t < ["a"]  # noqa: B015


@pytest.mark.parametrize("name", ["add", "maximum", "where"])
def test_a_ragged_list_operand_names_the_op(name):
    t = f64([1.0, 2.0])
    args = (t.data > 0, t, [1.0, [2.0, 3.0]]) if name == "where" else (t, [1.0, [2.0, 3.0]])
    with pytest.raises(ValueError, match=rf"^{name}: got an operand of type list \(\[1\.0, \[2\.0, 3\.0\]\]"
                                         r"\) whose nested lists differ in length; expected a rectangular"):
        getattr(ag, name)(*args)
    with pytest.raises(ValueError):
        np.asarray([1.0, [2.0, 3.0]])  # numpy refuses it too: the error is about the operand


def test_a_list_holding_tensors_names_the_op_and_points_to_stack():
    t = f64([1.0, 2.0])
    with pytest.raises(TypeError, match=r"^maximum: got a list that holds Tensors; .*autograd\.stack"):
        ag.maximum(t, [t, t])
    with pytest.raises(TypeError, match=r"^mul: got a list that holds Tensors; .*autograd\.stack"):
        t * [t, t]


def test_an_int_too_large_for_an_integer_tensor_names_the_op():
    t = tensor(np.array([1, 2], dtype=np.int64))
    big = 2 ** 70
    with pytest.raises(OverflowError, match=rf"^add: got an operand of type int \({big}\) that does not "
                                            r"fit in the other operand's integer dtype; expected"):
        t + big
    with pytest.raises(OverflowError, match=rf"^maximum: got an operand of type int \({big}\) "):
        ag.maximum(t, big)
    assert (tensor([1.0]) + big).tolist() == [1.0 + float(big)]  # a float tensor takes it


def test_valid_operands_still_behave_as_numpy():
    a = np.array([1.0, -2.0, 3.0])
    t = f64(a)
    np.testing.assert_array_equal(ag.maximum(t, 0).data, np.maximum(a, 0))
    np.testing.assert_array_equal(ag.minimum([0.0, 0.0, 5.0], t).data, np.minimum([0.0, 0.0, 5.0], a))
    np.testing.assert_array_equal((t + [1.0, 2.0, 3.0]).data, a + [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(ag.where(a > 0, t, np.zeros(3)).data, np.where(a > 0, a, 0.0))
    np.testing.assert_array_equal(ag.eq(t, np.array([1.0, 0.0, 3.0])).data, a == [1.0, 0.0, 3.0])
    assert ag.add(t, True).tolist() == (a + True).tolist()


# ------------------------------------------------------------------------------------------ normalize_axis

@pytest.mark.parametrize("axis", [1.0, "a", [0, 1.5], True])
def test_axis_error_says_lists_are_accepted(axis):
    with pytest.raises(TypeError, match=rf"^sum: got axis={re.escape(repr(axis))}; expected an int, a tuple "
                                        r"or list of ints, or None$"):
        f64(np.ones((2, 3))).sum(axis=axis)


def test_an_axis_list_reduces_as_numpy():
    a = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(f64(a).sum(axis=[0, 2]).data, a.sum(axis=(0, 2)))


# ------------------------------------------------------------------------------------------ broadcast_to

@pytest.mark.parametrize("source, shape", [
    ((3, 1), (-1, 4)),
    ((3, 1), (2, -1, 4)),
    ((3, 1), (-1, -1)),
    ((3, 1), (5, -1, -1)),
    ((1,), (2, -1)),
    ((2, 1, 3), (-1, 4, -1)),
    ((), (2, 3)),
])
def test_broadcast_to_keeps_a_size_for_minus_one_as_torch(source, shape):
    torch = pytest.importorskip("torch")
    a = np.arange(1.0, 1.0 + np.prod(source)).reshape(source)
    g = np.random.default_rng(0).normal(size=torch.broadcast_to(torch.tensor(a), shape).shape)
    x = f64(a, requires_grad=True)
    out = x.broadcast_to(shape)
    xt = torch.tensor(a, requires_grad=True)
    ref = torch.broadcast_to(xt, shape)
    assert out.shape == tuple(ref.shape)
    np.testing.assert_array_equal(out.data, ref.detach().numpy())
    out.backward(f64(g))
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad.data, xt.grad.numpy())
    assert ag.broadcast_to(f64(a), *shape).shape == out.shape  # the function form, sizes unpacked


def test_broadcast_to_refuses_minus_one_where_there_is_no_size_to_keep():
    torch = pytest.importorskip("torch")
    x = ag.zeros(3, 1)
    for shape in ((-1, 3, 4), (-1,), (-2, 4), (4, -1)):
        with pytest.raises(RuntimeError):
            torch.broadcast_to(torch.zeros(3, 1), shape)
    with pytest.raises(ValueError, match=r"^broadcast_to: got size -1 for new leading dimension 0 of shape "
                                         r"\(-1, 3, 4\) \(the tensor's shape is \(3, 1\)\); expected -1 only "
                                         r"for existing dimensions"):
        x.broadcast_to(-1, 3, 4)
    with pytest.raises(ValueError, match=r"^broadcast_to: got shape \(-1,\) with -1 for a tensor of shape "
                                         r"\(3, 1\); expected at least 2 sizes"):
        x.broadcast_to(-1)
    with pytest.raises(ValueError, match=r"^broadcast_to: got size -2 in shape \(-2, 4\); expected sizes "
                                         r">= 0, or -1 to keep the tensor's size$"):
        x.broadcast_to(-2, 4)
    with pytest.raises(ValueError, match=r"^broadcast_to: cannot broadcast a tensor of shape \(3, 1\) to "
                                         r"\(4, -1\)"):
        x.broadcast_to(4, -1)
    with pytest.raises(TypeError, match=r"^broadcast_to: got shape \(-1, 1\.5\), with a size of type float "
                                        r"\(1\.5\); expected ints$"):
        x.broadcast_to(-1, 1.5)
    with pytest.raises(TypeError, match=r"^broadcast_to: got shape \(-1, array\(\[1, 2\]\)\), with a size "
                                        r"of type numpy\.ndarray"):
        x.broadcast_to(-1, np.array([1, 2]))


# ------------------------------------------------------------------------------------------ cat, stack

@pytest.mark.parametrize("name", ["cat", "stack"])
@pytest.mark.parametrize("bad, got", [(None, r"of type NoneType \(None\)"), (3, r"of type int \(3\)"),
                                      ("ab", r"of type str \('ab'\)")])
def test_cat_stack_refuse_a_non_sequence(name, bad, got):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        getattr(torch, name)(bad)
    with pytest.raises(TypeError, match=rf"^{name}: got tensors {got}; expected a sequence \(list or tuple\) "
                                        r"of tensors$"):
        getattr(ag, name)(bad)


@pytest.mark.parametrize("name", ["cat", "stack"])
@pytest.mark.parametrize("bad, got", [("x", r"of type str \('x'\)"), (None, r"of type NoneType \(None\)"),
                                      (np.array([["a", "b", "c"]]),
                                       r"of type numpy\.ndarray \(dtype <U1, shape \(1, 3\)\)")])
def test_cat_stack_name_an_element_that_is_not_a_tensor(name, bad, got):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        getattr(torch, name)([torch.zeros(1, 3), bad])
    with pytest.raises(TypeError, match=rf"^{name}: got element 1 {got}; expected a Tensor \(or an array or "
                                        r"rectangular nested list of numbers\)$"):
        getattr(ag, name)([ag.zeros(1, 3), bad])


def test_cat_names_a_ragged_element():
    with pytest.raises(ValueError, match=r"^cat: got element 0 of type list \(\[\[1\.0\], \[2\.0, 3\.0\]\]"
                                         r"\); expected a Tensor"):
        ag.cat([[[1.0], [2.0, 3.0]], ag.zeros(2)])


def test_cat_stack_empty_and_mismatched_raise_where_torch_does():
    torch = pytest.importorskip("torch")
    for name in ("cat", "stack"):
        with pytest.raises((ValueError, RuntimeError)):
            getattr(torch, name)([])
        with pytest.raises(ValueError, match=rf"^{name}: got an empty sequence; expected at least one "
                                             r"tensor$"):
            getattr(ag, name)([])
    with pytest.raises(RuntimeError):
        torch.cat([torch.zeros(2, 3), torch.zeros(1, 4)])
    with pytest.raises(ValueError, match=r"^cat: tensor 1 has shape \(1, 4\) and tensor 0 has shape "
                                         r"\(2, 3\); expected .* equal sizes except along axis 0$"):
        ag.cat([ag.zeros(2, 3), ag.zeros(1, 4)])
    with pytest.raises(RuntimeError):
        torch.stack([torch.zeros(2, 3), torch.zeros(1, 3)])
    with pytest.raises(ValueError, match=r"^stack: tensor 1 has shape \(1, 3\) and tensor 0 has shape "
                                         r"\(2, 3\); expected all shapes equal$"):
        ag.stack([ag.zeros(2, 3), ag.zeros(1, 3)])


def test_cat_names_the_0d_tensor_wherever_it_is():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="zero-dimensional"):
        torch.cat([torch.zeros(2), torch.tensor(1.0)])
    with pytest.raises(ValueError, match=r"^cat: tensor 1 is 0-d; expected tensors with at least one "
                                         r"dimension"):
        ag.cat([ag.zeros(2), tensor(1.0)])
    with pytest.raises(ValueError, match=r"^cat: tensor 0 is 0-d; "):
        ag.cat([tensor(1.0), ag.zeros(2)])


@pytest.mark.parametrize("axis, error, text", [(2, ValueError, r"axis 2 is out of range"),
                                               (-3, ValueError, r"axis -3 is out of range"),
                                               (1.0, TypeError, r"got axis=1\.0; expected an int"),
                                               (None, TypeError, r"got axis=None; expected an int")])
def test_cat_bad_axis_is_named(axis, error, text):
    torch = pytest.importorskip("torch")
    with pytest.raises((IndexError, TypeError)):
        torch.cat([torch.zeros(2, 3)], dim=axis)
    with pytest.raises(error, match=rf"^cat: {text}"):
        ag.cat([ag.zeros(2, 3)], axis=axis)


@pytest.mark.parametrize("dtypes", [("int64", "float32"), ("bool", "int64"), ("float32", "float64"),
                                    ("uint8", "int8"), ("bool", "float32")])
def test_cat_stack_of_mixed_dtypes_promote_as_numpy(dtypes):
    # chaingrad's documented rule is numpy's promotion (PyTorch keeps float32 for int64 with float32)
    arrays = [np.arange(3).astype(d) for d in dtypes]
    out = ag.cat([tensor(a) for a in arrays])
    ref = np.concatenate(arrays)
    assert out.dtype == ref.dtype
    np.testing.assert_array_equal(out.data, ref)
    assert ag.stack([tensor(a) for a in arrays]).dtype == np.stack(arrays).dtype


def test_cat_accepts_arrays_and_generators_as_before():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ag.cat(t for t in [f64(a), a[:1]]).data, np.concatenate([a, a[:1]]))
    np.testing.assert_array_equal(ag.stack((f64(a), a.tolist()), axis=-1).data, np.stack([a, a], axis=-1))


# ------------------------------------------------------------------------------------------ split, chunk

@pytest.mark.parametrize("bad, got", [(2.0, r"of type float \(2\.0\)"), (None, r"of type NoneType \(None\)"),
                                      ("ab", r"of type str \('ab'\)"), (True, r"of type bool \(True\)")])
def test_split_refuses_a_size_that_is_not_an_int_or_sequence(bad, got):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.arange(5.0).split(bad)
    with pytest.raises(TypeError, match=rf"^split: got split_size_or_sections {got}; expected an int "
                                        r"\(the size of the pieces\) or a sequence of ints \(one size per "
                                        r"piece\)$"):
        ag.arange(5.0).split(bad)


def test_split_sections_must_be_ints_that_add_up():
    torch = pytest.importorskip("torch")
    t = torch.arange(5.0)
    x = ag.arange(5.0)
    with pytest.raises(TypeError):
        t.split([1.0, 4])
    with pytest.raises(TypeError, match=r"^split: got sections \[1\.0, 4\], with a size of type float "
                                        r"\(1\.0\); expected a sequence of ints$"):
        x.split([1.0, 4])
    for sections in ([1, 2], [-1, 6], []):
        with pytest.raises(RuntimeError):
            t.split(sections)
        with pytest.raises(ValueError, match=rf"^split: got sections {re.escape(str(sections))} for axis 0 "
                                             r"of size 5 \(tensor of shape \(5,\)\); expected non-negative "
                                             r"ints that add up to 5$"):
            x.split(sections)
    # numpy ints are ints, and the message shows them as plain ints
    with pytest.raises(ValueError, match=r"^split: got sections \[2, 2\] for axis 0"):
        x.split(np.array([2, 2]))


def test_split_size_zero_only_for_an_empty_axis_as_torch():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.arange(5.0).split(0)
    with pytest.raises(ValueError, match=r"^split: got split_size=0 for axis 0 of size 5; expected a "
                                         r"positive int \(0 only for an axis of size 0\)$"):
        ag.arange(5.0).split(0)
    assert [p.shape for p in ag.zeros(0).split(0)] == [tuple(p.shape) for p in torch.zeros(0).split(0)]


@pytest.mark.parametrize("chunks", [2.0, True, "a", None])
def test_chunk_refuses_a_non_int_with_typeerror_as_torch(chunks):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.arange(5.0).chunk(chunks)
    with pytest.raises(TypeError, match=rf"^chunk: got chunks of type {type(chunks).__name__} "
                                        rf"\({re.escape(repr(chunks))}\); expected a positive int$"):
        ag.arange(5.0).chunk(chunks)


@pytest.mark.parametrize("chunks", [0, -1])
def test_chunk_refuses_zero_and_negative_counts(chunks):
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.arange(5.0).chunk(chunks)
    with pytest.raises(ValueError, match=rf"^chunk: got chunks={chunks}; expected a positive int$"):
        ag.arange(5.0).chunk(chunks)


@pytest.mark.parametrize("name, expected", [("split", [[0.0, 1.0], [2.0, 3.0], [4.0]]),
                                            ("chunk", [[0.0, 1.0, 2.0], [3.0, 4.0]])])
def test_split_chunk_give_tensors_for_an_array_not_slices_of_it(name, expected):
    # a numpy array has a .data too (a memoryview): slicing that once gave arrays back
    pieces = getattr(ag, name)(np.arange(5.0), 2)
    assert all(type(p) is Tensor for p in pieces)
    assert [p.tolist() for p in pieces] == expected


def test_valid_split_and_chunk_match_torch():
    torch = pytest.importorskip("torch")
    a = np.arange(14.0).reshape(7, 2)
    x, t = f64(a), torch.tensor(a)
    cases = [(x.split(3), t.split(3)), (x.split(np.array([2, 5])), t.split([2, 5])),
             (x.split((0, 7)), t.split((0, 7))), (x.split(np.int64(4)), t.split(4)),
             (x.chunk(3), t.chunk(3)), (x.chunk(np.int32(10)), t.chunk(10)),
             (x.split(1, axis=-1), t.split(1, -1))]
    for ours, ref in cases:
        assert len(ours) == len(ref)
        for o, r in zip(ours, ref):
            np.testing.assert_array_equal(o.data, r.numpy())
