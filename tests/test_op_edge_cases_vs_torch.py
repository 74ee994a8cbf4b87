"""Edge cases of reshape/view sizes, cat with an empty 1-D tensor, arange with non-finite arguments, pow
at signed zeros and infinities, and the mixed second derivative of pow at a zero exponent.

Each case is first tried in PyTorch (float32 and float64, where it is installed): the expectation is
PyTorch's result, or numpy's or calculus by hand where chaingrad deliberately differs (each such place
says why). tests/test_edge_conventions.py holds the other conventions of pow and abs.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import autograd
from autograd import Tensor, gradcheck, gradgradcheck

inf, nan = math.inf, math.nan


def torch_or_skip():
    return pytest.importorskip("torch")


def identical(got: np.ndarray, expected: np.ndarray) -> bool:
    """Same shape and dtype, and element by element equal, both nan, or zeros of the same sign."""
    got, expected = np.asarray(got), np.asarray(expected)
    if got.shape != expected.shape or got.dtype != expected.dtype:
        return False
    both_nan = np.isnan(got) & np.isnan(expected) if got.dtype.kind == "f" else False
    same = (got == expected) & (np.signbit(got) == np.signbit(expected))
    return bool(np.all(same | both_nan))


# ===================================================================== 1. sizes of reshape and view
NEGATIVE_SHAPES = [(-2, 3), (-6,), (2, -3), (-3, -2), (-1, -1), (3, -1, -1), (np.int64(-2), 3)]


@pytest.mark.parametrize("method", ["reshape", "view"])
@pytest.mark.parametrize("shape", NEGATIVE_SHAPES, ids=repr)
def test_reshape_and_view_refuse_negative_sizes_but_a_single_minus_one(method, shape):
    # numpy reads any negative size as "infer"; PyTorch accepts -1 alone, and only once
    torch = torch_or_skip()
    with pytest.raises(RuntimeError):
        getattr(torch.zeros(6), method)(*[int(n) for n in shape])
    with pytest.raises(ValueError, match=rf"^{method}: got shape .*; expected (sizes >= 0 and )?at most one "
                                         r"-1 \(the size to infer\)$"):
        getattr(autograd.zeros(6), method)(*shape)


@pytest.mark.parametrize("shape", [(-2, 3), (-1, -1)], ids=repr)
def test_the_reshape_function_and_a_list_shape_are_checked_too(shape):
    with pytest.raises(ValueError, match=r"^reshape: got shape \(-\d, -?\d\) with "):
        autograd.reshape(np.zeros(6), list(shape))
    with pytest.raises(ValueError, match=r"^view: got shape "):
        autograd.zeros(6).view(list(shape))


@pytest.mark.parametrize("shape", [(2, -1), (-1,), (-1, 3), (1, -1, 2)], ids=repr)
def test_a_single_minus_one_infers_the_size_as_in_torch(shape):
    torch = torch_or_skip()
    data = np.arange(6.0)
    for method in ("reshape", "view"):
        expected = getattr(torch.from_numpy(data), method)(*shape)
        x = Tensor(data, requires_grad=True)
        out = getattr(x, method)(*shape)
        assert out.shape == tuple(expected.shape)
        np.testing.assert_array_equal(out.numpy(), expected.numpy())
        out.sum().backward()
        assert x.grad.shape == (6,)


@pytest.mark.parametrize("shape", [(-1, 0), (2, -1, 0), (0, -1)], ids=repr)
def test_minus_one_beside_a_zero_size_is_ambiguous(shape):
    torch = torch_or_skip()
    with pytest.raises(RuntimeError, match="ambiguous"):
        torch.zeros(0).reshape(shape)
    with pytest.raises(ValueError, match=r"^reshape: cannot reshape a tensor of shape \(0,\) \(0 elements\) "
                                         r"into shape .*: the other sizes multiply to 0"):
        autograd.zeros(0).reshape(shape)


SIZE_TAKERS = {
    "expand(-2)": (lambda m: m.zeros(1).expand(-2), "expand"),
    "expand(2, -2)": (lambda m: m.zeros(1).expand(2, -2), "expand"),
    "broadcast_to((-2,))": (lambda m: m.zeros(1).broadcast_to((-2,)), "broadcast_to"),
    "repeat(-1)": (lambda m: m.zeros(2).repeat(-1), "repeat"),
    "tile((-1,))": (lambda m: m.zeros(2).tile((-1,)), "tile"),
    "zeros(-1)": (lambda m: m.zeros(-1), "zeros"),
    "ones(2, -1)": (lambda m: m.ones(2, -1), "ones"),
    "full((-1,), 1.0)": (lambda m: m.full((-1,), 1.0), "full"),
    "eye(-1)": (lambda m: m.eye(-1), "eye"),
    "randn(-1)": (lambda m: m.randn(-1), "randn"),
    "rand(3, -2)": (lambda m: m.rand(3, -2), "rand"),
}


@pytest.mark.parametrize("case", list(SIZE_TAKERS))
def test_the_other_ops_that_take_sizes_refuse_negative_ones_as_torch(case):
    torch = torch_or_skip()
    make, name = SIZE_TAKERS[case]
    with pytest.raises(RuntimeError):
        make(torch)
    with pytest.raises(ValueError, match=rf"^{name}: got .*-[12]"):
        make(autograd)


def test_expand_keeps_a_size_for_minus_one_as_torch():
    torch = torch_or_skip()
    assert autograd.zeros(3, 1).expand(-1, 4).shape == tuple(torch.zeros(3, 1).expand(-1, 4).shape)


# ================================================================ 2. cat beside an empty 1-D tensor
def both(builder):
    """The result of ``builder(m, make)`` in torch and in chaingrad, ``make(array)`` making a tensor."""
    torch = torch_or_skip()
    return builder(torch, torch.from_numpy), builder(autograd, Tensor)


def f32(*shape):
    return np.arange(float(np.prod(shape)), dtype=np.float32).reshape(shape) + 1


EMPTY = np.zeros(0, dtype=np.float32)
CAT_CASES = {
    "[a, e]": ([f32(2, 3), EMPTY], 0),
    "[e, a]": ([EMPTY, f32(2, 3)], 0),
    "[e, a, e]": ([EMPTY, f32(2, 3), EMPTY], 0),
    "[e, a, b] axis 1": ([EMPTY, f32(2, 3), f32(2, 1)], 1),
    "[a, e] axis -1": ([f32(2, 3), EMPTY], -1),
    "[e, a] axis -2": ([EMPTY, f32(2, 3)], -2),
    "[a, e, b] 3-d axis 2": ([f32(2, 1, 3), EMPTY, f32(2, 1, 2)], 2),
    "[zeros(0, 3), e]": ([np.zeros((0, 3), np.float32), EMPTY], 0),
    "[e, zeros(1, 0)]": ([EMPTY, np.zeros((1, 0), np.float32)], 0),
    "[e, e]": ([EMPTY, EMPTY], 0),
    "[e]": ([EMPTY], -1),
    "[e, v] (same rank: joined)": ([EMPTY, f32(3)], 0),
    "[a, zeros(0, 3)]": ([f32(2, 3), np.zeros((0, 3), np.float32)], 0),
}


@pytest.mark.parametrize("case", list(CAT_CASES))
def test_cat_skips_an_empty_1d_tensor_beside_tensors_of_another_rank(case):
    arrays, axis = CAT_CASES[case]
    expected, got = both(lambda m, make: m.cat([make(a.copy()) for a in arrays], axis))
    assert identical(got.numpy(), expected.numpy())


DTYPE_CASES = [
    (np.float32, np.float64), (np.float64, np.float32), (np.int64, np.float64), (np.float32, np.bool_),
    (np.int64, np.int32), (np.float64, np.int64),
]


@pytest.mark.parametrize("kept, skipped", DTYPE_CASES, ids=lambda d: np.dtype(d).name)
def test_the_skipped_tensor_takes_part_in_the_dtype_of_the_result(kept, skipped):
    full, empty = np.ones((2, 3), dtype=kept), np.zeros(0, dtype=skipped)
    for arrays in ([full, empty], [empty, full]):
        expected, got = both(lambda m, make, arrays=arrays: m.cat([make(a.copy()) for a in arrays]))
        assert identical(got.numpy(), expected.numpy())
        # numpy's promotion of the two dtypes, by hand
        assert got.dtype == np.result_type(kept, skipped)


BAD_CATS = {
    "[a, ones(1)]": ([f32(2, 3), f32(1)], 0,
                     r"^cat: tensor 1 has shape \(1,\) and tensor 0 has shape \(2, 3\)"),
    "[e, a, zeros(0, 5)]": ([EMPTY, f32(2, 3), np.zeros((0, 5), np.float32)], 0,
                            r"^cat: tensor 2 has shape \(0, 5\) and tensor 1 has shape \(2, 3\); expected .* "
                            r"equal sizes except along axis 0$"),
    "[e, 0-d]": ([EMPTY, np.array(1.0, np.float32)], 0, r"^cat: tensor 1 is 0-d"),
    "[e, e, 0-d]": ([EMPTY, EMPTY, np.array(1.0, np.float32)], 0, r"^cat: tensor 2 is 0-d"),
    "[e, a] axis 2": ([EMPTY, f32(2, 3)], 2, r"^cat: axis 2 is out of range for a tensor with 2 dimensions"),
    "[e, v] axis 1": ([EMPTY, f32(3)], 1, r"^cat: axis 1 is out of range for a tensor with 1 dimensions"),
}


@pytest.mark.parametrize("case", list(BAD_CATS))
def test_cat_still_refuses_what_torch_refuses(case):
    torch = torch_or_skip()
    arrays, axis, match = BAD_CATS[case]
    with pytest.raises((RuntimeError, IndexError)):
        torch.cat([torch.from_numpy(a.copy()) for a in arrays], axis)
    with pytest.raises(ValueError, match=match):
        autograd.cat([Tensor(a) for a in arrays], axis)


def test_cat_of_empty_1d_tensors_alone_checks_the_axis():
    # PyTorch checks no axis when every tensor is skipped (torch.cat([e, e], dim=5) is e); chaingrad
    # checks it against the one dimension the tensors have, as for any other 1-D tensors
    with pytest.raises(ValueError, match=r"^cat: axis 5 is out of range for a tensor with 1 dimensions"):
        autograd.cat([autograd.zeros(0), autograd.zeros(0)], axis=5)
    assert autograd.cat([autograd.zeros(0), autograd.zeros(0)], axis=-1).shape == (0,)


@pytest.mark.parametrize("create_graph", [False, True])
def test_the_skipped_tensor_gets_an_empty_gradient_of_its_own_dtype(create_graph):
    torch = torch_or_skip()
    full = np.arange(6.0).reshape(2, 3)
    seed = np.arange(18.0).reshape(2, 9) - 7  # cat([x, e, 2x, e32, x], axis=1) has shape (2, 9)

    def run(m, make):
        x = make(full.copy()).requires_grad_()
        e64 = make(np.zeros(0)).requires_grad_()
        e32 = make(np.zeros(0, np.float32)).requires_grad_()
        out = m.cat([x, e64, x * 2, e32, x], 1)
        if m is torch:  # the reference: PyTorch's gradients are the same with create_graph
            out.backward(m.from_numpy(seed))
        else:
            out.backward(seed, create_graph=create_graph)
        return out, x.grad, e64.grad, e32.grad

    expected, got = both(run)
    for g, e in zip(got, expected):
        assert identical(g.detach().numpy(), e.detach().numpy())
    assert got[3].shape == (0,) and got[3].dtype == np.float32


def test_cat_with_a_skipped_tensor_passes_gradcheck_and_gradgradcheck():
    rng = np.random.default_rng(0)
    x, empty = rng.standard_normal((2, 3)), np.zeros(0)
    assert gradcheck(lambda a, e: autograd.cat([e, a, e * 2, a * a], 1), [x, empty])
    assert gradgradcheck(lambda a, e: autograd.cat([a * a, e, a.exp()]), [x, empty])


STACK_CASES = {
    "[e, e]": [EMPTY, EMPTY],
    "[e f32, e f64]": [EMPTY, np.zeros(0)],
    "[v f32, v f64]": [f32(2), np.ones(2)],
}


@pytest.mark.parametrize("case", list(STACK_CASES))
def test_stack_skips_nothing_and_promotes_as_torch(case):
    arrays = STACK_CASES[case]
    expected, got = both(lambda m, make: m.stack([make(a.copy()) for a in arrays]))
    assert identical(got.numpy(), expected.numpy())


@pytest.mark.parametrize("arrays", [[f32(2, 3), EMPTY], [EMPTY, f32(1, 2)]], ids=["[a, e]", "[e, a]"])
def test_stack_refuses_an_empty_1d_tensor_beside_another_shape_as_torch(arrays):
    torch = torch_or_skip()
    with pytest.raises(RuntimeError):
        torch.stack([torch.from_numpy(a.copy()) for a in arrays])
    with pytest.raises(ValueError, match=r"^stack: tensor 1 has shape .* and tensor 0 has shape "):
        autograd.stack([Tensor(a) for a in arrays])


# ============================================================== 3. arange with non-finite arguments
NON_FINITE_BOUNDS = [
    ((0, inf), "stop is inf"), ((0, -inf), "stop is -inf"), ((-inf, 0), "start is -inf"),
    ((inf,), "stop is inf"), ((nan,), "stop is nan"), ((0, nan), "stop is nan"), ((nan, 5), "start is nan"),
    ((0, 5, nan), "step is nan"), ((inf, inf), "start is inf, stop is inf"),
]


@pytest.mark.parametrize("dtype", [None, "float64", "int64"])
@pytest.mark.parametrize("args, bad", NON_FINITE_BOUNDS, ids=repr)
def test_arange_refuses_infinite_and_nan_arguments_as_torch(args, bad, dtype):
    torch = torch_or_skip()
    with pytest.raises(RuntimeError):
        torch.arange(*args, dtype=None if dtype is None else getattr(torch, dtype))
    with pytest.raises(ValueError, match=rf"^arange: got start=.*; expected finite start, stop and step "
                                         rf"\({bad}\)$"):
        autograd.arange(*args, dtype=dtype)


@pytest.mark.parametrize("args", [(0, 5, inf), (5, 0, -inf), (0, 0, inf), (0, 0.5, inf)], ids=repr)
def test_arange_refuses_an_infinite_step_on_which_numpy_and_torch_disagree(args):
    # numpy takes the first element, which lies in [start, stop); PyTorch divides the length by the step
    # and gives nothing. Neither answer would surprise nobody, so chaingrad says which argument is wrong.
    torch = torch_or_skip()
    start, stop, _ = args
    assert np.arange(*args).tolist() == ([start] if start != stop else [])
    assert torch.arange(*args).tolist() == []
    with pytest.raises(ValueError, match=rf"^arange: got start={start}, stop={stop}, step=-?inf; expected "
                                         r"finite start, stop and step \(step is -?inf\)$"):
        autograd.arange(*args)


@pytest.mark.parametrize("args", [(0, 5, 0), (0, 5, 0.0), (0, 0, 0)], ids=repr)
def test_arange_refuses_a_zero_step_as_torch(args):
    torch = torch_or_skip()
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        torch.arange(*args)
    with pytest.raises(ValueError, match=r"^arange: got step 0(\.0)?; expected a nonzero step$"):
        autograd.arange(*args)


@pytest.mark.parametrize("args", [(0, 5, 1e308), (5, 0, -1e308), (2.5, 3, 0.25)], ids=repr)
def test_arange_with_a_huge_finite_step_gives_what_torch_gives(args):
    torch = torch_or_skip()
    assert autograd.arange(*args).tolist() == torch.arange(*args).tolist()


# ============================================================ 4. pow at signed zeros and infinities
POW_BASES = [-inf, -1.0, -0.0, 0.0, 1.0, inf, nan]
POW_EXPONENTS = [0.5, -0.5, 2, -2, 0, 1, 3, -1, 0.3, 1.5, -1.5, 4]
# How the exponent is given: a Python number, which PyTorch computes apart (x ** 0.5 is sqrt(x)), or a
# tensor of each of these shapes (numpy's own loop would take a square root wherever 0.5 is broadcast)
EXPONENT_FORMS = {"number": None, "full": (7, 2), "0-d": (), "(1,)": (1,), "row": (1, 2)}


def pow_both(m, make, dtype, exponent, form: str, g: float, create_graph: bool = False) -> list:
    """Value, d/da and (for a tensor exponent) d/db of a ** b, a being POW_BASES in two columns."""
    a = make(np.repeat(np.array(POW_BASES, dtype=dtype)[:, None], 2, axis=1)).requires_grad_()
    shape = EXPONENT_FORMS[form]
    b = exponent if shape is None else make(np.full(shape, exponent, dtype=dtype)).requires_grad_()
    y = a ** b
    seed = np.full(y.shape, g, dtype=dtype)
    if make is Tensor:
        y.backward(seed, create_graph=create_graph)
    else:
        y.backward(m.from_numpy(seed))
    out = [y, a.grad] + ([] if shape is None else [b.grad])
    return [t.detach().numpy() for t in out]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("form", list(EXPONENT_FORMS))
@pytest.mark.parametrize("exponent", POW_EXPONENTS, ids=repr)
def test_tensor_pow_values_and_gradients_match_torch_bit_for_bit(dtype, form, exponent):
    torch = torch_or_skip()
    bad = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's invalid-value and division warnings of the special values
        for g in (1.0, -1.0, nan):
            expected = pow_both(torch, torch.from_numpy, dtype, exponent, form, g)
            got = pow_both(autograd, Tensor, dtype, exponent, form, g)
            for what, o, e in zip(("value", "d/da", "d/db"), got, expected):
                if not identical(o, e):
                    bad.append((g, what, o[:, 0].tolist() if o.ndim == 2 else o.tolist(),
                                e[:, 0].tolist() if e.ndim == 2 else e.tolist()))
    assert not bad, f"(upstream, what, ours, torch) at bases {POW_BASES}: {bad}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("form", list(EXPONENT_FORMS))
@pytest.mark.parametrize("exponent", [e for e in POW_EXPONENTS if e != 0], ids=repr)
def test_the_recorded_pow_rules_give_torch_first_derivatives_too(dtype, form, exponent):
    # create_graph=True runs the rules written with Tensor operations instead of the numpy ones; the
    # exponent 0 is left to the last section, where the two rules differ on purpose
    torch = torch_or_skip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for g in (1.0, -1.0, nan):
            expected = pow_both(torch, torch.from_numpy, dtype, exponent, form, g)
            got = pow_both(autograd, Tensor, dtype, exponent, form, g, create_graph=True)
            for o, e in zip(got, expected):
                assert identical(o, e), (g, o[:, 0] if o.ndim == 2 else o, e[:, 0] if e.ndim == 2 else e)


@pytest.mark.parametrize("exponent", [0.5, -0.5, 1.5, 0.3], ids=repr)
def test_a_number_base_to_a_tensor_power_matches_torch_at_signed_zeros(exponent):
    torch = torch_or_skip()
    bad = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for base in POW_BASES:
            for shape in ((), (3,)):
                t = torch.full(shape, exponent, dtype=torch.float64, requires_grad=True)
                ours = Tensor(np.full(shape, exponent), requires_grad=True)
                expected, got = base ** t, base ** ours
                expected.sum().backward()
                got.sum().backward()
                if not (identical(got.numpy(), expected.detach().numpy())
                        and identical(ours.grad.numpy(), t.grad.numpy())):
                    bad.append((base, shape, got.tolist(), expected.tolist()))
    assert not bad, bad


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: np.dtype(d).name)
def test_square_root_powers_of_ordinary_numbers_are_sqrt_and_its_reciprocal(dtype):
    # the number exponents 0.5 and -0.5 are computed as PyTorch does: sqrt(x) and 1 / sqrt(x), by hand here
    x = np.random.default_rng(1).uniform(0.01, 100.0, 50).astype(dtype)
    np.testing.assert_array_equal((Tensor(x) ** 0.5).numpy(), np.sqrt(x))
    np.testing.assert_array_equal((Tensor(x) ** -0.5).numpy(), dtype(1) / np.sqrt(x))
    # and their gradients: 0.5 / sqrt(x) and -0.5 x ** -1.5, within rounding
    for exponent, derivative in ((0.5, 0.5 / np.sqrt(x.astype(np.float64))),
                                 (-0.5, -0.5 * x.astype(np.float64) ** -1.5)):
        t = Tensor(x, requires_grad=True)
        (t ** exponent).sum().backward()
        assert t.grad.dtype == dtype
        np.testing.assert_allclose(t.grad.numpy(), derivative, rtol=4 * np.finfo(dtype).eps)
    # a tensor exponent of 0.5 is C's pow, which agrees with sqrt away from -0.0 and -inf
    np.testing.assert_array_equal((Tensor(x) ** Tensor(np.array(0.5, dtype))).numpy(), np.sqrt(x))


def test_pow_gradients_at_square_root_exponents_pass_gradcheck():
    x = np.random.default_rng(2).uniform(0.5, 3.0, 5)
    for exponent in (0.5, -0.5, 1.5):
        assert gradcheck(lambda t, e=exponent: t ** e, [x])
        assert gradgradcheck(lambda t, e=exponent: t ** e, [x])
        assert gradcheck(lambda t, e: t ** e, [x, np.full(5, exponent)])
        assert gradcheck(lambda t, e: t ** e, [x, np.array(exponent)])


# ========================================================== 5. pow at a zero exponent, second order
def test_the_mixed_second_derivative_at_a_zero_exponent_is_calculus_and_symmetric():
    # f = a ** b: d2f/db da = a**(b-1) (1 + b log a) = 1/a at b = 0, and d2f/da db = the same. PyTorch's
    # rule for d/da masks the whole product where b == 0, so its d2f/db da there is 0 while its d2f/da db
    # is 1/a; chaingrad keeps the factor b outside its mask and gives 1/a both ways.
    a_data = np.array([2.0, 4.0, 0.5])
    a, b = Tensor(a_data, requires_grad=True), Tensor(np.zeros(3), requires_grad=True)
    (a ** b).sum().backward(create_graph=True)
    ga, gb = a.grad, b.grad
    a.grad = b.grad = None
    ga.sum().backward(retain_graph=True)
    np.testing.assert_allclose(b.grad.numpy(), 1 / a_data, rtol=1e-15)
    a.grad = b.grad = None
    gb.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), 1 / a_data, rtol=1e-15)


def test_a_nan_upstream_gradient_of_the_mixed_second_derivative_gives_nan():
    # The second backward pass is linear in its upstream gradient w: it gives w / a. A nan w gives nan,
    # where PyTorch gives 0 only because its mask drops the 1/a itself (the previous test); giving 0 here
    # would mean dropping it for every w.
    a_data = np.array([2.0, 4.0])
    a, b = Tensor(a_data, requires_grad=True), Tensor(np.zeros(2), requires_grad=True)
    (a ** b).sum().backward(create_graph=True)
    ga = a.grad
    a.grad = b.grad = None
    ga.backward(np.array([nan, 1.0]))
    got = b.grad.numpy()
    assert math.isnan(got[0]) and got[1] == 1 / a_data[1]


def test_a_nan_upstream_gradient_at_a_zero_exponent_without_create_graph_gives_zero_as_torch():
    # d/da a ** 0 is the constant 0: the numpy rule stops a nan from upstream, as PyTorch does
    torch = torch_or_skip()
    a = Tensor(np.array([2.0, 0.0, -3.0]), requires_grad=True)
    ta = torch.tensor([2.0, 0.0, -3.0], dtype=torch.float64, requires_grad=True)
    b, tb = Tensor(np.zeros(3)), torch.zeros(3, dtype=torch.float64)
    (a ** b).backward(np.full(3, nan))
    (ta ** tb).backward(torch.full((3,), nan, dtype=torch.float64))
    assert identical(a.grad.numpy(), ta.grad.numpy())


def test_with_create_graph_a_nan_upstream_gradient_at_a_zero_exponent_gives_nan():
    # The recorded rule computes g * b * a**(b-1) so that its derivative in b exists (the tests above);
    # at b = 0 a nan g gives nan * 0 = nan there, by IEEE arithmetic, while a finite g gives 0 as PyTorch
    a = Tensor(np.array([2.0, 0.0, -3.0]), requires_grad=True)
    b = Tensor(np.zeros(3), requires_grad=True)
    (a ** b).backward(np.array([nan, 1.0, 1.0]), create_graph=True)
    got = a.grad.numpy()
    assert math.isnan(got[0]) and got[1] == 0.0 and got[2] == 0.0
