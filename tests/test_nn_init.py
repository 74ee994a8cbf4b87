"""nn.init: gains, fans, distributions (bounds and standard deviations), seeding, agreement with torch."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn import init
from nn.module import Parameter

GAIN_CASES = [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
              ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)]


def param(*shape: int) -> Parameter:
    return Parameter(np.zeros(shape, dtype=np.float32))


@pytest.mark.parametrize("name, arg", GAIN_CASES)
def test_calculate_gain_values(name, arg):
    expected = {"linear": 1.0, "conv2d": 1.0, "sigmoid": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2),
                "selu": 0.75}.get(name)
    if name == "leaky_relu":
        slope = 0.01 if arg is None else arg
        expected = math.sqrt(2 / (1 + slope ** 2))
    assert init.calculate_gain(name, arg) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name, arg", GAIN_CASES)
def test_calculate_gain_vs_torch(name, arg):
    torch = pytest.importorskip("torch")
    assert init.calculate_gain(name, arg) == pytest.approx(torch.nn.init.calculate_gain(name, arg), rel=1e-12)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="negative_slope"):
        init.calculate_gain("leaky_relu", "a")


@pytest.mark.parametrize("shape", [(5, 3), (8, 4, 3, 3), (2, 7, 5)])
def test_fans_match_torch(shape):
    torch = pytest.importorskip("torch")
    ours = init._calculate_fan_in_and_fan_out(np.zeros(shape))
    theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape))
    assert ours == theirs


def test_fans_need_two_dimensions():
    with pytest.raises(ValueError, match=r"xavier_uniform_: .*at least 2 dimensions.*got shape \(4,\)"):
        init.xavier_uniform_(param(4))
    with pytest.raises(ValueError, match="mode='fan_avg'"):
        init.kaiming_uniform_(param(3, 3), mode="fan_avg")


def _check_uniform(values: np.ndarray, bound: float) -> None:
    assert np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.98 * bound
    assert values.mean() == pytest.approx(0.0, abs=0.02 * bound)
    assert values.std() == pytest.approx(bound / math.sqrt(3), rel=0.03)


def _check_normal(values: np.ndarray, std: float) -> None:
    assert values.mean() == pytest.approx(0.0, abs=0.02 * std)
    assert values.std() == pytest.approx(std, rel=0.03)


@pytest.mark.parametrize("shape", [(200, 100), (64, 16, 3, 3)])
def test_distributions_by_fan(shape):
    autograd.manual_seed(0)
    fan_in = shape[1] * int(np.prod(shape[2:]))
    fan_out = shape[0] * int(np.prod(shape[2:]))
    _check_uniform(init.xavier_uniform_(param(*shape)).numpy(), math.sqrt(6 / (fan_in + fan_out)))
    _check_uniform(init.xavier_uniform_(param(*shape), gain=2.0).numpy(),
                   2 * math.sqrt(6 / (fan_in + fan_out)))
    _check_normal(init.xavier_normal_(param(*shape)).numpy(), math.sqrt(2 / (fan_in + fan_out)))
    _check_uniform(init.kaiming_uniform_(param(*shape), nonlinearity="relu").numpy(), math.sqrt(6 / fan_in))
    _check_uniform(init.kaiming_uniform_(param(*shape), mode="fan_out", nonlinearity="relu").numpy(),
                   math.sqrt(6 / fan_out))
    # PyTorch's Linear default: a = sqrt(5) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    _check_uniform(init.kaiming_uniform_(param(*shape), a=math.sqrt(5)).numpy(), 1 / math.sqrt(fan_in))
    _check_normal(init.kaiming_normal_(param(*shape), nonlinearity="relu").numpy(), math.sqrt(2 / fan_in))
    _check_normal(init.kaiming_normal_(param(*shape), mode="fan_out").numpy(),
                  math.sqrt(2 / (1 + 0.01 ** 2)) / math.sqrt(fan_out))
    _check_uniform(init.uniform_fan_in_(param(*shape)).numpy(), 1 / fan_in)


def test_xavier_uniform_bound_is_sqrt6_over_sqrt_n_plus_m():
    # SPEC errata: source 001 L456 misprints the normalised initialisation; the bound is sqrt(6)/sqrt(N+M)
    autograd.manual_seed(1)
    w = init.xavier_uniform_(param(300, 200)).numpy()
    assert np.abs(w).max() <= math.sqrt(6) / math.sqrt(500)
    assert np.abs(w).max() > 0.99 * math.sqrt(6) / math.sqrt(500)


def test_bounds_equal_torch():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    autograd.manual_seed(0)
    shape = (300, 50)
    cases = [
        (lambda t: init.xavier_uniform_(t), lambda t: torch.nn.init.xavier_uniform_(t)),
        (lambda t: init.kaiming_uniform_(t, a=math.sqrt(5)),
         lambda t: torch.nn.init.kaiming_uniform_(t, a=math.sqrt(5))),
        (lambda t: init.kaiming_uniform_(t, nonlinearity="relu"),
         lambda t: torch.nn.init.kaiming_uniform_(t, nonlinearity="relu")),
        (lambda t: init.kaiming_uniform_(t, mode="fan_out", nonlinearity="tanh"),
         lambda t: torch.nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="tanh")),
    ]
    for ours_fn, torch_fn in cases:
        ours = np.abs(ours_fn(param(*shape)).numpy()).max()
        theirs = float(torch_fn(torch.empty(shape)).abs().max())
        assert ours == pytest.approx(theirs, rel=0.01)
    # the Linear layer's own default, weight and bias
    from nn.layers import Linear

    lin, tlin = Linear(50, 300), torch.nn.Linear(50, 300)
    tw, tb = tlin.weight.detach(), tlin.bias.detach()
    assert np.abs(lin.weight.numpy()).max() == pytest.approx(float(tw.abs().max()), rel=0.01)
    assert np.abs(lin.bias.numpy()).max() == pytest.approx(float(tb.abs().max()), rel=0.05)
    for ours_fn, torch_fn in [(init.xavier_normal_, torch.nn.init.xavier_normal_),
                              (init.kaiming_normal_, torch.nn.init.kaiming_normal_)]:
        ours_std = ours_fn(param(*shape)).numpy().std()
        assert ours_std == pytest.approx(float(torch_fn(torch.empty(shape)).std()), rel=0.05)


def test_simple_fills_and_in_place():
    p = param(3, 2)
    data = p.data
    assert init.constant_(p, 0.25) is p and p.data is data
    assert (p.numpy() == 0.25).all()
    assert (init.ones_(p).numpy() == 1).all() and (init.zeros_(p).numpy() == 0).all()
    autograd.manual_seed(0)
    u = init.uniform_(param(10_000), -2.0, 3.0).numpy()
    assert u.min() >= -2.0 and u.max() < 3.0 and u.mean() == pytest.approx(0.5, abs=0.05)
    n = init.normal_(param(10_000), mean=1.0, std=0.5).numpy()
    assert n.mean() == pytest.approx(1.0, abs=0.02) and n.std() == pytest.approx(0.5, rel=0.03)
    assert init.uniform_(param(2), 1.0, 1.0).tolist() == [1.0, 1.0]
    b = init.uniform_fan_in_(param(4), fan_in=8).numpy()
    assert np.abs(b).max() <= 1 / 8
    # numpy arrays work too, and the dtype of the array is kept
    arr = np.zeros((4, 4))
    assert init.xavier_normal_(arr) is arr and arr.dtype == np.float64 and arr.std() > 0


def test_seeded_by_manual_seed_each_call():
    autograd.manual_seed(7)
    a = init.normal_(param(5)).numpy().copy()
    b = init.normal_(param(5)).numpy().copy()
    autograd.manual_seed(7)  # replaces the generator object: init must look it up on every call
    np.testing.assert_array_equal(init.normal_(param(5)).numpy(), a)
    np.testing.assert_array_equal(init.normal_(param(5)).numpy(), b)
    assert not np.array_equal(a, b)


def test_init_errors():
    with pytest.raises(TypeError, match="floating point"):
        init.zeros_(Tensor(np.zeros(3, dtype=np.int64)))
    with pytest.raises(TypeError, match="expected a Parameter, Tensor or numpy array"):
        init.zeros_([1.0, 2.0])
    with pytest.raises(ValueError, match="a=2 > b=1"):
        init.uniform_(param(2), 2, 1)
    with pytest.raises(ValueError, match="std=-1"):
        init.normal_(param(2), std=-1)
    with pytest.raises(ValueError, match="fan is 0"):
        init.kaiming_uniform_(param(3, 0))
