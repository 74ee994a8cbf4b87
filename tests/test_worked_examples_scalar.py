"""Worked examples of the sources, with Values: textbook Examples 9.3.1 and 9.2.1, Exercise 9.6.4, and the
logistic least-squares model of lecture 004 (with and without L2). Expected numbers are closed forms
derived by hand (SPEC errata applied) and central finite differences of plain-float functions."""

from __future__ import annotations

import math

import pytest
from helpers import assert_close, assert_grad_matches_fd, build_sigma
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, topological_order

SQRT2 = math.sqrt(2.0)
E = math.exp(1.0 + SQRT2 / 2.0)  # t = e^(1 + sqrt(2)/2)
U = 1.0 + E  # u = w + t at w = 1


def sigma_float(x: float, y: float, z: float, w: float) -> float:
    return 1.0 / (w + math.exp(z + math.cos(y * x**2)))


# --------------------------------------------------------------------------- Example 9.3.1
@pytest.fixture
def sigma_graph():
    nodes = build_sigma()
    nodes["sigma"].backward()
    return nodes


FORWARD_9_35_9_36 = {
    "p": 0.25,
    "q": math.pi / 4,
    "r": SQRT2 / 2,
    "s": 1 + SQRT2 / 2,
    "t": E,
    "u": E + 1,
    "sigma": 1 / (E + 1),
}


@pytest.mark.parametrize("name", list(FORWARD_9_35_9_36))
def test_example_9_3_1_forward_values(sigma_graph, name):
    assert_close(sigma_graph[name].data, FORWARD_9_35_9_36[name], rtol=1e-14, atol=1e-16, what=name)


# Gradients of sigma with respect to every node, by hand:
#   dsigma/du = -1/u^2;  du/dt = 1;  dt/ds = e^s = E;  ds/dr = 1;  dr/dq = -sin q = -sqrt2/2;
#   dq/dp = y = pi;  dp/dx = 2x = 1;  dq/dy = p = 1/4;  ds/dz = 1;  du/dw = 1.
BACKWARD = {
    "sigma": 1.0,
    "u": -1 / U**2,
    "t": -1 / U**2,
    "w": -1 / U**2,
    "s": -E / U**2,
    "z": -E / U**2,
    "r": -E / U**2,
    "q": SQRT2 * E / (2 * U**2),
    "p": math.pi * SQRT2 * E / (2 * U**2),
    # SPEC errata: the textbook's (9.53)/(9.54) print half of this; this is the true value.
    "x": math.pi * SQRT2 * E / (2 * U**2),
    "y": SQRT2 * E / (8 * U**2),
}


@pytest.mark.parametrize("name", list(BACKWARD))
def test_example_9_3_1_gradient_of_every_node(sigma_graph, name):
    assert_close(sigma_graph[name].grad, BACKWARD[name], rtol=1e-13, atol=1e-16, what=f"dsigma/d{name}")


def test_example_9_3_1_input_gradient_matches_finite_differences(sigma_graph):
    point = [0.5, math.pi, 1.0, 1.0]
    grads = [sigma_graph[n].grad for n in "xyzw"]
    assert_grad_matches_fd(grads, sigma_float, point, what="sigma")


def test_example_9_3_1_sigma_x_is_not_the_misprinted_half(sigma_graph):
    misprint = math.pi * SQRT2 * E / (4 * U**2)
    assert sigma_graph["x"].grad == pytest.approx(2 * misprint, rel=1e-13)
    assert sigma_graph["x"].grad != pytest.approx(misprint, rel=1e-3)


def test_example_9_3_1_graph_shape(sigma_graph):
    order = topological_order(sigma_graph["sigma"])
    assert len(order) == 11  # 4 inputs + 7 operations, as in Fig. 9.2
    edges = sum(len(n.parents) for n in order)
    assert edges == 10  # the ten distinct local derivatives of step 6
    ops = {n.label: n.op for n in order}
    assert ops == {
        "x": "", "y": "", "z": "", "w": "", "p": "pow", "q": "mul", "r": "cos", "s": "add", "t": "exp",
        "u": "add", "sigma": "div",
    }
    assert sigma_graph["q"].parents == (sigma_graph["y"], sigma_graph["p"])
    assert sigma_graph["u"].parents == (sigma_graph["w"], sigma_graph["t"])


@given(
    x=st.floats(-2, 2, allow_nan=False),
    y=st.floats(-4, 4, allow_nan=False),
    z=st.floats(-2, 2, allow_nan=False),
    w=st.floats(0.1, 3, allow_nan=False),
)
def test_sigma_gradient_anywhere_matches_closed_form_and_fd(x, y, z, w):
    n = build_sigma(x, y, z, w)
    n["sigma"].backward()
    t = math.exp(z + math.cos(y * x * x))
    u = w + t
    ds = -t / u**2  # dsigma/ds
    dq = ds * -math.sin(y * x * x)
    expected = [dq * y * 2 * x, dq * x * x, ds, -1 / u**2]
    got = [n[k].grad for k in "xyzw"]
    for g, e, k in zip(got, expected, "xyzw"):
        assert_close(g, e, rtol=1e-12, atol=1e-15, what=f"dsigma/d{k}")
    assert_grad_matches_fd(got, sigma_float, [x, y, z, w], what="sigma")


# --------------------------------------------------------------------------- Example 9.2.1
def test_example_9_2_1_derivative_of_cos_of_exp_plus_2x_at_zero():
    x = Value(0.0)
    f = (x.exp() + 2 * x).cos()
    f.backward()
    assert_close(f.data, math.cos(1.0), rtol=1e-15, atol=0.0)
    assert_close(x.grad, -3 * math.sin(1.0), rtol=1e-15, atol=0.0, what="f'(0) = -3 sin 1")


@given(x=st.floats(-3, 3, allow_nan=False))
def test_example_9_2_1_everywhere(x):
    X = Value(x)
    f = (X.exp() + 2 * X).cos()
    f.backward()
    expected = -math.sin(math.exp(x) + 2 * x) * (math.exp(x) + 2)
    assert_close(X.grad, expected, rtol=1e-12, atol=1e-13)
    assert_grad_matches_fd([X.grad], lambda t: math.cos(math.exp(t) + 2 * t), [x], what="9.2.1")


# --------------------------------------------------------------------------- Exercise 9.6.4
def ex_9_6_4_float(x, y, z):
    return math.cos(x + 2 * math.sin(z + math.exp(-y)))


def ex_9_6_4_gradient(x, y, z):
    a = z + math.exp(-y)
    b = x + 2 * math.sin(a)
    fb = -math.sin(b)
    return [fb, fb * 2 * math.cos(a) * -math.exp(-y), fb * 2 * math.cos(a)]


@pytest.mark.parametrize("point", [(0.0, 0.0, 0.0), (1.0, -0.5, 2.0), (-2.0, 1.5, -1.0), (0.3, 2.0, 0.7)])
def test_exercise_9_6_4_gradient(point):
    x, y, z = (Value(v) for v in point)
    f = (x + 2 * (z + (-y).exp()).sin()).cos()
    f.backward()
    assert_close(f.data, ex_9_6_4_float(*point), rtol=1e-14, atol=1e-16)
    got = [x.grad, y.grad, z.grad]
    for g, e, name in zip(got, ex_9_6_4_gradient(*point), "xyz"):
        assert_close(g, e, rtol=1e-12, atol=1e-15, what=f"df/d{name} at {point}")
    assert_grad_matches_fd(got, ex_9_6_4_float, list(point), what="9.6.4")


def test_exercise_9_6_4_at_origin_by_hand():
    # a = 1, b = 2 sin 1: f_x = -sin(2 sin 1), f_z = -2 cos(1) sin(2 sin 1), f_y = -f_z
    x, y, z = Value(0.0), Value(0.0), Value(0.0)
    (x + 2 * (z + (-y).exp()).sin()).cos().backward()
    s = math.sin(2 * math.sin(1.0))
    assert_close(x.grad, -s, rtol=1e-14, atol=0.0)
    assert_close(z.grad, -2 * math.cos(1.0) * s, rtol=1e-14, atol=0.0)
    assert_close(y.grad, 2 * math.cos(1.0) * s, rtol=1e-14, atol=0.0)


# ----------------------------------------------------------------------- lecture 004: logistic least squares
DATA = [(-1.5, 0.0), (-0.2, 1.0), (0.4, 0.0), (1.1, 1.0), (2.3, 1.0)]


def _sig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def loss_float(w: float, b: float, lam: float) -> float:
    total = 0.0
    for x, t in DATA:
        total += 0.5 * (_sig(w * x + b) - t) ** 2
    return total / len(DATA) + lam * 0.5 * w * w


def loss_value(w: Value, b: Value, lam: float) -> Value:
    losses = []
    for x, t in DATA:
        z = w * x + b  # z = wx + b
        y = z.sigmoid()  # y = sigma(z)
        losses.append(0.5 * (y - t) ** 2)  # L = 1/2 (y - t)^2
    loss = sum(losses) / len(DATA)
    if lam:
        reg = 0.5 * w**2  # R = 1/2 w^2
        loss = loss + lam * reg  # L_reg = L + lambda R
    return loss


@pytest.mark.parametrize("lam", [0.0, 0.1, 2.0], ids=["no-L2", "L2=0.1", "L2=2"])
@pytest.mark.parametrize("w0, b0", [(0.5, -0.3), (-1.2, 0.8), (2.0, 0.0)])
def test_lecture_004_logistic_least_squares(lam, w0, b0):
    w, b = Value(w0, label="w"), Value(b0, label="b")
    loss = loss_value(w, b, lam)
    loss.backward()
    assert_close(loss.data, loss_float(w0, b0, lam), rtol=1e-14, atol=1e-16, what="loss")
    # closed form of the lecture: z_bar = (y - t) sigma'(z);
    # w_bar = mean(z_bar x) + lambda w; b_bar = mean(z_bar)
    zbars = [(_sig(w0 * x + b0) - t) * _sig(w0 * x + b0) * (1 - _sig(w0 * x + b0)) for x, t in DATA]
    dw = sum(zb * x for zb, (x, _) in zip(zbars, DATA)) / len(DATA) + lam * w0
    db = sum(zbars) / len(DATA)
    assert_close(w.grad, dw, rtol=1e-12, atol=1e-15, what="dL/dw")
    assert_close(b.grad, db, rtol=1e-12, atol=1e-15, what="dL/db")
    assert_grad_matches_fd([w.grad, b.grad], lambda a, c: loss_float(a, c, lam), [w0, b0], what="logistic")


def test_lecture_004_l2_term_adds_lambda_w():
    w1, b1 = Value(0.7), Value(0.2)
    loss_value(w1, b1, 0.0).backward()
    w2, b2 = Value(0.7), Value(0.2)
    loss_value(w2, b2, 0.5).backward()
    assert_close(w2.grad - w1.grad, 0.5 * 0.7, rtol=1e-12, atol=1e-15, what="lambda w")
    assert b2.grad == b1.grad
