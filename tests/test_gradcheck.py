"""gradcheck / gradgradcheck: they pass on correct rules, catch wrong ones with a readable report, work in
float64 on copies, and refuse integer inputs."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import GradcheckError, Tensor, gradcheck, gradgradcheck
from autograd.tensor import TensorOp, result

# ---------------------------------------------------------------- deliberately wrong primitives
# square with a first derivative off by a factor 1.5 (3x instead of 2x)
_BAD_SQUARE = TensorOp("bad_square", lambda node, g: (g * node._parents[0] * 3.0,))
# square with the right first derivative written as a constant, so its second derivative is lost
_FROZEN_SQUARE = TensorOp("frozen_square",
                          lambda node, g: (g * Tensor(2.0 * node._parents[0].data),))


def bad_square(x: Tensor) -> Tensor:
    return result(x.data ** 2, (x,), _BAD_SQUARE)


def frozen_square(x: Tensor) -> Tensor:
    return result(x.data ** 2, (x,), _FROZEN_SQUARE)


# ---------------------------------------------------------------- passing cases
@pytest.mark.parametrize("f,inputs", [
    (lambda x: (x.sin() * x).sum(), [np.array([0.5, 1.5, -2.0])]),            # scalar output
    (lambda x: x.exp(), [np.array([[0.1, 0.2], [0.3, -0.4]])]),                # matrix output
    (lambda a, b: a @ b + a.sum(), [np.ones((2, 3)) * 0.5, np.arange(12.0).reshape(3, 4) / 10]),
    (lambda x: x, [np.array(2.0)]),                                            # identity, 0-d
    (lambda x: x * 0.0 + 1.0, [np.array([1.0, 2.0])]),                         # constant output
    (lambda x, y: x * 2.0, [np.array([1.0]), np.array([5.0])]),                # unused input
])
def test_gradcheck_passes_on_correct_functions(f, inputs):
    assert gradcheck(f, inputs) is True


def test_gradcheck_accepts_a_single_tensor_and_python_values():
    assert gradcheck(lambda x: x * x, Tensor(np.array([1.0, 2.0])))
    assert gradcheck(lambda x, y: x * y, [[1.0, 2.0], 3.0])
    assert gradcheck(lambda x: x ** 3, 1.5)


def test_gradcheck_supports_tuple_outputs():
    assert gradcheck(lambda x: (x.sin(), (x * x).sum()), [np.array([0.3, 0.7])])
    with pytest.raises(GradcheckError, match="output 1"):
        gradcheck(lambda x: (x.sin(), bad_square(x)), [np.array([0.3, 0.7])])


def test_gradcheck_works_on_float64_copies():
    x32 = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    seen = []

    def f(x):
        seen.append(x.dtype)
        return x * x

    assert gradcheck(f, [x32])
    assert set(seen) == {np.dtype(np.float64)}
    assert x32.grad is None and x32.dtype == np.float32
    np.testing.assert_array_equal(x32.numpy(), [1.0, 2.0])


def test_gradcheck_does_not_modify_numpy_inputs():
    a = np.array([1.0, 2.0])
    gradcheck(lambda x: x.exp(), [a])
    np.testing.assert_array_equal(a, [1.0, 2.0])


@pytest.mark.parametrize("bad", [np.array([1, 2]), np.array([True, False]), Tensor(np.array([3, 4]))])
def test_gradcheck_refuses_integer_and_bool_inputs(bad):
    with pytest.raises(TypeError, match=r"gradcheck: input 0 has dtype (int64|bool)"):
        gradcheck(lambda x: x * 2.0, [bad])
    with pytest.raises(TypeError, match=r"gradgradcheck: input 1 has dtype (int64|bool)"):
        gradgradcheck(lambda x, y: x * y, [np.array([1.0, 2.0]), bad])


def test_gradcheck_rejects_non_tensor_outputs():
    with pytest.raises(TypeError, match="gradcheck"):
        gradcheck(lambda x: 3.0, [np.array([1.0])])


# ---------------------------------------------------------------- failures and the report
def test_gradcheck_catches_a_wrong_rule_with_a_readable_report():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda t: bad_square(t), [x])
    report = str(info.value)
    # the worst entry is d out[1,1] / d x[1,1]: analytic 3 * 3 = 9, numeric 2 * 3 = 6
    assert "input 0" in report and "element (1, 1)" in report and "output 0 element 3" in report
    assert "analytic = 9.0" in report
    numeric = float(report.split("numeric  = ")[1].split()[0])
    assert numeric == pytest.approx(6.0, rel=1e-6)
    assert "abs error = 3.000e+00" in report and "rel error = 5.000e-01" in report
    assert "4 of 16 entries" in report


def test_gradcheck_error_is_an_assertion_error_and_raise_exception_false_returns_false():
    assert issubclass(GradcheckError, AssertionError)
    assert gradcheck(bad_square, [np.array([1.0, 2.0])], raise_exception=False) is False
    with pytest.raises(AssertionError):
        gradcheck(bad_square, [np.array([1.0, 2.0])])


def test_gradcheck_names_the_input_that_is_wrong():
    f = lambda a, b: a * 2.0 + bad_square(b)
    with pytest.raises(GradcheckError, match=r"w\.r\.t\. input 1 element \(0,\)"):
        gradcheck(f, [np.array([1.0]), np.array([2.0])])


def test_gradcheck_tolerances_are_respected():
    # a rule that is off by 1e-4 relative passes with rtol=1e-3 and fails with rtol=1e-6
    op = TensorOp("nearly", lambda node, g: (g * (1.0 + 1e-4),))
    f = lambda x: result(x.data.copy(), (x,), op)
    assert gradcheck(f, [np.array([1.0, 2.0])], atol=0.0, rtol=1e-3)
    assert not gradcheck(f, [np.array([1.0, 2.0])], atol=0.0, rtol=1e-6, raise_exception=False)


def test_gradcheck_flags_nan_gradients():
    op = TensorOp("nan_rule", lambda node, g: (g * float("nan"),))
    f = lambda x: result(x.data * 2, (x,), op)
    with pytest.raises(GradcheckError, match="nan"):
        gradcheck(f, [np.array([1.0])])


# ---------------------------------------------------------------- gradgradcheck
@pytest.mark.parametrize("f,inputs", [
    (lambda x: x.tanh(), [np.array([0.5, -1.0, 2.0])]),
    (lambda x: x ** 3, [np.array([[1.0, 2.0], [-0.5, 0.3]])]),
    (lambda a, b: (a @ b).exp(), [np.array([[0.1, 0.2]]), np.array([[0.3], [-0.4]])]),
    (lambda x: x * 2.0, [np.array([1.0, 2.0])]),  # linear: second derivative 0
    (lambda x: (x * x).sum(), [np.array([1.0, 2.0])]),
])
def test_gradgradcheck_passes_on_correct_functions(f, inputs):
    assert gradgradcheck(f, inputs) is True


def test_gradgradcheck_catches_a_lost_second_derivative():
    x = np.array([1.0, -2.0])
    assert gradcheck(frozen_square, [x])  # first derivative right
    with pytest.raises(GradcheckError, match="gradgradcheck") as info:
        gradgradcheck(frozen_square, [x])
    assert "analytic = 0.0" in str(info.value)
    assert gradgradcheck(frozen_square, [x], raise_exception=False) is False


def test_gradgradcheck_cotangent_is_reproducible_and_leaves_inputs_alone():
    x = Tensor(np.array([0.2, 0.4]), requires_grad=True)
    assert gradgradcheck(lambda t: t.sin() * t, [x], seed=3)
    assert gradgradcheck(lambda t: t.sin() * t, [x], seed=4)
    assert x.grad is None


def test_exports():
    assert autograd.gradcheck is gradcheck and autograd.gradgradcheck is gradgradcheck
    assert autograd.GradcheckError is GradcheckError
    from autograd.gradcheck import gradcheck as same

    assert same is gradcheck
    for name in ("gradcheck", "gradgradcheck", "GradcheckError", "grad", "vjp", "jacobian", "hessian", "hvp",
                 "value_and_grad"):
        assert name in autograd.__all__
