"""Worked examples of the sources, reproduced with Tensors.

Expected values come from the sources' closed forms, evaluated with plain numpy/math, never from the
code under test:

- lecture 004: the multi-output MLP backward, unit by unit and in vectorized (matrix) form;
- lecture 002: the 2-2-1 sigmoid network, the one-hidden-layer net f(x) = sum_j beta_j sigma(w_j . x) and its
  (repaired) MLP3 gradient code, the matrix-calculus identities, the deep-linear gradients and the linear
  autoencoder (Eckart-Young);
- textbook Example 4.2.1: the 3-5-2 ReLU network, h(1, 0, 6) = (295, 101).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor, grad, gradcheck, jacobian


def t64(a, requires_grad=False):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def trace(m: Tensor) -> Tensor:
    return (m * t64(np.eye(m.shape[0]))).sum()


RNG = np.random.default_rng(2024)


# ============================================================================ lecture 004: multi-output MLP
# z = W1 x + b1, h = sigma(z), y = W2 h + b2, L = 1/2 ||t - y||^2
N_IN, N_HID, N_OUT = 3, 4, 2
W1, B1 = RNG.standard_normal((N_HID, N_IN)), RNG.standard_normal(N_HID)
W2, B2 = RNG.standard_normal((N_OUT, N_HID)), RNG.standard_normal(N_OUT)
X_IN, T_OUT = RNG.standard_normal(N_IN), RNG.standard_normal(N_OUT)


def mlp_loss(w1, b1, w2, b2, x=X_IN, t=T_OUT):
    z = w1 @ t64(x) + b1
    h = z.sigmoid()
    y = w2 @ h + b2
    return 0.5 * ((t64(t) - y) ** 2).sum()


def lecture_004_unitwise_backward():
    """The lecture's backward pass, one unit at a time (scalar formulas, plain loops)."""
    z = [sum(W1[i, j] * X_IN[j] for j in range(N_IN)) + B1[i] for i in range(N_HID)]
    h = [1.0 / (1.0 + math.exp(-zi)) for zi in z]
    y = [sum(W2[k, i] * h[i] for i in range(N_HID)) + B2[k] for k in range(N_OUT)]
    y_bar = [y[k] - T_OUT[k] for k in range(N_OUT)]
    w2_bar = np.array([[y_bar[k] * h[i] for i in range(N_HID)] for k in range(N_OUT)])
    b2_bar = np.array(y_bar)
    h_bar = [sum(y_bar[k] * W2[k, i] for k in range(N_OUT)) for i in range(N_HID)]
    z_bar = [h_bar[i] * h[i] * (1.0 - h[i]) for i in range(N_HID)]
    w1_bar = np.array([[z_bar[i] * X_IN[j] for j in range(N_IN)] for i in range(N_HID)])
    b1_bar = np.array(z_bar)
    return w1_bar, b1_bar, w2_bar, b2_bar


def test_lecture_004_mlp_backward_unit_by_unit():
    params = [t64(p, True) for p in (W1, B1, W2, B2)]
    loss = mlp_loss(*params)
    loss.backward()
    for param, expected, name in zip(params, lecture_004_unitwise_backward(), ["W1", "b1", "W2", "b2"]):
        np.testing.assert_allclose(param.grad.numpy(), expected, rtol=1e-12, atol=1e-14, err_msg=name)


def test_lecture_004_mlp_backward_vectorized_form():
    # y_bar = y - t, W2_bar = y_bar h^T, b2_bar = y_bar, h_bar = W2^T y_bar, z_bar = h_bar o sigma'(z),
    # W1_bar = z_bar x^T, b1_bar = z_bar
    z = W1 @ X_IN + B1
    h = sig(z)
    y = W2 @ h + B2
    y_bar = y - T_OUT
    h_bar = W2.T @ y_bar
    z_bar = h_bar * h * (1 - h)
    expected = [np.outer(z_bar, X_IN), z_bar, np.outer(y_bar, h), y_bar]
    got = grad(mlp_loss, argnums=(0, 1, 2, 3))(W1, B1, W2, B2)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.numpy(), e, rtol=1e-12, atol=1e-14)
    value = mlp_loss(t64(W1), t64(B1), t64(W2), t64(B2)).item()
    assert value == pytest.approx(0.5 * np.sum((T_OUT - y) ** 2))


def test_lecture_004_mlp_batched_rows_convention_and_gradcheck():
    # A batch of rows with the library's convention y = x @ W.T + b; the matrix-form backprop sums over rows.
    X, T = RNG.standard_normal((5, N_IN)), RNG.standard_normal((5, N_OUT))

    def batch_loss(w1, b1, w2, b2):
        h = (t64(X) @ w1.T + b1).sigmoid()
        return 0.5 * ((h @ w2.T + b2 - t64(T)) ** 2).sum()

    Z = X @ W1.T + B1
    H = sig(Z)
    Y_bar = H @ W2.T + B2 - T
    Z_bar = (Y_bar @ W2) * H * (1 - H)
    expected = [Z_bar.T @ X, Z_bar.sum(axis=0), Y_bar.T @ H, Y_bar.sum(axis=0)]
    got = grad(batch_loss, argnums=(0, 1, 2, 3))(W1, B1, W2, B2)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.numpy(), e, rtol=1e-12, atol=1e-13)
    assert gradcheck(batch_loss, [W1, B1, W2, B2])
    assert gradcheck(mlp_loss, [W1, B1, W2, B2])


# ============================================================================ lecture 002: 2-2-1 network
# net_h1 = w11 x1 + w21 x2, net_h2 = w12 x1 + w22 x2, h = sigma(net_h), net_o = w31 h1 + w32 h2,
# y_hat = sigma(net_o), L = 1/2 (y - y_hat)^2. The lecture gives the formulas, not numbers: these are ours.
X1, X2 = 0.5, -1.0
WEIGHTS = {"w11": 0.1, "w21": 0.4, "w12": -0.3, "w22": 0.2, "w31": 0.7, "w32": -0.5}
Y_TRUE = 1.0


def lecture_002_formulas():
    w = WEIGHTS
    s = lambda z: 1.0 / (1.0 + math.exp(-z))
    ds = lambda z: s(z) * (1.0 - s(z))
    net_h1, net_h2 = w["w11"] * X1 + w["w21"] * X2, w["w12"] * X1 + w["w22"] * X2
    h1, h2 = s(net_h1), s(net_h2)
    net_o = w["w31"] * h1 + w["w32"] * h2
    y_hat = s(net_o)
    d_out = (y_hat - Y_TRUE) * ds(net_o)
    return {
        "y_hat": y_hat,
        "w31": d_out * h1, "w32": d_out * h2,                                   # hidden -> output
        "h1": d_out * w["w31"], "h2": d_out * w["w32"],                         # hidden neurons
        "w11": d_out * w["w31"] * ds(net_h1) * X1, "w21": d_out * w["w31"] * ds(net_h1) * X2,
        "w12": d_out * w["w32"] * ds(net_h2) * X1, "w22": d_out * w["w32"] * ds(net_h2) * X2,
    }


def test_lecture_002_two_two_one_network_backward():
    w = WEIGHTS
    x = t64([X1, X2])
    w_in = t64([[w["w11"], w["w12"]], [w["w21"], w["w22"]]], True)  # w_in[i-1, j-1] = w_ij
    w_out = t64([w["w31"], w["w32"]], True)
    h = (x @ w_in).sigmoid().retain_grad()
    y_hat = (h @ w_out).sigmoid()
    loss = 0.5 * (Y_TRUE - y_hat) ** 2
    loss.backward()
    ref = lecture_002_formulas()
    assert y_hat.item() == pytest.approx(ref["y_hat"], rel=1e-14)
    np.testing.assert_allclose(w_out.grad.numpy(), [ref["w31"], ref["w32"]], rtol=1e-12)
    np.testing.assert_allclose(h.grad.numpy(), [ref["h1"], ref["h2"]], rtol=1e-12)
    np.testing.assert_allclose(w_in.grad.numpy(), [[ref["w11"], ref["w12"]], [ref["w21"], ref["w22"]]],
                               rtol=1e-12)
    # one gradient-descent step lowers the loss
    eta = 0.5
    w_in2, w_out2 = w_in.numpy() - eta * w_in.grad.numpy(), w_out.numpy() - eta * w_out.grad.numpy()
    new_loss = 0.5 * (Y_TRUE - sig(sig(np.array([X1, X2]) @ w_in2) @ w_out2)) ** 2
    assert new_loss < loss.item()


def test_lecture_002_beta_w_network_slide_formulas():
    # f(x) = sum_j beta_j / (1 + exp(-w_j . x)); d/d beta_j and d/d w_ji of 1/2 (f(x) - y)^2
    m, n = 3, 4
    beta, w, x, y = RNG.standard_normal(m), RNG.standard_normal((m, n)), RNG.standard_normal(n), 0.3

    def loss(b, wt):
        f = (b * (wt @ t64(x)).sigmoid()).sum()
        return 0.5 * (f - y) ** 2

    g_beta, g_w = grad(loss, argnums=(0, 1))(beta, w)
    a = w @ x
    f = np.sum(beta / (1 + np.exp(-a)))
    np.testing.assert_allclose(g_beta.numpy(), (f - y) / (1 + np.exp(-a)), rtol=1e-12)
    expected_w = ((f - y) / (1 + np.exp(-a)) * beta / (1 + np.exp(a)))[:, None] * x[None, :]
    np.testing.assert_allclose(g_w.numpy(), expected_w, rtol=1e-12)


def test_lecture_002_mlp3_code_repaired_matches_autograd():
    # The slide's MLP3 (columns are examples): forward f = beta sigma(theta x); gradient code repaired to run.
    n, m, s = 3, 4, 5
    theta = RNG.uniform(-1 / n, 1 / n, (m, n))
    beta = RNG.uniform(-1 / m, 1 / m, (1, m))
    x, y = RNG.standard_normal((n, s)), RNG.standard_normal((1, s))
    hid = sig(theta @ x)                                  # m x s
    out = beta @ hid                                      # 1 x s
    delta = out - y                                       # 1 x s
    g_bet = delta @ hid.T                                 # 1 x m
    hid_sv = hid - hid * hid                              # sensitivities
    g_tet = (np.outer(beta.T, delta) * hid_sv) @ x.T      # m x n

    def loss(tet, bet):
        return 0.5 * ((bet @ (tet @ t64(x)).sigmoid() - t64(y)) ** 2).sum()

    got_tet, got_bet = grad(loss, argnums=(0, 1))(theta, beta)
    np.testing.assert_allclose(got_bet.numpy(), g_bet, rtol=1e-12)
    np.testing.assert_allclose(got_tet.numpy(), g_tet, rtol=1e-12)
    assert gradcheck(loss, [theta, beta])


# ============================================================================ lecture 002: matrix calculus
N = 3
A_MAT = RNG.standard_normal((N, N))
X_MAT = RNG.standard_normal((N, N))
X_VEC = RNG.standard_normal(N)


def test_frobenius_norm_and_trace_identities():
    np.testing.assert_allclose(grad(lambda X: (X * X).sum())(X_MAT).numpy(), 2 * X_MAT, rtol=1e-14)
    A = t64(A_MAT)
    np.testing.assert_allclose(grad(lambda X: trace(A @ X))(X_MAT).numpy(), A_MAT.T, rtol=1e-14)
    np.testing.assert_allclose(grad(lambda X: trace(A @ X.T))(X_MAT).numpy(), A_MAT, rtol=1e-14)


def test_quadratic_form_identities():
    A = t64(A_MAT)
    S_MAT = A_MAT + A_MAT.T
    S = t64(S_MAT)
    np.testing.assert_allclose(grad(lambda x: x @ (A @ x))(X_VEC).numpy(), (A_MAT + A_MAT.T) @ X_VEC,
                               rtol=1e-12)
    np.testing.assert_allclose(grad(lambda x: x @ (S @ x))(X_VEC).numpy(), 2 * S_MAT @ X_VEC, rtol=1e-12)
    np.testing.assert_allclose(grad(lambda M: t64(X_VEC) @ (M @ t64(X_VEC)))(A_MAT).numpy(),
                               np.outer(X_VEC, X_VEC), rtol=1e-12)
    np.testing.assert_allclose(grad(lambda x: x @ (A.T @ (A @ x)))(X_VEC).numpy(),
                               2 * A_MAT.T @ A_MAT @ X_VEC, rtol=1e-12)


def test_least_squares_identities():
    y = RNG.standard_normal(N)
    r = y - A_MAT @ X_VEC
    got = grad(lambda M: ((t64(y) - M @ t64(X_VEC)) ** 2).sum())(A_MAT)
    np.testing.assert_allclose(got.numpy(), -2 * np.outer(r, X_VEC), rtol=1e-12)
    # d/dX ||A X - B||_F^2 = 2 A^T (A X - B)
    A_rect = RNG.standard_normal((4, N))
    X_rect = RNG.standard_normal((N, 2))
    B4 = RNG.standard_normal((4, 2))
    got = grad(lambda X: ((t64(A_rect) @ X - t64(B4)) ** 2).sum())(X_rect)
    np.testing.assert_allclose(got.numpy(), 2 * A_rect.T @ (A_rect @ X_rect - B4), rtol=1e-12)


def test_bilinear_identities_used_in_the_deep_linear_derivation():
    a, b = RNG.standard_normal(N), RNG.standard_normal(2)
    X = RNG.standard_normal((N, 2))
    D = RNG.standard_normal((N, N))
    np.testing.assert_allclose(grad(lambda M: t64(a) @ (M @ t64(b)))(X).numpy(), np.outer(a, b), rtol=1e-12)
    # d a^T X^T D X b / dX = D^T X a b^T + D X b a^T   (here a, b in R^2, X in R^{N x 2})
    a2, b2 = RNG.standard_normal(2), RNG.standard_normal(2)
    got = grad(lambda M: t64(a2) @ (M.T @ (t64(D) @ (M @ t64(b2)))))(X)
    np.testing.assert_allclose(got.numpy(), D.T @ X @ np.outer(a2, b2) + D @ X @ np.outer(b2, a2), rtol=1e-12)


def test_deep_linear_per_term_derivatives_true_values():
    # The three terms of L's expansion. (The printed second and third results at L436-438 of the lecture
    # carry transposition errors, see SPEC.md; these are the true values, which the final results use.)
    k, m, d = 2, 3, 4
    B, A = RNG.standard_normal((k, m)), RNG.standard_normal((m, d))
    x, y = RNG.standard_normal(d), RNG.standard_normal(k)
    tB, tx, ty = t64(B), t64(x), t64(y)
    np.testing.assert_allclose(grad(lambda M: ty @ (tB @ (M @ tx)))(A).numpy(), B.T @ np.outer(y, x),
                               rtol=1e-12)
    np.testing.assert_allclose(grad(lambda M: tx @ (M.T @ (tB.T @ ty)))(A).numpy(), B.T @ np.outer(y, x),
                               rtol=1e-12)
    np.testing.assert_allclose(grad(lambda M: tx @ (M.T @ (tB.T @ (tB @ (M @ tx)))))(A).numpy(),
                               2 * B.T @ B @ A @ np.outer(x, x), rtol=1e-12)


def test_deep_linear_network_gradients_closed_form():
    # y = B A x, L(B, A) = 1/2 sum_i ||y_i - B A x_i||^2 = 1/2 ||Y - B A X||_F^2 (columns are examples)
    # dL/dA = -B^T (S_xy - B A S_xx), dL/dB = -(S_xy - B A S_xx) A^T, S_xx = X X^T, S_xy = Y X^T
    k, m, d, n = 2, 3, 4, 6
    B, A = RNG.standard_normal((k, m)), RNG.standard_normal((m, d))
    X, Y = RNG.standard_normal((d, n)), RNG.standard_normal((k, n))

    def loss(b, a):
        return 0.5 * ((t64(Y) - b @ (a @ t64(X))) ** 2).sum()

    s_xx, s_xy = X @ X.T, Y @ X.T
    g_b, g_a = grad(loss, argnums=(0, 1))(B, A)
    np.testing.assert_allclose(g_a.numpy(), -B.T @ (s_xy - B @ A @ s_xx), rtol=1e-11)
    np.testing.assert_allclose(g_b.numpy(), -(s_xy - B @ A @ s_xx) @ A.T, rtol=1e-11)
    # the per-example sum gives the same
    def per_example(b, a):
        return sum(0.5 * ((t64(Y[:, i]) - b @ (a @ t64(X[:, i]))) ** 2).sum() for i in range(n))

    g_b2, g_a2 = grad(per_example, argnums=(0, 1))(B, A)
    np.testing.assert_allclose(g_a2.numpy(), g_a.numpy(), rtol=1e-11)
    np.testing.assert_allclose(g_b2.numpy(), g_b.numpy(), rtol=1e-11)
    assert gradcheck(loss, [B, A])


# ============================================================================ lecture 002: linear autoencoder
def test_linear_autoencoder_per_example_gradients():
    # l = 1/2 ||x - D C x||^2: dl/dC = D^T (y - x) x^T, dl/dD = (y - x) x^T C^T, y = D C x
    d, m = 5, 2
    C, D, x = RNG.standard_normal((m, d)), RNG.standard_normal((d, m)), RNG.standard_normal(d)

    def loss(c, dd):
        return 0.5 * ((t64(x) - dd @ (c @ t64(x))) ** 2).sum()

    y = D @ C @ x
    g_c, g_d = grad(loss, argnums=(0, 1))(C, D)
    np.testing.assert_allclose(g_c.numpy(), D.T @ np.outer(y - x, x), rtol=1e-12)
    np.testing.assert_allclose(g_d.numpy(), np.outer(y - x, x) @ C.T, rtol=1e-12)
    # the index form: dl/dC_ki = x_i sum_j D_jk (y_j - x_j); dl/dD_jk = (y_j - x_j) sum_i C_ki x_i
    for kk in range(m):
        for i in range(d):
            assert g_c.numpy()[kk, i] == pytest.approx(x[i] * sum(D[j, kk] * (y[j] - x[j]) for j in range(d)))
        for j in range(d):
            assert g_d.numpy()[j, kk] == pytest.approx((y[j] - x[j]) * sum(C[kk, i] * x[i] for i in range(d)))
    assert gradcheck(loss, [C, D])


def test_linear_autoencoder_truncated_svd_is_a_critical_point_with_eckart_young_loss():
    d, m, n = 5, 2, 8
    X = RNG.standard_normal((d, n))
    U, sv, _ = np.linalg.svd(X)
    C, D = U[:, :m].T, U[:, :m]

    def loss(c, dd):
        return 0.5 * ((t64(X) - dd @ (c @ t64(X))) ** 2).sum()

    assert loss(t64(C), t64(D)).item() == pytest.approx(0.5 * np.sum(sv[m:] ** 2), rel=1e-12)
    g_c, g_d = grad(loss, argnums=(0, 1))(C, D)
    np.testing.assert_allclose(g_c.numpy(), 0.0, atol=1e-10)
    np.testing.assert_allclose(g_d.numpy(), 0.0, atol=1e-10)


def test_linear_autoencoder_gradient_descent_reaches_the_truncated_svd_error():
    # data with singular values (3, 2, 1): the best rank-2 reconstruction leaves 1/2 * 1^2 (Eckart-Young)
    d, m, n = 3, 2, 20
    rng = np.random.default_rng(5)
    U, _ = np.linalg.qr(rng.standard_normal((d, d)))
    V, _ = np.linalg.qr(rng.standard_normal((n, d)))
    X = U @ np.diag([3.0, 2.0, 1.0]) @ V.T

    def loss(c, dd):
        return 0.5 * ((t64(X) - dd @ (c @ t64(X))) ** 2).sum()

    step = autograd.value_and_grad(loss, argnums=(0, 1))
    C, D = 0.3 * rng.standard_normal((m, d)), 0.3 * rng.standard_normal((d, m))
    value = None
    for _ in range(200):
        value, (g_c, g_d) = step(C, D)
        C, D = C - 0.05 * g_c.numpy(), D - 0.05 * g_d.numpy()
    assert value.item() == pytest.approx(0.5, rel=1e-6)
    # ... and the learned reconstruction is the rank-m truncated SVD X_m = U_m S_m V_m^T
    np.testing.assert_allclose(D @ C @ X, U[:, :m] @ np.diag([3.0, 2.0]) @ V[:, :m].T, atol=1e-4)


# ============================================================================ textbook Example 4.2.1
A1 = np.array([[4, 2, -5], [5, 4, 6], [0, 3, 2], [2, 2, -3], [-7, 1, -4]], dtype=np.float64)
A2 = np.array([[-2, 6, 2, -5, 0], [-3, 0, 6, 1, 2]], dtype=np.float64)
BIAS1 = np.array([-2, 3, 5, -2, 7], dtype=np.float64)
BIAS2 = np.array([-3, -1], dtype=np.float64)


def _t(a):
    return a if isinstance(a, Tensor) else t64(a)


def h_421(x, a1=A1, b1=BIAS1, a2=A2, b2=BIAS2):
    """h = g2 o g1, g_l(x) = relu(A^l x + b^l)   (4.14), (4.19)"""
    g1 = (_t(a1) @ _t(x) + _t(b1)).relu()
    return (_t(a2) @ g1 + _t(b2)).relu()


def test_textbook_4_2_1_forward():
    x = t64([1.0, 0.0, 6.0])
    pre1 = t64(A1) @ x + BIAS1
    np.testing.assert_array_equal((t64(A1) @ x).numpy(), [-26, 41, 12, -16, -31])   # (4.16)
    np.testing.assert_array_equal(pre1.numpy(), [-28, 44, 17, -18, -24])           # (4.17)
    g1 = pre1.relu()
    np.testing.assert_array_equal(g1.numpy(), [0, 44, 17, 0, 0])                   # (4.18)
    np.testing.assert_array_equal((t64(A2) @ g1).numpy(), [298, 102])              # (4.23)
    np.testing.assert_array_equal(h_421(x).numpy(), [295, 101])                    # (4.25)


def test_textbook_4_2_1_jacobian_and_parameter_gradients():
    # Active hidden units at (1, 0, 6): 2 and 3 (1-based); both outputs positive, so
    # dh/dx = A2[:, active] A1[active, :] = [[30, 30, 40], [0, 18, 12]].
    J = jacobian(h_421, [1.0, 0.0, 6.0])
    np.testing.assert_array_equal(J.numpy(), [[30, 30, 40], [0, 18, 12]])
    active = np.array([0, 1, 1, 0, 0], dtype=np.float64)
    np.testing.assert_array_equal(J.numpy(), A2 @ np.diag(active) @ A1)
    # gradients of h1 + h2 with respect to the weights: dA2 = 1 g1^T (both rows), dA1 = (A2^T 1 o active) x^T
    x = np.array([1.0, 0.0, 6.0])
    f = lambda a1, b1, a2, b2: h_421(t64(x), a1, b1, a2, b2).sum()
    g_a1, g_b1, g_a2, g_b2 = grad(f, argnums=(0, 1, 2, 3))(A1, BIAS1, A2, BIAS2)
    g1 = np.array([0, 44, 17, 0, 0], dtype=np.float64)
    np.testing.assert_array_equal(g_a2.numpy(), np.outer([1, 1], g1))
    np.testing.assert_array_equal(g_b2.numpy(), [1, 1])
    upstream = (A2.T @ np.ones(2)) * active
    np.testing.assert_array_equal(g_b1.numpy(), upstream)
    np.testing.assert_array_equal(g_a1.numpy(), np.outer(upstream, x))
    # away from the ReLU kinks (no pre-activation is 0 here) finite differences agree
    assert gradcheck(f, [A1, BIAS1, A2, BIAS2])
