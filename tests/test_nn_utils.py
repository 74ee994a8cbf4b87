"""``nn.utils``: gradient clipping and the parameters-to-vector conversion, against PyTorch's
``torch.nn.utils`` where torch is installed and against values worked out by hand otherwise."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from nn.module import Parameter
from nn.utils import (
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
    parameters_to_vector,
    vector_to_parameters,
)

SHAPES = [(2, 3), (4,), (1, 1, 2)]


def _arrays(dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(scale=2.0, size=s).astype(dtype) for s in SHAPES]


def _ours(grads, none_at=None):
    """Parameters with the given gradients; the parameter at ``none_at`` has none."""
    params = []
    for i, g in enumerate(grads):
        p = Parameter(np.zeros_like(g))
        if i != none_at:
            p.grad = Tensor(g.copy())
        params.append(p)
    return params


def _theirs(torch, grads, none_at=None):
    params = []
    for i, g in enumerate(grads):
        p = torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.from_numpy(g).dtype))
        if i != none_at:
            p.grad = torch.from_numpy(g.copy())
        params.append(p)
    return params


def _assert_grads_match(ours, theirs, rtol=1e-6):
    for a, b in zip(ours, theirs):
        if b.grad is None:
            assert a.grad is None
            continue
        assert a.grad.dtype == np.dtype(str(b.grad.dtype).replace("torch.", ""))
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=rtol, atol=1e-7)


# ------------------------------------------------------------------------------------------ clip_grad_norm_
@pytest.mark.parametrize("norm_type", [2.0, 1, 3, 0.5, math.inf, "inf", -math.inf, -1.0, 0])
@pytest.mark.parametrize("max_norm", [1.0, 5.0, 1e6, 0.0, -1.0])
def test_clip_grad_norm_matches_torch(torch, norm_type, max_norm):
    grads = _arrays()
    ours, theirs = _ours(grads, none_at=1), _theirs(torch, grads, none_at=1)
    total = clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, Tensor) and total.shape == () and total.dtype == np.float32
    assert not total.requires_grad
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-6)
    _assert_grads_match(ours, theirs)


def test_clip_grad_norm_by_hand():
    # gradients (3, 4) and (12,): the joint 2-norm is 13, so each is scaled by 1 / (13 + 1e-6)
    a, b = Parameter(np.zeros(2, np.float32)), Parameter(np.zeros(1, np.float32))
    a.grad, b.grad = Tensor(np.array([3.0, 4.0], np.float32)), Tensor(np.array([12.0], np.float32))
    total = clip_grad_norm_([a, b], 1.0)
    assert total.item() == 13.0
    scale = np.float32(1.0) / (np.float32(13.0) + np.float32(1e-6))
    np.testing.assert_allclose(a.grad.numpy(), [3 * scale, 4 * scale], rtol=1e-6)
    np.testing.assert_allclose(b.grad.numpy(), [12 * scale], rtol=1e-6)
    # below max_norm nothing changes; the inf norm is the largest absolute entry
    a.grad = Tensor(np.array([3.0, -4.0], np.float32))
    assert clip_grad_norm_(a, 10.0).item() == 5.0 and a.grad.tolist() == [3.0, -4.0]
    assert clip_grad_norm_(a, 1.0, norm_type="inf").item() == 4.0
    np.testing.assert_allclose(a.grad.numpy(), [0.75, -1.0], rtol=1e-6)


def test_clip_grad_norm_takes_a_tensor_a_generator_and_keeps_the_gradient_objects(torch):
    grads = _arrays(seed=1)
    ours, theirs = _ours(grads), _theirs(torch, grads)
    kept = [p.grad for p in ours]
    total = clip_grad_norm_((p for p in ours), 0.5)
    expected = torch.nn.utils.clip_grad_norm_((p for p in theirs), 0.5)
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-6)
    assert all(p.grad is g for p, g in zip(ours, kept))  # scaled in place, as PyTorch's mul_
    _assert_grads_match(ours, theirs)
    one, one_t = _ours(grads[:1]), _theirs(torch, grads[:1])
    np.testing.assert_allclose(clip_grad_norm_(one[0], 0.5).item(),
                               torch.nn.utils.clip_grad_norm_(one_t[0], 0.5).item(), rtol=1e-6)
    _assert_grads_match(one, one_t)


def test_clip_grad_norm_with_mixed_dtypes_matches_torch(torch):
    grads = [_arrays(np.float32)[0], _arrays(np.float64)[1]]
    ours, theirs = _ours(grads), _theirs(torch, grads)
    total = clip_grad_norm_(ours, 1.0)
    expected = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    assert total.dtype == np.float64 and expected.dtype == torch.float64
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-12)
    _assert_grads_match(ours, theirs)  # each gradient keeps its own dtype


def test_clip_grad_norm_without_gradients_is_a_float32_zero(torch):
    p = Parameter(np.ones(3))
    for params in ([p], []):
        total = clip_grad_norm_(params, 1.0)
        expected = torch.nn.utils.clip_grad_norm_([torch.nn.Parameter(torch.ones(3))] if params else [], 1.0)
        assert total.dtype == np.float32 and total.item() == expected.item() == 0.0
    assert p.grad is None


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_clip_grad_norm_of_nonfinite_gradients(torch, bad):
    grads = [np.array([bad, 1.0], np.float32), np.array([2.0], np.float32)]
    ours, theirs = _ours(grads), _theirs(torch, grads)
    total = clip_grad_norm_(ours, 1.0)
    expected = torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    np.testing.assert_array_equal(total.numpy(), expected.numpy())
    for a, b in zip(ours, theirs):  # NaN everywhere, or 0 (and inf * 0 = NaN) for an infinite norm
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())

    ours, theirs = _ours(grads), _theirs(torch, grads)
    with pytest.raises(RuntimeError, match="non-finite"):
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match=r"clip_grad_norm_: the total norm of order 2.0 of the gradients "
                                           rf"is {bad}; expected a finite norm"):
        clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    for a, g in zip(ours, grads):  # nothing was clipped
        np.testing.assert_array_equal(a.grad.numpy(), g)


def test_clip_grad_norm_takes_a_tensor_max_norm(torch):
    grads = _arrays(seed=2)
    ours, theirs = _ours(grads), _theirs(torch, grads)
    clip_grad_norm_(ours, autograd.tensor(2.0))
    torch.nn.utils.clip_grad_norm_(theirs, torch.tensor(2.0))
    _assert_grads_match(ours, theirs)


def test_clip_grad_norm_copies_a_read_only_gradient_before_scaling_it():
    frozen = np.array([3.0, 4.0], np.float32)
    frozen.flags.writeable = False
    p = Parameter(np.zeros(2, np.float32))
    p.grad = Tensor(frozen)
    clip_grad_norm_(p, 1.0)
    np.testing.assert_allclose(p.grad.numpy(), [0.6, 0.8], rtol=1e-6)
    assert frozen.tolist() == [3.0, 4.0]


def test_clip_grad_norm_is_recorded_as_an_in_place_change():
    # a graph that reads a gradient (backward with create_graph=True) refuses to run after the clipping
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (w * w * w).sum().backward(create_graph=True)
    second = (w.grad * w.grad).sum()
    clip_grad_norm_(w, 1.0)
    with pytest.raises(RuntimeError, match="clip_grad_norm_"):
        second.backward()


def test_clip_grad_norm_errors():
    p = Parameter(np.zeros(2, np.float32))
    p.grad = Tensor(np.ones(2, np.float32))
    with pytest.raises(TypeError, match=r"clip_grad_norm_: item 1 of parameters is of type float \(1\.0\); "
                                        "expected a Tensor"):
        clip_grad_norm_([p, 1.0], 1.0)
    with pytest.raises(TypeError, match="clip_grad_norm_: got parameters of type float .*; expected a Tensor "
                                        "or an iterable of Tensors"):
        clip_grad_norm_(1.0, 1.0)
    with pytest.raises(ValueError, match="clip_grad_norm_: got norm_type='foo'; expected a number"):
        clip_grad_norm_(p, 1.0, norm_type="foo")
    with pytest.raises(TypeError, match="clip_grad_norm_: got max_norm=None; expected a number"):
        clip_grad_norm_(p, None)
    empty = Parameter(np.zeros(0, np.float32))
    empty.grad = Tensor(np.zeros(0, np.float32))
    with pytest.raises(ValueError, match="clip_grad_norm_: got an empty gradient and norm_type=inf"):
        clip_grad_norm_(empty, 1.0, norm_type="inf")
    assert clip_grad_norm_(empty, 1.0).item() == 0.0  # the 2-norm of nothing is 0, as in PyTorch


def test_get_total_norm_and_clip_grads_with_norm_match_torch(torch):
    grads = _arrays(seed=3)
    for norm_type in (2.0, 1.0, math.inf):
        np.testing.assert_allclose(
            get_total_norm([Tensor(g) for g in grads], norm_type).item(),
            torch.nn.utils.get_total_norm([torch.from_numpy(g) for g in grads], norm_type).item(), rtol=1e-6)
    assert get_total_norm(Tensor(np.array([3.0, 4.0]))).item() == 5.0
    ours, theirs = _ours(grads), _theirs(torch, grads)
    clip_grads_with_norm_(ours, 1.0, autograd.tensor(10.0))
    torch.nn.utils.clip_grads_with_norm_(theirs, 1.0, torch.tensor(10.0))
    _assert_grads_match(ours, theirs)


# ------------------------------------------------------------------------------------------ clip_grad_value_
@pytest.mark.parametrize("clip_value", [1.0, 0.25, 0, -1.0, math.inf, math.nan, 2])
def test_clip_grad_value_matches_torch(torch, clip_value):
    grads = _arrays(seed=4)
    grads[0][0, 0] = np.nan
    ours, theirs = _ours(grads, none_at=2), _theirs(torch, grads, none_at=2)
    kept = ours[0].grad
    assert clip_grad_value_(ours, clip_value) is None
    assert torch.nn.utils.clip_grad_value_(theirs, clip_value) is None
    assert ours[0].grad is kept
    for a, b in zip(ours, theirs):
        if b.grad is None:
            assert a.grad is None
        else:
            np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


def test_clip_grad_value_by_hand():
    p = Parameter(np.zeros(4, np.float32))
    p.grad = Tensor(np.array([-3.0, -0.5, 0.5, 3.0], np.float32))
    clip_grad_value_(p, 1.0)
    assert p.grad.tolist() == [-1.0, -0.5, 0.5, 1.0]
    with pytest.raises(TypeError, match="clip_grad_value_: got clip_value=None; expected a number"):
        clip_grad_value_(p, None)


def test_the_utils_are_reachable_as_in_pytorch():
    import nn.utils as utils

    assert nn.utils.clip_grad_norm_ is clip_grad_norm_ is utils.clip_grad.clip_grad_norm_
    assert nn.utils.parameters_to_vector is utils.convert_parameters.parameters_to_vector


# ------------------------------------------------------------------------------- parameters_to_vector, back
def test_parameters_to_vector_matches_torch_and_passes_gradients(torch):
    arrays = _arrays(np.float64, seed=5)
    ours = [Parameter(a) for a in arrays]
    theirs = [torch.nn.Parameter(torch.from_numpy(a.copy())) for a in arrays]
    v, vt = parameters_to_vector(ours), torch.nn.utils.parameters_to_vector(theirs)
    np.testing.assert_array_equal(v.numpy(), vt.detach().numpy())
    weights = np.arange(v.shape[0], dtype=np.float64)
    (v * Tensor(weights)).sum().backward()
    (vt * torch.from_numpy(weights)).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


def test_vector_to_parameters_matches_torch(torch):
    arrays = _arrays(np.float32, seed=6)
    ours = [Parameter(a) for a in arrays]
    theirs = [torch.nn.Parameter(torch.from_numpy(a.copy())) for a in arrays]
    kept = list(ours)
    vec = np.linspace(-1.0, 1.0, sum(a.size for a in arrays)).astype(np.float32)
    assert vector_to_parameters(Tensor(vec), ours) is None
    torch.nn.utils.vector_to_parameters(torch.from_numpy(vec), theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype == np.float32
        np.testing.assert_array_equal(a.numpy(), b.detach().numpy())
    assert all(a is b for a, b in zip(ours, kept))
    np.testing.assert_array_equal(parameters_to_vector(ours).numpy(), vec)  # the round trip


def test_vector_to_parameters_copies_into_each_parameters_dtype():
    p = Parameter(np.zeros((2, 2), np.float32))
    vec = Tensor(np.arange(4, dtype=np.float64))
    vector_to_parameters(vec, [p])
    assert p.dtype == np.float32 and p.tolist() == [[0.0, 1.0], [2.0, 3.0]]
    vec.data[0] = 9.0
    assert p.tolist()[0][0] == 0.0  # a copy, not a view of vec (PyTorch's would be a view)


def test_conversion_errors():
    p = Parameter(np.zeros(3))
    with pytest.raises(ValueError, match="parameters_to_vector: got no parameters"):
        parameters_to_vector([])
    with pytest.raises(TypeError, match="vector_to_parameters: got vec of type list"):
        vector_to_parameters([1.0, 2.0, 3.0], [p])
    with pytest.raises(ValueError, match=r"vector_to_parameters: got vec of shape \(1, 3\); expected a 1-D"):
        vector_to_parameters(Tensor(np.zeros((1, 3))), [p])
    with pytest.raises(ValueError, match="got vec of length 4; expected 3, the number of entries of the 1 "
                                         "parameters"):
        vector_to_parameters(Tensor(np.zeros(4)), [p])
    with pytest.raises(TypeError, match=r"parameters_to_vector: item 0 of parameters is of type "
                                        r"numpy\.ndarray .*; expected a Tensor"):
        parameters_to_vector([np.zeros(2)])
