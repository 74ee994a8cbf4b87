"""The remaining activation layers (SiLU, Mish, Hardtanh, Softsign, LogSigmoid, ReLU6, SELU, CELU,
Hardsigmoid, Hardswish, Hardshrink, Softshrink, Tanhshrink, Threshold, Softmin, GLU, RReLU) and their
``nn.functional`` forms, against PyTorch in float64: reprs, values, gradients (and finite differences of
first and second order), empty state dicts, the ``inplace`` argument and constructor errors.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor, gradcheck, gradgradcheck, no_grad

torch = pytest.importorskip("torch")
TF = torch.nn.functional

# (layer name, its arguments, the nn.functional function, that function's arguments); PyTorch's layers and
# functions have the same names and take the same arguments
CASES = [
    ("SiLU", (), "silu", ()), ("Mish", (), "mish", ()), ("Hardtanh", (), "hardtanh", ()),
    ("Hardtanh", (-0.5, 2.0), "hardtanh", (-0.5, 2.0)), ("Softsign", (), "softsign", ()),
    ("LogSigmoid", (), "logsigmoid", ()), ("ReLU6", (), "relu6", ()), ("SELU", (), "selu", ()),
    ("CELU", (), "celu", ()), ("CELU", (0.5,), "celu", (0.5,)), ("Hardsigmoid", (), "hardsigmoid", ()),
    ("Hardswish", (), "hardswish", ()), ("Hardshrink", (), "hardshrink", ()),
    ("Hardshrink", (1.5,), "hardshrink", (1.5,)), ("Softshrink", (), "softshrink", ()),
    ("Softshrink", (1.5,), "softshrink", (1.5,)), ("Tanhshrink", (), "tanhshrink", ()),
    ("Threshold", (0.5, -2.0), "threshold", (0.5, -2.0)), ("Softmin", (1,), "softmin", (1,)),
    ("Softmin", (0,), "softmin", (0,)), ("GLU", (), "glu", ()), ("GLU", (0,), "glu", (0,)),
]
IDS = [f"{name}{args}" for name, args, _, _ in CASES]
# every kink of the cases: finite differences and ties at them mean nothing
KINKS = np.array([-3.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 6.0])
# PyTorch's hardsigmoid rounds its slope 1/6 to float32, even in float64
GRAD_RTOL = {"Hardsigmoid": 1e-7}
INPLACE = {"relu": (), "leaky_relu": (0.2,), "elu": (0.5,), "hardtanh": (-0.5, 2.0), "relu6": (),
           "selu": (), "celu": (0.5,), "silu": (), "mish": (), "hardsigmoid": (), "hardswish": (),
           "threshold": (0.5, -2.0), "rrelu": (0.1, 0.3)}


def _input(shape=(4, 6), seed=0) -> np.ndarray:
    x = np.random.default_rng(seed).uniform(-7.0, 7.0, shape)
    near = np.abs(x[..., None] - KINKS).min(axis=-1) < 0.05
    return np.where(near, x + 0.1, x)


def _modules(name, args):
    return getattr(nn, name)(*args), getattr(torch.nn, name)(*args)


@pytest.mark.parametrize("name, args, function, fargs", CASES, ids=IDS)
def test_values_and_gradients_match_torch(name, args, function, fargs):
    ours, theirs = _modules(name, args)
    assert repr(ours) == repr(theirs)
    x = _input()
    xo, xt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    np.testing.assert_allclose(yo.numpy(), yt.detach().numpy(), rtol=1e-12, atol=1e-15)
    g = np.random.default_rng(1).standard_normal(yo.shape)
    yo.backward(g)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=GRAD_RTOL.get(name, 1e-12), atol=1e-15)
    # the functional form is the layer's computation, and PyTorch's function's
    np.testing.assert_array_equal(getattr(F, function)(Tensor(x), *fargs).numpy(), yo.numpy())
    np.testing.assert_allclose(getattr(F, function)(Tensor(x), *fargs).numpy(),
                               getattr(TF, function)(torch.tensor(x), *fargs).numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name, args, function, fargs", CASES, ids=IDS)
def test_gradcheck_and_gradgradcheck(name, args, function, fargs):
    layer = getattr(nn, name)(*args)
    assert gradcheck(layer, [_input((2, 4), seed=2)])
    assert gradgradcheck(layer, [_input((2, 2), seed=3)])


@pytest.mark.parametrize("name, args, function, fargs", CASES, ids=IDS)
def test_layers_are_stateless_and_keep_float32(name, args, function, fargs):
    layer = getattr(nn, name)(*args)
    assert layer.state_dict() == {} and list(layer.parameters()) == [] and list(layer.buffers()) == []
    assert layer(autograd.randn(2, 4)).dtype == np.float32


@pytest.mark.parametrize("name, args", [
    ("SiLU", (True,)), ("Mish", (True,)), ("ReLU6", (True,)), ("SELU", (True,)), ("Hardsigmoid", (True,)),
    ("Hardswish", (True,)), ("Hardtanh", (-2, 3, True)), ("Hardtanh", (-2.0, 3.0)), ("CELU", (2, True)),
    ("CELU", (2,)), ("Threshold", (0.1, 20)), ("Threshold", (1, 2, True)), ("RReLU", ()),
    ("RReLU", (0.1, 0.3, True)), ("Hardshrink", (1,)), ("Softshrink", (2,)), ("Softmin", ()),
    ("Softmin", (1,)), ("GLU", (0,)), ("Softsign", ()), ("LogSigmoid", ()), ("Tanhshrink", ()),
], ids=lambda v: str(v))
def test_reprs_match_torch(name, args):
    ours, theirs = _modules(name, args)
    assert repr(ours) == repr(theirs)
    assert repr(nn.Sequential(nn.Linear(2, 2), ours)).splitlines()[-2:] == \
        repr(torch.nn.Sequential(torch.nn.Linear(2, 2), theirs)).splitlines()[-2:]


def test_softmin_without_a_dim_chooses_as_softmax_does():
    x = Tensor(_input((3, 4, 2)))
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
        implicit = nn.Softmin()(x).numpy()
    np.testing.assert_array_equal(implicit, nn.Softmin(dim=0)(x).numpy())  # dim 0 of a 3-D input
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        np.testing.assert_array_equal(implicit, nn.Softmax()(-x).numpy())


def test_a_network_of_the_new_layers_matches_torch():
    rng = np.random.default_rng(5)
    # CELU's alpha is a power of 2: for others PyTorch's CELU gradient is off by up to 1e-7 (relative)
    names = [("SELU", ()), ("Hardswish", ()), ("CELU", (0.5,)), ("Softshrink", (0.1,)), ("Mish", ())]
    ours_layers, torch_layers = [], []
    for name, args in names:
        ours_layers += [nn.Linear(6, 6, dtype=np.float64), getattr(nn, name)(*args)]
        torch_layers += [torch.nn.Linear(6, 6, dtype=torch.float64), getattr(torch.nn, name)(*args)]
    ours = nn.Sequential(*ours_layers, nn.Linear(6, 8, dtype=np.float64), nn.GLU(), nn.Softmin(dim=1))
    theirs = torch.nn.Sequential(*torch_layers, torch.nn.Linear(6, 8, dtype=torch.float64), torch.nn.GLU(),
                                 torch.nn.Softmin(dim=1))
    with torch.no_grad():
        for p, q in zip(ours.parameters(), theirs.parameters()):
            p.data[...] = rng.standard_normal(p.shape)
            q.copy_(torch.tensor(p.data))
    x = rng.standard_normal((5, 6))
    weights = rng.standard_normal((5, 4))
    (ours(Tensor(x)) * Tensor(weights)).sum().backward()
    (theirs(torch.tensor(x)) * torch.tensor(weights)).sum().backward()
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------------------------------------ inplace
@pytest.mark.parametrize("function", sorted(INPLACE))
def test_inplace_true_changes_the_input_where_nothing_is_recorded(function):
    args = INPLACE[function]
    x = _input()
    ours, theirs = Tensor(x.copy()), torch.tensor(x.copy())
    data = ours.data
    out = getattr(F, function)(ours, *args, inplace=True)
    getattr(TF, function)(theirs, *args, inplace=True)  # rrelu in eval mode: leaky_relu, no randomness
    assert out is ours and ours.data is data
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-15)
    # a leaf that requires grad, under no_grad (as an initialiser would)
    leaf = Tensor(x.copy(), requires_grad=True)
    with no_grad():
        assert getattr(F, function)(leaf, *args, inplace=True) is leaf
    np.testing.assert_array_equal(leaf.numpy(), ours.numpy())


@pytest.mark.parametrize("function", sorted(INPLACE))
def test_inplace_true_refuses_a_tensor_that_gradients_are_recorded_through(function):
    args = INPLACE[function]
    x = _input()
    leaf = Tensor(x.copy(), requires_grad=True)
    hidden = leaf * 2.0
    message = (rf"^{function}\(inplace=True\): cannot change a tensor in place while gradients are recorded "
               rf".* or write `F\.{function}\(x\)` for a new tensor$")
    for tensor in (leaf, hidden):
        with pytest.raises(RuntimeError, match=message):
            getattr(F, function)(tensor, *args, inplace=True)
    np.testing.assert_array_equal(leaf.numpy(), x)
    np.testing.assert_array_equal(hidden.numpy(), 2.0 * x)


@pytest.mark.parametrize("function", sorted(INPLACE))
def test_inplace_false_leaves_the_input_alone(function):
    x = _input()
    ours = Tensor(x.copy())
    out = getattr(F, function)(ours, *INPLACE[function])
    assert out is not ours
    np.testing.assert_array_equal(ours.numpy(), x)


def test_inplace_errors():
    with pytest.raises(TypeError, match=r"^selu\(inplace=True\): the result, of dtype float64, cannot be "
                                        r"stored in a tensor of dtype int64"):
        F.selu(Tensor(np.array([1, -2])), inplace=True)
    with pytest.raises(TypeError, match=r"^relu6: got inplace='yes'; expected True or False$"):
        F.relu6(Tensor(np.ones(2)), inplace="yes")
    with pytest.raises(TypeError, match=r"^SiLU: got inplace=1; expected True or False$"):
        nn.SiLU(1)


@pytest.mark.parametrize("name, args", [("SiLU", ()), ("ReLU6", ()), ("Hardtanh", (-0.5, 2.0)),
                                        ("CELU", (0.5,)), ("Threshold", (0.5, -2.0)), ("Hardswish", ())])
def test_layers_with_inplace_true_return_a_new_tensor(name, args):
    x = _input()
    xo = Tensor(x.copy(), requires_grad=True)
    out = getattr(nn, name)(*args, inplace=True)(xo)  # documented: the layer's output is a new tensor
    assert out is not xo
    np.testing.assert_array_equal(xo.numpy(), x)
    np.testing.assert_allclose(out.numpy(), getattr(torch.nn, name)(*args)(torch.tensor(x)).numpy(),
                               rtol=1e-12, atol=1e-15)
    out.sum().backward()
    assert xo.grad is not None


# ------------------------------------------------------------------------------------------ rrelu
def test_rrelu_in_eval_mode_matches_torch():
    x = _input()
    for lower, upper in ((1.0 / 8.0, 1.0 / 3.0), (0.1, 0.3)):
        xo, xt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
        ours, theirs = nn.RReLU(lower, upper).eval(), torch.nn.RReLU(lower, upper).eval()
        yo, yt = ours(xo), theirs(xt)
        np.testing.assert_allclose(yo.numpy(), yt.detach().numpy(), rtol=1e-12)
        yo.sum().backward()
        yt.sum().backward()
        np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-12)
        np.testing.assert_array_equal(F.rrelu(Tensor(x), lower, upper).numpy(), yo.numpy())


def test_rrelu_in_training_draws_a_slope_per_negative_entry_which_is_its_derivative():
    x = _input((50, 40))
    x[0, :3] = 0.0  # 0 passes unchanged with derivative 1, as in PyTorch
    layer = nn.RReLU(0.1, 0.3)
    autograd.manual_seed(3)
    xo = Tensor(x.copy(), requires_grad=True)
    y = layer(xo)
    y.sum().backward()
    negative = x < 0
    slopes = y.numpy()[negative] / x[negative]
    assert 0.1 <= slopes.min() and slopes.max() <= 0.3 and slopes.std() > 0.05  # spread over the range
    np.testing.assert_allclose(xo.grad.numpy()[negative], slopes, rtol=1e-12)
    np.testing.assert_array_equal(xo.grad.numpy()[~negative], 1.0)
    np.testing.assert_array_equal(y.numpy()[~negative], x[~negative])
    autograd.manual_seed(3)  # the same seed, the same slopes; the functional form draws them the same way
    np.testing.assert_array_equal(F.rrelu(Tensor(x), 0.1, 0.3, training=True).numpy(), y.numpy())
    assert not np.array_equal(layer(Tensor(x)).numpy(), y.numpy())  # new slopes for each call
    # torch's slopes come from its own generator: compare the distribution's range only
    t = torch.nn.RReLU(0.1, 0.3)(torch.tensor(x))
    t_slopes = t.numpy()[negative] / x[negative]
    assert 0.1 <= t_slopes.min() and t_slopes.max() <= 0.3


# ------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("make, error, message", [
    (lambda: nn.CELU(0.0), ValueError, r"^celu: got alpha=0; expected a non-zero alpha"),
    (lambda: nn.Softshrink(-1.0), ValueError, r"^softshrink: got lambd=-1\.0; expected a finite lambd >= 0"),
    (lambda: nn.Hardshrink("a"), TypeError, r"^hardshrink: got lambd of type str \('a'\); expected a real"),
    (lambda: nn.Hardtanh(1.0, 1.0), ValueError, r"^Hardtanh: got min_val=1\.0, max_val=1\.0; expected"),
    (lambda: nn.Hardtanh(2.0, 1.0), ValueError, r"^hardtanh: got min_val=2\.0 > max_val=1\.0"),
    (lambda: nn.Hardtanh(None), TypeError, r"^hardtanh: got min_val of type NoneType \(None\)"),
    (lambda: nn.Threshold(0.5), TypeError, r"missing 1 required positional argument: 'value'"),
    (lambda: nn.Threshold(0.5, "a"), TypeError, r"^threshold: got value of type str \('a'\)"),
    (lambda: nn.RReLU(0.5, 0.1), ValueError, r"^rrelu: got lower=0\.5 > upper=0\.1; expected lower <= upper"),
    (lambda: nn.RReLU(None), TypeError, r"^rrelu: got lower of type NoneType \(None\)"),
    (lambda: nn.Softmin(dim=1.0), TypeError, r"^Softmin: got dim=1\.0; expected an int or None$"),
    (lambda: nn.GLU(dim=None), TypeError, r"^GLU: got dim=None; expected an int$"),
    (lambda: nn.GLU()(Tensor(np.ones((2, 3)))), ValueError, r"^glu: got size 3 along axis 1"),
    (lambda: F.softmin(Tensor(np.ones((2, 3))), dim=2), ValueError, r"^softmin: got dim=2; expected an int"),
    (lambda: F.relu6("a"), TypeError, r"^relu6: got str; expected a Tensor"),
])
def test_bad_arguments_raise_clear_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()
