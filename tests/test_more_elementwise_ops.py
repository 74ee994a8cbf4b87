"""The elementwise functions beyond the core set: unary math and activations (log1p ... hardtanh), rounding
(floor, ceil, round, trunc, frac), the two-operand functions (atan2, hypot, logaddexp, remainder, fmod,
floor_divide and the operators // and %), the predicates isnan ... isneginf, nan_to_num, the logical
connectives and the reductions all and any.

For each: gradients against finite differences (gradcheck, gradgradcheck) on hypothesis-drawn shapes and
values inside the domain (broadcast pairs for two operands), the forward against numpy in float32 and
float64, result dtypes against numpy's and PyTorch's rules, values and gradients (first and second)
against PyTorch in float64, edge points (infinities, nan, the ends of domains) against PyTorch, and
clear errors for what PyTorch refuses. Cases live in more_elementwise_cases.py; references are numpy,
``math`` or PyTorch, never the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from more_elementwise_cases import (
    ALIASES,
    BINARY,
    BINARY_IDS,
    CONNECTIVES,
    DIFFERENTIABLE,
    DIFFERENTIABLE_IDS,
    FLOOR_DIVIDE,
    NOT_FOR_DECIMALS,
    PREDICATES,
    ROUNDING,
    UNARY,
    UNARY_IDS,
)
from tensor_cases import SMALL_SHAPES, floats_in, int_values, values

import autograd
from autograd import Tensor, Value, gradcheck, gradgradcheck, no_grad

FAST = settings(max_examples=15, deadline=None)
FASTER = settings(max_examples=8, deadline=None)
BROADCAST_PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)
INT_DTYPES = [np.bool_, np.int8, np.uint8, np.int32, np.int64]
SPECIAL = np.array([-np.inf, -800.0, -50.0, -2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.0, 50.0, 800.0, np.inf,
                    np.nan])


def t64(a, requires_grad=False):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def _torch():
    return pytest.importorskip("torch")


def _grads(fn, inputs, seed):
    """The output of ``fn`` at float64 copies of ``inputs``, the gradients for the cotangent ``seed``, and
    the gradients of the sum of those (second derivatives), with autograd."""
    xs = [t64(a, True) for a in inputs]
    y = fn(*xs)
    y.backward(seed, create_graph=True)
    first = [x.grad for x in xs]
    for x in xs:
        x.grad = None
    recorded = [g for g in first if g.requires_grad]
    if recorded:
        sum(g.sum() for g in recorded).backward()
    second = [np.zeros(np.shape(a)) if x.grad is None else x.grad.numpy() for x, a in zip(xs, inputs)]
    return y.numpy(), [g.numpy() for g in first], second


def _torch_grads(torch, fn, inputs, seed):
    """The same with PyTorch."""
    xs = [torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in inputs]
    y = fn(*xs)
    first = torch.autograd.grad(y, xs, torch.tensor(seed), create_graph=True)
    recorded = [g for g in first if g.requires_grad]
    second = [torch.zeros_like(x) for x in xs]
    if recorded:
        got = torch.autograd.grad(sum(g.sum() for g in recorded), xs, allow_unused=True)
        second = [s if g is None else g for s, g in zip(second, got)]
    return (y.detach().numpy(), [g.detach().numpy() for g in first], [s.detach().numpy() for s in second])


def _assert_matches_torch(ours, theirs, rtol=1e-10, atol=1e-12):
    for what, a, b in zip(("forward", "gradient", "second derivative"), ours, theirs):
        for i, (x, y) in enumerate(zip(*(([a], [b]) if what == "forward" else (a, b)))):
            np.testing.assert_allclose(x, y, rtol=rtol, atol=atol, equal_nan=True, err_msg=f"{what} {i}")


def _away_from_kinks(case, x):
    for k in case.kinks:
        x = np.where(np.abs(x - k) < 0.05, k + 0.1, x)
    return x


def _assert_forward_matches_numpy(case, dtype, rtol):
    """The case's op on floats of ``dtype`` away from its kinks: numpy's values (in float64) within
    ``rtol``, the input's dtype and shape, and the same result from the Tensor method."""
    x = _away_from_kinks(case, np.random.default_rng(0).uniform(case.lo, case.hi, size=(4, 5))).astype(dtype)
    y = case.op(Tensor(x))
    assert type(y) is Tensor and y.dtype == dtype and y.shape == x.shape
    np.testing.assert_allclose(y.numpy(), case.ref(x.astype(np.float64)), rtol=rtol, atol=rtol)
    np.testing.assert_array_equal(case.method(Tensor(x)).numpy(), y.numpy())  # the method is the function


def _assert_float32_matches_torch(case, grad_rtol, grad_atol):
    """The case's op and its gradient in float32 against PyTorch's in float32: float32 results, values
    within 1e-5 and gradients within the tolerances given."""
    torch = _torch()
    x = _away_from_kinks(case, np.random.default_rng(5).uniform(case.lo, case.hi, size=7)).astype(np.float32)
    ours = Tensor(x.copy(), requires_grad=True)
    y = case.op(ours)
    y.backward(np.ones(7, dtype=np.float32))
    theirs = torch.tensor(x, requires_grad=True)
    ty = case.torch_op(theirs)
    ty.backward(torch.ones(7))
    assert y.dtype == np.float32 and ours.grad.dtype == np.float32
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=grad_rtol, atol=grad_atol)


# ============================================================================ one operand
@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=DIFFERENTIABLE_IDS)
@FAST
@given(data=st.data())
def test_unary_gradcheck(case, data):
    shape = data.draw(SMALL_SHAPES, label="shape")
    x = data.draw(values(case.as_unary_case(), shape), label="x")
    assert gradcheck(case.op, [x])


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=DIFFERENTIABLE_IDS)
@FASTER
@given(data=st.data())
def test_unary_gradgradcheck(case, data):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), label="shape")
    x = data.draw(values(case.as_unary_case(), shape), label="x")
    assert gradgradcheck(case.op, [x])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", UNARY, ids=UNARY_IDS)
def test_unary_forward_matches_numpy_and_keeps_the_float_dtype(case, dtype):
    _assert_forward_matches_numpy(case, dtype, rtol=1e-5 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("case", UNARY, ids=UNARY_IDS)
def test_unary_values_and_first_and_second_derivatives_match_torch(case):
    torch = _torch()
    rng = np.random.default_rng(4)
    x = _away_from_kinks(case, rng.uniform(case.lo, case.hi, size=(3, 4)))
    g = rng.standard_normal((3, 4))
    _assert_matches_torch(_grads(case.op, [x], g), _torch_grads(torch, case.torch_op, [x], g))


@pytest.mark.parametrize("case", UNARY, ids=UNARY_IDS)
def test_unary_float32_values_and_gradients_match_torch_in_float32(case):
    _assert_float32_matches_torch(case, grad_rtol=1e-4, grad_atol=1e-5)


@pytest.mark.parametrize("case", UNARY, ids=UNARY_IDS)
def test_unary_at_infinities_nan_and_domain_ends_matches_torch(case):
    torch = _torch()
    x = Tensor(SPECIAL.copy(), requires_grad=True)
    y = case.op(x)
    y.backward(np.ones_like(SPECIAL))
    tx = torch.tensor(SPECIAL, requires_grad=True)
    ty = case.torch_op(tx)
    ty.backward(torch.ones_like(tx))
    expected = tx.grad.numpy().copy()
    if case.name == "softsign":
        # d/dx x / (1 + |x|) = 1 / (1 + |x|)**2 tends to 0 at ±inf; PyTorch, which differentiates the
        # quotient, gives inf / inf there
        assert np.isnan(expected[np.isinf(SPECIAL)]).all()
        expected[np.isinf(SPECIAL)] = 0.0
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12, atol=0, equal_nan=True)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12, atol=0, equal_nan=True)


@pytest.mark.parametrize("dtype", INT_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("case", UNARY, ids=UNARY_IDS)
def test_unary_of_integers_and_booleans(case, dtype):
    x = int_values(dtype)
    refused = (dtype is np.bool_ and (case.name in ROUNDING or case.name == "hardtanh")
               or case.name == "frac" or case.id in NOT_FOR_DECIMALS)
    if refused:  # as PyTorch refuses them
        with pytest.raises(TypeError, match=f"^{case.name}: got .*dtype {np.dtype(dtype).name}"):
            case.op(Tensor(x))
        return
    out = case.op(Tensor(x))
    if case.keeps_integers:  # an integer's floor, square, ... is an integer (PyTorch's and numpy's rule)
        expected_dtype = x.dtype if dtype is not np.bool_ else np.dtype(np.int64 if case.name == "square"
                                                                        else np.bool_)
        with np.errstate(all="ignore"):
            expected = np.trunc(case.ref(x.astype(np.float64)))  # hardtanh truncates its bounds as PyTorch
    else:  # the float dtype np.exp gives, as for exp, sigmoid and gelu
        expected_dtype = np.exp(x).dtype
        with np.errstate(all="ignore"):  # log1p(-3) is nan
            expected = case.ref(x.astype(np.float64))
    assert out.dtype == expected_dtype
    rtol = 2e-3 if expected_dtype == np.float16 else 1e-6
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(out.numpy().astype(np.float64), expected, rtol=rtol, atol=rtol,
                                   equal_nan=True)


@pytest.mark.parametrize("case", UNARY, ids=UNARY_IDS)
def test_unary_of_int64_and_bool_against_torch(case):
    torch = _torch()
    for x in (np.array([-3, -1, 0, 1, 2]), np.array([True, False])):
        ours_raise = theirs_raise = None
        try:
            ours = case.op(Tensor(x))
        except TypeError as exc:
            ours_raise = exc
        try:
            theirs = case.torch_op(torch.tensor(x))
        except (RuntimeError, TypeError, NotImplementedError) as exc:
            theirs_raise = exc
        if ours_raise is not None:
            assert theirs_raise is not None, f"{case.id}: refused {x.dtype} that PyTorch takes"
            continue
        if theirs_raise is not None:  # PyTorch refuses integers for silu, mish, ...; chaingrad gives floats
            assert case.name in ("silu", "mish", "logsigmoid", "softsign") and ours.dtype.kind == "f"
            continue
        if theirs.dtype.is_floating_point:  # PyTorch gives float32, chaingrad numpy's float dtype
            assert ours.dtype == np.exp(x).dtype
        else:
            assert ours.dtype == np.dtype(str(theirs.dtype).replace("torch.", ""))
        rtol = 2e-3 if ours.dtype == np.float16 else 1e-6
        np.testing.assert_allclose(ours.numpy().astype(np.float64), theirs.double().numpy(), rtol=rtol,
                                   atol=rtol, equal_nan=True)


def test_sinc_second_derivative_at_zero_is_its_closed_form():
    # sinc(x) = 1 - (pi x)**2 / 6 + ...: sinc'(0) = 0, sinc''(0) = -pi**2 / 3 (PyTorch gives nan there)
    x = t64([0.0, 0.5], True)
    x.sinc().sum().backward(create_graph=True)
    first = x.grad
    x.grad = None
    first.sum().backward()
    np.testing.assert_allclose(first.numpy()[0], 0.0, atol=0)
    h = 1e-4  # the second derivative at 0.5 by central differences of the first, in closed form
    d = lambda v: (math.cos(math.pi * v) - math.sin(math.pi * v) / (math.pi * v)) / v
    np.testing.assert_allclose(x.grad.numpy(), [-math.pi ** 2 / 3, (d(0.5 + h) - d(0.5 - h)) / (2 * h)],
                               rtol=1e-7)
    assert gradgradcheck(lambda t: t.sinc(), [np.array([0.0, -0.0, 1e-3])])


def test_logsigmoid_silu_mish_are_finite_for_huge_inputs():
    x = t64([-800.0, -40.0, 40.0, 800.0], True)
    (x.logsigmoid() + x.silu() + x.mish()).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    # log sigmoid(x) = -log(1 + e**-x): -e**-40 to double precision at 40, and x at -800
    np.testing.assert_allclose(x.logsigmoid().numpy(), [-800.0, -40.0 - math.log1p(math.exp(-40.0)),
                                                        -math.exp(-40.0), 0.0], rtol=1e-14, atol=0)
    z = t64([40.0], True)
    z.logsigmoid().backward()  # 1 - sigmoid(40) = e**-40 / (1 + e**-40), not 0
    np.testing.assert_allclose(z.grad.numpy(), [math.exp(-40.0) / (1 + math.exp(-40.0))], rtol=1e-12)


def test_hardtanh_gradient_is_zero_at_its_bounds_unlike_clamp():
    torch = _torch()
    values = [-2.0, -1.0, 0.25, 1.0, 2.0, np.nan]
    x = t64(values, True)
    x.hardtanh().sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 1.0, 0.0, 0.0, 1.0])  # a nan passes it on
    x.grad = None
    x.clamp(-1.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0, 1.0, 1.0, 0.0, 0.0])
    for ours, theirs in ((autograd.hardtanh, torch.nn.functional.hardtanh), (autograd.clamp, torch.clamp)):
        x, p = t64(values, True), torch.tensor(values, requires_grad=True)
        ours(x, -1.0, 1.0).sum().backward()
        theirs(p, -1.0, 1.0).sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), p.grad.numpy())


def test_hardtanh_errors():
    with pytest.raises(ValueError, match=r"^hardtanh: got min_val=2\.0 > max_val=1\.0"):
        t64([1.0]).hardtanh(2.0, 1.0)
    with pytest.raises(TypeError, match=r"^hardtanh: got max_val of type NoneType \(None\); expected a real"):
        autograd.hardtanh(t64([1.0]), 0.0, None)
    with pytest.raises(TypeError, match=r"^hardtanh: got min_val of type Tensor \(dtype float64, "
                                        r"shape \(\)\)"):
        autograd.hardtanh(t64([1.0]), t64(0.0))
    np.testing.assert_array_equal(t64([0.5, 3.0]).hardtanh(2.0, 2.0).numpy(), [2.0, 2.0])  # min == max


@pytest.mark.parametrize("decimals", [-3, -1, 1, 2, 4])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_with_decimals_matches_numpy_and_torch(decimals, dtype):
    x = (np.random.default_rng(decimals + 10).uniform(-2000, 2000, 50).astype(dtype)
         * 10.0 ** -max(decimals, 0)).astype(dtype)
    x = np.concatenate([x, np.array([0.125, 2.5, -0.5, 1.25, np.inf, np.nan, 1e300 if dtype == np.float64
                                     else 3e38], dtype=dtype)])
    out = autograd.round(Tensor(x), decimals=decimals)
    assert out.dtype == dtype
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(out.numpy(), np.round(x, decimals))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out.numpy(), torch.round(torch.tensor(x), decimals=decimals).numpy())


def test_round_and_rounding_errors():
    with pytest.raises(TypeError, match=r"^round: got decimals of type float \(1\.0\); expected an int"):
        t64([1.0]).round(decimals=1.0)
    with pytest.raises(TypeError, match=r"takes 1 positional argument"):  # keyword-only, as in PyTorch
        autograd.round(t64([1.0]), 1)
    with pytest.raises(TypeError, match=r"^round: got a tensor of dtype int64 with decimals=1; expected a "
                                        r"floating-point tensor"):
        autograd.round(Tensor([1, 2]), decimals=1)
    for name in ("floor", "ceil", "round", "trunc", "frac"):
        with pytest.raises(TypeError, match=rf"^{name}: got a tensor of dtype bool; expected"):
            getattr(autograd, name)(Tensor([True, False]))


def test_rounding_gradients_are_zero_even_for_a_nan_from_above_and_frac_passes_it_on():
    torch = _torch()
    x = np.array([0.3, -1.7, 2.5])
    seed = np.array([np.nan, 1.0, np.inf])
    for name in ("floor", "ceil", "round", "trunc", "frac"):
        ours = t64(x, True)
        getattr(ours, name)().backward(seed)
        theirs = torch.tensor(x, requires_grad=True)
        getattr(theirs, name)().backward(torch.tensor(seed))
        np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())


# ============================================================================ two operands
def _draw_pair(data, case):
    shapes = data.draw(BROADCAST_PAIRS, label="shapes")
    a = data.draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=floats_in(*case.dom_a)), label="a")
    b = data.draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=floats_in(*case.dom_b)), label="b")
    if case.rounding is not None:  # a / b away from the jumps of its rounding
        q = a / b
        assume(np.all(np.abs(q - np.round(q)) > 1e-3))
    return a, b, shapes.result_shape


@pytest.mark.parametrize("case", BINARY, ids=BINARY_IDS)
@FAST
@given(data=st.data())
def test_binary_gradcheck_with_broadcasting(case, data):
    a, b, _ = _draw_pair(data, case)
    assert gradcheck(case.op, [a, b])


@pytest.mark.parametrize("case", BINARY, ids=BINARY_IDS)
@FASTER
@given(data=st.data())
def test_binary_gradgradcheck_with_broadcasting(case, data):
    a, b, _ = _draw_pair(data, case)
    assert gradgradcheck(case.op, [a, b])


@pytest.mark.parametrize("case", BINARY + [FLOOR_DIVIDE], ids=BINARY_IDS + ["floor_divide"])
@FAST
@given(data=st.data())
def test_binary_values_and_gradients_match_torch_with_broadcasting(case, data):
    torch = _torch()
    a, b, out_shape = _draw_pair(data, case)
    out = case.op(t64(a), t64(b))
    assert out.shape == out_shape and out.dtype == np.float64
    expected = case.torch_op(torch.tensor(a), torch.tensor(b)).numpy()
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out.numpy(), case.ref(a, b), rtol=1e-12, atol=1e-12)
    if case is FLOOR_DIVIDE:
        return
    g = np.random.default_rng(5).standard_normal(out_shape)
    _assert_matches_torch(_grads(case.op, [a, b], g), _torch_grads(torch, case.torch_op, [a, b], g))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", BINARY + [FLOOR_DIVIDE], ids=BINARY_IDS + ["floor_divide"])
def test_binary_forward_matches_numpy_and_python_numbers_keep_the_dtype(case, dtype):
    rng = np.random.default_rng(8)
    a = rng.uniform(0.5, 4.0, (2, 3)).astype(dtype) * rng.choice([-1, 1], (2, 3)).astype(dtype)
    b = rng.uniform(0.5, 2.0, (3,)).astype(dtype)
    rtol = 1e-6 if dtype == np.float32 else 1e-14
    wrap = lambda v: Tensor(v) if isinstance(v, np.ndarray) else v
    for x, y in ((a, b), (a, 1.5), (2.5, b), (a, 2)):  # a Python number takes the tensor's dtype
        out = case.op(wrap(x), wrap(y))
        assert out.dtype == dtype
        expected = case.ref(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        np.testing.assert_allclose(out.numpy(), expected, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("name", ["remainder", "fmod", "floor_divide"])
def test_integer_divisions_keep_integers_and_match_torch(name):
    torch = _torch()
    a = np.array([[7, -7, 0, 5], [-9, 9, 3, -1]])
    b = np.array([2, 3, -4, -2])
    fn = getattr(autograd, name)
    ours_of = lambda v: Tensor(v) if isinstance(v, np.ndarray) else v
    theirs_of = lambda v: torch.tensor(v) if isinstance(v, np.ndarray) else v
    # (PyTorch's fmod takes no number as its first operand; numpy's does, and so does chaingrad's)
    seven = 7 if name != "fmod" else np.array(7)
    for x, y in ((a, b), (a, 3), (seven, b), (a.astype(np.int32), np.int32(4))):
        ours = fn(ours_of(x), ours_of(y))
        theirs = getattr(torch, name)(theirs_of(x), theirs_of(y))
        assert ours.dtype.kind == "i"
        assert ours.dtype == np.dtype(str(theirs.dtype).replace("torch.", ""))
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    # a bool with an integer divides as integers; two bools are refused, as in PyTorch
    np.testing.assert_array_equal(fn(Tensor([True, False]), 3).numpy(),
                                  getattr(torch, name)(torch.tensor([True, False]), 3).numpy())
    with pytest.raises(RuntimeError):
        getattr(torch, name)(torch.tensor([True]), torch.tensor([True]))
    with pytest.raises(TypeError, match=rf"^{name}: got two bool operands; expected numbers"):
        fn(Tensor([True]), Tensor([True]))


@pytest.mark.parametrize("name", ["remainder", "fmod", "floor_divide"])
def test_division_by_zero_integers_raise_and_floats_match_torch(name):
    torch = _torch()
    fn = getattr(autograd, name)
    with pytest.raises((ZeroDivisionError, RuntimeError), match="ZeroDivisionError|division by zero"):
        getattr(torch, name)(torch.tensor([5, 7]), torch.tensor([1, 0]))
    with pytest.raises(ZeroDivisionError, match=rf"^{name}: integer division by zero"):
        fn(Tensor([5, 7]), Tensor([1, 0]))
    with pytest.raises(ZeroDivisionError, match=rf"^{name}: integer division by zero"):
        fn(Tensor([5, 7]), 0)
    a = np.array([5.0, -5.0, 0.0, np.inf, -5.0, 5.0, np.nan])
    b = np.array([0.0, 0.0, 0.0, 2.0, np.inf, -np.inf, 1.0])
    with np.errstate(all="raise"):  # no numpy warning escapes either
        out = fn(t64(a), t64(b))
    np.testing.assert_array_equal(out.numpy(), getattr(torch, name)(torch.tensor(a), torch.tensor(b)).numpy())


def test_remainder_and_fmod_gradients_by_hand_and_against_torch():
    torch = _torch()
    a, b = np.array([1.5, -2.5, 3.0, 7.25]), np.array([2.0, 2.0, -2.0, -0.5])
    for name, rounding in (("remainder", np.floor), ("fmod", np.trunc)):
        ta, tb = t64(a, True), t64(b, True)
        getattr(autograd, name)(ta, tb).sum().backward()
        np.testing.assert_array_equal(ta.grad.numpy(), np.ones(4))
        np.testing.assert_array_equal(tb.grad.numpy(), -rounding(a / b))
        pa, pb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
        getattr(torch, name)(pa, pb).sum().backward()
        np.testing.assert_array_equal(tb.grad.numpy(), pb.grad.numpy())


def test_floor_divide_records_but_has_no_derivative_as_in_torch():
    torch = _torch()
    a = t64([7.0, -7.0], True)
    q = autograd.floor_divide(a, 2.0)
    assert q.requires_grad
    np.testing.assert_array_equal(q.numpy(), [3.0, -4.0])
    with pytest.raises(RuntimeError, match=r"^floor_divide: the derivative of floor division is not "
                                           r"implemented"):
        q.sum().backward()
    for f in (lambda t: (t // 2.0).sum(), lambda t: (t + (7.0 // t) * 0.0).sum()):
        with pytest.raises(RuntimeError, match=r"^floor_divide: "):
            f(t64([1.5], True)).backward()
        with pytest.raises(RuntimeError, match="floor_divide"):
            f(torch.tensor([1.5], requires_grad=True)).backward()
    with pytest.raises(RuntimeError, match=r"^floor_divide: "):  # the recorded pass too
        (t64([1.5], True) // 2.0).sum().backward(create_graph=True)
    # what it suggests works: detach, no_grad, or floor of the quotient
    assert not (a.detach() // 2.0).requires_grad
    with no_grad():
        assert not (a // 2.0).requires_grad
    (a / 2.0).floor().sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0])


def test_the_operators_and_their_reflections_match_torch():
    torch = _torch()
    x, y = np.array([[7.5, -7.5, 2.0]]), np.array([[2.0], [-3.0]])
    cases = [lambda a, b: a // b, lambda a, b: a % b, lambda a, b: a // 2.5, lambda a, b: a % 2,
             lambda a, b: 10.0 // a, lambda a, b: 10 % a, lambda a, b: a % b + b % a]
    for k, fn in enumerate(cases):
        ours = fn(t64(x), t64(y))
        theirs = fn(torch.tensor(x), torch.tensor(y))
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-15, atol=0, err_msg=str(k))
    xi = np.array([7, -7, 9])
    for fn in (lambda a: a // 2, lambda a: a % 4, lambda a: 20 // a, lambda a: 20 % a):
        ours, theirs = fn(Tensor(xi)), fn(torch.tensor(xi))
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    a = t64(x, True)
    (a % 2.0).sum().backward()  # remainder's gradient through the operator
    np.testing.assert_array_equal(a.grad.numpy(), np.ones_like(x))


def test_in_place_floor_division_and_remainder():
    torch = _torch()
    x = Tensor(np.array([7, -7, 9]))
    alias = x
    x //= 2
    assert x is alias and x.dtype == np.int64
    tx = torch.tensor([7, -7, 9])
    tx //= 2
    np.testing.assert_array_equal(x.numpy(), tx.numpy())
    x %= 3
    tx %= 3
    np.testing.assert_array_equal(alias.numpy(), tx.numpy())
    with pytest.raises(ZeroDivisionError, match=r"^floor_divide: integer division by zero"):
        x //= 0
    with pytest.raises(ZeroDivisionError, match=r"^remainder: integer division by zero"):
        x %= Tensor([1, 0, 1])
    np.testing.assert_array_equal(alias.numpy(), tx.numpy())  # nothing changed
    w = t64([5.5, -1.5], True)
    with no_grad():
        w %= 2.0  # a parameter update, in place
    np.testing.assert_array_equal(w.numpy(), [1.5, 0.5])
    assert w.requires_grad and w.is_leaf
    with pytest.raises(RuntimeError, match=r"//=: a leaf tensor that requires grad"):
        w //= 2.0
    h = w * 1.0
    h %= 1.0  # recorded: the name is bound to h % 1.0
    assert h.op == "remainder"


@pytest.mark.parametrize("name", BINARY_IDS + ["floor_divide"])
def test_binary_bad_operands_and_shapes_name_the_function(name):
    fn = getattr(autograd, name)
    for bad, got in (("a", r"of type str \('a'\)"), (None, r"of type NoneType \(None\)")):
        for args in ((t64([1.0]), bad), (bad, t64([1.0]))):
            with pytest.raises(TypeError, match=rf"^{name}: got an operand {got}; expected a Tensor"):
                fn(*args)
    with pytest.raises(ValueError, match=rf"^{name}: shapes \(2,\) and \(3,\) cannot be broadcast together"):
        fn(t64([1.0, 2.0]), t64([1.0, 2.0, 3.0]))


def test_operators_with_unusable_operands_raise_pythons_type_error():
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for //: 'Tensor' and 'str'"):
        t64([1.0]) // "a"
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for %: 'NoneType' and 'Tensor'"):
        None % t64([1.0])


def test_two_operand_edge_points_match_torch():
    torch = _torch()
    inf, nan = np.inf, np.nan
    points = {
        # atan2's gradient is 0 at the origin; hypot's is 0 / 0 there
        "atan2": ([0.0, -0.0, 1.0, inf, -1.0, nan], [0.0, 0.0, -inf, inf, 0.0, 1.0]),
        "hypot": ([0.0, inf, -3.0, nan, 1e200], [0.0, 1.0, 4.0, inf, 1e200]),
        "logaddexp": ([-inf, inf, inf, -inf, 800.0, nan], [-inf, inf, 1.0, 0.0, -800.0, 1.0]),
        "remainder": ([5.0, -5.0, inf, 3.0], [0.0, inf, 2.0, -inf]),
        "fmod": ([5.0, -5.0, inf, 3.0], [0.0, inf, 2.0, -inf]),
    }
    for name, (a, b) in points.items():
        a, b = np.array(a), np.array(b)
        ta, tb = t64(a, True), t64(b, True)
        out = getattr(autograd, name)(ta, tb)
        out.backward(np.ones(len(a)))
        pa, pb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
        pout = getattr(torch, name)(pa, pb)
        pout.backward(torch.ones(len(a), dtype=torch.float64))
        pairs = (("forward", out, pout), ("d/da", ta.grad, pa.grad), ("d/db", tb.grad, pb.grad))
        for what, ours, theirs in pairs:
            np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-12, atol=0,
                                       equal_nan=True, err_msg=f"{name} {what}")


def test_atan2_second_derivatives_are_finite_at_the_origin():
    y, x = t64([0.0, 1.0], True), t64([0.0, 2.0], True)
    autograd.atan2(y, x).sum().backward(create_graph=True)
    gy, gx = y.grad, x.grad
    y.grad = x.grad = None
    (gy + gx).sum().backward()
    assert np.isfinite(y.grad.numpy()).all() and np.isfinite(x.grad.numpy()).all()
    # away from the origin: d2/dy2 + d2/dydx of atan2 = (-2xy + y^2 - x^2) / (x^2 + y^2)^2 at (1, 2)
    np.testing.assert_allclose(y.grad.numpy()[1], (-4.0 + 1.0 - 4.0) / 25.0, rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int64])
@pytest.mark.parametrize("name", ["atan2", "hypot", "logaddexp"])
def test_floating_two_operand_functions_of_integers_give_numpys_float_dtype(name, dtype):
    a = np.array([1, 0, 1], dtype=dtype)
    b = np.array([1, 1, 0], dtype=dtype)
    out = getattr(autograd, name)(Tensor(a), Tensor(b))
    expected = {"atan2": np.arctan2, "hypot": np.hypot, "logaddexp": np.logaddexp}[name](a, b)
    assert out.dtype == expected.dtype == np.exp(a).dtype
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-3)


# ============================================================================ predicates, logic, nan_to_num
_WITH_NONFINITE = np.array([[1.0, np.nan, np.inf], [-np.inf, -0.0, 3.5]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.uint8, np.bool_])
@pytest.mark.parametrize("name", sorted(PREDICATES))
def test_predicates_match_numpy_and_torch_and_carry_no_gradient(name, dtype):
    floats = np.dtype(dtype).kind == "f"
    x = _WITH_NONFINITE.astype(dtype) if floats else np.array([[0, 1, 2], [3, 1, 0]], dtype)
    t = Tensor(x, requires_grad=floats)
    for out in (getattr(autograd, name)(t), getattr(t, name)()):
        assert out.dtype == np.bool_ and not out.requires_grad and out.is_leaf
        np.testing.assert_array_equal(out.numpy(), PREDICATES[name](x))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(getattr(autograd, name)(t).numpy(),
                                  getattr(torch, name)(torch.tensor(x)).numpy())


@pytest.mark.parametrize("name", sorted(CONNECTIVES))
@FAST
@given(data=st.data())
def test_logical_connectives_broadcast_any_dtypes_like_numpy_and_torch(name, data):
    shapes = data.draw(BROADCAST_PAIRS)
    dtypes = st.sampled_from([np.bool_, np.int64, np.float64, np.float32])
    trits = st.integers(-1, 1)
    a = data.draw(hnp.arrays(np.int64, shapes.input_shapes[0], elements=trits)).astype(data.draw(dtypes))
    b = data.draw(hnp.arrays(np.int64, shapes.input_shapes[1], elements=trits)).astype(data.draw(dtypes))
    ta = Tensor(a, requires_grad=a.dtype.kind == "f")
    out = getattr(autograd, name)(ta, Tensor(b))
    assert out.dtype == np.bool_ and not out.requires_grad
    np.testing.assert_array_equal(out.numpy(), CONNECTIVES[name](a, b))
    np.testing.assert_array_equal(getattr(ta, name)(b).numpy(), CONNECTIVES[name](a, b))
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out.numpy(), getattr(torch, name)(torch.tensor(a), torch.tensor(b)).numpy())


def test_logical_not_and_truth_of_nan():
    torch = _torch()
    x = np.array([0.0, -0.0, np.nan, 2.0, -np.inf])
    out = autograd.logical_not(t64(x, True))
    assert out.dtype == np.bool_ and not out.requires_grad
    np.testing.assert_array_equal(out.numpy(), torch.logical_not(torch.tensor(x)).numpy())
    np.testing.assert_array_equal(out.numpy(), [True, True, False, False, False])


@pytest.mark.parametrize("name", ["all", "any"])
@FAST
@given(data=st.data(), keepdims=st.booleans())
def test_all_any_over_axes_match_numpy(name, data, keepdims):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3))
    axis = data.draw(st.one_of(st.none(), hnp.valid_tuple_axes(len(shape)),
                               st.integers(-max(len(shape), 1), max(len(shape), 1) - 1)))
    x = data.draw(hnp.arrays(data.draw(st.sampled_from([np.float64, np.int64, np.bool_])), shape,
                             elements=st.integers(0, 1)))
    t = Tensor(x)
    out = getattr(t, name)(axis=axis, keepdims=keepdims)
    expected = getattr(np, name)(x, axis=axis, keepdims=keepdims)
    assert out.dtype == np.bool_ and out.shape == np.shape(expected)
    np.testing.assert_array_equal(out.numpy(), expected)
    np.testing.assert_array_equal(getattr(autograd, name)(x, axis, keepdims).numpy(), expected)


@pytest.mark.parametrize("name", ["all", "any"])
def test_all_any_with_dim_and_keepdim_match_torch(name):
    torch = _torch()
    x = np.array([[[1.0, 0.0, np.nan], [2.0, 3.0, 1.0]], [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]])
    t, p = t64(x, True), torch.tensor(x)
    for kwargs in ({}, {"dim": 1}, {"dim": -1, "keepdim": True}, {"dim": (0, 2)}, {"dim": ()}):
        ours, theirs = getattr(t, name)(**kwargs), getattr(torch, name)(p, **kwargs)
        assert not ours.requires_grad and ours.dtype == np.bool_
        assert ours.shape == tuple(theirs.shape), kwargs
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=str(kwargs))
    empty = np.zeros((0, 3))
    np.testing.assert_array_equal(getattr(autograd, name)(empty).numpy(),
                                  getattr(torch, name)(torch.tensor(empty)).numpy())
    np.testing.assert_array_equal(getattr(autograd, name)(empty, dim=0).numpy(),
                                  getattr(torch, name)(torch.tensor(empty), dim=0).numpy())


def test_all_any_errors_and_truth_value_advice():
    x = t64([[1.0, 0.0]])
    with pytest.raises(ValueError, match=r"^all: axis 2 is out of range for a tensor with 2 dimensions"):
        x.all(axis=2)
    with pytest.raises(TypeError, match=r"^any: got axis=1\.0; expected an int"):
        x.any(axis=1.0)
    with pytest.raises(TypeError, match=r"^any: got keepdims of type int \(2\); expected a bool"):
        x.any(keepdim=2)
    with pytest.raises(TypeError, match="all: got both dim= and axis="):
        x.all(dim=0, axis=0)
    with pytest.raises(ValueError, match=r"use \.any\(\) or \.all\(\)"):  # the advice can now be followed
        bool(x)
    assert x.any().item() is True and x.all().item() is False


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nan_to_num_matches_numpy_and_torch(dtype):
    torch = _torch()
    x = np.array([np.nan, np.inf, -np.inf, 1.5, -0.0], dtype=dtype)
    for kwargs in ({}, {"nan": 2.0}, {"posinf": 7.0, "neginf": -9}, {"nan": None}, {"posinf": 1e300}):
        out = autograd.nan_to_num(Tensor(x), **kwargs)
        assert out.dtype == dtype
        theirs = torch.nan_to_num(torch.tensor(x), **kwargs).numpy()
        np.testing.assert_array_equal(out.numpy(), theirs, err_msg=str(kwargs))
        numpy_kwargs = {k: (0.0 if k == "nan" and v is None else v) for k, v in kwargs.items()}
        with np.errstate(over="ignore"):
            np.testing.assert_array_equal(out.numpy(), np.nan_to_num(x, **numpy_kwargs))
    for ints in (np.array([1, -2]), np.array([True, False])):
        out = autograd.nan_to_num(Tensor(ints))
        theirs = torch.nan_to_num(torch.tensor(ints))
        assert out.dtype == ints.dtype == np.dtype(str(theirs.dtype).replace("torch.", ""))
        np.testing.assert_array_equal(out.numpy(), ints)


def test_nan_to_num_gradient_is_one_where_finite_and_zero_where_replaced():
    torch = _torch()
    x = np.array([np.nan, np.inf, -np.inf, 1.5, -2.0])
    g = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    t = t64(x, True)
    t.nan_to_num(posinf=1.0).backward(g)
    np.testing.assert_array_equal(t.grad.numpy(), [0.0, 0.0, 0.0, 4.0, 5.0])
    p = torch.tensor(x, requires_grad=True)
    torch.nan_to_num(p, posinf=1.0).backward(torch.tensor(g))
    np.testing.assert_array_equal(t.grad.numpy(), p.grad.numpy())
    # through a log: nan_to_num sends 0 back where log(0) was -inf, and log's rule makes that 0 / 0
    z, pz = t64([0.0, 2.0], True), torch.tensor([0.0, 2.0], dtype=torch.float64, requires_grad=True)
    z.log().nan_to_num(neginf=-5.0).sum().backward()
    torch.nan_to_num(pz.log(), neginf=-5.0).sum().backward()
    np.testing.assert_array_equal(z.grad.numpy(), pz.grad.numpy())
    np.testing.assert_array_equal(z.grad.numpy(), [np.nan, 0.5])


def test_nan_to_num_errors():
    with pytest.raises(TypeError, match=r"^nan_to_num: got posinf of type str \('big'\); expected a real "
                                        r"number or None"):
        t64([1.0]).nan_to_num(posinf="big")
    with pytest.raises(TypeError, match=r"^nan_to_num: got nan of type bool \(True\)"):
        t64([1.0]).nan_to_num(nan=True)


# ============================================================================ names, aliases, other arguments
_TORCH_NAMES = ["log1p", "expm1", "log2", "log10", "square", "rsqrt", "reciprocal", "asin", "acos", "atan",
                "sinh", "cosh", "asinh", "acosh", "atanh", "sinc", "atan2", "hypot", "logaddexp", "fmod",
                "remainder", "floor_divide", "floor", "ceil", "round", "trunc", "frac", "isnan", "isinf",
                "isfinite", "isposinf", "isneginf", "logical_and", "logical_or", "logical_xor", "logical_not",
                "nan_to_num", "all", "any", *ALIASES]
_F_NAMES = ["silu", "mish", "hardtanh", "softsign", "logsigmoid"]


@pytest.mark.parametrize("name", _TORCH_NAMES + _F_NAMES)
def test_every_name_is_a_function_a_method_and_exported(name):
    fn = getattr(autograd, name)
    assert name in autograd.__all__ and name in autograd.ops.FUNCTIONS
    assert getattr(Tensor, name) is fn is autograd.ops.FUNCTIONS[name]
    if name in ALIASES:
        assert fn is getattr(autograd, ALIASES[name])
    torch = pytest.importorskip("torch")
    where = torch.nn.functional if name in _F_NAMES else torch
    assert callable(getattr(where, name)), name  # the name is PyTorch's


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_aliases_match_torchs_aliases(alias):
    torch = _torch()
    x = np.array([0.3, -0.6, 0.9]) if alias != "arccosh" else np.array([1.3, 2.0])
    args = (x, x[::-1].copy()) if alias == "arctan2" else (x,)
    np.testing.assert_allclose(getattr(autograd, alias)(*map(t64, args)).numpy(),
                               getattr(torch, alias)(*map(torch.tensor, args)).numpy(), rtol=1e-14)


@pytest.mark.parametrize("name", ["log1p", "silu", "floor", "isnan", "atan2", "all"])
def test_values_are_refused_with_the_functions_name(name):
    # these functions are Tensor-only (Value has no method of that name); a Value gets a TypeError
    args = (Value(0.5), 1.0) if name == "atan2" else (Value(0.5),)
    what = "an operand" if name == "atan2" else "an argument"
    with pytest.raises(TypeError, match=rf"^{name}: got {what} of type Value \(.*\); expected a Tensor"):
        getattr(autograd, name)(*args)


def test_numbers_and_lists_become_constant_tensors_with_tensor_rules():
    out = autograd.log1p(0.5)
    assert type(out) is Tensor and out.dtype == np.float32 and out.shape == ()
    np.testing.assert_allclose(out.item(), math.log1p(0.5), rtol=1e-7)
    np.testing.assert_array_equal(autograd.remainder([5, -5], 3).numpy(), [2, 1])
    assert autograd.atan2([1.0], np.array([1.0])).dtype == np.float64  # the array's float64 wins (numpy)

