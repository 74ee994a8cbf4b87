"""Conventions at the edges of abs and pow: what the gradient is at a kink (|x| at 0), at a non-finite
input or upstream gradient, at 0 ** 0 and the other special powers, and at every order of derivative of
``x ** n`` at x = 0.

References are calculus written out by hand and, where installed, PyTorch in float64.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograd import Tensor, Value, count_ops
from autograd.functional import grad, hessian

inf, nan = math.inf, math.nan


def same(got: float, expected: float, rtol: float = 0.0) -> bool:
    """Equal, both nan, or (with rtol) close; infinities must match exactly."""
    got, expected = float(got), float(expected)
    if math.isnan(expected) or math.isnan(got):
        return math.isnan(expected) and math.isnan(got)
    if math.isinf(expected) or math.isinf(got):
        return got == expected
    return abs(got - expected) <= rtol * abs(expected)


def same_with_sign(got: float, expected: float, rtol: float = 0.0) -> bool:
    """:func:`same`, and a zero must have the expected sign."""
    if float(expected) == 0.0 and float(got) == 0.0:
        return math.copysign(1.0, got) == math.copysign(1.0, expected)
    return same(got, expected, rtol)


def t64(x: float | list, requires_grad: bool = True) -> Tensor:
    return Tensor(np.array(x, dtype=np.float64), requires_grad=requires_grad)


def value_abs_grad(x: float, g: float) -> tuple[float, float]:
    v = Value(x)
    y = v.abs()
    y.backward(g)
    return y.data, v.grad


# ======================================================================================== 1. abs
ABS_POINTS = [0.0, -0.0, nan, inf, -inf, 2.0, -2.0]
UPSTREAMS = [1.0, -3.0, 0.0, nan, inf, -inf]


def sign_of(x: float) -> float:
    # the subgradient chosen at the kink and at nan is 0
    if x > 0:
        return 1.0
    if x < 0:
        return -1.0
    return 0.0


@pytest.mark.parametrize("x", ABS_POINTS)
@pytest.mark.parametrize("g", UPSTREAMS)
def test_value_abs_gradient_is_the_upstream_gradient_times_the_sign(x, g):
    # d|x|/dx = sign(x), with sign(0) = sign(nan) = 0; a nan or infinite upstream gradient times 0 is nan,
    # so it shows at the kink instead of disappearing
    value, got = value_abs_grad(x, g)
    assert same(value, abs(x))
    assert same(got, g * sign_of(x)), f"|x| at {x} with upstream {g}: got {got}"


def test_value_abs_does_not_hide_a_nan_gradient_at_zero():
    # the cases that a rule returning a literal 0 at the kink got wrong
    assert math.isnan(value_abs_grad(0.0, nan)[1])
    assert math.isnan(value_abs_grad(0.0, inf)[1])
    assert math.isnan(value_abs_grad(nan, nan)[1])
    # a nan reaching |x| through the graph, from 0 * inf further up
    x = Value(0.0)
    y = x.abs() * inf
    y.backward()
    assert math.isnan(x.grad)
    # finite upstream gradients keep the subgradient 0 at the kink
    assert value_abs_grad(0.0, 1.0) == (0.0, 0.0)
    assert value_abs_grad(nan, 1.0)[1] == 0.0


@pytest.mark.parametrize("which", ["value", "tensor"])
def test_abs_matches_torch_at_kinks_and_non_finite_points(which):
    torch = pytest.importorskip("torch")
    points = ABS_POINTS
    bad = []
    for x in points:
        for g in UPSTREAMS:
            ref_x = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            ref_y = ref_x.abs()
            ref_y.backward(torch.tensor(g, dtype=torch.float64))
            if which == "value":
                value, got = value_abs_grad(x, g)
            else:
                t = t64(x)
                y = abs(t)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # numpy warns of inf * 0
                    y.backward(np.array(g))
                value, got = y.item(), t.grad.item()
            if not (same(value, ref_y.item()) and same(got, ref_x.grad.item())):
                bad.append((x, g, (value, got), (ref_y.item(), ref_x.grad.item())))
    assert not bad, f"{which} abs differs from torch (x, g, ours, torch): {bad}"


# ======================================================================================== 2. pow on Values
def value_pow(a: float, b: float, g: float, form: str) -> tuple:
    """Value of a ** b and the gradients that exist in ``form``: "vv" Value ** Value, "vn" Value ** number,
    "nv" number ** Value."""
    if form == "vv":
        va, vb = Value(a), Value(b)
        y = va**vb
        y.backward(g)
        return y.data, va.grad, vb.grad
    if form == "vn":
        va = Value(a)
        y = va**b
        y.backward(g)
        return y.data, va.grad
    vb = Value(b)
    y = a**vb
    y.backward(g)
    return y.data, vb.grad


def test_value_negative_base_to_an_infinite_power_follows_c_pow():
    # |a| = 1 stays 1, |a| > 1 grows to inf and |a| < 1 shrinks to 0, whatever the sign of a
    assert (Value(-1.0) ** inf).data == 1.0
    assert (Value(-1.0) ** -inf).data == 1.0
    assert (Value(-1.0) ** Value(inf)).data == 1.0
    assert ((-1.0) ** Value(inf)).data == 1.0
    assert (Value(-2.0) ** inf).data == inf
    assert (Value(-2.0) ** -inf).data == 0.0
    assert (Value(-0.5) ** inf).data == 0.0
    assert (Value(-0.5) ** -inf).data == inf
    # (-inf) ** b: inf for b > 0 that is not an odd integer, as C's pow
    assert (Value(-inf) ** Value(0.5)).data == inf
    assert (Value(-inf) ** Value(3.0)).data == -inf
    assert (Value(-inf) ** Value(-1.0)).data == 0.0
    # a finite negative base to a finite non-integer power is still nan
    assert math.isnan((Value(-8.0) ** (1 / 3)).data)


def test_value_gradients_of_minus_one_to_the_inf():
    # d/da a**b = b a**(b-1) = inf * (-1)**inf = inf; d/db = a**b log a = 1 * log(-1) = nan
    value, ga, gb = value_pow(-1.0, inf, 1.0, "vv")
    assert (value, ga) == (1.0, inf) and math.isnan(gb)
    assert value_pow(-1.0, inf, 1.0, "vn") == (1.0, inf)
    value, gb = value_pow(-1.0, inf, 1.0, "nv")
    assert value == 1.0 and math.isnan(gb)


def test_value_zero_to_the_zero_and_a_nan_upstream_gradient():
    # d/da a**0 is the constant 0: nothing reaches the base, not even a nan
    assert value_pow(0.0, 0.0, nan, "vn") == (1.0, 0.0)
    _, ga, gb = value_pow(0.0, 0.0, nan, "vv")
    assert ga == 0.0
    # d/db 0**b is 0 for b >= 0, and nan times 0 is nan
    assert math.isnan(gb)
    assert math.isnan(value_pow(0.0, 0.0, nan, "nv")[1])
    assert math.isnan(value_pow(0.0, 2.0, nan, "nv")[1])
    assert value_pow(0.0, 0.0, 1.0, "vv") == (1.0, 0.0, 0.0)
    # x ** 0 at other special bases: 1, with derivative 0
    for a in (inf, -inf, nan, -2.0):
        assert value_pow(a, 0.0, 1.0, "vn") == (1.0, 0.0)


def test_value_zero_to_a_negative_power():
    # 0 ** b for b < 0 is inf; d/da = b 0**(b-1) = -inf; d/db = inf * log(0) = -inf
    for b in (-1.0, -2.0, -0.5, -inf):
        value, ga, gb = value_pow(0.0, b, 1.0, "vv")
        assert (value, ga, gb) == (inf, -inf, -inf), b
        assert value_pow(0.0, b, 1.0, "nv") == (inf, -inf), b
    # an odd negative power of -0.0 keeps the sign: -inf, and d/db = -inf * log(0) = inf
    assert value_pow(-0.0, -1.0, 1.0, "vv") == (-inf, -inf, inf)
    # a nan exponent makes the exponent's gradient nan at a zero base
    value, ga, gb = value_pow(0.0, nan, 1.0, "vv")
    assert math.isnan(value) and math.isnan(gb)


def test_value_one_to_the_nan():
    # 1 ** b = 1 for every b (C's pow); d/db = 1 * log(1) = 0; d/da = nan * 1 ** nan = nan
    value, ga, gb = value_pow(1.0, nan, 1.0, "vv")
    assert value == 1.0 and math.isnan(ga) and gb == 0.0
    assert value_pow(1.0, nan, 1.0, "nv") == (1.0, 0.0)


def test_value_negative_base_to_a_non_integer_power_has_nan_gradients():
    value, ga, gb = value_pow(-2.0, 0.5, 1.0, "vv")
    assert math.isnan(value) and math.isnan(ga) and math.isnan(gb)


def test_value_to_the_power_one_half_is_a_square_root():
    # with a number as the exponent, x ** 0.5 is sqrt(x) and x ** -0.5 is 1 / sqrt(x), signed zeros and all
    assert same_with_sign((Value(-0.0) ** 0.5).data, -0.0)
    assert same_with_sign((Value(-0.0) ** 0.5).data, Value(-0.0).sqrt().data)
    assert math.isnan((Value(-inf) ** 0.5).data)
    assert (Value(-0.0) ** -0.5).data == -inf
    assert math.isnan((Value(-inf) ** -0.5).data)
    assert (Value(0.0) ** -0.5).data == inf and (Value(inf) ** -0.5).data == 0.0
    assert (Value(4.0) ** 0.5).data == 2.0 and (Value(4.0) ** -0.5).data == 0.5
    # d/dx x ** 0.5 = 0.5 x ** -0.5: -inf at -0.0
    assert value_pow(-0.0, 0.5, 1.0, "vn") == (-0.0, -inf)


PAIR_BASES = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, inf, -inf, nan]
PAIR_EXPONENTS = [0.0, -0.0, 1.0, -1.0, 2.0, 3.0, 4.0, -2.0, -3.0, 0.5, -0.5, 1.5, -1.5, 1 / 3, inf, -inf,
                  nan]


def torch_pow(torch, a: float, b: float, g: float, form: str) -> tuple:
    """PyTorch's value and gradients of a ** b in float64 for the same three forms as :func:`value_pow`
    ("n" is a Python number, which PyTorch treats apart from a tensor)."""
    seed = torch.tensor(g, dtype=torch.float64)
    ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    if form in ("vv", "tt"):
        y = ta**tb
        y.backward(seed)
        return y.item(), ta.grad.item(), tb.grad.item()
    if form in ("vn", "tn"):
        y = torch.pow(ta, b)
        y.backward(seed)
        return y.item(), ta.grad.item()
    y = torch.pow(a, tb)
    y.backward(seed)
    return y.item(), tb.grad.item()


# PyTorch's square root on some builds is one unit in the last place away from the correctly rounded one
_ULPS = 1e-15


@pytest.mark.parametrize("form", ["vv", "vn", "nv"])
def test_value_pow_matches_torch_on_special_values(form):
    torch = pytest.importorskip("torch")
    bad = []
    for a in PAIR_BASES:
        for b in PAIR_EXPONENTS:
            for g in (1.0, nan):
                ours = value_pow(a, b, g, form)
                ref = torch_pow(torch, a, b, g, form)
                # the forward value keeps the sign of a zero; a Value's gradient, summed onto the leaf's 0.0,
                # cannot hold -0.0
                ok = same_with_sign(ours[0], ref[0], _ULPS) and all(
                    same(o, r, _ULPS) for o, r in zip(ours[1:], ref[1:]))
                if not ok:
                    bad.append((a, b, g, ours, ref))
    assert not bad, f"Value pow ({form}) differs from torch (a, b, g, ours, torch): {bad[:10]} ({len(bad)})"


# ======================================================================================== 3. pow on Tensors
def tensor_pow(a: float, b: float, g: float, form: str) -> tuple:
    seed = np.array(g)
    if form == "tt":
        ta, tb = t64(a), t64(b)
        y = ta**tb
        y.backward(seed)
        return y.item(), ta.grad.item(), tb.grad.item()
    if form == "tn":
        ta = t64(a)
        y = ta**b
        y.backward(seed)
        return y.item(), ta.grad.item()
    tb = t64(b)
    y = a**tb
    y.backward(seed)
    return y.item(), tb.grad.item()


@pytest.mark.parametrize("form", ["tt", "tn", "nt"])
def test_tensor_pow_first_derivatives_match_torch_on_special_values(form):
    torch = pytest.importorskip("torch")
    bad = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a in PAIR_BASES:
            for b in PAIR_EXPONENTS:
                for g in (1.0, nan):
                    ours = tensor_pow(a, b, g, form)
                    ref = torch_pow(torch, a, b, g, form)
                    if not all(same(o, r, _ULPS) for o, r in zip(ours, ref)):
                        bad.append((a, b, g, ours, ref))
    assert not bad, f"Tensor pow ({form}) differs from torch (a, b, g, ours, torch): {bad[:10]} ({len(bad)})"


def test_tensor_pow_derivative_at_exponent_zero_stops_a_nan():
    # d/da a**0 is the constant 0, whatever reaches it: with a number, a 0-d or a full tensor as exponent
    for exponent in (0, np.array(0.0), t64(0.0, False), t64([0.0, 0.0, 0.0], False)):
        x = t64([0.0, 2.0, nan])
        (x**exponent).backward(np.full(3, nan))
        np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])
    # an elementwise exponent: 0 where it is 0, b a**(b-1) elsewhere
    x = t64([3.0, 3.0, 3.0])
    (x ** np.array([0.0, 1.0, 2.0])).backward(np.array([nan, 1.0, 1.0]))
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0, 6.0])


def test_tensor_pow_exponent_derivative_at_a_zero_base():
    # d/db a**b = a**b log a: 0 at a = 0 for b >= 0, inf * log 0 = -inf for b < 0, nan for b = nan
    a = t64([0.0, 0.0, 0.0, 0.0, -0.0], False)
    b = t64([0.0, 2.0, -1.0, nan, -1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (a**b).backward(np.ones(5))
    got = b.grad.numpy()
    np.testing.assert_array_equal(got[:3], [0.0, 0.0, -inf])
    assert math.isnan(got[3])
    assert got[4] == inf  # (-0.0) ** -1 = -inf, times log(0) = -inf


def test_tensor_pow_recorded_rule_agrees_with_the_array_rule():
    # an operation counter runs the rules written with Tensor operations; they must give what the numpy
    # rules give
    def grads(count: bool) -> tuple:
        a, b = t64([0.0, 0.0, 2.0, -1.5]), t64([0.0, -1.0, 2.0, 3.0])
        x = t64([0.0, 1.0, -2.0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if count:
                with count_ops():
                    (a**b).backward(np.ones(4))
                    (x**0).backward(np.full(3, nan))
            else:
                (a**b).backward(np.ones(4))
                (x**0).backward(np.full(3, nan))
        return a.grad.numpy(), b.grad.numpy(), x.grad.numpy()

    for got, expected in zip(grads(True), grads(False)):
        np.testing.assert_array_equal(got, expected)


def derivatives_at(f, x0: float, orders: int) -> list[float]:
    """f'(x0), f''(x0), ... by differentiating the recorded gradient again."""
    out = []
    fn = f
    for _ in range(orders):
        fn = grad(fn, create_graph=True)
        out.append(fn(t64(x0)).item())
    return out


def falling_power_at(n: int, k: int, x: float) -> float:
    """d^k/dx^k x**n for an integer n >= 0, by hand: n (n-1) ... (n-k+1) x**(n-k), with 0**0 = 1."""
    if k > n:
        return 0.0
    coefficient = math.prod(range(n - k + 1, n + 1))
    return coefficient * (1.0 if n == k else x ** (n - k))


@pytest.mark.parametrize("n", [0, 1, 2, 3])
@pytest.mark.parametrize("x0", [0.0, -0.0, 1.5, -2.0])
def test_tensor_higher_derivatives_of_x_to_a_whole_number(n, x0):
    # d/dx x**1 = 1 and d2/dx2 x**1 = 0 everywhere; every derivative of x**0 is 0; finite at 0 for all n
    got = derivatives_at(lambda x: x**n, x0, 4)
    expected = [falling_power_at(n, k, x0) for k in range(1, 5)]
    assert all(same(g, e) for g, e in zip(got, expected)), f"x**{n} at {x0}: got {got}, expected {expected}"


def test_tensor_hessian_of_whole_powers_at_zero():
    x = np.array([0.0, 1.5, -2.0])
    for n in range(4):
        h = hessian(lambda t, n=n: (t**n).sum(), t64(x, False)).numpy()
        expected = np.diag([falling_power_at(n, 2, float(v)) for v in x])
        np.testing.assert_array_equal(h, expected, err_msg=f"hessian of sum(x**{n})")


def test_tensor_higher_derivatives_of_a_general_power_are_unchanged():
    # x**2.5: 2.5 x**1.5, 3.75 x**0.5, 1.875 x**-0.5
    x0 = 1.7
    got = derivatives_at(lambda x: x**2.5, x0, 3)
    expected = [2.5 * x0**1.5, 3.75 * x0**0.5, 1.875 * x0**-0.5]
    np.testing.assert_allclose(got, expected, rtol=1e-13)
    # with a float exponent and x = 0: 0, then infinities of alternating sign, as calculus says
    got = derivatives_at(lambda x: x**0.5, 0.0, 2)
    assert got == [inf, -inf]


def test_tensor_derivative_of_x_to_the_zero_keeps_the_dtype_and_shape():
    x = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    (x**0).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.shape == (2, 3)
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))
    x.grad = None
    (x**0).sum().backward(create_graph=True)
    assert x.grad.dtype == np.float32 and x.grad.shape == (2, 3)
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))


def torch_derivatives(torch, x0: float, exponent, orders: int) -> list[float]:
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = x**exponent
    out = []
    for _ in range(orders):
        if not y.requires_grad:  # a constant derivative: every later one is 0
            out.append(0.0)
            continue
        (y,) = torch.autograd.grad(y, x, create_graph=True)
        out.append(y.item())
    return out


@pytest.mark.parametrize("n", [0, 1, 2, 3, 0.5, -1, 2.5])
def test_tensor_higher_derivatives_with_a_number_exponent_match_torch(n):
    torch = pytest.importorskip("torch")
    for x0 in (0.0, 2.0, -1.5):
        got = derivatives_at(lambda x: x**n, x0, 3)
        ref = torch_derivatives(torch, x0, n, 3)
        assert all(same(g, r, 1e-14) for g, r in zip(got, ref)), f"x**{n} at {x0}: {got} vs torch {ref}"


@pytest.mark.parametrize("n", [0.0, 1.0, 2.0, 3.0])
def test_tensor_higher_derivatives_with_a_tensor_exponent_match_torch(n):
    # a tensor exponent masks the exponent 0 with where, as PyTorch does; its derivatives at 0 are those
    # PyTorch gives (nan included, from 0 * inf in the masked-off branch)
    torch = pytest.importorskip("torch")
    for x0 in (0.0, 2.0):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = derivatives_at(lambda x: x ** t64(n, False), x0, 3)
        ref = torch_derivatives(torch, x0, torch.tensor(n, dtype=torch.float64), 3)
        assert all(same(g, r) for g, r in zip(got, ref)), f"x**tensor({n}) at {x0}: {got} vs torch {ref}"
