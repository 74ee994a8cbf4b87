"""The bitwise operators and functions on bool and integer tensors: ``& | ^ ~ << >>``, their reflected and
in-place forms, and ``bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_left_shift
bitwise_right_shift``.

Values and result dtypes are compared with PyTorch (and numpy) for every pair of operand dtypes and for
Python numbers on either side; shifts by negative and oversized counts, in-place updates, broadcasting,
and the errors for floating operands (which PyTorch refuses) are checked too.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np
import pytest

import autograd
from autograd import Tensor

torch = pytest.importorskip("torch")

# name -> (function, operator, in-place operator)
BINARY = {
    "bitwise_and": (autograd.bitwise_and, operator.and_, operator.iand),
    "bitwise_or": (autograd.bitwise_or, operator.or_, operator.ior),
    "bitwise_xor": (autograd.bitwise_xor, operator.xor, operator.ixor),
    "bitwise_left_shift": (autograd.bitwise_left_shift, operator.lshift, operator.ilshift),
    "bitwise_right_shift": (autograd.bitwise_right_shift, operator.rshift, operator.irshift),
}
SHIFTS = {"bitwise_left_shift", "bitwise_right_shift"}
DTYPES = [np.bool_, np.uint8, np.int8, np.int16, np.int32, np.int64]
RNG = np.random.default_rng(11)


def _values(dtype, shape=(3, 4), shift_counts=False):
    if dtype is np.bool_:
        return RNG.random(shape) < 0.5
    if shift_counts:  # counts within the width of every dtype, so that numpy and C agree
        return RNG.integers(0, 8, shape).astype(dtype)
    info = np.iinfo(dtype)
    return RNG.integers(max(info.min, -1000), min(info.max, 1000), shape, endpoint=True).astype(dtype)


def _torch_result(name, a, b):
    return getattr(torch, name)(torch.tensor(a) if isinstance(a, np.ndarray) else a,
                                torch.tensor(b) if isinstance(b, np.ndarray) else b)


def _same(ours, theirs):
    assert type(ours) is Tensor and not ours.requires_grad
    assert str(theirs.dtype) == f"torch.{ours.dtype}"
    assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("da, db", list(itertools.product(DTYPES, DTYPES)),
                         ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_every_pair_of_dtypes_matches_torch(name, da, db):
    fn, op, _ = BINARY[name]
    shift = name in SHIFTS
    a, b = _values(da), _values(db, shape=(4,), shift_counts=shift)  # b broadcasts
    if shift and da is np.bool_ and db is np.bool_:  # as PyTorch refuses it
        with pytest.raises(TypeError, match=f"^{name}: got two bool operands; expected an integer one"):
            fn(a, b)
        return
    theirs = _torch_result(name, a, b)
    for ours in (fn(Tensor(a), Tensor(b)), op(Tensor(a), Tensor(b)), getattr(Tensor(a), name)(Tensor(b)),
                 op(a, Tensor(b)), op(Tensor(a), b), fn(a, b)):
        _same(ours, theirs)


@pytest.mark.parametrize("number", [3, -2, True, False], ids=repr)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_python_numbers_on_either_side_match_torch(name, dtype, number):
    fn, op, _ = BINARY[name]
    x = _values(dtype, shift_counts=name in SHIFTS)
    if dtype is np.uint8 and number == -2:  # PyTorch wraps -2 around; chaingrad says it does not fit
        with pytest.raises(OverflowError, match=f"^{name}: got an operand of type int .* does not fit"):
            op(Tensor(x), number)
        return
    if name in SHIFTS and dtype is np.bool_ and isinstance(number, bool):  # as PyTorch refuses it
        with pytest.raises(TypeError, match=f"^{name}: got two bool operands"):
            op(number, Tensor(x))
        return
    _same(op(Tensor(x), number), _torch_result(name, x, number))
    _same(op(number, Tensor(x)), _torch_result(name, number, x))


@pytest.mark.parametrize("name", sorted(SHIFTS))
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32, np.int64], ids=lambda d: np.dtype(d).name)
def test_shifts_by_negative_and_oversized_counts_match_torch(name, dtype):
    fn, _, _ = BINARY[name]
    info = np.iinfo(dtype)
    x = np.array([1, 5, info.max, info.min, 0] + ([-7, -1] if info.min else [200, 255]), dtype=dtype)
    for count in (-1, -70, 0, 1, 7, 8, 31, 32, 63, 64, 70):
        if not info.min and count < 0:
            continue  # a negative count beside an unsigned tensor does not fit its dtype
        _same(fn(Tensor(x), count), _torch_result(name, x, count))
        counts = np.full(x.shape, count, dtype=np.int64)  # as a tensor of counts: int64 results
        _same(fn(Tensor(x), Tensor(counts)), _torch_result(name, x, counts))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_bitwise_not_matches_torch(dtype):
    x = _values(dtype)
    theirs = torch.bitwise_not(torch.tensor(x))
    for ours in (~Tensor(x), autograd.bitwise_not(x), Tensor(x).bitwise_not()):
        _same(ours, theirs)


def test_lists_and_arrays_are_taken_as_tensors_are():
    _same(autograd.bitwise_and([12, 10], np.array([10, 6])), torch.bitwise_and(torch.tensor([12, 10]),
                                                                              torch.tensor([10, 6])))
    _same(autograd.bitwise_not([[0, 5]]), torch.bitwise_not(torch.tensor([[0, 5]])))
    _same(autograd.bitwise_or(True, [False, True]), torch.tensor(True) | torch.tensor([False, True]))


def test_masks_combine_from_comparisons_of_tensors_that_require_grad():
    x = Tensor(np.array([-1.0, 0.5, 2.0]), requires_grad=True)
    inside = (x > 0) & (x < 1)
    assert inside.tolist() == [False, True, False] and not inside.requires_grad
    assert ((x < 0) | (x > 1)).tolist() == [True, False, True]
    assert (~inside).tolist() == [True, False, True]
    autograd.where(inside, x, 0.0).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]


IN_PLACE_DTYPES = [(np.int64, np.int64), (np.int32, np.int64), (np.bool_, np.bool_), (np.int64, np.bool_),
                   (np.uint8, np.uint8), (np.int16, np.int8)]


# a shift of two bools is refused: see test_in_place_errors
IN_PLACE_CASES = [(name, da, db) for name in sorted(BINARY) for da, db in IN_PLACE_DTYPES
                  if not (name in SHIFTS and da is np.bool_)]


@pytest.mark.parametrize("name, da, db", IN_PLACE_CASES,
                         ids=lambda v: v if isinstance(v, str) else np.dtype(v).name)
def test_in_place_forms_change_the_tensor_as_torch_does(name, da, db):
    _, _, iop = BINARY[name]
    a, b = _values(da), _values(db, shape=(4,), shift_counts=name in SHIFTS)
    x = Tensor(a.copy())
    data = x.data
    y = iop(x, Tensor(b))
    t = torch.tensor(a.copy())
    iop(t, torch.tensor(b))
    assert y is x and x.data is data  # in place: the same tensor and array
    assert x.dtype == a.dtype and x.tolist() == t.tolist()


def test_in_place_errors():
    b = Tensor(np.array([True, False]))
    with pytest.raises(TypeError, match=r"^&=: cannot update a tensor of shape \(2,\) and dtype bool in"):
        b &= Tensor(np.array([1, 2]))  # an int64 result does not fit a bool tensor (PyTorch refuses it too)
    assert b.tolist() == [True, False]
    with pytest.raises(TypeError, match=r"^\|=: cannot update a tensor of shape \(2,\) and dtype bool"):
        b |= 2
    i = Tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match=r"^bitwise_or: got operands of dtypes int64 and float32; expected"):
        i |= 1.5
    with pytest.raises(TypeError, match=r"^bitwise_left_shift: got two bool operands"):
        b <<= True
    assert i.tolist() == [1, 2] and b.tolist() == [True, False]


@pytest.mark.parametrize("name", sorted(BINARY))
def test_floating_operands_are_refused_as_in_torch(name):
    fn, op, iop = BINARY[name]
    f, i = Tensor(np.array([1.0, 2.0])), Tensor(np.array([1, 2]))
    message = rf"^{name}: got operands of dtypes (\w*float\w* and \w+|\w+ and \w*float\w*); expected bool"
    for call in (lambda: fn(f, i), lambda: op(i, f), lambda: op(f, 1), lambda: op(1, f), lambda: op(i, 1.5),
                 lambda: iop(Tensor(np.array([1, 2])), f)):
        with pytest.raises(TypeError, match=message):
            call()
    with pytest.raises((NotImplementedError, RuntimeError, TypeError)):  # the reference: torch refuses them
        op(torch.tensor([1.0, 2.0]), torch.tensor([1, 2]))


def test_bitwise_not_refuses_floats_and_names_itself():
    with pytest.raises(TypeError, match=r"^bitwise_not: got a tensor of dtype float32; expected a bool or"):
        ~Tensor([1.0])
    with pytest.raises(TypeError, match=r"^bitwise_not: got an argument of type str \('a'\)"):
        autograd.bitwise_not("a")
    with pytest.raises(TypeError):  # the reference
        ~torch.tensor([1.0])


def test_shapes_that_do_not_broadcast_raise_naming_the_op():
    with pytest.raises(ValueError, match=r"^bitwise_xor: shapes \(2,\) and \(3,\) cannot be broadcast"):
        Tensor(np.array([1, 2])) ^ Tensor(np.array([1, 2, 3]))


def test_operands_that_are_not_numbers_raise_naming_the_op():
    with pytest.raises(TypeError, match=r"^bitwise_and: got an operand of type str \('a'\)"):
        Tensor(np.array([1, 2])) & "a"
    with pytest.raises(TypeError, match=r"^bitwise_left_shift: got an operand of type NoneType"):
        None << Tensor(np.array([1, 2]))  # noqa: B018 - the error is the point


def test_a_numpy_array_on_the_left_gives_a_tensor():
    out = np.array([12, 10]) & Tensor(np.array([10, 6]))
    assert type(out) is Tensor and out.tolist() == [8, 2]
    out = np.array([1, 2]) << Tensor(np.array([1, 1]))
    assert type(out) is Tensor and out.tolist() == [2, 4]
