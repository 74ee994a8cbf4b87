"""Distances and similarities: cdist, dist, cosine_similarity and pairwise_distance (autograd's functions,
PyTorch's torch.cdist, torch.dist and torch.nn.functional's two).

Values against numpy, first and second derivatives against torch in float64 and against finite
differences on hypothesis-drawn shapes, the gradient at zero distance (0, as in torch), dtypes and errors.
"""

from __future__ import annotations

import math
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
P_VALUES = [2.0, 1.0, 0.5, 3.0, math.inf, 0.0]


def apart(rng, shape):
    """Values whose pairwise differences stay away from 0 (no kink of |d|**p within a step): multiples of
    0.37 plus at most 0.1. Add ``OFFSET`` to one of two such arrays to keep the differences between them
    at least 0.085 from 0 as well."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.37 + rng.uniform(0.0, 0.1, shape)


OFFSET = 0.185  # half the spacing of apart's values


def numpy_norm(d: np.ndarray, p: float, axis) -> np.ndarray:
    a = np.abs(d)
    if math.isinf(p):
        return a.max(axis=axis)
    if p == 0:
        return (a != 0).sum(axis=axis).astype(d.dtype)
    return (a ** p).sum(axis=axis) ** (1 / p)


@EXAMPLES
@pytest.mark.parametrize("p", P_VALUES)
@given(batch=st.lists(sizes, max_size=2).map(tuple), rows=sizes, cols=sizes, m=sizes, seed=seeds)
def test_cdist_matches_numpy_torch_and_finite_differences(p, batch, rows, cols, m, seed):
    rng = np.random.default_rng(seed)
    x1 = apart(rng, batch + (rows, m))
    x2 = apart(rng, batch[1:] + (cols, m)) + OFFSET  # its batch broadcasts
    expected = numpy_norm(x1[..., :, None, :] - x2[..., None, :, :], p, -1)
    np.testing.assert_allclose(ag.cdist(x1, x2, p).numpy(), expected, rtol=1e-12)
    if p != 0:
        check_derivatives(lambda a, b: ag.cdist(a, b, p), x1, x2)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda a, b: ag.cdist(a, b, p), lambda a, b: torch.cdist(a, b, p), x1, x2,
                       rtol=1e-9, atol=1e-11, second_order=False)  # torch.cdist has no second derivative
    compare_with_torch(torch, lambda a, b: ag.cdist(a, b, p),
                       lambda a, b: torch.linalg.vector_norm(a.unsqueeze(-2) - b.unsqueeze(-3), p, -1),
                       x1, x2, rtol=1e-9, atol=1e-11, second_order=p != 0)


@pytest.mark.parametrize("p", P_VALUES)
def test_cdist_gradient_at_zero_distance_is_0_as_torch(torch, p):
    x1 = np.array([[0.0, 0.0], [1.0, 2.0]])
    x2 = np.array([[0.0, 0.0], [3.0, 1.0], [1.0, 2.0]])
    compare_with_torch(torch, lambda a, b: ag.cdist(a, b, p), lambda a, b: torch.cdist(a, b, p), x1, x2,
                       second_order=False)
    a = Tensor(x1, requires_grad=True)
    ag.cdist(a, x1, p).sum().backward()  # every row at distance 0 from itself
    assert np.isfinite(a.grad.numpy()).all()


def test_cdist_of_order_inf_gives_each_tied_coordinate_the_whole_gradient_as_torch(torch):
    # x1 - x2 = [1, 2, -2]: the distance is 2, reached by the last two coordinates, and torch gives each of
    # them the whole gradient with the sign of its difference (amax and vector_norm share it instead)
    x1 = Tensor(np.array([[1.0, 3.0, -2.0]]), requires_grad=True)
    x2 = Tensor(np.array([[0.0, 1.0, 0.0]]), requires_grad=True)
    d = ag.cdist(x1, x2, math.inf)
    assert d.tolist() == [[2.0]]
    d.backward()
    assert x1.grad.tolist() == [[0.0, 1.0, -1.0]] and x2.grad.tolist() == [[0.0, -1.0, 1.0]]
    # small integers tie often, also at 0 (whose sign is 0) and across broadcast batches
    rng = np.random.default_rng(7)
    a, b = rng.integers(-2, 3, (2, 5, 4)).astype(float), rng.integers(-2, 3, (1, 6, 4)).astype(float)
    compare_with_torch(torch, lambda u, v: ag.cdist(u, v, math.inf),
                       lambda u, v: torch.cdist(u, v, math.inf), a, b, second_order=False)


def test_cdist_of_order_inf_gives_the_same_gradient_when_recorded_and_second_derivatives_from_it():
    a, b = np.array([[1.0, 3.0, -2.0], [2.0, -2.0, 2.0]]), np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    g = ag.grad(lambda u, v: ag.cdist(u, v, math.inf).sum(), argnums=(0, 1), create_graph=True)(a, b)
    # by hand, the differences x1[i] - x2[j] and the signs where |difference| is the distance:
    # (0, 0) [1, 2, -2] -> [0, 1, -1]; (0, 1) [1, 3, -2] -> [0, 1, 0];
    # (1, 0) [2, -3, 2] -> [0, -1, 0]; (1, 1) [2, -2, 2] -> [1, -1, 1] (three coordinates tie)
    assert g[0].tolist() == [[0.0, 2.0, -1.0], [1.0, -2.0, 1.0]]
    assert g[1].tolist() == [[0.0, 0.0, 1.0], [-1.0, 0.0, -1.0]]
    # torch.cdist has no second derivative. By hand, for f(u) = cdist(u, b)**2 with u = [1, 3, -2] and
    # b = [0, 1, 0]: the distance 2 has the gradient w = [0, 1, -1], f's gradient is 2 * 2 * w, and the
    # derivative of its product with v = u is 2 * (w . v) * w = 10 * w
    x = Tensor(a[:1], requires_grad=True)
    grad = ag.grad(lambda u: (ag.cdist(u, b[:1], math.inf) ** 2).sum(), create_graph=True)(x)
    assert grad.tolist() == [[0.0, 4.0, -4.0]]
    (grad * Tensor(a[:1])).sum().backward()
    assert x.grad.tolist() == [[0.0, 10.0, -10.0]]


def test_cdist_of_order_inf_without_columns_is_0_as_torch(torch):
    compare_with_torch(torch, lambda u, v: ag.cdist(u, v, math.inf), lambda u, v: torch.cdist(u, v, math.inf),
                       np.zeros((2, 0)), np.zeros((3, 0)), second_order=False)
    assert ag.cdist(np.zeros((2, 0)), np.zeros((3, 0)), math.inf).tolist() == [[0.0] * 3] * 2


@EXAMPLES
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, math.inf, -1.0, 0.0])
@given(shape=st.lists(sizes, max_size=3).map(tuple), seed=seeds, data=st.data())
def test_dist_matches_numpy_torch_and_finite_differences(p, shape, seed, data):
    rng = np.random.default_rng(seed)
    a = apart(rng, shape)
    b = apart(rng, shape[data.draw(st.integers(0, len(shape))):]) + OFFSET
    expected = numpy_norm(np.broadcast_to(a - b, np.broadcast_shapes(a.shape, b.shape)).reshape(-1), p, 0)
    np.testing.assert_allclose(ag.dist(a, b, p).numpy(), expected, rtol=1e-12)
    if p != 0:
        check_derivatives(lambda x, y: ag.dist(x, y, p), a, b)
    torch = pytest.importorskip("torch")
    if p != 0:
        compare_with_torch(torch, lambda x, y: x.dist(y, p), lambda x, y: torch.dist(x, y, p), a, b,
                           rtol=1e-9)
        return
    # torch's backward pass through dist of order 0 raises; its value is the number of entries that differ
    assert ag.dist(a, b, 0).item() == torch.dist(torch.tensor(a), torch.tensor(b), 0).item()
    x = Tensor(a, requires_grad=True)
    ag.dist(x, b, 0).backward()
    assert x.grad.tolist() == np.zeros_like(a).tolist()


@EXAMPLES
@given(shape=st.lists(sizes, min_size=1, max_size=3).map(tuple), seed=seeds, data=st.data())
def test_cosine_similarity_matches_numpy_torch_and_finite_differences(shape, seed, data):
    rng = np.random.default_rng(seed)
    x1 = rng.standard_normal(shape)
    x2 = rng.standard_normal(tuple(1 if data.draw(st.booleans()) else n for n in shape))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    a, b = np.broadcast_arrays(x1, x2)
    expected = (a * b).sum(dim) / (np.linalg.norm(a, axis=dim) * np.linalg.norm(b, axis=dim))
    out = ag.cosine_similarity(x1, x2, dim=dim)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-10, atol=1e-12)
    check_derivatives(lambda u, v: ag.cosine_similarity(u, v, dim), x1, x2)
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    compare_with_torch(torch, lambda u, v: ag.cosine_similarity(u, v, dim),
                       lambda u, v: F.cosine_similarity(u, v, dim), x1, x2, rtol=1e-9, atol=1e-9)


def test_cosine_similarity_clamps_small_norms_as_torch(torch):
    F = torch.nn.functional
    y = np.array([[1.0, 2.0, 0.0]])
    for x in ([[1e-9, 0.0, 0.0]], [[0.0, 0.0, 0.0]], [[1e-9, -1e-10, 3e-10]]):
        # at a vector of norm 0 torch's second derivatives are nan (its norm's), this module's finite
        compare_with_torch(torch, ag.cosine_similarity, F.cosine_similarity, np.array(x), y, rtol=1e-9,
                           second_order=any(x[0]))
    compare_with_torch(torch, lambda u, v: ag.cosine_similarity(u, v, 0, eps=0.5),
                       lambda u, v: F.cosine_similarity(u, v, 0, eps=0.5), np.array(0.25), np.array(-2.0))


@EXAMPLES
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, math.inf, -1.0, 0.0])
@given(shape=st.lists(sizes, max_size=3).map(tuple), seed=seeds, keepdim=st.booleans(),
       eps=st.sampled_from([1e-6, 0.0, 0.5]))
def test_pairwise_distance_matches_numpy_torch_and_finite_differences(p, shape, seed, keepdim, eps):
    rng = np.random.default_rng(seed)
    x1, x2 = apart(rng, shape), apart(rng, shape[1:]) + OFFSET
    d = np.broadcast_to(x1 - x2 + eps, np.broadcast_shapes(x1.shape, x2.shape))
    expected = numpy_norm(d, p, -1 if d.ndim else None)
    out = ag.pairwise_distance(x1, x2, p, eps, keepdim)
    np.testing.assert_allclose(out.numpy().reshape(np.shape(expected)), expected, rtol=1e-12)
    if p != 0:
        check_derivatives(lambda a, b: ag.pairwise_distance(a, b, p, eps, keepdim), x1, x2)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda a, b: ag.pairwise_distance(a, b, p, eps, keepdim),
                       lambda a, b: torch.nn.functional.pairwise_distance(a, b, p, eps, keepdim), x1, x2,
                       rtol=1e-9)


def test_distance_dtypes_as_torch(torch):
    assert ag.pairwise_distance([1, 2], [3, 4]).item() == pytest.approx(
        torch.nn.functional.pairwise_distance(torch.tensor([1, 2]), torch.tensor([3, 4])).item(), rel=1e-6)
    assert ag.cdist(ag.ones(2, 3), ag.zeros(4, 3)).dtype == np.float32
    out = ag.cosine_similarity(np.array([[1, 2]]), np.array([[2.0, 4.0]]))
    assert out.dtype == np.float64 and out.item() == pytest.approx(1.0, rel=1e-15)
    assert ag.dist(ag.ones(2), 0.0).dtype == np.float32


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.cdist(np.ones(3), np.ones((4, 3))), ValueError,
     "cdist: got shapes (3,) and (4, 3); expected at least 2 dimensions each"),
    (lambda: ag.cdist(np.ones((2, 3)), np.ones((4, 2))), ValueError,
     "cdist: got shapes (2, 3) and (4, 2); expected the same number of columns M"),
    (lambda: ag.cdist(np.ones((2, 2, 3)), np.ones((3, 4, 3))), ValueError,
     "cdist: the batch dimensions of shapes (2, 2, 3) and (3, 4, 3) cannot be broadcast together"),
    (lambda: ag.cdist(np.ones((2, 3)), np.ones((4, 3)), -1), ValueError,
     "cdist: got p=-1; expected a number >= 0 (or inf)"),
    (lambda: ag.cdist(np.ones((2, 3), dtype=int), np.ones((4, 3), dtype=int)), TypeError,
     "cdist: got tensors of dtypes int64 and int64; expected floating-point tensors"),
    (lambda: ag.dist(np.ones(2), np.ones(3)), ValueError,
     "dist: shapes (2,) and (3,) cannot be broadcast together"),
    (lambda: ag.dist(np.ones(2), np.ones(2), "fro"), TypeError,
     "dist: got p of type str ('fro'); expected a real number"),
    (lambda: ag.dist(np.ones(2), np.ones(2), math.nan), ValueError, "dist: got p=nan"),
    (lambda: ag.cosine_similarity(np.ones(3), np.ones(3)), ValueError,
     "cosine_similarity: dim 1 is out of range for a tensor with 1 dimensions"),
    (lambda: ag.cosine_similarity(np.ones((2, 3)), np.ones((4, 3))), ValueError,
     "cosine_similarity: shapes (2, 3) and (4, 3) cannot be broadcast together"),
    (lambda: ag.cosine_similarity(np.ones((2, 3)), np.ones((2, 3)), eps=None), TypeError,
     "cosine_similarity: got eps of type NoneType (None); expected a number"),
    (lambda: ag.pairwise_distance(np.ones(2), np.ones(3)), ValueError,
     "pairwise_distance: shapes (2,) and (3,) cannot be broadcast together"),
])
def test_distance_errors_name_the_function(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()
