"""PyTorch's reduction keywords (``unbiased``/``correction`` of var and std, ``dtype=`` of sum, mean, prod,
softmax and log_softmax) and the statistics added with them: nansum, nanmean, var_mean, std_mean, aminmax,
count_nonzero and logcumsumexp.

Values and gradients are compared with torch 2.13 in float64 (on hypothesis-drawn shapes, axes and
corrections), forward passes with numpy, first and second derivatives with finite differences
(gradcheck, gradgradcheck), and bad arguments must raise errors that name the op.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from helpers import check_derivatives
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor, tensor

EXAMPLES = settings(max_examples=20)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
seeds = st.integers(0, 2**32 - 1)


def _outputs(out):
    return list(out) if isinstance(out, tuple) else [out]


def compare_with_torch(torch, ours, theirs, arrays, rtol=1e-12, atol=1e-12, equal_nan=False):
    """``ours`` and ``theirs`` on float64 leaves made from ``arrays``: equal outputs (one tensor or a
    tuple), dtypes and gradients of sum_k sum(out_k * w_k) for random w_k."""
    leaves = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    t_leaves = [torch.tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    outs, t_outs = _outputs(ours(*leaves)), _outputs(theirs(*t_leaves))
    assert len(outs) == len(t_outs)
    rng = np.random.default_rng(0)
    loss, t_loss = 0.0, 0.0
    for out, t_out in zip(outs, t_outs):
        assert out.shape == tuple(t_out.shape)
        assert out.dtype == np.dtype(str(t_out.dtype).replace("torch.", ""))
        np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=rtol, atol=atol,
                                   equal_nan=equal_nan)
        w = rng.standard_normal(out.shape)
        loss = loss + (out * Tensor(w)).sum()
        t_loss = t_loss + (t_out * torch.tensor(w)).sum()
    loss.backward()
    t_loss.backward()
    for leaf, t_leaf in zip(leaves, t_leaves):
        np.testing.assert_allclose(leaf.grad.numpy(), t_leaf.grad.numpy(), rtol=rtol, atol=atol,
                                   equal_nan=equal_nan)
    return leaves


@st.composite
def reduction_case(draw, tuples=True):
    """An array, an axis for it (None, an int, or with ``tuples`` a tuple of ints) and keepdims."""
    shape = draw(shapes)
    x = np.random.default_rng(draw(seeds)).standard_normal(shape)
    n = len(shape)
    options = [st.none(), st.integers(-n, n - 1)]
    if tuples:
        options.append(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True).map(tuple))
    return x, draw(st.one_of(*options)), draw(st.booleans())


def _count(shape, axis):
    axes = range(len(shape)) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    return int(np.prod([shape[a] for a in axes]))


# ======================================================================================= var and std
@EXAMPLES
@given(reduction_case(), st.sampled_from([0, 1, 2, 0.5, -1, 1.5]), st.sampled_from(["var", "std"]))
def test_var_and_std_with_correction_match_torch(case, correction, name):
    torch = pytest.importorskip("torch")
    x, axis, keepdims = case
    if _count(x.shape, axis) - correction <= 0:
        correction = 0  # a zero or negative divisor is checked on its own below
    compare_with_torch(torch, lambda t: getattr(t, name)(axis, correction=correction, keepdims=keepdims),
                       lambda t: getattr(t, name)(axis, correction=correction, keepdim=keepdims), [x])


@EXAMPLES
@given(reduction_case(), st.booleans(), st.sampled_from(["var", "std"]))
def test_var_and_std_with_unbiased_match_torch(case, unbiased, name):
    torch = pytest.importorskip("torch")
    x, axis, keepdims = case
    if _count(x.shape, axis) == 1:
        unbiased = False
    compare_with_torch(torch, lambda t: getattr(t, name)(dim=axis, unbiased=unbiased, keepdim=keepdims),
                       lambda t: getattr(t, name)(dim=axis, unbiased=unbiased, keepdim=keepdims), [x])


@pytest.mark.parametrize("name", ["var", "std"])
def test_torch_positional_unbiased_and_keepdim_give_torchs_values(torch, name):
    # torch's x.var(dim, unbiased, keepdim): here the bool lands on ddof, with the same value
    x = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 0.5]])
    for unbiased in (True, False):
        call = lambda t, unbiased=unbiased: getattr(t, name)(1, unbiased, True)
        compare_with_torch(torch, call, call, [x])


@pytest.mark.parametrize("name", ["var", "std"])
def test_the_default_divisor_stays_n_and_equals_correction_zero(name):
    x = np.array([[1.0, 2.0, 4.0, 7.0], [3.0, 3.0, 0.5, -2.0]])
    ref = getattr(np, name)(x, axis=1)  # numpy's ddof=0
    np.testing.assert_allclose(getattr(tensor(x), name)(1).numpy(), ref, rtol=1e-14)
    np.testing.assert_allclose(getattr(tensor(x), name)(1, correction=0).numpy(), ref, rtol=1e-14)
    unbiased = getattr(np, name)(x, axis=1, ddof=1)
    for kwargs in ({"ddof": 1}, {"unbiased": True}, {"correction": 1}, {"correction": 1.0}):
        np.testing.assert_allclose(getattr(tensor(x), name)(1, **kwargs).numpy(), unbiased, rtol=1e-14)


@pytest.mark.parametrize("correction", [0.5, 2.5, -1.0])
def test_a_fractional_or_negative_correction_divides_by_n_minus_it(correction):
    x = np.array([1.0, 2.0, 4.0, 7.0])
    by_hand = ((x - x.mean()) ** 2).sum() / (4 - correction)
    assert tensor(x).var(correction=correction).item() == pytest.approx(by_hand, rel=1e-14)
    assert tensor(x).std(correction=correction).item() == pytest.approx(np.sqrt(by_hand), rel=1e-14)


@pytest.mark.parametrize("correction", [0.5, 2])
@pytest.mark.parametrize("name", ["var", "std"])
def test_var_and_std_with_a_correction_have_right_second_derivatives(name, correction):
    x = np.random.default_rng(3).standard_normal((3, 4))
    check_derivatives(lambda t: getattr(t, name)(1, correction=correction), x)


def test_a_divisor_of_zero_gives_inf_as_numpy_and_torch(torch):
    x = np.array([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's "degrees of freedom is <= 0"
        theirs = torch.tensor(x).var(correction=2).item()
    assert tensor(x).var(correction=2).item() == np.inf == theirs


@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
@pytest.mark.parametrize("kwargs,named", [
    ({"ddof": 1, "correction": 1}, "ddof= and correction="),
    ({"unbiased": True, "correction": 1}, "unbiased= and correction="),
    ({"ddof": 0, "unbiased": False}, "ddof= and unbiased="),
    ({"ddof": 1, "unbiased": True, "correction": 1}, "ddof= and unbiased= and correction="),
])
def test_two_ways_of_giving_the_divisor_are_refused(name, kwargs, named):
    message = f"{name}: got {named}; expected at most one of ddof, unbiased and correction"
    with pytest.raises(TypeError, match=re.escape(message)):
        getattr(ag, name)(tensor([1.0, 2.0, 3.0]), **kwargs)


@pytest.mark.parametrize("kwargs,error,message", [
    ({"unbiased": 1}, TypeError, "var: got unbiased of type int (1); expected a bool"),
    ({"correction": "1"}, TypeError, "var: got correction of type str ('1'); expected an int or a float"),
    ({"correction": None, "unbiased": None, "ddof": 0.5}, ValueError,
     "var: got ddof=0.5; expected a non-negative integer"),
    ({"correction": float("nan")}, ValueError, "var: got correction=nan; expected a finite number"),
    ({"correction": float("inf")}, ValueError, "var: got correction=inf; expected a finite number"),
])
def test_bad_unbiased_and_correction_raise_errors_naming_var(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        tensor([1.0, 2.0, 3.0]).var(**kwargs)


# ======================================================================================= var_mean, std_mean
@EXAMPLES
@given(reduction_case(), st.sampled_from([0, 1]), st.sampled_from(["var_mean", "std_mean"]))
def test_var_mean_and_std_mean_match_torch(case, correction, name):
    torch = pytest.importorskip("torch")
    x, axis, keepdims = case
    if _count(x.shape, axis) == 1:
        correction = 0
    compare_with_torch(torch, lambda t: getattr(ag, name)(t, axis, correction=correction, keepdims=keepdims),
                       lambda t: getattr(torch, name)(t, axis, correction=correction, keepdim=keepdims), [x])


def test_var_mean_takes_torchs_positional_arguments_and_returns_a_plain_pair(torch):
    x = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 0.5]])
    out = ag.var_mean(tensor(x), 0, True, True)
    assert type(out) is tuple and len(out) == 2
    compare_with_torch(torch, lambda t: ag.std_mean(t, 0, True, True),
                       lambda t: torch.std_mean(t, 0, True, True), [x])


def test_var_mean_divides_by_n_by_default_as_var_does():
    x = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 0.5]])
    v, m = ag.var_mean(x, 1)
    np.testing.assert_allclose(v.numpy(), np.var(x, axis=1), rtol=1e-14)
    np.testing.assert_allclose(m.numpy(), np.mean(x, axis=1), rtol=1e-14)
    s, m = ag.std_mean(x, dim=1, keepdim=True)
    np.testing.assert_allclose(s.numpy(), np.std(x, axis=1, keepdims=True), rtol=1e-14)


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_var_mean_and_std_mean_derivatives(name):
    x = np.random.default_rng(5).standard_normal((3, 4))
    check_derivatives(lambda t: getattr(ag, name)(t, 1, correction=1), x)


@pytest.mark.parametrize("correction", [0, 1])
@pytest.mark.parametrize("shape, axis, keepdims", [
    ((0, 3), 0, False), ((0, 3), None, False), ((2, 0, 3), (0, 1), False), ((3, 0), 1, True),
    ((2, 0, 3), 1, False),
])
@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
def test_var_mean_and_std_mean_over_an_empty_axis_are_nan_as_torch(torch, name, shape, axis, keepdims,
                                                                    correction):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's "degrees of freedom is <= 0"
        leaves = compare_with_torch(
            torch, lambda t: getattr(ag, name)(t, axis, correction=correction, keepdims=keepdims),
            lambda t: getattr(torch, name)(t, axis, correction=correction, keepdim=keepdims),
            [np.zeros(shape)], equal_nan=True)
    assert leaves[0].grad.shape == shape  # empty, as the input


@pytest.mark.parametrize("shape, axis, keepdims", [
    ((0, 3), 0, False), ((0, 3), None, False), ((2, 0, 3), (0, 1), True), ((3, 0), 1, False),
])
def test_mean_over_an_empty_axis_is_nan_as_torch(torch, shape, axis, keepdims):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as in torch: the nan says it, with no warning
        leaves = compare_with_torch(torch, lambda t: ag.mean(t, axis, keepdims=keepdims),
                                    lambda t: torch.mean(t, axis, keepdim=keepdims) if axis is not None
                                    else torch.mean(t), [np.zeros(shape)], equal_nan=True)
    assert leaves[0].grad.shape == shape


def test_mean_of_an_empty_integer_tensor_is_a_float64_nan():
    out = ag.mean(Tensor(np.zeros((0, 2), dtype=np.int64)), 0)
    assert out.dtype == np.float64 and np.isnan(out.numpy()).all() and out.shape == (2,)


@pytest.mark.parametrize("name", ["var_mean", "std_mean", "var"])
def test_an_empty_reduction_warns_as_var_does_and_records_its_gradient_as_torch(torch, name):
    x = Tensor(np.zeros((0, 3)), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # var's convention: the nan says it, with no warning (torch warns)
        out = sum(o.sum() for o in _outputs(getattr(ag, name)(x, 0)))
    t = torch.zeros((0, 3), dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        t_out = sum(o.sum() for o in _outputs(getattr(torch, name)(t, 0)))
    g = ag.grad(lambda u: sum(o.sum() for o in _outputs(getattr(ag, name)(u, 0))), create_graph=True)(x)
    (t_g,) = torch.autograd.grad(t_out, t, create_graph=True)
    assert np.isnan(out.item()) and np.isnan(t_out.item())
    assert g.shape == tuple(t_g.shape) == (0, 3)
    assert g.requires_grad is t_g.requires_grad is True  # it can be differentiated again


# ======================================================================================= dtype=
@pytest.mark.parametrize("name", ["sum", "mean", "prod", "nansum", "nanmean"])
def test_reductions_with_dtype_cast_first_and_match_torch(torch, name):
    x = np.array([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]], dtype=np.float32)
    for dtype in ("float64", "float32"):
        leaf = Tensor(x.copy(), requires_grad=True)
        t_leaf = torch.tensor(x.copy(), requires_grad=True)
        out = getattr(leaf, name)(dim=1, dtype=getattr(ag, dtype))
        t_out = getattr(t_leaf, name)(dim=1, dtype=getattr(torch, dtype))
        assert out.dtype == np.dtype(dtype)
        np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=1e-6)
        w = np.array([1.0, -2.0])
        (out * Tensor(w.astype(dtype))).sum().backward()
        (t_out * torch.tensor(w.astype(dtype))).sum().backward()
        assert leaf.grad.dtype == np.float32  # the cast's gradient comes back in the input's dtype
        np.testing.assert_allclose(leaf.grad.numpy(), t_leaf.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_with_dtype_casts_first_and_matches_torch(torch, name):
    x = np.array([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]], dtype=np.float32)
    leaf = Tensor(x.copy(), requires_grad=True)
    t_leaf = torch.tensor(x.copy(), requires_grad=True)
    out = getattr(ag, name)(leaf, 1, dtype="float64")
    t_out = getattr(torch, name)(t_leaf, 1, dtype=torch.float64)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=1e-12)
    w = np.random.default_rng(0).standard_normal(x.shape)
    (out * Tensor(w)).sum().backward()
    (t_out * torch.tensor(w)).sum().backward()
    assert leaf.grad.dtype == np.float32
    np.testing.assert_allclose(leaf.grad.numpy(), t_leaf.grad.numpy(), rtol=1e-6)
    # an integer input, which torch's softmax refuses without dtype
    np.testing.assert_allclose(getattr(tensor([[1, 2, 4]]), name)(dim=1, dtype=torch.float64).numpy(),
                               getattr(torch.tensor([[1, 2, 4]]), name)(1, dtype=torch.float64).numpy(),
                               rtol=1e-14)


def test_integer_inputs_with_a_float_dtype_match_torch(torch):
    x = np.array([[1, 2, 3], [4, 5, 7]])
    for name in ("sum", "mean", "prod"):
        ours = getattr(tensor(x), name)(dtype="float32")
        theirs = getattr(torch.tensor(x), name)(dtype=torch.float32)
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-7)
    ours = tensor([1.5, 2.5, -0.5]).sum(dtype="int64")
    theirs = torch.tensor([1.5, 2.5, -0.5]).sum(dtype=torch.int64)
    assert ours.dtype == np.int64 and ours.item() == theirs.item() == 1 + 2 + 0  # each truncated first


@pytest.mark.parametrize("name", ["mean", "nanmean", "softmax", "log_softmax"])
def test_an_integer_dtype_is_refused_where_the_result_is_a_fraction(name):
    with pytest.raises(TypeError, match=re.escape(f"{name}: got dtype=int64; expected a floating dtype")):
        getattr(tensor([1.0, 2.0]), name)(dtype="int64")


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "softmax"])
def test_an_unknown_dtype_is_refused_naming_the_op(name):
    with pytest.raises(TypeError, match=f"^{name}: got dtype"):
        getattr(tensor([1.0, 2.0]), name)(dtype="complex128")
    with pytest.raises(TypeError, match=f"^{name}: got dtype 'no such type'"):
        getattr(tensor([1.0, 2.0]), name)(dtype="no such type")


# ======================================================================================= nansum, nanmean
@st.composite
def nan_case(draw):
    """An array with nan at random places (a whole slice of nan sometimes), an axis and keepdims."""
    x, axis, keepdims = draw(reduction_case())
    rng = np.random.default_rng(draw(seeds))
    x[rng.random(x.shape) < draw(st.sampled_from([0.0, 0.3, 0.7]))] = np.nan
    return x, axis, keepdims


@EXAMPLES
@given(nan_case(), st.sampled_from([np.float32, np.float64]))
def test_nansum_and_nanmean_forward_match_numpy(case, dtype):
    x, axis, keepdims = case
    x = x.astype(dtype)
    tol = 1e-5 if dtype == np.float32 else 1e-13
    got = tensor(x).nansum(axis, keepdims=keepdims)
    assert got.dtype == dtype
    np.testing.assert_allclose(got.numpy(), np.nansum(x, axis=axis, keepdims=keepdims), rtol=tol, atol=tol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's "mean of empty slice" (of nan alone)
        expected = np.nanmean(x, axis=axis, keepdims=keepdims)
    got = tensor(x).nanmean(axis, keepdims=keepdims)
    assert got.dtype == dtype
    np.testing.assert_allclose(got.numpy(), expected, rtol=tol, atol=tol, equal_nan=True)


@EXAMPLES
@given(nan_case(), st.sampled_from(["nansum", "nanmean"]))
def test_nansum_and_nanmean_values_and_gradients_match_torch(case, name):
    torch = pytest.importorskip("torch")
    x, axis, keepdims = case
    leaf = Tensor(x.copy(), requires_grad=True)
    t_leaf = torch.tensor(x.copy(), requires_grad=True)
    out = getattr(leaf, name)(axis, keepdims=keepdims)
    t_out = getattr(t_leaf, name)(axis, keepdim=keepdims)
    np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=1e-12, atol=1e-12, equal_nan=True)
    w = np.random.default_rng(1).standard_normal(out.shape)
    (out * Tensor(w)).sum().backward()
    (t_out * torch.tensor(w)).sum().backward()
    theirs = t_leaf.grad.numpy()
    # torch's nanmean gives nan at the entries of a slice of nan alone (0 / 0 times 0); here they get 0,
    # as every nan entry does
    theirs = np.where(np.isnan(x), 0.0, theirs)
    np.testing.assert_array_equal(leaf.grad.numpy()[np.isnan(x)], 0.0)
    np.testing.assert_allclose(leaf.grad.numpy(), theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("create_graph", [False, True])
def test_nanmean_of_a_slice_of_nan_alone_is_nan_with_gradient_zero(create_graph):
    x = Tensor(np.array([[np.nan, np.nan], [1.0, 2.0]]), requires_grad=True)
    y = x.nanmean(dim=1)
    assert np.isnan(y.numpy()[0]) and y.numpy()[1] == 1.5
    y.backward(Tensor(np.array([1.0, 1.0])), create_graph=create_graph)
    np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 0.0], [0.5, 0.5]])


@pytest.mark.parametrize("create_graph", [False, True])
def test_nansum_gradient_is_zero_at_nan_whatever_comes_from_above(create_graph):
    x = Tensor(np.array([[np.nan, 1.0, 2.0], [3.0, np.nan, np.nan]]), requires_grad=True)
    x.nansum(axis=1).backward(Tensor(np.array([2.0, np.inf])), create_graph=create_graph)
    np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 2.0, 2.0], [np.inf, 0.0, 0.0]])


@pytest.mark.parametrize("name", ["nansum", "nanmean"])
def test_nansum_and_nanmean_derivatives_with_nans_put_in_by_where(name):
    mask = np.array([[True, False, False, True], [False, False, True, False], [False, False, False, False]])
    x = np.random.default_rng(4).standard_normal(mask.shape)
    # the nonlinear function comes before the nan: any derivative taken at a nan entry would be nan
    check_derivatives(lambda t: getattr(ag.where(mask, np.nan, t.sin() * t), name)(1), x)
    check_derivatives(lambda t: getattr(ag.where(mask, np.nan, t), name)() ** 2, x)


def test_nansum_and_nanmean_of_integers_are_sum_and_mean():
    x = np.array([[1, 2, 3], [4, 5, 7]], dtype=np.int32)
    got = tensor(x).nansum(1)
    assert got.dtype == np.sum(x, axis=1).dtype and got.tolist() == [6, 16]
    got = tensor(np.array([True, False, True])).nansum()
    assert got.dtype == np.int64 and got.item() == 2
    got = tensor(x).nanmean(0)
    assert got.dtype == np.float64 and got.tolist() == [2.5, 3.5, 5.0]


# ======================================================================================= aminmax
@EXAMPLES
@given(reduction_case(tuples=False), st.booleans())
def test_aminmax_values_and_gradients_match_torch(case, ties):
    torch = pytest.importorskip("torch")
    x, axis, keepdims = case
    if ties:
        x = np.round(x)  # equal extrema share the gradient evenly, as torch's amin/amax
    out = compare_with_torch(torch, lambda t: tuple(t.aminmax(dim=axis, keepdim=keepdims)),
                             lambda t: tuple(t.aminmax(dim=axis, keepdim=keepdims)), [x])
    assert out[0].grad is not None


def test_aminmax_is_a_named_pair_of_amin_and_amax():
    x = tensor([[1.0, 5.0, 5.0], [-2.0, 0.0, -2.0]])
    out = ag.aminmax(x, dim=1)
    assert out.min.tolist() == [1.0, -2.0] and out.max.tolist() == [5.0, 0.0]
    lo, hi = x.aminmax()
    assert (lo.item(), hi.item()) == (-2.0, 5.0)
    assert type(out).__name__ == "MinMax" and out._fields == ("min", "max")


def test_aminmax_derivatives():
    x = np.random.default_rng(6).standard_normal((3, 4))
    check_derivatives(lambda t: tuple(t.aminmax(dim=0)), x)


def test_aminmax_of_nan_and_of_nothing():
    lo, hi = tensor([1.0, np.nan, 3.0]).aminmax()
    assert np.isnan(lo.item()) and np.isnan(hi.item())
    with pytest.raises(ValueError, match=r"^aminmax: cannot reduce a tensor of shape \(0,\)"):
        ag.zeros(0).aminmax()
    with pytest.raises(TypeError, match="aminmax: got axis='a'"):
        ag.zeros(2).aminmax(dim="a")


# ======================================================================================= count_nonzero
@EXAMPLES
@given(reduction_case(), st.sampled_from([np.float64, np.int64, np.bool_]))
def test_count_nonzero_matches_torch_and_numpy(case, dtype):
    torch = pytest.importorskip("torch")
    x, axis, _ = case
    x = np.round(x).astype(dtype)  # about a third zeros
    x_float = x.astype(np.float64)
    if dtype == np.float64:
        x[x == 1.0] = np.nan  # nan counts as nonzero
    got = tensor(x).count_nonzero(dim=axis)
    assert got.dtype == np.int64 and not got.requires_grad
    np.testing.assert_array_equal(got.numpy(), torch.count_nonzero(torch.tensor(x), dim=axis).numpy())
    np.testing.assert_array_equal(got.numpy(), np.count_nonzero(x_float, axis=axis))


def test_count_nonzero_of_a_tensor_that_requires_grad_is_a_constant():
    x = Tensor(np.array([[0.0, 1.0], [-0.0, 2.0]]), requires_grad=True)
    got = x.count_nonzero(axis=1, keepdims=True)
    assert got.tolist() == [[1], [1]] and not got.requires_grad and got.op == ""


# ======================================================================================= logcumsumexp
def _logcumsumexp_reference(x: np.ndarray, axis: int) -> np.ndarray:
    """The running log(exp(y) + exp(v)) = max + log1p(exp(-|y - v|)), one entry at a time with math."""
    moved = np.moveaxis(x, axis, -1)
    out = np.empty_like(moved)
    for index in np.ndindex(moved.shape[:-1]):
        y = -math.inf
        for k, v in enumerate(moved[index]):
            y = v if y == -math.inf else max(y, v) + math.log1p(math.exp(-abs(y - v)))
            out[index + (k,)] = y
    return np.moveaxis(out, -1, axis)


@EXAMPLES
@given(shapes, seeds, st.data(), st.sampled_from([1.0, 300.0]))
def test_logcumsumexp_forward_matches_a_reference_and_torch(shape, seed, data, scale):
    torch = pytest.importorskip("torch")
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = np.random.default_rng(seed).standard_normal(shape) * scale
    got = tensor(x).logcumsumexp(axis)
    np.testing.assert_allclose(got.numpy(), _logcumsumexp_reference(x, axis), rtol=1e-12, atol=1e-12)
    compare_with_torch(torch, lambda t: t.logcumsumexp(axis), lambda t: t.logcumsumexp(axis), [x],
                       rtol=1e-11, atol=1e-11)


@EXAMPLES
@given(shapes, seeds, st.data())
def test_logcumsumexp_derivatives(shape, seed, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = np.random.default_rng(seed).standard_normal(shape)
    check_derivatives(lambda t: t.logcumsumexp(dim=axis), x)


def test_logcumsumexp_of_large_values_stays_finite_and_matches_torch(torch):
    x = np.array([1e4, 1e4, -1e4, 1e4 + 3.0])
    got = compare_with_torch(torch, lambda t: t.logcumsumexp(0), lambda t: t.logcumsumexp(0), [x])
    assert np.isfinite(got[0].grad.numpy()).all()
    np.testing.assert_allclose(tensor(x).logcumsumexp(0).numpy()[:2], [1e4, 1e4 + np.log(2.0)], rtol=1e-15)


def test_logcumsumexp_hessian_matches_torch(torch):
    x = np.random.default_rng(7).standard_normal(5)
    w = np.random.default_rng(8).standard_normal(5)
    ours = ag.hessian(lambda t: (t.logcumsumexp(0) * Tensor(w)).sum(), x)
    theirs = torch.autograd.functional.hessian(lambda t: (t.logcumsumexp(0) * torch.tensor(w)).sum(),
                                               torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("data", [
    [-np.inf, -np.inf, 0.0, 1.0], [0.0, np.inf, 1.0], [1.0, np.nan, 2.0], [-np.inf, 1.0, -np.inf],
    [-np.inf, -np.inf, -np.inf],
])
def test_logcumsumexp_at_infinities_and_nan_matches_torch(torch, data):
    w = np.array([1.0, -2.0, 0.5, 1.0])[: len(data)]
    for create_graph in (False, True):
        x = Tensor(np.array(data), requires_grad=True)
        t = torch.tensor(np.array(data), requires_grad=True)
        y, ty = x.logcumsumexp(0), t.logcumsumexp(0)
        np.testing.assert_array_equal(y.numpy(), ty.detach().numpy())
        y.backward(Tensor(w), create_graph=create_graph)
        ty.backward(torch.tensor(w))
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-15, equal_nan=True)


def test_logcumsumexp_passes_a_nan_gradient_on():
    x = Tensor(np.array([0.5, 1.0, -1.0]), requires_grad=True)
    x.logcumsumexp(0).backward(np.array([1.0, np.nan, 1.0]))
    assert np.isnan(x.grad.numpy()[:2]).all() and np.isfinite(x.grad.numpy()[2])


def test_logcumsumexp_dtypes_and_small_shapes(torch):
    x32 = tensor([0.5, -1.0, 2.0])
    assert x32.logcumsumexp(0).dtype == np.float32
    np.testing.assert_allclose(x32.logcumsumexp(0).numpy(), torch.tensor([0.5, -1.0, 2.0]).logcumsumexp(0),
                               rtol=1e-6)
    assert tensor([1, 2]).logcumsumexp(0).dtype == np.float32  # as logsumexp; torch refuses integers
    s = Tensor(np.array(2.0), requires_grad=True)
    y = s.logcumsumexp(0)
    y.backward()
    assert y.shape == () and y.item() == 2.0 and s.grad.item() == 1.0
    assert ag.zeros(0, 3).logcumsumexp(0).shape == (0, 3)


def test_logcumsumexp_needs_one_int_dim():
    with pytest.raises(TypeError, match=r"^logcumsumexp: got dim=\(0,\); expected an int"):
        tensor([1.0, 2.0]).logcumsumexp((0,))
    with pytest.raises(ValueError, match="^logcumsumexp: dim 2 is out of range"):
        tensor([1.0, 2.0]).logcumsumexp(dim=2)
    with pytest.raises(TypeError):
        tensor([1.0, 2.0]).logcumsumexp()
    with pytest.raises(TypeError, match=re.escape("logcumsumexp: got an argument of type str ('a')")):
        ag.logcumsumexp("a", 0)
