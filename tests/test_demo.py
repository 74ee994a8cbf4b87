"""The demo and the ``chaingrad demo`` / ``chaingrad train`` subcommands, run in-process."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pytest

import autograd
from nn.cli import SUBCOMMANDS, main
from nn.data import DataLoader, TensorDataset, digits, train_test_split
from nn.demo import DemoConfig, make_cnn, sigma_example
from nn.serialization import load
from nn.train import evaluate

PNG = b"\x89PNG\r\n\x1a\n"


def _number(text: str, pattern: str) -> float:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not found in:\n{text}"
    return float(match.group(1))


def test_sigma_example_prints_the_true_gradient_and_draws_the_graph(tmp_path):
    out = io.StringIO()
    picture = sigma_example(tmp_path, stdout=out)
    text = out.getvalue()
    E = math.exp(1 + math.sqrt(2) / 2)
    U = 1 + E
    assert _number(text, r"f = (\S+)") == pytest.approx(1 / U, rel=1e-12)
    # the true dsigma/dx (the textbook's (9.52)-(9.54) print half of it; see SPEC.md errata)
    true_dx = math.pi * math.sqrt(2) * E / (2 * U**2)
    assert _number(text, r"df/dx = (\S+)") == pytest.approx(true_dx, rel=1e-12)
    assert _number(text, r"df/dw = (\S+)") == pytest.approx(-1 / U**2, rel=1e-12)
    assert "local derivatives:   10" in text and "multiplications:     9" in text
    assert picture.exists() and picture.stat().st_size > 0 and str(picture) in text


def test_make_cnn_layout():
    model = make_cnn()
    assert [type(m).__name__ for m in model] == ["Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d",
                                                 "Flatten", "Linear"]
    assert model[7].weight.shape == (10, 64)
    assert make_cnn(image_size=28)(autograd.zeros(3, 1, 28, 28)).shape == (3, 10)
    assert DemoConfig().epochs == 20  # the real demo; the test below uses fewer epochs on purpose


def test_chaingrad_demo_writes_every_file(tmp_path, capsys):
    # A shortened run (2 epochs instead of the demo's 20) to check the plumbing; the accuracy of the
    # real settings is tested in tests/test_train.py::test_digits_cnn_of_the_demo_reaches_97_percent.
    assert "demo" in SUBCOMMANDS
    status = main(["demo", "--epochs", "2", "--out", str(tmp_path), "--no-progress"])
    text = capsys.readouterr().out
    assert status == 0
    names = ["sigma.svg", "digits_cnn.npz", "digits_cnn_history.png", "digits_cnn_graph.svg"]
    for name in names:
        assert (tmp_path / name).stat().st_size > 0
        assert str(tmp_path / name) in text  # the demo says where each file went
    assert (tmp_path / "digits_cnn_history.png").read_bytes()[:8] == PNG
    graph = (tmp_path / "digits_cnn_graph.svg").read_text()
    assert "conv2d" in graph and "0.weight" in graph and "max_pool2d" in graph
    assert "0 (Conv2d)" in graph  # each module call is a box
    assert graph.count("grad \u2014") == 1  # every gradient is shown but the input x's
    assert "f = 0.1535393562137" in text

    # the checkpoint reproduces the reported test accuracy on the same stratified split
    reported = _number(text, r"test accuracy\s+([\d.]+)%") / 100
    model = make_cnn()
    model.load_state_dict(load(tmp_path / "digits_cnn.npz"))
    X, y = digits()
    _, X_te, _, y_te = train_test_split(X, y, test_size=0.2, stratify=y, seed=0)
    acc = evaluate(model, DataLoader(TensorDataset(X_te, y_te), batch_size=512))["accuracy"]
    assert acc == pytest.approx(reported, abs=1e-4)


def test_chaingrad_demo_refuses_bad_epochs(capsys):
    assert main(["demo", "--epochs", "0"]) == 2
    assert "--epochs: got 0" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------- train
def test_chaingrad_train_mlp_on_xor(tmp_path, capsys):
    status = main(["train", "--dataset", "xor", "--hidden", "4", "--epochs", "300", "--out", str(tmp_path),
                   "--no-progress", "--seed", "0"])
    text = capsys.readouterr().out
    assert status == 0
    assert "train accuracy 100.00%" in text and "test accuracy  100.00%" in text
    for name in ("mlp_xor.npz", "mlp_xor_history.png", "mlp_xor_boundary.png"):
        assert (tmp_path / name).stat().st_size > 0 and str(tmp_path / name) in text
    state = load(tmp_path / "mlp_xor.npz")
    assert [v.shape for v in state.values()] == [(4, 2), (4,), (2, 4), (2,)]


def test_chaingrad_train_mlp_on_moons_with_sgd(tmp_path, capsys):
    status = main(["train", "--dataset", "moons", "--optimizer", "sgd", "--epochs", "60", "--hidden", "16,16",
                   "--out", str(tmp_path), "--no-progress"])
    text = capsys.readouterr().out
    assert status == 0 and _number(text, r"test accuracy\s+([\d.]+)%") >= 95.0


def test_chaingrad_train_cnn_on_digits(tmp_path, capsys):
    status = main(["train", "--model", "cnn", "--dataset", "digits", "--epochs", "2", "--out", str(tmp_path),
                   "--no-progress", "--lr", "0.01", "--batch-size", "32"])
    text = capsys.readouterr().out
    assert status == 0 and "1437 training / 360 test" in text
    assert _number(text, r"test accuracy\s+([\d.]+)%") > 50.0  # 2 epochs: far above chance (10 %)
    assert (tmp_path / "cnn_digits.npz").exists() and not (tmp_path / "cnn_digits_boundary.png").exists()


def _idx(array: np.ndarray) -> bytes:
    return bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape) + \
        array.astype(np.uint8).tobytes()


def test_chaingrad_train_reads_mnist_files(tmp_path, capsys):
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 40), ("t10k", 10)):
        (tmp_path / f"{prefix}-images-idx3-ubyte").write_bytes(_idx(rng.integers(0, 256, (n, 28, 28))))
        (tmp_path / f"{prefix}-labels-idx1-ubyte").write_bytes(_idx(np.arange(n) % 10))
    out = tmp_path / "out"
    status = main(["train", "--model", "cnn", "--dataset", f"mnist:{tmp_path}", "--epochs", "1",
                   "--out", str(out), "--no-progress"])
    text = capsys.readouterr().out
    assert status == 0 and "40 training / 10 test" in text and (out / "cnn_mnist.npz").exists()
    assert load(out / "cnn_mnist.npz")["7.weight"].shape == (10, 16 * 7 * 7)


@pytest.mark.parametrize("argv, message", [
    (["--model", "cnn", "--dataset", "moons"], "--model cnn needs images"),
    (["--dataset", "iris"], "--dataset: got 'iris'"),
    (["--dataset", "mnist"], "mnist:PATH"),
    (["--dataset", "mnist:/nonexistent/dir"], "is not a directory"),
    (["--hidden", "16,x"], "--hidden: got '16,x'"),
    (["--epochs", "0"], "--epochs: got 0"),
    (["--lr", "-1"], "--lr: got -1.0"),
    (["--optimizer", "lbfgs"], "invalid choice"),
])
def test_chaingrad_train_refuses_bad_arguments(argv, message, capsys, tmp_path):
    assert main(["train", *argv, "--out", str(tmp_path), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chaingrad: error:") and message in err
