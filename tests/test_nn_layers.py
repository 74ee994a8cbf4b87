"""nn.layers and nn.functional: closed forms, gradients (float64 finite differences), torch agreement."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn.functional as F
from autograd import Tensor
from autograd.gradcheck import gradcheck, gradgradcheck
from nn.layers import (
    ELU,
    GELU,
    BatchNorm1d,
    BatchNorm2d,
    Dropout,
    Flatten,
    Identity,
    LayerNorm,
    LeakyReLU,
    Linear,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from nn.mlp import MLP
from nn.module import Module, Sequential

RNG = np.random.default_rng(1234)


def randn(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


def module_fn(module: Module):
    """``f(x, *params)`` evaluating ``module`` with its parameters replaced by the given tensors (for
    gradcheck, which differentiates with respect to its inputs)."""
    owners = []
    for name, _ in module.named_parameters():
        *path, leaf = name.split(".")
        owner = module
        for part in path:
            owner = getattr(owner, part)
        owners.append((owner, leaf))

    def f(x: Tensor, *params: Tensor) -> Tensor:
        saved = [owner._parameters[leaf] for owner, leaf in owners]
        try:
            for (owner, leaf), p in zip(owners, params):
                owner._parameters[leaf] = p
            return module(x)
        finally:
            for (owner, leaf), p in zip(owners, saved):
                owner._parameters[leaf] = p

    return f, [p.data for p in module.parameters()]


def check_module_grads(module: Module, x: np.ndarray, second_order: bool = False) -> None:
    module.double()
    f, params = module_fn(module)
    assert gradcheck(f, [x] + params, atol=1e-6, rtol=1e-5)
    if second_order:
        assert gradgradcheck(f, [x] + params, atol=1e-5, rtol=1e-4)


def t64(a: np.ndarray, requires_grad: bool = False) -> Tensor:
    return Tensor(np.array(a, dtype=np.float64), requires_grad=requires_grad)


# --------------------------------------------------------------------------- Linear
def test_linear_closed_form_and_shapes():
    lin = Linear(3, 2, dtype=np.float64)
    x = randn(4, 3)
    w, b = lin.weight.numpy(), lin.bias.numpy()
    np.testing.assert_allclose(lin(t64(x)).numpy(), x @ w.T + b, rtol=1e-12)
    assert lin.weight.shape == (2, 3) and lin.bias.shape == (2,)
    assert lin(t64(randn(5, 6, 3))).shape == (5, 6, 2)  # leading batch dimensions
    assert Linear(3, 2)(autograd.ones(1, 3)).dtype == np.float32
    no_bias = Linear(3, 2, bias=False)
    assert no_bias.bias is None and [n for n, _ in no_bias.named_parameters()] == ["weight"]
    assert repr(no_bias) == "Linear(in_features=3, out_features=2, bias=False)"


def test_linear_errors_name_layer_and_shapes():
    msg = r"Linear\(in_features=3, out_features=2\): got input of shape \(4, 5\)"
    with pytest.raises(ValueError, match=msg):
        Linear(3, 2)(autograd.ones(4, 5))
    with pytest.raises(ValueError, match="in_features"):
        Linear(-1, 2)
    with pytest.raises(ValueError, match="bias has shape"):
        F.linear(autograd.ones(1, 2), autograd.ones(3, 2), autograd.ones(2))


def test_linear_init_bounds():
    autograd.manual_seed(0)
    lin = Linear(64, 200)
    bound = 1 / math.sqrt(64)
    for p in (lin.weight.numpy(), lin.bias.numpy()):
        assert np.abs(p).max() <= bound and np.abs(p).max() > 0.9 * bound
    assert lin.weight.numpy().std() == pytest.approx(bound / math.sqrt(3), rel=0.05)
    autograd.manual_seed(0)
    again = Linear(64, 200)
    np.testing.assert_array_equal(again.weight.numpy(), lin.weight.numpy())


def test_linear_grads():
    check_module_grads(Linear(3, 2), randn(4, 3), second_order=True)
    check_module_grads(Linear(3, 2, bias=False), randn(2, 3))


def test_linear_vs_torch():
    torch = pytest.importorskip("torch")
    ours = Linear(3, 2, dtype=np.float64)
    theirs = torch.nn.Linear(3, 2).double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x = randn(5, 3)
    xt = torch.tensor(x, requires_grad=True)
    xo = t64(x, requires_grad=True)
    yt, yo = theirs(xt), ours(xo)
    np.testing.assert_allclose(yo.numpy(), yt.detach().numpy(), rtol=1e-12)
    (yt ** 2).sum().backward()
    (yo ** 2).sum().backward()
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.bias.grad.numpy(), theirs.bias.grad.numpy(), rtol=1e-10)


# --------------------------------------------------------------------------- activations
def _np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


_ERF = np.vectorize(math.erf)

ACTIVATION_CASES = [
    (ReLU(), lambda x: np.maximum(x, 0), "relu", {}),
    (LeakyReLU(), lambda x: np.where(x > 0, x, 0.01 * x), "leaky_relu", {}),
    (LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x), "leaky_relu", {"negative_slope": 0.2}),
    (Sigmoid(), _np_sigmoid, "sigmoid", {}),
    (Tanh(), np.tanh, "tanh", {}),
    (ELU(), lambda x: np.where(x > 0, x, np.expm1(x)), "elu", {}),
    (ELU(0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x)), "elu", {"alpha": 0.5}),
    (GELU(), lambda x: 0.5 * x * (1 + _ERF(x / math.sqrt(2))), "gelu", {}),
    (GELU("tanh"), lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3))),
     "gelu", {"approximate": "tanh"}),
    (Softplus(), lambda x: np.log1p(np.exp(x)), "softplus", {}),
    (Softplus(beta=2.0, threshold=3.0), lambda x: np.where(2 * x > 3, x, np.log1p(np.exp(2 * x)) / 2),
     "softplus", {"beta": 2.0, "threshold": 3.0}),
    (Softmax(dim=1), lambda x: np.exp(x) / np.exp(x).sum(1, keepdims=True), "softmax", {"dim": 1}),
    (Softmax(dim=0), lambda x: np.exp(x) / np.exp(x).sum(0, keepdims=True), "softmax", {"dim": 0}),
    (LogSoftmax(dim=1), lambda x: x - np.log(np.exp(x).sum(1, keepdims=True)), "log_softmax", {"dim": 1}),
]
IDS = [repr(c[0]) for c in ACTIVATION_CASES]


def _act_input() -> np.ndarray:
    x = randn(4, 5) * 2
    x[0, 0] = 0.0  # the kink: ReLU'(0) = 0 by convention
    x[1, 1] = 2.0  # softplus(beta=2) crosses its threshold here
    return x


@pytest.mark.parametrize("module, ref, name, kwargs", ACTIVATION_CASES, ids=IDS)
def test_activation_closed_form(module, ref, name, kwargs):
    x = _act_input()
    np.testing.assert_allclose(module(t64(x)).numpy(), ref(x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(getattr(F, name)(t64(x), **kwargs).numpy(), ref(x), rtol=1e-10, atol=1e-12)
    assert module(autograd.randn(2, 3)).dtype == np.float32


@pytest.mark.parametrize("module, ref, name, kwargs", ACTIVATION_CASES, ids=IDS)
def test_activation_gradcheck(module, ref, name, kwargs):
    x = randn(3, 4) * 2
    x[np.abs(x) < 1e-3] = 0.5  # finite differences straddling a kink are meaningless
    assert gradcheck(module, [x], atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("module, ref, name, kwargs", ACTIVATION_CASES, ids=IDS)
def test_activation_vs_torch(module, ref, name, kwargs):
    torch = pytest.importorskip("torch")
    tmod = {
        "relu": lambda: torch.nn.ReLU(), "leaky_relu": lambda: torch.nn.LeakyReLU(**kwargs),
        "sigmoid": lambda: torch.nn.Sigmoid(), "tanh": lambda: torch.nn.Tanh(),
        "elu": lambda: torch.nn.ELU(**kwargs), "gelu": lambda: torch.nn.GELU(**kwargs),
        "softplus": lambda: torch.nn.Softplus(**kwargs), "softmax": lambda: torch.nn.Softmax(**kwargs),
        "log_softmax": lambda: torch.nn.LogSoftmax(**kwargs),
    }[name]()
    assert repr(module) == repr(tmod)
    x = _act_input()
    xt = torch.tensor(x, requires_grad=True)
    xo = t64(x, requires_grad=True)
    yt, yo = tmod(xt), module(xo)
    np.testing.assert_allclose(yo.numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    v = randn(*x.shape)
    (yt * torch.tensor(v)).sum().backward()
    (yo * t64(v)).sum().backward()
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_relu_derivative_at_zero_is_zero_and_leaky_slope():
    x = t64([0.0, -1.0, 1.0], requires_grad=True)
    ReLU()(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]
    y = t64([-1.0, 2.0], requires_grad=True)
    LeakyReLU()(y).sum().backward()
    assert y.grad.tolist() == [0.01, 1.0]


def test_softmax_stable_and_second_order():
    x = t64([[1000.0, 0.0, -1000.0]])
    s = F.softmax(x, dim=1).numpy()
    assert np.isfinite(s).all() and s[0, 0] == pytest.approx(1.0)
    assert np.isfinite(F.log_softmax(x, dim=1).numpy()).all()
    assert gradgradcheck(lambda t: F.softmax(t, dim=1), [randn(2, 3)], atol=1e-5, rtol=1e-4)
    assert gradgradcheck(lambda t: F.log_softmax(t, dim=0), [randn(3, 2)], atol=1e-5, rtol=1e-4)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):  # dim 1 of a 2-D input
        assert Softmax()(t64(randn(2, 3))).numpy().sum(axis=-1) == pytest.approx([1.0, 1.0])
    with pytest.raises(ValueError, match="softmax: got dim=2"):
        F.softmax(t64(randn(2, 3)), dim=2)


def test_activation_errors():
    with pytest.raises(ValueError, match="GELU: got approximate='fast'"):
        GELU("fast")
    with pytest.raises(ValueError, match="Softplus: got beta=0"):
        Softplus(beta=0)


# --------------------------------------------------------------------------- Flatten, Identity
def test_flatten_and_identity():
    x = autograd.randn(2, 3, 4, 5)
    assert Flatten()(x).shape == (2, 60)
    assert Flatten(0)(x).shape == (120,)
    assert Flatten(1, 2)(x).shape == (2, 12, 5)
    assert Flatten(-2, -1)(x).shape == (2, 3, 20)
    np.testing.assert_array_equal(Flatten()(x).numpy(), x.numpy().reshape(2, -1))
    with pytest.raises(ValueError, match=r"Flatten\(start_dim=3, end_dim=1\)"):
        Flatten(3, 1)(x)
    ident = Identity(54, unused="x")
    assert ident(x) is x and repr(ident) == "Identity()"
    assert gradcheck(Flatten(), [randn(2, 2, 3)])


# --------------------------------------------------------------------------- Dropout
def test_dropout_statistics_and_scaling():
    autograd.manual_seed(0)
    p = 0.3
    drop = Dropout(p)
    y = drop(autograd.ones(200_000)).numpy()
    zero_frac = float((y == 0).mean())
    assert zero_frac == pytest.approx(p, abs=0.005)
    np.testing.assert_allclose(np.unique(y), [0.0, 1 / (1 - p)], rtol=1e-6)
    assert float(y.mean()) == pytest.approx(1.0, abs=0.01)


def test_dropout_eval_identity_and_edge_probabilities():
    x = autograd.randn(4, 5)
    drop = Dropout(0.5).eval()
    assert drop(x) is x
    assert Dropout(0.0)(x) is x
    assert float(np.abs(Dropout(1.0)(x).numpy()).sum()) == 0.0
    assert F.dropout(x, 0.5, training=False) is x
    for bad in (-0.1, 1.5, "a"):
        with pytest.raises(ValueError, match="Dropout: got p="):
            Dropout(bad)


def test_dropout_seeded_and_gradient_is_the_mask():
    autograd.manual_seed(3)
    a = Dropout(0.5)(autograd.ones(50)).numpy()
    autograd.manual_seed(3)
    x = Tensor(np.ones(50, dtype=np.float32), requires_grad=True)
    y = Dropout(0.5)(x)
    np.testing.assert_array_equal(y.numpy(), a)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), a)  # d/dx (mask * x / (1-p)) = mask / (1-p)


# --------------------------------------------------------------------------- BatchNorm
def test_batchnorm1d_closed_form_train_and_eval():
    x = randn(8, 3) * 2 + 1
    bn = BatchNorm1d(3, dtype=np.float64)
    bn.weight.data[...] = [1.0, 2.0, 0.5]
    bn.bias.data[...] = [0.0, -1.0, 3.0]
    y = bn(t64(x)).numpy()
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-5) * bn.weight.numpy() + bn.bias.numpy(),
                               rtol=1e-10)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.1 * mean, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.9 + 0.1 * x.var(0, ddof=1), rtol=1e-12)
    assert int(bn.num_batches_tracked.numpy()) == 1
    bn.eval()
    y_eval = bn(t64(x)).numpy()
    expected = (x - bn.running_mean.numpy()) / np.sqrt(bn.running_var.numpy() + 1e-5)
    np.testing.assert_allclose(y_eval, expected * bn.weight.numpy() + bn.bias.numpy(), rtol=1e-10)
    assert int(bn.num_batches_tracked.numpy()) == 1  # eval does not count


def test_batchnorm_errors_name_layer():
    with pytest.raises(ValueError, match=r"BatchNorm1d\(3\): expected 3 channels in dimension 1, got input"):
        BatchNorm1d(3)(autograd.ones(4, 5))
    msg = r"BatchNorm1d\(3\): expected 2-D \(N, C\) or 3-D \(N, C, L\) input, got 4-D"
    with pytest.raises(ValueError, match=msg):
        BatchNorm1d(3)(autograd.ones(2, 3, 4, 5))
    with pytest.raises(ValueError, match=r"BatchNorm2d\(3\): expected 4-D \(N, C, H, W\) input, got 2-D"):
        BatchNorm2d(3)(autograd.ones(2, 3))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        BatchNorm1d(3)(autograd.ones(1, 3))
    BatchNorm1d(3).eval()(autograd.ones(1, 3))  # fine in eval mode
    with pytest.raises(ValueError, match="num_features"):
        BatchNorm1d(0)


def test_batchnorm_grads_and_second_order():
    check_module_grads(BatchNorm1d(3), randn(5, 3), second_order=True)
    check_module_grads(BatchNorm1d(2), randn(3, 2, 4))
    check_module_grads(BatchNorm2d(2), randn(2, 2, 2, 3))
    check_module_grads(BatchNorm1d(3).eval(), randn(4, 3))


def _torch_bn(torch, ours, dims):
    cls = {1: torch.nn.BatchNorm1d, 2: torch.nn.BatchNorm2d}[dims]
    theirs = cls(ours.num_features, eps=ours.eps, momentum=ours.momentum, affine=ours.affine,
                 track_running_stats=ours.track_running_stats).double()
    assert list(theirs.state_dict()) == list(ours.state_dict())
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    return theirs


@pytest.mark.parametrize("cls, shape, kwargs", [
    (BatchNorm1d, (6, 3), {}),
    (BatchNorm1d, (4, 3, 5), {}),
    (BatchNorm1d, (6, 3), {"momentum": None}),
    (BatchNorm1d, (6, 3), {"affine": False}),
    (BatchNorm1d, (6, 3), {"track_running_stats": False}),
    (BatchNorm2d, (2, 3, 4, 5), {"momentum": 0.3, "eps": 1e-3}),
])
def test_batchnorm_vs_torch(cls, shape, kwargs):
    torch = pytest.importorskip("torch")
    ours = cls(shape[1], dtype=np.float64, **kwargs)
    if ours.affine:
        ours.weight.data[...] = RNG.uniform(0.5, 2, shape[1])
        ours.bias.data[...] = randn(shape[1])
    theirs = _torch_bn(torch, ours, 2 if cls is BatchNorm2d else 1)
    assert repr(ours) == repr(theirs)
    for step in range(3):  # training steps: outputs, gradients, running stats
        x = randn(*shape) * (step + 1) + step
        xo, xt = t64(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        yo, yt = ours(xo), theirs(xt)
        np.testing.assert_allclose(yo.numpy(), yt.detach().numpy(), rtol=1e-9, atol=1e-10)
        v = randn(*shape)
        (yo * t64(v)).sum().backward()
        (yt * torch.tensor(v)).sum().backward()
        np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-8, atol=1e-10)
        if ours.affine:
            np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-8)
            np.testing.assert_allclose(ours.bias.grad.numpy(), theirs.bias.grad.numpy(), rtol=1e-8)
            ours.zero_grad()
            theirs.zero_grad()
        for k, v_ in theirs.state_dict().items():
            np.testing.assert_allclose(ours.state_dict()[k], v_.numpy(), rtol=1e-10, err_msg=k)
    ours.eval()
    theirs.eval()
    x = randn(*shape)
    np.testing.assert_allclose(ours(t64(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-9,
                               atol=1e-10)


def test_batchnorm_float32_input_keeps_dtype():
    bn = BatchNorm2d(2)
    y = bn(autograd.randn(3, 2, 4, 4))
    assert y.dtype == np.float32 and bn.running_mean.dtype == np.float32
    assert BatchNorm1d(2, affine=False).weight is None


# --------------------------------------------------------------------------- LayerNorm
def test_layernorm_closed_form():
    x = randn(3, 4, 5)
    ln = LayerNorm((4, 5), dtype=np.float64)
    ln.weight.data[...] = randn(4, 5)
    ln.bias.data[...] = randn(4, 5)
    mean = x.mean(axis=(1, 2), keepdims=True)
    var = x.var(axis=(1, 2), keepdims=True)
    expected = (x - mean) / np.sqrt(var + 1e-5) * ln.weight.numpy() + ln.bias.numpy()
    np.testing.assert_allclose(ln(t64(x)).numpy(), expected, rtol=1e-10)
    np.testing.assert_allclose(ln.eval()(t64(x)).numpy(), expected, rtol=1e-10)  # same in eval
    with pytest.raises(ValueError, match=r"LayerNorm\(\(4, 5\).*got input of shape \(3, 5, 4\)"):
        ln(t64(randn(3, 5, 4)))
    assert LayerNorm(5, elementwise_affine=False).weight is None


def test_layernorm_grads_and_second_order():
    check_module_grads(LayerNorm(4), randn(3, 4), second_order=True)
    check_module_grads(LayerNorm((2, 3)), randn(2, 2, 3))


def test_layernorm_vs_torch():
    torch = pytest.importorskip("torch")
    ours = LayerNorm((3, 4), eps=1e-4, dtype=np.float64)
    ours.weight.data[...] = randn(3, 4)
    ours.bias.data[...] = randn(3, 4)
    theirs = torch.nn.LayerNorm((3, 4), eps=1e-4).double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    assert repr(ours) == repr(theirs)
    x = randn(2, 3, 4)
    xo, xt = t64(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    np.testing.assert_allclose(yo.numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    # a second-order quantity: d/dx |dy/dx . v|^2 through create_graph
    v = randn(*x.shape)
    yo2 = ours(xo)
    yo2.backward(t64(v), create_graph=True)
    gt = torch.autograd.grad(yt, xt, torch.tensor(v), create_graph=True)[0]
    np.testing.assert_allclose(xo.grad.numpy(), gt.detach().numpy(), rtol=1e-9, atol=1e-12)
    gx = xo.grad
    xo.grad = None
    (gx * gx).sum().backward()
    (gt * gt).sum().backward()
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-8, atol=1e-10)


# --------------------------------------------------------------------------- functional extras
def test_one_hot():
    y = F.one_hot(Tensor(np.array([0, 2, 1], dtype=np.int64)), num_classes=4)
    assert y.dtype == np.int64 and y.shape == (3, 4)  # PyTorch's dtype
    np.testing.assert_array_equal(y.numpy(), np.eye(4, dtype=np.int64)[[0, 2, 1]])
    assert F.one_hot([[1], [0]]).shape == (2, 1, 2)  # num_classes inferred
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\].*got \[3\]"):
        F.one_hot([0, 3], num_classes=3)
    with pytest.raises(ValueError, match="got \\[-1\\]"):
        F.one_hot([-1, 0], num_classes=3)
    with pytest.raises(TypeError, match="integer class indices"):
        F.one_hot(Tensor([0.0, 1.0]))


def test_one_hot_vs_torch():
    torch = pytest.importorskip("torch")
    labels = np.array([[0, 3], [2, 1]], dtype=np.int64)
    ours = F.one_hot(labels, 5).numpy()
    theirs = torch.nn.functional.one_hot(torch.from_numpy(labels), 5).numpy()
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_functional_batch_norm_and_layer_norm_match_modules():
    x = randn(5, 3)
    rm, rv = np.zeros(3), np.ones(3)
    y = F.batch_norm(t64(x), rm, rv, training=True)
    bn = BatchNorm1d(3, dtype=np.float64)
    np.testing.assert_allclose(y.numpy(), bn(t64(x)).numpy(), rtol=1e-12)
    np.testing.assert_allclose(rm, bn.running_mean.numpy())
    y_eval = F.batch_norm(t64(x), rm, rv, training=False)
    np.testing.assert_allclose(y_eval.numpy(), bn.eval()(t64(x)).numpy(), rtol=1e-12)
    ln = LayerNorm(3, dtype=np.float64)
    np.testing.assert_allclose(F.layer_norm(t64(x), 3).numpy(), ln(t64(x)).numpy())


# --------------------------------------------------------------------------- whole models vs torch
def _torch_model(torch, batchnorm: bool):
    layers = [torch.nn.Linear(3, 4)]
    if batchnorm:
        layers.append(torch.nn.BatchNorm1d(4))
    layers += [torch.nn.ReLU(), torch.nn.Linear(4, 2)]
    return torch.nn.Sequential(*layers).double()


@pytest.mark.parametrize("batchnorm", [False, True])
def test_state_dict_matches_torch_and_outputs_agree(batchnorm):
    torch = pytest.importorskip("torch")
    layers = [Linear(3, 4)] + ([BatchNorm1d(4)] if batchnorm else []) + [ReLU(), Linear(4, 2)]
    ours = Sequential(*layers).double()
    theirs = _torch_model(torch, batchnorm)
    sd, tsd = ours.state_dict(), theirs.state_dict()
    assert list(sd) == list(tsd)
    assert {k: v.shape for k, v in sd.items()} == {k: tuple(v.shape) for k, v in tsd.items()}
    torch_dtypes = {k: str(v.dtype).replace("torch.", "") for k, v in tsd.items()}
    assert {k: str(v.dtype) for k, v in sd.items()} == torch_dtypes
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})
    x = randn(6, 3)
    for mode in ("train", "eval"):
        getattr(ours, mode)()
        getattr(theirs, mode)()
        np.testing.assert_allclose(ours(t64(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-9,
                                   atol=1e-12)
    # and back: a torch state dict loads into ours
    ours2 = Sequential(*[type(m)(*_args(m)) for m in layers]).double()
    ours2.load_state_dict(theirs.state_dict())
    for k, v in ours2.state_dict().items():
        np.testing.assert_array_equal(v, theirs.state_dict()[k].numpy())


def _args(m: Module) -> tuple:
    if isinstance(m, Linear):
        return (m.in_features, m.out_features)
    if isinstance(m, BatchNorm1d):
        return (m.num_features,)
    return ()


def test_mlp_vs_torch_and_grads():
    torch = pytest.importorskip("torch")
    ours = MLP([3, 5, 2], activation="tanh", dtype=np.float64)
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)).double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x = randn(4, 3)
    np.testing.assert_allclose(ours(t64(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-10)
    check_module_grads(MLP([2, 3, 1], activation="sigmoid", output_activation="sigmoid"), randn(3, 2))


def test_training_reduces_loss():
    autograd.manual_seed(0)
    net = Sequential(Linear(2, 8), BatchNorm1d(8), Tanh(), Dropout(0.1), Linear(8, 1))
    x = autograd.randn(32, 2)
    target = Tensor((np.sin(x.numpy()[:, :1]) + 0.5 * x.numpy()[:, 1:]).astype(np.float32))
    losses = []
    for _ in range(60):
        net.zero_grad()
        loss = ((net(x) - target) ** 2).mean()
        loss.backward()
        losses.append(loss.item())
        for p in net.parameters():
            p.data -= 0.1 * p.grad.data
    assert losses[-1] < 0.2 * losses[0]


@pytest.mark.parametrize("use_core", [True, False])
def test_softmax_core_and_composite_agree(monkeypatch, use_core):
    if not use_core:
        monkeypatch.setattr(F, "_core", lambda name: None)
    x = randn(3, 4) * 3
    ref = np.exp(x - x.max(1, keepdims=True))
    ref /= ref.sum(1, keepdims=True)
    np.testing.assert_allclose(F.softmax(t64(x), dim=1).numpy(), ref, rtol=1e-12)
    np.testing.assert_allclose(F.log_softmax(t64(x), dim=-1).numpy(), np.log(ref), rtol=1e-12)
    assert gradcheck(lambda t: F.log_softmax(t, dim=0), [x], atol=1e-6, rtol=1e-5)
    assert gradgradcheck(lambda t: F.softmax(t, dim=1), [x], atol=1e-5, rtol=1e-4)
