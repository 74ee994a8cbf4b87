"""autograd.linalg, PyTorch's torch.linalg: inv, det, slogdet, solve, cholesky, svd, svdvals and the norms
vector_norm, matrix_norm and norm (with autograd.inverse, det and slogdet at the top level).

Values and first and second derivatives against torch in float64 (torch_reference.compare_with_torch) and
against finite differences (gradcheck, gradgradcheck) on hypothesis-drawn batches, the conventions at
singular matrices (where this module's determinant is exact and torch's is not), dtypes and errors.
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
from autograd import Tensor, linalg

EXAMPLES = settings(max_examples=10)
seeds = st.integers(0, 2**32 - 1)
batches = st.lists(st.integers(1, 3), max_size=2).map(tuple)
orders = st.integers(1, 4)


def well_conditioned(rng, batch, n):
    return rng.standard_normal(batch + (n, n)) + 2.0 * np.sqrt(n) * np.eye(n)


def minors_cofactor(a: np.ndarray) -> np.ndarray:
    """The cofactor matrix of one matrix, from the determinants of its minors (numpy)."""
    n = a.shape[0]
    out = np.empty_like(a)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, 0), j, 1)
            out[i, j] = (-1) ** (i + j) * np.linalg.det(minor)
    return out


# ======================================================================================= inv, det, slogdet
@EXAMPLES
@given(batches, orders, seeds)
def test_inv_matches_numpy_torch_and_finite_differences(batch, n, seed):
    a = well_conditioned(np.random.default_rng(seed), batch, n)
    np.testing.assert_allclose(linalg.inv(a).numpy(), np.linalg.inv(a), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(ag.inverse(a).numpy(), linalg.inv(a).numpy())
    check_derivatives(linalg.inv, a)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, linalg.inv, torch.linalg.inv, a, rtol=1e-9)
    compare_with_torch(torch, lambda x: x.inverse(), torch.inverse, a, rtol=1e-9)


@EXAMPLES
@given(batches, orders, seeds)
def test_det_and_slogdet_match_numpy_torch_and_finite_differences(batch, n, seed):
    a = np.random.default_rng(seed).standard_normal(batch + (n, n))
    np.testing.assert_allclose(ag.det(a).numpy(), np.linalg.det(a), rtol=1e-12, atol=1e-12)
    sign, logabsdet = linalg.slogdet(a)
    np.testing.assert_array_equal(sign.numpy(), np.linalg.slogdet(a)[0])
    np.testing.assert_allclose(logabsdet.numpy(), np.linalg.slogdet(a)[1], rtol=1e-12, atol=1e-12)
    check_derivatives(linalg.det, a)
    check_derivatives(lambda x: linalg.slogdet(x).logabsdet, a)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda x: x.det(), torch.linalg.det, a, rtol=1e-9)
    compare_with_torch(torch, lambda x: tuple(x.slogdet()), lambda x: tuple(torch.linalg.slogdet(x)), a,
                       rtol=1e-9)


@pytest.mark.parametrize("a", [
    [[1.0, 2.0], [2.0, 4.0]],                                    # rank 1 of 2
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],         # rank 2 of 3
    [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],         # rank 1 of 3: cofactors 0
    [[0.0, 0.0], [0.0, 0.0]],
    [[[2.0, 1.0], [1.0, 3.0]], [[1.0, 1.0], [1.0, 1.0]]],        # a batch with one singular matrix
], ids=["2x2-rank1", "3x3-rank2", "3x3-rank1", "zeros", "batch"])
def test_det_gradient_at_singular_matrices_is_the_cofactor_matrix(a):
    a = np.array(a)
    assert (np.linalg.det(a) == 0).any()
    x = Tensor(a, requires_grad=True)
    linalg.det(x).sum().backward()
    expected = np.array([minors_cofactor(m) for m in a.reshape(-1, *a.shape[-2:])]).reshape(a.shape)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12, atol=1e-12)
    # the recorded rule (the minors' determinants) gives the same, and second derivatives that finite
    # differences confirm
    g = ag.grad(lambda t: linalg.det(t).sum(), create_graph=True)(a)
    np.testing.assert_allclose(g.numpy(), expected, rtol=1e-12, atol=1e-12)
    check_derivatives(linalg.det, a)
    check_derivatives(lambda t: linalg.det(t) ** 2, a)


def test_torch_gives_det_gradient_0_at_a_singular_matrix_where_the_cofactors_are_not(torch):
    # the documented difference: d det / dA is the cofactor matrix everywhere
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    t = torch.tensor(a, requires_grad=True)
    torch.linalg.det(t).backward()
    x = Tensor(a, requires_grad=True)
    linalg.det(x).backward()
    assert t.grad.abs().sum().item() == 0.0
    np.testing.assert_allclose(x.grad.numpy(), [[4.0, -2.0], [-2.0, 1.0]], rtol=1e-12)


def test_slogdet_of_a_singular_matrix_is_minus_inf_with_infinite_gradient_and_sign_has_none(torch):
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    x = Tensor(a, requires_grad=True)
    sign, logabsdet = linalg.slogdet(x)
    t_sign, t_log = torch.linalg.slogdet(torch.tensor(a))
    assert sign.item() == t_sign.item() == 0.0 and logabsdet.item() == t_log.item() == -math.inf
    logabsdet.backward()
    assert np.isinf(x.grad.numpy()).all()
    y = Tensor(np.array([[2.0, 1.0], [1.0, -3.0]]), requires_grad=True)
    sign, logabsdet = y.slogdet()
    assert sign.requires_grad and sign.item() == -1.0
    (sign * logabsdet).backward()  # the sign contributes nothing; as torch, which marks it requiring grad
    np.testing.assert_allclose(y.grad.numpy(), -np.linalg.inv(y.data).T, rtol=1e-12)


def test_a_matrix_with_nan_has_determinant_nan_as_torch(torch):
    a = np.array([[[np.nan, 1.0], [1.0, 1.0]], [[2.0, 1.0], [1.0, 3.0]]])
    x = Tensor(a, requires_grad=True)
    d = linalg.det(x)
    expected = torch.linalg.det(torch.tensor(a))
    np.testing.assert_allclose(d.numpy(), expected.numpy(), rtol=1e-14)  # numpy's det gives 0 for the first
    d.sum().backward()
    assert np.isnan(x.grad.numpy()[0]).all()
    np.testing.assert_allclose(x.grad.numpy()[1], [[3.0, -1.0], [-1.0, 2.0]], rtol=1e-12)
    g = ag.grad(lambda t: linalg.det(t).sum(), create_graph=True)(a)
    assert np.isnan(g.numpy()[0]).all()
    sign, logabsdet = linalg.slogdet(a)
    t_sign, t_logabsdet = torch.linalg.slogdet(torch.tensor(a))
    np.testing.assert_array_equal(sign.numpy(), t_sign.numpy())
    np.testing.assert_allclose(logabsdet.numpy(), t_logabsdet.numpy(), rtol=1e-14)
    with pytest.raises(np.linalg.LinAlgError, match=r"^inv: got a tensor of shape \(2, 2, 2\) with nan or "):
        linalg.inv(a)


DETERMINANTS = {"det": (linalg.det, lambda torch: torch.linalg.det),
                "slogdet": (lambda x: linalg.slogdet(x).logabsdet,
                            lambda torch: lambda x: torch.linalg.slogdet(x).logabsdet)}


@pytest.mark.parametrize("a", [
    [[1.0, np.nan], [3.0, 4.0]],
    [[[1.0, np.nan], [3.0, 4.0]], [[2.0, 1.0], [1.0, 3.0]]],    # next to an invertible matrix
    [[2.0, 0.0, 0.0], [0.0, np.nan, 1.0], [1.0, 0.0, 3.0]],
    [[np.nan, np.nan], [np.nan, np.nan]],
], ids=["2x2", "batch", "3x3", "all-nan"])
@pytest.mark.parametrize("name", ["det", "slogdet"])
def test_the_recorded_gradient_at_a_matrix_with_nan_is_nan_and_differentiable_as_torchs(torch, name, a):
    ours, theirs = DETERMINANTS[name][0], DETERMINANTS[name][1](torch)
    a = np.array(a)
    # values, gradients and second derivatives (through the gradient and through a function of the
    # determinant): nan for the matrices with nan, torch's numbers for the others
    compare_with_torch(torch, ours, theirs, a, rtol=1e-9)
    compare_with_torch(torch, lambda x: ours(x) ** 2, lambda x: theirs(x) ** 2, a, rtol=1e-9)
    t = torch.tensor(a, requires_grad=True)
    (t_g,) = torch.autograd.grad(theirs(t).sum(), t, create_graph=True)
    x = Tensor(a, requires_grad=True)
    ours(x).sum().backward(create_graph=True)
    g = ag.grad(lambda u: ours(u).sum(), create_graph=True)(a)
    assert x.grad.requires_grad and g.requires_grad and t_g.requires_grad
    np.testing.assert_allclose(g.numpy(), t_g.detach().numpy(), rtol=1e-9)  # nan in the same places


def test_the_recorded_det_gradient_of_a_batch_with_nan_and_a_singular_matrix_is_torchs(torch):
    # the singular matrix keeps its cofactors, which torch's recorded pass gives as well
    a = np.array([[[1.0, np.nan], [3.0, 4.0]], [[1.0, 2.0], [2.0, 4.0]]])
    compare_with_torch(torch, linalg.det, torch.linalg.det, a, rtol=1e-9)
    g = ag.grad(lambda u: linalg.det(u).sum(), create_graph=True)(a)
    assert g.requires_grad and np.isnan(g.numpy()[0]).all()
    np.testing.assert_allclose(g.numpy()[1], minors_cofactor(a[1]), rtol=1e-12, atol=1e-12)


def test_empty_matrices_have_determinant_1_and_an_empty_inverse(torch):
    for shape in [(0, 0), (3, 0, 0)]:
        x = Tensor(np.zeros(shape), requires_grad=True)
        d = linalg.det(x)
        assert d.tolist() == torch.linalg.det(torch.zeros(shape)).tolist()
        d.sum().backward()
        assert x.grad.shape == shape
        assert linalg.inv(np.zeros(shape)).shape == shape
        assert linalg.slogdet(np.zeros(shape)).logabsdet.tolist() == torch.linalg.slogdet(
            torch.zeros(shape)).logabsdet.tolist()


def test_matrix_functions_keep_float32():
    a = ag.tensor([[2.0, 1.0], [1.0, 3.0]])
    for out in (linalg.inv(a), linalg.det(a), linalg.slogdet(a).logabsdet, linalg.solve(a, ag.ones(2)),
                linalg.cholesky(a), linalg.svdvals(a), linalg.matrix_norm(a, "nuc"),
                linalg.vector_norm(a, 0)):
        assert out.dtype == np.float32
    x = Tensor(np.array([[2.0, 1.0], [1.0, 3.0]], dtype=np.float32), requires_grad=True)
    linalg.det(x).backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("call, error, message", [
    (lambda: linalg.inv(np.ones(3)), ValueError,
     "inv: got a tensor of shape (3,); expected a matrix or a batch of matrices (at least 2 dimensions)"),
    (lambda: linalg.det(np.ones((2, 3))), ValueError,
     "det: got a tensor of shape (2, 3), whose matrices are 2 by 3; expected square matrices (..., n, n)"),
    (lambda: ag.slogdet(np.ones((2, 2), dtype=np.int64)), TypeError,
     "slogdet: got a tensor of dtype int64; expected float32 or float64 (convert it with .double())"),
    (lambda: ag.inverse(np.ones((2, 2), dtype=np.float16)), TypeError,
     "inverse: got a tensor of dtype float16; expected float32 or float64 (numpy's linear algebra has no "
     "float16)"),
    (lambda: linalg.inv(np.ones((2, 2))), np.linalg.LinAlgError, "inv: the matrix is singular"),
    (lambda: linalg.inv(np.stack([np.eye(2), np.ones((2, 2))])), np.linalg.LinAlgError,
     "inv: matrix (1,) of the batch (shape (2, 2, 2)) is singular"),
    (lambda: ag.det("a"), TypeError, "det: got an argument of type str"),
])
def test_matrix_function_errors_name_the_function(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= solve
@EXAMPLES
@given(batches, orders, st.integers(1, 3), st.sampled_from(["vector", "matrix", "left=False"]), seeds,
       st.data())
def test_solve_matches_numpy_torch_and_finite_differences(batch_a, n, k, kind, seed, data):
    rng = np.random.default_rng(seed)
    a = well_conditioned(rng, batch_a, n)
    # B's batch: a suffix of A's, some sizes 1 (they broadcast)
    suffix = batch_a[data.draw(st.integers(0, len(batch_a))):]
    batch_b = tuple(1 if data.draw(st.booleans()) else m for m in suffix)
    left = kind != "left=False"
    if kind == "vector":
        b = rng.standard_normal((batch_a if data.draw(st.booleans()) else ()) + (n,))
    else:
        b = rng.standard_normal(batch_b + ((n, k) if left else (k, n)))
    vector = b.ndim == 1 or b.ndim == a.ndim - 1 and b.shape == a.shape[:-1]  # torch's reading of B
    if vector and not left:  # no vectors for X A = B
        with pytest.raises(ValueError, match=r"^solve: got A of shape .* for X A = B \(left=False\)"):
            linalg.solve(a, b, left=left)
        return
    if not left:
        expected = np.swapaxes(np.linalg.solve(np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)
    else:
        expected = np.linalg.solve(a, b[..., None])[..., 0] if vector else np.linalg.solve(a, b)
    np.testing.assert_allclose(linalg.solve(a, b, left=left).numpy(), expected, rtol=1e-10, atol=1e-12)
    check_derivatives(lambda x, y: linalg.solve(x, y, left=left), a, b)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda x, y: linalg.solve(x, y, left=left),
                       lambda x, y: torch.linalg.solve(x, y, left=left), a, b, rtol=1e-9)


def test_solve_reads_b_as_vectors_as_torch_does(torch):
    a = np.stack([np.eye(2) * 2.0] * 4)
    for b in (np.ones(2), np.ones((4, 2)), np.ones((2, 2)), np.ones((4, 2, 3))):
        assert linalg.solve(a, b).shape == tuple(torch.linalg.solve(torch.tensor(a), torch.tensor(b)).shape)


@pytest.mark.parametrize("call, error, message", [
    (lambda: linalg.solve(np.eye(2), np.ones(3)), ValueError,
     "solve: got A of shape (2, 2) and B of shape (3,); expected B of shape (..., 2) or (..., 2, k)"),
    (lambda: linalg.solve(np.stack([np.eye(2)] * 4), np.ones((3, 2))), ValueError,
     "solve: got A of shape (4, 2, 2) and B of shape (3, 2)"),
    (lambda: linalg.solve(np.stack([np.eye(2)] * 4), np.ones((3, 2, 2))), ValueError,
     "solve: the batch dimensions of A (shape (4, 2, 2)) and B (shape (3, 2, 2)) cannot be broadcast "
     "together"),
    (lambda: linalg.solve(np.eye(2), np.ones(2), left=False), ValueError,
     "solve: got A of shape (2, 2) and B of shape (2,) for X A = B (left=False); expected B of shape "
     "(..., k, 2) other than (2,)"),
    (lambda: linalg.solve(np.ones((2, 2)), np.ones(2)), np.linalg.LinAlgError,
     "solve: the matrix is singular"),
    (lambda: linalg.solve(np.eye(2), np.ones(2, dtype=np.int64)), TypeError,
     "solve: got B of dtype int64; expected float32 or float64"),
    (lambda: linalg.solve(np.eye(2), np.ones(2), left=1), TypeError,
     "solve: got left=1; expected True or False"),
])
def test_solve_errors_name_it(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= cholesky
@EXAMPLES
@given(batches, orders, seeds, st.booleans())
def test_cholesky_matches_numpy_torch_and_finite_differences(batch, n, seed, upper):
    a = np.random.default_rng(seed).standard_normal(batch + (n, n))
    spd = a @ np.swapaxes(a, -1, -2) + n * np.eye(n)
    expected = np.linalg.cholesky(spd)
    np.testing.assert_allclose(linalg.cholesky(spd, upper=upper).numpy(),
                               np.swapaxes(expected, -1, -2) if upper else expected, rtol=1e-12, atol=1e-12)

    def symmetric(f):  # A is taken to be symmetric: differentiate through a symmetric matrix
        return lambda x: f(x + x.mT)

    check_derivatives(symmetric(lambda s: linalg.cholesky(s, upper=upper)), spd / 2)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda s: s.cholesky(upper=upper),
                       lambda s: torch.linalg.cholesky(s, upper=upper), spd, rtol=1e-9)


def test_cholesky_refuses_a_matrix_that_is_not_positive_definite():
    with pytest.raises(np.linalg.LinAlgError, match=r"^cholesky: the matrix is not positive-definite"):
        linalg.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(TypeError, match=r"^cholesky: got upper=None; expected True or False"):
        linalg.cholesky(np.eye(2), upper=None)


# ======================================================================================= svd, svdvals
@EXAMPLES
@given(batches, orders, orders, seeds)
def test_svd_matches_numpy_torch_and_finite_differences(batch, m, n, seed):
    a = np.random.default_rng(seed).standard_normal(batch + (m, n))
    u, s, vh = linalg.svd(a, full_matrices=False)
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(a, compute_uv=False), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose((u.numpy() * s.numpy()[..., None, :]) @ vh.numpy(), a, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(linalg.svdvals(a).numpy(), s.numpy())
    full = linalg.svd(a)
    assert full.U.shape == batch + (m, m) and full.Vh.shape == batch + (n, n)

    def invariant(x):  # a function of all three factors that does not depend on the singular vectors' signs
        f = linalg.svd(x, full_matrices=False)
        return (f.U ** 2 * f.S.unsqueeze(-2)) @ f.Vh ** 2

    check_derivatives(linalg.svdvals, a)
    check_derivatives(invariant, a)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, linalg.svdvals, torch.linalg.svdvals, a, rtol=1e-8, atol=1e-10)

    def t_invariant(x):
        f = torch.linalg.svd(x, full_matrices=False)
        return (f.U ** 2 * f.S.unsqueeze(-2)) @ f.Vh ** 2

    compare_with_torch(torch, invariant, t_invariant, a, rtol=1e-7, atol=1e-9)


def test_full_svd_gives_the_extra_singular_vectors_no_gradient_as_torch(torch):
    a = np.random.default_rng(5).standard_normal((4, 2))
    compare_with_torch(torch, lambda x: linalg.svd(x).U[:, :2] ** 2 + linalg.svd(x).U[:, 2:].sum() * 0.0,
                       lambda x: torch.linalg.svd(x).U[:, :2] ** 2 + torch.linalg.svd(x).U[:, 2:].sum() * 0.0,
                       a, second_order=False)
    x = Tensor(a, requires_grad=True)
    (linalg.svd(x).U[:, 2:] ** 2).sum().backward()
    assert x.grad.tolist() == np.zeros((4, 2)).tolist()


# ======================================================================================= vector_norm
def numpy_vector_norm(x: np.ndarray, ord: float, axes, keepdims: bool) -> np.ndarray:
    a = np.abs(x)
    if math.isinf(ord):
        return (a.max if ord > 0 else a.min)(axis=axes, keepdims=keepdims)
    if ord == 0:
        return (a != 0).sum(axis=axes, keepdims=keepdims).astype(x.dtype)
    return (a ** ord).sum(axis=axes, keepdims=keepdims) ** (1 / ord)


VECTOR_ORDERS = [2, 1, 0.5, 3, math.inf, -math.inf, -1, -2.5, 0]


@EXAMPLES
@pytest.mark.parametrize("ord", VECTOR_ORDERS)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple), seed=seeds, data=st.data())
def test_vector_norm_matches_numpy_torch_and_finite_differences(ord, shape, seed, data):
    rng = np.random.default_rng(seed)
    # distinct magnitudes away from 0: no ties for inf and no kink of |x|**p within the step
    x = (rng.permutation(np.prod(shape)).reshape(shape) + 1.0) * rng.choice([-1.0, 1.0], shape) / 4
    dims = data.draw(st.sampled_from([None, -1, tuple(range(len(shape))), (0,)]))
    keepdim = data.draw(st.booleans())
    out = linalg.vector_norm(x, ord, dims, keepdim)
    np.testing.assert_allclose(out.numpy(), numpy_vector_norm(x, ord, dims, keepdim), rtol=1e-12)
    if ord != 0:
        check_derivatives(lambda t: linalg.vector_norm(t, ord, dim=dims, keepdim=keepdim), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: linalg.vector_norm(t, ord, dim=dims, keepdim=keepdim),
                       lambda t: torch.linalg.vector_norm(t, ord, dim=dims, keepdim=keepdim), x)


@pytest.mark.parametrize("ord", [-1, -2.5, -math.inf, 0.5, 0])
def test_vector_norm_at_zero_entries_as_torch(torch, ord):
    # first derivatives only: at a zero entry the norm of an order below 1 has a kink (the second
    # derivative torch gives there is nan, this module's 0)
    for x in ([0.0, 2.0, -3.0], [0.0, 0.0, 0.0]):
        compare_with_torch(torch, lambda t: linalg.vector_norm(t, ord),
                           lambda t: torch.linalg.vector_norm(t, ord), np.array(x), second_order=ord == 0)


def test_vector_norm_dtype_and_empty_slices_as_torch(torch):
    x = ag.tensor([3.0, 4.0])
    assert linalg.vector_norm(x, dtype=ag.float64).dtype == np.float64
    assert linalg.vector_norm(x, dtype=torch.float64).dtype == np.float64
    assert linalg.vector_norm(np.zeros((0, 2)), 0).item() == 0.0
    assert linalg.vector_norm(np.zeros((0, 2)), 2).item() == 0.0
    assert linalg.vector_norm(np.zeros((0, 2)), math.inf, dim=1).shape == (0,)


@pytest.mark.parametrize("call, error, message", [
    (lambda: linalg.vector_norm(np.array([1, 2])), TypeError,
     "vector_norm: got a tensor of dtype int64; expected a floating-point tensor"),
    (lambda: linalg.vector_norm(np.ones(2), dtype=np.float32), TypeError,
     "vector_norm: got dtype=<class 'numpy.float32'> for a tensor of dtype float64; expected a "
     "floating-point dtype at least as wide"),
    (lambda: linalg.vector_norm(np.ones(2), dtype="int64"), TypeError, "vector_norm: got dtype='int64'"),
    (lambda: linalg.vector_norm(np.ones(2), "fro"), TypeError,
     "vector_norm: got ord of type str ('fro'); expected a real number"),
    (lambda: linalg.vector_norm(np.ones(2), math.nan), ValueError, "vector_norm: got ord=nan"),
    (lambda: linalg.vector_norm(np.zeros((0, 2)), -1), ValueError,
     "vector_norm: got ord=-1 for a tensor of shape (0, 2) with an empty slice over axes (0, 1)"),
    (lambda: linalg.vector_norm(np.zeros((0, 2)), math.inf), ValueError, "vector_norm: got ord=inf"),
    (lambda: linalg.vector_norm(np.ones(2), dim=1), ValueError, "vector_norm: axis 1 is out of range"),
])
def test_vector_norm_errors_name_it(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= matrix_norm, norm
MATRIX_ORDERS = ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]


@EXAMPLES
@pytest.mark.parametrize("ord", MATRIX_ORDERS)
@given(shape=st.lists(st.integers(1, 4), min_size=2, max_size=3).map(tuple), seed=seeds, data=st.data())
def test_matrix_norm_matches_numpy_torch_and_finite_differences(ord, shape, seed, data):
    x = np.random.default_rng(seed).standard_normal(shape)
    n = len(shape)
    rows = data.draw(st.integers(-n, n - 1))
    cols = data.draw(st.integers(-n, n - 1).filter(lambda d: d % n != rows % n))
    keepdim = data.draw(st.booleans())
    expected = np.linalg.norm(x, ord, axis=(rows, cols), keepdims=keepdim)
    out = linalg.matrix_norm(x, ord, (rows, cols), keepdim)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-10, atol=1e-12)
    check_derivatives(lambda t: linalg.matrix_norm(t, ord, dim=(rows, cols), keepdim=keepdim), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: linalg.matrix_norm(t, ord, dim=(rows, cols), keepdim=keepdim),
                       lambda t: torch.linalg.matrix_norm(t, ord, dim=(rows, cols), keepdim=keepdim), x,
                       rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("ord", MATRIX_ORDERS)
def test_matrix_norm_ties_share_the_gradient_as_torch(torch, ord):
    # equal column and row sums, or equal singular values
    x = 2.0 * np.eye(2) if ord in ("nuc", 2, -2) else np.array([[1.0, -1.0], [-1.0, 1.0]])
    compare_with_torch(torch, lambda t: linalg.matrix_norm(t, ord),
                       lambda t: torch.linalg.matrix_norm(t, ord), x, second_order=False)


def test_matrix_norm_of_matrices_without_entries(torch):
    for ord in ("fro", "nuc", 1, 2, math.inf):
        x = Tensor(np.zeros((3, 2, 0)), requires_grad=True)
        out = linalg.matrix_norm(x, ord)
        assert out.tolist() == [0.0, 0.0, 0.0]
        out.sum().backward()
        assert x.grad.shape == (3, 2, 0)
    with pytest.raises(ValueError, match=r"^matrix_norm: got ord=-1 for matrices of shape \(2, 0\); expected "
                                         r"matrices with entries"):
        linalg.matrix_norm(np.zeros((2, 0)), -1)


@pytest.mark.parametrize("ord, dim", [
    (None, None), (None, 1), (None, (0, 1)), ("fro", None), ("nuc", None), (1, None), (-2, None), (1, 1),
    (math.inf, (1, 0)), (3, -1), (0, (1,)), ("nuc", (1, 2)),
])
def test_linalg_norm_chooses_a_vector_or_a_matrix_norm_as_torch(torch, ord, dim):
    x = np.random.default_rng(11).standard_normal((2, 3) if dim is None or ord is None else (2, 3, 4))
    if dim is None and ord is not None:
        x = x[0] if ord in (3, 0) else x
    compare_with_torch(torch, lambda t: linalg.norm(t, ord, dim), lambda t: torch.linalg.norm(t, ord, dim), x,
                       rtol=1e-9)
    compare_with_torch(torch, lambda t: linalg.norm(t, ord, dim=dim, keepdim=True),
                       lambda t: torch.linalg.norm(t, ord, dim=dim, keepdim=True), x, rtol=1e-9)


@pytest.mark.parametrize("call, error, message", [
    (lambda: linalg.matrix_norm(np.ones(3)), ValueError,
     "matrix_norm: got a tensor of shape (3,); expected at least 2 dimensions"),
    (lambda: linalg.matrix_norm(np.ones((2, 2)), 3), ValueError,
     "matrix_norm: got ord of type int (3); expected one of 'fro', 'nuc', 1, -1, 2, -2, inf, -inf"),
    (lambda: linalg.matrix_norm(np.ones((2, 2)), dim=0), TypeError,
     "matrix_norm: got dim of type int (0); expected a pair of ints"),
    (lambda: linalg.matrix_norm(np.ones((2, 2)), dim=(0, -2)), ValueError,
     "matrix_norm: got dim=(0, -2), the same dimension twice"),
    (lambda: linalg.norm(np.ones((2, 2)), "fro", dim=1), ValueError,
     "linalg.norm: got ord='fro', a matrix norm, for one dimension"),
    (lambda: linalg.norm(np.ones((2, 2, 2)), 1), ValueError,
     "linalg.norm: got ord=1 without dim for a tensor of shape (2, 2, 2); expected a 1-D or 2-D tensor"),
    (lambda: linalg.norm(np.ones((2, 2, 2)), dim=(0, 1, 2)), ValueError,
     "linalg.norm: got dim of type tuple ((0, 1, 2)); expected an int, or a tuple of one or two ints"),
    (lambda: linalg.norm("a"), TypeError, "linalg.norm: got an argument of type str"),
])
def test_norm_errors_name_the_function(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


def test_the_namespace_has_torch_linalgs_names(torch):
    for name in linalg.__all__:
        if name not in ("SignLogAbsDet", "SVD"):
            assert hasattr(torch.linalg, name), name
    assert ag.linalg is linalg
