"""Target shapes that differ from the input's, against PyTorch 2.13 in float64.

The regression losses (mse_loss, l1_loss, smooth_l1_loss, huber_loss and their modules) broadcast a target
whose shape broadcasts with the input's, with a UserWarning naming the loss and both shapes: values and the
gradients of input, target and weight (each in its own shape) match torch, and gradcheck agrees. Shapes
that do not broadcast are errors. binary_cross_entropy(_with_logits), kl_div, nll_loss and cross_entropy
accept and refuse the same target shapes as torch, and cross_entropy's fused path sees only the (N, C)
logits with (N,) labels it handles."""

from __future__ import annotations

import itertools
import re
import warnings
import zlib

import numpy as np
import pytest

import nn
from autograd import Tensor, gradcheck, gradgradcheck
from nn import fused
from nn import losses as L

torch = pytest.importorskip("torch")
TF = torch.nn.functional

REDUCTIONS = ["mean", "sum", "none"]
# (our function, torch's function, keyword arguments)
REGRESSION = [
    (L.mse_loss, TF.mse_loss, {}),
    (L.l1_loss, TF.l1_loss, {}),
    (L.smooth_l1_loss, TF.smooth_l1_loss, {}),
    (L.smooth_l1_loss, TF.smooth_l1_loss, {"beta": 0.0}),
    (L.smooth_l1_loss, TF.smooth_l1_loss, {"beta": 0.5}),
    (L.huber_loss, TF.huber_loss, {}),
    (L.huber_loss, TF.huber_loss, {"delta": 0.5}),
]
REGRESSION_IDS = [f"{fn.__name__}-{kw}" for fn, _, kw in REGRESSION]
# (input shape, target shape) that differ and broadcast: the loss takes the broadcast shape, which may be
# larger than either
BROADCASTING = [
    ((3, 4), (4,)),
    ((3, 4), (3, 1)),
    ((3, 4), ()),
    ((3, 4), (1,)),
    ((3, 4), (2, 3, 4)),
    ((3, 1), (3,)),  # the classic mistake: (N, 1) predictions, (N,) targets, an (N, N) loss
    ((4,), (3, 1)),
    ((), (2, 3)),
    ((2, 1, 3), (4, 1)),
]
NOT_BROADCASTING = [((3, 4), (3,)), ((3, 4), (5,)), ((3,), (2, 2)), ((2, 3), (3, 2)), ((3, 4), (2, 3, 3))]
WEIGHTED = [(L.mse_loss, TF.mse_loss), (L.l1_loss, TF.l1_loss), (L.huber_loss, TF.huber_loss)]
MODULES = [(nn.MSELoss, "mse_loss"), (nn.L1Loss, "l1_loss"), (nn.SmoothL1Loss, "smooth_l1_loss"),
           (nn.HuberLoss, "huber_loss")]


def rng_for(*key) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def shapes_message(name: str, x_shape: tuple, t_shape: tuple) -> str:
    return (rf"{name}: target shape {re.escape(str(t_shape))} differs from input shape "
            rf"{re.escape(str(x_shape))}")


def torch_quiet(fn, *args, **kw):
    """torch's loss, its own broadcast warning silenced (ours is what is checked)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kw)


def ours_quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kw)


def compare_with_torch(ours, theirs, arrays, rng):
    """Value and every gradient (seeded by a random cotangent) of ours(*Tensors) vs theirs(*torch
    tensors), all float64; each gradient must have its own argument's shape."""
    ts = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    tt = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = ours(*ts), theirs(*tt)
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-14)
    seed = rng.standard_normal(out.shape)
    out.backward(seed)
    ref.backward(torch.tensor(seed))
    for i, (a, b) in enumerate(zip(ts, tt)):
        assert a.grad.shape == a.shape, i
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-12, atol=1e-14, err_msg=str(i))


# ---------------------------------------------------------------------------------------------- regression
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("x_shape, t_shape", BROADCASTING, ids=str)
@pytest.mark.parametrize("fn, tfn, kw", REGRESSION, ids=REGRESSION_IDS)
def test_broadcast_values_and_gradients_of_input_and_target_match_torch(fn, tfn, kw, x_shape, t_shape,
                                                                         reduction):
    rng = rng_for(fn.__name__, kw, x_shape, t_shape, reduction)
    x, t = rng.standard_normal(x_shape) * 2, rng.standard_normal(t_shape)
    with pytest.warns(UserWarning, match=shapes_message(fn.__name__, x_shape, t_shape)):
        fn(Tensor(x), t, reduction=reduction, **kw)
    compare_with_torch(lambda a, b: ours_quiet(fn, a, b, reduction=reduction, **kw),
                       lambda a, b: torch_quiet(tfn, a, b, reduction=reduction, **kw), [x, t], rng)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("x_shape, t_shape", [((3, 4), (2, 3, 4)), ((3, 1), (3,)), ((1, 4), (3, 1))], ids=str)
@pytest.mark.parametrize("fn, tfn", WEIGHTED, ids=lambda f: getattr(f, "__name__", ""))
def test_broadcast_with_weight_matches_torch_in_value_and_every_gradient(fn, tfn, x_shape, t_shape,
                                                                         reduction):
    # the weight has the input's shape; mse/l1's mean divides by its sum as given, huber's by the count
    rng = rng_for(fn.__name__, x_shape, t_shape, reduction)
    x, t, w = rng.standard_normal(x_shape) * 2, rng.standard_normal(t_shape), rng.uniform(0.2, 2.0, x_shape)
    compare_with_torch(lambda a, b, c: ours_quiet(fn, a, b, reduction=reduction, weight=c),
                       lambda a, b, c: torch_quiet(tfn, a, b, reduction=reduction, weight=c), [x, t, w], rng)


@pytest.mark.parametrize("fn, tfn", WEIGHTED, ids=lambda f: getattr(f, "__name__", ""))
def test_weight_must_have_the_input_shape_even_when_the_target_is_larger(fn, tfn):
    x, t = np.zeros((3, 4)), np.zeros((2, 3, 4))
    for w_shape in [(2, 3, 4), (4,)]:  # the loss's shape, and one that would broadcast
        with pytest.raises(ValueError):
            torch_quiet(tfn, torch.tensor(x), torch.tensor(t),
                        weight=torch.ones(w_shape, dtype=torch.float64))
        with pytest.raises(ValueError, match=rf"{fn.__name__}: weight of shape {re.escape(str(w_shape))} "
                                             r"does not match input shape \(3, 4\)"):
            ours_quiet(fn, Tensor(x), t, weight=np.ones(w_shape))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("fn, tfn, kw", REGRESSION, ids=REGRESSION_IDS)
def test_gradcheck_in_input_and_target_of_different_shapes(fn, tfn, kw, reduction):
    rng = rng_for("gradcheck", fn.__name__, kw, reduction)
    # differences kept away from 0 and from beta / delta (the kinks): targets near 0, |inputs| 1.2 .. 1.4
    x = rng.uniform(1.2, 1.4, (3, 1)) * rng.choice([-1.0, 1.0], (3, 1))
    t = rng.uniform(-0.1, 0.1, (4,))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        f = lambda a, b: fn(a, b, reduction=reduction, **kw)  # noqa: E731
        assert gradcheck(f, [x, t], eps=1e-6, atol=1e-7, rtol=1e-5)
        assert gradgradcheck(f, [x, t], eps=1e-6, atol=1e-7, rtol=1e-5)


@pytest.mark.parametrize("fn, tfn", WEIGHTED, ids=lambda f: getattr(f, "__name__", ""))
def test_gradcheck_with_weight_and_a_larger_target(fn, tfn):
    rng = rng_for("gradcheck-weight", fn.__name__)
    x = rng.uniform(1.2, 1.4, (2, 3))
    t, w = rng.uniform(-0.1, 0.1, (2, 2, 3)), rng.uniform(0.5, 1.5, (2, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert gradcheck(lambda a, b, c: fn(a, b, weight=c), [x, t, w], eps=1e-6, atol=1e-7, rtol=1e-5)


@pytest.mark.parametrize("x_shape, t_shape", NOT_BROADCASTING, ids=str)
@pytest.mark.parametrize("fn, tfn, kw", REGRESSION, ids=REGRESSION_IDS)
def test_shapes_that_do_not_broadcast_are_errors_naming_the_loss_and_both_shapes(fn, tfn, kw, x_shape,
                                                                                   t_shape):
    with pytest.raises(RuntimeError):
        torch_quiet(tfn, torch.zeros(x_shape, dtype=torch.float64), torch.zeros(t_shape, dtype=torch.float64),
                    **kw)
    expected = (rf"{fn.__name__}: target shape {re.escape(str(t_shape))} does not broadcast with input shape "
                rf"{re.escape(str(x_shape))}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # refused before any warning
        with pytest.raises(ValueError, match=expected):
            fn(Tensor(np.zeros(x_shape)), np.zeros(t_shape), **kw)


@pytest.mark.parametrize("cls, name", MODULES, ids=lambda c: getattr(c, "__name__", ""))
def test_modules_warn_refuse_and_agree_with_their_functions(cls, name):
    rng = rng_for("modules", name)
    x, t = rng.standard_normal((3, 1)), rng.standard_normal((3,))
    module = cls(reduction="none")
    with pytest.warns(UserWarning, match=shapes_message(name, (3, 1), (3,))):
        out = module(Tensor(x), t)
    reference = torch_quiet(getattr(torch.nn, cls.__name__)(reduction="none"), torch.tensor(x),
                            torch.tensor(t))
    np.testing.assert_allclose(out.data, reference.numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match=rf"{name}: target shape \(2,\) does not broadcast"):
        module(Tensor(x[:, 0]), t[:2])


@pytest.mark.parametrize("fn, tfn, kw", REGRESSION, ids=REGRESSION_IDS)
def test_same_shapes_do_not_warn(fn, tfn, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fn(Tensor(np.ones((2, 3))), np.zeros((2, 3)), **kw)
        fn(Tensor(np.ones(())), 0.0, **kw)  # a Python number is a 0-d target, the 0-d input's shape


def test_the_warning_points_at_the_callers_line_for_functions_and_modules():
    # attributed to this file, not to nn/losses.py or nn/module.py: the default filter then shows it once
    # per line of the user's code
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        L.mse_loss(Tensor(np.zeros((3, 1))), np.zeros(3))
        nn.HuberLoss()(Tensor(np.zeros((3, 1))), np.zeros(3))
    assert [w.category for w in caught] == [UserWarning, UserWarning]
    assert all(w.filename == __file__ for w in caught), [w.filename for w in caught]


# ---------------------------------------------------------------------------------------------- others
def _outcome(fn, *args, **kw):
    """(result, None) or (None, the error) of fn(*args, **kw), torch's warnings silenced."""
    try:
        return torch_quiet(fn, *args, **kw), None
    except (ValueError, RuntimeError, IndexError, TypeError) as err:
        return None, err


def _probabilities(rng, shape):
    return rng.uniform(0.1, 0.9, shape)


X_SHAPES = [(3, 4), (4,), (1,), (2, 4, 5), (1, 4)]
T_SHAPES = [(), (1,), (3,), (4,), (5,), (3, 1), (1, 4), (3, 4), (1, 3, 4), (2, 3, 4), (3, 4, 1), (2, 5),
            (2, 1), (2, 4, 5), (2, 1, 5), (1, 1)]


@pytest.mark.parametrize("reduction", ["none", "mean"])
@pytest.mark.parametrize("name", ["binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div",
                                  "kl_div-log_target", "kl_div-batchmean"])
def test_elementwise_losses_accept_and_refuse_the_target_shapes_torch_does(name, reduction):
    base, _, variant = name.partition("-")
    kw = {"log_target": True} if variant == "log_target" else {}
    if variant == "batchmean":
        reduction = "batchmean"
    rng = rng_for(name, reduction)
    accepted = 0
    for x_shape, t_shape in itertools.product(X_SHAPES, T_SHAPES):
        x, t = _probabilities(rng, x_shape), _probabilities(rng, t_shape)
        if base == "kl_div":
            x = np.log(x)
            t = np.log(t) if variant == "log_target" else t
        ref, torch_err = _outcome(getattr(TF, base), torch.tensor(x), torch.tensor(t), reduction=reduction,
                                  **kw)
        got, err = _outcome(getattr(L, base), Tensor(x), t, reduction=reduction, **kw)
        assert (err is None) == (torch_err is None), (x_shape, t_shape, err, torch_err)
        if err is not None:
            assert isinstance(err, ValueError)
            message = str(err)
            assert message.startswith(f"{base}:") and str(t_shape) in message and str(x_shape) in message
            continue
        accepted += 1
        np.testing.assert_allclose(got.data, ref.numpy(), rtol=1e-12, atol=1e-14)
    # the binary cross-entropies take only the input's shape; kl_div every shape that broadcasts
    assert accepted == (sum(x == t for x, t in itertools.product(X_SHAPES, T_SHAPES)) if base != "kl_div"
                        else sum(_broadcasts(x, t) for x, t in itertools.product(X_SHAPES, T_SHAPES)))


def _broadcasts(a, b) -> bool:
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


@pytest.mark.parametrize("reduction", ["none", "sum", "mean", "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_broadcasts_like_torch_in_both_gradients_and_does_not_warn(log_target, reduction):
    # one target distribution for every row, and a target with a batch axis more than the input
    rng = rng_for("kl", log_target, reduction)
    for x_shape, t_shape in [((3, 4), (4,)), ((3, 4), (2, 3, 4)), ((4,), (3, 1))]:
        x, t = np.log(_probabilities(rng, x_shape)), _probabilities(rng, t_shape)
        t = np.log(t) if log_target else t
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # ours must not warn (torch warns only about reduction='mean')
            compare_with_torch(lambda a, b: L.kl_div(a, b, reduction=reduction, log_target=log_target),
                               lambda a, b: torch_quiet(TF.kl_div, a, b, reduction=reduction,
                                                        log_target=log_target),
                               [x, t], rng)


CLASS_X_SHAPES = [(3, 4), (4,), (1,), (2, 4, 5), (1, 4), (2, 4, 5, 6)]
CLASS_T_SHAPES = [(), (1,), (3,), (4,), (2,), (5,), (3, 1), (1, 3), (3, 4), (1, 1), (2, 5), (2, 1), (1, 5),
                  (2, 5, 1), (2, 5, 6), (2, 1, 6), (2, 4, 5), (1, 4)]


@pytest.mark.parametrize("kind", ["nll_loss", "cross_entropy", "cross_entropy-probabilities"])
def test_class_losses_accept_and_refuse_the_target_shapes_torch_does(kind, monkeypatch):
    base, _, variant = kind.partition("-")
    # the fused softmax cross-entropy must see only what it handles: (N, C) logits with (N,) labels
    seen = []
    real = fused.softmax_cross_entropy

    def checked(logits, labels, *args):
        assert logits.data.ndim == 2 and labels.shape == logits.data.shape[:1], (logits.shape, labels.shape)
        seen.append(labels.shape)
        return real(logits, labels, *args)

    monkeypatch.setattr(fused, "softmax_cross_entropy", checked)
    rng = rng_for(kind)
    accepted = 0
    for (x_shape, t_shape), reduction in itertools.product(
            itertools.product(CLASS_X_SHAPES, CLASS_T_SHAPES), ["none", "mean"]):
        x = rng.standard_normal(x_shape)
        n_classes = x_shape[0] if len(x_shape) == 1 else x_shape[1]
        t = (_probabilities(rng, t_shape) if variant else rng.integers(0, n_classes, t_shape))
        ref, torch_err = _outcome(getattr(TF, base), torch.tensor(x), torch.tensor(t), reduction=reduction)
        got, err = _outcome(getattr(L, base), Tensor(x), t, reduction=reduction)
        assert (err is None) == (torch_err is None), (x_shape, t_shape, err, torch_err)
        if err is not None:
            message = str(err)
            # float labels of a label's shape are refused for their dtype, which the message names
            label_shape = () if len(x_shape) == 1 else x_shape[:1] + x_shape[2:]
            what = "dtype float64" if variant and t_shape == label_shape else str(t_shape)
            assert message.startswith(f"{base}:") and what in message and str(x_shape) in message, message
            continue
        accepted += 1
        assert got.shape == tuple(ref.shape)
        np.testing.assert_allclose(got.data, ref.numpy(), rtol=1e-12, atol=1e-14)
    assert accepted > 0
    if base == "cross_entropy" and not variant:
        assert (3,) in seen  # the fused path still serves the plain case


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("fn", ["nll_loss", "cross_entropy"])
def test_unbatched_input_takes_its_label_as_shape_one_like_torch(fn, reduction):
    # (C,) scores with a label of shape (1,): torch's forward pass takes it (its value is compared), but
    # its backward pass fails with a size mismatch; ours differentiates it as the label of shape (), which
    # torch's gradients are then compared with
    rng = rng_for("unbatched", fn, reduction)
    x, w = rng.standard_normal(4), rng.uniform(0.5, 2.0, 4)
    for kw in [{}, {"weight": w}, {"ignore_index": 2}]:
        tkw = {k: torch.tensor(v) if k == "weight" else v for k, v in kw.items()}
        for label in (2, 1):
            ts, tt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
            out = getattr(L, fn)(ts, np.array([label]), reduction=reduction, **kw)
            with torch.no_grad():
                forward_only = getattr(TF, fn)(tt, torch.tensor([label]), reduction=reduction, **tkw)
            ref = getattr(TF, fn)(tt, torch.tensor(label), reduction=reduction, **tkw)
            assert out.shape == tuple(forward_only.shape) == ()
            np.testing.assert_allclose(out.data, forward_only.numpy(), rtol=1e-12)
            np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12)
            if not np.isnan(ref.item()):  # everything ignored: the mean is nan in both
                out.backward()
                ref.backward()
                np.testing.assert_allclose(ts.grad.data, tt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_unbatched_label_of_shape_one_with_label_smoothing_is_the_scalar_label():
    # PyTorch fails here with an internal shape error (documented in docs/nn.md); we give what the label
    # of shape () gives, which torch computes
    x = np.array([0.3, -1.2, 2.0, 0.5])
    got = L.cross_entropy(Tensor(x), np.array([1]), label_smoothing=0.2)
    want = TF.cross_entropy(torch.tensor(x), torch.tensor(1), label_smoothing=0.2)
    np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-12)
    with pytest.raises(RuntimeError):
        TF.cross_entropy(torch.tensor(x), torch.tensor([1]), label_smoothing=0.2)


def test_one_class_input_with_an_integer_target_of_shape_one_is_refused_by_cross_entropy_only():
    # for cross_entropy a target of the input's shape is probabilities, which must be floats (torch too);
    # nll_loss takes it as the one label
    x = np.array([-0.7])
    with pytest.raises(RuntimeError):
        TF.cross_entropy(torch.tensor(x), torch.tensor([0]))
    with pytest.raises(ValueError, match=r"cross_entropy: got an integer target of shape \(1,\), the input"):
        L.cross_entropy(Tensor(x), np.array([0]))
    np.testing.assert_allclose(L.nll_loss(Tensor(x), np.array([0])).data,
                               TF.nll_loss(torch.tensor(x), torch.tensor([0])).numpy(), rtol=1e-15)
