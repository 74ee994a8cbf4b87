"""The module-level functions autograd.exp, log, sin, ... on Values and on plain numbers.

On a Value each one must record the same node as the method of the same name (same data, same
gradient, same op); on a number it returns a Python float with the same domain rules."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import assert_close, assert_grad_matches_fd
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value


def reals(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def away_from_zero(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.builds(lambda m, neg: -m if neg else m, reals(lo, hi), st.booleans())


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# name, plain-float reference, closed-form derivative, domain
FUNCTIONS = [
    ("exp", math.exp, math.exp, reals(-20, 20)),
    ("log", math.log, lambda x: 1.0 / x, reals(0.01, 1000)),
    ("sin", math.sin, math.cos, reals(-10, 10)),
    ("cos", math.cos, lambda x: -math.sin(x), reals(-10, 10)),
    ("tan", math.tan, lambda x: 1.0 / math.cos(x) ** 2, reals(-1.3, 1.3)),
    ("tanh", math.tanh, lambda x: 1.0 / math.cosh(x) ** 2, reals(-5, 5)),
    ("sigmoid", _sigmoid, lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)), reals(-10, 10)),
    ("relu", lambda x: max(x, 0.0), lambda x: 1.0 if x > 0 else 0.0, away_from_zero(1e-3, 100)),
    (
        "leaky_relu",
        lambda x: x if x > 0 else 0.01 * x,
        lambda x: 1.0 if x > 0 else 0.01,
        away_from_zero(1e-3, 100),
    ),
    ("abs", abs, lambda x: math.copysign(1.0, x), away_from_zero(1e-3, 100)),
    ("sqrt", math.sqrt, lambda x: 0.5 / math.sqrt(x), reals(0.01, 1000)),
    ("softplus", lambda x: math.log1p(math.exp(x)), _sigmoid, reals(-30, 30)),
]
NAMES = [f[0] for f in FUNCTIONS]


def test_every_function_is_exported():
    for name in NAMES:
        assert callable(getattr(autograd, name)), name
        assert name in autograd.__all__


@pytest.mark.parametrize("name, ref, deriv, domain", FUNCTIONS, ids=NAMES)
@given(data=st.data())
def test_function_on_value_matches_method_closed_form_and_fd(name, ref, deriv, domain, data):
    x = data.draw(domain, label="x")
    fn = getattr(autograd, name)
    a = Value(x)
    y = fn(a)
    y.backward()
    b = Value(x)
    z = getattr(b, name)()
    z.backward()
    assert isinstance(y, Value)
    assert y.parents == (a,)
    assert y.op == z.op
    assert y.data == z.data and a.grad == b.grad  # bitwise the same node as the method
    assert_close(y.data, ref(x), rtol=1e-12, atol=1e-300, what=f"{name}({x})")
    assert_close(a.grad, deriv(x), rtol=1e-9, atol=1e-300, what=f"{name}'({x})")
    assert_grad_matches_fd([a.grad], ref, [x], what=name)


@pytest.mark.parametrize("name, ref, deriv, domain", FUNCTIONS, ids=NAMES)
@given(data=st.data())
def test_function_on_number_returns_float(name, ref, deriv, domain, data):
    x = data.draw(domain, label="x")
    fn = getattr(autograd, name)
    for arg in (x, np.float64(x)):
        out = fn(arg)
        assert type(out) is float
        assert_close(out, ref(x), rtol=1e-12, atol=1e-300, what=f"{name}({x!r})")


def test_functions_on_ints():
    assert autograd.exp(0) == 1.0 and type(autograd.exp(0)) is float
    assert autograd.log(1) == 0.0
    assert autograd.sqrt(9) == 3.0
    assert autograd.abs(-3) == 3.0
    assert autograd.relu(-3) == 0.0
    assert autograd.sigmoid(0) == 0.5
    assert autograd.cos(np.int64(0)) == 1.0


def test_leaky_relu_slope():
    x = Value(-2.0)
    y = autograd.leaky_relu(x, 0.2)
    y.backward()
    assert y.data == pytest.approx(-0.4, rel=1e-15)
    assert x.grad == 0.2
    x = Value(0.0)
    autograd.leaky_relu(x, negative_slope=0.3).backward()
    assert x.grad == 0.3
    assert autograd.leaky_relu(-4.0, 0.5) == -2.0
    with pytest.raises(TypeError, match="leaky_relu"):
        autograd.leaky_relu(Value(1.0), "a")


def test_kinks_at_zero():
    for name, expected in (("relu", 0.0), ("leaky_relu", 0.01), ("abs", 0.0)):
        x = Value(0.0)
        getattr(autograd, name)(x).backward()
        assert x.grad == expected, name


def test_domain_rules_on_numbers():
    assert math.isnan(autograd.log(-1.0))
    assert autograd.log(0.0) == -math.inf
    assert math.isnan(autograd.sqrt(-1.0))
    assert autograd.exp(1000.0) == math.inf
    assert autograd.softplus(1000.0) == 1000.0
    assert autograd.softplus(-1000.0) == 0.0
    for name in ("sin", "cos", "tan"):
        assert math.isnan(getattr(autograd, name)(math.inf)), name


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "abs", "tanh", "sigmoid", "exp"])
def test_nan_gives_nan_for_numbers_values_and_tensors_alike(name):
    fn = getattr(autograd, name)
    assert math.isnan(fn(math.nan)), name
    assert math.isnan(fn(Value(math.nan)).data), name
    assert math.isnan(fn(autograd.tensor([math.nan])).item()), name


def test_domain_rules_on_values():
    assert math.isnan(autograd.log(Value(-1.0)).data)
    assert autograd.log(Value(0.0)).data == -math.inf
    assert math.isnan(autograd.sqrt(Value(-1.0)).data)
    x = Value(1000.0)
    y = autograd.exp(x)
    y.backward()
    assert (y.data, x.grad) == (math.inf, math.inf)
    x = Value(1000.0)
    y = autograd.softplus(x)
    y.backward()
    assert (y.data, x.grad) == (1000.0, 1.0)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", ["a", None, [1.0], True])
def test_functions_reject_non_numbers_naming_themselves(name, bad):
    with pytest.raises(TypeError, match=name):
        getattr(autograd, name)(bad)


def test_composition_example_9_2_1():
    x = Value(0.0)
    f = autograd.cos(autograd.exp(x) + 2 * x)
    f.backward()
    assert_close(x.grad, -3 * math.sin(1.0), rtol=1e-15, atol=0.0)


def test_zero_grad_resets_only_the_given_nodes():
    a, b, c = Value(2.0), Value(3.0), Value(4.0)
    m = a * b
    (m * c).backward()
    autograd.zero_grad(a, [b])
    assert (a.grad, b.grad) == (0.0, 0.0)
    assert c.grad == 6.0 and m.grad == 4.0
