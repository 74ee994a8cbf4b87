"""Tensor core: every primitive's forward against numpy, its gradients against finite differences
(gradcheck) and its second derivatives (gradgradcheck), broadcasting, dtypes, graph control and errors.

Where torch is installed, the same cases are compared against torch in float64 (forward, gradients and
second derivatives); those tests skip otherwise.
"""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from tensor_cases import SMALL_SHAPES, UNARY, UNARY_IDS, floats_in, unbroadcast_reference, values

import autograd
from autograd import GraphFreedError, Tensor, enable_grad, gradcheck, gradgradcheck, no_grad, unbroadcast
from autograd.tensor import sum_rows

FAST = settings(max_examples=15, deadline=None)
FASTER = settings(max_examples=8, deadline=None)
RNG = np.random.default_rng(0)


def t64(a, requires_grad=False):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


# ============================================================================ elementwise unary ops
@pytest.mark.parametrize("case", UNARY, ids=UNARY_IDS)
@FAST
@given(data=st.data())
def test_unary_gradcheck(case, data):
    shape = data.draw(SMALL_SHAPES, label="shape")
    x = data.draw(values(case, shape), label="x")
    assert gradcheck(case.op, [x])


@pytest.mark.parametrize("case", UNARY, ids=UNARY_IDS)
@FASTER
@given(data=st.data())
def test_unary_gradgradcheck(case, data):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), label="shape")
    x = data.draw(values(case, shape), label="x")
    assert gradgradcheck(case.op, [x])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", UNARY, ids=UNARY_IDS)
def test_unary_forward_matches_numpy(case, dtype):
    rng = np.random.default_rng(0)
    x = rng.uniform(case.lo, case.hi, size=(4, 5))
    for k in case.kinks:
        x = np.where(np.abs(x - k) < 0.05, k + 0.1, x)
    x = x.astype(dtype)
    y = case.op(Tensor(x))
    assert y.dtype == dtype, f"{case.name}: {dtype.__name__} input gave {y.dtype}"
    assert y.shape == x.shape
    expected = case.ref(x.astype(np.float64))
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(y.numpy(), expected, rtol=rtol, atol=rtol)


def test_relu_leaky_abs_sign_clamp_derivatives_at_their_kinks():
    # Conventions from SPEC.md: relu'(0) = 0, leaky'(0) = slope, |x|'(0) = 0, sign' = 0, clamp' = 1 at bounds
    x = t64([0.0, -1.0, 1.0, 2.0], requires_grad=True)
    (x.relu().sum() + x.leaky_relu(0.5).sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0 + 0.5, 0.5, 2.0, 2.0])
    x.grad = None
    (abs(x).sum() + x.sign().sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, -1.0, 1.0, 1.0])
    x.grad = None
    x.clamp(-1.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0, 1.0, 0.0])


def test_sigmoid_and_softplus_are_stable_for_large_inputs():
    x = t64([-800.0, -40.0, 0.0, 40.0, 800.0], requires_grad=True)
    s = x.sigmoid()
    assert np.all(np.isfinite(s.numpy()))
    np.testing.assert_allclose(s.numpy(), [0.0, np.exp(-40.0) / (1 + np.exp(-40.0)), 0.5, 1.0, 1.0],
                               rtol=1e-12, atol=0)
    sp = x.softplus()
    np.testing.assert_allclose(sp.numpy(), [0.0, np.log1p(np.exp(-40.0)), np.log(2.0), 40.0, 800.0],
                               rtol=1e-12, atol=0)
    (s.sum() + sp.sum()).backward()
    assert np.all(np.isfinite(x.grad.numpy()))


def test_gelu_rejects_unknown_approximation_and_clamp_needs_a_bound():
    with pytest.raises(ValueError, match="gelu"):
        t64([1.0]).gelu(approximate="erf")
    with pytest.raises(ValueError, match="clamp"):
        t64([1.0]).clamp()
    with pytest.raises(ValueError, match="clamp"):
        t64([1.0]).clamp(2.0, 1.0)


# ============================================================================ binary ops and broadcasting
BINARY = {
    "add": (lambda a, b: a + b, np.add, (-3, 3, False), (-3, 3, False)),
    "sub": (lambda a, b: a - b, np.subtract, (-3, 3, False), (-3, 3, False)),
    "mul": (lambda a, b: a * b, np.multiply, (-3, 3, False), (-3, 3, False)),
    "div": (lambda a, b: a / b, np.divide, (-3, 3, False), (-3, 3, True)),
    # exponents stay away from 0: the mixed second derivative at b == 0 has its own test
    "pow": (lambda a, b: a ** b, np.power, (0.5, 3, False), (-2, 2, True)),
    "fn_add": (lambda a, b: autograd.add(a, b), np.add, (-3, 3, False), (-3, 3, False)),
    "fn_pow": (lambda a, b: autograd.pow(a, b), np.power, (0.5, 3, False), (-2, 2, True)),
}
BROADCAST_PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)


def _draw_operands(data, name):
    shapes = data.draw(BROADCAST_PAIRS, label="shapes")
    _, _, dom_a, dom_b = BINARY[name]
    a = data.draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=floats_in(*dom_a)), label="a")
    b = data.draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=floats_in(*dom_b)), label="b")
    return a, b, shapes.result_shape


@pytest.mark.parametrize("name", list(BINARY))
@FAST
@given(data=st.data())
def test_binary_gradcheck_with_broadcasting(name, data):
    a, b, _ = _draw_operands(data, name)
    assert gradcheck(BINARY[name][0], [a, b])


@pytest.mark.parametrize("name", list(BINARY))
@FASTER
@given(data=st.data())
def test_binary_gradgradcheck_with_broadcasting(name, data):
    a, b, _ = _draw_operands(data, name)
    assert gradgradcheck(BINARY[name][0], [a, b])


@pytest.mark.parametrize("name", list(BINARY))
@FAST
@given(data=st.data())
def test_binary_forward_and_gradient_shapes(name, data):
    a, b, out_shape = _draw_operands(data, name)
    fn, ref = BINARY[name][0], BINARY[name][1]
    ta, tb = t64(a, True), t64(b, True)
    out = fn(ta, tb)
    assert out.shape == out_shape
    np.testing.assert_allclose(out.numpy(), ref(a, b), rtol=1e-12, atol=1e-12)
    out.sum().backward()
    assert ta.grad.shape == a.shape and tb.grad.shape == b.shape
    assert ta.grad.dtype == np.float64 and tb.grad.dtype == np.float64


@FAST
@given(shapes=BROADCAST_PAIRS)
def test_add_gradient_counts_broadcast_copies(shapes):
    # d/da sum(a + b) = number of copies of each element of a in the broadcast result
    (sa, sb), out_shape = shapes.input_shapes, shapes.result_shape
    a, b = t64(np.zeros(sa), True), t64(np.zeros(sb), True)
    (a + b).sum().backward()
    n_out = int(np.prod(out_shape))
    np.testing.assert_array_equal(a.grad.numpy(), np.full(sa, n_out / max(int(np.prod(sa)), 1)))
    np.testing.assert_array_equal(b.grad.numpy(), np.full(sb, n_out / max(int(np.prod(sb)), 1)))


@FAST
@given(data=st.data())
def test_unbroadcast_sums_back_to_every_operand_shape(data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=4, max_side=3))
    g = data.draw(hnp.arrays(np.float64, shapes.result_shape, elements=floats_in(-5, 5)))
    for shape in shapes.input_shapes:
        got = unbroadcast(Tensor(g), shape)
        assert got.shape == shape
        np.testing.assert_allclose(got.numpy(), unbroadcast_reference(g, shape), rtol=1e-12, atol=1e-12)
        got = unbroadcast(g, shape)  # the array rules' path (a sum of rows goes through BLAS)
        assert isinstance(got, (np.ndarray, np.generic)) and np.shape(got) == shape  # 0-d: a numpy scalar
        np.testing.assert_allclose(got, unbroadcast_reference(g, shape), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(128, 256), (3, 1), (1, 5), (0, 4), (4, 0)])
@pytest.mark.parametrize("order", ["C", "F"])
def test_sum_rows_is_the_sum_down_the_columns(shape, dtype, order):
    a = np.asarray(RNG.standard_normal(shape), dtype=dtype, order=order)
    got = sum_rows(a)
    assert got.dtype == a.dtype and got.shape == shape[1:]
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(got, a.astype(np.float64).sum(axis=0), rtol=tol, atol=tol * shape[0])


def test_sum_rows_propagates_inf_and_nan():
    a = np.array([[np.inf, 1.0, np.nan], [1.0, -np.inf, 0.0]])
    np.testing.assert_array_equal(sum_rows(a), a.sum(axis=0))


@FAST
@given(data=st.data())
def test_unbroadcast_with_broadcastable_shapes(data):
    base = data.draw(hnp.array_shapes(min_dims=1, max_dims=4, max_side=4))
    shape = data.draw(hnp.broadcastable_shapes(base, min_dims=0, max_dims=len(base)).filter(
        lambda s: np.broadcast_shapes(s, base) == base))
    g = data.draw(hnp.arrays(np.float64, base, elements=floats_in(-5, 5)))
    np.testing.assert_allclose(unbroadcast(Tensor(g), shape).numpy(), unbroadcast_reference(g, shape),
                               rtol=1e-12, atol=1e-12)
    # ... and it is what the gradient of broadcast_to is
    x = t64(np.ones(shape), True)
    x.broadcast_to(base).backward(g)
    np.testing.assert_allclose(x.grad.numpy(), unbroadcast_reference(g, shape), rtol=1e-12, atol=1e-12)


@FAST
@given(data=st.data())
def test_where_gradcheck_with_broadcasting(data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3))
    sc, sa, sb = shapes.input_shapes
    cond = data.draw(hnp.arrays(np.bool_, sc))
    a = data.draw(hnp.arrays(np.float64, sa, elements=floats_in(-3, 3)))
    b = data.draw(hnp.arrays(np.float64, sb, elements=floats_in(-3, 3)))
    f = lambda x, y: autograd.where(cond, x * x, y * 2.0)
    out = f(t64(a), t64(b))
    np.testing.assert_allclose(out.numpy(), np.where(cond, a * a, b * 2.0))
    assert gradcheck(f, [a, b])
    assert gradgradcheck(f, [a, b])


def test_where_routes_gradient_by_condition():
    a, b = t64([1.0, 2.0, 3.0], True), t64([10.0, 20.0, 30.0], True)
    autograd.where(np.array([True, False, True]), a, b).backward(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(a.grad.numpy(), [1.0, 0.0, 3.0])
    np.testing.assert_array_equal(b.grad.numpy(), [0.0, 2.0, 0.0])


def test_pow_edge_cases_zero_base_and_zero_exponent():
    # d/da a**b at b == 0 is 0 (0**0 included); d/db a**b at a == 0 contributes 0 (PyTorch's convention)
    a, b = t64([0.0, 2.0, 0.0], True), t64([0.0, 0.0, 2.0], True)
    (a ** b).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(b.grad.numpy(), [0.0, np.log(2.0), 0.0])


def test_pow_mixed_second_derivative_at_zero_exponent():
    # d/db d/da a**b = a**(b-1) (1 + b log a), which is 1/a at b = 0
    a, b = t64([2.0, 4.0], True), t64([0.0, 0.0], True)
    (a ** b).sum().backward(create_graph=True)
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0])
    a.grad.sum().backward()
    np.testing.assert_allclose(b.grad.numpy(), [np.log(2.0) + 0.5, np.log(4.0) + 0.25], rtol=1e-12)


def test_gelu_on_a_0d_tensor():
    for approximate in ("none", "tanh"):
        x = t64(1.0, True)
        y = x.gelu(approximate=approximate)
        assert y.shape == ()
        y.backward()
        assert x.grad.shape == ()
    np.testing.assert_allclose(t64(1.0).gelu().item(), 0.5 * (1 + 0.6826894921370859), rtol=1e-12)


def test_gelu_second_derivative_closed_form():
    # gelu(x) = x Phi(x): gelu' = Phi + x phi, gelu'' = 2 phi + x phi' = phi(x) (2 - x^2)
    xs = np.array([-2.0, -0.5, 0.0, 0.7, 1.9])
    x = t64(xs, True)
    x.gelu().sum().backward(create_graph=True)
    x_grad = x.grad
    x.grad = None
    x_grad.sum().backward()
    phi = np.exp(-xs ** 2 / 2) / np.sqrt(2 * np.pi)
    np.testing.assert_allclose(x.grad.numpy(), phi * (2 - xs ** 2), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_reduction_matmul_forward_matches_numpy_in_each_dtype(dtype):
    rng = np.random.default_rng(8)
    a = rng.uniform(0.5, 2.0, (2, 3)).astype(dtype)
    b = rng.uniform(0.5, 2.0, (3,)).astype(dtype)
    m = rng.standard_normal((3, 4)).astype(dtype)
    cases = [
        (lambda x, y: x + y, np.add(a, b)), (lambda x, y: x - y, np.subtract(a, b)),
        (lambda x, y: x * y, np.multiply(a, b)), (lambda x, y: x / y, np.divide(a, b)),
        (lambda x, y: x ** y, np.power(a, b)),
        (lambda x, y: autograd.where(a > 1, x, y), np.where(a > 1, a, b)),
        (lambda x, y: x.sum(axis=0), a.sum(axis=0)), (lambda x, y: x.mean(), a.mean()),
        (lambda x, y: x @ Tensor(m), a @ m), (lambda x, y: x[:, [0, 0]], a[:, [0, 0]]),
        (lambda x, y: x.T.reshape(6), a.T.reshape(6)),
    ]
    rtol = 1e-6 if dtype == np.float32 else 1e-14
    for k, (fn, expected) in enumerate(cases):
        out = fn(Tensor(a), Tensor(b))
        assert out.dtype == dtype, k
        np.testing.assert_allclose(out.numpy(), expected, rtol=rtol, atol=rtol, err_msg=str(k))


# ============================================================================ comparisons
@pytest.mark.parametrize("name,ref", [("eq", np.equal), ("ne", np.not_equal), ("lt", np.less),
                                      ("le", np.less_equal), ("gt", np.greater), ("ge", np.greater_equal)])
def test_comparisons_return_bool_without_grad(name, ref):
    a = t64([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]], True)
    b = t64([2.0, 2.0, 2.0], True)
    for out in (getattr(a, name)(b), getattr(autograd, name)(a, b), getattr(a, name)(2.0)):
        assert out.dtype == np.bool_
        assert not out.requires_grad and out.is_leaf
        np.testing.assert_array_equal(out.numpy(), ref(a.numpy(), 2.0))
    ops = {"eq": a == b, "ne": a != b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}
    np.testing.assert_array_equal(ops[name].numpy(), ref(a.numpy(), b.numpy()))


# ============================================================================ reductions
@FAST
@given(data=st.data(), keepdims=st.booleans(), which=st.sampled_from(["sum", "mean"]))
def test_reductions_forward_and_gradcheck(data, keepdims, which):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
    axis = data.draw(st.one_of(st.none(), hnp.valid_tuple_axes(len(shape), min_size=1),
                               st.integers(-len(shape), len(shape) - 1)))
    x = data.draw(hnp.arrays(np.float64, shape, elements=floats_in(-3, 3)))
    f = lambda t: getattr(t, which)(axis=axis, keepdims=keepdims)
    out = f(t64(x))
    expected = getattr(np, which)(x, axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)
    assert gradcheck(f, [x])
    assert gradgradcheck(lambda t: f(t) * f(t), [x])


def test_mean_gradient_is_one_over_count_and_keeps_float32():
    x = Tensor(np.ones((2, 3, 4), dtype=np.float32), requires_grad=True)
    y = x.mean(axis=(0, 2))
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.numpy(), np.full((2, 3, 4), 1 / 8), rtol=1e-7)
    with pytest.raises(ValueError, match="sum: axis 3 is out of range"):
        x.sum(axis=3)


# ============================================================================ shape ops
def test_permute_and_transpose_errors_name_the_op_and_the_axes():
    x = t64(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"permute: dim 3 is out of range for a tensor with 3 dimensions"):
        x.permute(0, 1, 3)
    with pytest.raises(ValueError, match=r"permute: got dims \(0, 0, 1\); expected a permutation of"):
        x.permute(0, 0, 1)
    with pytest.raises(ValueError, match=r"permute: got dims \(0, 1\); expected a permutation"):
        x.permute(0, 1)
    with pytest.raises(TypeError, match=r"permute: got dim=1.0; expected an int"):
        x.permute(0, 1.0, 2)
    with pytest.raises(ValueError, match=r"transpose: dim1 -4 is out of range"):
        x.transpose(0, -4)
    assert x.permute(-1, 0, -2).shape == (4, 2, 3)
    scalar = t64(np.float64(2.0), requires_grad=True)
    y = scalar.transpose(0, -1)  # a 0-d tensor's only axis swapped with itself, as in PyTorch
    assert y.shape == () and y.item() == 2.0
    y.backward()
    assert scalar.grad.item() == 1.0


@FAST
@given(data=st.data())
def test_reshape_view_permute_transpose(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
    x = data.draw(hnp.arrays(np.float64, shape, elements=floats_in(-3, 3)))
    perm = data.draw(st.permutations(range(len(shape))))
    w = np.arange(x.size, dtype=np.float64).reshape(-1)  # distinct weights make every gradient entry visible
    cases = {
        "reshape": (lambda t: t.reshape(-1), x.reshape(-1)),
        "reshape_tuple": (lambda t: t.reshape((x.size, 1)), x.reshape(x.size, 1)),
        "view": (lambda t: t.view(1, *shape), x.reshape(1, *shape)),
        "permute": (lambda t: t.permute(*perm), np.transpose(x, perm)),
        "transpose": (lambda t: t.transpose(0, -1), np.swapaxes(x, 0, -1)),
        "T": (lambda t: t.T, x.T),
        "fn_transpose": (lambda t: autograd.transpose(t), x.T),
        "swapaxes": (lambda t: t.swapaxes(0, -1), np.swapaxes(x, 0, -1)),
    }
    for name, (fn, expected) in cases.items():
        out = fn(t64(x))
        assert out.shape == expected.shape, name
        np.testing.assert_array_equal(out.numpy(), expected, err_msg=name)
        weighted = lambda t, fn=fn: fn(t).reshape(-1) * w
        assert gradcheck(weighted, [x]), name
        # the gradient of a permutation of elements is the inverse permutation of the weights
        tx = t64(x, True)
        weighted(tx).sum().backward()
        perm_index = fn(t64(np.arange(x.size, dtype=np.float64).reshape(x.shape))).numpy().reshape(-1)
        expected_grad = np.zeros(x.size)
        expected_grad[perm_index.astype(int)] = w
        np.testing.assert_array_equal(tx.grad.numpy().reshape(-1), expected_grad, err_msg=name)


@FAST
@given(data=st.data())
def test_broadcast_to_and_expand(data):
    base = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
    shape = data.draw(hnp.broadcastable_shapes(base, min_dims=0, max_dims=len(base)).filter(
        lambda s: np.broadcast_shapes(s, base) == base))
    x = data.draw(hnp.arrays(np.float64, shape, elements=floats_in(-3, 3)))
    out = t64(x).broadcast_to(base)
    np.testing.assert_array_equal(out.numpy(), np.broadcast_to(x, base))
    assert gradcheck(lambda t: t.broadcast_to(base) * np.arange(1, int(np.prod(base)) + 1).reshape(base), [x])
    assert gradcheck(lambda t: autograd.broadcast_to(t, *base), [x])
    # expand keeps dimensions given as -1
    lead = len(base) - len(shape)
    keep = base[:lead] + tuple(-1 if s == b else b for s, b in zip(shape, base[lead:]))
    expanded = t64(x).expand(*keep)
    assert expanded.shape == base
    np.testing.assert_array_equal(expanded.numpy(), np.broadcast_to(x, base))


def test_shape_errors_name_the_op_and_shapes():
    a, b = t64(np.ones((2, 3))), t64(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"matmul: \(2, 3\) @ \(4, 5\): inner dimensions 3 and 4 differ"):
        a @ b
    for name, fn in [("add", lambda: a + b), ("sub", lambda: a - b), ("mul", lambda: a * b),
                     ("div", lambda: a / b), ("pow", lambda: a ** b)]:
        with pytest.raises(ValueError, match=rf"{name}: shapes \(2, 3\) and \(4, 5\) cannot be broadcast"):
            fn()
    with pytest.raises(ValueError, match=r"reshape: cannot reshape a tensor of shape \(2, 3\)"):
        a.reshape(4, 2)
    with pytest.raises(ValueError, match=r"broadcast_to: cannot broadcast a tensor of shape \(2, 3\)"):
        a.broadcast_to(3, 3)
    with pytest.raises(ValueError, match=r"matmul: \(5, 2, 3\) @ \(4, 3, 2\): batch dimensions"):
        t64(np.ones((5, 2, 3))) @ t64(np.ones((4, 3, 2)))
    with pytest.raises(ValueError, match="matmul"):
        t64(2.0) @ a
    with pytest.raises(ValueError, match="permute"):
        a.permute(0, 0)
    with pytest.raises(IndexError, match=r"getitem.*\(2, 3\)"):
        a[5]


# ============================================================================ indexing
INDEXES = {
    "int": (1,),
    "negative": (-1,),
    "slice": (slice(1, None),),
    "step": (slice(None, None, 2),),
    "ellipsis": (Ellipsis, 0),
    "newaxis": (None, 0),
    "2d": (slice(0, 2), 1),
    "int_array_repeated": (np.array([0, 0, 2, 0]),),
    "two_arrays": (np.array([0, 1, 0]), np.array([1, 1, 1])),
    "array_and_slice": (np.array([2, 2]), slice(1, None)),
    "list": ([1, 0, 1],),
}


@pytest.mark.parametrize("name", list(INDEXES))
def test_getitem_forward_gradcheck_gradgradcheck(name):
    index = INDEXES[name]
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4))
    np_index = tuple(np.asarray(i) if isinstance(i, list) else i for i in index)
    out = t64(x)[index if len(index) > 1 else index[0]]
    np.testing.assert_array_equal(out.numpy(), x[np_index if len(index) > 1 else np_index[0]])
    f = lambda t: t[index if len(index) > 1 else index[0]] ** 2
    assert gradcheck(f, [x])
    assert gradgradcheck(f, [x])


def test_getitem_repeated_indices_scatter_add():
    x = t64([10.0, 20.0, 30.0, 40.0], True)
    y = x[[0, 0, 2, 0, 3, 3]]
    y.backward(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    np.testing.assert_array_equal(x.grad.numpy(), [1 + 2 + 4, 0.0, 3.0, 5 + 6])
    m = t64(np.arange(12.0).reshape(3, 4), True)
    m[np.array([0, 0, 2]), np.array([1, 1, 3])].sum().backward()
    expected = np.zeros((3, 4))
    expected[0, 1], expected[2, 3] = 2.0, 1.0
    np.testing.assert_array_equal(m.grad.numpy(), expected)


def test_getitem_boolean_masks():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 4))
    mask = x > 0
    for index in (mask, Tensor(mask), t64(x) > 0):
        out = t64(x)[index]
        np.testing.assert_array_equal(out.numpy(), x[mask])
    tx = t64(x, True)
    (tx[mask] * 3.0).sum().backward()
    np.testing.assert_array_equal(tx.grad.numpy(), np.where(mask, 3.0, 0.0))
    row_mask = np.array([True, False, True])
    assert gradcheck(lambda t: t[row_mask] * t[row_mask], [x])
    assert gradcheck(lambda t: t[mask].exp(), [x])


def test_getitem_accepts_integer_tensors_as_indices():
    x = t64(np.arange(6.0), True)
    idx = Tensor(np.array([5, 1, 1]))
    x[idx].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 2, 0, 0, 0, 1])


# ============================================================================ matmul
MATMUL_SHAPES = [
    ((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((2, 1, 2, 3), (4, 3, 2)), ((4,), (2, 4, 3)),
    ((2, 2, 3), (3,)), ((1, 3), (3, 1)),
]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=[f"{a}@{b}" for a, b in MATMUL_SHAPES])
def test_matmul_pytorch_rules(sa, sb):
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    out = t64(a) @ t64(b)
    expected = np.matmul(a, b)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(autograd.matmul(a, t64(b)).numpy(), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose((a @ t64(b)).numpy(), expected, rtol=1e-12, atol=1e-12)  # __rmatmul__
    assert gradcheck(lambda x, y: x @ y, [a, b])
    assert gradgradcheck(lambda x, y: x @ y, [a, b])


@FAST
@given(n=st.integers(1, 3), k=st.integers(1, 3), m=st.integers(1, 3), batch=SMALL_SHAPES.filter(
    lambda s: len(s) <= 2))
def test_matmul_gradient_closed_form(n, k, m, batch):
    # dL/dA = G B^T and dL/dB = A^T G, summed over broadcast batches
    rng = np.random.default_rng(n * 100 + k * 10 + m)
    a, b = rng.standard_normal(batch + (n, k)), rng.standard_normal((k, m))
    g = rng.standard_normal(batch + (n, m))
    ta, tb = t64(a, True), t64(b, True)
    (ta @ tb).backward(g)
    np.testing.assert_allclose(ta.grad.numpy(), g @ b.T, rtol=1e-10, atol=1e-12)
    gb = np.swapaxes(a, -1, -2) @ g
    np.testing.assert_allclose(tb.grad.numpy(), gb.reshape(-1, k, m).sum(axis=0), rtol=1e-10, atol=1e-12)


# ============================================================================ dtypes
def test_python_scalars_keep_float32_like_numpy():
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    ref = np.array([1.0, 2.0], dtype=np.float32)
    for fn in (lambda t: t + 1, lambda t: t * 2.5, lambda t: 1 - t, lambda t: t / 3, lambda t: 2 ** t,
               lambda t: t ** 2, lambda t: 3.0 / t, lambda t: -t + 0.5):
        out = fn(x)
        assert out.dtype == np.float32 == fn(ref).dtype
    (x * 2.5).sum().backward()
    assert x.grad.dtype == np.float32


def test_mixed_float_dtypes_promote_and_gradients_keep_operand_dtypes():
    a = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    b = Tensor(np.array([3.0, 4.0], dtype=np.float64), requires_grad=True)
    out = a * b
    assert out.dtype == np.float64
    out.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_array_equal(a.grad.numpy(), [3.0, 4.0])
    assert (a @ b).dtype == np.float64


def test_default_float_is_float32_and_numpy_arrays_keep_dtype():
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(np.array([1.0])).dtype == np.float64
    assert Tensor([1, 2]).dtype.kind == "i"
    assert Tensor([True]).dtype == np.bool_


def test_astype_is_differentiable_between_floats():
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    y = x.astype(np.float64)
    assert y.dtype == np.float64 and y.requires_grad and x.double().dtype == np.float64
    (y * y).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])
    assert x.astype(np.float32) is x
    z = x.astype(np.int64)
    assert z.dtype == np.int64 and not z.requires_grad
    np.testing.assert_array_equal(z.numpy(), [1, 2])
    assert gradcheck(lambda t: t.astype(np.float64) * t, [np.array([1.5, -2.0])])
    assert t64([1.0]).float().dtype == np.float32


@pytest.mark.parametrize("data", [np.array([1, 2]), np.array([True, False]), [1, 2]])
def test_integer_and_bool_tensors_cannot_require_grad(data):
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        Tensor(data, requires_grad=True)
    t = Tensor(data)
    with pytest.raises(TypeError, match="floating-point"):
        t.requires_grad_()
    with pytest.raises(TypeError, match="floating-point"):
        autograd.tensor(data, requires_grad=True)


def test_integer_tensor_arithmetic_matches_numpy():
    i = Tensor(np.array([1, 2, 3]))
    assert (i + 1).dtype == (np.array([1, 2, 3]) + 1).dtype
    np.testing.assert_array_equal((i * 2).numpy(), [2, 4, 6])
    assert (i / 2).dtype.kind == "f"
    assert (i ** 2).dtype.kind == "i"


# ============================================================================ graph control
def test_backward_on_non_scalar_says_what_to_pass():
    x = t64([1.0, 2.0], True)
    y = x * 2
    with pytest.raises(RuntimeError, match="gradient="):
        y.backward()
    with pytest.raises(ValueError, match=r"gradient has shape \(3,\).*\(2,\)"):
        y.backward(np.ones(3))
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 20.0])


def test_backward_on_tensor_without_grad_is_an_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        t64([1.0]).sum().backward()


def test_second_backward_through_freed_graph_raises_and_retain_graph_allows_it():
    x = t64([1.0, 2.0], True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(GraphFreedError, match="retain_graph"):
        y.backward()
    assert issubclass(GraphFreedError, RuntimeError)
    x2 = t64([1.0, 2.0], True)
    y2 = (x2.exp() * x2).sum()
    y2.backward(retain_graph=True)
    y2.backward()
    np.testing.assert_allclose(x2.grad.numpy(), 2 * (np.exp([1.0, 2.0]) * (1 + np.array([1.0, 2.0]))))


def test_a_failed_backward_leaves_no_pass_state_in_any_grad():
    x = t64([0.5, -1.0], True)
    b = x * 2.0  # created first, so the pass would reach it after the freed node
    b.retain_grad()
    a = b.exp()
    a.sum().backward()  # frees a's and b's saved values
    before = x.grad.numpy().copy()
    np.testing.assert_allclose(b.grad.numpy(), np.exp([1.0, -2.0]), rtol=1e-15)  # d sum(exp(b)) / db
    with pytest.raises(GraphFreedError, match="exp"):
        (a * 3.0).sum().backward()
    # b keeps what the first pass gave it: neither the failed pass's bookkeeping nor a partial sum
    np.testing.assert_allclose(b.grad.numpy(), np.exp([1.0, -2.0]), rtol=1e-15)
    np.testing.assert_array_equal(x.grad.numpy(), before)


def _retained_interior_case(lib):
    x = lib.tensor([1.0, 2.0], dtype=np.float64 if lib is autograd else lib.float64, requires_grad=True)
    h = x * 3.0
    h.retain_grad()
    y = (h * h).sum()
    y.retain_grad()
    y.backward(retain_graph=True)
    y.backward()
    return h.grad, y.grad, x.grad


def test_retained_interior_gradients_accumulate_across_passes():
    h_grad, y_grad, x_grad = _retained_interior_case(autograd)
    # d y / d h = 2 h = [6, 12] per pass, d y / d x = 18 x = [18, 36] per pass; two passes
    np.testing.assert_allclose(h_grad.numpy(), [12.0, 24.0], rtol=1e-15)
    np.testing.assert_allclose(x_grad.numpy(), [36.0, 72.0], rtol=1e-15)
    assert y_grad.item() == 2.0


def test_retained_interior_gradients_vs_torch():
    torch = pytest.importorskip("torch")
    for ours, theirs in zip(_retained_interior_case(autograd), _retained_interior_case(torch)):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-15)


def _inputs_then_plain_passes(lib):
    x = lib.tensor([1.0, 2.0], dtype=np.float64 if lib is autograd else lib.float64, requires_grad=True)
    h = x * 3.0  # does not retain its gradient until named in inputs=
    y = (h * h).sum()
    y.backward(inputs=[h], retain_graph=True)
    first = h.grad.numpy().copy()
    y.backward(retain_graph=True)  # h retains its gradient from now on: it accumulates
    second = h.grad.numpy().copy()
    y.backward(inputs=[x])
    return first, second, h.grad.numpy(), x.grad.numpy()


def test_a_tensor_named_in_inputs_retains_its_gradient_from_then_on():
    first, second, third, x_grad = _inputs_then_plain_passes(autograd)
    np.testing.assert_allclose(first, [6.0, 12.0], rtol=1e-15)  # d y / d h = 2 h
    np.testing.assert_allclose(second, [12.0, 24.0], rtol=1e-15)
    np.testing.assert_allclose(third, [18.0, 36.0], rtol=1e-15)  # the pass to x goes through h
    np.testing.assert_allclose(x_grad, [36.0, 72.0], rtol=1e-15)  # two passes reached x: 18 x each


def test_a_tensor_named_in_inputs_vs_torch():
    torch = pytest.importorskip("torch")
    for ours, theirs in zip(_inputs_then_plain_passes(autograd), _inputs_then_plain_passes(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-15)


def test_retained_gradients_accumulate_recorded_with_create_graph():
    x = t64([1.5], True)
    h = x * x
    h.retain_grad()
    y = h * h
    y.backward(retain_graph=True)  # d y / d h = 2 h = 2 x^2
    y.backward(create_graph=True)
    assert h.grad.requires_grad  # the sum of both passes is recorded
    np.testing.assert_allclose(h.grad.numpy(), [4 * 1.5**2], rtol=1e-15)
    x.grad = None
    h.grad.sum().backward(inputs=[x])  # d (2 x^2 + 2 x^2) / dx: only the recorded pass depends on x
    np.testing.assert_allclose(x.grad.numpy(), [4 * 1.5], rtol=1e-15)


def test_observed_passes_leave_every_op_in_place():
    # count_ops and inputs= run the pass through stand-in ops; rules that look at their node's op
    # (maximum and minimum share one rule) must still see the real one, and none may stay behind.
    a = t64([1.0, 5.0, 3.0], True)
    b = t64([4.0, 2.0, 3.0], True)
    hi, lo = autograd.maximum(a, b), autograd.minimum(a, b)
    out = (hi * 2.0 + lo).sum()
    ops = [n._op for n in autograd.engine.topological_order(out)]
    with autograd.count_ops():
        out.backward(inputs=[a], retain_graph=True)
    np.testing.assert_array_equal(a.grad.numpy(), [1.0, 2.0, 1.5])  # ties split evenly
    assert b.grad is None
    assert [n._op for n in autograd.engine.topological_order(out)] == ops
    x = t64([0.5], True)
    y = x.exp()
    y.sum().backward()  # frees y's saved values
    with autograd.count_ops(), pytest.raises(GraphFreedError, match="exp"):
        (y * 2.0).sum().backward()
    assert y._op.name == "exp" and type(y._op).__name__ == "TensorOp"


def test_create_graph_gives_derivatives_to_third_order():
    x = t64([2.0, -1.0, 0.5], True)
    y = (x ** 4).sum()
    y.backward(create_graph=True)
    g1 = x.grad
    np.testing.assert_allclose(g1.numpy(), 4 * x.numpy() ** 3)
    assert g1.requires_grad
    x.grad = None
    g1.sum().backward(create_graph=True)
    g2 = x.grad
    np.testing.assert_allclose(g2.numpy(), 12 * x.numpy() ** 2)
    x.grad = None
    g2.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 24 * x.numpy())


def test_first_order_backward_records_nothing():
    x = t64([1.0, 2.0], True)
    (x * x).sum().backward()
    assert not x.grad.requires_grad and x.grad.is_leaf


def test_detach_requires_grad_and_retain_grad():
    x = t64([1.0, 2.0], True)
    h = x * 3
    d = h.detach()
    assert not d.requires_grad and d.is_leaf
    np.testing.assert_array_equal(d.numpy(), [3.0, 6.0])
    # a detached copy cuts the graph: only the direct path contributes
    (h * d).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), 3 * d.numpy())
    w = t64([1.0, 2.0])
    assert w.requires_grad_() is w and w.requires_grad
    w.requires_grad_(False)
    assert not w.requires_grad
    with pytest.raises(RuntimeError, match="leaf"):
        (x * 2).requires_grad_(False)
    x.grad = None
    h = (x * 3).retain_grad()
    (h * h).sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), 2 * h.numpy())
    np.testing.assert_array_equal(x.grad.numpy(), 18 * x.numpy())
    unretained = x * 3
    (unretained * 1.0).sum().backward()
    with pytest.warns(UserWarning, match=r"not a leaf.*retain_grad\(\)"):
        assert unretained.grad is None
    with pytest.raises(RuntimeError, match="retain_grad"):
        t64([1.0]).retain_grad()


def test_no_grad_and_enable_grad_as_context_managers_and_decorators():
    x = t64([1.0], True)
    with no_grad():
        assert not autograd.is_grad_enabled()
        y = x * 2
        with enable_grad():
            z = x * 2
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()
    assert not y.requires_grad and z.requires_grad

    @no_grad()
    def off(t):
        return t * 2

    @enable_grad()
    def on(t):
        return t * 2

    assert not off(x).requires_grad
    with no_grad():
        assert on(x).requires_grad
    assert autograd.is_grad_enabled()
    with autograd.set_grad_enabled(False):
        assert not (x * 1).requires_grad


def test_grad_mode_is_thread_local():
    x = t64([1.0], True)
    entered, release = threading.Event(), threading.Event()
    seen = {}

    def worker():
        with no_grad():
            seen["worker_inside"] = (x * 2).requires_grad
            entered.set()
            release.wait(5)
        seen["worker_after"] = (x * 2).requires_grad

    def fresh_thread():
        seen["fresh"] = autograd.is_grad_enabled()

    thread = threading.Thread(target=worker)
    thread.start()
    assert entered.wait(5)
    main_inside = (x * 2).requires_grad  # while the worker is still inside no_grad
    release.set()
    thread.join(5)
    with no_grad():
        other = threading.Thread(target=fresh_thread)
        other.start()
        other.join(5)
    assert main_inside is True
    assert seen == {"worker_inside": False, "worker_after": True, "fresh": True}


def test_grad_mode_of_one_asyncio_task_does_not_leak_into_another():
    x = t64([1.0], True)
    seen = {}

    async def quiet(entered, release):
        with no_grad():
            entered.set()
            await release.wait()  # the other task runs while this one is inside no_grad
            seen["quiet"] = (x * 2).requires_grad

    async def recording(entered, release):
        await entered.wait()
        seen["recording"] = (x * 2).requires_grad
        release.set()

    async def main():
        entered, release = asyncio.Event(), asyncio.Event()
        await asyncio.gather(quiet(entered, release), recording(entered, release))

    asyncio.run(main())
    assert seen == {"quiet": False, "recording": True}
    assert autograd.is_grad_enabled()


def test_fan_out_accumulates_and_leaf_grads_accumulate_across_calls():
    x = t64([3.0], True)
    y = x * x + x.exp() + x  # x used four times
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [2 * 3.0 + np.exp(3.0) + 1.0])
    (x * 2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2 * 3.0 + np.exp(3.0) + 3.0])
    x.zero_grad()
    assert x.grad is None


def test_deep_chain_does_not_hit_recursion_limit():
    x = t64([0.5], True)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0001 ** 3000], rtol=1e-9)


# ============================================================================ against torch
def _torch():
    return pytest.importorskip("torch")


@pytest.mark.parametrize("case", [c for c in UNARY if c.torch is not None], ids=lambda c: c.name)
def test_unary_against_torch(case):
    torch = _torch()
    rng = np.random.default_rng(4)
    x = rng.uniform(case.lo, case.hi, size=(3, 4))
    for k in case.kinks:
        x = np.where(np.abs(x - k) < 0.05, k + 0.1, x)
    g = rng.standard_normal((3, 4))
    tx = t64(x, True)
    y = case.op(tx)
    y.backward(g, create_graph=True)
    first = tx.grad
    tx.grad = None
    if first.requires_grad:
        first.sum().backward()
    second = tx.grad if tx.grad is not None else Tensor(np.zeros_like(x))

    px = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    py = case.torch(px)
    (pfirst,) = torch.autograd.grad(py, px, torch.tensor(g), create_graph=True)
    if pfirst.requires_grad:
        (psecond,) = torch.autograd.grad(pfirst.sum(), px, allow_unused=True)
        psecond = torch.zeros_like(px) if psecond is None else psecond
    else:
        psecond = torch.zeros_like(px)
    np.testing.assert_allclose(y.numpy(), py.detach().numpy(), rtol=1e-12, atol=1e-14, err_msg="forward")
    np.testing.assert_allclose(first.numpy(), pfirst.detach().numpy(), rtol=1e-10, atol=1e-12,
                               err_msg="gradient")
    np.testing.assert_allclose(second.numpy(), psecond.numpy(force=True), rtol=1e-10, atol=1e-12,
                               err_msg="second derivative")


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "pow"])
@FAST
@given(data=st.data())
def test_binary_against_torch(name, data):
    torch = _torch()
    a, b, out_shape = _draw_operands(data, name)
    fn = BINARY[name][0]
    g = np.random.default_rng(5).standard_normal(out_shape)
    ta, tb = t64(a, True), t64(b, True)
    y = fn(ta, tb)
    y.backward(g)
    pa = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    pb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    py = fn(pa, pb)
    py.backward(torch.tensor(g))
    np.testing.assert_allclose(y.numpy(), py.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ta.grad.numpy(), pa.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tb.grad.numpy(), pb.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=[f"{a}@{b}" for a, b in MATMUL_SHAPES])
def test_matmul_against_torch(sa, sb):
    torch = _torch()
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    ta, tb = t64(a, True), t64(b, True)
    y = ta @ tb
    g = rng.standard_normal(y.shape)
    y.backward(g)
    pa = torch.tensor(a, requires_grad=True)
    pb = torch.tensor(b, requires_grad=True)
    py = pa @ pb
    assert tuple(py.shape) == y.shape
    py.backward(torch.tensor(g))
    np.testing.assert_allclose(y.numpy(), py.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ta.grad.numpy(), pa.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tb.grad.numpy(), pb.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_reductions_shapes_and_indexing_against_torch():
    torch = _torch()
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3, 4))
    cases = [
        (lambda t: t.sum(), lambda t: t.sum()),
        (lambda t: t.sum(axis=1), lambda t: t.sum(dim=1)),
        (lambda t: t.mean(axis=(0, 2), keepdims=True), lambda t: t.mean(dim=(0, 2), keepdim=True)),
        (lambda t: t.mean(axis=-1), lambda t: t.mean(dim=-1)),
        (lambda t: t.reshape(6, 4), lambda t: t.reshape(6, 4)),
        (lambda t: t.permute(2, 0, 1), lambda t: t.permute(2, 0, 1)),
        (lambda t: t.transpose(0, 2), lambda t: t.transpose(0, 2)),
        (lambda t: t[0].T, lambda t: t[0].T),
        (lambda t: t[:, 1:, ::2], lambda t: t[:, 1:, ::2]),
        (lambda t: t[[1, 1, 0]], lambda t: t[[1, 1, 0]]),
        (lambda t: t[..., [0, 0, 3]], lambda t: t[..., [0, 0, 3]]),
        (lambda t: t[x > 0], lambda t: t[torch.tensor(x > 0)]),
        (lambda t: t[:, None, 1], lambda t: t[:, None, 1]),
        (lambda t: t.reshape(2, 3, 1, 4).expand(-1, -1, 5, -1),
         lambda t: t.reshape(2, 3, 1, 4).expand(-1, -1, 5, -1)),
        (lambda t: autograd.where(x > 0, t, t * t), lambda t: torch.where(torch.tensor(x > 0), t, t * t)),
    ]
    for k, (ours, theirs) in enumerate(cases):
        tx = t64(x, True)
        y = ours(tx)
        g = rng.standard_normal(y.shape)
        y.backward(g)
        px = torch.tensor(x, requires_grad=True)
        py = theirs(px)
        assert tuple(py.shape) == y.shape, k
        py.backward(torch.tensor(g))
        np.testing.assert_allclose(y.numpy(), py.detach().numpy(), rtol=1e-12, atol=1e-12, err_msg=str(k))
        np.testing.assert_allclose(tx.grad.numpy(), px.grad.numpy(), rtol=1e-12, atol=1e-12, err_msg=str(k))


def test_third_order_against_torch():
    torch = _torch()
    x = np.array([0.3, -1.2, 2.0])
    f = lambda t: (t.sin() * t.exp() + t.tanh() ** 2).sum()
    tx = t64(x, True)
    f(tx).backward(create_graph=True)
    g1 = tx.grad
    tx.grad = None
    g1.sum().backward(create_graph=True)
    g2 = tx.grad
    tx.grad = None
    g2.sum().backward()
    px = torch.tensor(x, requires_grad=True)
    (p1,) = torch.autograd.grad(f(px), px, create_graph=True)
    (p2,) = torch.autograd.grad(p1.sum(), px, create_graph=True)
    (p3,) = torch.autograd.grad(p2.sum(), px)
    np.testing.assert_allclose(g1.numpy(), p1.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(g2.numpy(), p2.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(tx.grad.numpy(), p3.numpy(), rtol=1e-10)
