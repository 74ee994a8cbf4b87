"""Training end to end: XOR, moons, the digits CNN, the perceptron, scalar vs tensor MLPs, fit/History."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor
from autograd.value import Value
from nn import optim
from nn.data import DataLoader, TensorDataset, moons, train_test_split, xor
from nn.demo import DemoConfig, make_cnn, train_digits_cnn
from nn.layers import Linear
from nn.losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from nn.mlp import MLP
from nn.module import Module
from nn.perceptron import Perceptron, feature_map_xor
from nn.scalar import MLP as ScalarMLP
from nn.train import History, accuracy, evaluate, fit, plot_history

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# ================================================================================================== XOR
# A fixed starting point for the 2-2-1 network. A 2-2-1 net on XOR has flat regions where training
# stalls (seed-drawn initialisations reach 100 % only about 2 runs in 3), so the test starts from these
# weights, which misclassify two of the four points. Checked while writing the test: ten random
# perturbations (std 0.2) of this start all converge, with tanh and with sigmoid hidden units.
XOR_START = (
    np.array([[0.9, -0.3], [0.6, 0.2]]),  # hidden weight (out, in)
    np.array([-0.4, 0.8]),                # hidden bias
    np.array([[0.7, -0.3]]),              # output weight
    np.array([0.9]),                      # output bias
)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_xor_solved_by_2_2_1_network(activation):
    X, y = xor()
    X = Tensor(X.numpy().astype(np.float64))
    targets = Tensor(y.numpy().astype(np.float64).reshape(4, 1))
    net = MLP([2, 2, 1], activation=activation, dtype=np.float64)
    assert [tuple(p.shape) for p in net.parameters()] == [(2, 2), (2,), (1, 2), (1,)]
    for p, start in zip(net.parameters(), XOR_START):
        p.data[...] = start
    assert accuracy(net(X), targets) == 0.5  # the start does not solve XOR
    loss_fn = BCEWithLogitsLoss()
    opt = optim.Adam(net.parameters(), lr=0.1)
    losses = []
    for _ in range(600):
        loss = loss_fn(net(X), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with autograd.no_grad():
        scores = net(X).numpy()[:, 0]
    assert ((scores > 0).astype(int) == np.array([0, 1, 1, 0])).all()
    assert accuracy(scores.reshape(4, 1), targets) == 1.0
    assert losses[-1] < 0.01 < losses[0]


def test_xor_solved_with_fit_and_seeded_init():
    # The seeded default initialisation with a wider hidden layer (2-8-2): robust over seeds.
    autograd.manual_seed(0)
    X, y = xor()
    model = MLP([2, 8, 2], activation="tanh")
    loader = DataLoader(TensorDataset(X, y), batch_size=4)
    history = fit(model, CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.05), loader, epochs=200,
                  progress=False)
    assert evaluate(model, loader)["accuracy"] == 1.0
    assert history.train_loss[-1] < 0.05


# ================================================================================================ moons
def test_moons_mlp_held_out_accuracy():
    X, y = moons(400, noise=0.1, seed=0)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=0, stratify=y)
    autograd.manual_seed(0)
    model = MLP([2, 16, 16, 2], activation="tanh")
    train = DataLoader(TensorDataset(X_tr, y_tr), batch_size=32, shuffle=True, seed=0)
    history = fit(model, CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.02), train, epochs=60,
                  progress=False)
    with autograd.no_grad():
        scores = model(X_te).numpy()
    test_acc = float(np.mean(scores.argmax(axis=1) == y_te.numpy()))
    assert len(y_te) == 100
    assert test_acc >= 0.97
    assert history.train_loss[-1] < history.train_loss[0]


# =========================================================================================== digits CNN
def test_digits_cnn_with_demo_settings_reaches_97_percent():
    # nn.demo's own model builder and training function with the demo's real settings.
    config = DemoConfig()
    assert (config.epochs, config.batch_size, config.test_size, config.seed) == (20, 32, 0.2, 0)
    run = train_digits_cnn(config, progress=False)
    assert (run.n_train, run.n_test) == (1437, 360)
    assert run.test_accuracy >= 0.97
    assert run.history.epochs == 20
    assert len(run.history.val_acc) == 20
    assert run.history.train_loss[-1] < run.history.train_loss[0]
    # the reported test accuracy is that of the final weights (nothing chosen on the test split)
    assert run.history.val_acc[-1] == pytest.approx(run.test_accuracy)
    assert sum(p.numel() for p in run.model.parameters()) == sum(p.numel() for p in make_cnn().parameters())


# =========================================================================================== perceptron
@pytest.mark.parametrize("shuffle, seed", [(False, None), (True, 0), (True, 1), (True, 2)])
def test_perceptron_never_solves_xor(shuffle, seed):
    X, y = xor()
    p = Perceptron(shuffle=shuffle, seed=seed).fit(X, y, epochs=500)
    assert not p.converged_
    assert len(p.errors_) == 500  # never an epoch without errors
    assert min(p.errors_) >= 1
    assert max(p.accuracy_) < 1.0
    assert p.score(X, y) <= 0.75


@pytest.mark.parametrize("shuffle, seed", [(False, None), (True, 0), (True, 1)])
def test_perceptron_solves_xor_with_feature_map(shuffle, seed):
    X, y = xor()
    psi = feature_map_xor(X)
    expected = np.array([[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]], dtype=np.float64)
    np.testing.assert_array_equal(np.asarray(psi.numpy()), expected)
    p = Perceptron(shuffle=shuffle, seed=seed).fit(psi, y, epochs=500)
    assert p.converged_
    assert p.score(psi, y) == 1.0
    assert p.predict(psi).tolist() == [0, 1, 1, 0]
    # the learned hyperplane separates the classes: w.psi + b > 0 exactly on the label-1 points
    scores = expected @ p.weight + p.bias
    assert ((scores > 0) == (y.numpy() == 1)).all()


def test_perceptron_on_separable_and():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    p = Perceptron().fit(X, [0, 0, 0, 1])
    assert p.converged_ and p.predict(X).tolist() == [0, 0, 0, 1]


# ================================================================================ scalar vs tensor MLP
def _copy_scalar_to_tensor(scalar: ScalarMLP, tensor: MLP) -> None:
    linears = [m for m in tensor if isinstance(m, Linear)]
    assert len(linears) == len(scalar.layers)
    for layer, lin in zip(scalar.layers, linears):
        lin.weight.data[...] = [[w.data for w in n.w] for n in layer.neurons]
        lin.bias.data[...] = [n.b.data for n in layer.neurons]


def test_scalar_and_tensor_mlps_agree_on_loss_and_gradients():
    sizes = [3, 5, 4, 2]
    scalar = ScalarMLP(sizes[0], sizes[1:], seed=0)
    # the scalar MLP's bias starts at 0: give every bias a non-zero value so its gradient path matters
    rng = np.random.default_rng(1)
    for layer in scalar.layers:
        for n in layer.neurons:
            n.b.data = float(rng.uniform(-0.5, 0.5))
    tensor = MLP(sizes, activation="relu", dtype=np.float64)
    _copy_scalar_to_tensor(scalar, tensor)

    X = rng.normal(size=(6, 3))
    T = rng.normal(size=(6, 2))

    # scalar: mean squared error over every output of every example
    total = Value(0.0)
    for x, t in zip(X, T):
        out = scalar([float(v) for v in x])
        for o, target in zip(out, t):
            total = total + (o - float(target)) ** 2
    scalar_loss = total / T.size
    scalar.zero_grad()
    scalar_loss.backward()

    tensor_loss = MSELoss()(tensor(Tensor(X)), Tensor(T))
    tensor.zero_grad()
    tensor_loss.backward()

    assert abs(scalar_loss.data - tensor_loss.item()) <= 1e-10
    linears = [m for m in tensor if isinstance(m, Linear)]
    some_nonzero = False
    for layer, lin in zip(scalar.layers, linears):
        gw = np.array([[w.grad for w in n.w] for n in layer.neurons])
        gb = np.array([n.b.grad for n in layer.neurons])
        np.testing.assert_allclose(lin.weight.grad.numpy(), gw, rtol=0, atol=1e-10)
        np.testing.assert_allclose(lin.bias.grad.numpy(), gb, rtol=0, atol=1e-10)
        some_nonzero |= bool(np.abs(gw).max() > 1e-6)
    assert some_nonzero


# ========================================================================================= fit, History
def _blobs(n: int = 64, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 2)) * 0.5 + np.where(y[:, None] == 1, 2.0, -2.0)
    return Tensor(X.astype(np.float32)), Tensor(y.astype(np.int64))


def test_fit_history_lengths_and_decreasing_loss():
    autograd.manual_seed(0)
    X, y = _blobs()
    train = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True, seed=0)
    val = DataLoader(TensorDataset(*_blobs(20, seed=1)), batch_size=8)
    model = Linear(2, 2)
    opt = optim.SGD(model.parameters(), lr=0.1)
    history = fit(model, CrossEntropyLoss(), opt, train, epochs=7, val_loader=val, progress=False)
    assert isinstance(history, History)
    assert history.epochs == 7
    for name in ("train_loss", "train_acc", "val_loss", "val_acc", "lr", "epoch_time"):
        assert len(getattr(history, name)) == 7, name
    assert history.lr == [pytest.approx(0.1)] * 7
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert history.val_loss[-1] < history.val_loss[0]
    assert history.val_acc[-1] == 1.0
    assert all(0.0 <= a <= 1.0 for a in history.train_acc + history.val_acc)
    assert history.best_epoch == int(np.argmin(history.val_loss))
    assert not history.stopped_early and not history.restored_best


def test_fit_without_validation_and_without_metrics():
    autograd.manual_seed(0)
    X, y = _blobs()
    loader = DataLoader(TensorDataset(X, y), batch_size=64)
    model = Linear(2, 2)
    history = fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=3,
                  metrics=(), progress=False)
    assert len(history.train_loss) == 3
    assert history.train_acc == [] and history.val_loss == [] and history.val_acc == []
    assert history.best_epoch == int(np.argmin(history.train_loss))


def test_fit_train_loss_is_mean_of_batch_losses_weighted_by_size():
    # One epoch with lr=0: the weights never change, so the epoch's loss is the loss on all the data.
    autograd.manual_seed(0)
    X, y = _blobs(10)
    model = Linear(2, 2)
    full = CrossEntropyLoss()(model(X), y).item()
    loader = DataLoader(TensorDataset(X, y), batch_size=4)  # batches of 4, 4, 2
    history = fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.0), loader, epochs=1,
                  progress=False)
    assert history.train_loss[0] == pytest.approx(full, rel=1e-5)


class _Recorder(Module):
    """A Linear layer that records (training, grad enabled, batch size) on every forward."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = Linear(2, 2)
        self.calls: list[tuple[bool, bool, int]] = []

    def forward(self, x):
        self.calls.append((self.training, autograd.is_grad_enabled(), x.shape[0]))
        return self.inner(x)


def test_validation_runs_in_eval_mode_without_grad():
    autograd.manual_seed(0)
    X, y = _blobs(8)
    Xv, yv = _blobs(3, seed=1)
    train = DataLoader(TensorDataset(X, y), batch_size=4)   # train batches: size 4
    val = DataLoader(TensorDataset(Xv, yv), batch_size=3)   # val batches: size 3
    model = _Recorder()
    fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), train, epochs=2, val_loader=val,
        progress=False)
    train_calls = [c for c in model.calls if c[2] == 4]
    val_calls = [c for c in model.calls if c[2] == 3]
    assert len(train_calls) == 4 and len(val_calls) == 2
    assert all(training and grad for training, grad, _ in train_calls)
    assert all(not training and not grad for training, grad, _ in val_calls)
    assert [c[2] for c in model.calls] == [4, 4, 3, 4, 4, 3]
    assert model.training and model.inner.training  # back in training mode
    assert autograd.is_grad_enabled()


def test_evaluate_restores_mode():
    model = _Recorder()
    X, y = _blobs(4)
    loader = DataLoader(TensorDataset(X, y), batch_size=4)
    model.eval()
    evaluate(model, loader)
    assert not model.training
    model.train()
    result = evaluate(model, loader, CrossEntropyLoss())
    assert model.training
    assert set(result) == {"loss", "accuracy"}
    assert model.calls[-1][:2] == (False, False)


def test_early_stopping_restores_best_weights():
    # w is fitted to y = 2x by gradient descent from 0: w_k = 2 (1 - 0.9^k) (lr 0.05, MSE, x = 1).
    # The validation data follow y = 0.5x, so the validation loss (w - 0.5)^2 falls, then rises.
    ones = np.ones((4, 1))
    train = DataLoader(TensorDataset(ones, 2.0 * ones), batch_size=4)
    val = DataLoader(TensorDataset(ones, 0.5 * ones), batch_size=4)
    model = Linear(1, 1, bias=False, dtype=np.float64)
    model.weight.data[...] = 0.0
    weights: list[float] = []

    def record(epoch, history):
        weights.append(float(model.weight.data[0, 0]))

    history = fit(model, MSELoss(), optim.SGD(model.parameters(), lr=0.05), train, epochs=100,
                  val_loader=val, early_stopping_patience=3, metrics=(), callback=record, progress=False)
    expected_w = [2.0 * (1.0 - 0.9 ** k) for k in range(1, 7)]
    # best after epoch 3 (w = 0.542), then 3 epochs without improvement: stop after 6 of 100
    assert history.epochs == 6
    np.testing.assert_allclose(weights, expected_w, rtol=1e-12)
    np.testing.assert_allclose(history.val_loss, [(w - 0.5) ** 2 for w in expected_w], rtol=1e-10)
    assert history.best_epoch == 2
    assert history.best_loss == pytest.approx((expected_w[2] - 0.5) ** 2)
    assert history.stopped_early and history.restored_best
    assert history.val_loss[-1] > history.val_loss[history.best_epoch]
    assert float(model.weight.data[0, 0]) == pytest.approx(expected_w[2], rel=1e-12)
    assert float(model.weight.data[0, 0]) != pytest.approx(weights[-1])


def test_fit_refuses_bad_epochs():
    model = Linear(2, 2)
    X, y = _blobs(4)
    loader = DataLoader(TensorDataset(X, y), batch_size=4)
    with pytest.raises(ValueError, match="epochs"):
        fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=-1,
            progress=False)
    with pytest.raises(ValueError, match="early_stopping_patience"):
        fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=1,
            early_stopping_patience=0, progress=False)


def test_plot_history_writes_png(tmp_path):
    history = History(train_loss=[1.0, 0.6, 0.4], train_acc=[0.5, 0.7, 0.9], val_loss=[1.1, 0.7, 0.5],
                      val_acc=[0.4, 0.6, 0.8], best_epoch=2)
    path = plot_history(history, tmp_path / "sub" / "curves.png", title="t")
    assert path == tmp_path / "sub" / "curves.png"
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > 1000
    loss_only = plot_history(History(train_loss=[0.3, 0.2]), tmp_path / "loss.png")
    assert loss_only.read_bytes()[:8] == PNG_MAGIC
    with pytest.raises(ValueError, match="no epochs"):
        plot_history(History(), tmp_path / "empty.png")


# ============================================================================================== accuracy
def test_accuracy_multiclass_logits():
    logits = [[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [1.0, 0.0, 5.0], [4.0, 0.0, 0.0]]
    assert accuracy(logits, [0, 1, 2, 0]) == 1.0
    assert accuracy(logits, [0, 1, 2, 1]) == 0.75
    assert accuracy(Tensor(np.array(logits)), Tensor(np.array([1, 0, 0, 1]))) == 0.0
    one_hot = np.eye(3)[[0, 1, 0, 0]]
    assert accuracy(logits, one_hot) == 0.75


def test_accuracy_binary_scores():
    assert accuracy([[-1.2], [0.3], [2.0], [-0.1]], [[0.0], [1.0], [0.0], [0.0]]) == 0.75
    assert accuracy([0.2, 0.7, 0.9], [1, 1, 0], threshold=0.5) == pytest.approx(1 / 3)
    assert accuracy([0.2, 0.7, 0.9], [0, 1, 1], threshold=0.5) == 1.0


def test_accuracy_shape_mismatch():
    with pytest.raises(ValueError, match="shape"):
        accuracy([[1.0, 0.0], [0.0, 1.0]], [0, 1, 1])
