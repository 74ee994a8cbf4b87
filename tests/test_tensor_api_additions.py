"""PyTorch's smaller tensor-API pieces: ``div(rounding_mode=)``/``divide``, ``alpha=`` of ``add``/``sub``,
``finfo``/``iinfo``/``get_default_dtype``, the functions ``is_floating_point``/``is_tensor``/``numel``,
``triu_indices``/``tril_indices``, ``isin`` and ``mode``.

Each is compared with PyTorch (values, dtypes, gradients in float64, whether an error is raised) where it
is installed; where chaingrad deliberately differs (numpy's type promotion, documented in docs/tensor.md),
the expectation is stated by hand. Gradients also pass gradcheck and gradgradcheck.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck

inf, nan = float("inf"), float("nan")


def identical(got: Tensor, expected) -> bool:
    """Same shape and values, both nan, or zeros of the same sign (a torch tensor or an array expected)."""
    got = np.asarray(got.data)
    expected = np.asarray(expected.numpy() if hasattr(expected, "numpy") else expected)
    if got.shape != expected.shape:
        return False
    got, expected = got.astype(np.float64), expected.astype(np.float64)
    same = (got == expected) & (np.signbit(got) == np.signbit(expected))
    return bool(np.all(same | (np.isnan(got) & np.isnan(expected))))


def torch_dtype_name(t) -> str:
    return str(t.dtype).removeprefix("torch.")


# ============================================================================ div(rounding_mode=), divide
MODES = [None, "trunc", "floor"]
# (numerators, their dtype, denominators: a list with its dtype or a Python number)
DIVISIONS = {
    "int64": ([7, -7, 5, -5, 0, 6], "int64", ([2, 2, -3, -3, 4, -3], "int64")),
    "int32_number": ([7, -7, 5, -5, 0], "int32", 2),
    "uint8_int8": ([7, 200, 5, 0], "uint8", ([2, -3, 3, 1], "int8")),
    "bool_number": ([True, False], "bool", 2),
    "float32": ([7.5, -7.5, 3.0, -0.5, 0.5, 0.0], "float32", ([2.0, 2.0, -0.7, 1.0, -1.0, -1.0], "float32")),
    "float64_specials": ([1.0, -1.0, 0.0, -5.0, 5.0, -5.0, inf, nan, 1e300], "float64",
                         ([0.0, 0.0, 0.0, inf, -inf, -inf, 2.0, 1.0, 1e-300], "float64")),
    "float64_number": ([7.5, -7.5, 3.25], "float64", -0.5),
}


def _operands(case, lib, dtype_of):
    a, a_dtype, b = DIVISIONS[case]
    a = lib.tensor(a, dtype=dtype_of(a_dtype))
    if isinstance(b, tuple):
        b = lib.tensor(b[0], dtype=dtype_of(b[1]))
    return a, b


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", sorted(DIVISIONS))
def test_div_values_and_dtypes_match_torch(case, mode, torch):
    a, b = _operands(case, ag, lambda d: d)
    ta, tb = _operands(case, torch, lambda d: getattr(torch, d))
    with np.errstate(all="ignore"):
        ours = ag.div(a, b, rounding_mode=mode)
    theirs = torch.div(ta, tb, rounding_mode=mode)
    integers = a.dtype.kind in "iub" and (not isinstance(b, Tensor) or b.dtype.kind in "iub")
    if mode is None and integers:
        # true division of integers gives floats: numpy's float64, where PyTorch gives its default float32
        assert ours.dtype == np.float64 and theirs.dtype == torch.float32
        theirs = torch.div(ta.double(), tb.double() if isinstance(tb, torch.Tensor) else tb)
    else:
        assert ours.dtype.name == torch_dtype_name(theirs)
    assert identical(ours, theirs)


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_div_rounds_integers_exactly_beyond_float_precision(mode, torch):
    big = [2**62 + 1, -(2**62) - 1, 2**53 + 1]
    ours = ag.div(ag.tensor(big), ag.tensor([3, 3, -2]), rounding_mode=mode)
    theirs = torch.div(torch.tensor(big), torch.tensor([3, 3, -2]), rounding_mode=mode)
    assert ours.dtype == np.int64 and ours.tolist() == theirs.tolist()


def test_div_modes_agree_with_hand_rounding_on_random_operands():
    rng = np.random.default_rng(0)
    a, b = rng.integers(-50, 50, 500), rng.integers(1, 9, 500) * rng.choice([-1, 1], 500)
    floored = ag.div(ag.tensor(a), ag.tensor(b), rounding_mode="floor").tolist()
    truncated = ag.div(ag.tensor(a), ag.tensor(b), rounding_mode="trunc").tolist()
    assert floored == [x // y for x, y in zip(a.tolist(), b.tolist())]
    assert truncated == [int(x / y) for x, y in zip(a.tolist(), b.tolist())]  # exact for these sizes


def test_div_method_divide_and_the_operators_agree():
    x, y = ag.tensor([7.0, -7.0]), ag.tensor([2.0, 2.0])
    assert x.div(y).tolist() == (x / y).tolist() == ag.divide(x, y).tolist() == [3.5, -3.5]
    assert x.div(y, rounding_mode="floor").tolist() == (x // y).tolist() == [3.0, -4.0]
    assert x.divide(y, rounding_mode="trunc").tolist() == ag.divide(x, y, rounding_mode="trunc").tolist()
    assert ag.div(x, y, rounding_mode="trunc").tolist() == [3.0, -3.0]
    assert ag.div([7, -7], 2, rounding_mode="floor").tolist() == [3, -4]  # lists become tensors


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_div_refuses_what_torch_refuses(mode, torch):
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        torch.div(torch.tensor([7, -7]), torch.tensor([0, 2]), rounding_mode=mode)
    with pytest.raises(ZeroDivisionError, match=r"^div: integer division by zero; expected an integer "):
        ag.div(ag.tensor([7, -7]), ag.tensor([0, 2]), rounding_mode=mode)
    with pytest.raises(NotImplementedError):
        torch.div(torch.tensor([True]), torch.tensor([True]), rounding_mode=mode)
    with pytest.raises(TypeError, match=r"^div: got two bool operands; expected numbers"):
        ag.div(ag.tensor([True]), ag.tensor([True]), rounding_mode=mode)


def test_div_true_division_of_integers_by_zero_and_of_bools_is_allowed_as_in_torch(torch):
    assert torch.div(torch.tensor([1, 0]), torch.tensor([0, 0])).isinf()[0]
    with np.errstate(all="ignore"):
        out = ag.div(ag.tensor([1, 0]), ag.tensor([0, 0]))
    assert out.tolist()[0] == inf and np.isnan(out.tolist()[1])
    assert ag.div(ag.tensor([True, False]), ag.tensor([True, True])).tolist() == [1.0, 0.0]


def test_div_refuses_an_unknown_rounding_mode_or_a_positional_one(torch):
    x = ag.tensor([1.0])
    with pytest.raises(RuntimeError):
        torch.div(torch.tensor([1.0]), 2, rounding_mode="round")
    with pytest.raises(ValueError, match=r"^div: got rounding_mode='round'; expected None, 'trunc' or "
                                         r"'floor'$"):
        ag.div(x, 2, rounding_mode="round")
    with pytest.raises(TypeError):
        torch.div(torch.tensor([1.0]), 2, rounding_mode=3)
    with pytest.raises(TypeError, match=r"^div: got rounding_mode=3; expected None"):
        x.div(2, rounding_mode=3)
    with pytest.raises(TypeError):
        torch.div(torch.tensor([1.0]), 2, "floor")
    with pytest.raises(TypeError):
        ag.div(x, 2, "floor")
    with pytest.raises(TypeError, match=r"^div: got an operand of type str \('a'\); expected a Tensor"):
        ag.div(x, "a", rounding_mode="floor")
    with pytest.raises(ValueError, match=r"^div: shapes \(2,\) and \(3,\) cannot be broadcast together$"):
        ag.div(ag.ones(2), ag.ones(3), rounding_mode="trunc")


@pytest.mark.parametrize("mode", MODES)
def test_div_gradients_match_torch_in_float64(mode, torch):
    rng = np.random.default_rng(1)
    a, b = rng.uniform(-4, 4, (3, 4)), rng.uniform(0.3, 1.7, 4) * rng.choice([-1.0, 1.0], 4)
    seed = rng.standard_normal((3, 4))
    seed[0, 0] = nan  # a rounded quotient passes back zeros even for a nan from above, as in PyTorch
    x, y = Tensor(a.copy(), requires_grad=True), Tensor(b.copy(), requires_grad=True)
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    ours = ag.div(x, y, rounding_mode=mode)
    ours.backward(seed)
    torch.div(tx, ty, rounding_mode=mode).backward(torch.tensor(seed))
    for got, expected in ((x.grad, tx.grad), (y.grad, ty.grad)):
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-13, atol=0)
    if mode is not None:
        assert ours.op == f"div_{mode}" and identical(x.grad, tx.grad) and identical(y.grad, ty.grad)
        assert not np.any(x.grad.numpy()) and y.grad.shape == (4,)


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_div_rounded_passes_gradcheck_and_gradgradcheck_away_from_integer_quotients(mode):
    rng = np.random.default_rng(2)
    b = rng.uniform(0.3, 1.7, 3) * np.array([1.0, -1.0, 1.0])
    a = (rng.integers(-3, 3, (2, 3)) + rng.uniform(0.2, 0.8, (2, 3))) * b  # quotients away from the steps

    def f(p, q):
        return ag.div(p, q, rounding_mode=mode) * p * q

    assert gradcheck(f, [a, b]) and gradgradcheck(f, [a, b])


def test_div_floor_differentiates_where_floor_divide_does_not():
    x = ag.tensor([7.0, -7.0], requires_grad=True)
    ag.div(x, 2.0, rounding_mode="floor").sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match="^floor_divide: the derivative of floor division is not "):
        ag.floor_divide(x, 2.0).sum().backward()


# ============================================================================ add and sub with alpha
@pytest.mark.parametrize("name", ["add", "sub"])
@pytest.mark.parametrize("dtype, a, b, alpha", [
    ("float32", [1.5, -2.25, 3.0], [0.1, 0.2, -0.3], 0.1),
    ("float64", [1.5, -2.25, 3.0], [0.1, 0.2, -0.3], -2.5),
    ("int64", [1, -2, 3], [4, 5, -6], 3),
    ("int8", [1, -2, 3], [4, 5, -6], -7),
    ("float32", [1.5, -2.25, 3.0], [0.1, 0.2, -0.3], 2),
], ids=["float32", "float64", "int64", "int8", "float32_int_alpha"])
def test_alpha_values_and_dtypes_match_torch(name, dtype, a, b, alpha, torch):
    ours = getattr(ag, name)(ag.tensor(a, dtype=dtype), ag.tensor(b, dtype=dtype), alpha=alpha)
    theirs = getattr(torch, name)(torch.tensor(a, dtype=getattr(torch, dtype)),
                                  torch.tensor(b, dtype=getattr(torch, dtype)), alpha=alpha)
    assert ours.dtype.name == torch_dtype_name(theirs)
    # PyTorch may fuse the product and the sum (one rounding fewer in float32)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6 if dtype == "float32" else 0)


def test_alpha_with_mixed_dtypes_numbers_and_broadcasting_match_torch(torch):
    # an integer tensor with a float one takes a float alpha (numpy's float64 here, PyTorch's float32)
    ours = ag.add(ag.tensor([1, 2]), ag.tensor([1.5, 2.5]), alpha=0.5)
    theirs = torch.add(torch.tensor([1, 2]), torch.tensor([1.5, 2.5]), alpha=0.5)
    assert ours.tolist() == theirs.tolist() == [1.75, 3.25] and ours.dtype == np.float64
    cases = [
        (lambda m: m.tensor([[1.0], [2.0]]), lambda m: m.tensor([1.0, 2.0, 4.0]), 3),  # broadcast
        (lambda m: m.tensor([1.5, 2.5]), lambda m: 2, 3),                      # a Python number as other
        (lambda m: m.tensor([True, False]), lambda m: m.tensor([True, True]), True),
        (lambda m: m.tensor([True, False]), lambda m: m.tensor([False, True]), False),
        (lambda m: m.tensor([True, False]), lambda m: m.tensor([True, True]), 2),
    ]
    for a, b, alpha in cases:
        ours, theirs = ag.add(a(ag), b(ag), alpha=alpha), torch.add(a(torch), b(torch), alpha=alpha)
        assert ours.tolist() == theirs.tolist() and ours.dtype.name == torch_dtype_name(theirs)
    # numpy numbers and 0-d tensors are numbers, as in PyTorch
    for alpha in (np.float64(2.0), np.int64(2), ag.tensor(2.0)):
        assert ag.sub(ag.tensor([1.5, 2.5]), ag.tensor([1.0, 1.0]), alpha=alpha).tolist() == [-0.5, 0.5]


def test_alpha_zero_multiplies_as_torch_does(torch):
    # 0 * inf is nan: alpha scales the operand, it does not drop it
    with np.errstate(invalid="ignore"):
        ours = ag.add(ag.tensor([1.0, 1.0]), ag.tensor([inf, 2.0]), alpha=0)
    assert identical(ours, torch.add(torch.tensor([1.0, 1.0]), torch.tensor([inf, 2.0]), alpha=0))


@pytest.mark.parametrize("name", ["add", "sub"])
@pytest.mark.parametrize("alpha", [-2.5, 0.75, 3])
def test_alpha_gradients_match_torch_and_finite_differences(name, alpha, torch):
    rng = np.random.default_rng(3)
    a, b, seed = rng.standard_normal((3, 1)), rng.standard_normal(4), rng.standard_normal((3, 4))
    x, y = Tensor(a.copy(), requires_grad=True), Tensor(b.copy(), requires_grad=True)
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    out = getattr(x, name)(y, alpha=alpha)
    out.backward(seed)
    getattr(tx, name)(ty, alpha=alpha).backward(torch.tensor(seed))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-14)
    np.testing.assert_allclose(y.grad.numpy(), ty.grad.numpy(), rtol=1e-14)
    assert out.op == name and len(out.parents) == 2  # one recorded operation, as in PyTorch

    def f(p, q):
        return getattr(ag, name)(p, q, alpha=alpha) ** 2

    assert gradcheck(f, [a, b]) and gradgradcheck(f, [a, b])


def test_alpha_gradient_of_a_constant_operand_is_not_computed():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = ag.tensor([3.0, 4.0])
    ag.add(x, y, alpha=5).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0] and y.grad is None


# calls that PyTorch refuses (with a TypeError or a RuntimeError), each with chaingrad's error
ALPHA_REFUSALS = [
    (lambda m: m.add(m.tensor([1, 2]), m.tensor([1, 1]), alpha=0.5), TypeError,
     "add: got alpha=0.5 for a result of dtype int64; expected an integer alpha"),
    (lambda m: m.add(m.tensor([True]), m.tensor([True]), alpha=0.5), TypeError,
     "add: got alpha=0.5 for a result of dtype bool"),
    (lambda m: m.add(m.tensor([1.0]), m.tensor([1.0]), alpha=True), TypeError,
     "add: got alpha=True for a result of dtype float32; expected a number (a bool alpha is for bool"),
    (lambda m: m.add(m.tensor([1.0]), m.tensor([1.0]), alpha="2"), TypeError,
     "add: got alpha of type str ('2'); expected a number"),
    (lambda m: m.add(m.tensor([1.0]), m.tensor([1.0]), alpha=None), TypeError,
     "add: got alpha of type NoneType (None); expected a number"),
    (lambda m: m.add(m.tensor([1.0]), m.tensor([1.0]), alpha=1 + 2j), TypeError,
     "add: got alpha of type complex"),
    (lambda m: m.sub(m.tensor([True]), m.tensor([False]), alpha=2), RuntimeError,
     "sub: got two bool operands; expected numbers"),
    (lambda m: m.add(m.tensor([1], dtype=m.int8), 1, alpha=200), OverflowError,
     "add: got alpha=200 for a result of dtype int8; expected a number within that dtype's range"),
]


@pytest.mark.parametrize("call, error, message", ALPHA_REFUSALS,
                         ids=[r[2].split(";")[0] for r in ALPHA_REFUSALS])
def test_alpha_refusals_match_torch(call, error, message, torch):
    with pytest.raises((TypeError, RuntimeError)):
        call(torch)
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        call(ag)


def test_in_place_add_and_sub_share_alpha_with_the_functions(torch):
    for name in ("add", "sub"):
        x = ag.tensor([1.5, -2.0, 0.25])
        expected = getattr(ag, name)(x, [0.5, 0.5, 2.0], alpha=-3).tolist()
        assert getattr(x, name + "_")([0.5, 0.5, 2.0], alpha=-3).tolist() == expected
        # PyTorch's checks, in place too: a bool alpha for float tensors is refused
        with pytest.raises(RuntimeError):
            getattr(torch.tensor([1.0]), name + "_")(torch.tensor([1.0]), alpha=True)
        with pytest.raises(TypeError, match=rf"^{name}_: got alpha=True for a result of dtype float32"):
            getattr(ag.tensor([1.0]), name + "_")(ag.tensor([1.0]), alpha=True)
        # an integer tensor takes a float alpha with a float operand, whose result it cannot hold
        with pytest.raises(RuntimeError):
            getattr(torch.tensor([1]), name + "_")(torch.tensor([1.5]), alpha=2)
        with pytest.raises(TypeError, match=rf"^{name}_: cannot update a tensor of shape \(1,\) and dtype "
                                            "int64 in place"):
            getattr(ag.tensor([1]), name + "_")(ag.tensor([1.5]), alpha=2)


def test_a_python_float_in_place_with_alpha_keeps_float32_arithmetic(torch):
    ours = ag.tensor([1.0, 2.0]).add_(0.1, alpha=3)
    theirs = torch.tensor([1.0, 2.0]).add_(0.1, alpha=3)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-7)


# ============================================================================ finfo, iinfo, default dtype
FLOAT_FIELDS = ["bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"]


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_matches_torch(name, torch):
    theirs = torch.finfo(getattr(torch, name))
    for spelling in (name, np.dtype(name), np.dtype(name).type, getattr(ag, name), getattr(torch, name)):
        ours = ag.finfo(spelling)
        for field in FLOAT_FIELDS:
            got, expected = getattr(ours, field), getattr(theirs, field)
            assert type(got) is type(expected) and got == expected, (spelling, field)
        assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_torch(name, torch):
    theirs = torch.iinfo(getattr(torch, name))
    for spelling in (name, np.dtype(name).type, getattr(ag, name), getattr(torch, name)):
        ours = ag.iinfo(spelling)
        for field in ("bits", "max", "min", "dtype"):
            got, expected = getattr(ours, field), getattr(theirs, field)
            assert type(got) is type(expected) and got == expected, (spelling, field)
        assert repr(ours) == repr(theirs)


def test_finfo_without_an_argument_is_the_default_dtypes(torch):
    assert ag.finfo() == ag.finfo(ag.float32) == ag.finfo(ag.get_default_dtype())
    assert ag.finfo().eps == torch.finfo().eps
    assert ag.finfo(ag.float16) != ag.finfo(ag.float32) and ag.iinfo(ag.int8) != ag.iinfo(ag.uint8)
    assert len({ag.finfo("float32"), ag.finfo(np.float32), ag.iinfo("int8")}) == 2


def test_finfo_and_iinfo_are_read_only(torch):
    with pytest.raises(AttributeError):
        torch.finfo(torch.float32).eps = 1.0
    with pytest.raises(AttributeError, match="^finfo: attribute 'eps' is read-only$"):
        ag.finfo(ag.float32).eps = 1.0
    with pytest.raises(AttributeError, match="^iinfo: attribute 'max' is read-only$"):
        ag.iinfo(ag.int8).max = 1


def test_finfo_and_iinfo_refuse_the_other_kind_and_non_dtypes(torch):
    for call in (lambda: torch.finfo(torch.int32), lambda: torch.finfo(torch.bool),
                 lambda: torch.iinfo(torch.float32), lambda: torch.iinfo(torch.bool),
                 lambda: torch.finfo(torch.tensor([1.0]))):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(TypeError, match=r"^finfo: got dtype int32; expected a floating dtype, such as "
                                        r"float32 \(iinfo describes integer dtypes\)$"):
        ag.finfo(ag.int32)
    with pytest.raises(TypeError, match=r"^finfo: got dtype bool; expected a floating dtype"):
        ag.finfo(ag.bool)
    with pytest.raises(TypeError, match=r"^iinfo: got dtype float32; expected an integer dtype, such as "
                                        r"int64 \(finfo describes floating dtypes\)$"):
        ag.iinfo("float32")
    with pytest.raises(TypeError, match=r"^iinfo: got dtype bool; expected an integer dtype"):
        ag.iinfo(ag.bool)
    with pytest.raises(TypeError, match=r"^finfo: got an argument of type Tensor \(dtype float32, shape "
                                        r"\(1,\)\); expected a dtype \(pass x\.dtype for a tensor's\)$"):
        ag.finfo(ag.tensor([1.0]))
    with pytest.raises(TypeError, match=r"^iinfo: got dtype 'int99'; expected a numpy dtype or its name"):
        ag.iinfo("int99")
    with pytest.raises(TypeError):
        ag.iinfo()


def test_get_default_dtype_is_float32_as_in_torch(torch):
    assert ag.get_default_dtype() is ag.float32
    assert torch_dtype_name(torch.empty(0, dtype=torch.get_default_dtype())) == ag.get_default_dtype().name
    assert ag.tensor([1.5]).dtype is ag.get_default_dtype() and ag.zeros(1).dtype is ag.get_default_dtype()


# ============================================================================ is_floating_point, ...
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "int64", "uint8", "bool"])
def test_tensor_predicates_as_functions_match_torch(dtype, torch):
    ours, theirs = ag.zeros(2, 3, dtype=dtype), torch.zeros(2, 3, dtype=getattr(torch, dtype))
    assert ag.is_floating_point(ours) is theirs.is_floating_point() is torch.is_floating_point(theirs)
    assert ours.is_floating_point() is theirs.is_floating_point()
    assert ag.numel(ours) == torch.numel(theirs) == 6
    assert ag.is_tensor(ours) and torch.is_tensor(theirs)


def test_the_predicate_functions_take_what_other_functions_take():
    assert ag.is_floating_point([1.5]) and not ag.is_floating_point(np.array([1])) and ag.numel(5.0) == 1
    assert not ag.is_tensor([1.0]) and not ag.is_tensor(np.zeros(2))
    with pytest.raises(TypeError, match=r"^is_floating_point: got an argument of type NoneType \(None\); "):
        ag.is_floating_point(None)


# ============================================================================ triu_indices, tril_indices
@pytest.mark.parametrize("name", ["triu_indices", "tril_indices"])
def test_triangle_indices_match_torch(name, torch):
    for row in range(0, 5):
        for col in range(0, 5):
            for offset in range(-6, 7):
                ours = getattr(ag, name)(row, col, offset)
                theirs = getattr(torch, name)(row, col, offset)
                assert ours.dtype == np.int64 and ours.shape == tuple(theirs.shape)
                assert ours.tolist() == theirs.tolist(), (row, col, offset)
    ours = getattr(ag, name)(np.int64(3), 4, offset=1, dtype=ag.int32)
    theirs = getattr(torch, name)(3, 4, offset=1, dtype=torch.int32)
    assert ours.dtype == np.int32 and ours.tolist() == theirs.tolist()


def test_triangle_indices_pick_the_triangles_entries():
    x = ag.arange(12).reshape(3, 4)
    rows, cols = ag.triu_indices(3, 4, 1)
    assert x[rows, cols].tolist() == [1, 2, 3, 6, 7, 11]
    rows, cols = ag.tril_indices(3, 4)
    assert x[rows, cols].tolist() == [0, 4, 5, 8, 9, 10]


@pytest.mark.parametrize("name", ["triu_indices", "tril_indices"])
def test_triangle_indices_refuse_what_torch_refuses(name, torch):
    bad = [((-1, 4), {}, ValueError, r"got row=-1; expected a non-negative int$"),
           ((3, -4), {}, ValueError, r"got col=-4; expected a non-negative int$"),
           ((3.0, 4), {}, TypeError, r"got row of type float \(3\.0\); expected an int$"),
           ((True, 4), {}, TypeError, r"got row of type bool \(True\); expected an int$"),
           ((3, 4, 1.0), {}, TypeError, r"got offset of type float \(1\.0\); expected an int$"),
           ((3, 4), {"dtype": "float32"}, TypeError, r"got dtype float32; expected int64 or int32"),
           ((3, 4), {"dtype": "int16"}, TypeError, r"got dtype int16; expected int64 or int32")]
    for args, kwargs, error, message in bad:
        torch_kwargs = {k: getattr(torch, v) for k, v in kwargs.items()}
        with pytest.raises((TypeError, RuntimeError, NotImplementedError)):
            getattr(torch, name)(*args, **torch_kwargs)
        with pytest.raises(error, match=f"^{name}: {message}"):
            getattr(ag, name)(*args, **kwargs)


# ============================================================================ isin
ISIN_CASES = {
    "ints": (lambda m: m.tensor([1, 2, 3, 4]), lambda m: m.tensor([2, 4])),
    "matrix_in_matrix": (lambda m: m.tensor([[1, 2], [3, 4]]), lambda m: m.tensor([[4], [1], [7]])),
    "floats_in_ints": (lambda m: m.tensor([1.5, 2.0, nan]), lambda m: m.tensor([2, 3])),
    "nan_in_nothing": (lambda m: m.tensor([1.5, 2.0, nan]), lambda m: m.tensor([nan, 1.5])),
    "signed_zero": (lambda m: m.tensor([-0.0, 1.0]), lambda m: m.tensor([0.0])),
    "float32_vs_float64": (lambda m: m.tensor([0.1, 0.5], dtype=m.float32),
                           lambda m: m.tensor([0.1, 0.5], dtype=m.float64)),
    "int_vs_float_beyond_2_53": (lambda m: m.tensor([2**53 + 1]), lambda m: m.tensor([float(2**53)])),
    "uint8_vs_negative": (lambda m: m.tensor([1, 2], dtype=m.uint8), lambda m: m.tensor([-254, 2])),
    "number_test": (lambda m: m.tensor([1, 2]), lambda m: 2),
    "float_number_test": (lambda m: m.tensor([2, 3], dtype=m.int32), lambda m: 2.5),
    "number_element": (lambda m: 2, lambda m: m.tensor([1, 2])),
    "empty_test": (lambda m: m.tensor([1, 2]), lambda m: m.tensor([], dtype=m.int64)),
    "empty_elements": (lambda m: m.zeros(2, 0, 3), lambda m: m.tensor([1.0])),
    "float16": (lambda m: m.tensor([1.0, 2.0], dtype=m.float16), lambda m: m.tensor([2.0], dtype=m.float16)),
}


@pytest.mark.parametrize("invert", [False, True])
@pytest.mark.parametrize("case", sorted(ISIN_CASES))
def test_isin_matches_torch(case, invert, torch):
    elements, test_elements = ISIN_CASES[case]
    ours = ag.isin(elements(ag), test_elements(ag), invert=invert)
    theirs = torch.isin(elements(torch), test_elements(torch), invert=invert)
    assert ours.dtype == np.bool_ and ours.shape == tuple(theirs.shape)
    assert ours.tolist() == theirs.tolist()


def test_isin_with_assume_unique_and_lists():
    out = ag.isin(ag.tensor([3, 1, 2]), ag.tensor([2, 3]), assume_unique=True)
    assert out.tolist() == [True, False, True]
    assert ag.isin([1.0, 2.0], [2.0]).tolist() == [False, True]  # lists are constants, as elsewhere


def test_isin_carries_no_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    out = ag.isin(x, [2.0])
    assert not out.requires_grad and out.op == ""


def test_isin_refuses_what_torch_refuses(torch):
    for call in (lambda m: m.isin(m.tensor([True, False]), m.tensor([1])),
                 lambda m: m.isin(m.tensor([1, 2]), m.tensor([True]))):
        with pytest.raises(RuntimeError):
            call(torch)
        with pytest.raises(TypeError, match=r"^isin: got (test_)?elements of dtype bool; expected numbers"):
            call(ag)
    with pytest.raises(TypeError):
        torch.isin(torch.tensor([1]), torch.tensor([1]), invert=1)
    with pytest.raises(TypeError, match=r"^isin: got invert of type int \(1\); expected a bool$"):
        ag.isin(ag.tensor([1]), ag.tensor([1]), invert=1)
    with pytest.raises(TypeError, match=r"^isin: got assume_unique of type str \('y'\); expected a bool$"):
        ag.isin(ag.tensor([1]), ag.tensor([1]), assume_unique="y")
    with pytest.raises(TypeError, match=r"^isin: got an operand of type str \('a'\); expected a Tensor"):
        ag.isin(ag.tensor([1]), "a")


# ============================================================================ mode
def _random_ties(rng, shape, dtype="float64"):
    return rng.integers(0, 4, shape).astype(dtype)


@pytest.mark.parametrize("shape, dim", [((16,), 0), ((5, 7), 1), ((5, 7), 0), ((3, 4, 6), 1),
                                        ((2, 3, 16), -1), ((1, 9), -1)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_mode_values_and_indices_match_torch(shape, dim, keepdim, torch):
    # torch's index among equal values is deterministic (the last one) for slices of up to 16 entries
    rng = np.random.default_rng(sum(shape) + dim)
    for _ in range(20):
        a = _random_ties(rng, shape)
        values, indices = ag.tensor(a).mode(dim=dim, keepdim=keepdim)
        theirs = torch.tensor(a).mode(dim=dim, keepdim=keepdim)
        assert values.tolist() == theirs.values.tolist() and indices.tolist() == theirs.indices.tolist()
        assert values.dtype == np.float64 and indices.dtype == np.int64


@pytest.mark.parametrize("dtype", ["float16", "float32", "int32", "int64", "uint8", "bool"])
def test_mode_keeps_the_dtype_as_torch(dtype, torch):
    a = np.random.default_rng(5).integers(0, 3, (4, 10))
    ours = ag.mode(ag.tensor(a).astype(dtype), 1)
    theirs = torch.mode(torch.tensor(a).to(getattr(torch, dtype)), 1)
    assert ours.values.dtype.name == torch_dtype_name(theirs.values)
    assert ours.values.tolist() == theirs.values.tolist() and ours.indices.tolist() == theirs.indices.tolist()


def test_mode_of_long_slices_picks_the_smallest_most_frequent_value_at_its_last_index(torch):
    a = np.random.default_rng(6).integers(0, 3, (30, 50)).astype(np.float64)
    values, indices = ag.mode(ag.tensor(a), dim=1)
    theirs = torch.mode(torch.tensor(a), dim=1)
    assert values.tolist() == theirs.values.tolist()  # PyTorch's index here depends on its sort
    for row, value, index in zip(a, values.tolist(), indices.tolist()):
        counts = {v: int((row == v).sum()) for v in set(row.tolist())}
        assert value == min(v for v, c in counts.items() if c == max(counts.values()))
        assert index == max(np.flatnonzero(row == value))


def test_mode_edge_cases_match_torch(torch):
    for make in (lambda m: m.tensor(2.5), lambda m: m.tensor([-0.0, 0.0, 1.0]), lambda m: m.tensor([5.0]),
                 lambda m: m.zeros(0, 3)):
        ours, theirs = ag.mode(make(ag)), torch.mode(make(torch))
        assert identical(ours.values, theirs.values) and ours.indices.tolist() == theirs.indices.tolist()
    with pytest.raises(IndexError):
        torch.mode(torch.zeros(2, 0), 1)
    with pytest.raises(ValueError, match=r"^mode: got a tensor of shape \(2, 0\), whose axis 1 is empty; "):
        ag.mode(ag.zeros(2, 0), 1)
    with pytest.raises(ValueError, match=r"^mode: "):
        ag.mode(ag.zeros(2, 3), 2)


def test_mode_counts_nans_together_as_the_largest_value():
    values, indices = ag.mode(ag.tensor([[nan, 1.0, nan, 2.0], [nan, 1.0, 1.0, nan]]), 1)
    assert np.isnan(values.tolist()[0]) and indices.tolist()[0] == 2
    assert values.tolist()[1] == 1.0 and indices.tolist()[1] == 2  # equally frequent: the smaller value


def test_mode_gradient_goes_to_the_returned_index_as_torch(torch):
    rng = np.random.default_rng(7)
    a, seed = _random_ties(rng, (4, 9)), rng.standard_normal(4)
    x, tx = Tensor(a.copy(), requires_grad=True), torch.tensor(a, requires_grad=True)
    x.mode(1).values.backward(seed)
    torch.mode(tx, 1).values.backward(torch.tensor(seed))
    assert identical(x.grad, tx.grad)


def test_mode_of_distinct_values_passes_gradcheck_and_gradgradcheck():
    # with distinct values each counts once, so the mode is the minimum and moves smoothly with it
    a = np.random.default_rng(8).permutation(12).reshape(3, 4) * 0.5 + 0.1

    def f(x):
        return ag.mode(x, dim=1).values ** 2

    assert gradcheck(f, [a]) and gradgradcheck(f, [a])
