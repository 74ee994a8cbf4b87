"""``Tensor.retains_grad`` against PyTorch's, and ``Tensor(2, 3)`` (PyTorch's uninitialised 2x3 tensor)
refused with a hint, where chaingrad's first argument is the data."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor


def _retains(lib):
    """retains_grad of a leaf and of a computed tensor, before and after retain_grad() and backward()."""
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    seen = [x.retains_grad, h.retains_grad]
    x.retain_grad()
    h.retain_grad()
    seen += [x.retains_grad, h.retains_grad]
    (h * h).sum().backward()
    seen += [x.retains_grad, h.retains_grad, h.grad.tolist()]
    constant = lib.tensor([1.0]) * 2
    seen.append(constant.retains_grad)
    return seen


def test_retains_grad_reads_as_in_torch(torch):
    ours, theirs = _retains(autograd), _retains(torch)
    assert ours == theirs
    # written out: only a computed tensor that called retain_grad() says True; d(h*h)/dh = 2h = [6, 12]
    assert ours == [False, False, False, True, False, True, [6.0, 12.0], False]


def test_retains_grad_is_read_only_as_in_torch(torch):
    h = Tensor([1.0], requires_grad=True) * 2
    with pytest.raises(AttributeError, match=r"^retains_grad: got an assigned value of type bool \(True\); "
                                             r"expected no assignment.* call retain_grad\(\)"):
        h.retains_grad = True
    assert h.retains_grad is False
    with pytest.raises(AttributeError):
        (torch.ones(1, requires_grad=True) * 2).retains_grad = True


def test_retains_grad_follows_retain_grads_of_the_graph_module():
    x = Tensor([1.0], requires_grad=True)
    h = x.exp()
    y = h * 2
    autograd.retain_grads(y)
    assert h.retains_grad and y.retains_grad and not x.retains_grad


@pytest.mark.parametrize("make, shape", [
    (lambda: Tensor(2, 3), "2, 3"),
    (lambda: Tensor(2, 3, 4), "2, 3, 4"),
    (lambda: Tensor(np.int64(2), 3), "2, 3"),
    (lambda: autograd.tensor(4, 1), "4, 1"),
])
def test_sizes_where_the_data_goes_raise_a_type_error_with_the_fix(make, shape, torch):
    with pytest.raises(TypeError) as info:
        make()
    message = str(info.value)
    assert message.startswith(("Tensor: got Tensor(", "tensor: got tensor("))
    assert "the data, not a shape" in message
    assert f"autograd.zeros({shape})" in message and f"autograd.empty({shape})" in message
    # what PyTorch makes of the same call, which the hint points at
    sizes = tuple(int(n) for n in shape.split(", "))
    assert tuple(torch.Tensor(*sizes).shape) == sizes


def test_only_sizes_get_the_hint_and_other_calls_keep_their_meaning(torch):
    with pytest.raises(TypeError, match="the data, not a shape"):
        Tensor(1, 1)
    assert Tensor(5).shape == () and Tensor(5).item() == 5  # a 0-d tensor holding 5 (torch: 5 elements)
    assert tuple(torch.Tensor(5).shape) == (5,)
    assert Tensor((2, 3)).tolist() == [2, 3]  # a tuple is data, as torch.Tensor((2, 3)) takes it
    assert torch.Tensor((2, 3)).tolist() == [2.0, 3.0]
    with pytest.raises(TypeError, match=r"Tensor: got requires_grad of type int \(1\); expected a bool"):
        Tensor([1.0], 1)
    with pytest.raises(TypeError, match=r"Tensor: got requires_grad of type NoneType \(None\); "
                                        "expected a bool"):
        Tensor(2, None)
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        Tensor(2, True)
    assert Tensor(2.0, True).requires_grad
