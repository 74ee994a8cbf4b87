"""The remaining activations (relu6, selu, celu, hardsigmoid, hardswish, hardshrink, softshrink, tanhshrink,
threshold), clamp_min/clamp_max, elu (which now shares selu's and celu's rules), softmin and glu.

For each: gradients against finite differences (gradcheck, gradgradcheck) on hypothesis-drawn shapes and
values away from the kinks, the forward against numpy in float32 and float64, values and first and second
derivatives against PyTorch in float64 and float32, PyTorch's values and derivatives exactly at the kinks,
at infinities, signed zeros and nan, the dtypes of integer and bool inputs, and clear errors for what
PyTorch refuses. Cases live in activation_cases.py; references are numpy or PyTorch, never the code under
test.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from activation_cases import (
    ACTIVATION_IDS,
    ACTIVATIONS,
    NO_TORCH_SECOND_DERIVATIVE,
    REFUSE_BOOL,
    TORCH_ROUNDED_GRADIENT,
    glu_ref,
    softmin_ref,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from tensor_cases import SMALL_SHAPES, int_values, values
from test_more_elementwise_ops import (
    _assert_float32_matches_torch,
    _assert_forward_matches_numpy,
    _assert_matches_torch,
    _away_from_kinks,
    _grads,
    _torch_grads,
)

import autograd
from autograd import Tensor, gradcheck, gradgradcheck, no_grad

FAST = settings(max_examples=15, deadline=None)
FASTER = settings(max_examples=8, deadline=None)
INT_DTYPES = [np.bool_, np.int8, np.uint8, np.int32, np.int64]
# the kinks of every case, exactly, beside infinities, signed zeros, tiny numbers and nan
EDGES = np.array([-np.inf, -800.0, -6.0, -3.0, -1.5, -0.5, -1e-300, -0.0, 0.0, 1e-300, 0.5, 1.5, 3.0, 6.0,
                  800.0, np.inf, np.nan])


def _torch():
    return pytest.importorskip("torch")


# ============================================================================ elementwise activations
@pytest.mark.parametrize("case", ACTIVATIONS, ids=ACTIVATION_IDS)
@FAST
@given(data=st.data())
def test_gradcheck(case, data):
    shape = data.draw(SMALL_SHAPES, label="shape")
    x = data.draw(values(case.as_unary_case(), shape), label="x")
    assert gradcheck(case.op, [x])


@pytest.mark.parametrize("case", ACTIVATIONS, ids=ACTIVATION_IDS)
@FASTER
@given(data=st.data())
def test_gradgradcheck(case, data):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), label="shape")
    x = data.draw(values(case.as_unary_case(), shape), label="x")
    assert gradgradcheck(case.op, [x])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("case", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_forward_matches_numpy_and_keeps_the_float_dtype(case, dtype):
    rtol = {np.float16: 2e-3, np.float32: 1e-5, np.float64: 1e-12}[dtype]
    _assert_forward_matches_numpy(case, dtype, rtol)


@pytest.mark.parametrize("case", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_values_and_first_and_second_derivatives_match_torch(case):
    torch = _torch()
    rng = np.random.default_rng(4)
    x = _away_from_kinks(case, rng.uniform(case.lo, case.hi, size=(3, 4)))
    g = rng.standard_normal((3, 4))
    ours = _grads(case.op, [x], g)
    if case.id in NO_TORCH_SECOND_DERIVATIVE:
        assert not np.any(ours[2][0])  # the derivative of a piecewise constant derivative
        t = torch.tensor(x, requires_grad=True)
        y = case.torch_op(t)
        y.backward(torch.tensor(g))
        ours, theirs = ours[:2], (y.detach().numpy(), [t.grad.numpy()])
    else:
        theirs = _torch_grads(torch, case.torch_op, [x], g)
    _assert_matches_torch(ours, theirs, rtol=TORCH_ROUNDED_GRADIENT.get(case.id, 1e-10))


@pytest.mark.parametrize("case", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_float32_values_and_gradients_match_torch_in_float32(case):
    _assert_float32_matches_torch(case, grad_rtol=1e-5, grad_atol=1e-6)


@pytest.mark.parametrize("create_graph", [False, True], ids=["array_rules", "tensor_rules"])
@pytest.mark.parametrize("case", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_at_kinks_infinities_signed_zeros_and_nan_matches_torch(case, create_graph):
    # the derivative at a kink is PyTorch's choice: relu6's is 0 at 0 and 6, hardswish's 0 at -3 and 1 at 3,
    # selu's the left one at 0, the shrinks' 0 at +-lambd, threshold's 0 at the threshold, ...
    torch = _torch()
    x = Tensor(EDGES.copy(), requires_grad=True)
    y = case.op(x)
    y.backward(np.ones_like(EDGES), create_graph=create_graph)
    tx = torch.tensor(EDGES, requires_grad=True)
    ty = case.torch_op(tx)
    (tg,) = torch.autograd.grad(ty.sum(), tx, create_graph=create_graph)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12, atol=0, equal_nan=True)
    rtol = TORCH_ROUNDED_GRADIENT.get(case.id, 1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tg.detach().numpy(), rtol=rtol, atol=0, equal_nan=True)
    if not create_graph or case.id in NO_TORCH_SECOND_DERIVATIVE:
        return
    first = x.grad
    second = np.zeros_like(EDGES)  # a derivative that is a constant of x: nothing recorded
    if first.requires_grad:
        x.grad = None
        first.sum().backward()
        second = x.grad.numpy()
    (tg2,) = torch.autograd.grad(tg.sum(), tx, allow_unused=True) if tg.requires_grad else (None,)
    tg2 = np.zeros_like(EDGES) if tg2 is None else tg2.numpy()
    np.testing.assert_allclose(second, tg2, rtol=1e-12, atol=0, equal_nan=True)


@pytest.mark.parametrize("name", ["selu", "celu", "elu"])
def test_the_elu_family_has_the_left_derivative_and_second_derivative_zero_at_zero(name):
    torch = _torch()
    x = Tensor(np.array([-0.0, 0.0]), requires_grad=True)
    getattr(autograd, name)(x).sum().backward(create_graph=True)
    first = x.grad
    x.grad = None
    first.sum().backward()
    left_slope = {"selu": 1.6732632423543772 * 1.0507009873554805, "celu": 1.0, "elu": 1.0}[name]
    np.testing.assert_allclose(first.numpy(), [left_slope, left_slope], rtol=1e-15)
    assert x.grad.tolist() == [0.0, 0.0]
    tx = torch.tensor([-0.0, 0.0], dtype=torch.float64, requires_grad=True)
    (tg,) = torch.autograd.grad(getattr(torch.nn.functional, name)(tx).sum(), tx, create_graph=True)
    (tg2,) = torch.autograd.grad(tg.sum(), tx)
    assert tg.tolist() == first.tolist() and tg2.tolist() == x.grad.tolist()


@pytest.mark.parametrize("dtype", INT_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("case", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_integers_and_booleans(case, dtype):
    x = int_values(dtype)
    if dtype is np.bool_ and case.name in REFUSE_BOOL:  # as PyTorch refuses them
        with pytest.raises(TypeError, match=f"^{case.name}: got a tensor of dtype bool; expected"):
            case.op(Tensor(x))
        return
    if case.name == "threshold" and dtype is np.uint8:  # its value -2 does not fit, as PyTorch says too
        with pytest.raises(ValueError, match="^threshold: got value=-2.0, which does not fit .* uint8"):
            case.op(Tensor(x))
        return
    out = case.op(Tensor(x))
    if case.name.startswith("clamp"):  # clamp's rule: np.clip's dtype, floats for the bound 0.5
        expected = np.clip(x, *((0.5, None) if case.name == "clamp_min" else (None, 0.5)))
        assert out.dtype == expected.dtype
        np.testing.assert_array_equal(out.numpy(), expected)
    elif case.keeps_integers:  # relu6 and threshold keep an integer dtype, as in PyTorch
        assert out.dtype == x.dtype
        if case.name == "threshold":  # its numbers are truncated to the dtype first: 0.5 to 0
            expected = np.where(x > 0, x, np.array(-2).astype(x.dtype))
        else:
            expected = np.clip(x, 0, 6)
        np.testing.assert_array_equal(out.numpy(), expected)
    else:  # the float dtype np.exp gives, as for exp, sigmoid and leaky_relu
        assert out.dtype == np.exp(x).dtype
        with np.errstate(all="ignore"):
            expected = case.ref(x.astype(np.float64))
        np.testing.assert_allclose(out.numpy().astype(np.float64), expected, rtol=2e-3, atol=2e-3)


def test_integer_results_match_torch():
    torch = _torch()
    for dtype in (np.int8, np.uint8, np.int32, np.int64):
        x = np.array([0, 1, 2, 5, 6, 7, 100], dtype=dtype)
        t = torch.tensor(x)
        for ours, theirs in [(autograd.relu6(x), torch.nn.functional.relu6(t)),
                             (autograd.threshold(x, 1.9, 7.5), torch.nn.functional.threshold(t, 1.9, 7.5)),
                             (autograd.threshold(x, 5, 0), torch.nn.functional.threshold(t, 5, 0)),
                             (autograd.clamp_min(x, 2), torch.clamp_min(t, 2)),
                             (autograd.clamp_max(x, 6), torch.clamp_max(t, 6))]:
            assert ours.dtype == x.dtype and str(theirs.dtype) == f"torch.{x.dtype}"
            assert ours.tolist() == theirs.tolist()


def test_threshold_converts_its_numbers_to_the_tensors_dtype_as_torch_does():
    torch = _torch()
    cases = [(np.array([0, -1]), -0.5, 9.7), (np.array([0.1], dtype=np.float32), 0.1, 5.0),
             (np.array([1.0, 2.0], dtype=np.float16), 1.0001, 0.0)]
    for x, threshold, value in cases:
        ours = autograd.threshold(x, threshold, value)
        theirs = torch.nn.functional.threshold(torch.tensor(x), threshold, value)
        assert ours.tolist() == theirs.tolist() and ours.dtype == x.dtype


def test_clamp_min_and_clamp_max_take_tensor_bounds_with_gradients():
    torch = _torch()
    x, lo = np.array([-1.0, 0.5, 2.0]), np.array([0.0, 1.0, 1.0])
    a, b = Tensor(x.copy(), requires_grad=True), Tensor(lo.copy(), requires_grad=True)
    ta, tb = torch.tensor(x, requires_grad=True), torch.tensor(lo, requires_grad=True)
    (autograd.clamp_min(a, b) * Tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    (torch.clamp_min(ta, tb) * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
    assert a.grad.tolist() == ta.grad.tolist() and b.grad.tolist() == tb.grad.tolist()
    assert autograd.clamp_max(x, lo).tolist() == torch.clamp_max(torch.tensor(x), torch.tensor(lo)).tolist()


@pytest.mark.parametrize("call, error, message", [
    (lambda x: autograd.celu(x, 0.0), ValueError, "celu: got alpha=0; expected a non-zero alpha"),
    (lambda x: autograd.celu(x, "a"), TypeError, r"celu: got alpha of type str \('a'\); expected a real"),
    (lambda x: autograd.elu(x, None), TypeError, r"elu: got alpha of type NoneType \(None\); expected"),
    (lambda x: x.hardshrink(True), TypeError, r"hardshrink: got lambd of type bool \(True\); expected"),
    (lambda x: autograd.softshrink(x, -0.5), ValueError, "softshrink: got lambd=-0.5; expected a finite"),
    (lambda x: autograd.softshrink(x, float("inf")), ValueError, "softshrink: got lambd=inf; expected"),
    (lambda x: autograd.softshrink(x, float("nan")), ValueError, "softshrink: got lambd=nan; expected"),
    (lambda x: autograd.threshold(x, "a", 1.0), TypeError, r"threshold: got threshold of type str \('a'\)"),
    (lambda x: autograd.threshold(x, 0.0, [1.0]), TypeError,
     r"threshold: got value of type list \(\[1.0\]\)"),
    (lambda x: autograd.threshold(x.astype("int8"), 0, 300), ValueError,
     "threshold: got value=300, which does not fit in the tensor's dtype int8"),
    (lambda x: autograd.threshold(x.astype("int64"), float("nan"), 0), ValueError,
     "threshold: got threshold=nan, which does not fit in the tensor's dtype int64"),
    (lambda x: autograd.threshold(x.astype("float32"), 0.0, 1e300), ValueError,
     "threshold: got value=1e+300, which does not fit in the tensor's dtype float32"),
    (lambda x: autograd.clamp_min(x, None), TypeError, "clamp_min: got min=None; expected a number or a"),
    (lambda x: autograd.clamp_max(x, None), TypeError, "clamp_max: got max=None; expected a number or a"),
    (lambda x: autograd.relu6("a"), TypeError, "relu6: got an argument of type str"),
])
def test_bad_arguments_raise_errors_naming_the_function(call, error, message):
    with pytest.raises(error, match="^" + message.replace("+", r"\+")):
        call(Tensor(np.array([-1.0, 0.0, 2.0])))


# ============================================================================ softmin and glu
def _axis_and_input(data, *, even: bool):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3), label="shape")
    axis = data.draw(st.integers(-len(shape), len(shape) - 1), label="axis")
    if even:
        shape = shape[:axis % len(shape)] + (2 * shape[axis],) + shape[axis % len(shape) + 1:]
    elements = st.floats(-3, 3, allow_nan=False, width=64)
    x = data.draw(hnp.arrays(np.float64, shape, elements=elements), label="x")
    return x, axis


FUNCTIONS = {"softmin": (autograd.softmin, softmin_ref, False), "glu": (autograd.glu, glu_ref, True)}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@FAST
@given(data=st.data())
def test_softmin_and_glu_gradcheck_and_gradgradcheck(name, data):
    fn, _, even = FUNCTIONS[name]
    x, axis = _axis_and_input(data, even=even)
    assert gradcheck(lambda t: fn(t, axis), [x])
    assert gradgradcheck(lambda t: fn(t, dim=axis), [x])


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_softmin_and_glu_match_numpy_and_torch_to_the_second_derivative(name, axis):
    torch = _torch()
    fn, ref, _ = FUNCTIONS[name]
    rng = np.random.default_rng(7)
    x = rng.standard_normal((4, 6)) * 2
    np.testing.assert_allclose(fn(Tensor(x), axis).numpy(), ref(x, axis), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(getattr(Tensor(x), name)(dim=axis).numpy(), fn(Tensor(x), axis).numpy())
    out = fn(Tensor(x), axis)
    g = rng.standard_normal(out.shape)
    theirs = _torch_grads(torch, lambda t: getattr(torch.nn.functional, name)(t, dim=axis), [x], g)
    _assert_matches_torch(_grads(lambda t: fn(t, axis), [x], g), theirs)


def test_softmin_is_stable_and_takes_a_dtype():
    torch = _torch()
    x = np.array([[1000.0, -1000.0, 0.0]], dtype=np.float32)
    out = autograd.softmin(x, dim=1)
    assert out.dtype == np.float32 and out.tolist() == [[0.0, 1.0, 0.0]]
    wide = autograd.softmin(Tensor(x), 1, dtype="float64")
    theirs = torch.nn.functional.softmin(torch.tensor(x), 1, dtype=torch.float64)
    assert wide.dtype == np.float64 and wide.tolist() == theirs.tolist()
    with pytest.raises(TypeError, match=r"^softmin: got dtype='int64'; expected a floating dtype"):
        autograd.softmin(x, 1, dtype="int64")
    assert autograd.softmin([1, 2], 0).dtype == np.float32  # softmax's dtype for integers


def test_glu_of_integers_gives_the_float_dtype_of_sigmoid():
    out = autograd.glu(np.array([[1, 0], [2, -1]], dtype=np.int64))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), glu_ref(np.array([[1.0, 0.0], [2.0, -1.0]])), rtol=1e-15)


@pytest.mark.parametrize("call, error, message", [
    (lambda: autograd.glu(Tensor(np.ones(3))), ValueError,
     "glu: got size 3 along axis 0 (shape (3,)); expected an even size"),
    (lambda: autograd.glu(Tensor(np.ones((2, 4))), 0), None, None),
    (lambda: autograd.glu(Tensor(np.ones((3, 4))), dim=0), ValueError, "glu: got size 3 along axis 0"),
    (lambda: autograd.glu(Tensor(np.array(1.0))), ValueError, "glu: got a 0-d tensor; expected at least one"),
    (lambda: autograd.glu(Tensor(np.ones((2, 2))), 2), ValueError, "glu: axis 2 is out of range"),
    (lambda: autograd.glu(Tensor(np.ones((2, 2))), (0, 1)), TypeError, "glu: got axis=(0, 1); expected one"),
    (lambda: autograd.softmin(Tensor(np.ones(2)), 1.0), TypeError, "softmin: got axis=1.0; expected one int"),
    (lambda: autograd.softmin(Tensor(np.array([True]))), TypeError,
     "softmin: got a tensor of dtype bool; expected a tensor of numbers"),
    (lambda: autograd.softmin("a"), TypeError, "softmin: got an argument of type str"),
])
def test_softmin_and_glu_errors(call, error, message):
    if error is None:
        assert call().shape == (1, 4)
        return
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


def test_nothing_is_recorded_under_no_grad():
    x = Tensor(np.array([-1.0, 4.0]), requires_grad=True)
    with no_grad():
        outs = [case.op(x) for case in ACTIVATIONS] + [autograd.softmin(x), autograd.glu(x)]
    assert not any(o.requires_grad for o in outs)
