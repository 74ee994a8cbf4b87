"""PyTorch's creation helpers (``new_*``, ``empty``, ``from_numpy``, ``as_tensor``, ``is_tensor``,
``numel``), whole-tensor comparisons (``isclose``, ``allclose``, ``equal``), shape aliases (``t``,
``view_as``, ``reshape_as``, ``expand_as``, ``swapdims``, ``negative``), memory-layout queries
(``stride``, ``is_contiguous``, ``data_ptr``, ``type``) and PyTorch's keyword names for roll, flip,
permute, repeat and tile.

Everything is compared with torch 2.13 itself; the differentiable aliases also have their first and
second derivatives checked against finite differences in float64 on hypothesis-drawn shapes.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from helpers import check_derivatives
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor

torch = pytest.importorskip("torch")

EXAMPLES = settings(max_examples=20)
DTYPES = ["float32", "float64", "int64", "int32", "uint8", "bool"]


def torch_dtype(dtype) -> object:
    return getattr(torch, np.dtype(dtype).name)


def assert_same(ours: Tensor, theirs) -> None:
    """Equal shape, dtype and values (nan where torch has nan)."""
    assert isinstance(ours, Tensor)
    assert ours.shape == tuple(theirs.shape)
    assert str(theirs.dtype) == f"torch.{ours.dtype.name}"
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())


def pair(data, dtype="float64"):
    array = np.asarray(data, dtype=dtype)
    return Tensor(array.copy()), torch.from_numpy(array.copy())


def compare_gradients(ours, theirs, data, seed=0):
    """``ours`` and ``theirs`` of a float64 leaf holding ``data``: equal outputs and equal gradients of
    sum(out * w) for a random w."""
    x = Tensor(np.array(data, dtype=np.float64), requires_grad=True)
    tx = torch.tensor(np.array(data, dtype=np.float64), requires_grad=True)
    out, t_out = ours(x), theirs(tx)
    assert_same(out, t_out)
    w = np.random.default_rng(seed).standard_normal(out.shape)
    (out * Tensor(w)).sum().backward()
    (t_out * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------------------------- new_* methods
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("method", ["new_zeros", "new_ones", "new_empty"])
@pytest.mark.parametrize("size", [(2, 3), ((2, 3),), ([4],), (0,), ((),)], ids=str)
def test_new_filled_tensors_take_the_dtype_of_the_tensor_as_torch(method, dtype, size):
    x, tx = pair([1, 0], dtype)
    ours, theirs = getattr(x, method)(*size), getattr(tx, method)(*size)
    assert ours.shape == tuple(theirs.shape) and str(theirs.dtype) == f"torch.{ours.dtype.name}"
    if method != "new_empty":  # torch's new_empty holds whatever was in memory
        assert_same(ours, theirs)
    else:
        assert not ours.numpy().any()  # chaingrad's are zeros, as documented
    assert not ours.requires_grad and ours.op == ""


@pytest.mark.parametrize("method", ["new_zeros", "new_ones", "new_empty"])
@pytest.mark.parametrize("dtype", ["float64", "int32", "bool"])
def test_new_filled_tensors_take_a_dtype_argument_as_torch(method, dtype):
    x, tx = pair([1.5], "float32")
    assert getattr(x, method)(3, dtype=dtype).dtype == np.dtype(dtype)
    assert getattr(x, method)(3, dtype=torch_dtype(dtype)).dtype == np.dtype(dtype)
    assert str(getattr(tx, method)(3, dtype=torch_dtype(dtype)).dtype) == f"torch.{dtype}"


def _without_negatives_for_uint8(values):
    """(dtype, value) pairs; a negative value has no uint8 value (torch and numpy wrap it differently)."""
    return [(d, v) for d in DTYPES for v in values if not (d == "uint8" and np.min(v) < 0)]


@pytest.mark.parametrize("dtype, fill", _without_negatives_for_uint8([7, 2.5, -1.75, True, 0]), ids=repr)
def test_new_full_casts_the_fill_to_the_tensor_dtype_as_torch(dtype, fill):
    x, tx = pair([1, 0], dtype)
    assert_same(x.new_full((2, 3), fill), tx.new_full((2, 3), fill))
    assert_same(x.new_full((2,), fill, dtype="float64"), tx.new_full((2,), fill, dtype=torch.float64))


NEW_DATA = [[1.5, -2.5], [1, 0, 3], [[True], [False]], 2.75]


@pytest.mark.parametrize("dtype, data", _without_negatives_for_uint8(NEW_DATA), ids=repr)
def test_new_tensor_copies_data_in_the_tensor_dtype_as_torch(dtype, data):
    x, tx = pair([1, 0], dtype)
    assert_same(x.new_tensor(data), tx.new_tensor(data))
    assert_same(x.new_tensor(np.asarray(data)), tx.new_tensor(np.asarray(data)))
    assert_same(x.new_tensor(data, dtype="float64"), tx.new_tensor(data, dtype=torch.float64))


def test_new_tensor_copies_arrays_and_tensors_without_their_graph():
    a = np.array([1.0, 2.0])
    made = ag.zeros(1, dtype="float64").new_tensor(a)
    a[0] = 9.0
    assert made.tolist() == [1.0, 2.0]
    leaf = ag.tensor([1.0, 2.0], requires_grad=True)
    computed = leaf * 3
    copy = leaf.new_tensor(computed)
    assert copy.tolist() == [3.0, 6.0] and not copy.requires_grad and copy.op == ""
    assert not np.shares_memory(copy.data, computed.data)
    t_leaf = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning):  # torch recommends detach().clone() but does the same
        assert not t_leaf.new_tensor(t_leaf * 3).requires_grad


@pytest.mark.parametrize("call", [
    lambda x: x.new_zeros(2, requires_grad=True), lambda x: x.new_ones((2,), requires_grad=True),
    lambda x: x.new_empty(2, requires_grad=True), lambda x: x.new_full((2,), 1.5, requires_grad=True),
    lambda x: x.new_tensor([1.0], requires_grad=True)], ids=["zeros", "ones", "empty", "full", "tensor"])
def test_new_tensors_can_be_leaves_that_require_grad(call):
    made = call(ag.tensor([1.0], dtype="float64"))
    assert made.requires_grad and made.op == "" and made.dtype == np.float64
    (made * made).sum().backward()
    np.testing.assert_array_equal(made.grad.numpy(), 2 * made.numpy())
    assert call(torch.tensor([1.0], dtype=torch.float64)).requires_grad  # as in torch


@pytest.mark.parametrize("method, args", [("new_zeros", (2,)), ("new_ones", (2,)), ("new_empty", (2,)),
                                          ("new_full", ((2,), 1)), ("new_tensor", ([1],))])
def test_new_tensors_refuse_requires_grad_for_integers_naming_the_method(method, args):
    with pytest.raises(RuntimeError):
        getattr(torch.tensor([1]), method)(*args, requires_grad=True)
    with pytest.raises(TypeError, match=f"^{method}: only floating-point tensors can require gradients"):
        getattr(ag.tensor([1]), method)(*args, requires_grad=True)


@pytest.mark.parametrize("method, args", [("new_zeros", (2,)), ("new_ones", (2,)), ("new_empty", (2,)),
                                          ("new_full", ((2,), 1)), ("new_tensor", ([1],))])
def test_new_tensors_take_the_cpu_and_refuse_other_devices(method, args):
    x = ag.tensor([1.0])
    assert getattr(x, method)(*args, device="cpu").shape == (len(args[-1]) if method == "new_tensor" else 2,)
    assert getattr(x, method)(*args, device=torch.device("cpu")).dtype == np.float32
    with pytest.raises(RuntimeError, match=f"^{method}: got device 'cuda'; chaingrad computes on the CPU"):
        getattr(x, method)(*args, device="cuda")


@pytest.mark.parametrize("call, error, message", [
    (lambda x: x.new_zeros(2.5), TypeError, "new_zeros: got size of type float (2.5)"),
    (lambda x: x.new_ones(-1), ValueError, "new_ones: got size -1"),
    (lambda x: x.new_empty(2, dtype="tensor"), TypeError, "new_empty: got dtype 'tensor'"),
    (lambda x: x.new_full((2,), "a"), TypeError, "new_full: got fill_value of type str ('a')"),
    (lambda x: x.new_full((2,), [1, 2]), TypeError, "new_full: got fill_value of shape (2,)"),
    (lambda x: x.new_tensor(["a"]), TypeError, "new_tensor: got data of dtype <U1"),
], ids=["float_size", "negative_size", "bad_dtype", "str_fill", "list_fill", "str_data"])
def test_new_tensors_name_themselves_in_errors(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        call(ag.tensor([1.0]))


# ------------------------------------------------------------------------------------ empty, empty_like
@pytest.mark.parametrize("size", [(2, 3), ((2, 3),), ([0, 2],), ((),)], ids=str)
@pytest.mark.parametrize("dtype", [None, "float64", "int64", "bool"])
def test_empty_has_torch_shape_and_dtype_and_holds_zeros(size, dtype):
    ours = ag.empty(*size, dtype=dtype)
    theirs = torch.empty(*size, dtype=None if dtype is None else torch_dtype(dtype))
    assert ours.shape == tuple(theirs.shape) and str(theirs.dtype) == f"torch.{ours.dtype.name}"
    assert not ours.numpy().any() and not ours.requires_grad


@pytest.mark.parametrize("dtype", DTYPES)
def test_empty_like_has_the_shape_and_dtype_of_its_input_as_torch(dtype):
    x, tx = pair(np.ones((2, 3)), dtype)
    ours, theirs = ag.empty_like(x), torch.empty_like(tx)
    assert ours.shape == tuple(theirs.shape) and str(theirs.dtype) == f"torch.{ours.dtype.name}"
    assert not ours.numpy().any()
    assert ag.empty_like(x, dtype="float64").dtype == np.float64
    assert ag.empty_like(ag.ones(2), requires_grad=True).requires_grad


def test_empty_errors_name_the_function():
    with pytest.raises(TypeError, match=r"^empty: got size of type float \(2\.0\)"):
        ag.empty(2.0)
    with pytest.raises(TypeError, match="^empty: only floating-point tensors can require gradients"):
        ag.empty(2, dtype="int64", requires_grad=True)
    with pytest.raises(TypeError, match="^empty_like: only floating-point tensors can require gradients"):
        ag.empty_like(ag.tensor([1]), requires_grad=True)
    with pytest.raises(TypeError, match="^empty_like: got list; expected a Tensor"):
        ag.empty_like([1.0])


# ----------------------------------------------------------------------------------- from_numpy, as_tensor
@pytest.mark.parametrize("dtype", DTYPES + ["float16", "int8", "int16"])
def test_from_numpy_keeps_the_dtype_and_shares_memory_as_torch(dtype):
    a = np.zeros((2, 3), dtype=dtype)
    ours, theirs = ag.from_numpy(a), torch.from_numpy(a)
    assert_same(ours, theirs)
    a[1, 2] = 1
    assert ours.data[1, 2] == 1 and theirs[1, 2] == 1
    ours.data[0, 0] = 1
    assert a[0, 0] == 1 and theirs[0, 0] == 1
    assert ours.data_ptr() == theirs.data_ptr() == a.ctypes.data


@pytest.mark.parametrize("bad", [[1.0, 2.0], 3, np.float64(2.0), np.array(["a"]), np.array([object()])],
                         ids=["list", "int", "numpy_scalar", "str_array", "object_array"])
def test_from_numpy_refuses_what_torch_refuses(bad):
    with pytest.raises(TypeError):
        torch.from_numpy(bad)
    with pytest.raises(TypeError, match="^from_numpy: got "):
        ag.from_numpy(bad)


def test_from_numpy_refuses_a_masked_array_whose_mask_it_would_drop():
    with pytest.raises(TypeError, match=r"^from_numpy: got an argument of type numpy\.ma\.MaskedArray"):
        ag.from_numpy(np.ma.masked_array([1.0, 2.0], mask=[True, False]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_as_tensor_shares_an_array_of_its_own_dtype_as_torch(dtype):
    a = np.ones(3, dtype=dtype)
    ours, theirs = ag.as_tensor(a), torch.as_tensor(a)
    assert_same(ours, theirs)
    assert np.shares_memory(ours.data, a) and ours.data_ptr() == theirs.data_ptr()
    converted, t_converted = ag.as_tensor(a, dtype="float16"), torch.as_tensor(a, dtype=torch.float16)
    assert_same(converted, t_converted)
    assert not np.shares_memory(converted.data, a)
    assert ag.as_tensor(a, dtype=dtype).data is a


@pytest.mark.parametrize("data", [[1.0, 2.0], [1, 2], [True], 2.5, 3, [[1.5], [2.0]], np.float64(2.0),
                                  np.int32(3)], ids=repr)
def test_as_tensor_of_numbers_and_lists_follows_torch(data):
    assert_same(ag.as_tensor(data), torch.as_tensor(data))
    assert_same(ag.as_tensor(data, dtype="float64"), torch.as_tensor(data, dtype=torch.float64))


def test_as_tensor_returns_a_tensor_itself_or_a_recorded_conversion_as_torch():
    x = ag.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    assert ag.as_tensor(x) is x and ag.as_tensor(x, dtype=torch.float64) is x
    compare_gradients(lambda t: ag.as_tensor(t, dtype="float32") * 3,
                      lambda t: torch.as_tensor(t, dtype=torch.float32) * 3, [1.5, -2.0])


def test_as_tensor_views_a_torch_tensor_without_a_copy():
    t = torch.tensor([1.0, 2.0], dtype=torch.float64)
    ours = ag.as_tensor(t)
    assert ours.dtype == np.float64 and ours.data_ptr() == t.data_ptr()
    t[0] = 5.0
    assert ours.tolist() == [5.0, 2.0]


@pytest.mark.parametrize("bad, error, message", [
    (None, TypeError, "as_tensor: got data of type NoneType (None); expected a Tensor, a numpy array"),
    ("abc", TypeError, "as_tensor: got data of type str ('abc'); expected"),
    ({"a": 1}, TypeError, "as_tensor: got data of type dict"),
    ([[1.0], [1.0, 2.0]], ValueError,
     "as_tensor: got data of type list ([[1.0], [1.0, 2.0]]) whose nested lists differ"),
    ([ag.ones(1)], TypeError, "as_tensor: got a list that holds Tensors"),
], ids=["None", "str", "dict", "ragged", "list_of_tensors"])
def test_as_tensor_errors_name_it(bad, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        ag.as_tensor(bad)


def test_is_tensor_matches_torch():
    nn = pytest.importorskip("nn")
    ours = [ag.ones(2), nn.Parameter(np.ones(2)), np.ones(2), [1.0], 1.0, None]
    theirs = [torch.ones(2), torch.nn.Parameter(torch.ones(2)), np.ones(2), [1.0], 1.0, None]
    expected = [True, True] + [False] * 4
    assert [ag.is_tensor(o) for o in ours] == [torch.is_tensor(t) for t in theirs] == expected


@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3), (2, 0, 4)], ids=str)
def test_numel_and_nelement_match_torch(shape):
    x, tx = pair(np.zeros(shape))
    counts = {ag.numel(x), x.numel(), x.nelement(), ag.numel(np.zeros(shape))}
    assert counts == {torch.numel(tx)} == {tx.nelement()}
    assert type(ag.numel(x)) is int


def test_numel_of_a_list_and_its_errors():
    assert ag.numel([[1, 2, 3], [4, 5, 6]]) == 6 and ag.numel(2.5) == 1
    with pytest.raises(TypeError, match=r"^numel: got an argument of type str \('a'\)"):
        ag.numel("a")


# ---------------------------------------------------------------------------- isclose, allclose, equal
finite_floats = st.floats(-1e6, 1e6, allow_nan=False, width=32)


@st.composite
def close_pairs(draw, dtype):
    """Two arrays of one shape: the second is the first, nudged by up to ~1e-4 relative, moved away, or
    replaced by nan or an infinity here and there."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    a = np.asarray(draw(hnp.arrays(dtype, shape, elements=finite_floats)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    nudge = rng.choice([0.0, 1e-9, 1e-7, 1e-6, 1e-5, 1e-4, 1e-2, 1.0], size=shape)
    b = np.asarray(a * (1 + nudge * rng.choice([-1, 1], size=shape)) + nudge * 1e-3, dtype=dtype)
    for arr in (a, b):
        special = rng.random(shape) < 0.1
        arr[special] = rng.choice([np.nan, np.inf, -np.inf], size=int(special.sum()))
    return a, b


@EXAMPLES
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]),
       rtol=st.sampled_from([0.0, 1e-5, 1e-3]), atol=st.sampled_from([0.0, 1e-8, 1e-3, 1.0]),
       equal_nan=st.booleans())
def test_isclose_and_allclose_match_torch(data, dtype, rtol, atol, equal_nan):
    a, b = data.draw(close_pairs(dtype))
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    kwargs = dict(rtol=rtol, atol=atol, equal_nan=equal_nan)
    assert_same(ag.isclose(Tensor(a), Tensor(b), **kwargs), torch.isclose(ta, tb, **kwargs))
    assert_same(Tensor(a).isclose(Tensor(b), **kwargs), torch.isclose(ta, tb, **kwargs))
    expected = torch.allclose(ta, tb, **kwargs)
    assert ag.allclose(a, b, **kwargs) is Tensor(a).allclose(Tensor(b), **kwargs) is expected
    assert ag.allclose(Tensor(a), Tensor(a), equal_nan=True)  # a tensor is close to itself, nans included


def test_isclose_of_infinities_and_nans_as_torch():
    inf, nan = float("inf"), float("nan")
    a, b = [inf, -inf, inf, nan, nan, 1.0, 1.0], [inf, -inf, -inf, nan, 1.0, inf, 5.0]
    for kwargs in [{}, {"equal_nan": True}, {"rtol": 0.0, "atol": inf}]:
        assert_same(ag.isclose(ag.tensor(a), ag.tensor(b), **kwargs),
                    torch.isclose(torch.tensor(a), torch.tensor(b), **kwargs))


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("rtol, atol", [(0.0, 0.0), (0.0, 1.0), (0.1, 0.0), (1e-5, 1e-8)])
def test_isclose_of_integers_matches_torch(dtype, rtol, atol):
    rng = np.random.default_rng(0)
    high = 2 if dtype == "bool" else 120
    a = rng.integers(0, high, size=50).astype(dtype)
    b = (a + rng.integers(0, 3, size=50)).astype(dtype) if dtype != "bool" else rng.integers(0, 2, 50) > 0
    assert_same(ag.isclose(a, b, rtol=rtol, atol=atol),
                torch.isclose(torch.from_numpy(a), torch.from_numpy(b), rtol=rtol, atol=atol))


def test_isclose_compares_large_integers_exactly_as_torch():
    a = [2**60, -(2**63), 2**63 - 1, 5]
    b = [2**60 + 1, 2**63 - 1, 2**63 - 1, 5]
    for rtol, atol in [(0.0, 0.0), (0.0, 1.0), (1e-5, 1e-8)]:
        assert_same(ag.isclose(ag.tensor(a), ag.tensor(b), rtol=rtol, atol=atol),
                    torch.isclose(torch.tensor(a), torch.tensor(b), rtol=rtol, atol=atol))
    assert ag.isclose(ag.tensor(a), ag.tensor(b), rtol=0.0, atol=0.0).tolist() == [False, False, True, True]


def test_isclose_broadcasts_as_torch_and_takes_numbers():
    a, b = [[1.0], [2.0]], [1.0, 2.0 + 1e-7, 3.0]
    assert_same(ag.isclose(ag.tensor(a), ag.tensor(b)), torch.isclose(torch.tensor(a), torch.tensor(b)))
    expected = torch.allclose(torch.tensor(a), torch.tensor(b))
    assert ag.allclose(ag.tensor(a), ag.tensor(b)) is expected is False
    assert ag.isclose(ag.tensor([1.0, 1.5]), 1.0).tolist() == [True, False]
    assert ag.allclose(ag.ones(2, 2), 1) and ag.allclose(ag.zeros(0), ag.zeros(0))


def test_isclose_mixed_dtypes_are_compared_in_their_common_dtype():
    # torch refuses float32 next to float64; numpy (and chaingrad) compare in float64
    a, b = np.array([0.1], dtype=np.float32), np.array([0.1], dtype=np.float64)
    with pytest.raises(RuntimeError):
        torch.isclose(torch.from_numpy(a), torch.from_numpy(b), rtol=0, atol=0)
    assert ag.isclose(a, b, rtol=0, atol=0).tolist() == np.isclose(a, b, rtol=0, atol=0).tolist() == [False]
    assert ag.isclose(a, b).tolist() == [True]
    assert ag.isclose(ag.tensor([1, 2]), ag.tensor([1.0, 2.5])).tolist() == [True, False]


def test_isclose_carries_no_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    out = x.isclose(x * 1.0)
    assert out.dtype == np.bool_ and not out.requires_grad and out.op == ""
    assert not torch.isclose(*(2 * [torch.tensor([1.0], requires_grad=True)])).requires_grad


@pytest.mark.parametrize("name", ["isclose", "allclose"])
def test_closeness_errors_name_the_function(name):
    fn = getattr(ag, name)
    for what in ["rtol", "atol"]:
        for bad in [-1.0, float("nan")]:
            with pytest.raises(RuntimeError):
                getattr(torch, name)(torch.ones(1), torch.ones(1), **{what: bad})
            with pytest.raises(ValueError, match=f"^{name}: got {what}={bad}; expected a real number >= 0"):
                fn(ag.ones(1), ag.ones(1), **{what: bad})
        with pytest.raises(TypeError, match=f"^{name}: got {what} of type str"):
            fn(ag.ones(1), ag.ones(1), **{what: "0.1"})
    with pytest.raises(ValueError, match=rf"^{name}: shapes \(2,\) and \(3,\) cannot be broadcast"):
        fn(ag.ones(2), ag.ones(3))
    with pytest.raises(TypeError, match=f"^{name}: got an operand of type str"):
        fn(ag.ones(2), "a")


@pytest.mark.parametrize("a, b", [
    ([1.0, 2.0], [1.0, 2.0]), ([1.0, 2.0], [1.0, 2.5]), ([1.0, 2.0], [[1.0, 2.0]]), ([1.0], [1.0, 1.0]),
    ([float("nan")], [float("nan")]), ([], []), ([[1.0, 2.0]], [[1.0, 2.0]]),
], ids=["same", "different", "extra_dim", "broadcastable", "nan", "empty", "matrix"])
def test_equal_matches_torch(a, b):
    expected = torch.equal(torch.tensor(a), torch.tensor(b))
    assert ag.equal(ag.tensor(a), ag.tensor(b)) is ag.tensor(a).equal(ag.tensor(b)) is expected


def test_equal_compares_values_across_dtypes_as_torch():
    assert ag.equal(ag.tensor([1.0, 2.0]), ag.tensor([1, 2])) is torch.equal(
        torch.tensor([1.0, 2.0]), torch.tensor([1, 2])) is True
    assert ag.equal(ag.tensor([1.0], dtype="float64"), ag.tensor([1.0])) is True
    assert ag.equal(ag.tensor([1.5]), [1.5]) and not ag.equal(ag.tensor([1.5]), 1.5)
    with pytest.raises(TypeError, match="^equal: got an operand of type NoneType"):
        ag.equal(ag.ones(1), None)


# ---------------------------------------------------------------------------------------- shape aliases
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (1, 4)], ids=str)
def test_t_matches_torch(shape):
    data = np.random.default_rng(1).standard_normal(shape)
    compare_gradients(lambda x: x.t(), lambda x: x.t(), data)
    compare_gradients(ag.t, torch.t, data)
    x = ag.tensor(data)
    assert x.t() is not x


def test_t_refuses_more_than_two_dimensions_as_torch():
    with pytest.raises(RuntimeError):
        torch.zeros(2, 3, 4).t()
    with pytest.raises(ValueError, match=r"^t: got a tensor of shape \(2, 3, 4\); expected at most 2 dim"):
        ag.zeros(2, 3, 4).t()
    with pytest.raises(TypeError, match=r"^t: got an argument of type str"):
        ag.t("a")


@EXAMPLES
@given(shape=hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=4), seed=st.integers(0, 2**32 - 1))
def test_t_derivatives(shape, seed):
    check_derivatives(lambda x: x.t() * x.t(), np.random.default_rng(seed).standard_normal(shape))


@EXAMPLES
@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4), data=st.data())
def test_swapdims_and_swapaxes_match_torch_with_derivatives(shape, data):
    n = len(shape)
    d0, d1 = data.draw(st.integers(-n, n - 1)), data.draw(st.integers(-n, n - 1))
    x = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1))).standard_normal(shape)
    compare_gradients(lambda t: t.swapdims(d0, d1), lambda t: t.swapdims(d0, d1), x)
    compare_gradients(lambda t: ag.swapdims(t, d0, d1), lambda t: torch.swapdims(t, d0, d1), x)
    compare_gradients(lambda t: t.swapaxes(d0, d1), lambda t: t.swapaxes(d0, d1), x)
    check_derivatives(lambda t: t.swapdims(d0, d1) ** 2, x)


def test_swapdims_errors_name_it():
    with pytest.raises(ValueError, match=r"^swapdims: dim1 2 is out of range for a tensor with 2 dimensions"):
        ag.zeros(2, 3).swapdims(0, 2)
    with pytest.raises(TypeError, match=r"^swapdims: got dim0=0\.5; expected an int"):
        ag.swapdims(ag.zeros(2, 3), 0.5, 1)


@EXAMPLES
@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4), seed=st.integers(0, 2**32 - 1))
def test_negative_matches_torch_with_derivatives(shape, seed):
    x = np.random.default_rng(seed).standard_normal(shape)
    compare_gradients(lambda t: t.negative(), lambda t: t.negative(), x)
    compare_gradients(ag.negative, torch.negative, x)
    check_derivatives(lambda t: t.negative() * t, x)


def test_negative_of_a_list_and_its_errors():
    assert ag.negative([1.0, -2.0]).tolist() == [-1.0, 2.0]
    with pytest.raises(TypeError, match=r"^negative: got an argument of type str"):
        ag.negative("a")


@pytest.mark.parametrize("method, shape, other_shape", [
    ("view_as", (2, 3), (3, 2)), ("view_as", (2, 3), (6,)), ("reshape_as", (2, 3), (1, 6)),
    ("reshape_as", (4,), (2, 1, 2)), ("expand_as", (3, 1), (2, 3, 4)), ("expand_as", (1,), (3,)),
    ("expand_as", (2,), (2,)),
])
def test_shape_of_another_tensor_matches_torch_with_derivatives(method, shape, other_shape):
    x = np.random.default_rng(2).standard_normal(shape)
    other, t_other = ag.zeros(*other_shape), torch.zeros(other_shape)
    compare_gradients(lambda t: getattr(t, method)(other), lambda t: getattr(t, method)(t_other), x)
    check_derivatives(lambda t: getattr(t, method)(other) ** 2, x)


@pytest.mark.parametrize("method", ["view_as", "reshape_as", "expand_as"])
def test_shape_of_another_tensor_errors_name_the_method(method):
    with pytest.raises(TypeError):
        getattr(torch.zeros(2), method)(np.zeros(2))
    with pytest.raises(TypeError, match=rf"^{method}: got other of type numpy\.ndarray .*; expected a "
                                        "Tensor"):
        getattr(ag.zeros(2), method)(np.zeros(2))
    with pytest.raises(RuntimeError):
        getattr(torch.zeros(2, 3), method)(torch.zeros(4))
    with pytest.raises(ValueError, match=f"^{method}: "):
        getattr(ag.zeros(2, 3), method)(ag.zeros(4))


# ----------------------------------------------------------------------- stride, is_contiguous, data_ptr
VIEWS = {
    "plain": lambda x: x,
    "transposed": lambda x: x.transpose(0, 1),
    "permuted": lambda x: x.permute(2, 0, 1),
    "sliced": lambda x: x[:, 1:],
    "stepped": lambda x: x[::2, :, ::3],
    "one_column": lambda x: x[:, :, :1],
    "expanded": lambda x: x[:, :1].expand(2, 5, 4),
    "unsqueezed": lambda x: x.unsqueeze(1),
    "transposed_reshape": lambda x: x.transpose(0, 2).reshape(4, 6),
    "t_of_matrix": lambda x: x[0].t(),
    "new_axis_of_transpose": lambda x: x[0].t()[None],
    "empty": lambda x: x[:, :0].transpose(1, 2),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_strides_and_contiguity_match_torch(name):
    data = np.arange(24.0).reshape(2, 3, 4)
    ours, theirs = VIEWS[name](Tensor(data.copy())), VIEWS[name](torch.from_numpy(data.copy()))
    assert_same(ours, theirs)
    assert ours.is_contiguous() == theirs.is_contiguous()
    # A dimension of size 1 is never stepped along, so its stride is arbitrary: numpy and torch may differ
    stepped = [d for d, n in enumerate(ours.shape) if n != 1]
    assert [ours.stride()[d] for d in stepped] == [theirs.stride()[d] for d in stepped]
    for d in stepped + [-1] * bool(stepped):
        assert ours.stride(d) == theirs.stride(d)


def test_stride_of_a_view_that_steps_backwards():
    x = ag.tensor(np.arange(6.0).reshape(2, 3)[:, ::-1].copy())
    x.data = x.data[:, ::-1]  # numpy's view steps back one element (PyTorch has no negative strides)
    assert x.stride() == (3, -1)
    assert not x.is_contiguous()
    assert x.contiguous().stride() == (3, 1) and x.contiguous().is_contiguous()


def test_flip_and_tile_copy_as_torch_does(torch):
    data = np.arange(6.0).reshape(2, 3)
    for make in (lambda t: t.flip(1), lambda t: t.flip(0, 1), lambda t: t.tile((1, 1)),
                 lambda t: t.repeat(1, 1), lambda t: t.flip(())):
        x, tx = ag.tensor(data.copy()), torch.tensor(data.copy())
        out, tout = make(x), make(tx)
        assert out.stride() == tout.stride() and out.is_contiguous()
        out.add_(1.0)  # reaches x only through a view
        tout.add_(1.0)
        np.testing.assert_array_equal(x.numpy(), tx.numpy())
        np.testing.assert_array_equal(out.numpy(), tout.numpy())


def test_stride_dim_errors_match_size():
    x, tx = ag.zeros(2, 3), torch.zeros(2, 3)
    for d in (2, -3):
        with pytest.raises(IndexError):
            tx.stride(d)
        with pytest.raises(IndexError, match=rf"^stride: dim {d} is out of range for a tensor of shape"):
            x.stride(d)
    with pytest.raises(IndexError, match="^stride: dim 0 is out of range"):
        ag.tensor(1.0).stride(0)
    with pytest.raises(TypeError, match="^stride: got dim of type float"):
        x.stride(1.0)
    assert ag.tensor(1.0).stride() == tuple(torch.tensor(1.0).stride()) == ()


def test_data_ptr_tells_views_from_copies_as_torch():
    data = np.arange(12.0).reshape(3, 4)
    x, tx = Tensor(data), torch.from_numpy(data)
    assert x.data_ptr() == tx.data_ptr() == data.ctypes.data
    for view in [lambda t: t[1:], lambda t: t[:, 2:], lambda t: t.t(), lambda t: t[2]]:
        assert view(x).data_ptr() - x.data_ptr() == view(tx).data_ptr() - tx.data_ptr()
    assert x.clone().data_ptr() != x.data_ptr()
    assert ag.tensor(data).data_ptr() != data.ctypes.data  # tensor() copies, as torch.tensor


# --------------------------------------------------------------------------------------------- type
@pytest.mark.parametrize("source", ["float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("target", ["torch.FloatTensor", "torch.DoubleTensor", "torch.HalfTensor",
                                    "torch.LongTensor", "torch.IntTensor", "torch.ShortTensor",
                                    "torch.CharTensor", "torch.ByteTensor", "torch.BoolTensor"])
def test_type_converts_to_torch_tensor_types_as_torch(source, target):
    x, tx = pair([1.5, 0.0, 3.0], source)
    assert_same(x.type(target), tx.type(target))
    converted = tx.type(target)
    assert_same(x.type(converted.dtype), converted)  # torch's dtype objects as well


@pytest.mark.parametrize("dtype, name", [("float32", "float32"), ("float64", "float64"), ("int64", "int64"),
                                         ("bool", "bool"), ("uint8", "uint8"), ("float16", "float16")])
def test_type_without_an_argument_names_the_dtype(dtype, name):
    x = ag.zeros(2, dtype=dtype)
    assert x.type() == name
    assert ag.ones(2).type(x.type()).dtype == np.dtype(dtype)  # the name converts back


def test_type_returns_the_tensor_itself_when_nothing_changes_and_records_conversions():
    x = ag.tensor([1.0], requires_grad=True)
    tx = torch.tensor([1.0], requires_grad=True)
    assert x.type("torch.FloatTensor") is x and tx.type("torch.FloatTensor") is tx
    compare_gradients(lambda t: t.type("torch.FloatTensor") ** 2, lambda t: t.type("torch.FloatTensor") ** 2,
                      [1.5, -0.25])


def test_type_refuses_other_tensor_types_and_dtypes():
    with pytest.raises(TypeError, match=r"^type: got 'torch\.cuda\.FloatTensor'; expected a dtype or one of"):
        ag.ones(1).type("torch.cuda.FloatTensor")
    with pytest.raises(TypeError, match="^type: got dtype 'vector'"):
        ag.ones(1).type("vector")


# ------------------------------------------------------------------------------- PyTorch's keyword names
MATRIX = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize("ours, theirs", [
    (lambda x: x.roll(1, dims=1), lambda x: x.roll(1, dims=1)),
    (lambda x: x.roll(shifts=(1, -2), dims=(0, 1)), lambda x: x.roll(shifts=(1, -2), dims=(0, 1))),
    (lambda x: ag.roll(x, 2, dims=0), lambda x: torch.roll(x, 2, dims=0)),
    (lambda x: x.flip(dims=(0,)), lambda x: x.flip(dims=(0,))),
    (lambda x: x.flip(0, 1), lambda x: x.flip(0, 1)),
    (lambda x: x.flip([1]), lambda x: x.flip([1])),
    (lambda x: ag.flip(x, dims=[0, 1]), lambda x: torch.flip(x, dims=[0, 1])),
    (lambda x: x.permute(dims=(1, 0)), lambda x: x.permute(dims=(1, 0))),
    (lambda x: x.permute(1, 0), lambda x: x.permute(1, 0)),
    (lambda x: ag.permute(x, dims=[1, 0]), lambda x: torch.permute(x, dims=[1, 0])),
    (lambda x: x.repeat(repeats=(2, 1)), lambda x: x.repeat(repeats=(2, 1))),
    (lambda x: x.repeat(1, 2, 1), lambda x: x.repeat(1, 2, 1)),
    (lambda x: x.tile(dims=(2,)), lambda x: x.tile(dims=(2,))),
    (lambda x: ag.tile(x, dims=(2, 1, 1)), lambda x: torch.tile(x, dims=(2, 1, 1))),
], ids=["roll", "roll_both", "roll_fn", "flip", "flip_varargs", "flip_list", "flip_fn", "permute",
        "permute_varargs", "permute_fn", "repeat", "repeat_varargs", "tile", "tile_fn"])
def test_torch_keyword_names_give_torch_results_and_gradients(ours, theirs):
    compare_gradients(ours, theirs, MATRIX)


def test_numpy_names_still_work_beside_torch_names():
    x = ag.tensor(MATRIX)
    assert x.flip(axis=1).tolist() == np.flip(MATRIX, 1).tolist() == x.flip(dims=1).tolist()
    assert x.roll(1, axis=0).tolist() == np.roll(MATRIX, 1, 0).tolist()
    assert x.tile(reps=(1, 2)).tolist() == np.tile(MATRIX, (1, 2)).tolist()
    assert x.flip().tolist() == x.flip(None).tolist() == MATRIX[::-1, ::-1].tolist()


@pytest.mark.parametrize("call, message", [
    (lambda x: x.flip(0, dims=1), "flip: got axis both as arguments (0,) and as axis=1; expected one of"),
    (lambda x: x.flip(dims=0, axis=1), "flip: got both dims= and axis=; expected one of them"),
    (lambda x: x.roll(1, dims=0, axis=1), "roll: got both dims= and axis=; expected one of them"),
    (lambda x: x.tile((1, 2), dims=(2, 1)), "tile() got multiple values for argument 'reps'"),
    (lambda x: x.tile(reps=(1, 2), dims=(2, 1)), "tile: got both dims= and reps=; expected one of them"),
    (lambda x: x.permute(1, 0, dims=(1, 0)),
     "permute: got dims both as arguments (1, 0) and as dims=(1, 0); expected one of them"),
    (lambda x: x.repeat(2, 1, repeats=(2, 1)),
     "repeat: got repeats both as arguments (2, 1) and as repeats=(2, 1); expected one of them"),
])
def test_both_spellings_at_once_are_refused(call, message):
    with pytest.raises(TypeError, match=f"^{re.escape(message)}"):
        call(ag.tensor(MATRIX))


def test_dim_is_not_taken_for_functions_whose_torch_keyword_is_dims():
    with pytest.raises(TypeError):
        torch.tile(torch.ones(2), dim=(2,))
    with pytest.raises(TypeError, match="unexpected keyword argument 'dim'"):
        ag.tile(ag.ones(2), dim=(2,))


def test_stride_refuses_byte_strides_that_are_not_whole_elements():
    # a hand-made view whose rows start 6 bytes apart: its row stride is 1.5 float32 elements
    buffer = np.zeros(16, dtype=np.uint8)
    odd = np.lib.stride_tricks.as_strided(buffer.view(np.float32), shape=(2, 2), strides=(6, 4))
    with pytest.raises(ValueError, match=r"^stride: got a tensor whose byte strides \(6, 4\) are not whole"):
        Tensor(odd).stride()
    assert Tensor(odd).contiguous().stride() == (2, 1)


@pytest.mark.parametrize("counts", [[1, 2, 0, 3], [0], [], [4]], ids=str)
def test_repeat_interleave_of_counts_alone_matches_torch(counts):
    torch = pytest.importorskip("torch")
    expected = torch.repeat_interleave(torch.tensor(counts, dtype=torch.int64)).tolist()
    assert ag.repeat_interleave(ag.tensor(np.array(counts, dtype=np.int64))).tolist() == expected


@pytest.mark.parametrize("counts", [[1.0, 2.0], [[1, 2]], [1, -1]], ids=["float", "2-D", "negative"])
def test_repeat_interleave_refuses_counts_torch_refuses(counts):
    with pytest.raises(ValueError, match="repeat_interleave: got counts of shape"):
        ag.repeat_interleave(ag.tensor(counts))
