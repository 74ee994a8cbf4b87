"""nn.train (fit, evaluate, accuracy, plots), the perceptron, and training results on the small problems."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn import optim
from nn.data import DataLoader, TensorDataset, moons, train_test_split, xor
from nn.layers import Dropout, Linear, Tanh
from nn.losses import BCEWithLogitsLoss, CrossEntropyLoss, mse_loss
from nn.mlp import MLP
from nn.module import Module, Sequential
from nn.perceptron import Perceptron, feature_map_xor
from nn.train import History, accuracy, evaluate, fit, plot_decision_boundary, plot_history

PNG = b"\x89PNG\r\n\x1a\n"


# -------------------------------------------------------------------------------------------- accuracy
def test_accuracy_for_class_scores_one_hot_and_binary_outputs():
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [1.0, 0.0, 5.0], [0.0, 1.0, 0.5]])
    assert accuracy(logits, [0, 1, 2, 2]) == 0.75
    assert accuracy(Tensor(logits), Tensor(np.eye(3)[[0, 1, 2, 1]])) == 1.0  # one-hot targets
    assert accuracy([[-0.5], [0.2], [3.0]], [[0.0], [1.0], [0.0]]) == pytest.approx(2 / 3)
    assert accuracy([0.4, 0.6], [0, 1], threshold=0.5) == 1.0
    with pytest.raises(ValueError, match="labels of shape"):
        accuracy(logits, [0, 1])


# ------------------------------------------------------------------------------------------------- fit
class Probe(Module):
    """A linear model that records the mode and grad recording of every forward call."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = Linear(2, 2)
        self.drop = Dropout(0.0)
        self.calls: list[tuple[bool, bool]] = []

    def forward(self, x):
        self.calls.append((self.training, autograd.is_grad_enabled()))
        return self.drop(self.lin(x))


def _moons_loaders(n=200, seed=0):
    X, y = moons(n, noise=0.1, seed=seed)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, seed=seed)
    train = DataLoader(TensorDataset(X_tr, y_tr), batch_size=32, shuffle=True, seed=seed)
    test = DataLoader(TensorDataset(X_te, y_te), batch_size=256)
    return train, test


def test_fit_history_modes_and_scheduler():
    autograd.manual_seed(0)
    model = Probe()
    train, test = _moons_loaders()
    opt = optim.SGD(model.parameters(), lr=0.4)
    sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    h = fit(model, CrossEntropyLoss(), opt, train, epochs=5, val_loader=test, scheduler=sched, progress=False)
    assert isinstance(h, History) and h.epochs == 5
    assert all(len(v) == 5 for v in (h.train_loss, h.train_acc, h.val_loss, h.val_acc, h.lr, h.epoch_time))
    assert h.lr == pytest.approx([0.4, 0.4, 0.2, 0.2, 0.1])
    assert all(0.0 <= a <= 1.0 for a in h.train_acc + h.val_acc)
    assert h.train_loss[-1] < h.train_loss[0]
    assert h.best_epoch == int(np.argmin(h.val_loss)) and h.best_loss == min(h.val_loss)
    assert not h.stopped_early and not h.restored_best
    # training batches ran in training mode with recording; validation in eval mode under no_grad
    per_epoch = len(train) + len(test)
    assert len(model.calls) == 5 * per_epoch
    for epoch in range(5):
        calls = model.calls[epoch * per_epoch:(epoch + 1) * per_epoch]
        assert calls[:len(train)] == [(True, True)] * len(train)
        assert calls[len(train):] == [(False, False)] * len(test)
    assert model.training  # back in training mode after fit
    result = evaluate(model, test, CrossEntropyLoss())
    assert result["loss"] == pytest.approx(h.val_loss[-1], rel=1e-6)
    assert result["accuracy"] == h.val_acc[-1] and model.training


def test_fit_gives_reduce_lr_on_plateau_the_monitored_loss():
    autograd.manual_seed(1)
    X, y = moons(120, noise=0.1, seed=1)
    train = DataLoader(TensorDataset(X, y), batch_size=120)
    # validation labels are the opposite classes: the validation loss rises as the fit improves
    wrong = DataLoader(TensorDataset(X, 1 - y.numpy()), batch_size=120)
    model = Sequential(Linear(2, 8), Tanh(), Linear(8, 2))
    opt = optim.SGD(model.parameters(), lr=0.5)
    sched = optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0)
    h = fit(model, CrossEntropyLoss(), opt, train, epochs=5, val_loader=wrong, scheduler=sched,
            progress=False)
    # by hand, with patience 0: the rate halves after each epoch whose validation loss is not below the
    # best so far by the default relative threshold 1e-4
    expected, lr, best = [], 0.5, float("inf")
    for loss in h.val_loss:
        expected.append(lr)
        if loss < best * (1 - 1e-4):
            best = loss
        else:
            lr *= 0.5
    assert h.lr == pytest.approx(expected) and expected[-1] < 0.5


def test_early_stopping_restores_the_best_weights():
    autograd.manual_seed(1)
    X, y = moons(120, noise=0.1, seed=1)
    train = DataLoader(TensorDataset(X, y), batch_size=120)
    # validation labels are the opposite classes: the better the fit, the worse the validation loss
    wrong = DataLoader(TensorDataset(X, 1 - y.numpy()), batch_size=120)
    model = MLP([2, 16, 2], activation="tanh")
    snapshots = []
    h = fit(model, CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.05), train, epochs=100,
            val_loader=wrong, early_stopping_patience=3, progress=False,
            callback=lambda epoch, hist: snapshots.append(model.state_dict()))
    assert h.stopped_early and h.epochs < 100 and h.restored_best
    assert h.epochs == h.best_epoch + 1 + 3  # stopped after 3 epochs without improvement
    assert h.val_loss[h.best_epoch] == min(h.val_loss)
    best = snapshots[h.best_epoch]
    for name, value in model.state_dict().items():
        assert np.array_equal(value, best[name])
    assert not np.array_equal(model.state_dict()["0.weight"], snapshots[-1]["0.weight"])


def test_callback_can_stop_and_argument_errors():
    X, y = xor()
    loader = DataLoader(TensorDataset(X, y), batch_size=4)
    model = Linear(2, 2)
    h = fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=50,
            progress=False, callback=lambda epoch, hist: epoch == 2)
    assert h.epochs == 3 and not h.stopped_early
    with pytest.raises(ValueError, match="epochs=-1"):
        fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=-1)
    with pytest.raises(ValueError, match="early_stopping_patience=0"):
        fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=1,
            early_stopping_patience=0)
    with pytest.raises(ValueError, match="unknown metric"):
        fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=1,
            metrics=("f1",))


def test_custom_metrics_and_loss_only_training():
    X = Tensor(np.linspace(-1, 1, 32, dtype=np.float32).reshape(32, 1))
    Y = 3 * X + 1
    loader = DataLoader(TensorDataset(X, Y), batch_size=8)

    def max_error(out, target):
        return float(np.abs(out.numpy() - target.numpy()).max())

    autograd.manual_seed(0)
    model = Linear(1, 1)
    h = fit(model, lambda o, t: mse_loss(o, t), optim.SGD(model.parameters(), lr=0.3), loader, epochs=40,
            val_loader=loader, metrics=(max_error,), progress=False)
    assert h.train_acc == [] and h.val_acc == []
    assert len(h.metrics["train_max_error"]) == 40 and h.metrics["val_max_error"][-1] < 0.05
    assert model.weight.item() == pytest.approx(3.0, abs=0.05)


def test_progress_lines_without_tqdm_and_silence(monkeypatch, capsys):
    X, y = xor()
    loader = DataLoader(TensorDataset(X, y), batch_size=2)
    model = Linear(2, 2)
    monkeypatch.setitem(sys.modules, "tqdm", None)  # as if tqdm were not installed
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=3, val_loader=loader)
    out = capsys.readouterr()
    lines = [line for line in out.out.splitlines() if line.startswith("epoch")]
    assert [line.split()[1] for line in lines] == ["1/3", "2/3", "3/3"]
    assert "train_loss" in lines[0] and "val_acc" in lines[0]
    fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=3, progress=False)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_progress_bar_with_tqdm(capsys):
    pytest.importorskip("tqdm")
    X, y = xor()
    model = Linear(2, 2)
    fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
        DataLoader(TensorDataset(X, y), batch_size=2), epochs=2)
    err = capsys.readouterr().err
    assert "epoch 2/2" in err and "4/4" in err  # one bar over all batches of all epochs


def test_plots_write_png_and_explain_a_missing_matplotlib(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    h = History(train_loss=[1.0, 0.5, 0.4], train_acc=[0.4, 0.8, 0.9], val_loss=[1.1, 0.6, 0.7],
                val_acc=[0.5, 0.7, 0.8], best_epoch=1)
    path = plot_history(h, tmp_path / "sub" / "h.png", title="t")
    assert path.read_bytes()[:8] == PNG
    X, y = xor()
    assert plot_decision_boundary(Linear(2, 2), X, y, tmp_path / "b.png").read_bytes()[:8] == PNG
    with pytest.raises(ValueError, match="no epochs"):
        plot_history(History(), tmp_path / "e.png")
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"chaingrad\[plot\]"):
        plot_history(h, tmp_path / "x.png")


# --------------------------------------------------------------------------------------------- results
# A 2-2-1 network has a well-known local minimum on XOR (loss ln(2)/2: two points left at probability
# 1/2); about half of random initialisations end there. We therefore fix the seeds: with this recipe
# (autograd.manual_seed(seed), MLP([2, 2, 1], tanh), BCE with logits, full-batch Adam lr 0.05, 1000
# epochs) seeds 0, 1, 4, 5, 6, 7, 9, 10, 11, 14 and 19 of 0..19 all reach 100 %; we test three of them.
@pytest.mark.parametrize("seed", [0, 1, 4])
def test_xor_221_network_reaches_100_percent(seed):
    X, y = xor()
    target = y.astype(np.float32).reshape(4, 1)
    autograd.manual_seed(seed)
    model = MLP([2, 2, 1], activation="tanh")
    loader = DataLoader(TensorDataset(X, target), batch_size=4)
    h = fit(model, BCEWithLogitsLoss(), optim.Adam(model.parameters(), lr=0.05), loader, epochs=1000,
            progress=False)
    assert evaluate(model, loader, BCEWithLogitsLoss())["accuracy"] == 1.0
    assert h.train_loss[-1] < 0.01
    with autograd.no_grad():
        assert (model(X).numpy().ravel() > 0).tolist() == [False, True, True, False]


def test_moons_mlp_reaches_97_percent_on_held_out_data():
    autograd.manual_seed(0)
    train, test = _moons_loaders(n=400)
    model = MLP([2, 16, 16, 2], activation="tanh")
    fit(model, CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.01), train, epochs=60, progress=False)
    assert evaluate(model, test)["accuracy"] >= 0.97


def test_digits_cnn_of_the_demo_reaches_97_percent():
    from nn.demo import DemoConfig, train_digits_cnn

    run = train_digits_cnn(DemoConfig(), progress=False)  # exactly the settings of `chaingrad demo`
    assert run.history.epochs == DemoConfig().epochs
    assert run.n_test == 360 and run.test_accuracy >= 0.97
    assert run.train_accuracy >= run.test_accuracy - 0.02


# ------------------------------------------------------------------------------------------ perceptron
@pytest.mark.parametrize("shuffle", [False, True])
def test_perceptron_never_solves_xor_but_the_feature_map_makes_it_separable(shuffle):
    X, y = xor()
    plain = Perceptron(shuffle=shuffle, seed=0).fit(X, y, epochs=1000)
    assert not plain.converged_ and len(plain.errors_) == 1000
    assert max(plain.accuracy_) < 1.0 and min(plain.errors_) >= 1  # no epoch is ever error-free
    mapped = Perceptron(shuffle=shuffle, seed=0).fit(feature_map_xor(X), y, epochs=1000)
    assert mapped.converged_ and mapped.score(feature_map_xor(X), y) == 1.0
    assert mapped.predict(feature_map_xor(X)).tolist() == [0, 1, 1, 0]


def test_perceptron_rule_and_feature_map_details():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    p = Perceptron(lr=1.0).fit(X, [-1, 1, 1, 1])  # OR with -1/+1 labels
    assert p.converged_ and p.predict(X).tolist() == [-1, 1, 1, 1]
    # the rule by hand, pattern by pattern: w += eta * t * x on each mistake (output -1 when w.x + b <= 0)
    w, b, eta = np.zeros(2), 0.0, 1.0
    for _ in range(100):
        mistakes = 0
        for x, t in zip(X, [-1, 1, 1, 1]):
            if (1 if x @ w + b > 0 else -1) != t:
                w, b, mistakes = w + eta * t * x, b + eta * t, mistakes + 1
        if mistakes == 0:
            break
    assert np.array_equal(p.weight, w) and p.bias == b
    assert p.errors_[-1] == 0 and p.errors_[0] > 0
    phi = feature_map_xor(Tensor(X, requires_grad=True))
    assert phi.tolist() == [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]]
    phi.sum().backward()  # differentiable for a Tensor input
    with pytest.raises(ValueError, match="expected exactly 2"):
        Perceptron().fit(X, [0, 1, 2, 1])
    with pytest.raises(RuntimeError, match="fit"):
        Perceptron().predict(X)


# ------------------------------------------------------------------------------------ scalar vs tensor
def test_scalar_and_tensor_mlps_agree_on_loss_and_gradients():
    from nn.scalar import MLP as ScalarMLP

    sizes = [3, 4, 5, 2]
    scalar = ScalarMLP(sizes[0], sizes[1:], seed=0)
    tensor_net = MLP(sizes, activation="relu", dtype=np.float64)
    rng = np.random.default_rng(0)
    linears = [m for m in tensor_net if isinstance(m, Linear)]
    for layer, lin in zip(scalar.layers, linears):
        for j, neuron in enumerate(layer.neurons):
            neuron.b.data = float(rng.normal())  # non-zero biases, so their gradients are tested too
            lin.bias.data[j] = neuron.b.data
            for i, w in enumerate(neuron.w):
                lin.weight.data[j, i] = w.data
    X = rng.normal(size=(6, 3))
    T = rng.normal(size=(6, 2))

    loss_s = 0.0
    for x, t in zip(X, T):
        out = scalar(list(x))
        for o, ti in zip(out, t):
            loss_s = loss_s + (o - float(ti)) ** 2
    loss_s = loss_s * (1.0 / T.size)
    loss_s.backward()

    loss_t = mse_loss(tensor_net(Tensor(X)), Tensor(T))
    loss_t.backward()
    assert str(loss_t.dtype) == "float64"
    assert abs(loss_s.data - loss_t.item()) < 1e-10
    for layer, lin in zip(scalar.layers, linears):
        for j, neuron in enumerate(layer.neurons):
            assert abs(neuron.b.grad - lin.bias.grad.numpy()[j]) < 1e-10
            for i, w in enumerate(neuron.w):
                assert abs(w.grad - lin.weight.grad.numpy()[j, i]) < 1e-10
