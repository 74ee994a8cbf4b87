"""Edge cases of the elementwise, reduction and shape ops that reviewers found against PyTorch.

Integer and bool inputs of floating functions, clamp with float or tensor bounds, exact means of
integers, std where it is 0 and over empty axes, expand's -1, axes 0 and -1 of 0-d tensors, and bool
axes. References are numpy, ``math`` or PyTorch (float64, where it is installed), never the code under
test; gradients are also checked against two-sided finite differences with :func:`autograd.gradcheck`.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from tensor_cases import int_values

import autograd
from autograd import Tensor, gradcheck, gradgradcheck, hessian

# ---------------------------------------------------------------------------------------------- floats
# Python references in float64, one element at a time.
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
FLOAT_FUNCTIONS = {
    "sigmoid": (autograd.sigmoid, lambda v: 1.0 / (1.0 + math.exp(-v))),
    "softplus": (autograd.softplus, lambda v: math.log1p(math.exp(v))),
    "erf": (autograd.erf, math.erf),
    "gelu": (autograd.gelu, lambda v: 0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0)))),
    "gelu_tanh": (lambda t: autograd.gelu(t, approximate="tanh"),
                  lambda v: 0.5 * v * (1.0 + math.tanh(_SQRT_2_OVER_PI * (v + 0.044715 * v ** 3)))),
    "elu": (lambda t: autograd.elu(t, 0.5), lambda v: v if v > 0 else 0.5 * math.expm1(v)),
    "leaky_relu": (lambda t: autograd.leaky_relu(t, 0.1), lambda v: v if v > 0 else 0.1 * v),
}
INT_DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.int32, np.int64]


@pytest.mark.parametrize("dtype", INT_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", sorted(FLOAT_FUNCTIONS))
def test_floating_functions_of_integers_give_np_exp_dtype_and_true_values(name, dtype):
    fn, reference = FLOAT_FUNCTIONS[name]
    x = int_values(dtype)
    out = fn(Tensor(x))
    expected_dtype = np.exp(x).dtype  # the project's rule for exp/log/sqrt of integers: numpy's
    assert out.dtype == expected_dtype
    expected = np.array([reference(float(v)) for v in x])
    rtol = 2e-3 if expected_dtype == np.float16 else 1e-6
    np.testing.assert_allclose(out.numpy().astype(np.float64), expected, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("name", sorted(FLOAT_FUNCTIONS))
def test_floating_functions_keep_float32(name):
    fn, reference = FLOAT_FUNCTIONS[name]
    x = np.array([-2.5, -0.5, 0.0, 0.75, 3.0], dtype=np.float32)
    out = fn(Tensor(x))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), [reference(float(v)) for v in x], rtol=1e-5, atol=1e-6)


def test_floating_functions_of_integers_match_torch_values():
    torch = pytest.importorskip("torch")
    x = np.array([-3, -1, 0, 1, 2])
    t = torch.tensor(x, dtype=torch.float64)
    F = torch.nn.functional
    pairs = [
        (autograd.sigmoid, torch.sigmoid), (autograd.softplus, F.softplus), (autograd.erf, torch.erf),
        (autograd.gelu, F.gelu), (lambda v: autograd.elu(v, 0.5), lambda v: F.elu(v, 0.5)),
        (lambda v: autograd.leaky_relu(v, 0.1), lambda v: F.leaky_relu(v, 0.1)),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours(Tensor(x)).numpy(), theirs(t).numpy(), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------------------------- clamp
@pytest.mark.parametrize("bounds", [(1.5, None), (None, 2.5), (1.5, 2.5), (0.5, 2)])
def test_clamp_of_integers_with_float_bounds_follows_np_clip(bounds):
    x = np.array([1, 2, 3])
    out = autograd.clamp(Tensor(x), *bounds)
    expected = np.clip(x, *bounds)
    assert out.dtype == expected.dtype == np.float64
    np.testing.assert_array_equal(out.numpy(), expected)


def test_clamp_of_integers_with_integer_bounds_stays_integer():
    x = np.array([1, 2, 3], dtype=np.int32)
    out = autograd.clamp(Tensor(x), 2)
    assert out.dtype == np.int32
    assert out.tolist() == np.clip(x, 2, None).tolist()


def test_clamp_of_float32_with_number_bounds_stays_float32():
    out = autograd.clamp(Tensor(np.array([0.1, 0.5, 0.9], dtype=np.float32)), 0.25, np.float64(0.75))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), [0.25, 0.5, 0.75])


def _clamp_case():
    # ties at both bounds, values inside, below and above
    x = np.array([[-2.0, 0.5, 1.0, 3.0], [0.0, -1.0, 2.5, 0.2]])
    lo = np.array([[-1.0, 0.0, 1.0, 0.0], [0.5, -1.0, 0.0, -0.5]])
    hi = np.array([[1.0, 1.0, 2.0, 2.0], [0.75, 0.0, 2.5, 0.1]])
    return x, lo, hi


def test_clamp_with_tensor_bounds_values_and_gradients_by_hand():
    x, lo, hi = _clamp_case()
    tx, tlo, thi = (Tensor(a, requires_grad=True) for a in (x, lo, hi))
    out = tx.clamp(tlo, thi)
    np.testing.assert_array_equal(out.numpy(), np.clip(x, lo, hi))
    w = np.arange(1.0, 9.0).reshape(2, 4)
    (out * Tensor(w)).sum().backward()
    inside = (x >= lo) & (x <= hi)  # ties go to x
    np.testing.assert_array_equal(tx.grad.numpy(), w * inside)
    np.testing.assert_array_equal(tlo.grad.numpy(), w * (x < lo))
    np.testing.assert_array_equal(thi.grad.numpy(), w * (x > hi))


def test_clamp_with_tensor_bounds_matches_torch():
    torch = pytest.importorskip("torch")
    x, lo, hi = _clamp_case()
    w = np.arange(1.0, 9.0).reshape(2, 4)
    ours = [Tensor(a, requires_grad=True) for a in (x, lo, hi)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, lo, hi)]
    out = ours[0].clamp(ours[1], ours[2])
    (out * Tensor(w)).sum().backward()
    expected = theirs[0].clamp(theirs[1], theirs[2])
    (expected * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(out.numpy(), expected.detach().numpy())
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())
    # one bound a tensor, the other a number (torch takes the number as a tensor); keywords
    for number, tensor_bound in (("min", "max"), ("max", "min")):
        value = -1.5 if number == "min" else 2.0
        a = Tensor(x, requires_grad=True)
        b = torch.tensor(x, requires_grad=True)
        ta, tb = Tensor(lo, requires_grad=True), torch.tensor(lo, requires_grad=True)
        a.clamp(**{number: value, tensor_bound: ta}).sum().backward()
        b.clamp(**{number: torch.tensor(value, dtype=torch.float64), tensor_bound: tb}).sum().backward()
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())
        np.testing.assert_array_equal(ta.grad.numpy(), tb.grad.numpy())


def test_clamp_with_broadcast_bounds_passes_gradcheck():
    rng = np.random.default_rng(3)
    x = rng.uniform(-2.0, 2.0, (3, 4))
    lo = np.array([[-1.0], [0.3], [-0.2]])  # one bound per row
    hi = np.array([0.5, 1.0, 1.5, 0.9])  # one per column
    # away from the kinks, where finite differences see one side only
    x = np.where(np.abs(x - lo) < 0.05, x + 0.1, x)
    x = np.where(np.abs(x - hi) < 0.05, x + 0.1, x)
    assert gradcheck(lambda a, b, c: a.clamp(b, c), [x, lo, hi])
    assert gradgradcheck(lambda a, b, c: a.clamp(b, c) * a, [x, lo, hi])


def test_clamp_with_array_bounds_and_broadcasting_shape():
    x = Tensor(np.array([0.0, 1.0, 2.0]))
    out = x.clamp(np.array([[0.5], [1.5]]), np.array([1.6, 1.75, 1.75]))
    np.testing.assert_array_equal(out.numpy(),
                                  np.clip(x.numpy(), np.array([[0.5], [1.5]]), np.array([1.6, 1.75, 1.75])))
    assert out.shape == (2, 3)


def test_clamp_with_tensor_bounds_rejects_min_above_max_and_bad_shapes():
    x = Tensor(np.zeros(3))
    with pytest.raises(ValueError, match="clamp.*min > max"):
        x.clamp(np.array([0.0, 2.0, 0.0]), np.array([1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="clamp.*min > max"):
        x.clamp(Tensor(np.array([0.0, 2.0, 0.0])), 1.0)
    with pytest.raises(ValueError, match="clamp"):
        x.clamp(np.zeros(2))


def test_clamp_with_a_nan_bound_gives_nan_as_np_clip():
    x = np.array([0.0, 1.0])
    out = Tensor(x).clamp(Tensor(np.array([np.nan, 0.5])))
    np.testing.assert_array_equal(out.numpy(), np.clip(x, np.array([np.nan, 0.5]), None))


# ------------------------------------------------------------------------------------- mean, var, std
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.bool_], ids=lambda d: np.dtype(d).name)
def test_mean_var_std_of_integers_equal_numpy_in_float64(dtype):
    x = (np.arange(21) % 7 + 1).astype(dtype).reshape(3, 7)
    for axis in (None, 0, 1, (0, 1)):
        for name in ("mean", "var", "std"):
            got = getattr(Tensor(x), name)(axis=axis)
            expected = getattr(np, name)(x, axis=axis)
            assert got.dtype == expected.dtype == np.float64, (name, axis)
            np.testing.assert_array_equal(got.numpy(), expected, err_msg=f"{name} axis={axis}")


def test_mean_of_one_to_seven_is_exactly_four():
    assert Tensor(np.array([1, 2, 3, 4, 5, 6, 7])).mean().item() == 4.0


def test_std_gradient_is_zero_where_std_is_zero():
    x = Tensor(np.ones(3), requires_grad=True)
    x.std().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros(3))


@pytest.mark.parametrize("ddof", [0, 1])
def test_std_gradients_and_hessian_match_torch_with_a_constant_row(ddof):
    torch = pytest.importorskip("torch")
    a = np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0], [-3.0, -3.0, -3.0]])
    w = np.array([1.0, 2.0, -0.5])
    x = Tensor(a, requires_grad=True)
    t = torch.tensor(a, requires_grad=True)
    (x.std(axis=1, ddof=ddof) * Tensor(w)).sum().backward()
    (t.std(dim=1, correction=ddof) * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-12, atol=1e-15)
    ours = hessian(lambda v: (v.std(axis=1, ddof=ddof) * Tensor(w)).sum(), a)
    theirs = torch.autograd.functional.hessian(
        lambda v: (v.std(dim=1, correction=ddof) * torch.tensor(w)).sum(), torch.tensor(a))
    assert np.isfinite(ours.numpy()).all()
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)


def test_std_second_derivative_is_finite_at_zero_by_hand():
    # std(x) = |x1 - x2| / 2 for two elements: 0 where they are equal, PyTorch's convention,
    # to every order
    x = Tensor(np.array([2.0, 2.0]), requires_grad=True)
    x.std().backward(create_graph=True)
    first = x.grad
    x.grad = None
    (first * Tensor(np.array([1.0, -1.0]))).sum().backward()
    np.testing.assert_array_equal(first.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])


def test_std_away_from_zero_passes_gradcheck_and_gradgradcheck():
    a = np.array([[1.0, 1.5, -0.5, 2.0], [0.3, -0.7, 1.1, 0.0]])
    assert gradcheck(lambda v: v.std(axis=1, ddof=1), [a])
    assert gradgradcheck(lambda v: v.std(axis=0), [a])


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_over_an_empty_axis_have_an_empty_gradient(name):
    x = Tensor(np.zeros((2, 0)), requires_grad=True)
    with np.errstate(all="ignore"):
        out = getattr(x, name)(axis=1)
    assert np.isnan(out.numpy()).all() and out.shape == (2,)  # numpy's and torch's nan
    out.sum().backward()
    assert x.grad.shape == (2, 0)


@pytest.mark.filterwarnings("ignore:.*degrees of freedom")  # torch's warning for its nan
def test_var_std_over_an_empty_axis_match_torch():
    torch = pytest.importorskip("torch")
    for name in ("var", "std"):
        t = torch.zeros((2, 0), dtype=torch.float64, requires_grad=True)
        getattr(t, name)(dim=1).sum().backward()
        x = Tensor(np.zeros((2, 0)), requires_grad=True)
        with np.errstate(all="ignore"):
            getattr(x, name)(axis=1).sum().backward()
        assert x.grad.shape == tuple(t.grad.shape)


# ---------------------------------------------------------------------------------------------- expand
def test_expand_refuses_minus_one_for_a_new_leading_dimension():
    x = Tensor(np.arange(3.0))
    with pytest.raises(ValueError, match=r"expand.*-1.*\(-1, 3\).*\(3,\)"):
        x.expand(-1, 3)
    with pytest.raises(ValueError, match="expand"):
        x.expand(2, -1, 3)
    assert x.expand(2, -1).shape == (2, 3)  # -1 for the existing dimension still keeps it


def test_expand_refusal_matches_torch():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.arange(3.0).expand(-1, 3)
    with pytest.raises(ValueError):
        Tensor(np.arange(3.0)).expand(-1, 3)


def test_expand_with_fewer_sizes_than_dimensions_names_expand():
    with pytest.raises(ValueError, match="expand"):
        Tensor(np.ones((2, 3))).expand(3)


# ---------------------------------------------------------------------------------------------- 0-d tensors
ZERO_D_OPS = ["sum", "mean", "prod", "amax", "amin", "max", "min", "logsumexp", "var", "std", "flip",
              "squeeze"]


@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("name", ZERO_D_OPS)
def test_zero_d_tensor_accepts_dim_0_and_minus_1(name, dim):
    x = Tensor(np.array(1.5), requires_grad=True)
    out = getattr(x, name)(dim)
    if name in ("max", "min"):  # PyTorch's (values, indices) pair
        assert out.indices.item() == 0
        out = out.values
    assert out.shape == ()
    # over the single element: the element itself (its variance and std: 0)
    expected = 0.0 if name in ("var", "std") else 1.5
    assert out.item() == pytest.approx(expected)
    out.backward()
    expected_grad = 0.0 if name in ("var", "std") else 1.0
    assert x.grad.item() == pytest.approx(expected_grad)


@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("name", ZERO_D_OPS)
def test_zero_d_reductions_match_torch(name, dim):
    torch = pytest.importorskip("torch")
    x = Tensor(np.array(-0.75), requires_grad=True)
    t = torch.tensor(-0.75, dtype=torch.float64, requires_grad=True)
    if name in ("var", "std"):
        expected = getattr(torch, name)(t, dim, correction=0)
    elif name in ("max", "min"):
        expected = getattr(torch, name)(t, dim).values
    elif name == "flip":
        expected = torch.flip(t, (dim,))
    else:
        expected = getattr(torch, name)(t, dim)
    out = getattr(x, name)(dim=dim)
    if name in ("max", "min"):
        out = out.values
    assert out.shape == tuple(expected.shape)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy())
    out.backward()
    expected.backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_zero_d_argmax_argmin_give_index_zero(name, dim):
    out = getattr(Tensor(np.array(3.0)), name)(dim)
    assert out.shape == () and out.item() == 0


def test_zero_d_keepdims_and_tuple_axes():
    z = Tensor(np.array(2.0))
    assert z.sum(0, keepdims=True).shape == ()
    assert z.sum((0,)).shape == ()
    with pytest.raises(ValueError, match="repeated"):
        z.sum((0, -1))  # the same axis twice, as torch says too
    with pytest.raises(ValueError, match="out of range"):
        z.sum(1)


@pytest.mark.parametrize("name", ["sum", "flip", "squeeze", "mean"])
def test_zero_d_out_of_range_axes_still_raise(name):
    with pytest.raises(ValueError, match=name):
        getattr(Tensor(np.array(2.0)), name)(-2)


# ---------------------------------------------------------------------------------------------- bool axes
@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "prod", "amax", "max", "logsumexp", "argmax",
                                  "flip", "squeeze"])
@pytest.mark.parametrize("axis", [True, False, (0, True), np.True_])
def test_bool_axes_are_refused(name, axis):
    x = Tensor(np.ones((2, 1)))
    with pytest.raises(TypeError, match=f"{name if name != 'amax' else 'max'}.*axis"):
        getattr(x, name)(axis=axis)


def test_bool_axis_is_refused_like_torch():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.ones(2, 3).sum(True)
    with pytest.raises(TypeError):
        Tensor(np.ones((2, 3))).sum(True)


def test_non_integer_axis_is_refused_with_the_op_name():
    with pytest.raises(TypeError, match="sum"):
        Tensor(np.ones((2, 3))).sum(1.0)


def test_relu_passes_the_gradient_of_a_nan_input_as_pytorch_does():
    from autograd import Value

    x = Tensor(np.array([np.nan, -1.0, 0.0, 2.0]), requires_grad=True)
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 0.0, 0.0, 1.0])  # 0 at 0, as before
    v = Value(float("nan"))
    v.relu().backward()
    assert v.grad == 1.0
    torch = pytest.importorskip("torch")
    t = torch.tensor([float("nan"), -1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    t.relu().sum().backward()
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())
