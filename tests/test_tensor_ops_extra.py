"""Reductions (var, std, prod, max/min, argmax/argmin, logsumexp), maximum/minimum, softmax/log_softmax,
dot/outer/trace/einsum, and the shape family (flatten, squeeze, unsqueeze, cat, stack, split, chunk,
pad, roll, flip, tile, repeat, repeat_interleave).

For each op: forward against numpy in float32 and float64, gradients against two-sided finite differences
in float64 on hypothesis-drawn shapes, second derivatives where the rule is non-trivial, the edge cases
SPEC.md fixes (ties, zeros, large logits) and the errors. Where torch is installed, the same cases are
compared with torch in float64.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor, tensor

try:
    from autograd.gradcheck import gradcheck as _shared_gradcheck
    from autograd.gradcheck import gradgradcheck as _shared_gradgradcheck
except ImportError:  # pragma: no cover - the shared checker is written in parallel
    _shared_gradcheck = _shared_gradgradcheck = None

ATOL, RTOL = 1e-7, 1e-6
EXAMPLES = settings(max_examples=25)

# --------------------------------------------------------------------------- finite differences


def _local_vjp_check(f, arrays, atol=ATOL, rtol=RTOL, eps=1e-6):
    """Gradient of sum(w * f(x)) for a random w, against central differences, coordinate by coordinate."""
    xs = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    out = f(*xs)
    w = np.random.default_rng(1).standard_normal(out.shape)
    (out * Tensor(w)).sum().backward()

    def loss(vals):
        return float(np.sum(np.asarray(f(*[Tensor(v) for v in vals]).data, dtype=np.float64) * w))

    for i, x in enumerate(xs):
        base = [np.array(a, dtype=np.float64) for a in arrays]
        got = np.zeros(x.shape) if x.grad is None else x.grad.data
        for k in np.ndindex(x.shape):
            plus = [b.copy() for b in base]
            minus = [b.copy() for b in base]
            plus[i][k] += eps
            minus[i][k] -= eps
            fd = (loss(plus) - loss(minus)) / (2 * eps)
            assert abs(got[k] - fd) <= atol + rtol * abs(fd), (i, k, got[k], fd)
    return True


def check_grad(f, *arrays):
    """Gradients of ``f`` at float64 copies of ``arrays`` against two-sided finite differences."""
    if _shared_gradcheck is not None:
        return _shared_gradcheck(f, [np.array(a, dtype=np.float64) for a in arrays], atol=ATOL, rtol=RTOL)
    return _local_vjp_check(f, arrays)


def check_gradgrad(f, *arrays):
    """Second derivatives: the gradient of the recorded (create_graph=True) vector-Jacobian product against
    finite differences of that product."""
    if _shared_gradgradcheck is not None:
        return _shared_gradgradcheck(f, [np.array(a, dtype=np.float64) for a in arrays], atol=1e-6, rtol=1e-5)
    v = np.random.default_rng(2).standard_normal(f(*[Tensor(np.asarray(a, float)) for a in arrays]).shape)

    def first(*xs):
        xs = [x.detach().requires_grad_() if x.is_leaf else x for x in xs]
        out = f(*xs)
        out.backward(Tensor(v), create_graph=True)
        return xs[0].grad

    return _local_vjp_check(first, arrays, atol=1e-6, rtol=1e-5)


def hvp_vs_finite_differences(f, x0, eps=1e-5):
    """Hessian-vector product of a scalar f through create_graph=True vs central differences of the
    gradient along v (an explicit second-order check independent of the shared checker)."""
    v = np.random.default_rng(3).standard_normal(x0.shape)

    def grad_at(a):
        x = Tensor(np.array(a, dtype=np.float64), requires_grad=True)
        f(x).backward()
        return x.grad.data

    x = Tensor(np.array(x0, dtype=np.float64), requires_grad=True)
    f(x).backward(create_graph=True)
    g = x.grad
    x.grad = None
    (g * Tensor(v)).sum().backward()
    hv = x.grad.data
    fd = (grad_at(x0 + eps * v) - grad_at(x0 - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- strategies

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
shapes0 = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
seeds = st.integers(0, 2**32 - 1)


def normal(seed, shape, scale=1.0):
    return np.asarray(np.random.default_rng(seed).standard_normal(shape) * scale)


def distinct(seed, shape):
    """Values at least 0.25 apart (no ties, so max/min are differentiable at the point)."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape, dtype=int))
    return np.asarray((rng.permutation(n) * 0.25 - n * 0.125 + rng.uniform(0, 0.05)).reshape(shape))


@st.composite
def axes_for(draw, ndim, allow_none=True):
    """None, one int (possibly negative) or a tuple of distinct axes."""
    options = [st.integers(-ndim, ndim - 1)] if ndim else []
    if allow_none:
        options.append(st.none())
    if ndim:
        options.append(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple))
    return draw(st.one_of(*options)) if options else None


def as_tuple(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    return (axis % ndim,) if isinstance(axis, int) else tuple(a % ndim for a in axis)


def torch_or_skip():
    return pytest.importorskip("torch")


def torch_grad(fn_torch, *arrays, w=None):
    """Forward value and gradients of sum(w * fn(x)) in torch float64."""
    torch = torch_or_skip()
    xs = [torch.tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    out = fn_torch(*xs)
    if w is None:
        w = np.random.default_rng(5).standard_normal(tuple(out.shape))
    (out * torch.tensor(w)).sum().backward()
    return out.detach().numpy(), [x.grad.numpy() if x.grad is not None else None for x in xs], w


def ours_grad(fn, *arrays, w):
    xs = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    out = fn(*xs)
    (out * Tensor(np.asarray(w, dtype=np.float64))).sum().backward()
    return out.data, [x.grad.data if x.grad is not None else None for x in xs]


def assert_matches_torch(fn, fn_torch, *arrays, rtol=1e-10, atol=1e-12):
    t_out, t_grads, w = torch_grad(fn_torch, *arrays)
    o_out, o_grads = ours_grad(fn, *arrays, w=w)
    np.testing.assert_allclose(o_out, t_out, rtol=rtol, atol=atol)
    for og, tg in zip(o_grads, t_grads):
        np.testing.assert_allclose(og, tg, rtol=rtol, atol=atol)


DTYPES = [np.float32, np.float64]


def forward_close(got: Tensor, expected: np.ndarray, dtype) -> None:
    assert got.dtype == np.dtype(dtype)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got.data, expected, rtol=tol, atol=tol)


# =========================================================================== var, std

@EXAMPLES
@given(shape=shapes, seed=seeds, data=st.data(), keepdims=st.booleans(), ddof=st.sampled_from([0, 1]),
       dtype=st.sampled_from(DTYPES))
def test_var_std_forward_match_numpy(shape, seed, data, keepdims, ddof, dtype):
    axis = data.draw(axes_for(len(shape)))
    x = normal(seed, shape).astype(dtype)
    n = int(np.prod([shape[a] for a in as_tuple(axis, len(shape))]))
    if n - ddof <= 0:
        ddof = 0
    ax = axis if axis is None or isinstance(axis, int) else tuple(axis)
    ref64 = np.var(x.astype(np.float64), axis=ax, ddof=ddof, keepdims=keepdims)
    forward_close(tensor(x).var(axis, ddof=ddof, keepdims=keepdims), ref64, dtype)
    forward_close(tensor(x).std(axis, ddof=ddof, keepdims=keepdims), np.sqrt(ref64), dtype)


@EXAMPLES
@given(shape=shapes, seed=seeds, data=st.data(), keepdims=st.booleans(), ddof=st.sampled_from([0, 1]))
def test_var_std_gradcheck(shape, seed, data, keepdims, ddof):
    axis = data.draw(axes_for(len(shape)))
    n = int(np.prod([shape[a] for a in as_tuple(axis, len(shape))]))
    if n - ddof <= 0:
        ddof = 0
    x = normal(seed, shape)
    check_grad(lambda t: t.var(axis, ddof=ddof, keepdims=keepdims), x)
    if n > 1:  # std of one element is 0, where sqrt is not differentiable
        check_grad(lambda t: t.std(axis, ddof=ddof, keepdims=keepdims), x)


def test_var_std_second_order():
    x = normal(0, (3, 4))
    check_gradgrad(lambda t: t.var(axis=1, ddof=1), x)
    check_gradgrad(lambda t: t.std(axis=0), x)
    hvp_vs_finite_differences(lambda t: t.var(), x)
    hvp_vs_finite_differences(lambda t: (t.var(axis=0, ddof=1) ** 2).sum(), x)


def test_var_known_values_and_errors():
    x = tensor([1.0, 2.0, 3.0, 4.0])
    assert x.var().item() == 1.25
    assert abs(x.var(ddof=1).item() - 5 / 3) < 1e-6
    assert abs(x.std(ddof=1).item() - np.sqrt(5 / 3)) < 1e-6
    assert np.isnan(tensor([1.0]).var(ddof=1).item())  # n - ddof = 0: nan, as numpy and torch
    with pytest.raises(ValueError, match=r"var: got ddof=-1"):
        x.var(ddof=-1)
    with pytest.raises(ValueError, match=r"std: got ddof=0.5"):
        x.std(ddof=0.5)
    with pytest.raises(ValueError, match=r"var: axis 1 is out of range"):
        x.var(axis=1)


@pytest.mark.parametrize("axis,ddof,keepdims",
                         [(None, 0, False), (1, 1, True), ((0, 2), 1, False), (-1, 0, False)])
def test_var_std_match_torch(axis, ddof, keepdims):
    x = normal(7, (3, 4, 2))
    assert_matches_torch(lambda t: t.var(axis, ddof=ddof, keepdims=keepdims),
                         lambda t: t.var(dim=axis, correction=ddof, keepdim=keepdims), x)
    assert_matches_torch(lambda t: t.std(axis, ddof=ddof, keepdims=keepdims),
                         lambda t: t.std(dim=axis, correction=ddof, keepdim=keepdims), x)


# =========================================================================== prod

@EXAMPLES
@given(shape=shapes0, seed=seeds, data=st.data(), keepdims=st.booleans(), dtype=st.sampled_from(DTYPES))
def test_prod_forward_matches_numpy(shape, seed, data, keepdims, dtype):
    axis = data.draw(axes_for(len(shape)))
    x = normal(seed, shape).astype(dtype)
    ref = np.prod(x.astype(np.float64), axis=axis, keepdims=keepdims)
    forward_close(tensor(x).prod(axis, keepdims=keepdims), ref, dtype)


@EXAMPLES
@given(shape=shapes, seed=seeds, data=st.data(), keepdims=st.booleans(), zeros=st.integers(0, 3))
def test_prod_gradcheck_with_zeros(shape, seed, data, keepdims, zeros):
    axis = data.draw(axes_for(len(shape)))
    x = normal(seed, shape)
    flat = x.reshape(-1)
    flat[np.random.default_rng(seed).permutation(flat.size)[:zeros]] = 0.0  # some exact zeros
    check_grad(lambda t: t.prod(axis, keepdims=keepdims), x)


def test_prod_gradient_with_one_and_two_zeros_is_exact():
    x = tensor(np.array([2.0, 0.0, 5.0, 3.0]), requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [0.0, 30.0, 0.0, 0.0]  # only the zero sees the product of the others
    x = tensor(np.array([2.0, 0.0, 5.0, 0.0]), requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 0.0]
    x = tensor(np.array([[2.0, 0.0, 4.0], [0.0, 0.0, 1.0], [1.0, 2.0, 3.0]]), requires_grad=True)
    x.prod(axis=1).sum().backward()
    assert x.grad.tolist() == [[0.0, 8.0, 0.0], [0.0, 0.0, 0.0], [6.0, 3.0, 2.0]]


def test_prod_second_order_with_zeros():
    # d^2/dx_i dx_j prod(x) = prod of the others but i, j: with one zero at k, only the pairs (k, j) survive
    x = tensor(np.array([2.0, 0.0, 5.0]), requires_grad=True)
    y = x.prod()
    y.backward(create_graph=True)
    g = x.grad
    x.grad = None
    g[0].backward()
    assert x.grad.tolist() == [0.0, 5.0, 0.0]
    for arr in (normal(1, (3, 2)), np.array([[1.5, 0.0], [0.0, 2.0], [3.0, -1.0]])):
        check_gradgrad(lambda t: t.prod(axis=0), arr)
        check_gradgrad(lambda t: t.prod(), arr)
        hvp_vs_finite_differences(lambda t: t.prod(), arr)


def test_prod_third_order():
    # the third derivative of x0*x1*x2 w.r.t. (x0, x1, x2) is 1
    x = tensor(np.array([2.0, 0.0, 5.0]), requires_grad=True)
    x.prod().backward(create_graph=True)
    g0 = x.grad[0]
    x.grad = None
    g0.backward(create_graph=True)
    g01 = x.grad[1]
    x.grad = None
    g01.backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("values", [[[1.0, 2.0, 3.0], [4.0, 0.0, 6.0]], [[0.0, 2.0, 0.0], [4.0, 5.0, 6.0]]])
def test_prod_matches_torch(values):
    torch = torch_or_skip()
    x = np.array(values)
    assert_matches_torch(lambda t: t.prod(axis=1), lambda t: t.prod(dim=1), x)
    assert_matches_torch(lambda t: t.prod(axis=0, keepdims=True), lambda t: t.prod(dim=0, keepdim=True), x)
    assert_matches_torch(lambda t: t.prod(), torch.prod, x)


# =========================================================================== max, min, argmax, argmin

@EXAMPLES
@given(shape=shapes0, seed=seeds, data=st.data(), keepdims=st.booleans(), dtype=st.sampled_from(DTYPES))
def test_max_min_forward_match_numpy(shape, seed, data, keepdims, dtype):
    axis = data.draw(axes_for(len(shape)))
    x = normal(seed, shape).astype(dtype)
    forward_close(tensor(x).max(axis=axis, keepdims=keepdims), np.max(x, axis=axis, keepdims=keepdims), dtype)
    forward_close(tensor(x).min(axis=axis, keepdims=keepdims), np.min(x, axis=axis, keepdims=keepdims), dtype)
    forward_close(tensor(x).amax(axis, keepdims), np.amax(x, axis=axis, keepdims=keepdims), dtype)
    forward_close(ag.amin(tensor(x), axis, keepdims), np.amin(x, axis=axis, keepdims=keepdims), dtype)


@EXAMPLES
@given(shape=shapes, seed=seeds, data=st.data(), keepdims=st.booleans())
def test_max_min_gradcheck(shape, seed, data, keepdims):
    axis = data.draw(axes_for(len(shape)))
    x = distinct(seed, shape)
    check_grad(lambda t: t.max(axis=axis, keepdims=keepdims), x)
    check_grad(lambda t: ag.min(t, axis=axis, keepdims=keepdims), x)


def test_max_min_ties_split_the_gradient_evenly():
    x = tensor(np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]), requires_grad=True)
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    x.grad = None
    x.min().backward()
    np.testing.assert_array_equal(x.grad.data, [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    x.grad = None
    x.max(axis=(0, 1)).backward()  # the two 3s tie over the whole tensor
    np.testing.assert_array_equal(x.grad.data, [[0.0, 0.5, 0.5], [0.0, 0.0, 0.0]])
    x.grad = None
    (x.max(axis=0, keepdims=True) * tensor(np.array([[1.0, 2.0, 4.0]]))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 2.0, 4.0], [1.0, 0.0, 0.0]])


def test_max_min_edge_cases_and_errors():
    x = tensor(np.array([1.0, np.nan, 2.0]), requires_grad=True)
    y = x.max()
    assert np.isnan(y.item())
    y.backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]  # the nan "wins" and takes the gradient
    assert tensor([1.0, np.inf]).max().item() == np.inf
    assert tensor(3.0).max().item() == 3.0
    with pytest.raises(ValueError, match=r"max: cannot reduce a tensor of shape \(0, 3\)"):
        ag.zeros(0, 3).max(axis=0)
    with pytest.raises(ValueError, match=r"min: cannot reduce a tensor of shape \(2, 0\)"):
        ag.zeros(2, 0).min(axis=1)
    assert ag.zeros(2, 0).max(axis=0).shape == (0,)  # nothing empty along the reduced axis
    with pytest.raises(ValueError, match=r"max: axis 2 is out of range for a tensor with 2 dimensions"):
        ag.zeros(2, 2).max(axis=2)
    # max(x, other) is the elementwise maximum, as torch.max(a, b)
    assert tensor([1.0, 5.0]).max(tensor([3.0, 2.0])).tolist() == [3.0, 5.0]
    assert ag.min(tensor([1.0, 5.0]), tensor([3.0, 2.0])).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, False), (1, True), ((0, 2), False)])
def test_max_min_match_torch_amax_with_ties(axis, keepdims):
    torch = torch_or_skip()
    x = np.round(normal(3, (3, 4, 2)))  # small integers: many ties; torch.amax splits evenly as well
    dim = tuple(range(3)) if axis is None else axis
    assert_matches_torch(lambda t: t.max(axis=axis, keepdims=keepdims),
                         lambda t: torch.amax(t, dim=dim, keepdim=keepdims), x)
    assert_matches_torch(lambda t: t.min(axis=axis, keepdims=keepdims),
                         lambda t: torch.amin(t, dim=dim, keepdim=keepdims), x)


@EXAMPLES
@given(shape=shapes, seed=seeds, data=st.data(), keepdims=st.booleans())
def test_argmax_argmin_match_numpy(shape, seed, data, keepdims):
    axis = data.draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    x = np.round(normal(seed, shape))  # ties: the first index wins, as in numpy
    for ours, ref in ((ag.argmax, np.argmax), (ag.argmin, np.argmin)):
        got = ours(tensor(x, requires_grad=True), axis, keepdims)
        assert got.dtype == np.int64 and not got.requires_grad
        np.testing.assert_array_equal(got.data, ref(x, axis=axis, keepdims=keepdims))


def test_argmax_errors():
    with pytest.raises(TypeError, match=r"argmax: got axis=\(0, 1\); expected an int or None"):
        ag.zeros(2, 2).argmax(axis=(0, 1))
    with pytest.raises(ValueError, match=r"argmin: got a tensor of shape \(0,\)"):
        ag.zeros(0).argmin()
    assert tensor([[1.0, 9.0], [8.0, 2.0]]).argmax().item() == 1


# =========================================================================== logsumexp

@EXAMPLES
@given(shape=shapes0, seed=seeds, data=st.data(), keepdims=st.booleans(), dtype=st.sampled_from(DTYPES))
def test_logsumexp_forward_matches_numpy(shape, seed, data, keepdims, dtype):
    axis = data.draw(axes_for(len(shape)))
    x = normal(seed, shape, 3.0).astype(dtype)
    ref = np.log(np.sum(np.exp(x.astype(np.float64)), axis=axis, keepdims=keepdims))
    forward_close(tensor(x).logsumexp(axis, keepdims), ref, dtype)


@EXAMPLES
@given(shape=shapes, seed=seeds, data=st.data(), keepdims=st.booleans())
def test_logsumexp_gradcheck(shape, seed, data, keepdims):
    axis = data.draw(axes_for(len(shape)))
    check_grad(lambda t: t.logsumexp(axis, keepdims), normal(seed, shape, 2.0))


def test_logsumexp_is_stable_for_huge_logits():
    x = tensor(np.array([[1e4, 1e4 - 1.0, -1e4], [-1e4, -1e4, -1e4]]), requires_grad=True)
    y = x.logsumexp(axis=1)
    assert np.all(np.isfinite(y.data))
    np.testing.assert_allclose(y.data, [1e4 + np.log1p(np.exp(-1.0)), -1e4 + np.log(3.0)], rtol=1e-15)
    y.sum().backward()
    assert np.all(np.isfinite(x.grad.data))
    np.testing.assert_allclose(x.grad.data.sum(axis=1), [1.0, 1.0])
    x32 = tensor(np.array([1e4, 1e4], dtype=np.float32))
    assert np.isfinite(x32.logsumexp().item())
    # infinities stay exact: all -inf gives -inf, an inf gives inf, and an empty sum gives -inf
    assert tensor([-np.inf, -np.inf]).logsumexp().item() == -np.inf
    assert tensor([np.inf, 1.0]).logsumexp().item() == np.inf
    assert ag.zeros(0).logsumexp().item() == -np.inf


def test_logsumexp_second_order():
    x = normal(4, (2, 3))
    check_gradgrad(lambda t: t.logsumexp(axis=1), x)
    check_gradgrad(lambda t: t.logsumexp(), x)
    hvp_vs_finite_differences(lambda t: t.logsumexp(), x)


@pytest.mark.parametrize("axis,keepdims", [(1, False), ((0, 1), True), (-1, True)])
def test_logsumexp_matches_torch(axis, keepdims):
    x = normal(8, (3, 4)) * 5
    assert_matches_torch(lambda t: t.logsumexp(axis, keepdims),
                         lambda t: t.logsumexp(dim=axis, keepdim=keepdims), x)


# =========================================================================== maximum, minimum

@EXAMPLES
@given(shapes_pair=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4), seed=seeds,
       dtype=st.sampled_from(DTYPES))
def test_maximum_minimum_forward_and_gradcheck_with_broadcasting(shapes_pair, seed, dtype):
    sa, sb = shapes_pair.input_shapes
    na = int(np.prod(sa, dtype=int))
    values = distinct(seed, (na + int(np.prod(sb, dtype=int)),))
    a, b = values[:na].reshape(sa), values[na:].reshape(sb)
    for ours, ref in ((ag.maximum, np.maximum), (ag.minimum, np.minimum)):
        forward_close(ours(tensor(a.astype(dtype)), tensor(b.astype(dtype))), ref(a, b), dtype)
        check_grad(ours, a, b)
        check_grad(lambda t, ours=ours: ours(t, 0.1), a)  # a Python number on one side


def test_maximum_minimum_ties_split_half_and_half():
    a = tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    b = tensor(np.array([2.0]), requires_grad=True)
    ag.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.0, 0.5, 1.0]
    assert b.grad.tolist() == [1.5]  # 1 from the first element, 0.5 from the tie
    a.grad = b.grad = None
    a.minimum(b).sum().backward()
    assert a.grad.tolist() == [1.0, 0.5, 0.0]
    assert b.grad.tolist() == [1.5]
    with pytest.raises(ValueError, match=r"maximum: shapes \(3,\) and \(2,\) cannot be broadcast"):
        ag.maximum(a, ag.zeros(2))


@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_minimum_match_torch_with_ties(name):
    torch = torch_or_skip()
    a = np.round(normal(9, (3, 4)))
    b = np.round(normal(10, (4,)))
    assert_matches_torch(getattr(ag, name), getattr(torch, name), a, b)


# =========================================================================== softmax, log_softmax

def np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@EXAMPLES
@given(shape=shapes, seed=seeds, data=st.data(), dtype=st.sampled_from(DTYPES))
def test_softmax_log_softmax_forward_and_gradcheck(shape, seed, data, dtype):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = normal(seed, shape, 3.0)
    s = np_softmax(x, axis)
    forward_close(ag.softmax(tensor(x.astype(dtype)), axis), s, dtype)
    forward_close(tensor(x.astype(dtype)).log_softmax(axis), np.log(s), dtype)
    check_grad(lambda t: t.softmax(axis), x)
    check_grad(lambda t: ag.log_softmax(t, axis), x)


def test_softmax_is_stable_for_huge_logits():
    for dtype in DTYPES:
        x = tensor(np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 1e4]], dtype=dtype), requires_grad=True)
        s = x.softmax(axis=1)
        ls = x.log_softmax(axis=1)
        assert np.all(np.isfinite(s.data)) and np.all(np.isfinite(ls.data))
        np.testing.assert_allclose(s.data, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
        np.testing.assert_allclose(ls.data, [[0.0, -1e4, -2e4], [-np.log(3)] * 3], rtol=1e-6)
        (s * tensor(np.arange(6.0, dtype=dtype).reshape(2, 3))).sum().backward()
        assert np.all(np.isfinite(x.grad.data))
        x.grad = None
        ls[:, 0].sum().backward()
        assert np.all(np.isfinite(x.grad.data))


def test_softmax_rows_sum_to_one_and_gradient_of_sum_is_zero():
    x = tensor(normal(11, (4, 5)), requires_grad=True)
    s = x.softmax(0)
    np.testing.assert_allclose(s.data.sum(axis=0), 1.0)
    s.sum().backward()
    np.testing.assert_allclose(x.grad.data, 0.0, atol=1e-15)


def test_softmax_log_softmax_second_order():
    x = normal(12, (2, 4))
    check_gradgrad(lambda t: t.softmax(axis=1), x)
    check_gradgrad(lambda t: t.log_softmax(axis=0), x)
    target = np.random.default_rng(0).standard_normal((2, 4))
    hvp_vs_finite_differences(lambda t: (t.softmax(axis=1) * Tensor(target)).sum(), x)
    hvp_vs_finite_differences(lambda t: (t.log_softmax(axis=1) * Tensor(target)).sum(), x)


def test_softmax_errors():
    with pytest.raises(ValueError, match=r"softmax: axis 2 is out of range for a tensor with 2 dimensions"):
        ag.zeros(2, 3).softmax(2)
    with pytest.raises(TypeError, match=r"log_softmax: got axis=\(0, 1\); expected one int axis"):
        ag.zeros(2, 3).log_softmax((0, 1))
    assert tensor(5.0).softmax().item() == 1.0  # a 0-d tensor is its own axis


def test_softmax_of_empty_and_infinite_rows():
    empty = tensor(np.zeros((0, 3)), requires_grad=True)
    assert empty.softmax(1).shape == (0, 3) and empty.log_softmax(0).shape == (0, 3)
    x = tensor(np.array([[np.inf, 0.0], [-np.inf, -np.inf], [np.nan, 1.0], [-np.inf, 0.0]]))
    s, ls = x.softmax(1).numpy(), x.log_softmax(1).numpy()
    # A row without a finite maximum gives nan throughout, as in PyTorch; -inf beside finite logits is
    # an ordinary zero probability.
    assert np.isnan(s[:3]).all() and np.isnan(ls[:3]).all()
    np.testing.assert_array_equal(s[3], [0.0, 1.0])
    np.testing.assert_array_equal(ls[3], [-np.inf, 0.0])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_log_softmax_match_torch(axis):
    torch = torch_or_skip()
    x = normal(13, (3, 4)) * 4
    assert_matches_torch(lambda t: t.softmax(axis), lambda t: torch.softmax(t, dim=axis), x)
    assert_matches_torch(lambda t: t.log_softmax(axis), lambda t: torch.log_softmax(t, dim=axis), x)


# =========================================================================== dot, outer, trace

@EXAMPLES
@given(n=st.integers(1, 4), m=st.integers(1, 4), seed=seeds, dtype=st.sampled_from(DTYPES))
def test_dot_outer_trace_forward_and_gradcheck(n, m, seed, dtype):
    a, b, c = normal(seed, (n,)), normal(seed + 1, (n,)), normal(seed + 2, (m,))
    M = normal(seed + 3, (n, m))
    forward_close(ag.dot(tensor(a.astype(dtype)), tensor(b.astype(dtype))), np.dot(a, b), dtype)
    forward_close(tensor(a.astype(dtype)).outer(tensor(c.astype(dtype))), np.outer(a, c), dtype)
    forward_close(tensor(M.astype(dtype)).trace(), np.trace(M), dtype)
    check_grad(ag.dot, a, b)
    check_grad(ag.outer, a, c)
    check_grad(ag.trace, M)


def test_dot_outer_trace_errors():
    with pytest.raises(ValueError, match=r"dot: got shapes \(2,\) and \(3,\)"):
        ag.dot(ag.zeros(2), ag.zeros(3))
    with pytest.raises(ValueError, match=r"dot: got shapes \(2, 2\) and \(2,\)"):
        ag.dot(ag.zeros(2, 2), ag.zeros(2))
    with pytest.raises(ValueError, match=r"outer: got shapes \(2, 1\) and \(3,\)"):
        ag.outer(ag.zeros(2, 1), ag.zeros(3))
    with pytest.raises(ValueError, match=r"trace: got a tensor of shape \(3,\); expected a 2-D tensor"):
        ag.zeros(3).trace()


def test_dot_outer_trace_match_torch():
    torch = torch_or_skip()
    a, b, c = normal(1, (4,)), normal(2, (4,)), normal(3, (3,))
    assert_matches_torch(ag.dot, torch.dot, a, b)
    assert_matches_torch(ag.outer, torch.outer, a, c)
    assert_matches_torch(ag.trace, torch.trace, normal(4, (3, 4)))


# =========================================================================== einsum

EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("bi,oi->bo", [(3, 4), (2, 4)]),
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(3,), (2,)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("ij,jk", [(2, 3), (3, 4)]),           # implicit output: 'ik'
    ("ba", [(2, 3)]),                      # implicit output sorts the labels: a transpose
    ("ii->i", [(3, 3)]),                   # diagonal
    ("ii", [(3, 3)]),                      # trace
    ("iij->ji", [(2, 2, 3)]),
    ("iji->j", [(2, 3, 2)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 4)]),
    ("...ii->...", [(2, 3, 3)]),
    ("ij,ij->ij", [(1, 3), (4, 3)]),       # size-1 broadcasting
    ("ij,j->i", [(2, 3), (1,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
    ("i,i,i->i", [(3,), (3,), (3,)]),
    ("bhqd,bhkd->bhqk", [(1, 2, 3, 2), (1, 2, 2, 2)]),
]


@pytest.mark.parametrize("spec,shapes_", EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
@pytest.mark.parametrize("dtype", DTYPES)
def test_einsum_forward_matches_numpy(spec, shapes_, dtype):
    xs = [normal(k, s).astype(dtype) for k, s in enumerate(shapes_)]
    ref_spec = spec if not spec.startswith("...ii->") else "...ii->..."
    forward_close(ag.einsum(spec, *[tensor(x) for x in xs]),
                  np.einsum(ref_spec, *[x.astype(np.float64) for x in xs]), dtype)


@pytest.mark.parametrize("spec,shapes_", EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
def test_einsum_gradcheck_and_second_order(spec, shapes_):
    xs = [normal(k + 20, s) for k, s in enumerate(shapes_)]
    check_grad(lambda *ts: ag.einsum(spec, *ts), *xs)
    check_gradgrad(lambda *ts: ag.einsum(spec, *ts) ** 2, *xs)


def test_einsum_large_contraction_takes_the_optimized_path():
    # 4 * 32 * 16 * 32 = 65536 iteration points: numpy's contraction path (BLAS) is used
    x, y = normal(1, (4, 32, 16)), normal(2, (4, 16, 32))
    X, Y = tensor(x, requires_grad=True), tensor(y, requires_grad=True)
    out = ag.einsum("bij,bjk->bik", X, Y)
    np.testing.assert_allclose(out.data, x @ y, rtol=1e-12, atol=1e-12)
    w = normal(3, (4, 32, 32))
    (out * tensor(w)).sum().backward()
    np.testing.assert_allclose(X.grad.data, w @ y.transpose(0, 2, 1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(Y.grad.data, x.transpose(0, 2, 1) @ w, rtol=1e-12, atol=1e-12)


def test_einsum_same_tensor_twice_and_list_form():
    x = tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    y = ag.einsum("i,i->", [x, x])
    assert y.item() == 14.0
    y.backward()
    assert x.grad.tolist() == [2.0, 4.0, 6.0]


@EXAMPLES
@given(b=st.integers(1, 3), i=st.integers(1, 4), j=st.integers(1, 4), k=st.integers(1, 4), seed=seeds)
def test_einsum_batched_matmul_gradcheck(b, i, j, k, seed):
    check_grad(lambda x, y: ag.einsum("bij,bjk->bik", x, y), normal(seed, (b, i, j)),
               normal(seed + 1, (b, j, k)))
    check_grad(lambda x, y: ag.einsum("bi,oi->bo", x, y), normal(seed, (b, i)), normal(seed + 1, (k, i)))


def test_einsum_errors_name_the_problem():
    a, b = ag.zeros(2, 3), ag.zeros(3, 4)
    with pytest.raises(ValueError, match=r"einsum: subscripts 'ij,jk->ik' name 2 operand\(s\); got 1"):
        ag.einsum("ij,jk->ik", a)
    with pytest.raises(ValueError, match=r"einsum: operand 1 has shape \(3, 4\) \(2 dimensions\) but its "
                                         r"subscripts 'jkl' name 3"):
        ag.einsum("ij,jkl->ik", a, b)
    with pytest.raises(ValueError, match=r"einsum: label 'j' has size 3 in one operand and 4 in operand 1"):
        ag.einsum("ij,kj->ik", a, b)
    with pytest.raises(ValueError, match=r"einsum: term 'i1' of 'i1,jk' has invalid character"):
        ag.einsum("i1,jk", a, b)
    with pytest.raises(ValueError, match=r"einsum: output label\(s\) \['z'\]"):
        ag.einsum("ij,jk->iz", a, b)
    with pytest.raises(ValueError, match=r"einsum: output subscripts 'ii' repeat a label"):
        ag.einsum("ij->ii", a)
    with pytest.raises(ValueError, match=r"einsum: operand 0 of shape \(2, 3\) repeats label 'i'"):
        ag.einsum("ii->i", a)
    with pytest.raises(ValueError, match=r"einsum: got no operands"):
        ag.einsum("ij")
    with pytest.raises(TypeError, match=r"einsum: got subscripts of type int"):
        ag.einsum(3, a)


def test_einsum_records_macs():
    from autograd import counting

    class Recorder:
        def __init__(self):
            self.ops = []

        def record_tensor_op(self, name, elements=0, macs=0):
            self.ops.append((name, elements, macs))

    rec = Recorder()
    counting._stack.append(rec)
    try:
        ag.einsum("bij,bjk->bik", ag.ones(5, 2, 3), ag.ones(5, 3, 4))
        ag.einsum("ij->", ag.ones(2, 3))
    finally:
        counting._stack.remove(rec)
    assert rec.ops == [("einsum", 5 * 2 * 4, 5 * 2 * 3 * 4), ("einsum", 1, 0)]


@pytest.mark.parametrize("spec,shapes_", [c for c in EINSUM_CASES if c[0] not in ("ba",)],
                         ids=[c[0] for c in EINSUM_CASES if c[0] not in ("ba",)])
def test_einsum_matches_torch(spec, shapes_):
    torch = torch_or_skip()
    xs = [normal(k + 40, s) for k, s in enumerate(shapes_)]
    assert_matches_torch(lambda *ts: ag.einsum(spec, *ts), lambda *ts: torch.einsum(spec, *ts), *xs)


# =========================================================================== flatten, squeeze, unsqueeze

@EXAMPLES
@given(shape=shapes0, data=st.data())
def test_flatten_squeeze_unsqueeze_match_torch_shapes(shape, data):
    torch = torch_or_skip()
    nd = len(shape)
    x = np.arange(int(np.prod(shape, dtype=int)), dtype=np.float64).reshape(shape)
    t = torch.tensor(x)
    lo = -max(nd, 1)
    s = data.draw(st.integers(lo, max(nd, 1) - 1))
    e = data.draw(st.integers(lo, max(nd, 1) - 1))
    if nd == 0 or s % nd <= e % nd:
        got = tensor(x).flatten(s, e)
        np.testing.assert_array_equal(got.data, torch.flatten(t, s, e).numpy())
    u = data.draw(st.integers(-nd - 1, nd))
    np.testing.assert_array_equal(tensor(x).unsqueeze(u).data, t.unsqueeze(u).numpy())
    np.testing.assert_array_equal(tensor(x).squeeze().data, t.squeeze().numpy())
    if nd:
        ax = data.draw(st.integers(-nd, nd - 1))
        np.testing.assert_array_equal(ag.squeeze(tensor(x), ax).data, t.squeeze(ax).numpy())


def test_flatten_squeeze_unsqueeze_gradients_and_errors():
    x = normal(1, (2, 1, 3))
    check_grad(lambda t: t.flatten(), x)
    check_grad(lambda t: t.squeeze(1) * Tensor(np.arange(6.0).reshape(2, 3)), x)
    check_grad(lambda t: t.unsqueeze(0), x)
    assert ag.zeros(1, 3, 1).squeeze((0, 2)).shape == (3,)
    assert ag.zeros(2, 3).squeeze(0).shape == (2, 3)  # not size 1: left alone, as in torch
    assert tensor(2.0).flatten().shape == (1,)
    with pytest.raises(ValueError, match=r"flatten: start_dim 2 comes after end_dim 1"):
        ag.zeros(2, 3, 4).flatten(2, 1)
    with pytest.raises(ValueError, match=r"unsqueeze: axis 3 is out of range for a tensor with 2 dimensions"):
        ag.zeros(2, 3).unsqueeze(3)
    with pytest.raises(ValueError, match=r"squeeze: axis 5 is out of range"):
        ag.zeros(2, 3).squeeze(5)
    with pytest.raises(TypeError, match=r"flatten: got start_dim=1.5; expected an int"):
        ag.zeros(2, 3).flatten(1.5)


# =========================================================================== cat, stack

@st.composite
def cat_operands(draw):
    shape = draw(shapes)
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    sizes = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    out = []
    for n in sizes:
        s = list(shape)
        s[axis] = n
        out.append(tuple(s))
    return out, axis


@EXAMPLES
@given(operands=cat_operands(), seed=seeds, dtype=st.sampled_from(DTYPES))
def test_cat_forward_and_gradcheck(operands, seed, dtype):
    shapes_, axis = operands
    xs = [normal(seed + k, s) for k, s in enumerate(shapes_)]
    forward_close(ag.cat([tensor(x.astype(dtype)) for x in xs], axis), np.concatenate(xs, axis), dtype)
    forward_close(ag.concatenate([tensor(x.astype(dtype)) for x in xs], axis=axis),
                  np.concatenate(xs, axis), dtype)
    check_grad(lambda *ts: ag.cat(ts, axis), *xs)


@EXAMPLES
@given(shape=shapes0, n=st.integers(1, 3), seed=seeds, data=st.data(), dtype=st.sampled_from(DTYPES))
def test_stack_forward_and_gradcheck(shape, n, seed, data, dtype):
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    xs = [normal(seed + k, shape) for k in range(n)]
    forward_close(ag.stack([tensor(x.astype(dtype)) for x in xs], axis), np.stack(xs, axis), dtype)
    check_grad(lambda *ts: ag.stack(ts, axis), *xs)


def test_cat_stack_gradients_reach_only_inputs_that_require_grad():
    a = tensor(np.ones((2, 2)), requires_grad=True)
    b = tensor(np.ones((1, 2)))
    (ag.cat([a, b]) * tensor(np.arange(6.0).reshape(3, 2))).sum().backward()
    assert a.grad.tolist() == [[0.0, 1.0], [2.0, 3.0]] and b.grad is None
    a.grad = None
    (ag.stack([b[0], a[1]], axis=1) * tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    assert a.grad.tolist() == [[0.0, 0.0], [2.0, 4.0]]


def test_cat_stack_errors():
    with pytest.raises(ValueError, match=r"cat: got an empty sequence"):
        ag.cat([])
    with pytest.raises(ValueError, match=r"cat: tensor 1 has shape \(2, 4\) and tensor 0 has shape \(2, 3\); "
                                         r"expected the same number of dimensions and equal sizes except "
                                         r"along axis 0"):
        ag.cat([ag.zeros(2, 3), ag.zeros(2, 4)])
    with pytest.raises(ValueError, match=r"cat: tensor 1 has shape \(3,\)"):
        ag.cat([ag.zeros(2, 3), ag.zeros(3)], axis=1)
    with pytest.raises(ValueError, match=r"cat: tensor 0 is 0-d"):
        ag.cat([tensor(1.0), tensor(2.0)])
    with pytest.raises(ValueError, match=r"cat: axis 2 is out of range"):
        ag.cat([ag.zeros(2, 3)], axis=2)
    with pytest.raises(TypeError, match=r"cat: got a single Tensor of shape \(2, 3\); expected a sequence"):
        ag.cat(ag.zeros(2, 3))
    with pytest.raises(ValueError, match=r"stack: tensor 1 has shape \(3,\) and tensor 0 has shape \(2,\)"):
        ag.stack([ag.zeros(2), ag.zeros(3)])
    with pytest.raises(ValueError, match=r"stack: axis 3 is out of range for a tensor with 1 dimensions"):
        ag.stack([ag.zeros(2), ag.zeros(2)], axis=3)


def test_cat_stack_match_torch():
    torch = torch_or_skip()
    a, b, c = normal(1, (2, 3)), normal(2, (2, 1)), normal(3, (2, 2))
    assert_matches_torch(lambda *ts: ag.cat(ts, 1), lambda *ts: torch.cat(ts, 1), a, b, c)
    assert_matches_torch(lambda *ts: ag.stack(ts, -1), lambda *ts: torch.stack(ts, -1), a, normal(4, (2, 3)))


# =========================================================================== split, chunk

@EXAMPLES
@given(shape=shapes, data=st.data())
def test_split_chunk_match_torch(shape, data):
    torch = torch_or_skip()
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[axis]
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    t = torch.tensor(x)
    size = data.draw(st.integers(1, 5))
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=3)))
    sections = [b - a for a, b in zip([0] + cuts, cuts + [n])]
    chunks = data.draw(st.integers(1, 5))
    for ours, ref in ((tensor(x).split(size, axis), t.split(size, axis)),
                      (ag.split(tensor(x), sections, axis), torch.split(t, sections, axis)),
                      (tensor(x).chunk(chunks, axis), t.chunk(chunks, axis))):
        assert len(ours) == len(ref)
        for o, r in zip(ours, ref):
            np.testing.assert_array_equal(o.data, r.numpy())


def test_split_chunk_gradients_and_errors():
    x = normal(1, (5, 2))

    def f(t):
        p, q, r = t.split([2, 0, 3])
        return ag.cat([r * 2.0, p.exp(), q], axis=0)

    check_grad(f, x)
    check_grad(lambda t: t.chunk(2, axis=0)[1].sin(), x)
    with pytest.raises(ValueError, match=r"split: got sections \[2, 2\] for axis 0 of size 5"):
        ag.zeros(5).split([2, 2])
    with pytest.raises(ValueError, match=r"split: got split_size=0 for axis 0 of size 5"):
        ag.zeros(5).split(0)
    with pytest.raises(ValueError, match=r"chunk: got chunks=0; expected a positive int"):
        ag.zeros(5).chunk(0)
    with pytest.raises(ValueError, match=r"split: got a 0-d tensor"):
        tensor(1.0).split(1)
    assert [p.shape for p in ag.zeros(0, 2).chunk(3)] == [(0, 2)] * 3


# =========================================================================== pad

@EXAMPLES
@given(shape=shapes0, seed=seeds, data=st.data(), dtype=st.sampled_from(DTYPES))
def test_pad_forward_and_gradcheck(shape, seed, data, dtype):
    nd = len(shape)
    width = data.draw(st.one_of(
        st.integers(0, 2),
        st.tuples(st.integers(0, 2), st.integers(0, 2)),
        st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=nd, max_size=nd).map(tuple),
    ))
    value = data.draw(st.sampled_from([0.0, -1.5]))
    x = normal(seed, shape)
    ref = np.pad(x, width, mode="constant", constant_values=value) if nd else x  # numpy rejects () widths
    forward_close(ag.pad(tensor(x.astype(dtype)), width, value), ref, dtype)
    check_grad(lambda t: ag.pad(t, width, value), x)


def test_pad_errors_and_torch():
    with pytest.raises(ValueError, match=r"pad: got pad_width=-1 for a tensor of shape \(2, 3\)"):
        ag.pad(ag.zeros(2, 3), -1)
    with pytest.raises(ValueError, match=r"pad: got pad_width=\(\(1, 1\), \(1, 1\), \(1, 1\)\)"):
        ag.pad(ag.zeros(2, 3), ((1, 1), (1, 1), (1, 1)))
    with pytest.raises(ValueError, match=r"pad: got pad_width=1.5"):
        ag.pad(ag.zeros(2, 3), 1.5)
    torch = torch_or_skip()
    x = normal(2, (2, 3, 4))
    assert_matches_torch(lambda t: ag.pad(t, ((0, 0), (1, 2), (3, 0)), 0.5),
                         lambda t: torch.nn.functional.pad(t, (3, 0, 1, 2), value=0.5), x)


# =========================================================================== roll, flip

@EXAMPLES
@given(shape=shapes0, seed=seeds, data=st.data(), dtype=st.sampled_from(DTYPES))
def test_roll_flip_forward_and_gradcheck(shape, seed, data, dtype):
    nd = len(shape)
    x = normal(seed, shape)
    axis = data.draw(axes_for(nd))
    forward_close(tensor(x.astype(dtype)).flip(axis), np.flip(x, axis), dtype)
    check_grad(lambda t: t.flip(axis), x)
    if axis is None or not nd:
        shifts, axis = data.draw(st.integers(-5, 5)), None
    elif isinstance(axis, int):
        shifts = data.draw(st.integers(-5, 5))
    else:
        shifts = tuple(data.draw(st.integers(-5, 5)) for _ in axis)
    forward_close(ag.roll(tensor(x.astype(dtype)), shifts, axis), np.roll(x, shifts, axis), dtype)
    check_grad(lambda t: t.roll(shifts, axis), x)


def test_roll_is_the_textbooks_cyclic_shift_and_errors():
    A = tensor(np.arange(9.0).reshape(3, 3))
    # T_h moves every column one to the right, the last column wrapping round to the first
    assert A.roll(1, axis=1).tolist() == [[2.0, 0.0, 1.0], [5.0, 3.0, 4.0], [8.0, 6.0, 7.0]]
    assert A.roll(1, axis=0).tolist()[0] == [6.0, 7.0, 8.0]
    assert A.roll(2, axis=(0, 1)).tolist() == np.roll(A.data, 2, (0, 1)).tolist()
    with pytest.raises(ValueError, match=r"roll: got 2 shifts \(1, 2\) for 1 axes \(0,\)"):
        A.roll((1, 2), axis=0)
    with pytest.raises(ValueError, match=r"roll: got shifts=\(1, 2\) with axis=None"):
        A.roll((1, 2))
    with pytest.raises(ValueError, match=r"roll: axis 2 is out of range"):
        A.roll(1, axis=2)
    with pytest.raises(ValueError, match=r"flip: axis 2 is out of range"):
        A.flip(2)


def test_roll_flip_match_torch():
    torch = torch_or_skip()
    x = normal(5, (3, 4))
    assert_matches_torch(lambda t: t.roll((1, -2), (0, 1)), lambda t: torch.roll(t, (1, -2), (0, 1)), x)
    assert_matches_torch(lambda t: t.roll(3), lambda t: torch.roll(t, 3), x)
    assert_matches_torch(lambda t: t.flip((0, 1)), lambda t: torch.flip(t, (0, 1)), x)


# =========================================================================== tile, repeat, repeat_interleave

@EXAMPLES
@given(shape=shapes0, seed=seeds, reps=st.lists(st.integers(0, 3), min_size=1, max_size=4),
       dtype=st.sampled_from(DTYPES))
def test_tile_forward_and_gradcheck(shape, seed, reps, dtype):
    x = normal(seed, shape)
    forward_close(ag.tile(tensor(x.astype(dtype)), tuple(reps)), np.tile(x, reps), dtype)
    check_grad(lambda t: t.tile(tuple(reps)), x)


@EXAMPLES
@given(shape=shapes, seed=seeds, data=st.data(), dtype=st.sampled_from(DTYPES))
def test_repeat_interleave_forward_and_gradcheck(shape, seed, data, dtype):
    x = normal(seed, shape)
    axis = data.draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    n = x.size if axis is None else shape[axis]
    repeats = data.draw(st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    ref = np.repeat(x, repeats, axis)
    forward_close(tensor(x.astype(dtype)).repeat_interleave(repeats, axis), ref, dtype)
    check_grad(lambda t: ag.repeat_interleave(t, repeats, axis), x)


def test_repeat_is_torch_repeat_and_errors():
    torch = torch_or_skip()
    x = normal(6, (2, 3))
    for sizes in [(2, 1), (1, 3), (2, 2, 2), (0, 1)]:
        assert_matches_torch(lambda t, s=sizes: t.repeat(*s), lambda t, s=sizes: t.repeat(*s), x)
    assert tensor([1, 2]).repeat((2, 2)).shape == (2, 4)
    with pytest.raises(ValueError, match=r"repeat: got 1 repeat counts \(2,\) for a tensor of shape "
                                         r"\(2, 3\); expected at least 2"):
        tensor(x).repeat(2)
    with pytest.raises(ValueError, match=r"tile: got reps=-1"):
        tensor(x).tile(-1)
    with pytest.raises(ValueError, match=r"repeat_interleave: got repeats of shape \(3,\)"):
        tensor(x).repeat_interleave([1, 2, 3], axis=0)
    assert_matches_torch(lambda t: t.repeat_interleave(2, 1), lambda t: t.repeat_interleave(2, 1), x)
    assert_matches_torch(lambda t: t.repeat_interleave([1, 3], 0),
                         lambda t: t.repeat_interleave(torch.tensor([1, 3]), 0), x)


# =========================================================================== the public names

def test_functions_and_methods_are_bound():
    for name in ["var", "std", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "logsumexp",
                 "maximum", "minimum", "softmax", "log_softmax", "dot", "outer", "trace", "einsum", "cat",
                 "concatenate", "stack", "split", "chunk", "pad", "roll", "flip", "tile", "flatten",
                 "squeeze", "unsqueeze", "repeat_interleave"]:
        assert callable(getattr(ag, name)), name
    for name in ["var", "std", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "logsumexp",
                 "maximum", "minimum", "softmax", "log_softmax", "dot", "outer", "trace", "split", "chunk",
                 "roll", "flip", "tile", "repeat", "flatten", "squeeze", "unsqueeze", "repeat_interleave"]:
        assert callable(getattr(Tensor, name)), name
    assert not hasattr(ag, "repeat")  # np.repeat means repeat_interleave; Tensor.repeat is torch's tile
    assert tensor([[1.0, 2.0]], requires_grad=True).softmax().op == "softmax"


# ---------------------------------------------------------------------------------------------- pow
@pytest.mark.parametrize("dtype, rtol", [(np.float32, 3e-7), (np.float64, 5e-16)])
@pytest.mark.parametrize("exponent", [3, 4, 3.0, 2.5])
def test_pow_by_multiplication_matches_numpy_power_for_negative_bases(dtype, rtol, exponent):
    from autograd.ops.arithmetic import power

    x = np.random.default_rng(4).standard_normal(1000).astype(dtype) * 10
    if exponent == 2.5:
        x = np.abs(x)  # a fractional power of a negative base is nan in both
    got = (Tensor(x) ** exponent).numpy()
    expected = np.power(x, np.array(exponent, dtype=dtype))
    assert got.dtype == dtype
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=0)
    np.testing.assert_array_equal(power(x, np.array(exponent, dtype=dtype)), got)
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, np.finfo(dtype).max], dtype=dtype)
    with np.errstate(over="ignore"):  # the largest number's power overflows to inf in both
        expected = np.power(special, np.array(exponent, dtype=dtype))
    np.testing.assert_array_equal((Tensor(special) ** exponent).numpy(), expected)


@pytest.mark.parametrize("exponent", [3.0, 4.0, 5.0])
def test_pow_gradients_for_negative_bases(exponent):
    x = Tensor(np.array([-2.0, -0.5, 0.3, 1.7]), requires_grad=True)
    (x ** exponent).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), exponent * x.data ** (exponent - 1), rtol=1e-14)
    assert ag.gradcheck(lambda t: t ** exponent, [Tensor(np.array([-2.0, -0.5, 0.3, 1.7]),
                                                          requires_grad=True)])
