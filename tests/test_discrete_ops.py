"""The counting and searching ops: where(condition), nonzero, argwhere, unique, bincount, histc, searchsorted
and bucketize.

Results are compared with torch 2.13 (and with numpy or a reference written here) on hypothesis-drawn
inputs; the one gradient among them, bincount's with respect to its weights, against torch's index_add (the
same sum; torch's bincount has no derivative) and finite differences; the integer results must carry no
gradient, unique's values must refuse a backward pass as torch's do, and bad arguments must raise errors
that name the op.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck, tensor

EXAMPLES = settings(max_examples=25)
seeds = st.integers(0, 2**32 - 1)


def _same(ours: Tensor, theirs, dtype=np.int64) -> None:
    assert isinstance(ours, Tensor) and not ours.requires_grad
    assert ours.dtype == dtype and ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@st.composite
def sparse_array(draw, min_dims=0):
    """An array with about half zeros (of float, int or bool dtype; nan among the floats), shapes with
    0-d and empty ones included."""
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=0, max_side=4))
    rng = np.random.default_rng(draw(seeds))
    values = rng.integers(-2, 3, shape) * (rng.random(shape) < 0.5)
    dtype = draw(st.sampled_from([np.float64, np.int64, np.bool_]))
    x = np.asarray(values).astype(dtype)
    if dtype == np.float64 and x.size:
        x[rng.random(shape) < 0.1] = np.nan
    return x


# ======================================================================================= nonzero, where
@EXAMPLES
@given(sparse_array())
def test_nonzero_and_argwhere_match_torch(x):
    torch = pytest.importorskip("torch")
    t = torch.tensor(x)
    _same(tensor(x).nonzero(), torch.nonzero(t))
    _same(ag.nonzero(x), torch.nonzero(t))
    _same(tensor(x).argwhere(), torch.argwhere(t))
    ours, theirs = tensor(x).nonzero(as_tuple=True), torch.nonzero(t, as_tuple=True)
    assert type(ours) is tuple and len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        _same(a, b)


@EXAMPLES
@given(sparse_array())
def test_where_with_the_condition_alone_is_nonzero_as_a_tuple(x):
    torch = pytest.importorskip("torch")
    ours, theirs = ag.where(tensor(x)), torch.where(torch.tensor(x))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        _same(a, b)
    if x.ndim:  # numpy's nonzero, which picks the entries
        np.testing.assert_array_equal(tensor(x)[ours].numpy(), x[np.nonzero(x)])


def test_nonzero_rows_are_indices_in_row_major_order():
    x = np.array([[0.0, 1.5, 0.0], [np.nan, 0.0, -0.0]])
    assert tensor(x).nonzero().tolist() == [[0, 1], [1, 0]]
    assert ag.argwhere(x).tolist() == [[0, 1], [1, 0]]
    assert ag.where(x > 0)[1].tolist() == [1]


def test_nonzero_of_a_tensor_that_requires_grad_is_a_constant():
    x = Tensor(np.array([0.0, 2.0, 3.0]), requires_grad=True)
    for out in (x.nonzero(), *x.nonzero(as_tuple=True), *ag.where(x)):
        assert not out.requires_grad and out.op == "" and out.dtype == np.int64


def test_where_needs_both_tensors_or_neither():
    message = ("where: got a condition and one of the two tensors to choose from; expected "
               "where(condition, a, b)")
    with pytest.raises(TypeError, match=re.escape(message)):
        ag.where(tensor([True, False]), 1.0)
    with pytest.raises(TypeError, match=re.escape("where: got a condition of type str ('a')")):
        ag.where("a")
    with pytest.raises(TypeError, match=re.escape("nonzero: got as_tuple of type int (1); expected a bool")):
        tensor([1.0]).nonzero(as_tuple=1)


# ======================================================================================= unique
@EXAMPLES
@given(sparse_array(), st.booleans(), st.booleans(), st.booleans())
def test_unique_matches_torch(x, sorted_, return_inverse, return_counts):
    torch = pytest.importorskip("torch")
    ours = tensor(x).unique(sorted=sorted_, return_inverse=return_inverse, return_counts=return_counts)
    theirs = torch.unique(torch.tensor(x), sorted=sorted_, return_inverse=return_inverse,
                          return_counts=return_counts)
    if not (return_inverse or return_counts):
        ours, theirs = (ours,), (theirs,)
    assert type(ours) is tuple and len(ours) == len(theirs)
    assert ours[0].dtype == x.dtype and ours[0].shape == tuple(theirs[0].shape)
    np.testing.assert_array_equal(ours[0].numpy(), theirs[0].numpy())  # nan compares equal here
    for a, b in zip(ours[1:], theirs[1:]):
        _same(a, b)


@EXAMPLES
@given(sparse_array(min_dims=1), st.data())
def test_unique_along_a_dim_matches_torch(x, drawn):
    torch = pytest.importorskip("torch")
    dim = drawn.draw(st.integers(-x.ndim, x.ndim - 1))
    x = np.nan_to_num(x, nan=0.5)  # where a slice with a nan sorts, torch leaves unspecified
    if 0 in np.delete(x.shape, dim):  # torch refuses: an empty dimension other than dim
        with pytest.raises(ValueError, match=r"^unique: got dim=.*; expected no empty dimension other than"):
            ag.unique(x, dim=dim)
        return
    values, inverse, counts = ag.unique(x, dim=dim, return_inverse=True, return_counts=True)
    t_values, t_inverse, t_counts = torch.unique(torch.tensor(x), dim=dim, return_inverse=True,
                                                 return_counts=True)
    assert values.dtype == x.dtype and values.shape == tuple(t_values.shape)
    np.testing.assert_array_equal(values.numpy(), t_values.numpy())  # a nan slice is a slice of its own
    _same(inverse, t_inverse)
    _same(counts, t_counts)


def test_unique_along_a_dim_keeps_slices_with_nan_apart():
    x = np.array([[1.0, np.nan], [0.0, 2.0], [1.0, np.nan], [0.0, 2.0]])
    rows, inverse, counts = ag.unique(x, dim=0, return_inverse=True, return_counts=True)
    np.testing.assert_array_equal(rows.numpy(), [[0.0, 2.0], [1.0, np.nan], [1.0, np.nan]])
    assert inverse.tolist() == [1, 0, 2, 0] and counts.tolist() == [2, 1, 1]


def test_unique_counts_each_nan_apart_and_inverts():
    x = np.array([[3.0, np.nan, 1.0], [3.0, 1.0, np.nan]])
    values, inverse, counts = ag.unique(x, return_inverse=True, return_counts=True)
    assert values.tolist()[:2] == [1.0, 3.0] and np.isnan(values.numpy()[2:]).all() and values.shape == (4,)
    assert counts.tolist() == [2, 2, 1, 1]
    np.testing.assert_array_equal(values.numpy()[inverse.numpy()], x)


def test_unique_values_refuse_a_backward_pass_as_torchs_do(torch):
    x = Tensor(np.array([2.0, 1.0, 2.0]), requires_grad=True)
    values = x.unique()
    assert values.requires_grad
    with pytest.raises(RuntimeError, match="^unique: the derivative of unique is not implemented"):
        (values * 2.0).sum().backward()
    t_values = torch.unique(torch.tensor([2.0, 1.0, 2.0], requires_grad=True))
    with pytest.raises(NotImplementedError):  # the same refusal
        t_values.sum().backward()
    with ag.no_grad():
        assert not x.unique().requires_grad
    assert x.detach().unique().tolist() == [1.0, 2.0]


def test_unique_arguments_are_checked():
    with pytest.raises(IndexError, match=r"^unique: dim 1 is out of range for a tensor with 1 dimensions"):
        tensor([1, 2]).unique(dim=1)
    with pytest.raises(IndexError, match=r"^unique: got dim=0 for a 0-d tensor; expected dim=None"):
        tensor(2).unique(dim=0)
    message = "unique: got return_counts of type str ('yes'); expected a bool"
    with pytest.raises(TypeError, match=re.escape(message)):
        tensor([1, 2]).unique(return_counts="yes")


# ======================================================================================= bincount
@st.composite
def bincount_case(draw):
    n = draw(st.integers(0, 12))
    rng = np.random.default_rng(draw(seeds))
    x = rng.integers(0, draw(st.integers(1, 6)), n)
    return x, rng.standard_normal(n), draw(st.integers(0, 8))


@EXAMPLES
@given(bincount_case())
def test_bincount_counts_match_torch_and_numpy(case):
    torch = pytest.importorskip("torch")
    x, _, minlength = case
    ours = tensor(x).bincount(minlength=minlength)
    _same(ours, torch.bincount(torch.tensor(x), minlength=minlength))
    np.testing.assert_array_equal(ours.numpy(), np.bincount(x, minlength=minlength))


@EXAMPLES
@given(bincount_case())
def test_bincount_weights_and_their_gradient_match_torch(case):
    torch = pytest.importorskip("torch")
    x, w, minlength = case
    leaf = Tensor(w.copy(), requires_grad=True)
    out = ag.bincount(x, leaf, minlength)
    t_leaf = torch.tensor(w.copy(), requires_grad=True)
    theirs = torch.bincount(torch.tensor(x), t_leaf.detach(), minlength)
    assert out.dtype == np.float64 and out.shape == tuple(theirs.shape)
    np.testing.assert_allclose(out.numpy(), theirs.numpy(), rtol=1e-14, atol=1e-14)
    # torch's bincount has no derivative; index_add computes the same sums with one
    t_out = torch.zeros(out.shape[0], dtype=torch.float64).index_add(0, torch.tensor(x), t_leaf)
    g = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(g)
    t_out.backward(torch.tensor(g))
    np.testing.assert_allclose(leaf.grad.numpy(), t_leaf.grad.numpy(), rtol=1e-14, atol=1e-14)
    np.testing.assert_array_equal(leaf.grad.numpy(), g[x])  # each weight reads its bin's gradient


def test_bincount_derivatives():
    x = np.array([3, 0, 3, 1, 5, 3])
    w = np.random.default_rng(1).standard_normal(6)
    assert gradcheck(lambda t: ag.bincount(x, t, minlength=7).sin(), [w])
    assert gradgradcheck(lambda t: ag.bincount(x, t * t).sin(), [w])


@pytest.mark.parametrize("dtype,expected", [
    ("float32", np.float32), ("float64", np.float64), ("float16", np.float64), ("int64", np.float64),
    ("bool", np.float64),
])
def test_bincount_weight_dtypes_follow_torch(torch, dtype, expected):
    x = np.array([0, 2, 2])
    w = np.array([1, 1, 0]).astype(dtype)
    ours = ag.bincount(x, w)
    theirs = torch.bincount(torch.tensor(x), torch.tensor(w))
    assert ours.dtype == expected == np.dtype(str(theirs.dtype).replace("torch.", ""))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_bincount_of_a_float32_weight_keeps_its_gradient_dtype():
    w = Tensor(np.array([0.5, 1.0], dtype=np.float32), requires_grad=True)
    ag.bincount([1, 1], w).sum().backward()
    assert w.grad.dtype == np.float32 and w.grad.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("args,error,message", [
    (([-1, 2],), ValueError, "bincount: got a tensor holding the negative value -1; expected non-negative"),
    (([[1, 2]],), ValueError, "bincount: got a tensor of shape (1, 2); expected a 1-D tensor of"),
    ((2,), ValueError, "bincount: got a tensor of shape (); expected a 1-D tensor"),
    (([1.0, 2.0],), TypeError, "bincount: got a tensor of dtype float32; expected a 1-D tensor of"),
    (([True, False],), TypeError, "bincount: got a tensor of dtype bool; expected"),
    (([1, 2], [1.0, 2.0, 3.0]), ValueError, "bincount: got weights of shape (3,) for an input of shape (2,)"),
    (([1, 2], None, -1), ValueError, "bincount: got minlength=-1; expected an int >= 0"),
    (([1, 2], None, 2.0), TypeError, "bincount: got minlength of type float (2.0); expected an int"),
    (([1, 2], "w"), TypeError, "bincount: got weights of type str ('w')"),
    (("a",), TypeError, "bincount: got an argument of type str ('a')"),
])
def test_bincount_bad_arguments(args, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        ag.bincount(*args)


# ======================================================================================= histc
@st.composite
def histc_case(draw):
    """Values on a grid of quarters (many on bin edges), a bin count and a range (or 0, 0: the data's)."""
    rng = np.random.default_rng(draw(seeds))
    n = draw(st.integers(0, 30))
    x = rng.integers(-8, 9, n) / 4.0
    if n and draw(st.booleans()):
        x[rng.random(n) < 0.2] = np.nan
    bins = draw(st.integers(1, 12))
    lo, hi = draw(st.sampled_from([(0, 0), (-1.0, 1.0), (-0.3, 1.7), (0.1, 0.7), (-2, 2), (0.5, 0.5)]))
    if draw(st.booleans()):  # random endpoints too
        lo, hi = sorted(np.round(rng.uniform(-2.5, 2.5, 2), 3))
    return x, bins, lo, hi


@EXAMPLES
@given(histc_case(), st.sampled_from([np.float32, np.float64]))
def test_histc_matches_torch(case, dtype):
    torch = pytest.importorskip("torch")
    x, bins, lo, hi = case
    x = x.astype(dtype)
    if lo == hi and np.isnan(x).any():
        return  # the data's own range is then nan: an error, checked below
    ours = tensor(x).histc(bins=bins, min=lo, max=hi)
    _same(ours, torch.histc(torch.tensor(x), bins=bins, min=lo, max=hi), dtype)


@settings(max_examples=50)
@given(seeds, st.integers(1, 100), st.sampled_from([np.float32, np.float64]))
def test_histc_of_random_values_matches_torch_bin_for_bin(seed, bins, dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, 200).astype(dtype)
    for lo, hi in ((0, 0), (-0.5, 0.7), (0.0, 1.0)):
        _same(ag.histc(x, bins, lo, hi), torch.histc(torch.tensor(x), bins, lo, hi), dtype)


def test_histc_by_hand():
    x = tensor([1.0, 2.0, 1.0, 2.5, 4.0, -1.0, 3.0])
    # bins [0, .75) [.75, 1.5) [1.5, 2.25) [2.25, 3]: 3.0, the upper end, goes into the last one
    assert x.histc(bins=4, min=0, max=3).tolist() == [0.0, 2.0, 1.0, 2.0]
    assert x.histc(bins=5).tolist() == [1.0, 0.0, 2.0, 2.0, 2.0]  # the range [-1, 4]
    assert tensor([2.0, 2.0]).histc(bins=4).tolist() == [0.0, 0.0, 2.0, 0.0]  # one point: [1, 3]
    assert tensor([1.0, np.nan]).histc(bins=2, min=0, max=2).tolist() == [0.0, 1.0]  # nan left out
    assert ag.zeros(0).histc(bins=3).tolist() == [0.0, 0.0, 0.0]


def test_histc_carries_no_gradient():
    x = Tensor(np.array([0.5, 1.5]), requires_grad=True)
    out = x.histc(bins=2)
    assert not out.requires_grad and out.op == "" and out.dtype == np.float64


@pytest.mark.parametrize("x,kwargs,error,message", [
    ([1, 2, 3], {}, TypeError, "histc: got a tensor of dtype int64; expected a floating dtype"),
    ([1.0, 2.0], {"bins": 0}, ValueError, "histc: got bins=0; expected an int >= 1"),
    ([1.0, 2.0], {"bins": 2.5}, TypeError, "histc: got bins of type float (2.5); expected an int"),
    ([1.0, 2.0], {"min": 3, "max": 1}, ValueError, "histc: got min=3 larger than max=1; expected min <= max"),
    ([1.0, 2.0], {"min": 0, "max": np.inf}, ValueError, "histc: the range [0.0, inf] is not finite"),
    ([1.0, np.nan], {}, ValueError, "histc: the range [nan, nan] is not finite"),
    ([1.0, np.inf], {}, ValueError, "histc: the range [1.0, inf] is not finite"),
    ([1.0, 2.0], {"min": "0"}, TypeError, "histc: got min of type str ('0'); expected a number"),
])
def test_histc_bad_arguments(x, kwargs, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        ag.histc(np.array(x), **kwargs)


# ======================================================================================= searchsorted
@st.composite
def search_case(draw):
    """A sorted sequence (1-D, or N-D sorted along its last dimension) with repeats, and values with the
    same leading dimensions (any for a 1-D sequence), many equal to entries of the sequence."""
    rng = np.random.default_rng(draw(seeds))
    lead = draw(st.sampled_from([(), (2,), (2, 3)]))
    n, k = draw(st.integers(1, 6)), draw(st.integers(0, 5))
    seq = np.sort(rng.integers(-4, 5, lead + (n,)) / 2.0, axis=-1)
    values_shape = lead + (k,) if lead else draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=4))
    values = rng.integers(-10, 11, values_shape) / 4.0
    return seq, values


@EXAMPLES
@given(search_case(), st.booleans(), st.sampled_from([None, "left", "right"]), st.booleans())
def test_searchsorted_matches_torch(case, right, side, out_int32):
    torch = pytest.importorskip("torch")
    seq, values = case
    if right and side == "left":
        side = "right"  # a contradiction, checked below
    ours = ag.searchsorted(tensor(seq), tensor(values), right=right, side=side, out_int32=out_int32)
    theirs = torch.searchsorted(torch.tensor(seq), torch.tensor(values), right=right, side=side,
                                out_int32=out_int32)
    _same(ours, theirs, np.int32 if out_int32 else np.int64)


@EXAMPLES
@given(search_case(), st.booleans())
def test_searchsorted_with_a_sorter_matches_torch(case, right):
    torch = pytest.importorskip("torch")
    seq, values = case
    rng = np.random.default_rng(0)
    order = np.argsort(rng.random(seq.shape), axis=-1)  # shuffle each row, and let sorter undo it
    shuffled = np.take_along_axis(seq, order, axis=-1)
    sorter = np.argsort(shuffled, axis=-1, kind="stable")
    ours = ag.searchsorted(shuffled, values, right=right, sorter=sorter)
    theirs = torch.searchsorted(torch.tensor(shuffled), torch.tensor(values), right=right,
                                sorter=torch.tensor(sorter))
    _same(ours, theirs)
    _same(ours, torch.searchsorted(torch.tensor(seq), torch.tensor(values), right=right))


@EXAMPLES
@given(search_case(), st.booleans(), st.booleans())
def test_bucketize_matches_torch(case, right, out_int32):
    torch = pytest.importorskip("torch")
    seq, values = case
    boundaries = seq.reshape(-1, seq.shape[-1])[0]
    ours = ag.bucketize(values, boundaries, right=right, out_int32=out_int32)
    theirs = torch.bucketize(torch.tensor(values), torch.tensor(boundaries), right=right, out_int32=out_int32)
    _same(ours, theirs, np.int32 if out_int32 else np.int64)


def test_searchsorted_and_bucketize_by_hand():
    s = tensor([1.0, 3.0, 5.0, 7.0, 9.0])
    v = tensor([[3.0, 6.0, 9.0], [0.0, 10.0, 1.0]])
    assert ag.searchsorted(s, v).tolist() == [[1, 3, 4], [0, 5, 0]]
    assert ag.searchsorted(s, v, side="right").tolist() == [[2, 3, 5], [0, 5, 1]]
    assert ag.bucketize(v, s, right=True).tolist() == [[2, 3, 5], [0, 5, 1]]
    rows = tensor([[1, 3, 5], [2, 4, 6]])
    assert ag.searchsorted(rows, tensor([[3, 4], [3, 4]]), right=True).tolist() == [[2, 2], [1, 2]]
    out = ag.searchsorted(s, 6.0)
    assert out.shape == () and out.item() == 3
    assert ag.bucketize(6, s).item() == 3


def test_a_float_value_is_searched_in_the_sequences_dtype():
    # 0.1 as float32 is larger than float64's 0.1: searched as such it would land after it
    assert ag.searchsorted(np.array([0.1, 0.2]), 0.1).item() == 0
    assert ag.bucketize(0.1, np.array([0.1, 0.2])).item() == 0


def test_searching_carries_no_gradient():
    s = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    v = Tensor(np.array([1.5]), requires_grad=True)
    for out in (ag.searchsorted(s, v), ag.bucketize(v, s)):
        assert not out.requires_grad and out.op == ""


@pytest.mark.parametrize("call,error,message", [
    (lambda: ag.searchsorted([1.0, 2.0], [1.0], side="middle"), ValueError,
     "searchsorted: got side='middle'; expected 'left' or 'right'"),
    (lambda: ag.searchsorted([1.0, 2.0], [1.0], side="left", right=True), ValueError,
     "searchsorted: got side='left' and right=True, which contradict each other"),
    (lambda: ag.searchsorted([1.0, 2.0], [1.0], right=1), TypeError,
     "searchsorted: got right of type int (1); expected a bool"),
    (lambda: ag.searchsorted(np.array(1.0), [1.0]), ValueError,
     "searchsorted: got a 0-d sorted_sequence; expected at least one dimension"),
    (lambda: ag.searchsorted([[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0]), ValueError,
     "searchsorted: got sorted_sequence of shape (2, 2) and values of shape (2,); expected a 1-D"),
    (lambda: ag.searchsorted([[1.0, 2.0]], 1.5), ValueError,
     "searchsorted: got a single value for a sorted_sequence of shape (1, 2)"),
    (lambda: ag.searchsorted([1.0, 2.0], [1.0], sorter=[0]), ValueError,
     "searchsorted: got sorter of type list ([0]); expected integer indices of the sorted_sequence's shape"),
    (lambda: ag.searchsorted([1.0, 2.0], [1.0], sorter=np.array([0, 5])), ValueError,
     "searchsorted: got sorter indices outside [0, 2)"),
    (lambda: ag.searchsorted([False, True], [True]), TypeError,
     "searchsorted: got bool sorted_sequence and values; expected numbers"),
    (lambda: ag.searchsorted([1.0], "a"), TypeError, "searchsorted: got values of type str ('a')"),
    (lambda: ag.bucketize([1.0], [[1.0, 2.0]]), ValueError,
     "bucketize: got boundaries of shape (1, 2); expected a 1-D tensor"),
    (lambda: ag.bucketize([1.0], [1.0, 2.0], out_int32="no"), TypeError,
     "bucketize: got out_int32 of type str ('no'); expected a bool"),
    (lambda: ag.bucketize([1.0], "b"), TypeError, "bucketize: got boundaries of type str ('b')"),
])
def test_searchsorted_and_bucketize_bad_arguments(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        call()
