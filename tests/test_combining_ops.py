"""Grids and numpy's stacking functions with PyTorch's semantics: meshgrid, cartesian_prod,
broadcast_tensors, atleast_1d/2d/3d, hstack, vstack, row_stack, dstack and column_stack.

Values against numpy, values and first and second derivatives against torch in float64, derivatives
against finite differences, on hypothesis-drawn shapes; how they read their arguments; errors.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from helpers import check_derivatives
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_reference import compare_with_torch

import autograd as ag
from autograd import Tensor

EXAMPLES = settings(max_examples=10)
seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(1, 4)
STACKS = {"hstack": np.hstack, "vstack": np.vstack, "row_stack": np.vstack, "dstack": np.dstack,
          "column_stack": np.column_stack}


def weighted(outs):
    """One tensor from a tuple of outputs, so that every output takes part in a derivative check."""
    return ag.cat([o.reshape(-1) * (i + 1.0) for i, o in enumerate(outs)]).sin()


# ======================================================================================= meshgrid
@EXAMPLES
@given(st.lists(st.integers(0, 1), min_size=1, max_size=3), st.lists(sizes, min_size=3, max_size=3),
       st.sampled_from(["ij", "xy"]), seeds)
def test_meshgrid_matches_numpy_torch_and_finite_differences(ndims, lengths, indexing, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal((n,) if d else ()) for d, n in zip(ndims, lengths)]
    grids = ag.meshgrid(*arrays, indexing=indexing)
    expected = np.meshgrid(*arrays, indexing=indexing)
    assert len(grids) == len(expected)
    for g, e in zip(grids, expected):
        np.testing.assert_array_equal(g.numpy(), e)
    check_derivatives(lambda *ts: weighted(ag.meshgrid(*ts, indexing=indexing)), *arrays)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda *ts: ag.meshgrid(list(ts), indexing=indexing),
                       lambda *ts: torch.meshgrid(*ts, indexing=indexing), *arrays)


def test_meshgrid_defaults_to_ij_and_reads_its_arguments_as_torch(torch):
    a, b = np.arange(3.0), np.arange(2.0)
    assert [g.shape for g in ag.meshgrid(a, b)] == [(3, 2), (3, 2)]
    assert [g.shape for g in ag.meshgrid((ag.tensor(a), b))] == [(3, 2), (3, 2)]
    assert [g.shape for g in ag.meshgrid([1.0, 2.0])] == [(2,)]  # a list of numbers is one tensor
    assert [g.tolist() for g in ag.meshgrid([ag.tensor(a)])] == [a.tolist()]


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.meshgrid(np.ones(2), np.ones((2, 2))), ValueError,
     "meshgrid: tensor 1 has shape (2, 2); expected 0-d or 1-D tensors"),
    (lambda: ag.meshgrid(np.ones(2), np.ones(2), indexing="ji"), ValueError,
     "meshgrid: got indexing='ji'; expected 'ij' or 'xy'"),
    (lambda: ag.meshgrid(), ValueError, "meshgrid: got no tensors; expected at least one"),
    (lambda: ag.meshgrid(np.ones(2), np.ones(2, dtype=np.int64)), TypeError,
     "meshgrid: got tensors of dtypes ['float64', 'int64']; expected one dtype"),
    (lambda: ag.meshgrid(np.ones(2), None), TypeError, "meshgrid: got an argument of type NoneType"),
    (lambda: ag.cartesian_prod(np.ones(2), np.float64(1.0)), ValueError,
     "cartesian_prod: tensor 1 has shape (); expected 1-D tensors"),
    (lambda: ag.cartesian_prod(), ValueError, "cartesian_prod: got no tensors"),
    (lambda: ag.cartesian_prod([1, 2], [1.0]), TypeError, "cartesian_prod: got tensors of dtypes"),
    (lambda: ag.broadcast_tensors(np.ones(2), np.ones(3)), ValueError,
     "broadcast_tensors: shapes (2,), (3,) cannot be broadcast together"),
])
def test_grid_errors_name_the_function(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= cartesian_prod
@EXAMPLES
@given(st.lists(sizes, min_size=1, max_size=3), seeds)
def test_cartesian_prod_matches_itertools_torch_and_finite_differences(lengths, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(n) for n in lengths]
    out = ag.cartesian_prod(*arrays)
    expected = np.array(list(itertools.product(*arrays)))
    np.testing.assert_array_equal(out.numpy(), expected if len(arrays) > 1 else arrays[0])
    check_derivatives(lambda *ts: ag.cartesian_prod(*ts).sin(), *arrays)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda *ts: ag.cartesian_prod(*ts) ** 2,
                       lambda *ts: torch.cartesian_prod(*ts) ** 2, *arrays)


def test_cartesian_prod_keeps_integers_and_returns_one_tensor_as_it_is(torch):
    out = ag.cartesian_prod([1, 2], [3, 4, 5])
    assert out.dtype == np.int64
    assert out.tolist() == torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4, 5])).tolist()
    t = ag.tensor([1.0, 2.0])
    assert ag.cartesian_prod(t) is t


# ======================================================================================= broadcast_tensors
@EXAMPLES
@given(st.lists(sizes, max_size=3), st.data(), seeds)
def test_broadcast_tensors_matches_numpy_torch_and_finite_differences(full, data, seed):
    rng = np.random.default_rng(seed)
    shapes = []
    for _ in range(data.draw(st.integers(1, 3))):
        suffix = full[data.draw(st.integers(0, len(full))):]
        shapes.append(tuple(1 if data.draw(st.booleans()) else n for n in suffix))
    arrays = [rng.standard_normal(s) for s in shapes]
    outs = ag.broadcast_tensors(*arrays)
    for o, e in zip(outs, np.broadcast_arrays(*arrays)):
        np.testing.assert_array_equal(o.numpy(), e)
    check_derivatives(lambda *ts: weighted(ag.broadcast_tensors(*ts)), *arrays)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, ag.broadcast_tensors, torch.broadcast_tensors, *arrays)


def test_broadcast_tensors_of_nothing_is_nothing_and_a_fitting_tensor_is_kept():
    assert ag.broadcast_tensors() == ()
    t = ag.ones(2, 3)
    kept, widened = ag.broadcast_tensors(t, ag.ones(3))
    assert kept is t and widened.shape == (2, 3)


# ======================================================================================= atleast_nd
@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4), (1, 2, 3, 4)])
def test_atleast_matches_numpy_torch_and_finite_differences(torch, n, shape):
    x = np.random.default_rng(n).standard_normal(shape)
    fn, t_fn, np_fn = (getattr(m, f"atleast_{n}d") for m in (ag, torch, np))
    assert fn(x).shape == np_fn(x).shape == tuple(t_fn(torch.tensor(x)).shape)
    np.testing.assert_array_equal(fn(x).numpy(), np_fn(x))
    check_derivatives(lambda t: fn(t).sin(), x)
    compare_with_torch(torch, fn, t_fn, x)
    compare_with_torch(torch, lambda a, b: fn(a, b), lambda a, b: t_fn(a, b), x, x * 2.0)


def test_atleast_returns_a_tuple_for_several_tensors_or_a_sequence_as_torch(torch):
    a, b = ag.tensor(1.0), ag.tensor([2.0])
    assert isinstance(ag.atleast_1d(a), Tensor)
    assert [t.shape for t in ag.atleast_1d(a, b)] == [(1,), (1,)]
    assert [t.shape for t in ag.atleast_2d([a, b])] == [(1, 1), (1, 1)]
    assert [t.shape for t in ag.atleast_3d((a,))] == [(1, 1, 1)]
    assert ag.atleast_1d() == ()
    assert ag.atleast_2d([1.0, 2.0]).shape == (1, 2)  # a list of numbers is one tensor (numpy's reading)
    assert isinstance(torch.atleast_1d((torch.tensor(1.0),)), tuple)


# ======================================================================================= hstack and others
SHAPES_FOR = {  # lists of shapes each function joins, numpy's and torch's examples among them
    "hstack": [[(), (2,)], [(3,), (1,), (2,)], [(2, 1), (2, 3)], [(2, 3, 1), (2, 1, 1)]],
    "vstack": [[(2,), (3, 2)], [(), ()], [(1, 2, 3), (2, 2, 3)]],
    "row_stack": [[(2,), (2,)], [(2, 3), (1, 3)]],
    "dstack": [[(2,), (2,)], [(2, 3), (2, 3, 2)], [(), ()]],
    "column_stack": [[(2,), (2, 3)], [(), ()], [(2, 3, 4), (2, 1, 4)], [(3,), (3,), (3, 1)]],
}


@pytest.mark.parametrize("name, shapes", [(name, s) for name, cases in SHAPES_FOR.items() for s in cases])
def test_stacking_matches_numpy_torch_and_finite_differences(torch, name, shapes):
    rng = np.random.default_rng(len(shapes))
    arrays = [rng.standard_normal(s) for s in shapes]
    fn = getattr(ag, name)
    out = fn(arrays)
    np.testing.assert_array_equal(out.numpy(), STACKS[name](arrays))
    check_derivatives(lambda *ts: fn(list(ts)).sin(), *arrays)
    compare_with_torch(torch, lambda *ts: fn(ts) ** 2, lambda *ts: getattr(torch, name)(ts) ** 2, *arrays)


@pytest.mark.parametrize("name", sorted(STACKS))
def test_stacking_takes_arrays_and_lists_among_its_tensors(name):
    a, b = np.array([[1.0, 2.0]]), [[3.0, 4.0]]
    out = getattr(ag, name)([a, b])
    assert type(out) is Tensor and out.dtype == np.float64 and not out.requires_grad
    np.testing.assert_array_equal(out.numpy(), STACKS[name]([a, np.array(b)]))
    with pytest.raises(TypeError, match=rf"^{name}: got element 1 of type str \('a'\); expected a Tensor"):
        getattr(ag, name)([a, "a"])
    with pytest.raises(TypeError, match=rf"^{name}: got a single Tensor of shape \(2,\); expected a seq"):
        getattr(ag, name)(ag.ones(2))
    with pytest.raises(ValueError, match=rf"^{name}: got an empty sequence; expected at least one tensor"):
        getattr(ag, name)([])


@pytest.mark.parametrize("call, message", [
    (lambda: ag.hstack([np.ones(2), np.ones((2, 3))]),
     "hstack: tensor 1 has shape (2, 3) and tensor 0 has shape (2,); expected the same number of dimensions"),
    (lambda: ag.vstack([np.ones(2), np.ones(3)]),
     "vstack: tensor 1 has shape (1, 3) and tensor 0 has shape (1, 2)"),
    (lambda: ag.dstack([np.ones((2, 3)), np.ones((3, 2))]), "dstack: tensor 1 has shape (3, 2, 1)"),
    (lambda: ag.column_stack([np.ones(2), np.ones(3)]), "column_stack: tensor 1 has shape (3, 1)"),
])
def test_stacking_errors_name_the_function(call, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        call()


def test_stacking_promotes_dtypes_as_cat():
    assert ag.column_stack([np.array([1, 2]), np.array([1.0, 2.0])]).dtype == np.float64
    assert ag.hstack([ag.ones(2), ag.ones(1)]).dtype == np.float32
