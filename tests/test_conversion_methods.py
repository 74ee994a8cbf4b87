"""PyTorch's tensor-attribute methods (size, numel, to, clone, ...) against torch itself."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor, gradcheck

torch = pytest.importorskip("torch")

SHAPES = [(), (0,), (3,), (2, 3), (2, 1, 4)]


def _pair(shape, dtype=np.float64, seed=0):
    data = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    return Tensor(data), torch.from_numpy(data.copy())


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_sizes_match_torch(shape):
    ours, theirs = _pair(shape)
    assert ours.size() == tuple(theirs.size())
    assert ours.numel() == theirs.numel()
    assert ours.dim() == theirs.dim()
    assert ours.element_size() == theirs.element_size()
    for d in range(-len(shape) - 1, len(shape) + 1):
        try:
            expected = theirs.size(d)
        except IndexError:
            with pytest.raises(IndexError, match="size: dim"):
                ours.size(d)
        else:
            assert ours.size(d) == expected


def test_size_refuses_a_non_int_dim():
    with pytest.raises(TypeError, match="size: got dim of type float"):
        Tensor(np.zeros(2)).size(1.0)


@pytest.mark.parametrize("data", [[1.0, -2.5], [1, 0, 3], [True, False]], ids=["float", "int", "bool"])
@pytest.mark.parametrize("method, torch_dtype", [
    ("int", "int32"), ("long", "int64"), ("bool", "bool"), ("half", "float16"), ("float", "float32"),
    ("double", "float64")])
def test_dtype_conversions_match_torch(data, method, torch_dtype):
    ours = getattr(autograd.tensor(data), method)()
    theirs = getattr(torch.tensor(data), method)()
    assert str(theirs.dtype) == f"torch.{torch_dtype}"
    assert ours.dtype == np.dtype(torch_dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.is_floating_point() == theirs.is_floating_point()


@pytest.mark.parametrize("args, kwargs, expected", [
    (("float64",), {}, np.float64),
    ((np.float16,), {}, np.float16),
    (("cpu",), {}, np.float32),
    (("cpu", "float64"), {}, np.float64),
    ((), {"dtype": "int64"}, np.int64),
    ((), {"device": "cpu", "dtype": np.float64}, np.float64),
], ids=["name", "numpy_type", "device", "device_and_dtype", "dtype_kw", "both_kw"])
def test_to_takes_dtypes_and_the_cpu(args, kwargs, expected):
    x = autograd.tensor([1.5, -2.0])
    assert x.to(*args, **kwargs).dtype == np.dtype(expected)


def test_to_takes_torch_dtypes_devices_and_tensors():
    x = autograd.tensor([1.5, -2.0])
    assert x.to(torch.float64).dtype == np.float64
    assert x.to(torch.device("cpu"), torch.int64).dtype == np.int64
    assert x.to(autograd.tensor([1])).dtype == np.int64
    assert x.to(torch.device("cpu")) is x
    assert x.cpu() is x and x.device == "cpu" and x.device == autograd.device("cpu")
    assert repr(x.device) == repr(torch.zeros(1).device) and x.device.type == "cpu" and x.device.index is None


@pytest.mark.parametrize("device", ["cuda", "cuda:0", "mps"])
def test_to_refuses_other_devices(device):
    with pytest.raises(RuntimeError, match=f"to: got device '{device}'; chaingrad computes on the CPU only"):
        autograd.tensor([1.0]).to(device)


def test_to_refuses_two_dtypes():
    with pytest.raises(TypeError, match="^to: got two dtypes, 'float64' and 'float32'; expected one$"):
        autograd.tensor([1.0]).to("float64", "float32")


def test_to_copy_gives_new_data_and_keeps_the_graph():
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    same = x.to("float32")
    copied = x.to("float32", copy=True)
    assert same is x
    assert copied is not x and not np.shares_memory(copied.data, x.data)
    (copied * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])


def test_to_float64_is_differentiable_like_torch():
    data = np.array([0.5, -1.5, 2.0], dtype=np.float32)
    x = Tensor(data, requires_grad=True)
    tx = torch.tensor(data, requires_grad=True)
    (x.to("float64") ** 2).sum().backward()
    (tx.to(torch.float64) ** 2).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())


def test_type_as_matches_torch():
    ours = autograd.tensor([1, 2]).type_as(autograd.tensor([0.5]))
    theirs = torch.tensor([1, 2]).type_as(torch.tensor([0.5]))
    assert ours.dtype == np.float32 and str(theirs.dtype) == "torch.float32"
    with pytest.raises(TypeError, match="type_as: got other of type str"):
        autograd.tensor([1]).type_as("float32")


def test_clone_copies_the_data_and_passes_gradients_as_torch():
    data = np.random.default_rng(1).standard_normal((2, 3))
    x, tx = Tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    y, ty = x.clone(), tx.clone()
    assert not np.shares_memory(y.data, x.data)
    ((y * y).sum() + y.sum()).backward()
    ((ty * ty).sum() + ty.sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
    assert gradcheck(lambda t: t.clone() * t, [Tensor(data, requires_grad=True)])


def test_clone_of_a_constant_is_a_constant_with_its_own_data():
    x = autograd.tensor([1.0])
    y = x.clone()
    y.data[0] = 100.0
    assert x.data[0] == 1.0
    assert not y.requires_grad and y.is_leaf


def test_contiguous_returns_the_tensor_or_a_differentiable_copy():
    data = np.random.default_rng(2).standard_normal((3, 4))
    x = Tensor(data, requires_grad=True)
    assert x.contiguous() is x
    t = x.T.contiguous()
    assert t.data.flags.c_contiguous and t is not x.T
    weights = np.arange(12.0).reshape(4, 3)
    (t * Tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), weights.T)
    assert gradcheck(lambda a: a.T.contiguous() * 2.0, [Tensor(data, requires_grad=True)])


def test_clone_is_a_function_too():
    x = autograd.tensor([[1.0, 2.0]], requires_grad=True)
    y = autograd.clone(x)
    np.testing.assert_array_equal(y.numpy(), x.numpy())
    assert y.requires_grad and y is not x


@pytest.mark.parametrize("call", [
    lambda dt: autograd.tensor([1, 2], dtype=dt),
    lambda dt: Tensor([1, 2], dtype=dt),
    lambda dt: autograd.tensor([1.0, 2.0]).astype(dt),
    lambda dt: autograd.cumsum(autograd.tensor([1.0, 2.0]), 0, dtype=dt),
    lambda dt: autograd.tensor([1.0, 2.0]).cumprod(0, dtype=dt),
    lambda dt: autograd.tensor([1.0, 2.0]).sum(dtype=dt),
    lambda dt: autograd.zeros(2, dtype=dt),
    lambda dt: autograd.tensor([1.0, 2.0]).to(dt),
], ids=["tensor", "Tensor", "astype", "cumsum", "cumprod", "sum", "zeros", "to"])
def test_every_dtype_argument_takes_torch_dtypes(call):
    assert call(torch.float64).dtype == np.float64
    assert call(torch.float16).dtype == np.float16


def test_an_unknown_dtype_is_refused_with_the_function_named():
    with pytest.raises(TypeError, match="astype: got dtype 'float33'; expected a numpy dtype"):
        autograd.tensor([1.0]).astype("float33")
    with pytest.raises(TypeError, match="Tensor: got dtype 'float33'"):
        Tensor([1.0], dtype="float33")


def test_devices_as_pytorch_names_them():
    assert repr(autograd.device("cpu", 0)) == repr(torch.device("cpu", 0))
    assert str(autograd.device("cpu:1")) == str(torch.device("cpu:1")) == "cpu:1"
    cpu = autograd.device("cpu")
    assert autograd.device("cpu:0") != cpu and cpu == autograd.device(cpu)
    assert hash(cpu) == hash(autograd.device("cpu")) and {"cpu": 1}.get(cpu) == 1  # equal to its string
    assert cpu == torch.device("cpu") and autograd.device("cpu", 1) != torch.device("cpu", 0)
    assert not autograd.cuda.is_available() and autograd.cuda.device_count() == 0
    chosen = autograd.device("cuda" if autograd.cuda.is_available() else "cpu")
    x = autograd.tensor([1.0]).to(chosen)
    assert x.device == chosen
    assert autograd.tensor([1.0]).new_zeros(2, device=chosen).device.type == "cpu"
    for bad in ("gpu", "cpu:x", "cpu:-1"):
        with pytest.raises(RuntimeError, match=f"device: got '{bad}'"):
            autograd.device(bad)
        with pytest.raises(RuntimeError):
            torch.device(bad)
    with pytest.raises(RuntimeError, match=r"to: got device device\(type='cuda'\); chaingrad computes on"):
        autograd.tensor([1.0]).to(autograd.device("cuda"))
