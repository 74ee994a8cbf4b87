"""``Module.to`` and the layers' ``dtype=`` / ``device=`` arguments take what PyTorch's take on a CPU-only
library (devices, numpy and PyTorch dtypes, tensors, keywords), and a module or an optimizer refuses a
parameter whose ``.data`` is no longer a numpy array (what ``p.data -= lr * p.grad`` leaves)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor


def _bn_dtypes(module) -> tuple[str, ...]:
    return tuple(str(np.dtype(str(t.dtype).replace("torch.", ""))) for t in
                 (module.weight, module.running_mean, module.num_batches_tracked))


def _calls(torch, lib):
    """(args, kwargs) pairs for ``to``, written with the library ``lib`` (torch, or autograd for ours)."""
    f64 = lib.float64
    tensor64 = torch.zeros(1, dtype=torch.float64) if lib is torch else autograd.zeros(1, dtype="float64")
    return [
        (("cpu",), {}), (("cpu:0",), {}), ((torch.device("cpu"),), {}), ((), {"device": "cpu"}),
        ((f64,), {}), ((), {"dtype": lib.float16}), (("cpu", f64), {}), ((tensor64,), {}),
        ((f64,), {"non_blocking": True}), ((f64, True), {}),
        ((), {"device": torch.device("cpu"), "dtype": f64}),
    ]


def test_module_to_matches_torch(torch):
    for ours_call, theirs_call in zip(_calls(torch, autograd), _calls(torch, torch)):
        ours, theirs = nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
        assert ours.to(*ours_call[0], **ours_call[1]) is ours
        assert theirs.to(*theirs_call[0], **theirs_call[1]) is theirs
        assert _bn_dtypes(ours) == _bn_dtypes(theirs), ours_call  # integer buffers keep int64


def test_module_to_takes_torch_dtypes_and_tensors(torch):
    lin = nn.Linear(2, 2)
    assert lin.to(torch.float64).weight.dtype == np.float64
    assert lin.to(torch.zeros(1)).weight.dtype == np.float32  # a torch tensor: its dtype
    assert lin.to("float16").weight.dtype == np.float16  # numpy's dtype names are dtypes here
    assert lin.to(dtype=np.float64).bias.dtype == np.float64


def test_module_to_refuses_what_torch_refuses(torch):
    for args in [(torch.int64,), (torch.zeros(1, dtype=torch.int64),)]:
        with pytest.raises(TypeError):
            torch.nn.Linear(2, 2).to(*args)
    lin = nn.Linear(2, 2)
    with pytest.raises(TypeError, match=r"Linear.to: got dtype int64; expected a floating-point dtype"):
        lin.to(torch.int64)
    with pytest.raises(TypeError, match=r"Linear.to: got dtype int64; expected a floating-point dtype"):
        lin.to(autograd.tensor([1, 2]))
    with pytest.raises(TypeError, match="Linear.to: got two dtypes"):
        lin.to(torch.float64, torch.float32)
    with pytest.raises(TypeError, match="Linear.to: got two devices, 'cpu' and 'cpu'"):
        lin.to("cpu", device="cpu")
    assert lin.weight.dtype == np.float32


@pytest.mark.parametrize("device", ["cuda", "cuda:0", "mps", "meta", 0, "cpu:x"])
def test_module_to_refuses_devices_other_than_the_cpu(device):
    lin = nn.Linear(2, 2)
    message = rf"Linear.to: got device {device!r}; chaingrad computes on the CPU only \(expected 'cpu'"
    with pytest.raises(RuntimeError, match=message):
        lin.to(device)
    with pytest.raises(RuntimeError, match=message):
        lin.to(device=device, dtype="float64")
    assert lin.weight.dtype == np.float32  # nothing converted


def test_module_to_refuses_a_torch_cuda_device(torch):
    with pytest.raises(RuntimeError, match=r"got device device\(type='cuda', index=1\); chaingrad computes "
                                           "on the CPU only"):
        nn.Linear(2, 2).to(torch.device("cuda", 1))


def test_module_to_names_what_it_cannot_read():
    with pytest.raises(TypeError, match=r"^Linear.to: got an argument of type str \('cpus'\); expected a "
                                        r"device \('cpu'\), a dtype \(such as 'float64' or torch.float64\) "
                                        "or a tensor$"):
        nn.Linear(2, 2).to("cpus")


def test_module_to_converts_gradients_as_torch(torch):
    ours = nn.Linear(2, 2)
    ours(autograd.ones(1, 2)).sum().backward()
    grad, weight = ours.weight.grad, ours.weight
    ours.double()
    assert ours.weight is weight and ours.weight.grad is grad and grad.dtype == np.float64
    theirs = torch.nn.Linear(2, 2)
    theirs(torch.ones(1, 2)).sum().backward()
    theirs.double()
    assert theirs.weight.grad.dtype == torch.float64


def test_cpu_half_double_float_return_the_module():
    bn = nn.BatchNorm1d(2)
    assert bn.cpu() is bn
    assert bn.half() is bn and bn.weight.dtype == np.float16 and bn.running_var.dtype == np.float16
    assert bn.num_batches_tracked.dtype == np.int64
    assert bn.double().weight.dtype == np.float64 and bn.float().weight.dtype == np.float32


@pytest.mark.parametrize("make", [
    lambda dtype, device: nn.Linear(3, 2, dtype=dtype, device=device),
    lambda dtype, device: nn.Conv2d(1, 2, 3, dtype=dtype, device=device),
    lambda dtype, device: nn.BatchNorm1d(2, dtype=dtype, device=device),
    lambda dtype, device: nn.BatchNorm2d(2, dtype=dtype, device=device),
    lambda dtype, device: nn.LayerNorm(3, dtype=dtype, device=device),
], ids=["Linear", "Conv2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm"])
def test_layers_take_torch_dtypes_and_the_cpu(torch, make):
    for dtype, device in [(torch.float64, "cpu"), (autograd.float64, torch.device("cpu")), ("float64", None)]:
        module = make(dtype, device)
        assert all(p.dtype == np.float64 for p in module.parameters())
        assert all(b.dtype in (np.float64, np.int64) for b in module.buffers())
    assert all(p.dtype == np.float16 for p in make(torch.float16, None).parameters())
    with pytest.raises(TypeError, match="got dtype int64; expected a floating-point dtype"):
        make(torch.int64, None)
    with pytest.raises(RuntimeError, match="got device 'cuda'; chaingrad computes on the CPU only"):
        make(None, "cuda")


def test_linear_takes_device_and_dtype_in_torchs_positions(torch):
    ours = nn.Linear(3, 2, True, "cpu", torch.float64)
    theirs = torch.nn.Linear(3, 2, True, "cpu", torch.float64)
    assert ours.weight.dtype == np.float64 and theirs.weight.dtype == torch.float64


def test_mlp_takes_a_torch_dtype(torch):
    assert all(p.dtype == np.float64 for p in nn.MLP([2, 3, 1], dtype=torch.float64).parameters())


# --------------------------------------------------------------------------- a .data that is not an array
def _stale_model():
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    x = autograd.randn(4, 3)
    model(x).sum().backward()
    for p in model.parameters():
        p.data = p.data - 0.1 * p.grad  # array - Tensor is a Tensor, as in PyTorch: .data becomes one
    return model, x


def test_forward_refuses_a_parameter_whose_data_became_a_tensor():
    model, x = _stale_model()
    assert type(model[0].weight.data) is Tensor  # what the old PyTorch idiom does here
    with pytest.raises(TypeError, match=r"Linear: parameter 'weight' has a \.data of type Tensor "
                                        r"\(dtype float32, shape \(2, 3\)\); expected a numpy array. "
                                        r"`p.data = p.data - lr \* p.grad` stores a Tensor there.*"
                                        r"`p.data -= lr \* p.grad`, or `with autograd.no_grad\(\): "
                                        r"p -= lr \* p.grad`"):
        model(x)


def test_forward_runs_after_the_updates_the_error_suggests():
    model, x = _stale_model()
    for p in model.parameters():
        p.data = p.data.data  # back to the arrays
    before = [p.numpy().copy() for p in model.parameters()]
    model.zero_grad()
    model(x).sum().backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad  # PyTorch's old update through .data: the array is updated in place
        assert type(p.data) is np.ndarray
    with autograd.no_grad():
        for p in model.parameters():
            p -= 0.1 * p.grad
    for p, b in zip(model.parameters(), before):
        np.testing.assert_allclose(p.numpy(), b - 0.2 * p.grad.numpy(), rtol=1e-5, atol=1e-6)
    assert model(x).shape == (4, 1)


def test_forward_refuses_a_buffer_whose_data_is_not_an_array():
    bn = nn.BatchNorm1d(2)
    bn.running_mean.data = [0.0, 0.0]
    with pytest.raises(TypeError, match=r"BatchNorm1d: buffer 'running_mean' has a \.data of type list "
                                        r"\(\[0\.0, 0\.0\]\); expected a numpy array \(assign one"):
        bn(autograd.randn(4, 2))


def test_forward_accepts_an_ndarray_subclass():
    lin = nn.Linear(2, 1)
    lin.bias.data = lin.bias.data.view(type("Sub", (np.ndarray,), {}))  # as np.memmap is one
    assert lin(autograd.ones(1, 2)).shape == (1, 1)


def test_optimizer_step_refuses_a_parameter_whose_data_became_a_tensor():
    model, _ = _stale_model()
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"SGD.step: parameter 0 of group 0 has a \.data of type Tensor .*"
                                        r"`p.data -= lr \* p.grad`"):
        opt.step()
