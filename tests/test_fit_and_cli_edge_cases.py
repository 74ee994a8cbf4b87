"""Edge cases of ``nn.train.fit`` / ``evaluate`` / ``plot_history``, ``nn.save`` and ``chaingrad train``.

Each test pins a bug that was reproduced: accuracy of probability outputs, NaN losses (training and
validation), metric names, argument types, the command line's refusals, folders for ``save`` and
one-epoch plots.
"""

from __future__ import annotations

import math
import os
import struct

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from nn import optim
from nn.cli import main
from nn.data import DataLoader, TensorDataset, xor
from nn.layers import Linear, Sigmoid, Tanh
from nn.losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, binary_cross_entropy
from nn.module import Sequential
from nn.serialization import load, save
from nn.train import History, evaluate, fit, plot_history

XOR_LABELS = [0, 1, 1, 0]


def _xor_loader(float_targets: bool = False) -> DataLoader:
    X, y = xor()
    if float_targets:
        y = Tensor(y.numpy().astype(np.float32).reshape(-1, 1))
    return DataLoader(TensorDataset(X, y), batch_size=4)


def _xor_classifier() -> Sequential:
    autograd.manual_seed(0)
    return Sequential(Linear(2, 8), Tanh(), Linear(8, 2))


def _weights(model) -> dict[str, np.ndarray]:
    return {k: np.array(v, copy=True) for k, v in model.state_dict().items()}


def _all_finite(model) -> bool:
    return all(np.isfinite(v).all() for v in model.state_dict().values())


def _fixed_outputs(values):
    """A 'model' that always returns the given one-column outputs (so accuracies are known exactly)."""
    out = Tensor(np.asarray(values, dtype=np.float32).reshape(-1, 1))
    return lambda x: out


# ============================================================================ 1. accuracy thresholds
def test_fit_reports_the_true_accuracy_of_a_sigmoid_model_trained_with_bce():
    autograd.manual_seed(0)
    model = Sequential(Linear(2, 8), Tanh(), Linear(8, 1), Sigmoid())
    loader = _xor_loader(float_targets=True)
    h = fit(model, BCELoss(), optim.Adam(model.parameters(), lr=0.1), loader, epochs=300, progress=False)
    X, _ = xor()
    model.eval()
    probabilities = model(X).numpy().ravel()
    assert (probabilities > 0.5).astype(int).tolist() == XOR_LABELS  # the model did learn xor ...
    assert h.train_acc[-1] == 1.0                                   # ... and fit says so
    assert evaluate(model, loader, BCELoss())["accuracy"] == 1.0


def test_evaluate_picks_the_threshold_from_the_loss():
    loader = _xor_loader(float_targets=True)
    probabilities = _fixed_outputs([0.2, 0.7, 0.9, 0.1])  # right at 0.5, all "class 1" at 0
    assert evaluate(probabilities, loader, BCELoss())["accuracy"] == 1.0
    assert evaluate(probabilities, loader, binary_cross_entropy)["accuracy"] == 1.0
    logits = _fixed_outputs([-1.0, 0.3, 3.0, -2.0])       # right at 0, 0.3 is wrong at 0.5
    assert evaluate(logits, loader, BCEWithLogitsLoss())["accuracy"] == 1.0
    assert evaluate(logits, loader)["accuracy"] == 1.0


def test_an_explicit_threshold_overrides_the_default():
    loader = _xor_loader(float_targets=True)
    probabilities = _fixed_outputs([0.2, 0.7, 0.9, 0.1])
    assert evaluate(probabilities, loader, MSELoss())["accuracy"] == 0.5          # logits rule
    assert evaluate(probabilities, loader, MSELoss(), threshold=0.5)["accuracy"] == 1.0
    with pytest.raises(ValueError, match="threshold=nan"):
        evaluate(probabilities, loader, MSELoss(), threshold=math.nan)


def test_fit_passes_its_threshold_to_training_and_validation_accuracy():
    autograd.manual_seed(0)
    model = Sequential(Linear(2, 8), Tanh(), Linear(8, 1), Sigmoid())
    loader = _xor_loader(float_targets=True)
    h = fit(model, MSELoss(), optim.Adam(model.parameters(), lr=0.1), loader, epochs=400, val_loader=loader,
            progress=False, threshold=0.5)
    model.eval()
    X, _ = xor()
    assert (model(X).numpy().ravel() > 0.5).astype(int).tolist() == XOR_LABELS
    assert h.val_acc[-1] == 1.0


# ============================================================================ 2. NaN training loss
class _NanOnCall:
    """CrossEntropyLoss whose ``nan_call``-th call returns NaN (as a diverging run would)."""

    def __init__(self, nan_call: int) -> None:
        self.calls = 0
        self.nan_call = nan_call

    def __call__(self, outputs, targets):
        self.calls += 1
        loss = CrossEntropyLoss()(outputs, targets)
        return loss * math.nan if self.calls == self.nan_call else loss


def test_a_nan_training_loss_leaves_the_weights_and_optimizer_state_untouched():
    model = _xor_classifier()
    opt = optim.Adam(model.parameters(), lr=0.05)
    before = {}

    def remember(epoch, history):
        before.update(_weights(model))

    with pytest.raises(FloatingPointError, match=r"became nan in epoch 3.*keeps the weights") as info:
        fit(model, _NanOnCall(3), opt, _xor_loader(), epochs=5, progress=False, callback=remember)
    assert _all_finite(model)
    for name, value in _weights(model).items():           # the NaN step was never taken
        np.testing.assert_array_equal(value, before[name])
    for state in opt.state_dict()["state"].values():
        for value in state.values():
            assert np.isfinite(np.asarray(value, dtype=np.float64)).all()
    history = info.value.history                           # the completed epochs are not lost
    assert history.epochs == 2 and len(history.lr) == 2
    assert not history.restored_best


def test_a_nan_training_loss_restores_the_best_weights_with_early_stopping():
    model = _xor_classifier()
    snapshots = []
    with pytest.raises(FloatingPointError, match="weights of the best epoch 4 were restored") as info:
        fit(model, _NanOnCall(5), optim.Adam(model.parameters(), lr=0.05), _xor_loader(), epochs=10,
            early_stopping_patience=3, progress=False,
            callback=lambda epoch, history: snapshots.append(_weights(model)))
    history = info.value.history
    assert history.restored_best and history.best_epoch == 3
    for name, value in _weights(model).items():
        np.testing.assert_array_equal(value, snapshots[3][name])


def test_fit_documents_the_floating_point_error():
    assert "FloatingPointError" in fit.__doc__.split("Raises")[1]


# ============================================================================ 3. NaN validation loss
class _ValLoader:
    """A validation loader over xor whose inputs become NaN from epoch ``nan_from`` (1-based) on."""

    def __init__(self, nan_from: int) -> None:
        self.epoch = 0
        self.nan_from = nan_from

    def __len__(self) -> int:
        return 1

    def __iter__(self):
        self.epoch += 1
        X, y = xor()
        x = X.numpy().copy()
        if self.epoch >= self.nan_from:
            x[0, 0] = np.nan
        yield Tensor(x), y


def test_a_nan_validation_loss_raises_instead_of_becoming_the_best_epoch():
    model = _xor_classifier()
    with pytest.raises(FloatingPointError, match="validation loss became nan after epoch 1") as info:
        fit(model, CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.05), _xor_loader(), epochs=6,
            val_loader=_ValLoader(nan_from=1), early_stopping_patience=2, progress=False)
    history = info.value.history
    assert history.best_epoch is None and not history.restored_best
    assert math.isnan(history.val_loss[0])


def test_a_nan_validation_loss_later_restores_the_best_weights():
    model = _xor_classifier()
    snapshots = []
    with pytest.raises(FloatingPointError, match="best epoch 3 were restored"):
        fit(model, CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.05), _xor_loader(), epochs=8,
            val_loader=_ValLoader(nan_from=4), early_stopping_patience=5, progress=False,
            callback=lambda epoch, history: snapshots.append(_weights(model)))
    for name, value in _weights(model).items():
        np.testing.assert_array_equal(value, snapshots[2][name])


# ============================================================================ 4. metric names
def test_two_metrics_with_the_same_name_are_refused():
    model = _xor_classifier()
    twice = [lambda out, y: 1.0, lambda out, y: 2.0]
    with pytest.raises(ValueError, match="two metrics are named '<lambda>'"):
        fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), _xor_loader(), epochs=1,
            metrics=twice, progress=False)
    with pytest.raises(ValueError, match="two metrics are named 'accuracy'"):
        fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), _xor_loader(), epochs=1,
            metrics=["accuracy", "acc"], progress=False)
    with pytest.raises(ValueError, match="evaluate: two metrics are named '<lambda>'"):
        evaluate(model, _xor_loader(), CrossEntropyLoss(), metrics=twice)


def test_distinct_function_metrics_are_kept_apart():
    def one(out, y):
        return 1.0

    def two(out, y):
        return 2.0

    model = _xor_classifier()
    h = fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), _xor_loader(), epochs=2,
            metrics=[one, two], progress=False)
    assert h.metrics == {"train_one": [1.0, 1.0], "train_two": [2.0, 2.0]}


# ============================================================================ 5. argument types
def test_a_single_metric_string_or_function_is_one_metric():
    model = _xor_classifier()
    h = fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), _xor_loader(), epochs=2,
            val_loader=_xor_loader(), metrics="accuracy", progress=False)
    assert len(h.train_acc) == 2 and len(h.val_acc) == 2

    def half(out, y):
        return 0.5

    h = fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1), _xor_loader(), epochs=1,
            metrics=half, progress=False)
    assert h.metrics == {"train_half": [0.5]} and h.train_acc == []
    assert set(evaluate(model, _xor_loader(), metrics="acc")) == {"accuracy"}


def test_numpy_integer_patience_is_accepted():
    model = _xor_classifier()
    # lr 0 never improves the loss, so patience 2 stops after epoch 3
    h = fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.0), _xor_loader(),
            epochs=np.int64(10), early_stopping_patience=np.int64(2), progress=False)
    assert h.stopped_early and h.epochs == 3 and h.restored_best
    with pytest.raises(ValueError, match="early_stopping_patience"):
        fit(model, CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.0), _xor_loader(), epochs=1,
            early_stopping_patience=np.int64(0), progress=False)


# ============================================================================ 6. chaingrad train
def _train(tmp_path, *extra: str) -> list[str]:
    return ["train", "--dataset", "xor", "--hidden", "4", "--epochs", "2", "--no-progress",
            "--out", str(tmp_path / "out"), *extra]


def _refused(capsys, argv) -> str:
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 2, captured
    assert captured.err.startswith("chaingrad: error: ") and captured.err.count("\n") == 1, captured.err
    assert "train accuracy" not in captured.out  # refused before any training
    return captured.err


@pytest.mark.skipif(not os.path.isdir("/sys/kernel"), reason="needs sysfs")
def test_train_refuses_an_unwritable_out_before_training(capsys):
    err = _refused(capsys, ["train", "--dataset", "xor", "--epochs", "2", "--no-progress",
                            "--out", "/sys/kernel"])
    assert "--out" in err and "/sys/kernel" in err


def test_train_refuses_an_out_below_a_file(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    err = _refused(capsys, ["train", "--dataset", "xor", "--epochs", "2", "--no-progress",
                            "--out", str(tmp_path / "file" / "sub")])
    assert "--out" in err
    err = _refused(capsys, ["train", "--dataset", "xor", "--epochs", "2", "--no-progress",
                            "--out", str(tmp_path / "file")])
    assert "not a directory" in err


@pytest.mark.parametrize("name", ["mlp_xor.npz", "mlp_xor_history.png", "mlp_xor_boundary.png"])
def test_train_refuses_an_output_path_that_is_a_directory(tmp_path, capsys, name):
    (tmp_path / "out" / name).mkdir(parents=True)
    err = _refused(capsys, _train(tmp_path))
    assert name in err and "is a directory" in err


def test_train_reports_a_diverging_run_in_one_line(tmp_path, capsys):
    status = main(_train(tmp_path, "--lr", "1e300"))
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err.startswith("chaingrad: error: training diverged") and captured.err.count("\n") == 1
    assert "--lr" in captured.err
    assert not (tmp_path / "out" / "mlp_xor.npz").exists()


@pytest.mark.parametrize("option, value, expected", [
    ("--noise", "inf", "--noise: got inf; expected a finite"),
    ("--lr", "inf", "--lr: got inf; expected a finite positive"),
])
def test_train_refuses_non_finite_numbers(tmp_path, capsys, option, value, expected):
    argv = ["train", "--dataset", "moons", "--samples", "40", "--epochs", "1", "--no-progress",
            "--out", str(tmp_path / "out"), f"{option}={value}"]
    assert expected in _refused(capsys, argv)


@pytest.mark.parametrize("value", ["-1", "nan", "inf"])
def test_train_refuses_a_bad_sgd_momentum(tmp_path, capsys, value):
    err = _refused(capsys, _train(tmp_path, "--optimizer", "sgd", "--momentum", value))
    assert f"--momentum: got {float(value)}" in err


def _idx(array: np.ndarray) -> bytes:
    array = np.asarray(array, dtype=np.uint8)
    return struct.pack(">I", 0x0800 | array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape) \
        + array.tobytes()


def _write_mnist(data_dir, train_shape, test_shape) -> None:
    data_dir.mkdir()
    rng = np.random.default_rng(0)
    for prefix, n, (h, w) in (("train", 20, train_shape), ("t10k", 10, test_shape)):
        (data_dir / f"{prefix}-images-idx3-ubyte").write_bytes(_idx(rng.integers(0, 255, (n, h, w))))
        (data_dir / f"{prefix}-labels-idx1-ubyte").write_bytes(_idx(np.arange(n) % 10))


def test_train_cnn_refuses_non_square_images(tmp_path, capsys):
    _write_mnist(tmp_path / "mnist", (8, 12), (8, 12))
    err = _refused(capsys, ["train", "--model", "cnn", "--dataset", f"mnist:{tmp_path / 'mnist'}",
                            "--epochs", "1", "--no-progress", "--out", str(tmp_path / "out")])
    assert "(1, 8, 12)" in err and "square" in err


def test_train_refuses_mnist_files_with_different_image_sizes(tmp_path, capsys):
    _write_mnist(tmp_path / "mnist", (8, 8), (10, 10))
    err = _refused(capsys, ["train", "--dataset", f"mnist:{tmp_path / 'mnist'}", "--epochs", "1",
                            "--no-progress", "--out", str(tmp_path / "out")])
    assert "(64,)" in err and "(100,)" in err


# ============================================================================ 7. save makes folders
def test_save_creates_missing_folders(tmp_path):
    model = Linear(2, 1)
    path = tmp_path / "a" / "b" / "model.npz"
    save(model, path)
    assert list(load(path)) == ["weight", "bias"]
    assert sorted(os.listdir(path.parent)) == ["model.npz"]  # no temporary file left behind


def test_save_refuses_a_directory_as_path_and_keeps_it(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(OSError):
        save({"w": np.zeros(1)}, tmp_path / "d")
    assert (tmp_path / "d").is_dir() and os.listdir(tmp_path) == ["d"]


def test_the_readme_networks_example_runs_in_a_fresh_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from nn import data

    X, y = data.moons(n_samples=40, noise=0.1, seed=0)
    model = nn.MLP([2, 4, 2])
    loader = data.DataLoader(data.TensorDataset(X, y), batch_size=32, shuffle=True, seed=0)
    fit(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.01), loader, epochs=1,
        progress=False)
    nn.save(model, "out/moons.npz")
    assert list(nn.load(tmp_path / "out" / "moons.npz")) == list(model.state_dict())


# ============================================================================ 8. one-epoch plots
def _c0_pixels_in_the_middle(path) -> int:
    """Pixels of the train curve's colour (C0) in the middle columns, where a lone epoch lands (the
    legend, whose sample line is C0 too, sits in a corner)."""
    from matplotlib.image import imread

    image = imread(path)[..., :3]
    h, w = image.shape[:2]
    middle = image[int(h * 0.1):int(h * 0.9), int(w * 0.4):int(w * 0.7)]
    c0 = np.array([0x1F, 0x77, 0xB4]) / 255.0
    return int((np.abs(middle - c0).max(axis=-1) < 0.1).sum())


def test_plot_history_draws_a_one_epoch_history(tmp_path):
    pytest.importorskip("matplotlib")
    path = plot_history(History(train_loss=[0.7], best_epoch=0), tmp_path / "one.png", mark_best=False)
    assert _c0_pixels_in_the_middle(path) > 0


def test_ctrl_c_gives_one_line_and_exit_130(monkeypatch, capsys):
    import nn.cli as cli

    def interrupted(args):
        raise KeyboardInterrupt

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parsed = type("Args", (), {"_run": staticmethod(interrupted)})()
    monkeypatch.setattr(parser, "parse_args", lambda argv: parsed)
    assert cli.main(["train"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "chaingrad: interrupted; files not yet written were not saved"
