"""``nn.GroupNorm`` and ``nn.functional.group_norm``: values, first and second derivatives against PyTorch in
float64 and against a numpy reference, state dicts, reprs and argument errors."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import compare_with_torch

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from nn import GroupNorm

RNG = np.random.default_rng(20240814)
CASES = [((2, 6), 3), ((2, 6, 5), 2), ((3, 4, 3, 2), 4), ((2, 4, 3, 3), 1), ((1, 6, 2, 2, 2), 3)]


def reference(x: np.ndarray, groups: int, weight=None, bias=None, eps=1e-5) -> np.ndarray:
    """Loops over examples and groups: each block of C / groups channels normalised as a whole."""
    out = np.empty_like(x)
    size = x.shape[1] // groups
    for n in range(x.shape[0]):
        for g in range(groups):
            block = x[n, g * size:(g + 1) * size]
            out[n, g * size:(g + 1) * size] = (block - block.mean()) / np.sqrt(block.var() + eps)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


@pytest.mark.parametrize("shape, groups", CASES)
def test_values_match_a_loop_reference(shape, groups):
    x, w, b = RNG.standard_normal(shape), RNG.standard_normal(shape[1]), RNG.standard_normal(shape[1])
    np.testing.assert_allclose(F.group_norm(Tensor(x), groups).numpy(), reference(x, groups), rtol=1e-12)
    np.testing.assert_allclose(F.group_norm(Tensor(x), groups, Tensor(w), Tensor(b), eps=0.1).numpy(),
                               reference(x, groups, w, b, eps=0.1), rtol=1e-12)


@pytest.mark.parametrize("shape, groups", CASES)
def test_values_and_derivatives_match_torch(torch, shape, groups):
    x, w, b = RNG.standard_normal(shape), RNG.standard_normal(shape[1]), RNG.standard_normal(shape[1])
    compare_with_torch(torch, lambda t, u, v: F.group_norm(t, groups, u, v),
                       lambda t, u, v: torch.nn.functional.group_norm(t, groups, u, v), x, w, b)
    compare_with_torch(torch, lambda t: F.group_norm(t, groups, eps=0.5),
                       lambda t: torch.nn.functional.group_norm(t, groups, eps=0.5), x)


def test_empty_inputs_give_empty_outputs_as_torch(torch):
    for shape in [(0, 4, 3), (2, 4, 0)]:
        x = np.ones(shape)
        assert F.group_norm(Tensor(x), 2).shape == tuple(torch.nn.functional.group_norm(
            torch.tensor(x), 2).shape) == shape


def test_the_layer_matches_torch_and_their_state_dicts_load_into_each_other(torch):
    ours = GroupNorm(2, 6, eps=1e-3, dtype=autograd.float64)
    theirs = torch.nn.GroupNorm(2, 6, eps=1e-3, dtype=torch.float64)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(RNG.standard_normal(6)))
        theirs.bias.copy_(torch.tensor(RNG.standard_normal(6)))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight", "bias"]
    ours.load_state_dict(theirs.state_dict())
    x = RNG.standard_normal((3, 6, 4, 4))
    out, expected = ours(Tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-12, atol=1e-13)
    g = RNG.standard_normal(out.shape)
    (out * Tensor(g)).sum().backward()
    (expected * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.bias.grad.numpy(), theirs.bias.grad.numpy(), rtol=1e-12)
    back = torch.nn.GroupNorm(2, 6, dtype=torch.float64)
    back.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    np.testing.assert_array_equal(back.weight.detach().numpy(), ours.weight.data)


@pytest.mark.parametrize("args, kwargs", [((2, 4), {}), ((1, 4), dict(eps=0.1)),
                                          ((4, 4), dict(affine=False)), ((2, 4), dict(bias=False)),
                                          ((3, 6), dict(affine=False, bias=True))])
def test_reprs_and_parameters_match_torch(torch, args, kwargs):
    ours, theirs = GroupNorm(*args, **kwargs), torch.nn.GroupNorm(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert (ours.weight is None) == (theirs.weight is None) and (ours.bias is None) == (theirs.bias is None)


def test_defaults_train_and_eval_alike_and_reset():
    gn = GroupNorm(2, 4)
    assert gn.weight.dtype == np.float32 and gn.weight.tolist() == [1.0] * 4 and gn.bias.tolist() == [0.0] * 4
    x = autograd.randn(3, 4, 5)
    np.testing.assert_array_equal(gn(x).numpy(), gn.eval()(x).numpy())
    gn.weight.data[...] = 3.0
    gn.reset_parameters()
    assert gn.weight.tolist() == [1.0] * 4
    out = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), GroupNorm(2, 4))(autograd.randn(2, 3, 5, 5))
    assert out.shape == (2, 4, 5, 5) and out.dtype == np.float32


@pytest.mark.parametrize("make, message", [
    (lambda: GroupNorm(3, 4), r"GroupNorm: got num_groups=3 for 4 channels; expected a number of groups that "
                              r"divides the number of channels"),
    (lambda: GroupNorm(0, 4), r"GroupNorm: got num_groups=0; expected a positive int"),
    (lambda: GroupNorm(2.0, 4), r"GroupNorm: got num_groups=2.0; expected a positive int"),
    (lambda: GroupNorm(2, -2), r"GroupNorm: got num_channels=-2; expected a non-negative int"),
    (lambda: GroupNorm(2, 4, eps=-1.0), r"GroupNorm: got eps=-1.0; expected eps >= 0"),
    (lambda: GroupNorm(2, 4)(autograd.ones(2, 6)), r"GroupNorm\(2, 4, .*\): got input of shape \(2, 6\); "
                                                   r"expected \(N, 4, \*\), 4 channels in dimension 1"),
    (lambda: GroupNorm(2, 4)(autograd.ones(4)), r"GroupNorm\(2, 4, .*\): got input of shape \(4,\)"),
    (lambda: F.group_norm(autograd.ones(2, 6, 3), 4), r"group_norm: got num_groups=4 for 6 channels"),
    (lambda: F.group_norm(autograd.ones(4), 2),
     r"group_norm: got an input of shape \(4,\); expected \(N, C, \*\)"),
    (lambda: F.group_norm(autograd.ones(2, 4, 3), 2, autograd.ones(3)),
     r"group_norm: got weight of shape \(3,\); expected \(4,\), one per channel of the input of shape "
     r"\(2, 4, 3\)"),
    (lambda: F.group_norm(autograd.ones(2, 4, 3), 2, None, autograd.ones(2, 2)), r"group_norm: got bias of "
                                                                                  r"shape \(2, 2\)"),
])
def test_bad_arguments_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()
