"""The dual functions (autograd.exp, log, ...) on 0-d Tensors, and the factories' checks of sizes, dtypes,
fill values and ranges.

A 0-d Tensor is what ``sum()`` and ``mean()`` return, so ``autograd.log(loss)`` must stay in the graph.
The factories follow PyTorch where it raises rather than truncates; the expected values come from torch
where it is importable and are computed by hand otherwise.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor, Value, factories

NAMES = ["exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "leaky_relu", "abs", "sqrt",
         "softplus"]
POSITIVE_ONLY = {"log", "sqrt"}
CASES = [(name, v) for name in NAMES for v in (0.7, -0.6) if v > 0 or name not in POSITIVE_ONLY]


def _torch_fn(torch, name):
    functional = torch.nn.functional
    return {"relu": torch.relu, "leaky_relu": lambda t: functional.leaky_relu(t, 0.01),
            "softplus": functional.softplus}.get(name) or getattr(torch, name)


# ------------------------------------------------------------------------- dual functions on 0-d tensors
@pytest.mark.parametrize("name,v", CASES)
def test_dual_function_keeps_a_0d_tensor_in_the_graph_like_torch(name, v):
    torch = pytest.importorskip("torch")
    x = Tensor(np.array(v), requires_grad=True)
    y = getattr(autograd, name)(x)
    assert isinstance(y, Tensor) and y.shape == () and y.requires_grad
    (y * x).backward()

    xt = torch.tensor(v, dtype=torch.float64, requires_grad=True)
    yt = _torch_fn(torch, name)(xt)
    (yt * xt).backward()
    assert y.item() == pytest.approx(yt.item(), rel=1e-12, abs=1e-15)
    assert x.grad.item() == pytest.approx(xt.grad.item(), rel=1e-12, abs=1e-15)


def test_exp_of_a_0d_tensor_times_itself_has_the_hand_computed_gradient():
    x = Tensor(np.array(0.5), requires_grad=True)
    (autograd.exp(x) * x).backward()
    assert x.grad.item() == pytest.approx(math.exp(0.5) * 1.5, rel=1e-12)  # e^x + x e^x


@pytest.mark.parametrize("name", NAMES)
def test_dual_function_of_a_sum_passes_gradcheck(name):
    # sum() returns a 0-d tensor: f(x.sum()) * x must differentiate through f as well
    def g(x):
        return getattr(autograd, name)(x.sum()) * x

    assert autograd.gradcheck(g, [np.array([0.3, 0.45])])


def test_log_of_a_mean_loss_backpropagates():
    w = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    loss = autograd.log((w * w).mean())
    assert isinstance(loss, Tensor)
    loss.backward()
    # d/dw log(mean(w^2)) = 2 w / (n mean(w^2)) = 2 w / sum(w^2)
    np.testing.assert_allclose(w.grad.numpy(), 2 * np.array([1.0, 2.0, 3.0]) / 14.0, rtol=1e-12)


def test_dual_function_keeps_a_0d_float32_tensor_a_tensor():
    x = Tensor(2.0, requires_grad=True)
    y = autograd.sqrt(x)
    assert isinstance(y, Tensor) and y.dtype == np.float32
    y.backward()
    assert x.grad.item() == pytest.approx(0.5 / math.sqrt(2.0), rel=1e-6)


def test_dual_functions_still_give_floats_for_numpy_0d_arrays_and_scalars():
    # documented: a plain Python or numpy real number gives a Python float and records nothing
    for number in (np.array(0.5), np.float32(0.5), np.int64(2), 0.5):
        result = autograd.exp(number)
        assert type(result) is float and result == pytest.approx(math.exp(float(number)))


def test_leaky_relu_on_a_0d_tensor_uses_the_slope_like_torch():
    torch = pytest.importorskip("torch")
    x = Tensor(np.array(-2.0), requires_grad=True)
    y = autograd.leaky_relu(x, 0.2)
    y.backward()
    xt = torch.tensor(-2.0, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.leaky_relu(xt, 0.2).backward()
    assert (y.item(), x.grad.item()) == pytest.approx((-0.4, xt.grad.item()))


@pytest.mark.parametrize("slope", [Tensor(np.array(0.2), requires_grad=True), Tensor(np.array(0.2)),
                                   Value(0.2)])
def test_leaky_relu_refuses_a_node_as_slope(slope):
    # a Tensor slope used to become a float, its gradient silently lost
    with pytest.raises(TypeError, match="leaky_relu: got negative_slope of type"):
        autograd.leaky_relu(Tensor(np.array([-1.0, 1.0]), requires_grad=True), slope)


# ------------------------------------------------------------------------- random factories: dtypes
RANDOM = [
    ("rand", lambda dtype: autograd.rand(3, dtype=dtype)),
    ("randn", lambda dtype: autograd.randn(3, dtype=dtype)),
    ("rand_like", lambda dtype: autograd.rand_like(autograd.zeros(3, dtype=dtype))),
    ("randn_like", lambda dtype: autograd.randn_like(autograd.zeros(3), dtype=dtype)),
]


@pytest.mark.parametrize("name,make", RANDOM)
@pytest.mark.parametrize("dtype,shown", [(int, "int64"), ("int32", "int32"), (bool, "bool"),
                                         ("uint8", "uint8")])
def test_random_factories_refuse_non_floating_dtypes(name, make, dtype, shown):
    with pytest.raises(TypeError, match=rf"^{name}: got dtype {shown}; expected a floating dtype"):
        make(dtype)


@pytest.mark.parametrize("name", ["rand", "randn", "rand_like", "randn_like"])
def test_torch_refuses_integer_random_tensors_too(name):
    torch = pytest.importorskip("torch")
    with pytest.raises((RuntimeError, NotImplementedError)):
        if name.endswith("_like"):
            getattr(torch, name)(torch.zeros(3, dtype=torch.int64))
        else:
            getattr(torch, name)(3, dtype=torch.int64)


@pytest.mark.parametrize("name,make", RANDOM)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_random_factories_keep_floating_dtypes(name, make, dtype):
    out = make(dtype)
    assert out.dtype == dtype and out.shape == (3,)


class _AlmostOne:
    """A generator whose uniform samples are the largest float64 below 1."""

    def random(self, shape):
        return np.full(shape, 1.0 - 2.0 ** -53)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_rand_stays_below_one_after_rounding_to_a_narrower_dtype(monkeypatch, dtype):
    monkeypatch.setattr(factories, "_generator", _AlmostOne())
    out = autograd.rand(4, dtype=dtype).numpy()
    assert out.dtype == dtype and (out < 1).all() and (out > 0.99).all()


def test_rand_and_randn_keep_the_seeded_stream():
    autograd.manual_seed(3)
    a, b = autograd.rand(5).numpy(), autograd.randn(2, 2, dtype=np.float64).numpy()
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(a, rng.random(5).astype(np.float32))
    np.testing.assert_array_equal(b, rng.standard_normal((2, 2)))


# ------------------------------------------------------------------------- sizes
SHAPED = {
    "zeros": lambda *s: autograd.zeros(*s),
    "ones": lambda *s: autograd.ones(*s),
    "rand": lambda *s: autograd.rand(*s),
    "randn": lambda *s: autograd.randn(*s),
    "full": lambda *s: autograd.full(s[0] if len(s) == 1 else s, 1.5),
}
BAD_SIZES = [2.7, 2.0, True, "3", None, np.float64(2.0), np.bool_(True)]


@pytest.mark.parametrize("name", list(SHAPED))
@pytest.mark.parametrize("size", BAD_SIZES, ids=repr)
def test_factories_refuse_non_integer_sizes(name, size):
    with pytest.raises(TypeError, match=rf"^{name}: got size of type [\w.]+ \(.*\); expected an int"):
        SHAPED[name](size)
    with pytest.raises(TypeError, match=rf"^{name}: got size of type float \(2.5\)"):
        SHAPED[name]((2, 2.5))


@pytest.mark.parametrize("name", ["zeros", "ones", "rand", "randn"])
@pytest.mark.parametrize("size", [2.7, 2.0, True], ids=repr)
def test_torch_refuses_the_same_sizes(name, size):
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        getattr(torch, name)(size)


def test_eye_refuses_non_integer_sizes():
    with pytest.raises(TypeError, match=r"^eye: got size of type float \(2.5\); expected an int"):
        autograd.eye(2.5)
    with pytest.raises(TypeError, match=r"^eye: got size of type float \(1.0\)"):
        autograd.eye(2, 1.0)
    with pytest.raises(ValueError, match=r"^eye: got size -1; sizes must be non-negative"):
        autograd.eye(-1)


@pytest.mark.parametrize("name", list(SHAPED))
def test_factories_refuse_negative_sizes(name):
    with pytest.raises(ValueError, match=rf"^{name}: got size -1; sizes must be non-negative"):
        SHAPED[name](2, -1)


@pytest.mark.parametrize("name", ["zeros", "ones", "rand", "randn"])
@pytest.mark.parametrize("args", [(np.int64(2),), (2, np.int32(3)), ((2, np.uint8(3)),), ([2, 3],), (0,),
                                  ((),)], ids=repr)
def test_factories_accept_integer_sizes_like_torch(name, args):
    torch = pytest.importorskip("torch")
    assert getattr(autograd, name)(*args).shape == tuple(getattr(torch, name)(*args).shape)


def test_eye_accepts_numpy_integers():
    np.testing.assert_array_equal(autograd.eye(np.int64(2), np.uint8(3)).numpy(), np.eye(2, 3))


# ------------------------------------------------------------------------- full
@pytest.mark.parametrize("fill", [3, True, 3.0, -2, False, 0.5], ids=repr)
def test_full_infers_the_dtype_like_torch(fill):
    torch = pytest.importorskip("torch")
    out, expected = autograd.full((2, 3), fill), torch.full((2, 3), fill)
    assert out.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
    assert out.tolist() == expected.tolist()


def test_full_infers_int64_and_bool_by_hand():
    assert autograd.full((2,), 3).dtype == np.int64 and autograd.full((2,), 3).tolist() == [3, 3]
    assert autograd.full((2,), True).dtype == np.bool_
    assert autograd.full((2,), 3.0).dtype == np.float32
    assert autograd.full((2,), np.float64(3.0)).dtype == np.float64  # numpy scalars keep their dtype
    assert autograd.full((2,), 3, dtype="float64").dtype == np.float64


def test_full_with_an_int_fill_cannot_require_grad_as_in_torch():
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        autograd.full((2,), 3, requires_grad=True)
    assert autograd.full((2,), 3.0, requires_grad=True).requires_grad


@pytest.mark.parametrize("size", [3, np.int64(3), np.array(3)], ids=repr)
def test_full_takes_one_integer_as_its_size(size):
    out = autograd.full(size, 1.0)
    assert out.shape == (3,) and out.tolist() == [1.0, 1.0, 1.0]


def test_full_refuses_an_array_fill_value_like_torch():
    with pytest.raises(TypeError, match=r"^full: got fill_value of shape \(2,\); expected a single number"):
        autograd.full((3, 2), [1.0, 2.0])


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.bool_])
@pytest.mark.parametrize("fill", [2.7, 3, True], ids=repr)
def test_full_like_keeps_the_input_dtype_like_torch(dtype, fill):
    torch = pytest.importorskip("torch")
    out = autograd.full_like(autograd.zeros(2, dtype=dtype), fill)
    expected = torch.full_like(torch.from_numpy(np.zeros(2, dtype=dtype)), fill)
    assert out.dtype == dtype and out.tolist() == expected.tolist()


# ------------------------------------------------------------------------- arange
@pytest.mark.parametrize("step", [0, 0.0])
def test_arange_refuses_a_zero_step(step):
    with pytest.raises(ValueError, match=r"^arange: got step 0(\.0)?; expected a nonzero step"):
        autograd.arange(0, 1, step)


@pytest.mark.parametrize("args", [(0, 2, 0.5), (0, -2, -0.5), (1, 2, 0.3)])
def test_arange_refuses_a_step_that_truncates_to_zero_for_an_integer_dtype(args):
    with pytest.raises(ValueError, match=r"^arange: step .* truncates to 0 for dtype int64"):
        autograd.arange(*args, dtype="int64")
    with pytest.raises(ValueError, match=r"^arange: step .* truncates to 0 for dtype int32"):
        autograd.arange(*args, dtype="int32")


@pytest.mark.parametrize("args", [(0, 2, 0.5), (0, 1, 0)])
def test_torch_refuses_those_steps_too(args):
    torch = pytest.importorskip("torch")
    with pytest.raises((RuntimeError, ValueError)):
        torch.arange(*args, dtype=torch.int64)


_ARANGE_ARGS = [(0, 3, 1.5), (0.5, 3, 1), (-2.7, 0, 1), (0, 2.5, 1), (2.7,), (-0.5, 2, 1), (0, 3.0, 1),
                (5, 0, -2.5)]
_ARANGE_CASES = [(args, dtype) for dtype in ("int64", "int32", "uint8") for args in _ARANGE_ARGS
                 if dtype != "uint8" or min(args) >= 0]  # uint8 holds no negative values


@pytest.mark.parametrize("args, dtype", _ARANGE_CASES, ids=repr)
def test_arange_with_an_integer_dtype_truncates_the_bounds_like_torch(args, dtype):
    # every integer dtype follows torch's int64 (torch's narrower integer dtypes take the length from
    # the unconverted bounds: torch.arange(0, 2, 0.5, dtype=torch.int32) is [0, 0, 0, 0])
    torch = pytest.importorskip("torch")
    out = autograd.arange(*args, dtype=dtype)
    expected = torch.arange(*args, dtype=torch.int64)
    assert out.dtype == np.dtype(dtype) and out.tolist() == expected.tolist()


def test_arange_with_an_integer_dtype_by_hand():
    assert autograd.arange(0, 3, 1.5, dtype="int64").tolist() == [0, 1, 2]  # step 1.5 -> 1
    assert autograd.arange(0.5, 3, 1, dtype="int64").tolist() == [0, 1, 2]  # start 0.5 -> 0


def test_arange_refuses_bool_and_infinite_bounds_for_integer_dtypes():
    with pytest.raises(TypeError, match=r"^arange: got dtype bool"):
        autograd.arange(0, 2, dtype=bool)
    with pytest.raises(ValueError, match=r"^arange: got start=0, stop=inf, step=1; expected finite .*\(stop "
                                         r"is inf\)$"):
        autograd.arange(0, math.inf, dtype="int64")


def test_arange_with_a_stop_only_uses_the_step():
    assert autograd.arange(5, step=2).tolist() == [0, 2, 4]
    assert autograd.arange(1.0, step=0.25).tolist() == [0.0, 0.25, 0.5, 0.75]


@pytest.mark.parametrize("args", [(3,), (0, 1, 0.25), (0, 5, 1.0), (-1, 1, 0.5), (2, -2, -1)], ids=repr)
def test_arange_default_dtypes_match_torch(args):
    torch = pytest.importorskip("torch")
    out, expected = autograd.arange(*args), torch.arange(*args)
    assert out.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
    assert out.tolist() == expected.tolist()
