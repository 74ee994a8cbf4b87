"""Function transforms: grad, value_and_grad, vjp, jacobian, hessian, hvp (closed forms, textbook 9.2.x)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
import autograd.functional as F
from autograd import Tensor, grad, hessian, hvp, jacobian, no_grad, value_and_grad, vjp


def t64(a, requires_grad=False):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


RNG = np.random.default_rng(11)


# ---------------------------------------------------------------- grad / value_and_grad
def test_grad_of_a_scalar_function():
    x = np.array([0.3, -1.2, 2.0])
    g = grad(lambda t: (t.sin() * t).sum())(t64(x))
    assert isinstance(g, Tensor) and g.shape == (3,) and not g.requires_grad
    np.testing.assert_allclose(g.numpy(), np.cos(x) * x + np.sin(x), rtol=1e-12)


def test_grad_argnums_int_and_tuple_and_keyword_arguments():
    x, y = np.array([1.0, 2.0]), np.array([3.0, -4.0])
    f = lambda a, b, scale=1.0: (a * a * b).sum() * scale
    np.testing.assert_allclose(grad(f)(t64(x), t64(y)).numpy(), 2 * x * y)
    np.testing.assert_allclose(grad(f, argnums=1)(t64(x), t64(y)).numpy(), x * x)
    np.testing.assert_allclose(grad(f, argnums=-1)(t64(x), t64(y)).numpy(), x * x)
    gx, gy = grad(f, argnums=(0, 1))(t64(x), t64(y), scale=2.0)
    np.testing.assert_allclose(gx.numpy(), 4 * x * y)
    np.testing.assert_allclose(gy.numpy(), 2 * x * x)
    (only,) = grad(f, argnums=(1,))(t64(x), t64(y))
    np.testing.assert_allclose(only.numpy(), x * x)
    with pytest.raises(ValueError, match="argnums"):
        grad(f, argnums=2)(t64(x), t64(y))
    with pytest.raises(ValueError, match="argnums"):
        grad(f, argnums=(0, 0))(t64(x), t64(y))


def test_value_and_grad():
    x = np.array([1.0, 2.0, 3.0])
    value, g = value_and_grad(lambda t: (t ** 3).sum())(t64(x))
    assert value.item() == pytest.approx(36.0)
    assert not value.requires_grad
    np.testing.assert_allclose(g.numpy(), 3 * x ** 2)


def test_grad_needs_a_scalar_output_and_names_the_alternatives():
    with pytest.raises(ValueError, match=r"shape \(2,\).*vjp.*jacobian"):
        grad(lambda t: t * 2)(t64([1.0, 2.0]))
    with pytest.raises(TypeError, match="expected a Tensor"):
        grad(lambda t: 1.0)(t64([1.0]))


def test_grad_converts_numbers_and_lists_to_float64():
    g = grad(lambda t: (t * t).sum())([1.0, 2.0])
    assert g.dtype == np.float64
    np.testing.assert_array_equal(g.numpy(), [2.0, 4.0])
    g = grad(lambda t: t ** 3)(2)  # a Python int becomes a float64 tensor
    assert g.dtype == np.float64 and g.item() == 12.0
    g = grad(lambda t: (t * t).sum())(np.array([1, 2]))
    assert g.dtype == np.float64


def test_grad_keeps_float32_for_float32_tensors():
    g = grad(lambda t: (t * t).sum())(Tensor(np.array([1.0, 2.0], dtype=np.float32)))
    assert g.dtype == np.float32


def test_grad_refuses_integer_tensors():
    with pytest.raises(TypeError, match="grad: argument 0 has dtype int64"):
        grad(lambda t: (t * 1.0).sum())(Tensor(np.array([1, 2])))
    with pytest.raises(TypeError, match="jacobian: argument 0 has dtype"):
        jacobian(lambda t: t * 1.0, Tensor(np.array([1, 2])))


def test_transforms_leave_no_grad_garbage_on_user_tensors():
    x = t64([1.0, 2.0], True)
    w = t64([3.0, 4.0], True)  # a parameter the function closes over
    f = lambda t: (t * w).sum() ** 2
    grad(f)(x)
    value_and_grad(f)(x)
    vjp(lambda t: t * w, x, v=np.ones(2))
    jacobian(lambda t: t * w, x)
    hessian(f, x)
    hvp(f, x, np.ones(2))
    assert x.grad is None and w.grad is None
    # and the user's own graph still works afterwards
    (x * w).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 4.0])


def test_user_graph_is_not_freed_by_a_transform():
    x = t64([1.0, 2.0], True)
    h = x.exp()  # an interior tensor of the user's graph
    grad(lambda t: (t * t).sum())(h)
    h.sum().backward()  # would raise GraphFreedError if the transform had freed h's graph
    np.testing.assert_allclose(x.grad.numpy(), np.exp([1.0, 2.0]))


def test_grad_of_a_function_not_depending_on_its_input_is_zero():
    g = grad(lambda t, u: (u * u).sum())(t64([1.0, 2.0]), t64([3.0]))
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0])
    g = grad(lambda t: t64(5.0))(t64([1.0]))
    np.testing.assert_array_equal(g.numpy(), [0.0])


def test_grad_works_inside_no_grad():
    with no_grad():
        g = grad(lambda t: (t * t).sum())(t64([3.0]))
        assert not autograd.is_grad_enabled()
    np.testing.assert_array_equal(g.numpy(), [6.0])


def test_nested_grad_gives_higher_derivatives():
    # x**4 -> 4x^3 -> 12x^2 -> 24x
    d1 = grad(lambda t: (t ** 4).sum(), create_graph=True)
    d2 = grad(lambda t: d1(t).sum(), create_graph=True)
    d3 = grad(lambda t: d2(t).sum())
    x = np.array([2.0, -1.5])
    np.testing.assert_allclose(d1(t64(x)).numpy(), 4 * x ** 3)
    np.testing.assert_allclose(d2(t64(x)).numpy(), 12 * x ** 2)
    np.testing.assert_allclose(d3(t64(x)).numpy(), 24 * x)


# ---------------------------------------------------------------- vjp
def test_vjp_matches_closed_form():
    A = RNG.standard_normal((3, 4))
    x = RNG.standard_normal(4)
    v = RNG.standard_normal(3)
    out, g = vjp(lambda t: (t64(A) @ t).tanh(), t64(x), v=v)
    z = A @ x
    np.testing.assert_allclose(out.numpy(), np.tanh(z), rtol=1e-12)
    np.testing.assert_allclose(g.numpy(), A.T @ (v * (1 - np.tanh(z) ** 2)), rtol=1e-12)
    assert not out.requires_grad


def test_vjp_with_several_inputs_and_scalar_default():
    a, b = RNG.standard_normal((2, 3)), RNG.standard_normal((3, 2))
    v = RNG.standard_normal((2, 2))
    out, (ga, gb) = vjp(lambda x, y: x @ y, a, b, v=v)
    np.testing.assert_allclose(out.numpy(), a @ b)
    np.testing.assert_allclose(ga.numpy(), v @ b.T)
    np.testing.assert_allclose(gb.numpy(), a.T @ v)
    _, g = vjp(lambda x: (x * x).sum(), [1.0, 2.0])
    np.testing.assert_array_equal(g.numpy(), [2.0, 4.0])


def test_vjp_errors():
    with pytest.raises(ValueError, match=r"vjp: the cotangent v has shape \(3,\); expected .* \(2,\)"):
        vjp(lambda x: x * 2, t64([1.0, 2.0]), v=np.ones(3))
    with pytest.raises(ValueError, match="pass v="):
        vjp(lambda x: x * 2, t64([1.0, 2.0]))


def test_vjp_create_graph_is_differentiable():
    x = t64([0.5, 1.0], True)
    _, g = vjp(lambda t: t ** 3, x, v=np.array([1.0, 2.0]), create_graph=True)
    assert g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6 * 0.5 * 1.0, 6 * 1.0 * 2.0])


# ---------------------------------------------------------------- jacobian
def test_jacobian_of_linear_map_is_the_matrix():
    A = RNG.standard_normal((3, 4))
    J = jacobian(lambda x: t64(A) @ x, RNG.standard_normal(4))
    assert J.shape == (3, 4)
    np.testing.assert_allclose(J.numpy(), A, rtol=1e-12)


def test_jacobian_shape_is_out_shape_plus_in_shape():
    x = RNG.standard_normal((2, 3))
    J = jacobian(lambda t: t.exp(), x)
    assert J.shape == (2, 3, 2, 3)
    expected = np.zeros((2, 3, 2, 3))
    for i in range(2):
        for j in range(3):
            expected[i, j, i, j] = np.exp(x[i, j])
    np.testing.assert_allclose(J.numpy(), expected, rtol=1e-12)
    J = jacobian(lambda t: t.sum(), x)  # scalar output
    assert J.shape == (2, 3)
    np.testing.assert_array_equal(J.numpy(), np.ones((2, 3)))
    J = jacobian(lambda t: t.sum(axis=0), x)
    assert J.shape == (3, 2, 3)


def test_jacobian_with_several_inputs():
    a, b = RNG.standard_normal(3), RNG.standard_normal(3)
    Ja, Jb = jacobian(lambda x, y: x * y, a, b)
    np.testing.assert_allclose(Ja.numpy(), np.diag(b))
    np.testing.assert_allclose(Jb.numpy(), np.diag(a))


@settings(max_examples=15, deadline=None)
@given(x=hnp.arrays(np.float64, st.integers(1, 4), elements=st.floats(-2, 2)))
def test_jacobian_of_softmax_is_diag_p_minus_ppT(x):
    def softmax(t):
        e = (t - float(x.max())).exp()
        return e / e.sum()

    p = np.exp(x - x.max()) / np.exp(x - x.max()).sum()
    np.testing.assert_allclose(jacobian(softmax, x).numpy(), np.diag(p) - np.outer(p, p), atol=1e-12)


def test_example_9_2_1_chain_rule_in_one_variable():
    # d/dx cos(e^x + 2x) at 0 = -sin(1) (1 + 2) = -3 sin 1 (textbook (9.18))
    f = lambda x: (x.exp() + 2 * x).cos()
    assert grad(f)(0.0).item() == pytest.approx(-3 * math.sin(1.0), rel=1e-12)
    assert jacobian(f, 0.0).item() == pytest.approx(-3 * math.sin(1.0), rel=1e-12)


def _pair(first, second):
    """Stack two 0-d tensors into a vector (e1 * first + e2 * second)."""
    return t64([1.0, 0.0]) * first + t64([0.0, 1.0]) * second


def _f_922(uv):  # f(u, v) = (u^2 + 3uv, exp(u + v))   (9.19)
    u, v = uv[0], uv[1]
    return _pair(u * u + 3 * u * v, (u + v).exp())


def _g_922(xy):  # g(x, y) = (xy, x^2 + y^2)   (9.20)
    x, y = xy[0], xy[1]
    return _pair(x * y, x * x + y * y)


def test_example_9_2_2_jacobian_of_a_composition():
    e = math.e
    # (9.23) J_f at g(1, 0) = (0, 1), (9.24) J_g at (1, 0), (9.25) their product
    np.testing.assert_allclose(_g_922(t64([1.0, 0.0])).numpy(), [0.0, 1.0])
    np.testing.assert_allclose(jacobian(_f_922, [0.0, 1.0]).numpy(), [[3.0, 0.0], [e, e]], rtol=1e-12)
    np.testing.assert_allclose(jacobian(_g_922, [1.0, 0.0]).numpy(), [[0.0, 1.0], [2.0, 0.0]], rtol=1e-12)
    J = jacobian(lambda xy: _f_922(_g_922(xy)), [1.0, 0.0])
    np.testing.assert_allclose(J.numpy(), [[0.0, 3.0], [2 * e, e]], rtol=1e-12)


def test_example_9_2_2_chain_rule_at_a_general_point():
    # the same composition written with indexing + matmul stacking, at a general point (x, y)
    fg = lambda xy: _f_922(_g_922(xy))

    x, y = 0.7, -0.4
    u, v = x * y, x * x + y * y
    Jf = np.array([[2 * u + 3 * v, 3 * u], [np.exp(u + v), np.exp(u + v)]])
    Jg = np.array([[y, x], [2 * x, 2 * y]])
    np.testing.assert_allclose(jacobian(fg, [x, y]).numpy(), Jf @ Jg, rtol=1e-12)


# ---------------------------------------------------------------- hessian / hvp
@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 4), seed=st.integers(0, 2 ** 16))
def test_hessian_of_quadratic_form_is_A_plus_AT(n, seed):
    rng = np.random.default_rng(seed)
    A, x = rng.standard_normal((n, n)), rng.standard_normal(n)
    H = hessian(lambda t: t @ (t64(A) @ t), x)
    assert H.shape == (n, n)
    np.testing.assert_allclose(H.numpy(), A + A.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad(lambda t: t @ (t64(A) @ t))(x).numpy(), (A + A.T) @ x, rtol=1e-10,
                               atol=1e-12)


def test_hessian_of_elementwise_and_matrix_inputs():
    x = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(hessian(lambda t: (t ** 3).sum(), x).numpy(), np.diag(6 * x))
    # log-sum-exp: H = diag(p) - p p^T
    p = np.exp(x) / np.exp(x).sum()
    np.testing.assert_allclose(hessian(lambda t: t.exp().sum().log(), x).numpy(), np.diag(p) - np.outer(p, p),
                               rtol=1e-10, atol=1e-12)
    X = RNG.standard_normal((2, 2))
    H = hessian(lambda t: (t * t).sum(), X)  # ||X||_F^2 -> 2 I on R^{2x2}
    assert H.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(H.numpy().reshape(4, 4), 2 * np.eye(4))


def test_hessian_of_mixed_terms():
    # f = x0 x1^2 + sin(x0): H = [[-sin x0, 2 x1], [2 x1, 2 x0]]
    x0, x1 = 0.4, -1.3
    H = hessian(lambda t: t[0] * t[1] ** 2 + t[0].sin(), [x0, x1])
    np.testing.assert_allclose(H.numpy(), [[-math.sin(x0), 2 * x1], [2 * x1, 2 * x0]], rtol=1e-12)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2 ** 16), n=st.integers(1, 4))
def test_hvp_agrees_with_hessian_times_v(seed, n):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    x, v = rng.uniform(-1, 1, n), rng.standard_normal(n)
    f = lambda t: (t.tanh() @ (t64(A) @ t)) + (t ** 4).sum()
    H = hessian(f, x).numpy()
    np.testing.assert_allclose(hvp(f, x, v).numpy(), H @ v, rtol=1e-10, atol=1e-12)


def test_hvp_of_quadratic_and_shape_check():
    A = RNG.standard_normal((3, 3))
    v = np.array([1.0, 0.0, -2.0])
    got = hvp(lambda t: t @ (t64(A) @ t), np.ones(3), v)
    np.testing.assert_allclose(got.numpy(), (A + A.T) @ v, rtol=1e-12)
    with pytest.raises(ValueError, match=r"hvp: v has shape \(2,\)"):
        hvp(lambda t: (t * t).sum(), np.ones(3), np.ones(2))


def test_functional_module_is_importable_and_exported():
    assert F.grad is autograd.grad and F.hessian is autograd.hessian and F.hvp is autograd.hvp
    assert set(F.__all__) == {"grad", "value_and_grad", "vjp", "jacobian", "hessian", "hvp"}
