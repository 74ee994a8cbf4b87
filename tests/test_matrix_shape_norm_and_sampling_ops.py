"""Triangles and diagonals (tril, triu, diag, diagonal, diag_embed), PyTorch's shape helpers (unbind, narrow,
movedim, moveaxis, unflatten), vector norms, and the sequence and sampling factories (linspace, logspace,
randint, randperm, normal, bernoulli).

The ops: forward against numpy, values and gradients against torch in float64, first and second
derivatives against finite differences on hypothesis-drawn shapes and values, and their errors. The
factories: values against numpy and torch, the seeded generator, dtypes and errors.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch_reference
from helpers import check_derivatives
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag

EXAMPLES = settings(max_examples=15)
seeds = st.integers(0, 2**32 - 1)
matrix_shapes = hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=4)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


def compare_with_torch(torch, ours, theirs, x, rtol=1e-12, atol=1e-12):
    """``ours`` and ``theirs`` of a float64 leaf holding ``x``: equal outputs (each of a tuple) and equal
    gradients of sum(out * w) for a random w (first derivatives only, to tighter tolerances than the
    shared comparison's defaults)."""
    torch_reference.compare_with_torch(torch, ours, theirs, x, rtol=rtol, atol=atol, second_order=False)


# ======================================================================================= tril, triu
@EXAMPLES
@given(matrix_shapes, seeds, st.integers(-4, 4))
def test_tril_triu_match_numpy_torch_and_finite_differences(shape, seed, k):
    x = np.random.default_rng(seed).standard_normal(shape)
    np.testing.assert_array_equal(ag.tril(x, k).numpy(), np.tril(x, k))
    np.testing.assert_array_equal(ag.triu(x, k).numpy(), np.triu(x, k))
    check_derivatives(lambda t: t.tril(k).sin() + t.triu(diagonal=k).cos(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: (t.tril(k), t.triu(k)), lambda t: (t.tril(k), t.triu(k)), x)


@pytest.mark.parametrize("dtype", ["bool", "int32", "float32"])
def test_tril_triu_keep_the_dtype(torch, dtype):
    x = np.ones((3, 4), dtype=dtype)
    for name in ("tril", "triu"):
        out = getattr(ag, name)(x, -1)
        expected = getattr(torch, name)(torch.tensor(x), -1)
        assert out.dtype == x.dtype and out.tolist() == expected.tolist()


def test_tril_triu_errors_name_them():
    with pytest.raises(ValueError, match=r"^tril: got a tensor of shape \(3,\); expected at least 2 dim"):
        ag.tril(np.ones(3))
    with pytest.raises(TypeError, match=r"^triu: got diagonal of type float \(0.5\); expected an int"):
        ag.triu(np.ones((2, 2)), 0.5)


# ======================================================================================= diagonals
@EXAMPLES
@given(matrix_shapes, seeds, st.integers(-5, 5), st.data())
def test_diagonal_matches_numpy_torch_and_finite_differences(shape, seed, offset, data):
    x = np.random.default_rng(seed).standard_normal(shape)
    n = len(shape)
    dim1 = data.draw(st.integers(-n, n - 1))
    dim2 = data.draw(st.integers(-n, n - 1).filter(lambda d: d % n != dim1 % n))
    dims = (offset, dim1, dim2)
    np.testing.assert_array_equal(ag.diagonal(x, *dims).numpy(), np.diagonal(x, *dims))
    check_derivatives(lambda t: t.diagonal(*dims).sin(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.diagonal(*dims), lambda t: t.diagonal(*dims), x)
    # diag_embed puts the diagonals back: diagonal(diag_embed(d)) == d, and it matches torch
    d = ag.diagonal(x, offset, dim1, dim2).numpy()
    if d.shape[-1]:
        embedded = ag.diag_embed(d, offset, dim1, dim2)
        np.testing.assert_array_equal(ag.diagonal(embedded, offset, dim1, dim2).numpy(), d)
        check_derivatives(lambda t: t.diag_embed(offset, dim1, dim2).sin(), d)
        compare_with_torch(torch, lambda t: t.diag_embed(offset, dim1, dim2),
                           lambda t: torch.diag_embed(t, offset, dim1, dim2), d)


@EXAMPLES
@given(st.integers(1, 4), st.integers(1, 4), seeds, st.integers(-5, 5))
def test_diag_of_vectors_and_matrices_matches_numpy_torch_and_finite_differences(rows, cols, seed, k):
    rng = np.random.default_rng(seed)
    m, v = rng.standard_normal((rows, cols)), rng.standard_normal(cols)
    np.testing.assert_array_equal(ag.diag(m, k).numpy(), np.diag(m, k))
    np.testing.assert_array_equal(ag.diag(v, k).numpy(), np.diag(v, k))
    check_derivatives(lambda t: t.diag(k).sin(), m)
    check_derivatives(lambda t: t.diag(k).sin(), v)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.diag(k), lambda t: t.diag(k), m)
    compare_with_torch(torch, lambda t: t.diag(k), lambda t: t.diag(k), v)


def test_diag_keeps_integer_and_bool_dtypes():
    out = ag.diag(np.array([1, 2], dtype=np.int32), -1)
    assert out.dtype == np.int32 and out.tolist() == np.diag(np.array([1, 2]), -1).tolist()
    assert ag.diag(np.array([True, False])).tolist() == [[True, False], [False, False]]


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.diag(np.ones((2, 2, 2))), ValueError,
     "diag: got a tensor of shape (2, 2, 2); expected a vector or a matrix"),
    (lambda: ag.diagonal(np.ones((2, 2)), 0, 1, -1), ValueError, "diagonal: got dim1=1 and dim2=-1, the same "
                                                                 "dimension"),
    (lambda: ag.diagonal(np.ones((2, 2)), 0, 0, 2), ValueError, "diagonal: dim2 2 is out of range for a "
                                                                "tensor with 2 dimensions"),
    (lambda: ag.diag_embed(np.float64(1.0)), ValueError,
     "diag_embed: got a 0-d tensor; expected at least one dimension"),
    (lambda: ag.diag_embed(np.ones(2), 0, 0, -2), ValueError, "diag_embed: got dim1=0 and dim2=-2, the same "
                                                              "dimension"),
    (lambda: ag.diag_embed(np.ones(2), 0, 0, -3), ValueError,
     "diag_embed: dim2 -3 is out of range for a tensor with 2 dimensions"),
])
def test_diagonal_errors_name_the_op(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= rearrange
@EXAMPLES
@given(shapes, seeds, st.data())
def test_unbind_and_narrow_match_numpy_torch_and_finite_differences(shape, seed, data):
    x = np.random.default_rng(seed).standard_normal(shape)
    n = len(shape)
    axis = data.draw(st.integers(-n, n - 1))
    pieces = ag.unbind(x, axis)
    assert len(pieces) == shape[axis]
    for i, piece in enumerate(pieces):
        np.testing.assert_array_equal(piece.numpy(), np.take(x, i, axis))
    size = shape[axis]
    start = data.draw(st.integers(-size, size))
    length = data.draw(st.integers(0, size - start % size if start < 0 else size - start))
    begin = start % size if start < 0 else start
    np.testing.assert_array_equal(ag.narrow(x, axis, start, length).numpy(),
                                  np.take(x, np.arange(begin, begin + length), axis))
    check_derivatives(lambda t: t.narrow(axis, start, length).sin(), x)
    check_derivatives(lambda t: tuple(p.sin() * (i + 1) for i, p in enumerate(t.unbind(dim=axis))), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.unbind(axis), lambda t: t.unbind(axis), x)
    compare_with_torch(torch, lambda t: t.narrow(axis, start, length),
                       lambda t: t.narrow(axis, start, length), x)


@EXAMPLES
@given(shapes, seeds, st.data())
def test_movedim_matches_numpy_moveaxis_torch_and_finite_differences(shape, seed, data):
    x = np.random.default_rng(seed).standard_normal(shape)
    n = len(shape)
    count = data.draw(st.integers(1, n))
    source = data.draw(st.permutations(range(n)))[:count]
    targets = data.draw(st.permutations(range(n)))[:count]
    destination = [d - n if data.draw(st.booleans()) else d for d in targets]  # negative ones too
    np.testing.assert_array_equal(ag.movedim(x, source, destination).numpy(),
                                  np.moveaxis(x, source, destination))
    np.testing.assert_array_equal(ag.moveaxis(x, source[0], destination[0]).numpy(),
                                  np.moveaxis(x, source[0], destination[0]))
    check_derivatives(lambda t: t.movedim(tuple(source), tuple(destination)).sin(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.movedim(tuple(source), tuple(destination)),
                       lambda t: t.movedim(tuple(source), tuple(destination)), x)


@EXAMPLES
@given(shapes, seeds, st.data())
def test_unflatten_matches_reshape_and_torch(shape, seed, data):
    x = np.random.default_rng(seed).standard_normal(shape)
    n = len(shape)
    axis = data.draw(st.integers(-n, n - 1))
    size = shape[axis]
    first = data.draw(st.sampled_from([d for d in range(1, size + 1) if size % d == 0]))
    sizes = data.draw(st.sampled_from([(first, size // first), (first, -1), (-1, size // first, 1)]))
    full = tuple(s if s != -1 else size // first if i == 1 else first for i, s in enumerate(sizes))
    a = axis % n
    np.testing.assert_array_equal(ag.unflatten(x, axis, sizes).numpy(),
                                  x.reshape(shape[:a] + full + shape[a + 1:]))
    check_derivatives(lambda t: t.unflatten(axis, sizes).sin(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.unflatten(axis, sizes), lambda t: t.unflatten(axis, sizes), x)


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.unbind(np.float64(1.0)), ValueError,
     "unbind: got a 0-d tensor; expected at least one dimension"),
    (lambda: ag.narrow(np.ones(5), 0, 3, 3), ValueError,
     "narrow: got start=3 and length=3 for dim 0 of size 5; expected a non-negative length"),
    (lambda: ag.narrow(np.ones(5), 0, -6, 1), IndexError,
     "narrow: got start=-6 for dim 0 of size 5; expected -5 <= start <= 5"),
    (lambda: ag.narrow(np.ones(5), 0, 1.0, 1), TypeError,
     "narrow: got start of type float (1.0); expected an int"),
    (lambda: ag.movedim(np.ones((2, 3)), (0, 1), 0), ValueError, "movedim: got 2 source dims (0, 1) and 1 "
                                                                 "destination dims 0; expected as many"),
    (lambda: ag.movedim(np.ones((2, 3)), (0, 0), (0, 1)), ValueError, "movedim: got source=(0, 0), which "
                                                                      "repeats a dimension"),
    (lambda: ag.moveaxis(np.ones((2, 3)), 2, 0), ValueError,
     "moveaxis: source 2 is out of range for a tensor with 2 dimensions"),
    (lambda: ag.unflatten(np.ones((2, 6)), 1, (4, -1)), ValueError,
     "unflatten: got sizes (4, -1) for dim 1 of size 6; expected non-negative sizes"),
    (lambda: ag.unflatten(np.ones((2, 6)), 1, (-1, -1)), ValueError,
     "unflatten: got sizes (-1, -1) for dim 1"),
    (lambda: ag.unflatten(np.ones((2, 6)), 1, 6), TypeError,
     "unflatten: got sizes of type int (6); expected a non-empty tuple or list of ints"),
])
def test_rearranging_errors_name_the_op(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= norm
ORDERS = [1, 2, 3, 0.5, 1.5, math.inf, -math.inf, "fro"]


def numpy_norm(x: np.ndarray, p, axes) -> np.ndarray:
    """The vector p-norm over ``axes``, written out with numpy."""
    a = np.abs(x)
    if p == math.inf:
        return a.max(axis=axes)
    if p == -math.inf:
        return a.min(axis=axes)
    p = 2 if p == "fro" else p
    return (a ** p).sum(axis=axes) ** (1 / p)


@EXAMPLES
@given(shapes, seeds, st.sampled_from(ORDERS), st.data())
def test_norm_matches_numpy_torch_and_finite_differences(shape, seed, p, data):
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    # distinct magnitudes away from 0: inf norms have no ties and |x|**p no kink at the point
    x = ((rng.permutation(n) + 1) * 0.3 * rng.choice([-1.0, 1.0], n)).reshape(shape)
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    axes = None if axis is None else axis
    np.testing.assert_allclose(ag.norm(x, p, axis).numpy(), numpy_norm(x, p, axes), rtol=1e-12)
    check_derivatives(lambda t: t.norm(p, axis).sin(), x)
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t: t.norm(p, dim=axis, keepdim=True),
                       lambda t: t.norm(p, dim=axis, keepdim=True), x)


@pytest.mark.parametrize("p", ORDERS)
def test_norm_of_zeros_has_gradient_zero_as_torch(torch, p):
    x = np.array([[0.0, 0.0, 0.0], [0.0, -2.0, 1.0]])
    compare_with_torch(torch, lambda t: t.norm(p, dim=1), lambda t: t.norm(p, dim=1), x)
    compare_with_torch(torch, lambda t: t.norm(p), lambda t: t.norm(p), x)


def test_norm_inf_ties_share_the_gradient_as_torch(torch):
    x = np.array([1.0, -3.0, 3.0, 0.5])
    compare_with_torch(torch, lambda t: t.norm(math.inf), lambda t: t.norm(math.inf), x)


def test_norm_of_matrix_dims_is_the_norm_of_their_entries(torch):
    x = np.random.default_rng(7).standard_normal((2, 3, 4))
    for p in (1, 2, "fro"):
        compare_with_torch(torch, lambda t, p=p: ag.norm(t, p, (0, 2)),
                           lambda t, p=p: torch.norm(t, p, (0, 2)), x)


def test_norm_of_integers_is_floating_and_default_is_euclidean():
    assert ag.norm([3, 4]).item() == 5.0
    assert ag.norm(np.array([3, 4], dtype=np.int64)).dtype == np.float64
    assert ag.norm(np.array([3.0, 4.0], dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("p, message", [
    (0, "norm: got p of type int (0); expected 'fro', inf, -inf or a positive number"),
    (-1.0, "norm: got p of type float (-1.0); expected"),
    (math.nan, "norm: got p of type float (nan); expected"),
    ("nuc", "norm: got p='nuc'; the nuclear norm (a sum of singular values) is not supported"),
    ("max", "norm: got p of type str ('max'); expected"),
    (True, "norm: got p of type bool (True); expected"),
])
def test_norm_refuses_orders_it_does_not_compute(p, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        ag.norm([1.0, 2.0], p)


def test_norm_inf_of_an_empty_slice_is_refused():
    with pytest.raises(ValueError, match=r"^norm: got p=inf for a tensor of shape \(2, 0\) with an empty "):
        ag.norm(np.zeros((2, 0)), math.inf, 1)
    assert ag.norm(np.zeros((2, 0)), 2, 1).tolist() == [0.0, 0.0]  # the sum of nothing, as torch


# ======================================================================================= linspace, logspace
@pytest.mark.parametrize("start, end, steps", [(0, 1, 5), (-1, 1, 7), (3.5, -2.0, 4), (0, 1, 1), (2, 2, 3),
                                               (0, 1, 0)])
def test_linspace_and_logspace_match_numpy_and_torch(torch, start, end, steps):
    out = ag.linspace(start, end, steps)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), np.linspace(start, end, steps).astype(np.float32))
    np.testing.assert_allclose(out.numpy(), torch.linspace(start, end, steps).numpy(), rtol=1e-6, atol=1e-7)
    out64 = ag.logspace(start, end, steps, base=2.0, dtype="float64")
    np.testing.assert_allclose(out64.numpy(), 2.0 ** np.linspace(start, end, steps), rtol=1e-15)
    np.testing.assert_allclose(out64.numpy(), torch.logspace(start, end, steps, base=2.0,
                                                             dtype=torch.float64).numpy(), rtol=1e-14)


def test_linspace_with_an_integer_dtype_truncates_as_torch(torch):
    expected = torch.linspace(0, 10, 4, dtype=torch.int64).tolist()
    assert ag.linspace(0, 10, 4, dtype="int64").tolist() == expected
    assert ag.logspace(0, 2, 3, dtype=np.int64).tolist() == [1, 10, 100]


def test_linspace_requires_grad_and_takes_0d_tensors():
    out = ag.linspace(ag.tensor(0.0), np.float64(1.0), 3, requires_grad=True)
    assert out.requires_grad and out.tolist() == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.linspace(0, 1, -1), ValueError, "linspace: got size -1; sizes must be non-negative"),
    (lambda: ag.linspace(0, 1, 2.5), TypeError, "linspace: got size of type float (2.5)"),
    (lambda: ag.linspace("a", 1, 2), TypeError,
     "linspace: got start of type str ('a'); expected a real number"),
    (lambda: ag.linspace(0, [1, 2], 2), TypeError, "linspace: got end of type list ([1, 2])"),
    (lambda: ag.linspace(0, math.inf, 2), ValueError, "linspace: got end=inf; expected a finite number"),
    (lambda: ag.linspace(0, 1, 2, dtype=bool), TypeError,
     "linspace: got dtype bool; expected a numeric dtype"),
    (lambda: ag.logspace(0, 1, 2, base=None), TypeError, "logspace: got base of type NoneType (None)"),
])
def test_sequence_errors_name_the_function(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


# ======================================================================================= sampling
def test_randint_and_randperm_follow_the_seed_and_their_bounds():
    ag.manual_seed(5)
    a, p = ag.randint(3, 9, (4, 50)), ag.randperm(20)
    ag.manual_seed(5)
    b, q = ag.randint(3, 9, (4, 50)), ag.randperm(20)
    assert a.tolist() == b.tolist() and p.tolist() == q.tolist()
    assert a.dtype == np.int64 and a.shape == (4, 50)
    assert set(a.numpy().ravel()) == set(range(3, 9))  # 200 draws of 6 values reach every one
    assert p.dtype == np.int64 and sorted(p.tolist()) == list(range(20))
    assert ag.randint(4, (3,)).numpy().max() < 4 and ag.randint(high=2, size=[5]).shape == (5,)


def test_randint_and_randperm_take_a_dtype():
    out = ag.randint(0, 2, (3,), dtype="float32", requires_grad=True)
    assert out.dtype == np.float32 and out.requires_grad
    assert ag.randperm(4, dtype=np.int16).dtype == np.int16


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.randint(3, 3, (2,)), ValueError, "randint: got low=3 and high=3; expected low < high"),
    (lambda: ag.randint(5), TypeError, "randint: got no size; expected randint(high, size)"),
    (lambda: ag.randint(0.5, 3, (2,)), TypeError, "randint: got low of type float (0.5); expected an int"),
    (lambda: ag.randint(0, 300, (2,), dtype="uint8"), ValueError,
     "randint: values from 0 to 299 do not fit in dtype uint8"),
    (lambda: ag.randint(0, 3, (2,), dtype=bool), TypeError, "randint: got dtype bool"),
    (lambda: ag.randperm(-1), ValueError, "randperm: got size -1; sizes must be non-negative"),
    (lambda: ag.randperm(300, dtype="int8"), ValueError, "randperm: values from 0 to 299 do not fit in dtype "
                                                         "int8"),
])
def test_randint_and_randperm_errors_name_them(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


def test_normal_with_a_size_follows_the_seed_and_its_parameters():
    ag.manual_seed(11)
    a = ag.normal(3.0, 0.5, (20000,))
    ag.manual_seed(11)
    b = ag.normal(3.0, 0.5, (20000,))
    assert a.dtype == np.float32 and a.tolist() == b.tolist()
    # standard errors: 0.5 / sqrt(n) ~ 0.0035 for the mean, ~ 0.0025 for the standard deviation
    assert abs(float(a.numpy().mean()) - 3.0) < 0.02 and abs(float(a.numpy().std()) - 0.5) < 0.02
    assert ag.normal(1.0, 0.0, (2,), dtype="float64").tolist() == [1.0, 1.0]


def test_normal_of_tensors_broadcasts_and_has_zero_gradient_as_torch(torch):
    mean = ag.tensor(np.array([[0.0], [10.0]]), requires_grad=True)
    std = ag.tensor(np.array([0.0, 1.0, 2.0]), requires_grad=True)
    out = ag.normal(mean, std)
    assert out.shape == (2, 3) and out.dtype == np.float64 and out.requires_grad
    assert out.numpy()[:, 0].tolist() == [0.0, 10.0]  # std 0 gives the mean
    out.sum().backward()
    t_mean = torch.tensor([[0.0], [10.0]], dtype=torch.float64, requires_grad=True)
    t_std = torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
    t_out = torch.normal(t_mean, t_std)
    assert t_out.requires_grad
    t_out.sum().backward()
    assert mean.grad.tolist() == t_mean.grad.tolist() and std.grad.tolist() == t_std.grad.tolist()


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.normal(0.0, -1.0, (2,)), ValueError, "normal: got std=-1.0; expected std >= 0"),
    (lambda: ag.normal(ag.zeros(2), -1.0), ValueError, "normal: got std with a negative entry (-1.0)"),
    (lambda: ag.normal(0.0, 1.0), TypeError, "normal: got numbers for mean and std and no size"),
    (lambda: ag.normal(ag.zeros(2), 1.0, (2,)), TypeError, "normal: got mean of type Tensor"),
    (lambda: ag.normal(0.0, 1.0, (2,), dtype="int64"), TypeError,
     "normal: got dtype int64; expected a floating"),
    (lambda: ag.normal(ag.zeros(2), ag.ones(3)), ValueError,
     "normal: shapes (2,) and (3,) cannot be broadcast"),
    (lambda: ag.normal(ag.zeros(2), 1.0, dtype="float64"), TypeError, "normal: dtype= and requires_grad= go "
                                                                      "with a size"),
])
def test_normal_errors_name_it(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


def test_bernoulli_draws_with_the_given_probabilities_and_has_zero_gradient_as_torch(torch):
    ag.manual_seed(3)
    p = ag.tensor(np.array([0.0, 1.0, 0.25] * 4000), requires_grad=True)
    draws = ag.bernoulli(p)
    assert draws.dtype == np.float64 and draws.requires_grad
    values = draws.numpy().reshape(-1, 3)
    assert set(values[:, 0]) == {0.0} and set(values[:, 1]) == {1.0}
    assert abs(values[:, 2].mean() - 0.25) < 0.03  # standard error ~ 0.007
    draws.sum().backward()
    t_p = torch.tensor([0.0, 1.0, 0.25], dtype=torch.float64, requires_grad=True)
    torch.bernoulli(t_p).sum().backward()
    assert set(p.grad.tolist()) == set(t_p.grad.tolist()) == {0.0}
    with pytest.raises(ValueError, match=r"^bernoulli: got probabilities from 0\.0 to 1\.5; expected values"):
        ag.bernoulli([0.0, 1.5])
    with pytest.raises(TypeError, match=r"^bernoulli: got probabilities of dtype int64; expected a floating"):
        ag.bernoulli([0, 1])


def test_graph_pictures_show_the_order_and_axes_of_a_norm():
    from autograd.graph_tensor import op_text

    z = ag.ones(4, 3, requires_grad=True)
    assert op_text(z.norm(dim=1)) == "norm(axis=1, p=2)"
    assert op_text(z.norm(3, 1, keepdim=True)) == "norm(axis=1, keepdims=True, p=3)"
    assert op_text(z.norm(1)) == "norm(p=1)"
