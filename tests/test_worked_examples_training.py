"""Worked examples about training and its cost, with expected values computed independently of chaingrad.

- Textbook Example 8.1.1 / Table 8.1: gradient descent on F(x) = x^2 from x_0 = 1. The expected iterates come
  from plain float arithmetic x_{n+1} = (1 - 2 tau) x_n and the counts from the closed form
  ceil(log(0.001) / log|1 - 2 tau|); the iterations under test take their gradients from autograd
  (Value.backward, Tensor.backward + optim.SGD). SPEC errata: the table's numbers are the FIRST n with
  |x_n| < 0.001 (its heading says "smallest N such that |x_n| < 0.001 for all n > N", one less).
- Textbook Exercise 9.6.8 (and Section 9.6): backpropagation costs O(mu) operations, finite differences
  O(mu^2), counted with autograd.count_ops (never timed). The expected counts are derived by hand.
- Lecture 002: a linear autoencoder (two bias-free nn.Linear layers) trained by gradient descent reaches the
  Eckart-Young error of the truncated SVD (numpy.linalg.svd).
- Textbook Section 8.6: the batch-size study's trends, on its polynomial-regression problem with the exact
  minimiser from numpy.linalg.lstsq.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor, Value, count_ops
from nn import MLP, Linear, MSELoss, Sequential, optim
from nn.data import DataLoader, TensorDataset

# ============================================================================ Table 8.1
TABLE_8_1 = {0.001: 3451, 0.01: 342, 0.1: 31, 0.5: 1}  # tau -> printed N; tau = 1.0: "does not converge"
THRESHOLD = 0.001


def float_iterates(tau: float, steps: int) -> list[float]:
    xs = [1.0]
    for _ in range(steps):
        xs.append((1.0 - 2.0 * tau) * xs[-1])
    return xs


def first_below(xs: list[float]) -> int | None:
    return next((n for n, x in enumerate(xs) if abs(x) < THRESHOLD), None)


def gd_with_values(tau: float, steps: int) -> list[float]:
    """x <- x - tau F'(x), with F'(x) from a Value backward pass."""
    xs = [1.0]
    for _ in range(steps):
        x = Value(xs[-1])
        (x**2).backward()
        xs.append(xs[-1] - tau * x.grad)
    return xs


def gd_with_tensor_sgd(tau: float, steps: int) -> list[float]:
    """The same iteration with a float64 Tensor parameter and optim.SGD."""
    x = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.SGD([x], lr=tau)
    xs = [1.0]
    for _ in range(steps):
        opt.zero_grad()
        (x**2).sum().backward()
        opt.step()
        xs.append(float(x.numpy()[0]))
    return xs


@pytest.mark.parametrize("tau, expected", sorted(TABLE_8_1.items()))
def test_table_8_1_closed_form_and_float_recurrence_give_the_printed_counts(tau, expected):
    closed = 1 if tau == 0.5 else math.ceil(math.log(THRESHOLD) / math.log(abs(1 - 2 * tau)))
    assert closed == expected
    assert first_below(float_iterates(tau, expected + 5)) == expected


@pytest.mark.parametrize("gd", [gd_with_values, gd_with_tensor_sgd], ids=["Value", "Tensor+SGD"])
@pytest.mark.parametrize("tau, expected", sorted(TABLE_8_1.items()))
def test_table_8_1_autograd_gradient_descent(gd, tau, expected):
    steps = expected + 5
    reference = float_iterates(tau, steps)
    xs = gd(tau, steps)
    np.testing.assert_allclose(xs, reference, rtol=1e-9, atol=1e-300)
    assert first_below(xs) == expected
    assert all(abs(x) < THRESHOLD for x in xs[expected:])  # and it stays below


@pytest.mark.parametrize("gd", [gd_with_values, gd_with_tensor_sgd], ids=["Value", "Tensor+SGD"])
def test_table_8_1_tau_1_does_not_converge(gd):
    xs = gd(1.0, 200)
    assert xs == [(-1.0) ** n for n in range(201)]  # x_n = (-1)^n exactly: it oscillates forever
    assert first_below(xs) is None


def test_table_8_1_heading_reading_is_one_less_than_the_printed_numbers():
    # "Smallest N such that |x_n| < 0.001 for all n > N" would be N = first - 1 (errata, SPEC.md).
    for tau, printed in TABLE_8_1.items():
        xs = float_iterates(tau, printed + 50)
        n_for_all = min(n for n in range(len(xs)) if all(abs(x) < THRESHOLD for x in xs[n + 1:]))
        assert n_for_all == printed - 1


# ============================================================================ Exercise 9.6.8: counts
def chain_dnn(x, a, b):
    """One neuron per layer: h_i = LReLU(a_i h_{i-1} + b_i), slope 0.5 (the exercise's DNN)."""
    h = x
    for ai, bi in zip(a, b):
        h = (ai * h + bi).leaky_relu(0.5)
    return h


def chain_params(n_layers: int, seed: int = 0) -> tuple[list[float], list[float]]:
    rng = np.random.default_rng(seed)
    return list(rng.uniform(0.5, 1.5, n_layers)), list(rng.uniform(-0.1, 0.1, n_layers))


def backprop_count(n_layers: int) -> int:
    a0, b0 = chain_params(n_layers)
    a, b = [Value(v) for v in a0], [Value(v) for v in b0]
    with count_ops() as c:
        (chain_dnn(Value(0.7), a, b) ** 2).backward()
    return c.forward + c.local_derivatives + c.multiplications + c.additions


def finite_difference_count(n_layers: int, eps: float = 1e-6) -> int:
    """Two-sided differences: 2 forward passes per parameter, mu = 2 n_layers parameters."""
    a0, b0 = chain_params(n_layers)
    theta = a0 + b0
    with count_ops() as c:
        for i in range(len(theta)):
            for sign in (1.0, -1.0):
                moved = [Value(v + sign * eps if j == i else v) for j, v in enumerate(theta)]
                chain_dnn(Value(0.7), moved[:n_layers], moved[n_layers:]) ** 2
    return c.forward


@pytest.mark.parametrize("n_layers", [1, 3, 10, 30])
def test_exercise_9_6_8_exact_counts(n_layers):
    # Forward: mul, add, leaky_relu per layer + the square = 3n + 1 nodes. Backward: edges 2 + 2 + 1 per
    # layer + 1 for the square = 5n + 1 local derivatives, one product per edge except into the output: 5n.
    assert backprop_count(n_layers) == (3 * n_layers + 1) + (5 * n_layers + 1) + 5 * n_layers
    assert finite_difference_count(n_layers) == 2 * (2 * n_layers) * (3 * n_layers + 1)


def test_exercise_9_6_8_backprop_linear_finite_differences_quadratic():
    depths = [8, 16, 32, 64]
    bp = [backprop_count(n) for n in depths]
    fd = [finite_difference_count(n) for n in depths]
    for k in range(1, len(depths)):  # doubling mu (= 2n) ...
        assert 1.9 < bp[k] / bp[k - 1] < 2.05  # ... doubles backprop's work
        assert 3.8 < fd[k] / fd[k - 1] < 4.05  # ... quadruples finite differences'
        ratio_growth = (fd[k] / bp[k]) / (fd[k - 1] / bp[k - 1])
        assert 1.9 < ratio_growth < 2.1  # so finite differences fall behind in proportion to mu
    assert fd[-1] / bp[-1] > 50


def test_exercise_9_6_8_backprop_gradient_agrees_with_finite_differences():
    n = 5
    a0, b0 = chain_params(n, seed=3)
    a, b = [Value(v) for v in a0], [Value(v) for v in b0]
    (chain_dnn(Value(0.7), a, b) ** 2).backward()

    def f(theta):  # plain floats
        h = 0.7
        for ai, bi in zip(theta[:n], theta[n:]):
            t = ai * h + bi
            h = t if t > 0 else 0.5 * t
        return h * h

    theta, eps = a0 + b0, 1e-6
    for i, p in enumerate(a + b):
        up = [v + eps if j == i else v for j, v in enumerate(theta)]
        down = [v - eps if j == i else v for j, v in enumerate(theta)]
        assert p.grad == pytest.approx((f(up) - f(down)) / (2 * eps), rel=1e-6, abs=1e-9)


def mlp_macs(width: int) -> tuple[int, int, int]:
    """(mu, backprop multiply-adds, two-sided finite-difference multiply-adds) for MLP([4, w, w, 1])."""
    autograd.manual_seed(0)
    model = MLP([4, width, width, 1], dtype=np.float64)
    X = Tensor(np.random.default_rng(1).standard_normal((8, 4)))
    params = list(model.parameters())
    mu = sum(p.numel() for p in params)
    with count_ops() as c:
        (model(X) ** 2).mean().backward()
    backprop = c.forward_macs + c.backward_macs
    eps = 1e-6
    with autograd.no_grad(), count_ops() as c:
        for p in params:
            flat = p.data.reshape(-1)
            for i in range(flat.size):
                for sign in (1.0, -1.0):
                    old = flat[i]
                    flat[i] = old + sign * eps
                    (model(X) ** 2).mean()
                    flat[i] = old
    return mu, backprop, c.forward_macs + c.backward_macs


def test_exercise_9_6_8_mlp_multiply_adds_linear_vs_quadratic_in_mu():
    rows = [mlp_macs(w) for w in (2, 4, 8, 16)]
    mus = np.array([r[0] for r in rows], dtype=float)
    bp = np.array([r[1] for r in rows], dtype=float)
    fd = np.array([r[2] for r in rows], dtype=float)
    assert list(mus) == [w * w + 7 * w + 1 for w in (2, 4, 8, 16)]  # 4w + w + w^2 + w + w + 1
    # Backprop: each weight takes part in at most 3 multiply-adds per sample (forward, its own gradient,
    # the gradient of its input), each bias in none, so with a batch of 8 the cost per parameter is
    # bounded, between 8 and 24 whatever mu: linear in mu.
    per_param = bp / mus
    assert np.all(per_param > 8) and np.all(per_param < 24)
    # Finite differences: 2 mu forward passes of 8 multiply-adds per weight, i.e. between 8 mu^2 and
    # 16 mu^2 (the weights are more than half of the parameters): quadratic in mu.
    per_param_squared = fd / mus**2
    assert np.all(per_param_squared > 8) and np.all(per_param_squared < 16)
    assert np.all(np.diff(fd / bp) > 0)


# ============================================================================ lecture 002: linear autoencoder
def test_linear_autoencoder_trained_with_nn_reaches_the_truncated_svd_error():
    # X: n = 30 samples (rows) in d = 6 dimensions, code size m = 2. Eckart-Young: the best rank-m
    # reconstruction leaves sum_{k > m} s_k^2 of ||X||_F^2, whatever the (linear) encoder/decoder.
    n, d, m = 30, 6, 2
    rng = np.random.default_rng(11)
    X = rng.standard_normal((n, d)) @ np.diag([3.0, 2.5, 1.0, 0.8, 0.5, 0.3])
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    X /= s[0]  # sigma_1 = 1, so one learning rate suits any draw
    s = s / s[0]
    best = float(np.sum(s[m:] ** 2))
    X_m = (U[:, :m] * s[:m]) @ Vt[:m]  # truncated SVD
    assert np.sum((X - X_m) ** 2) == pytest.approx(best, rel=1e-12)

    autograd.manual_seed(0)
    model = Sequential(Linear(d, m, bias=False, dtype=np.float64), Linear(m, d, bias=False, dtype=np.float64))
    opt = optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    loss_fn = MSELoss(reduction="sum")
    data = Tensor(X)
    for _ in range(1500):
        loss = 0.5 * loss_fn(model(data), data)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with autograd.no_grad():
        reconstruction = model(data).numpy()
    error = float(np.sum((X - reconstruction) ** 2))
    assert error == pytest.approx(best, rel=1e-4)
    assert error >= best * (1 - 1e-9)  # never below the Eckart-Young bound
    np.testing.assert_allclose(reconstruction, X_m, atol=1e-3)


# ============================================================================ textbook 8.6: batch size
def test_section_8_6_batch_size_trends():
    """Polynomial regression (8.13)-(8.17): N points, n outputs, degree d, SGD with several batch sizes.

    The book's observations, in forms that hold deterministically here (seeded data and loaders):
    full-batch GD with a small step decreases the loss at every epoch, while small batches fluctuate;
    small batches get far ahead in the first epoch; once levelled out, larger batches sit lower.
    """
    N, n, d = 256, 4, 3
    rng = np.random.default_rng(0)
    x = rng.uniform(-1.0, 1.0, N)
    features = np.vander(x, d + 1, increasing=True)  # (1, x, x^2, x^3), (8.15)
    Y = features @ rng.standard_normal((n, d + 1)).T + 0.3 * rng.standard_normal((N, n))
    A_min = np.linalg.lstsq(features, Y, rcond=None)[0].T  # (8.17)

    def loss_of(A):  # (8.14)
        return float(np.mean(np.sum((features @ A.T - Y) ** 2, axis=1)))

    L_min = loss_of(A_min)

    def relative_losses(batch_size, epochs=40, lr=0.05):
        model = Linear(d + 1, n, bias=False, dtype=np.float64)
        with autograd.no_grad():
            model.weight.data[...] = 0.0
        opt = optim.SGD(model.parameters(), lr=lr)
        loader = DataLoader(TensorDataset(Tensor(features), Tensor(Y)), batch_size=batch_size, shuffle=True,
                            seed=1)
        mse = MSELoss()
        out = []
        for _ in range(epochs):
            for xb, yb in loader:
                loss = mse(model(xb), yb) * n  # mean over the batch of ||A x_i - y_i||^2
                opt.zero_grad()
                loss.backward()
                opt.step()
            out.append(loss_of(model.weight.numpy()) / L_min - 1.0)  # relative loss (8.18)
        return np.array(out)

    small, medium, full = relative_losses(2), relative_losses(8), relative_losses(N)
    assert np.all(np.diff(full) < 0)  # deterministic GD, lr below 2 / lambda_max: monotone
    assert np.sum(np.diff(small) > 0) >= 8  # SGD with tiny batches: the loss goes up and down
    assert small[0] < 0.1 * full[0]  # small batches level out within a few epochs, large ones take longer
    assert medium[-10:].mean() < 0.5 * small[-10:].mean()  # ... but larger batches level out lower
