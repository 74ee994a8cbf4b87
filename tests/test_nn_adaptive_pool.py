"""Adaptive pooling, ``nn.AdaptiveAvgPool2d`` / ``nn.AdaptiveMaxPool2d`` and their functions: the bins
against a loop reference written from PyTorch's rule (start = floor(i * in / out), end = ceil((i + 1) *
in / out)), values, first and second derivatives and indices against PyTorch in float64 (ties, NaN and
-inf included), reprs, state dicts and argument errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from torch_reference import compare_with_torch

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from nn import AdaptiveAvgPool2d, AdaptiveMaxPool2d

RNG = np.random.default_rng(20240812)
SHAPES = [(2, 3, 5, 7), (3, 6, 4), (1, 2, 3, 3)]
SIZES = [1, 2, (3, 2), (None, 4), (5, None), (7, 9), (1, 1), [2, 3]]


def reference(x: np.ndarray, size: tuple[int, int], kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Loops over the output positions, each bin cut by PyTorch's rule; the max takes the first maximum
    of the bin in row-major order (Python's max keeps the first of equal keys)."""
    H, W = x.shape[-2:]
    Ho, Wo = size
    out = np.zeros(x.shape[:-2] + (Ho, Wo))
    index = np.zeros(x.shape[:-2] + (Ho, Wo), dtype=np.int64)
    for i in range(Ho):
        r0, r1 = math.floor(i * H / Ho), math.ceil((i + 1) * H / Ho)
        for j in range(Wo):
            c0, c1 = math.floor(j * W / Wo), math.ceil((j + 1) * W / Wo)
            block = x[..., r0:r1, c0:c1]
            if kind == "avg":
                out[..., i, j] = block.mean(axis=(-2, -1))
                continue
            for lead in np.ndindex(x.shape[:-2]):
                cells = [(block[lead][a, b], (r0 + a) * W + c0 + b)
                         for a in range(r1 - r0) for b in range(c1 - c0)]
                out[lead + (i, j)], index[lead + (i, j)] = max(cells, key=lambda cell: cell[0])
    return out, index


def _size(size, shape):
    pair = (size, size) if isinstance(size, int) else tuple(size)
    return tuple(n if s is None else s for s, n in zip(pair, shape[-2:]))


# ------------------------------------------------------------------------------------------ the bins
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", SIZES)
def test_values_and_indices_match_a_loop_reference(shape, size):
    x = RNG.standard_normal(shape)
    avg, _ = reference(x, _size(size, shape), "avg")
    np.testing.assert_allclose(F.adaptive_avg_pool2d(Tensor(x), size).numpy(), avg, rtol=1e-13, atol=1e-15)
    biggest, index = reference(x, _size(size, shape), "max")
    out, got = F.adaptive_max_pool2d(Tensor(x), size, return_indices=True)
    np.testing.assert_array_equal(out.numpy(), biggest)
    np.testing.assert_array_equal(got.numpy(), index)
    assert got.dtype == np.int64


def test_bins_overlap_where_the_output_does_not_divide_the_input():
    # H = 5 pooled to 3 rows: bins [0, 2), [1, 4), [3, 5); rows 1 and 3 lie in two bins each
    x = Tensor(np.arange(5.0).reshape(1, 5, 1), requires_grad=True)
    y = F.adaptive_avg_pool2d(x, (3, 1))
    assert y.tolist() == [[[0.5], [2.0], [3.5]]]
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy().ravel(), [1 / 2, 1 / 2 + 1 / 3, 1 / 3, 1 / 3 + 1 / 2, 1 / 2])
    x.grad = None
    m = F.adaptive_max_pool2d(x, (3, 1))
    assert m.tolist() == [[[1.0], [3.0], [4.0]]]
    m.sum().backward()
    assert x.grad.numpy().ravel().tolist() == [0.0, 1.0, 0.0, 1.0, 1.0]


# ------------------------------------------------------------------------------------------ against torch
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", SIZES)
def test_values_and_derivatives_match_torch(torch, shape, size):
    x = RNG.standard_normal(shape)
    TF = torch.nn.functional
    compare_with_torch(torch, lambda t: F.adaptive_avg_pool2d(t, size),
                       lambda t: TF.adaptive_avg_pool2d(t, size), x)
    compare_with_torch(torch, lambda t: F.adaptive_max_pool2d(t, size) ** 2,
                       lambda t: TF.adaptive_max_pool2d(t, size) ** 2, x)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", [2, (3, 2), (7, 9)])
def test_ties_nan_and_minus_inf_choose_the_entries_torch_chooses(torch, shape, size):
    x = RNG.integers(0, 3, shape).astype(np.float64)
    x[RNG.random(shape) < 0.15] = np.nan
    x[RNG.random(shape) < 0.15] = -np.inf
    ours = Tensor(x.copy(), requires_grad=True)
    theirs = torch.tensor(x.copy(), requires_grad=True)
    out, index = F.adaptive_max_pool2d(ours, size, return_indices=True)
    t_out, t_index = torch.nn.functional.adaptive_max_pool2d(theirs, size, return_indices=True)
    np.testing.assert_array_equal(out.numpy(), t_out.detach().numpy())
    np.testing.assert_array_equal(index.numpy(), t_index.numpy())
    g = RNG.standard_normal(out.shape)
    out.backward(Tensor(g))  # a loss sum(out * g) would add inf to -inf
    t_out.backward(torch.tensor(g))
    np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())


def test_sizes_of_zero_and_empty_batches_give_empty_outputs_as_torch(torch):
    x = RNG.standard_normal((2, 3, 5, 7))
    for fn in ("adaptive_avg_pool2d", "adaptive_max_pool2d"):
        assert getattr(F, fn)(Tensor(x), (0, 2)).shape == tuple(getattr(torch.nn.functional, fn)(
            torch.tensor(x), (0, 2)).shape) == (2, 3, 0, 2)
        assert getattr(F, fn)(Tensor(np.ones((0, 3, 4, 4))), 2).shape == (0, 3, 2, 2)


def test_dtypes():
    assert F.adaptive_avg_pool2d(autograd.ones(1, 2, 5, 5), 2).dtype == np.float32
    assert F.adaptive_max_pool2d(autograd.ones(1, 2, 5, 5, dtype=autograd.float64), 3).dtype == np.float64
    ints = Tensor(np.arange(16).reshape(1, 4, 4))
    assert F.adaptive_avg_pool2d(ints, 2).tolist() == [[[2.5, 4.5], [10.5, 12.5]]]
    assert F.adaptive_max_pool2d(ints, 2).dtype == np.float32


# ------------------------------------------------------------------------------------------ the layers
@pytest.mark.parametrize("make", [lambda m: m.AdaptiveAvgPool2d(1), lambda m: m.AdaptiveAvgPool2d((2, None)),
                                  lambda m: m.AdaptiveAvgPool2d([2, 3]), lambda m: m.AdaptiveMaxPool2d(3),
                                  lambda m: m.AdaptiveMaxPool2d((None, 4), return_indices=True)])
def test_layers_match_torch(torch, make):
    ours, theirs = make(nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == []
    x = RNG.standard_normal((2, 3, 6, 5))
    out, expected = ours(Tensor(x)), theirs(torch.tensor(x))
    if isinstance(expected, tuple):
        np.testing.assert_array_equal(out[1].numpy(), expected[1].numpy())
        out, expected = out[0], expected[0]
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-12, atol=1e-15)


def test_a_network_with_global_average_pooling_matches_torch(torch):
    ours = nn.Sequential(nn.Conv2d(2, 4, 3, dtype="float64"), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(4, 3, dtype="float64"))
    theirs = torch.nn.Sequential(torch.nn.Conv2d(2, 4, 3, dtype=torch.float64), torch.nn.AdaptiveAvgPool2d(1),
                                 torch.nn.Flatten(), torch.nn.Linear(4, 3, dtype=torch.float64))
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x = RNG.standard_normal((2, 2, 7, 6))
    out, expected = ours(Tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-12)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(ours[0].weight.grad.numpy(), theirs[0].weight.grad.numpy(), rtol=1e-12)


def test_unbatched_inputs():
    x = RNG.standard_normal((3, 5, 4))
    np.testing.assert_allclose(AdaptiveAvgPool2d((2, 2))(Tensor(x)).numpy(), reference(x, (2, 2), "avg")[0])
    out, index = AdaptiveMaxPool2d(2, return_indices=True)(Tensor(x))
    assert out.shape == index.shape == (3, 2, 2)
    np.testing.assert_array_equal(index.numpy(), reference(x, (2, 2), "max")[1])


# ------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("size, error, message", [
    (-1, ValueError, r"got output_size=-1; expected sizes >= 0"),
    ((2, -3), ValueError, r"got output_size=\(2, -3\); expected sizes >= 0"),
    (2.5, TypeError, r"got output_size=2.5; expected an int or a pair of ints \(or None"),
    ((1, 2, 3), TypeError, r"got output_size=\(1, 2, 3\); expected an int or a pair"),
    (None, TypeError, r"got output_size=None; expected an int or a pair"),
    (True, TypeError, r"got output_size=True"),
])
def test_bad_output_sizes_are_refused_by_layers_and_functions(size, error, message):
    for layer in (AdaptiveAvgPool2d, AdaptiveMaxPool2d):
        with pytest.raises(error, match=rf"{layer.__name__}: {message}"):
            layer(size)
    for fn in ("adaptive_avg_pool2d", "adaptive_max_pool2d"):
        with pytest.raises(error, match=rf"{fn}: {message}"):
            getattr(F, fn)(autograd.ones(1, 1, 3, 3), size)


@pytest.mark.parametrize("shape, message", [
    ((5, 7), r"got an input of shape \(5, 7\); expected \(N, C, H, W\) or \(C, H, W\)"),
    ((1, 2, 3, 4, 5), r"got an input of shape \(1, 2, 3, 4, 5\); expected \(N, C, H, W\)"),
    ((2, 3, 0, 7), r"got an input of shape \(2, 3, 0, 7\); expected a non-empty height and width"),
    ((3, 4, 0), r"got an input of shape \(3, 4, 0\); expected a non-empty height and width"),
])
def test_bad_inputs_are_refused(shape, message):
    with pytest.raises(ValueError, match=rf"adaptive_avg_pool2d: {message}"):
        F.adaptive_avg_pool2d(autograd.zeros(*shape), 2)
    layer = r"AdaptiveMaxPool2d\(output_size=2\): adaptive_max_pool2d"
    with pytest.raises(ValueError, match=rf"{layer}: {message}"):
        AdaptiveMaxPool2d(2)(autograd.zeros(*shape))
