"""PyTorch's writes at indices: ``index_add``, ``index_copy``, ``index_fill``, ``masked_scatter``, ``put``
(and the read ``take``), ``diagonal_scatter``, ``select_scatter`` and ``slice_scatter``, with the in-place
forms ``index_add_``, ``index_copy_``, ``index_fill_``, ``masked_scatter_`` and ``put_``.

Against torch: values, dtypes and shapes, gradients in float64, and which calls raise; on their own:
``gradcheck`` and ``gradgradcheck``, the messages of the errors, and the rules of in-place methods here
(nothing recorded, every change stamped for the backward pass's check)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

import autograd
from autograd import Tensor, gradcheck, gradgradcheck

_RNG = np.random.default_rng(20260514)


def normal(*shape: int) -> np.ndarray:
    return _RNG.standard_normal(shape)


def idx(*values: Any, dtype: Any = np.int64) -> np.ndarray:
    return np.array(values, dtype=dtype)


@dataclass(frozen=True)
class Case:
    id: str
    fn: Callable[..., Any]  # fn(lib, *tensors): the call, the same for autograd and torch
    inputs: tuple[np.ndarray, ...]  # the float ones are differentiated


def _ix(lib, a: np.ndarray):
    return lib.tensor(a)


MASK = np.array([[True, False, True], [False, True, False]])
CASES = [
    # index_add
    Case("index_add dim 0, repeated", lambda L, x, s: x.index_add(0, _ix(L, idx(2, 0, 2)), s),
         (normal(3, 2), normal(3, 2))),
    Case("index_add dim -1, alpha", lambda L, x, s: x.index_add(-1, _ix(L, idx(1, 1, 0)), s, alpha=-0.5),
         (normal(2, 3), normal(2, 3))),
    Case("index_add function, int32 index",
         lambda L, x, s: L.index_add(x, 1, _ix(L, idx(3, 0, dtype=np.int32)), s, alpha=2),
         (normal(2, 4, 2), normal(2, 2, 2))),
    Case("index_add 0-d index", lambda L, x, s: x.index_add(0, _ix(L, np.array(1)), s),
         (normal(3, 2), normal(1, 2))),
    Case("index_add 0-d tensor", lambda L, x, s: x.index_add(0, _ix(L, idx(0)), s), (normal(), normal())),
    Case("index_add empty index", lambda L, x, s: x.index_add(0, _ix(L, idx()), s),
         (normal(3, 2), normal(0, 2))),
    # index_copy
    Case("index_copy dim 0", lambda L, x, s: x.index_copy(0, _ix(L, idx(2, 0)), s),
         (normal(3, 2), normal(2, 2))),
    Case("index_copy dim 1, function", lambda L, x, s: L.index_copy(x, 1, _ix(L, idx(3, 1, 0)), s),
         (normal(2, 4), normal(2, 3))),
    Case("index_copy 0-d tensor", lambda L, x, s: x.index_copy(0, _ix(L, idx(0)), s), (normal(), normal())),
    Case("index_copy scalar source", lambda L, x, s: x.index_copy(0, _ix(L, idx(2)), s),
         (normal(4), normal())),
    Case("index_copy 0-d index", lambda L, x, s: x.index_copy(0, _ix(L, np.array(1)), s),
         (normal(3, 2), normal(1, 2))),
    # index_fill
    Case("index_fill number, negative index", lambda L, x: x.index_fill(1, _ix(L, idx(0, -1)), -2.5),
         (normal(2, 4),)),
    Case("index_fill 0-d tensor value", lambda L, x, v: x.index_fill(0, _ix(L, idx(1, 1, 2)), v),
         (normal(3, 2), normal())),
    Case("index_fill function, 0-d tensor", lambda L, x, v: L.index_fill(x, -1, _ix(L, idx(0)), v),
         (normal(), normal())),
    Case("index_fill 0-d index", lambda L, x: x.index_fill(0, _ix(L, np.array(2)), 1.0), (normal(3, 2),)),
    # masked_scatter
    Case("masked_scatter", lambda L, x, s: x.masked_scatter(_ix(L, MASK), s), (normal(2, 3), normal(2, 3))),
    Case("masked_scatter mask broadcast", lambda L, x, s: x.masked_scatter(_ix(L, MASK[0]), s),
         (normal(2, 3), normal(7))),
    Case("masked_scatter input broadcast", lambda L, x, s: L.masked_scatter(x, _ix(L, MASK), s),
         (normal(3), normal(2, 2))),
    Case("masked_scatter 0-d source", lambda L, x, s: x.masked_scatter(_ix(L, MASK[0, :2]), s),
         (normal(2), normal())),
    Case("masked_scatter 0-d", lambda L, x, s: x.masked_scatter(_ix(L, np.array(True)), s),
         (normal(), normal(2))),
    Case("masked_scatter no True", lambda L, x, s: x.masked_scatter(_ix(L, ~np.ones(3, bool)), s),
         (normal(3), normal(0))),
    # take and put
    Case("take", lambda L, x: x.take(_ix(L, np.array([[5, 0], [-1, 5]]))), (normal(2, 3),)),
    Case("take function, 0-d index", lambda L, x: L.take(x, _ix(L, np.array(-2))), (normal(2, 3),)),
    Case("take from 0-d", lambda L, x: x.take(_ix(L, idx(0, -1, 0))), (normal(),)),
    Case("put", lambda L, x, s: x.put(_ix(L, idx(0, -1)), s), (normal(2, 3), normal(2))),
    Case("put shapes differ", lambda L, x, s: L.put(x, _ix(L, np.array([[4, 1]])), s),
         (normal(2, 3), normal(2))),
    Case("put accumulate, repeated", lambda L, x, s: x.put(_ix(L, idx(1, 1, -5)), s, accumulate=True),
         (normal(2, 3), normal(3))),
    Case("put 0-d source", lambda L, x, s: x.put(_ix(L, np.array(3)), s), (normal(4), normal())),
    # diagonal_scatter
    Case("diagonal_scatter", lambda L, x, s: x.diagonal_scatter(s), (normal(3, 4), normal(3))),
    Case("diagonal_scatter offset 1", lambda L, x, s: L.diagonal_scatter(x, s, 1), (normal(3, 4), normal(3))),
    Case("diagonal_scatter offset -1", lambda L, x, s: x.diagonal_scatter(s, -1), (normal(3, 4), normal(2))),
    Case("diagonal_scatter offset beyond", lambda L, x, s: x.diagonal_scatter(s, 5),
         (normal(3, 4), normal(0))),
    Case("diagonal_scatter 3-d", lambda L, x, s: x.diagonal_scatter(s, 0, 0, 2),
         (normal(2, 3, 4), normal(3, 2))),
    Case("diagonal_scatter dims swapped", lambda L, x, s: x.diagonal_scatter(s, offset=-1, dim1=-1, dim2=-3),
         (normal(2, 3, 4), normal(3, 2))),
    # select_scatter
    Case("select_scatter", lambda L, x, s: x.select_scatter(s, 0, 1), (normal(3, 4), normal(4))),
    Case("select_scatter negative", lambda L, x, s: L.select_scatter(x, s, -1, -2),
         (normal(2, 3, 4), normal(2, 3))),
    Case("select_scatter 1-d", lambda L, x, s: x.select_scatter(s, 0, 2), (normal(3), normal())),
    # slice_scatter
    Case("slice_scatter", lambda L, x, s: x.slice_scatter(s), (normal(3, 4), normal(3, 4))),
    Case("slice_scatter step", lambda L, x, s: L.slice_scatter(x, s, 1, 1, None, 2),
         (normal(3, 4), normal(3, 2))),
    Case("slice_scatter negative start, clipped end",
         lambda L, x, s: x.slice_scatter(s, dim=0, start=-2, end=99), (normal(3, 4), normal(2, 4))),
    Case("slice_scatter empty", lambda L, x, s: x.slice_scatter(s, 1, 3, 1), (normal(3, 4), normal(3, 0))),
]


def _run(lib, case: Case, requires_grad: bool):
    tensors = [lib.tensor(a.copy(), requires_grad=requires_grad) for a in case.inputs]
    return tensors, case.fn(lib, *tensors)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_values_dtypes_shapes_and_float64_gradients_match_torch(case, torch):
    ours_in, ours = _run(autograd, case, True)
    theirs_in, theirs = _run(torch, case, True)
    assert ours.dtype == np.float64 and ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    weights = normal(*ours.shape)
    (ours * Tensor(weights)).sum().backward()
    (theirs * torch.tensor(weights)).sum().backward()
    for a, b in zip(ours_in, theirs_in):
        assert a.grad.dtype == np.float64 and a.grad.shape == a.shape
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_first_and_second_derivatives_pass_gradcheck(case):
    def f(*xs):
        out = case.fn(autograd, *xs)
        return out * out  # a nonlinearity, so that the second derivative goes through the op's backward

    inputs = [Tensor(a.copy()) for a in case.inputs]
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


@pytest.mark.parametrize("dtype", ["float32", "int64", "int32", "uint8"])
def test_results_keep_the_input_dtype_as_in_torch(dtype, torch):
    data = np.arange(6).reshape(2, 3).astype(dtype)
    calls = [
        lambda L, x: x.index_add(1, L.tensor(idx(2, 2)), L.tensor(np.ones((2, 2), dtype)), alpha=3),
        lambda L, x: x.index_copy(0, L.tensor(idx(1)), L.tensor(np.full((1, 3), 7, dtype))),
        lambda L, x: x.index_fill(1, L.tensor(idx(0)), 2.7),
        lambda L, x: x.masked_scatter(L.tensor(MASK), L.tensor(np.full(3, 9, dtype))),
        lambda L, x: x.put(L.tensor(idx(4, 4)), L.tensor(np.array([5, 6], dtype)), accumulate=True),
        lambda L, x: x.take(L.tensor(idx(5, 0))),
        lambda L, x: x.diagonal_scatter(L.tensor(np.array([1.7, -2.7]))),  # converted, truncating
        lambda L, x: x.select_scatter(L.tensor(np.array([8, 9], dtype)), 1, 0),
        lambda L, x: x.slice_scatter(L.tensor(np.ones((2, 1), dtype)), 1, 2),
    ]
    for call in calls:
        ours = call(autograd, Tensor(data.copy()))
        theirs = call(torch, torch.tensor(data.copy()))
        assert ours.dtype == np.dtype(dtype), call
        assert ours.tolist() == theirs.tolist()


def test_integer_index_add_truncates_alpha_and_wraps_as_torch(torch):
    for lib in (autograd, torch):
        x = lib.tensor(np.zeros(3, dtype=np.int64))
        assert x.index_add(0, lib.tensor(idx(0, 1)), lib.tensor(idx(2, 1)), alpha=2.7).tolist() == [4, 2, 0]
        assert x.index_add(0, lib.tensor(idx(0)), lib.tensor(idx(1)), alpha=-1.5).tolist() == [-1, 0, 0]
        u = lib.tensor(np.array([250], dtype=np.uint8))
        assert u.index_add(0, lib.tensor(idx(0, 0)), lib.tensor(np.array([5, 5], np.uint8))).tolist() == [4]
        one, hundred = lib.tensor(np.array([1], np.uint8)), lib.tensor(np.array([100], np.int8))
        assert u.index_add(0, lib.tensor(idx(0)), one, alpha=-1).tolist() == [249]  # alpha wraps to 255
        i8 = lib.tensor(np.array([5], dtype=np.int8))
        assert i8.index_add(0, lib.tensor(idx(0)), hundred, alpha=2).tolist() == [-51]
        b = lib.tensor(np.array([True, False, False]))
        assert b.index_add(0, lib.tensor(idx(0, 1)), lib.tensor(np.array([True, False]))).tolist() == [
            True, False, False]


def test_index_fill_converts_the_value_as_torch(torch):
    for value, expected in [(-1, 255), (-255, 1), (255, 255), (2.7, 2)]:
        for lib in (autograd, torch):
            x = lib.tensor(np.zeros(2, dtype=np.uint8))
            assert x.index_fill(0, lib.tensor(idx(0)), value).tolist() == [expected, 0]
    for lib in (autograd, torch):
        x = lib.tensor(np.zeros(2, dtype=np.float16))
        assert x.index_fill(0, lib.tensor(idx(0)), float("inf")).tolist() == [float("inf"), 0.0]
        assert lib.tensor(np.zeros(2, bool)).index_fill(0, lib.tensor(idx(1)), 2).tolist() == [False, True]
        assert x.index_fill(0, lib.tensor(idx(1)), lib.tensor(np.array(3.0))).tolist() == [0.0, 3.0]


def test_a_float64_value_filled_into_float32_gets_its_gradient_in_float64_as_torch(torch):
    grads = []
    for lib in (autograd, torch):
        x = lib.tensor(np.zeros((2, 3), np.float32), requires_grad=True)
        v = lib.tensor(np.array(2.0), requires_grad=True)
        out = x.index_fill(1, lib.tensor(idx(0, 0, 2)), v)
        assert out.dtype == (np.float32 if lib is autograd else torch.float32)
        (out * lib.tensor(np.arange(6.0, dtype=np.float32).reshape(2, 3))).sum().backward()
        grads.append((v.grad.item(), x.grad.tolist(), str(v.grad.dtype).replace("torch.", "")))
    assert grads[0] == grads[1] == (0.0 + 3.0 + 2.0 + 5.0, [[0.0, 1.0, 0.0], [0.0, 4.0, 0.0]], "float64")


def test_repeated_indices_of_the_copying_ops_keep_the_last_write_and_give_every_source_its_gradient():
    x = Tensor(np.zeros(3), requires_grad=True)
    s = Tensor(np.array([5.0, 6.0, 7.0]), requires_grad=True)
    out = x.index_copy(0, idx(1, 1, 0), s)
    assert out.tolist() == [7.0, 6.0, 0.0]
    (out * Tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 3.0] and s.grad.tolist() == [2.0, 2.0, 1.0]
    s.grad = x.grad = None
    out = x.put(idx(2, -1, 0), s)
    assert out.tolist() == [7.0, 0.0, 6.0]
    (out * Tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, 0.0] and s.grad.tolist() == [3.0, 3.0, 1.0]


def test_masked_scatter_gives_unused_source_entries_no_gradient():
    x = Tensor(np.zeros((2, 3)), requires_grad=True)
    s = Tensor(np.arange(1.0, 8.0), requires_grad=True)
    out = x.masked_scatter(MASK, s)
    assert out.tolist() == [[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]]
    (out * Tensor(np.arange(10.0, 16.0).reshape(2, 3))).sum().backward()
    assert s.grad.tolist() == [10.0, 12.0, 14.0, 0.0, 0.0, 0.0, 0.0]
    assert x.grad.tolist() == [[0.0, 11.0, 0.0], [13.0, 0.0, 15.0]]


def test_functions_and_methods_are_exported():
    names = ["index_add", "index_copy", "index_fill", "masked_scatter", "put", "take", "diagonal_scatter",
             "select_scatter", "slice_scatter"]
    for name in names:
        assert name in autograd.__all__ and getattr(Tensor, name) is getattr(autograd, name)
    for name in ["index_add_", "index_copy_", "index_fill_", "masked_scatter_", "put_"]:
        assert callable(getattr(Tensor, name))


def test_keywords_follow_torch_and_numpy():
    x = autograd.zeros(2, 3)
    a = x.index_add(dim=1, index=[0], source=np.ones((2, 1), np.float32), alpha=2)
    b = autograd.index_add(x, axis=1, index=[0], source=np.ones((2, 1), np.float32), alpha=2)
    assert a.tolist() == b.tolist() == [[2.0, 0.0, 0.0], [2.0, 0.0, 0.0]]
    assert x.select_scatter(autograd.ones(2), dim=1, index=1).tolist() == [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]
    assert x.slice_scatter(autograd.ones(2, 1), dim=1, start=2).tolist() == [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]


# ---------------------------------------------------------------------------------------------- errors

X = np.zeros((3, 4))
ONES = np.ones((2, 4))
M23 = np.zeros((2, 3))


def _x(L, a=X):
    return L.tensor(a)


def _i(L, *values, dtype=np.int64):
    return L.tensor(idx(*values, dtype=dtype))


def _o(L, *shape, dtype=np.float64):
    return L.tensor(np.ones(shape, dtype))


ERRORS = [
    # index_add
    (lambda L: _x(L).index_add(0, L.tensor(np.array([0.0, 2.0])), _o(L, 2, 4)), TypeError,
     r"^index_add: got index of dtype float64; expected integers"),
    (lambda L: _x(L).index_add(0, L.tensor(np.array([True, False])), _o(L, 2, 4)), TypeError,
     r"^index_add: got index of dtype bool; expected integers"),
    (lambda L: _x(L).index_add(0, _i(L, 0, 2, dtype=np.int16), _o(L, 2, 4)), TypeError,
     r"^index_add: got an index of dtype int16; expected int32 or int64"),
    (lambda L: _x(L).index_add(0, _i(L, -1, 0), _o(L, 2, 4)), IndexError,
     r"^index_add: index -1 is out of bounds for dim 0 with size 3; expected indices in \[0, 3\)"),
    (lambda L: _x(L).index_add(0, _i(L, 3, 0), _o(L, 2, 4)), IndexError,
     r"^index_add: index 3 is out of bounds for dim 0 with size 3"),
    (lambda L: _x(L).index_add(0, L.tensor(np.array([[0, 1]])), _o(L, 2, 4)), ValueError,
     r"^index_add: got an index of shape \(1, 2\); expected a vector"),
    (lambda L: _x(L).index_add(0, _i(L, 0, 1, 2), _o(L, 2, 4)), ValueError,
     r"^index_add: got a source of shape \(2, 4\) for a tensor of shape \(3, 4\); expected shape \(3, 4\): "
     r"the tensor's with dim 0 of size 3 \(the number of indices\)"),
    (lambda L: _x(L).index_add(0, _i(L, 0, 1), _o(L, 2, 3)), ValueError,
     r"^index_add: got a source of shape \(2, 3\) for a tensor of shape \(3, 4\); expected shape \(2, 4\)"),
    (lambda L: _x(L).index_add(0, _i(L, 0, 1), _o(L, 2, 4, 1)), ValueError,
     r"^index_add: got a source of shape \(2, 4, 1\)"),
    (lambda L: _x(L).index_add(0, _i(L, 0, 1), _o(L, 2, 4, dtype=np.float32)), TypeError,
     r"^index_add: got a source of dtype float32 for a tensor of dtype float64; expected the same dtype"),
    (lambda L: _x(L).index_add(2, _i(L, 0, 1), _o(L, 2, 4)), ValueError,
     r"^index_add: dim 2 is out of range for a tensor with 2 dimensions"),
    (lambda L: _x(L, np.array(1.0)).index_add(0, _i(L, 0, 0), _o(L)), ValueError,
     r"^index_add: got 2 indices for a 0-d tensor; expected a single index, 0$"),
    (lambda L: _x(L, np.array(1.0)).index_add(0, _i(L, 1), _o(L)), IndexError,
     r"^index_add: index 1 is out of bounds for dim 0 with size 1"),
    (lambda L: _x(L, np.zeros(3)).index_add(0, _i(L, 1), _o(L)), ValueError,
     r"^index_add: got a source of shape \(\) for a tensor of shape \(3,\); expected shape \(1,\)"),
    (lambda L: _x(L, np.zeros(3)).index_add(0, _i(L, 1), _o(L, 1), alpha=1j), TypeError,
     r"^index_add: got alpha of type complex"),
    (lambda L: _x(L, np.zeros(3, np.uint8)).index_add(0, _i(L, 1), _o(L, 1, dtype=np.uint8), alpha=300),
     ValueError, r"^index_add: got alpha 300, which does not fit in uint8; expected a value in "
                 r"\[-255, 255\]"),
    (lambda L: _x(L, np.zeros(3, np.float16)).index_add(0, _i(L, 1), _o(L, 1, dtype=np.float16), alpha=1e6),
     ValueError, r"^index_add: got alpha 1000000.0, which does not fit in float16"),
    # index_copy
    (lambda L: _x(L).index_copy(0, _i(L, 0, 2, dtype=np.int32), _o(L, 2, 4)), TypeError,
     r"^index_copy: got an index of dtype int32; expected int64, as PyTorch \(convert it with "
     r"index\.long\(\)\)"),
    (lambda L: _x(L).index_copy(0, _i(L, -1, 0), _o(L, 2, 4)), IndexError,
     r"^index_copy: index -1 is out of bounds for dim 0 with size 3"),
    (lambda L: _x(L).index_copy(0, _i(L, 0, 1), _o(L, 2, 3)), ValueError,
     r"^index_copy: got a source of shape \(2, 3\)"),
    (lambda L: _x(L).index_copy(0, _i(L, 1), _o(L)), ValueError,
     r"^index_copy: got a source of shape \(\) for a tensor of shape \(3, 4\)"),
    (lambda L: _x(L).index_copy(0, _i(L, 1, 0), _o(L, 2, 4, dtype=np.float32)), TypeError,
     r"^index_copy: got a source of dtype float32"),
    (lambda L: _x(L, np.array(1.0)).index_copy(0, _i(L, 0, 0), _o(L)), ValueError,
     r"^index_copy: got 2 indices for a 0-d tensor; expected a single index, 0$"),
    # index_fill
    (lambda L: _x(L).index_fill(1, _i(L, 0), _o(L, 1)), ValueError,
     r"^index_fill: got a value of shape \(1,\); expected a number or a 0-d tensor"),
    (lambda L: _x(L).index_fill(1, _i(L, 0, dtype=np.int32), 1.0), TypeError,
     r"^index_fill: got an index of dtype int32; expected int64"),
    (lambda L: _x(L).index_fill(1, _i(L, 4), 1.0), IndexError,
     r"^index_fill: index 4 is out of bounds for dim 1 with size 4; expected indices in \[-4, 4\)"),
    (lambda L: _x(L).index_fill(1, _i(L, -5), 1.0), IndexError,
     r"^index_fill: index -5 is out of bounds for dim 1 with size 4"),
    (lambda L: _x(L).index_fill(1, L.tensor(np.array([[0]])), 1.0), ValueError,
     r"^index_fill: got an index of shape \(1, 1\); expected a vector"),
    (lambda L: _x(L, np.zeros(2, np.uint8)).index_fill(0, _i(L, 0), 300), ValueError,
     r"^index_fill: got value 300, which does not fit in uint8; expected a value in \[-255, 255\]"),
    (lambda L: _x(L, np.zeros(2, np.uint8)).index_fill(0, _i(L, 0), -1.5), ValueError,
     r"^index_fill: got value -1.5, which does not fit in uint8; expected a value in \[0, 255\]"),
    (lambda L: _x(L, np.zeros(2, np.int64)).index_fill(0, _i(L, 0), float("nan")), ValueError,
     r"^index_fill: got value nan, which does not fit in int64"),
    (lambda L: _x(L, np.zeros(2, np.float16)).index_fill(0, _i(L, 0), 70000.0), ValueError,
     r"^index_fill: got value 70000.0, which does not fit in float16"),
    (lambda L: _x(L, np.zeros(2)).index_fill(0, _i(L, 0), 1j), TypeError,
     r"^index_fill: got value 1j; expected a real number"),
    (lambda L: _x(L).index_fill(2, _i(L, 0), 1.0), ValueError, r"^index_fill: dim 2 is out of range"),
    # masked_scatter
    (lambda L: _x(L, M23).masked_scatter(L.tensor(MASK), _o(L, 2)), ValueError,
     r"^masked_scatter: got a source of 2 entries \(shape \(2,\)\) for a mask with 3 True entries; "
     r"expected at least 3"),
    (lambda L: _x(L, M23).masked_scatter(L.tensor(MASK), _o(L, 3, dtype=np.float32)), TypeError,
     r"^masked_scatter: got a source of dtype float32 for a tensor of dtype float64"),
    (lambda L: _x(L, M23).masked_scatter(L.tensor(MASK.astype(np.float64)), _o(L, 3)), TypeError,
     r"^masked_scatter: got a mask of dtype float64; expected booleans"),
    (lambda L: _x(L, M23).masked_scatter(L.tensor(np.ones((3, 3), bool)), _o(L, 9)), ValueError,
     r"^masked_scatter: shapes \(2, 3\) \(input\) and \(3, 3\) \(mask\) cannot be broadcast"),
    # take and put
    (lambda L: _x(L, M23).take(_i(L, 6)), IndexError,
     r"^take: index 6 is out of range for a tensor of 6 elements; expected indices in \[-6, 6\)"),
    (lambda L: _x(L, M23).take(_i(L, -7)), IndexError, r"^take: index -7 is out of range"),
    (lambda L: _x(L, M23).take(_i(L, 0, dtype=np.int32)), TypeError,
     r"^take: got an index of dtype int32; expected int64"),
    (lambda L: _x(L, M23).take(L.tensor(np.array([0.0]))), TypeError,
     r"^take: got index of dtype float64; expected integers"),
    (lambda L: _x(L, np.zeros(0)).take(_i(L, 0)), IndexError,
     r"^take: got an index of shape \(1,\) for a tensor with no elements; expected an empty index"),
    (lambda L: _x(L, M23).put(_i(L, 0, 1), _o(L, 3)), ValueError,
     r"^put: got an index of 2 entries \(shape \(2,\)\) and a source of 3 \(shape \(3,\)\); expected as "
     r"many"),
    (lambda L: _x(L, M23).put(_i(L, 0, 1), _o(L, 2, dtype=np.float32)), TypeError,
     r"^put: got a source of dtype float32 for a tensor of dtype float64"),
    (lambda L: _x(L, M23).put(_i(L, 0, 1, dtype=np.int32), _o(L, 2)), TypeError,
     r"^put: got an index of dtype int32; expected int64"),
    (lambda L: _x(L, M23).put(_i(L, 0, 6), _o(L, 2)), IndexError,
     r"^put: index 6 is out of range for a tensor of 6 elements"),
    # diagonal_scatter, select_scatter, slice_scatter
    (lambda L: _x(L).diagonal_scatter(_o(L, 4)), ValueError,
     r"^diagonal_scatter: got src of shape \(4,\) for the diagonal \(offset=0, dim1=0, dim2=1\) of shape "
     r"\(3,\) \(in a tensor of shape \(3, 4\)\); expected src of shape \(3,\)"),
    (lambda L: _x(L).diagonal_scatter(_o(L, 3, 1)), ValueError,
     r"^diagonal_scatter: got src of shape \(3, 1\)"),
    (lambda L: _x(L).diagonal_scatter(_o(L, 3), 0, 1, -1), ValueError,
     r"^diagonal_scatter: got dim1=1 and dim2=-1, the same dimension; expected two different dimensions"),
    (lambda L: _x(L, np.zeros(3)).diagonal_scatter(_o(L, 3)), (ValueError, IndexError),
     r"^diagonal_scatter: got a tensor of shape \(3,\); expected at least 2 dimensions"),
    (lambda L: _x(L).select_scatter(_o(L, 3), 1, 4), IndexError,
     r"^select_scatter: index 4 is out of range for dim 1 of size 4; expected an index in \[-4, 4\)"),
    (lambda L: _x(L).select_scatter(_o(L, 3), 1, -5), IndexError,
     r"^select_scatter: index -5 is out of range"),
    (lambda L: _x(L).select_scatter(_o(L, 4), 1, 0), ValueError,
     r"^select_scatter: got src of shape \(4,\) for the slice at index 0 of dim 1 of shape \(3,\)"),
    (lambda L: _x(L).select_scatter(_o(L, 3), 1, 1.0), TypeError,
     r"^select_scatter: got index of type float \(1.0\); expected an int"),
    (lambda L: _x(L, np.array(1.0)).select_scatter(_o(L), 0, 0), (ValueError, IndexError),
     r"^select_scatter: got a 0-d tensor; expected at least one dimension"),
    (lambda L: _x(L).slice_scatter(_o(L, 3, 0), 1, 0, 4, 0), ValueError,
     r"^slice_scatter: got step=0; expected a positive step"),
    (lambda L: _x(L).slice_scatter(_o(L, 3, 2), 1, 0, 4, -1), ValueError,
     r"^slice_scatter: got step=-1; expected a positive step"),
    (lambda L: _x(L).slice_scatter(_o(L, 3, 3), 1, 0, 2), ValueError,
     r"^slice_scatter: got src of shape \(3, 3\) for the slice 0:2:1 of dim 1 of shape \(3, 2\)"),
    (lambda L: _x(L).slice_scatter(_o(L, 3, 2), 1, 2.0), TypeError,
     r"^slice_scatter: got start of type float \(2.0\); expected an int or None"),
    (lambda L: _x(L).slice_scatter(_o(L, 3, 4), 2), ValueError, r"^slice_scatter: dim 2 is out of range"),
]


@pytest.mark.parametrize("call, error, match", ERRORS)
def test_errors_name_the_op_what_it_got_and_what_it_expected_where_torch_raises(call, error, match, torch):
    with pytest.raises((RuntimeError, IndexError, TypeError, ValueError)):
        call(torch)
    with pytest.raises(error, match=match):
        call(autograd)


# ---------------------------------------------------------------------------------------------- in place

IN_PLACE = {
    "index_add_": lambda L, t: t.index_add_(1, L.tensor(idx(2, 0, 2, dtype=np.int32)),
                                            L.tensor(np.arange(6.0).reshape(2, 3)), alpha=0.5),
    "index_copy_": lambda L, t: t.index_copy_(0, L.tensor(idx(1)), L.tensor(np.full((1, 3), 7.5))),
    "index_fill_": lambda L, t: t.index_fill_(1, L.tensor(idx(-1, 0)), L.tensor(np.array(-3.0))),
    "masked_scatter_": lambda L, t: t.masked_scatter_(L.tensor(MASK[1]), L.tensor(np.array([4.0, 5.0, 6.0]))),
    "put_": lambda L, t: t.put_(L.tensor(idx(5, 0, 5)), L.tensor(np.array([1.0, 2.0, 3.0])), True),
}
DATA = np.array([[0.5, -1.25, 2.0], [3.0, 0.75, -0.5]])


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_forms_change_the_tensor_as_torch_does(name, torch):
    ours, theirs = Tensor(DATA.copy()), torch.tensor(DATA.copy())
    memory = ours.data
    assert IN_PLACE[name](autograd, ours) is ours and ours.data is memory
    IN_PLACE[name](torch, theirs)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.dtype == np.float64


@pytest.mark.parametrize("call, match", [
    (lambda L, t: t.index_add_(0, L.tensor(idx(2)), L.tensor(np.ones((1, 3)))),
     r"^index_add_: index 2 is out of bounds for dim 0 with size 2"),
    (lambda L, t: t.index_copy_(0, L.tensor(idx(1, dtype=np.int32)), L.tensor(np.ones((1, 3)))),
     r"^index_copy_: got an index of dtype int32; expected int64"),
    (lambda L, t: t.index_fill_(1, L.tensor(idx(3)), 1.0), r"^index_fill_: index 3 is out of bounds"),
    (lambda L, t: t.masked_scatter_(L.tensor(np.ones((2, 2, 3), bool)), L.tensor(np.ones(12))),
     r"^masked_scatter_: got a mask of shape \(2, 2, 3\) for a tensor of shape \(2, 3\); expected a mask "
     r"that broadcasts to the tensor's shape"),
    (lambda L, t: t.masked_scatter_(L.tensor(MASK), L.tensor(np.ones(2))),
     r"^masked_scatter_: got a source of 2 entries"),
    (lambda L, t: t.put_(L.tensor(idx(6)), L.tensor(np.ones(1))), r"^put_: index 6 is out of range"),
])
def test_in_place_errors_name_the_method_and_change_nothing_where_torch_raises(call, match, torch):
    with pytest.raises((RuntimeError, IndexError)):
        call(torch, torch.tensor(DATA.copy()))
    ours = Tensor(DATA.copy())
    with pytest.raises((TypeError, ValueError, IndexError), match=match):
        call(autograd, ours)
    np.testing.assert_array_equal(ours.numpy(), DATA)


def test_masked_scatter_broadcasts_the_input_but_its_in_place_form_does_not_as_torch(torch):
    for lib in (autograd, torch):
        assert tuple(lib.zeros(3).masked_scatter(lib.tensor(MASK), lib.ones(6)).shape) == (2, 3)
        with pytest.raises((RuntimeError, ValueError)):
            lib.zeros(3).masked_scatter_(lib.tensor(MASK), lib.ones(6))


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_forms_of_a_leaf_that_requires_grad_need_no_grad_as_in_torch(name, torch):
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        IN_PLACE[name](torch, torch.tensor(DATA.copy(), requires_grad=True))
    w = Tensor(DATA.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match=rf"^{name}: cannot change a tensor in place while gradients are "
                                           r"recorded through it .* `x\.\w+\("):
        IN_PLACE[name](autograd, w)
    np.testing.assert_array_equal(w.numpy(), DATA)
    with autograd.no_grad():
        assert IN_PLACE[name](autograd, w) is w
    assert w.requires_grad


def test_in_place_forms_with_a_source_that_requires_grad_are_refused_while_recording():
    s = Tensor(np.ones((1, 3)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^index_add_: cannot change a tensor in place .* `x\.index_add"):
        Tensor(DATA.copy()).index_add_(0, idx(1), s)
    with pytest.raises(RuntimeError, match=r"^index_fill_: cannot change a tensor in place"):
        Tensor(DATA.copy()).index_fill_(0, idx(1), Tensor(np.array(1.0), requires_grad=True))
    x = Tensor(DATA.copy())
    with autograd.no_grad():
        x.index_copy_(0, idx(1), s)
    assert x.tolist()[1] == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_a_change_after_the_forward_pass_makes_its_backward_pass_raise_as_in_torch(name, torch):
    t = torch.ones(3, requires_grad=True)
    c = torch.tensor(DATA.copy())
    loss = (t * c[0]).sum()  # mul saves c's first row, a view of c
    IN_PLACE[name](torch, c)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()
    w = Tensor(np.ones(3), requires_grad=True)
    c = Tensor(DATA.copy())
    loss = (w * c[0]).sum()
    IN_PLACE[name](autograd, c)
    with pytest.raises(RuntimeError, match=rf"'mul' needs the values of its second operand .* which {name} "
                                           "changed in place"):
        loss.backward()
    assert w.grad is None


def test_the_writes_keep_no_values_so_a_later_change_of_their_operands_is_let_through_as_in_torch(torch):
    grads = []
    for lib in (autograd, torch):
        x = lib.tensor(np.zeros((3, 2)), requires_grad=True)
        s = lib.tensor(np.ones((2, 2)))
        i = lib.tensor(idx(2, 0))
        outs = [x.index_add(0, i, s, alpha=2.0), x.index_copy(0, i, s), x.put(lib.tensor(idx(0, 5)), s[0]),
                x.select_scatter(s[0], 0, 1), x.slice_scatter(s, 0, 1), x.diagonal_scatter(s[0])]
        with lib.no_grad():
            s.mul_(3.0)  # the source, a constant, changed after the forward pass
        sum(out.sum() for out in outs).backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1]


def test_a_change_of_the_saved_index_in_place_makes_the_backward_pass_raise_as_in_torch(torch):
    for lib, match in ((torch, "modified by an inplace operation"),
                       (autograd, r"'index_add' needs the values of an array it saved .* which mul_ "
                                  "changed")):
        s = lib.tensor(np.ones((2, 2)), requires_grad=True)
        i = lib.tensor(idx(2, 0))
        out = lib.zeros(3, 2, dtype=lib.float64).index_add(0, i, s)
        i.mul_(0)
        with pytest.raises(RuntimeError, match=match):
            out.sum().backward()


def test_a_refused_in_place_call_leaves_the_backward_pass_possible():
    w = Tensor(np.ones(3), requires_grad=True)
    c = Tensor(DATA.copy())
    loss = (w * c[0]).sum()
    with pytest.raises(IndexError):
        c.index_add_(0, idx(5), np.ones((1, 3)))
    loss.backward()
    assert w.grad.tolist() == DATA[0].tolist()


def test_in_place_forms_keep_a_read_only_view_unchanged():
    x = autograd.zeros(3).expand(2, 3)
    with pytest.raises(ValueError, match=r"^index_fill_: this tensor's data is read-only"):
        x.index_fill_(1, idx(0), 1.0)
