"""Indexing along an axis (gather, scatter, scatter_add, index_select, take_along_dim, masked_fill,
masked_select), running ops (cumsum, cumprod, cummax, cummin, diff) and sorting (sort, argsort, topk,
kthvalue, median).

For each op: the forward pass against numpy (or a reference written here with numpy), values, indices
and gradients against torch in float64, first and second derivatives against finite differences
(gradcheck, gradgradcheck) on hypothesis-drawn shapes and values, and the errors for bad arguments.
Values drawn for sorting-like ops are distinct unless a test is about ties, where the gradient follows
the index the op returns (torch's convention, checked against torch).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from helpers import check_derivatives
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor, tensor

EXAMPLES = settings(max_examples=15)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
seeds = st.integers(0, 2**32 - 1)


def normal(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    return rng.standard_normal(shape)


def distinct(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """Values at least 0.2 apart: no ties, so sorting is differentiable at the point."""
    n = int(np.prod(shape, dtype=int))
    return (rng.permutation(n) * 0.2 - 0.1 * n + rng.uniform(0, 0.05)).reshape(shape)


def run_ours(ours, arrays, w_seed=0):
    """``ours`` on float64 leaf Tensors; the backward pass of sum(values * w) for a random w."""
    leaves = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) if np.asarray(a).dtype.kind == "f"
              else a for a in arrays]
    out = ours(*leaves)
    values = out[0] if isinstance(out, tuple) else out
    w = np.random.default_rng(w_seed).standard_normal(values.shape)
    if values.requires_grad:
        (values * Tensor(w)).sum().backward()
    grads = [leaf.grad.numpy() if isinstance(leaf, Tensor) and leaf.grad is not None else None
             for leaf in leaves]
    return out, grads, w


def compare_with_torch(torch, ours, theirs, arrays, rtol=1e-12, atol=1e-12):
    """``ours(*leaves)`` and ``theirs(*torch_leaves)`` (float arrays become float64 leaves that require
    grad, others are passed as they are, as torch tensors for torch): equal values, equal indices (for
    a (values, indices) pair) and equal gradients of sum(values * w)."""
    out, grads, w = run_ours(ours, arrays)
    t_leaves = [torch.tensor(np.array(a, dtype=np.float64), requires_grad=True)
                if np.asarray(a).dtype.kind == "f" else torch.tensor(np.asarray(a)) for a in arrays]
    t_out = theirs(*t_leaves)
    t_values = t_out[0] if isinstance(t_out, tuple) else t_out
    values = out[0] if isinstance(out, tuple) else out
    np.testing.assert_allclose(values.numpy(), t_values.detach().numpy(), rtol=rtol, atol=atol)
    assert values.dtype == np.dtype(str(t_values.dtype).replace("torch.", ""))
    if isinstance(t_out, tuple):
        assert out[1].dtype == np.int64
        np.testing.assert_array_equal(out[1].numpy(), t_out[1].numpy())
    if t_values.requires_grad:
        t_values.backward(torch.tensor(w))
    for g, t in zip(grads, t_leaves):
        if t.requires_grad:
            expected = np.zeros(t.shape) if t.grad is None else t.grad.numpy()
            np.testing.assert_allclose(np.zeros(t.shape) if g is None else g, expected, rtol=rtol, atol=atol)


@st.composite
def gather_case(draw):
    """x, a dim and an index of x's rank, no larger than x apart from dim (any size along it)."""
    shape = draw(shapes)
    rng = np.random.default_rng(draw(seeds))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    index_shape = tuple(draw(st.integers(1, 5)) if d == axis % len(shape) else draw(st.integers(1, n))
                        for d, n in enumerate(shape))
    index = rng.integers(0, shape[axis], index_shape)
    return normal(rng, shape), axis, index


def take_along_reference(x: np.ndarray, axis: int, index: np.ndarray) -> np.ndarray:
    """torch.gather by numpy: x cut to the index's sizes in the other dims, then take_along_axis."""
    corner = tuple(slice(None) if d == axis % x.ndim else slice(0, n) for d, n in enumerate(index.shape))
    return np.take_along_axis(x[corner], index, axis)


# ======================================================================================= gather
@EXAMPLES
@given(gather_case())
def test_gather_matches_numpy_and_its_derivatives_match_finite_differences(case):
    x, axis, index = case
    out = ag.gather(x, axis, index)
    np.testing.assert_array_equal(out.numpy(), take_along_reference(x, axis, index))
    check_derivatives(lambda t: ag.gather(t, axis, index).sin(), x)


@EXAMPLES
@given(gather_case())
def test_gather_values_and_gradients_match_torch(case):
    torch = pytest.importorskip("torch")
    x, axis, index = case
    compare_with_torch(torch, lambda t, i: t.gather(axis, i), lambda t, i: t.gather(axis, i), [x, index])


def test_gather_repeated_indices_add_their_gradients_and_takes_dim_keywords():
    x = tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    y = x.gather(dim=1, index=tensor([[2, 2, 0, 2]]))
    assert y.tolist() == [[3.0, 3.0, 1.0, 3.0]]
    y.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0, 3.0]]


def test_gather_keeps_integer_dtypes_and_takes_int32_indices_and_a_0d_tensor():
    x = np.arange(6, dtype=np.int32).reshape(2, 3)
    out = ag.gather(x, 0, np.array([[1, 0, 1]], dtype=np.int32))
    assert out.dtype == np.int32 and out.tolist() == [[3, 1, 5]]
    assert ag.gather(np.float64(2.5), 0, np.array(0)).tolist() == 2.5


@pytest.mark.parametrize("index, error, message", [
    (np.array([[0.0]]), TypeError, "gather: got index of dtype float64; expected integers"),
    (np.array([[True]]), TypeError, "gather: got index of dtype bool; expected integers"),
    ("a", TypeError, "gather: got index of type str ('a'); expected a tensor of integers"),
    (np.array([[-1]]), IndexError,
     "gather: index -1 is out of bounds for dim 1 with size 3; expected indices in [0, 3)"),
    (np.array([[3]]), IndexError, "gather: index 3 is out of bounds for dim 1 with size 3"),
    (np.array([0]), ValueError,
     "gather: got an index of shape (1,) for the input of shape (2, 3); expected an index with as many "
     "dimensions"),
    (np.zeros((3, 1), dtype=int), ValueError, "gather: got an index of shape (3, 1) for the input of shape "
                                              "(2, 3); expected an index no larger apart from dim 1 (dim 0: "
                                              "3 > 2)"),
])
def test_gather_refuses_bad_indices_naming_what_it_got(index, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        ag.gather(np.zeros((2, 3)), 1, index)


def test_gather_refuses_a_dim_out_of_range():
    with pytest.raises(ValueError, match=r"^gather: dim 2 is out of range for a tensor with 2 dimensions"):
        ag.gather(np.zeros((2, 3)), 2, np.zeros((2, 3), dtype=int))
    with pytest.raises(TypeError, match=r"^gather: got dim=1.0; expected an int"):
        ag.gather(np.zeros((2, 3)), 1.0, np.zeros((2, 3), dtype=int))


# ======================================================================================= take_along_dim
def test_take_along_dim_broadcasts_and_matches_torch(torch):
    rng = np.random.default_rng(1)
    x = normal(rng, (2, 1, 4))
    index = rng.integers(0, 4, (1, 3, 5))
    compare_with_torch(torch, lambda t, i: t.take_along_dim(i, 2), lambda t, i: torch.take_along_dim(t, i, 2),
                       [x, index])
    compare_with_torch(torch, lambda t, i: ag.take_along_dim(t, i), lambda t, i: torch.take_along_dim(t, i),
                       [x, rng.integers(0, 8, (2, 3))])


def test_take_along_dim_with_argsort_indices_sorts_like_numpy():
    x = distinct(np.random.default_rng(2), (3, 4))
    order = np.argsort(x, axis=0)
    np.testing.assert_array_equal(ag.take_along_dim(x, order, dim=0).numpy(), np.sort(x, axis=0))
    check_derivatives(lambda t: ag.take_along_dim(t, order[:2], 0).sin(), x)


def test_take_along_dim_errors_name_it():
    with pytest.raises(ValueError, match=r"^take_along_dim: shapes \(2, 3\) \(input\) and \(3, 1\) "
                                         r"\(indices\) cannot be broadcast together apart from dim 1"):
        ag.take_along_dim(np.zeros((2, 3)), np.zeros((3, 1), dtype=int), 1)
    with pytest.raises(IndexError, match=r"^take_along_dim: index 6 is out of bounds for dim 0 with size 6"):
        ag.take_along_dim(np.zeros((2, 3)), np.array([6]))
    with pytest.raises(ValueError, match=r"^take_along_dim: got an index of shape \(2,\) for the input"):
        ag.take_along_dim(np.zeros((2, 3)), np.array([0, 1]), 1)


# ======================================================================================= index_select
@EXAMPLES
@given(shapes, seeds, st.data())
def test_index_select_matches_numpy_torch_and_finite_differences(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = normal(rng, shape)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    index = rng.integers(0, shape[axis], data.draw(st.integers(0, 5)))
    np.testing.assert_array_equal(ag.index_select(x, axis, index).numpy(), np.take(x, index, axis))
    check_derivatives(lambda t: t.index_select(axis, index).sin(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t, i: t.index_select(axis, i), lambda t, i: t.index_select(axis, i),
                       [x, index])


def test_index_select_errors_name_it():
    with pytest.raises(ValueError, match=r"^index_select: got an index of shape \(1, 1\); expected a vector"):
        ag.index_select(np.zeros(3), 0, [[0]])
    with pytest.raises(IndexError, match=r"^index_select: index -1 is out of bounds for dim 0 with size 3"):
        ag.index_select(np.zeros(3), 0, [-1])


# ======================================================================================= scatter
@st.composite
def scatter_case(draw, unique=True):
    """x, dim, an index that writes each position at most once (when ``unique``), and a src at least as
    large as the index."""
    shape = draw(shapes)
    rng = np.random.default_rng(draw(seeds))
    axis = draw(st.integers(-len(shape), len(shape) - 1)) % len(shape)
    n = shape[axis]
    index_shape = tuple(draw(st.integers(1, n)) if d == axis else draw(st.integers(1, m))
                        for d, m in enumerate(shape))
    if unique:  # along the axis, each slice of the index is a part of a permutation
        moved = np.moveaxis(np.empty(index_shape, dtype=int), axis, -1)
        for pos in np.ndindex(moved.shape[:-1]):
            moved[pos] = rng.permutation(n)[:index_shape[axis]]
        index = np.moveaxis(moved, -1, axis)
    else:
        index = rng.integers(0, n, index_shape)
    src_shape = tuple(m + draw(st.integers(0, 1)) for m in index_shape)
    return normal(rng, shape), axis, index, normal(rng, src_shape)


@EXAMPLES
@given(scatter_case())
def test_scatter_matches_a_numpy_reference_and_finite_differences(case):
    x, axis, index, src = case
    expected = x.copy()
    part = src[tuple(slice(0, n) for n in index.shape)]
    for pos in np.ndindex(index.shape):
        target = list(pos)
        target[axis] = index[pos]
        expected[tuple(target)] = part[pos]
    np.testing.assert_array_equal(ag.scatter(x, axis, index, src).numpy(), expected)
    # src larger than the index: its unused corner gets a zero gradient (torch raises here)
    check_derivatives(lambda t, s: ag.scatter(t, axis, index, s).sin(), x, src)


@EXAMPLES
@given(scatter_case())
def test_scatter_values_and_gradients_match_torch(case):
    torch = pytest.importorskip("torch")
    x, axis, index, src = case
    src = src[tuple(slice(0, n) for n in index.shape)]  # torch's gradient needs src of the index's shape
    compare_with_torch(torch, lambda t, i, s: t.scatter(axis, i, s), lambda t, i, s: t.scatter(axis, i, s),
                       [x, index, src])
    compare_with_torch(torch, lambda t, i: t.scatter(axis, i, 2.5), lambda t, i: t.scatter(axis, i, 2.5),
                       [x, index])


def test_scatter_with_repeated_indices_gives_every_src_entry_its_target_gradient_as_torch(torch):
    x, index, src = np.zeros(3), np.array([0, 0, 2]), np.array([1.0, 2.0, 3.0])
    out, grads, w = run_ours(lambda t, s: ag.scatter(t, 0, index, s), [x, src])
    assert out.numpy()[0] in (1.0, 2.0) and out.numpy()[2] == 3.0  # which write wins is unspecified
    tx, ts = torch.zeros(3, dtype=torch.float64, requires_grad=True), torch.tensor(src, requires_grad=True)
    torch.scatter(tx, 0, torch.tensor(index), ts).backward(torch.tensor(w))
    np.testing.assert_array_equal(grads[0], tx.grad.numpy())
    np.testing.assert_array_equal(grads[1], ts.grad.numpy())


def test_scatter_value_keyword_reduce_add_and_a_0d_tensor():
    assert ag.zeros(4).scatter(0, [3, 1], value=2.0).tolist() == [0.0, 2.0, 0.0, 2.0]
    assert ag.ones(3).scatter(0, [0, 0], [1.0, 2.0], reduce="add").tolist() == [4.0, 1.0, 1.0]
    assert ag.ones(3).scatter(0, [2, 2], 5.0, reduce="add").tolist() == [1.0, 1.0, 11.0]
    assert ag.scatter(np.float64(1.0), 0, np.array(0), np.array(3.0)).tolist() == 3.0


@pytest.mark.parametrize("call, error, message", [
    (lambda x: x.scatter(0, [0], [1.0], value=2.0), TypeError,
     "scatter: got both src and value; expected one"),
    (lambda x: x.scatter(0, [0]), TypeError, "scatter: got neither src nor value; expected one"),
    (lambda x: x.scatter(0, [0], [1.0], reduce="multiply"), ValueError, "scatter: got reduce='multiply'; "
                                                                        "expected None or 'add'"),
    (lambda x: x.scatter(0, [0], value="a"), TypeError, "scatter: got value of type str ('a'); expected a "
                                                        "number"),
    (lambda x: x.scatter(0, [0, 1], [1.0]), ValueError,
     "scatter: got an index of shape (2,) for src of shape (1,); expected an index no larger (dim 0: 2 > 1)"),
    (lambda x: x.scatter(0, [0], [[1.0]]), ValueError, "scatter: got an index of shape (1,) for src of shape "
                                                       "(1, 1); expected an index with as many dimensions"),
    (lambda x: x.astype("int64").scatter(0, [0], [1.5]), TypeError,
     "scatter: got src of dtype float32 for an input of dtype int64"),
    (lambda x: x.scatter(0, [3], [1.0]), IndexError,
     "scatter: index 3 is out of bounds for dim 0 with size 3"),
])
def test_scatter_errors_name_it(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call(ag.zeros(3))


# ======================================================================================= scatter_add
@EXAMPLES
@given(scatter_case(unique=False))
def test_scatter_add_adds_repeated_indices_and_matches_torch_and_finite_differences(case):
    x, axis, index, src = case
    expected = x.copy()
    for pos in np.ndindex(index.shape):
        target = list(pos)
        target[axis] = index[pos]
        expected[tuple(target)] += src[pos]
    np.testing.assert_allclose(ag.scatter_add(x, axis, index, src).numpy(), expected, rtol=1e-12, atol=1e-12)
    check_derivatives(lambda t, s: t.scatter_add(axis, index, s).sin(), x, src)
    torch = pytest.importorskip("torch")
    src = src[tuple(slice(0, n) for n in index.shape)]
    compare_with_torch(torch, lambda t, i, s: t.scatter_add(axis, i, s),
                       lambda t, i, s: torch.scatter_add(t, axis, i, s), [x, index, src])


def test_scatter_add_keeps_its_three_argument_form():
    src = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    expected = np.zeros((2, 2))
    np.add.at(expected, ([1, 0, 1],), src)
    np.testing.assert_array_equal(ag.scatter_add(src, ([1, 0, 1],), (2, 2)).numpy(), expected)
    with pytest.raises(TypeError, match=r"^scatter_add: got three arguments, the third of type Tensor .*; "
                                        r"expected scatter_add\(input, dim, index, src\)"):
        ag.zeros(3).scatter_add(0, ag.tensor([0]))


# ======================================================================================= masks
@EXAMPLES
@given(shapes, seeds, st.data())
def test_masked_fill_matches_numpy_torch_and_finite_differences(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = normal(rng, shape)
    mask_shape = data.draw(st.sampled_from([shape, shape[1:], (1,) * len(shape)]))
    mask = rng.random(mask_shape) < 0.5
    np.testing.assert_array_equal(ag.masked_fill(x, mask, -7.0).numpy(), np.where(mask, -7.0, x))
    check_derivatives(lambda t, v: t.masked_fill(mask, v).sin(), x, np.array(0.3))
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t, m, v: t.masked_fill(m, v), lambda t, m, v: t.masked_fill(m, v),
                       [x, mask, np.array(0.3)])


def test_masked_fill_keeps_the_dtype_as_torch(torch):
    x, mask = np.arange(3), np.array([True, False, True])
    out = ag.masked_fill(x, mask, 2.7)
    expected = torch.tensor(x).masked_fill(torch.tensor(mask), 2.7)
    assert out.dtype == np.int64 and out.tolist() == expected.tolist()
    assert ag.masked_fill(ag.zeros(2), [True, False], np.float64(1.5)).dtype == np.float32


@pytest.mark.parametrize("mask, value, error, message", [
    (np.array([1, 0]), 0.0, TypeError, "masked_fill: got a mask of dtype int64; expected booleans"),
    ("a", 0.0, TypeError, "masked_fill: got a mask of type str ('a'); expected a tensor of booleans"),
    (np.ones((3, 2), dtype=bool), 0.0, ValueError, "masked_fill: got a mask of shape (3, 2) for a tensor of "
                                                   "shape (2,); expected a mask that broadcasts"),
    (np.ones(2, dtype=bool), ag.ones(2), ValueError, "masked_fill: got a value of shape (2,); expected a "
                                                     "number or a 0-d tensor"),
    (np.ones(2, dtype=bool), None, TypeError, "masked_fill: got value of type NoneType (None)"),
])
def test_masked_fill_errors_name_it(mask, value, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        ag.masked_fill(ag.zeros(2), mask, value)


def test_masked_select_broadcasts_both_ways_and_matches_torch(torch):
    rng = np.random.default_rng(3)
    x = normal(rng, (3, 1))
    mask = rng.random((2, 1, 4)) < 0.5
    out = ag.masked_select(x, mask)
    shape = (2, 3, 4)
    np.testing.assert_array_equal(out.numpy(), np.broadcast_to(x, shape)[np.broadcast_to(mask, shape)])
    compare_with_torch(torch, lambda t, m: t.masked_select(m), lambda t, m: t.masked_select(m), [x, mask])
    check_derivatives(lambda t: t.masked_select(mask).sin(), x)
    with pytest.raises(ValueError, match=r"^masked_select: shapes \(3, 1\) \(input\) and \(2, 2\) \(mask\) "
                                         r"cannot be broadcast together"):
        ag.masked_select(x, [[True, False], [False, True]])


# ======================================================================================= cumsum, cumprod
@st.composite
def axis_case(draw, with_zeros=False):
    shape = draw(shapes)
    rng = np.random.default_rng(draw(seeds))
    x = normal(rng, shape)
    if with_zeros:
        x[rng.random(shape) < 0.3] = 0.0
    return x, draw(st.integers(-len(shape), len(shape) - 1))


@EXAMPLES
@given(axis_case())
def test_cumsum_matches_numpy_torch_and_finite_differences(case):
    x, axis = case
    np.testing.assert_allclose(ag.cumsum(x, axis).numpy(), np.cumsum(x, axis), rtol=1e-12, atol=1e-12)
    check_derivatives(lambda t: t.cumsum(axis).sin(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.cumsum(dim=axis), lambda t: t.cumsum(dim=axis), [x])


@EXAMPLES
@given(axis_case(with_zeros=True))
def test_cumprod_with_zeros_matches_numpy_torch_and_finite_differences(case):
    x, axis = case
    np.testing.assert_allclose(ag.cumprod(x, axis).numpy(), np.cumprod(x, axis), rtol=1e-12, atol=1e-12)
    check_derivatives(lambda t: t.cumprod(axis), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.cumprod(axis), lambda t: t.cumprod(axis), [x])


def test_cumprod_gradient_at_zeros_by_hand():
    # y = (a, ab, abc, abcd) at (2, 0, 3, 0): dy/da = (1, 0, 0, 0), dy/db = (0, 2, 6, 0), dy/dc = 0, dy/dd = 0
    x = tensor(np.array([2.0, 0.0, 3.0, 0.0]), requires_grad=True)
    x.cumprod(0).backward(tensor(np.array([1.0, 10.0, 100.0, 1000.0])))
    assert x.grad.tolist() == [1.0, 2.0 * 10 + 6.0 * 100, 0.0, 0.0]


def test_cumprod_second_derivatives_with_several_zeros_match_torch(torch):
    x = np.array([[1.5, 0.0, -2.0, 0.0, 0.5], [0.0, 2.0, 3.0, 1.0, -1.0]])
    w = np.random.default_rng(4).standard_normal(x.shape)
    v = np.random.default_rng(5).standard_normal(x.shape)
    ours = Tensor(x, requires_grad=True)
    (ours.cumprod(1) * Tensor(w)).sum().backward(create_graph=True)
    g, ours.grad = ours.grad, None
    (g * Tensor(v)).sum().backward()
    t = torch.tensor(x, requires_grad=True)
    (tg,) = torch.autograd.grad((t.cumprod(1) * torch.tensor(w)).sum(), t, create_graph=True)
    np.testing.assert_allclose(g.numpy(), tg.detach().numpy(), rtol=1e-12, atol=1e-12)
    (tg * torch.tensor(v)).sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), t.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", ["bool", "int32", "uint8", "int64"])
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_running_sums_and_products_of_integers_give_int64_as_torch(torch, name, dtype):
    x = np.array([[1, 2, 0], [3, 1, 2]]).astype(dtype)
    out = getattr(ag, name)(x, 1)
    expected = getattr(torch, name)(torch.tensor(x), 1)
    assert out.dtype == np.int64 and expected.dtype == torch.int64
    assert out.tolist() == expected.tolist()


def test_cumsum_dtype_casts_first_and_0d_is_its_one_element():
    out = ag.cumsum(np.array([1, 2]), 0, dtype="float64")
    assert out.dtype == np.float64 and out.tolist() == [1.0, 3.0]
    assert ag.cumprod(np.float64(3.0), 0).tolist() == 3.0
    with pytest.raises(ValueError, match=r"^cumsum: dim 1 is out of range for a tensor with 1 dimensions"):
        ag.cumsum([1.0], 1)


# ======================================================================================= cummax, cummin
@EXAMPLES
@given(shapes, seeds, st.data())
def test_cummax_cummin_match_torch_with_ties_and_finite_differences_without(shape, seed, data):
    rng = np.random.default_rng(seed)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    tied = rng.integers(-2, 3, shape).astype(np.float64)  # many ties
    for name, ufunc in (("cummax", np.maximum), ("cummin", np.minimum)):
        values, indices = getattr(ag, name)(tied, axis)
        np.testing.assert_array_equal(values.numpy(), ufunc.accumulate(tied, axis))
        np.testing.assert_array_equal(np.take_along_axis(tied, indices.numpy(), axis), values.numpy())
        check_derivatives(lambda t, name=name: getattr(t, name)(axis).values.sin(), distinct(rng, shape))
        torch = pytest.importorskip("torch")
        compare_with_torch(torch, lambda t, name=name: getattr(t, name)(axis),
                           lambda t, name=name: getattr(t, name)(axis), [tied])


def test_cummax_with_nan_matches_torch(torch):
    x = np.array([1.0, np.nan, 2.0, np.nan, 0.5])
    for name in ("cummax", "cummin"):
        values, indices = getattr(ag, name)(x, 0)
        expected = getattr(torch, name)(torch.tensor(x), 0)
        np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
        assert indices.tolist() == expected.indices.tolist()


# ======================================================================================= diff
@EXAMPLES
@given(axis_case(), st.integers(0, 4), st.booleans(), st.booleans())
def test_diff_matches_numpy_torch_and_finite_differences(case, n, prepend, append):
    x, axis = case
    edge = np.ones(x.shape[:axis % x.ndim] + (2,) + x.shape[axis % x.ndim + 1:])
    kw = {"prepend": edge if prepend else None, "append": edge * 3 if append else None}
    np_kw = {k: v for k, v in kw.items() if v is not None}
    np.testing.assert_allclose(ag.diff(x, n, axis, **kw).numpy(), np.diff(x, n, axis, **np_kw),
                               rtol=1e-12, atol=1e-12)
    check_derivatives(lambda t: t.diff(n, axis, **kw).sin(), x)
    torch = pytest.importorskip("torch")
    t_kw = {k: torch.tensor(v) for k, v in np_kw.items()}
    compare_with_torch(torch, lambda t: t.diff(n, dim=axis, **kw), lambda t: t.diff(n, dim=axis, **t_kw), [x])


def test_diff_of_bools_is_inequality_as_torch(torch):
    x = np.array([True, False, False, True])
    assert ag.diff(x).tolist() == torch.diff(torch.tensor(x)).tolist() == [True, False, True]


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.diff(np.float64(1.0)), ValueError, "diff: got a 0-d tensor; expected at least one dimension"),
    (lambda: ag.diff([1.0, 2.0], -1), ValueError, "diff: got n=-1; expected a non-negative order"),
    (lambda: ag.diff([1.0, 2.0], 1.5), TypeError, "diff: got n of type float (1.5); expected an int"),
    (lambda: ag.diff([1.0, 2.0], prepend=0.0), ValueError, "diff: got prepend of shape () for an input of "
                                                           "shape (2,); expected the input's shape apart"),
    (lambda: ag.diff(np.zeros((2, 3)), append=np.zeros((3, 1))), ValueError, "diff: got append of shape "
                                                                             "(3, 1) for an input of shape "
                                                                             "(2, 3)"),
])
def test_diff_errors_name_it(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= sort, argsort
@EXAMPLES
@given(shapes, seeds, st.data())
def test_sort_matches_numpy_torch_and_finite_differences(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = distinct(rng, shape)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    descending = data.draw(st.booleans())
    values, indices = ag.sort(x, axis, descending)
    expected = np.flip(np.sort(x, axis), axis) if descending else np.sort(x, axis)
    np.testing.assert_array_equal(values.numpy(), expected)
    np.testing.assert_array_equal(ag.argsort(x, axis, descending).numpy(), indices.numpy())
    check_derivatives(lambda t: t.sort(axis, descending).values.sin(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.sort(dim=axis, descending=descending),
                       lambda t: t.sort(dim=axis, descending=descending), [x])


@pytest.mark.parametrize("descending", [False, True])
def test_sort_is_stable_with_nan_largest_as_torch_stable(torch, descending):
    x = np.array([[2.0, 1.0, np.nan, 2.0, 1.0, 0.0, np.nan], [1.0, 1.0, 1.0, -1.0, 3.0, 3.0, -1.0]])
    values, indices = ag.tensor(x).sort(descending=descending, stable=True)
    expected = torch.sort(torch.tensor(x), descending=descending, stable=True)
    np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
    assert indices.tolist() == expected.indices.tolist()
    assert ag.argsort(x, descending=descending).tolist() == expected.indices.tolist()
    # each value's gradient goes to the entry its index names, ties included, as in torch
    finite = np.nan_to_num(x)
    compare_with_torch(torch, lambda t: t.sort(descending=descending),
                       lambda t: t.sort(descending=descending, stable=True), [finite])


def test_sort_of_ints_and_bools_keeps_their_dtype():
    values, indices = ag.sort(np.array([3, 1, 2], dtype=np.uint8), descending=True)
    assert values.dtype == np.uint8 and values.tolist() == [3, 2, 1] and indices.tolist() == [0, 2, 1]
    assert ag.sort([True, False, True]).values.tolist() == [False, True, True]


def test_sort_flags_must_be_bools():
    with pytest.raises(TypeError, match=r"^sort: got descending of type int \(1\); expected a bool"):
        ag.sort([1.0, 2.0], 0, 1)
    with pytest.raises(TypeError, match=r"^argsort: got stable of type NoneType \(None\); expected a bool"):
        ag.argsort([1.0, 2.0], stable=None)


# ======================================================================================= topk, kthvalue
@EXAMPLES
@given(shapes, seeds, st.data())
def test_topk_and_kthvalue_match_torch_and_finite_differences(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = distinct(rng, shape)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[axis]
    k = data.draw(st.integers(0, n))
    largest = data.draw(st.booleans())
    values, indices = ag.topk(x, k, axis, largest)
    ordered = np.flip(np.sort(x, axis), axis) if largest else np.sort(x, axis)
    np.testing.assert_array_equal(values.numpy(), np.take(ordered, np.arange(k), axis))
    check_derivatives(lambda t: t.topk(k, axis, largest).values.sin(), x)
    kth = max(k, 1)
    values, indices = ag.kthvalue(x, kth, axis)
    np.testing.assert_array_equal(values.numpy(), np.take(np.sort(x, axis), kth - 1, axis))
    check_derivatives(lambda t: t.kthvalue(kth, axis, keepdims=True).values.sin(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.topk(k, dim=axis, largest=largest),
                       lambda t: t.topk(k, dim=axis, largest=largest), [x])
    compare_with_torch(torch, lambda t: t.kthvalue(kth, dim=axis, keepdim=True),
                       lambda t: t.kthvalue(kth, dim=axis, keepdim=True), [x])


def test_topk_unsorted_gives_the_same_set_as_torch(torch):
    x = distinct(np.random.default_rng(6), (3, 6))
    values, indices = ag.topk(x, 3, sorted=False)
    expected = torch.topk(torch.tensor(x), 3, sorted=False)
    for ours, theirs in zip(indices.tolist(), expected.indices.tolist()):
        assert sorted(ours) == sorted(theirs)
    np.testing.assert_array_equal(np.take_along_axis(x, indices.numpy(), 1), values.numpy())


def test_topk_puts_nan_first_as_torch(torch):
    x = np.array([1.0, np.nan, 3.0, 2.0])
    values, indices = ag.topk(x, 2)
    expected = torch.topk(torch.tensor(x), 2)
    np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
    assert indices.tolist() == expected.indices.tolist()


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.topk([1.0, 2.0], 3), ValueError, "topk: got k=3 for dim 0 of size 2; expected 0 <= k <= 2"),
    (lambda: ag.topk([1.0, 2.0], -1), ValueError, "topk: got k=-1 for dim 0 of size 2"),
    (lambda: ag.topk([1.0, 2.0], 1.0), TypeError, "topk: got k of type float (1.0); expected an int"),
    (lambda: ag.kthvalue([1.0, 2.0], 0), ValueError, "kthvalue: got k=0 for dim 0 of size 2; expected "
                                                     "1 <= k <= 2"),
    (lambda: ag.topk(np.zeros((2, 2)), 1, 2), ValueError, "topk: dim 2 is out of range for a tensor with 2 "
                                                          "dimensions"),
])
def test_topk_and_kthvalue_errors_name_them(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= median
@EXAMPLES
@given(shapes, seeds, st.data())
def test_median_matches_a_numpy_lower_median_torch_and_finite_differences(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = distinct(rng, shape)
    flat = np.sort(x.reshape(-1))
    assert ag.median(x).item() == flat[(flat.size - 1) // 2]
    check_derivatives(lambda t: t.median().sin(), x)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    values, indices = ag.median(x, axis)
    np.testing.assert_array_equal(values.numpy(), np.take(np.sort(x, axis), (shape[axis] - 1) // 2, axis))
    check_derivatives(lambda t: t.median(axis).values.sin(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.median(), lambda t: t.median(), [x])
    compare_with_torch(torch, lambda t: t.median(dim=axis, keepdim=True),
                       lambda t: t.median(dim=axis, keepdim=True), [x])


def test_median_of_all_entries_shares_its_gradient_among_ties_as_torch(torch):
    x = np.array([[3.0, 1.0, 2.0], [2.0, 5.0, 2.0]])
    compare_with_torch(torch, lambda t: t.median(), lambda t: t.median(), [x])
    out, grads, _ = run_ours(lambda t: t.median(), [x])
    assert out.item() == 2.0
    assert np.count_nonzero(grads[0]) == 3  # three entries equal the median


def test_median_with_nan_is_nan_at_the_first_nan_as_torch(torch):
    x = np.array([[1.0, np.nan, 2.0, np.nan], [4.0, 3.0, 1.0, 2.0]])
    values, indices = ag.median(x, 1)
    expected = torch.median(torch.tensor(x), 1)
    np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
    assert indices.tolist() == expected.indices.tolist()
    assert np.isnan(ag.median(x).item()) and np.isnan(torch.median(torch.tensor(x)).item())


def test_median_errors_name_it():
    with pytest.raises(ValueError, match=r"^median: got a tensor of shape \(0,\); expected at least one "):
        ag.median(np.zeros(0))
    with pytest.raises(TypeError, match=r"^median: got axis=\(0, 1\); expected an int or None"):
        ag.median(np.zeros((2, 2)), (0, 1))


def test_graph_pictures_name_the_running_ops_and_their_axis():
    from autograd.graph_tensor import op_text

    z = ag.ones(4, 3, requires_grad=True)
    assert [op_text(z.cumsum(1)), op_text(z.cumprod(dim=0)), op_text(z.median())] == [
        "cumsum(axis=1)", "cumprod(axis=0)", "median"]


@pytest.mark.parametrize("tiny", [0.0, 5e-324, 2.2e-313, 1e-200, 1e-160])
def test_cumprod_first_and_second_derivatives_stay_exact_at_tiny_entries(tiny):
    """Written out by hand: f = sum_i w_i prod_{j <= i} x_j, so df/dx_k = sum_{i >= k} w_i
    prod_{j <= i, j != k} x_j and d2f/dx_k dx_m = sum_{i >= max(k, m)} w_i prod_{j <= i, j != k, m} x_j."""
    x0 = np.array([1.5, tiny, -0.75, 2.0])
    w = np.array([0.5, -1.0, 2.0, 0.25])
    n = len(x0)

    def prod_without(i, skip):
        return np.prod([x0[j] for j in range(i + 1) if j not in skip])

    grad = [sum(w[i] * prod_without(i, {k}) for i in range(k, n)) for k in range(n)]
    hess = [[0.0 if k == m else sum(w[i] * prod_without(i, {k, m}) for i in range(max(k, m), n))
             for m in range(n)] for k in range(n)]
    f = lambda x: (ag.cumprod(x, 0) * Tensor(w)).sum()  # noqa: E731
    x = Tensor(x0, requires_grad=True)
    f(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), grad, rtol=1e-12, atol=0)
    np.testing.assert_allclose(ag.hessian(f, Tensor(x0)).numpy(), hess, rtol=1e-12, atol=0)


@pytest.mark.parametrize("shape, dim", [((3, 0), 0), ((0, 3), 1), ((2, 3, 0), 1)])
def test_median_along_a_non_empty_axis_of_an_empty_tensor_is_empty_as_in_torch(shape, dim):
    torch = pytest.importorskip("torch")
    theirs = torch.median(torch.zeros(shape), dim=dim)
    ours = ag.median(ag.zeros(*shape), dim=dim)
    assert ours.values.shape == tuple(theirs.values.shape)
    assert ours.indices.shape == tuple(theirs.indices.shape)


def test_median_along_an_empty_axis_is_refused_as_in_torch():
    torch = pytest.importorskip("torch")
    with pytest.raises(IndexError):
        torch.median(torch.zeros(0, 3), dim=0)
    with pytest.raises(ValueError, match=r"median: got a tensor of shape \(0, 3\), whose axis 0 is empty"):
        ag.median(ag.zeros(0, 3), dim=0)
