"""PyTorch's fused arithmetic (addmm, addmv, baddbmm, addbmm, addcmul, addcdiv, lerp) and the products
tensordot, kron, cross, inner, vdot, vecdot and matrix_power.

Each op: forward against numpy, values and first and second derivatives against torch in float64, first
and second derivatives against finite differences (gradcheck, gradgradcheck) on hypothesis-drawn shapes
and values, PyTorch's dtype rules and edge conventions, and errors that name the op.
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
from autograd import Tensor, linalg

EXAMPLES = settings(max_examples=12)
seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(1, 4)


def drop_leading(shape: tuple, k: int) -> tuple:
    """``shape`` without its first ``k`` sizes and with some of the rest set to 1: a shape that
    broadcasts to ``shape``."""
    return tuple(1 if i % 2 else n for i, n in enumerate(shape[k:]))


# ======================================================================================= addmm and its kin
PRODUCTS = {  # name: (operand shapes from sizes (b, n, k, m), the product in numpy)
    "addmm": (lambda b, n, k, m: ((n, k), (k, m)), lambda x, y: x @ y),
    "addmv": (lambda b, n, k, m: ((n, k), (k,)), lambda x, y: x @ y),
    "baddbmm": (lambda b, n, k, m: ((b, n, k), (b, k, m)), lambda x, y: x @ y),
    "addbmm": (lambda b, n, k, m: ((b, n, k), (b, k, m)), lambda x, y: (x @ y).sum(0)),
}


@EXAMPLES
@pytest.mark.parametrize("name", sorted(PRODUCTS))
@given(b=sizes, n=sizes, k=sizes, m=sizes, drop=st.integers(0, 3), beta=st.sampled_from([1, 0.5, -2.0]),
       alpha=st.sampled_from([1, 2.5, -1.0]), seed=seeds)
def test_add_products_match_numpy_torch_and_finite_differences(name, b, n, k, m, drop, beta, alpha, seed):
    shapes, product = PRODUCTS[name]
    rng = np.random.default_rng(seed)
    a1, a2 = (rng.standard_normal(s) for s in shapes(b, n, k, m))
    full = product(a1, a2).shape
    x = rng.standard_normal(drop_leading(full, min(drop, len(full))))
    fn = getattr(ag, name)
    np.testing.assert_allclose(fn(x, a1, a2, beta=beta, alpha=alpha).numpy(),
                               beta * x + alpha * product(a1, a2), rtol=1e-12, atol=1e-12)
    check_derivatives(lambda i, p, q: fn(i, p, q, beta=beta, alpha=alpha), x, a1, a2)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda i, p, q: getattr(i, name)(p, q, beta=beta, alpha=alpha),
                       lambda i, p, q: getattr(torch, name)(i, p, q, beta=beta, alpha=alpha), x, a1, a2)


@pytest.mark.parametrize("name", sorted(PRODUCTS))
def test_beta_0_ignores_input_and_alpha_0_the_product_as_torch(torch, name):
    shapes, _ = PRODUCTS[name]
    a1, a2 = (np.ones(s) for s in shapes(2, 2, 3, 2))
    bad1, bad2 = a1.copy(), a2.copy()
    bad1.flat[0] = np.nan
    bad2.flat[-1] = np.inf
    out_shape = getattr(ag, name)(np.zeros(1), a1, a2).shape
    x = np.full(out_shape, np.nan)
    fn, t_fn = getattr(ag, name), getattr(torch, name)
    ours = fn(x, a1, a2, beta=0)
    assert not np.isnan(ours.numpy()).any()
    np.testing.assert_array_equal(ours.numpy(), t_fn(torch.tensor(x), torch.tensor(a1), torch.tensor(a2),
                                                     beta=0).numpy())
    ones = np.ones(out_shape)
    ours = fn(ones, bad1, bad2, alpha=0, beta=3)
    np.testing.assert_array_equal(ours.numpy(), 3 * ones)
    theirs = t_fn(torch.tensor(ones), torch.tensor(bad1), torch.tensor(bad2), alpha=0, beta=3).numpy()
    if name == "baddbmm":  # torch's baddbmm lets nan through where the others do not: documented
        assert np.isnan(theirs).any()
    else:
        np.testing.assert_array_equal(ours.numpy(), theirs)
    # the ignored operand's gradient is beta * g (or alpha * ...): zeros, as in torch
    compare_with_torch(torch, lambda i, p, q: fn(i, p, q, beta=0), lambda i, p, q: t_fn(i, p, q, beta=0),
                       ones, a1, a2)
    compare_with_torch(torch, lambda i, p, q: fn(i, p, q, alpha=0), lambda i, p, q: t_fn(i, p, q, alpha=0),
                       ones, a1, a2)


def test_add_products_keep_integers_and_float32(torch):
    a = np.arange(6).reshape(2, 3)
    b = np.arange(12).reshape(3, 4) - 5
    out = ag.addmm(np.ones((2, 4), dtype=np.int64), a, b, beta=2, alpha=-3)
    expected = torch.addmm(torch.ones(2, 4, dtype=torch.int64), torch.tensor(a), torch.tensor(b), beta=2,
                           alpha=-3)
    assert out.dtype == np.int64 and out.tolist() == expected.tolist()
    x32 = ag.ones(2, 3)
    assert ag.addmm(x32, ag.ones(2, 5), ag.ones(5, 3), beta=0.5, alpha=0.25).dtype == np.float32
    assert ag.addmv(2.0, ag.ones(2, 5), ag.ones(5)).dtype == np.float32  # a number takes the tensors' dtype


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.addmm(np.ones(2), np.ones((2, 3)), np.ones(3)), ValueError,
     "addmm: got shapes (2, 3) and (3,); expected two 2-D tensors"),
    (lambda: ag.addmm(np.ones(2), np.ones((2, 3)), np.ones((2, 2))), ValueError,
     "addmm: got shapes (2, 3) and (2, 2), whose inner dimensions differ"),
    (lambda: ag.addmm(np.ones(3), np.ones((2, 3)), np.ones((3, 2))), ValueError,
     "addmm: got input of shape (3,) for a product of shape (2, 2); expected an input that broadcasts"),
    (lambda: ag.addmm(np.ones((2, 2, 2)), np.ones((2, 3)), np.ones((3, 2))), ValueError,
     "addmm: got input of shape (2, 2, 2) for a product of shape (2, 2)"),
    (lambda: ag.addmv(np.ones(2), np.ones((2, 3)), np.ones((3, 1))), ValueError,
     "addmv: got shapes (2, 3) and (3, 1); expected a 2-D tensor and a 1-D one"),
    (lambda: ag.baddbmm(np.ones(1), np.ones((2, 2, 3)), np.ones((3, 3, 2))), ValueError,
     "baddbmm: got shapes (2, 2, 3) and (3, 3, 2); expected two 3-D tensors with the same batch size"),
    (lambda: ag.addbmm(np.ones(1), np.ones((2, 3)), np.ones((2, 3, 2))), ValueError,
     "addbmm: got shapes (2, 3) and (2, 3, 2); expected two 3-D tensors"),
    (lambda: ag.addmm(np.ones(1, dtype=int), np.ones((1, 1), dtype=int), np.ones((1, 1), dtype=int),
                      beta=0.5),
     TypeError, "addmm: got beta=0.5 for tensors of dtype int64; expected an int"),
    (lambda: ag.addmm(np.ones(1), np.ones((1, 1)), np.ones((1, 1)), alpha="2"), TypeError,
     "addmm: got alpha of type str ('2'); expected a real number"),
    (lambda: ag.addmm(np.ones(1), np.ones((1, 1)), np.ones((1, 1)), alpha=True), TypeError,
     "addmm: got alpha of type bool (True); expected a real number"),
    (lambda: ag.addmm("a", np.ones((1, 1)), np.ones((1, 1))), TypeError,
     "addmm: got an argument of type str"),
])
def test_add_product_errors_name_the_op(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= addcmul, addcdiv
def broadcastable_shapes(count: int) -> st.SearchStrategy:
    """``count`` shapes that broadcast together: suffixes of one shape with some sizes set to 1."""
    def shapes(full: list, data: st.DataObject) -> list[tuple]:
        out = []
        for _ in range(count):
            suffix = full[data.draw(st.integers(0, len(full))):]
            out.append(tuple(1 if data.draw(st.booleans()) else n for n in suffix))
        return out

    return st.builds(shapes, st.lists(sizes, max_size=3), st.data())


@EXAMPLES
@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
@given(shapes=broadcastable_shapes(3), seed=seeds, value=st.sampled_from([1, 0.5, -3.0, 0]))
def test_addcmul_addcdiv_match_numpy_torch_and_finite_differences(name, shapes, seed, value):
    rng = np.random.default_rng(seed)
    full = np.broadcast_shapes(*shapes)
    arrays = [rng.standard_normal(s) for s in shapes]
    arrays[2] = np.where(np.abs(arrays[2]) < 0.3, 0.5, arrays[2])  # away from a division by 0
    x, t1, t2 = arrays
    term = t1 / t2 if name == "addcdiv" else t1 * t2
    out = getattr(ag, name)(x, t1, t2, value=value)
    assert out.shape == full
    np.testing.assert_allclose(out.numpy(), x + value * term, rtol=1e-12, atol=1e-12)
    check_derivatives(lambda a, b, c: getattr(ag, name)(a, b, c, value=value), *arrays)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda a, b, c: getattr(a, name)(b, c, value=value),
                       lambda a, b, c: getattr(torch, name)(a, b, c, value=value), *arrays)


def test_addcmul_and_addcdiv_dtypes_as_torch(torch):
    a = np.array([1, 2])
    out = ag.addcmul(a, a, np.array([3, 4]), value=2)
    assert out.dtype == np.int64 and out.tolist() == torch.addcmul(torch.tensor(a), torch.tensor(a),
                                                                   torch.tensor([3, 4]), value=2).tolist()
    with pytest.raises(TypeError, match=r"^addcmul: got value=2\.5 for tensors of dtype int64; expected an "):
        ag.addcmul(a, a, a, value=2.5)
    with pytest.raises(TypeError, match=r"^addcdiv: got tensor1 of dtype int64 and tensor2 of dtype int64; "
                                        r"expected a floating-point tensor1 or tensor2"):
        ag.addcdiv(np.ones(2), a, a)
    assert ag.addcdiv(ag.ones(2), ag.ones(2), 4.0, value=2).dtype == np.float32
    with np.errstate(all="raise"):  # division by zero gives inf, silently, as div does
        assert ag.addcdiv(np.zeros(1), np.ones(1), np.zeros(1)).tolist() == [np.inf]
    with pytest.raises(ValueError, match=r"^addcmul: shapes \(2,\) and \(3,\) cannot be broadcast together"):
        ag.addcmul(np.ones(2), np.ones(2), np.ones(3))


# ======================================================================================= lerp
@EXAMPLES
@given(shapes=broadcastable_shapes(3), seed=seeds,
       number=st.sampled_from([None, 0.0, 0.25, 0.5, 1.0, -1.5, 2.0]))
def test_lerp_matches_numpy_torch_and_finite_differences(shapes, seed, number):
    rng = np.random.default_rng(seed)
    start, end, weight = (rng.standard_normal(s) for s in shapes)
    w = weight if number is None else number
    expected = start + w * (end - start)
    np.testing.assert_allclose(ag.lerp(start, end, w).numpy(), expected, rtol=1e-12, atol=1e-12)
    torch = pytest.importorskip("torch")
    if number is None:
        check_derivatives(ag.lerp, start, end, weight)
        compare_with_torch(torch, ag.lerp, torch.lerp, start, end, weight, rtol=1e-15, atol=1e-15)
    else:
        check_derivatives(lambda a, b: ag.lerp(a, b, number), start, end)
        compare_with_torch(torch, lambda a, b: a.lerp(b, number), lambda a, b: a.lerp(b, number), start, end,
                           rtol=1e-15, atol=1e-15)


def test_lerp_weight_1_gives_end_exactly_and_refuses_integers():
    start, end = np.array([0.1, 1e20]), np.array([0.7, -3.3])
    assert ag.lerp(start, end, 1.0).tolist() == end.tolist()
    assert ag.lerp(start, end, np.array([1.0, 1.0])).tolist() == end.tolist()
    assert ag.lerp(start, end, 0.0).tolist() == start.tolist()
    assert ag.lerp(ag.ones(2), ag.zeros(2), 0.5).dtype == np.float32
    with pytest.raises(TypeError, match=r"^lerp: got input of dtype int64; expected floating-point tensors"):
        ag.lerp(np.array([1, 2]), np.array([3.0, 4.0]), 0.5)
    with pytest.raises(TypeError, match=r"^lerp: got weight of dtype bool; expected floating-point tensors"):
        ag.lerp(np.ones(2), np.ones(2), True)
    with pytest.raises(ValueError, match=r"^lerp: shapes \(2,\) and \(3,\) .*cannot be broadcast"):
        ag.lerp(np.ones(2), np.ones(3), 0.5)


def test_fused_ops_are_methods_and_one_recorded_node():
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    for out in (x.addmm(x, x), x.addcmul(x, x), x.addcdiv(x, x), x.lerp(x, 0.5), x.lerp(x, x),
                x[0].addmv(x, x[1]), x.addbmm(x[None], x[None]), x.baddbmm(x[None], x[None])):
        assert all(p.op in ("", "getitem") for p in out.parents), out.op


# ======================================================================================= tensordot
@EXAMPLES
@given(st.data(), seeds)
def test_tensordot_matches_numpy_torch_and_finite_differences(data, seed):
    ndim_a, ndim_b = data.draw(st.integers(0, 3)), data.draw(st.integers(0, 3))
    n = data.draw(st.integers(0, min(ndim_a, ndim_b)))
    axes_a = data.draw(st.permutations(range(ndim_a)))[:n]
    axes_b = data.draw(st.permutations(range(ndim_b)))[:n]
    shape_a = [data.draw(sizes) for _ in range(ndim_a)]
    shape_b = [data.draw(sizes) for _ in range(ndim_b)]
    for i, j in zip(axes_a, axes_b):
        shape_b[j] = shape_a[i]
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    dims = (list(axes_a), list(axes_b))
    np.testing.assert_allclose(ag.tensordot(a, b, dims).numpy(), np.tensordot(a, b, dims), rtol=1e-12,
                               atol=1e-12)
    check_derivatives(lambda x, y: ag.tensordot(x, y, dims), a, b)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda x, y: ag.tensordot(x, y, dims), lambda x, y: torch.tensordot(x, y, dims),
                       a, b)
    # the int form: the last n dimensions of a with the first n of b
    c = rng.standard_normal(tuple(shape_a[ndim_a - n:]) + (2,))
    compare_with_torch(torch, lambda x, y: ag.tensordot(x, y, n), lambda x, y: torch.tensordot(x, y, n), a, c)


def test_tensordot_broadcasts_a_contracted_size_1_as_torch(torch):
    a, b = np.arange(6.0).reshape(2, 3), np.arange(4.0).reshape(1, 4)
    compare_with_torch(torch, lambda x, y: ag.tensordot(x, y, 1), lambda x, y: torch.tensordot(x, y, 1), a, b)
    compare_with_torch(torch, lambda x, y: ag.tensordot(x, y, ([1], [1])),
                       lambda x, y: torch.tensordot(x, y, ([1], [1])), b.T, a)


@pytest.mark.parametrize("dims, error, message", [
    (3, ValueError, "tensordot: got dims=3 for tensors with 2 and 2 dimensions; expected 0 <= dims <= 2"),
    (-1, ValueError, "tensordot: got dims=-1"),
    ((1, 0), TypeError, "tensordot: got dims for the first tensor of type int (1); expected a list of ints"),
    ([[1, 1], [0, 0]], ValueError, "tensordot: got dims [1, 1], which name a dimension more than once"),
    ([[1], [0, 1]], ValueError,
     "tensordot: got 1 dims [1] for the first tensor and 2 dims [0, 1] for the second"),
    ([[2], [0]], ValueError, "tensordot: dim of the first tensor 2 is out of range"),
    ([[0], [0]], ValueError,
     "tensordot: dimension 0 of the first tensor (shape (2, 3)) has size 2 and dimension 0 of the second "
     "(shape (3, 2)) size 3"),
    ("ij", TypeError, "tensordot: got dims of type str ('ij'); expected an int or a pair of lists of ints"),
])
def test_tensordot_errors_name_it(dims, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        ag.tensordot(np.ones((2, 3)), np.ones((3, 2)), dims)


# ======================================================================================= kron, inner, vdot
@EXAMPLES
@given(st.lists(sizes, max_size=3), st.lists(sizes, max_size=3), seeds)
def test_kron_and_inner_match_numpy_torch_and_finite_differences(shape_a, shape_b, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    np.testing.assert_allclose(ag.kron(a, b).numpy(), np.kron(a, b), rtol=1e-12, atol=1e-12)
    check_derivatives(ag.kron, a, b)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, ag.kron, torch.kron, a, b)
    if shape_a and shape_b:
        b = rng.standard_normal(tuple(shape_b[:-1]) + (shape_a[-1],))
    np.testing.assert_allclose(ag.inner(a, b).numpy(), np.inner(a, b), rtol=1e-12, atol=1e-12)
    check_derivatives(ag.inner, a, b)
    compare_with_torch(torch, ag.inner, torch.inner, a, b)


def test_vdot_and_vecdot_match_torch(torch):
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(4), rng.standard_normal(4)
    assert ag.vdot(a, b).item() == pytest.approx(float(np.vdot(a, b)), rel=1e-14)
    check_derivatives(ag.vdot, a, b)
    compare_with_torch(torch, ag.vdot, torch.vdot, a, b)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((2, 1, 4))
    check_derivatives(lambda p, q: linalg.vecdot(p, q, dim=-1), x, y)
    compare_with_torch(torch, linalg.vecdot, torch.linalg.vecdot, x, y)
    compare_with_torch(torch, lambda p, q: linalg.vecdot(p, q, dim=1),
                       lambda p, q: torch.linalg.vecdot(p, q, dim=1), x, y)


@pytest.mark.parametrize("call, message", [
    (lambda: ag.vdot(np.ones(2), np.ones(3)),
     "vdot: got shapes (2,) and (3,); expected two 1-D tensors of the same length"),
    (lambda: ag.vdot(np.ones((2, 1)), np.ones((2, 1))), "vdot: got shapes (2, 1) and (2, 1)"),
    (lambda: ag.inner(np.ones((2, 3)), np.ones((4, 2))),
     "inner: got shapes (2, 3) and (4, 2); expected the same size of the last dimension"),
    (lambda: linalg.vecdot(np.ones(2), np.ones(3)),
     "vecdot: shapes (2,) and (3,) cannot be broadcast together"),
    (lambda: linalg.vecdot(1.0, 2.0), "vecdot: got two 0-d tensors; expected vectors"),
])
def test_product_shape_errors_name_the_op(call, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        call()


# ======================================================================================= cross
@EXAMPLES
@given(st.lists(sizes, max_size=2), st.data(), seeds)
def test_cross_matches_numpy_torch_and_finite_differences(batch, data, seed):
    ndim = len(batch) + 1
    axis = data.draw(st.integers(-ndim, ndim - 1))
    position = axis % ndim
    shape_a = tuple(batch[:position]) + (3,) + tuple(batch[position:])
    shape_b = tuple(1 if data.draw(st.booleans()) and i != position else n for i, n in enumerate(shape_a))
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    np.testing.assert_allclose(ag.cross(a, b, axis).numpy(), np.cross(a, b, axis=axis), rtol=1e-12,
                               atol=1e-12)
    check_derivatives(lambda x, y: ag.cross(x, y, dim=axis), a, b)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda x, y: x.cross(y, dim=axis),
                       lambda x, y: torch.linalg.cross(x, y, dim=axis), a, b)
    compare_with_torch(torch, lambda x, y: linalg.cross(x, y, axis), lambda x, y: torch.cross(x, y, dim=axis),
                       a, b)


def test_cross_defaults_to_the_last_dimension_keeps_integers_and_names_its_errors(torch):
    a, b = np.arange(9).reshape(3, 3), np.arange(9).reshape(3, 3)[::-1].copy()
    out = ag.cross(a, b)
    expected = torch.linalg.cross(torch.tensor(a), torch.tensor(b))
    assert out.dtype == np.int64 and out.tolist() == expected.tolist()
    with pytest.raises(ValueError, match=r"^cross: got shapes \(3,\) and \(2, 3\); expected tensors with the "
                                         r"same number of dimensions"):
        ag.cross(np.ones(3), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^cross: got shapes \(4,\) and \(4,\), of sizes 4 and 4 along axis "
                                         r"0; expected size 3"):
        ag.cross(np.ones(4), np.ones(4))
    with pytest.raises(ValueError, match=r"^cross: shapes \(2, 3\) and \(4, 3\) cannot be broadcast"):
        ag.cross(np.ones((2, 3)), np.ones((4, 3)))


# ======================================================================================= matrix_power
@EXAMPLES
@given(st.lists(sizes, max_size=2), sizes, st.integers(-3, 6), seeds)
def test_matrix_power_matches_numpy_torch_and_finite_differences(batch, m, n, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(tuple(batch) + (m, m)) / m + (2.0 * np.eye(m) if n < 0 else 0.0)
    np.testing.assert_allclose(ag.matrix_power(a, n).numpy(), np.linalg.matrix_power(a, n), rtol=1e-10,
                               atol=1e-12)
    check_derivatives(lambda x: ag.matrix_power(x, n), a)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda x: x.matrix_power(n), lambda x: torch.linalg.matrix_power(x, n), a,
                       rtol=1e-9)


def test_matrix_power_0_is_the_identity_with_gradient_0_and_powers_keep_integers(torch):
    x = Tensor(np.array([[np.nan, 2.0], [3.0, 4.0]]), requires_grad=True)
    out = linalg.matrix_power(x, 0)
    assert out.requires_grad and out.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    out.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    a = np.array([[1, 1], [1, 0]])
    out = ag.matrix_power(a, 10)
    assert out.dtype == np.int64 and out.tolist() == torch.linalg.matrix_power(torch.tensor(a), 10).tolist()
    assert ag.matrix_power(a, 1).tolist() == a.tolist()


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.matrix_power(np.ones((2, 3)), 2), ValueError,
     "matrix_power: got a tensor of shape (2, 3); expected square matrices (..., m, m)"),
    (lambda: ag.matrix_power(np.ones((2, 2)), 2.0), TypeError,
     "matrix_power: got n of type float (2.0); expected an int"),
    (lambda: ag.matrix_power(np.ones((2, 2)), True), TypeError, "matrix_power: got n of type bool (True)"),
    (lambda: ag.matrix_power(np.ones((2, 2), dtype=int), -1), TypeError,
     "matrix_power: got n=-1 for a tensor of dtype int64; expected a floating-point tensor for a negative "
     "power"),
    (lambda: ag.matrix_power(np.ones((2, 2)), -1), np.linalg.LinAlgError, "inv: the matrix is singular"),
])
def test_matrix_power_errors_name_the_op(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


def test_products_are_tensor_methods_as_in_torch(torch):
    for name in ("addmm", "addmv", "baddbmm", "addbmm", "addcmul", "addcdiv", "lerp", "kron", "cross",
                 "inner", "vdot", "matrix_power", "inverse", "det", "slogdet", "cholesky", "dist"):
        assert hasattr(torch.Tensor, name) and callable(getattr(Tensor, name)), name
    names = ["addmm", "tensordot", "kron", "cross", "inner", "vdot", "matrix_power", "inverse", "det"]
    more = ["slogdet", "cdist", "dist", "cosine_similarity", "pairwise_distance", "meshgrid"]
    for name in itertools.chain(names, more):
        assert name in ag.__all__ and hasattr(torch, name), name


def test_vecdot_refuses_integer_tensors_as_torch():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.linalg.vecdot(torch.tensor([1, 2]), torch.tensor([3, 4]))
    with pytest.raises(TypeError, match="vecdot: got dtypes int64 and int64; expected floating-point"):
        ag.linalg.vecdot(ag.tensor([1, 2]), ag.tensor([3, 4]))
