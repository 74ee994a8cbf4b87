"""The ``chaingrad train`` and ``chaingrad demo`` subcommands, run in-process through ``nn.cli.main``."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import struct

import numpy as np
import pytest

import autograd
import nn
from nn.cli import main
from nn.data import DataLoader, TensorDataset, digits, moons, train_test_split, xor
from nn.demo import make_cnn
from nn.mlp import MLP

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HAS_DOT = shutil.which("dot") is not None


def _printed_accuracy(text: str, which: str) -> float:
    match = re.search(rf"{which} accuracy\s+([0-9.]+)%", text)
    assert match, f"no '{which} accuracy' line in:\n{text}"
    return float(match.group(1)) / 100.0


def _accuracy(model, X, y) -> float:
    model.eval()
    with autograd.no_grad():
        scores = model(X).numpy()
    return float(np.mean(scores.argmax(axis=1) == y.numpy()))


def _error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("chaingrad: error: "), err
    return err


# ================================================================================================ train
def test_train_mlp_on_moons(tmp_path, capsys):
    out = tmp_path / "run"
    status = main(["train", "--model", "mlp", "--dataset", "moons", "--epochs", "40", "--seed", "0",
                   "--no-progress", "--out", str(out)])
    printed = capsys.readouterr().out
    assert status == 0
    checkpoint = out / "mlp_moons.npz"
    assert checkpoint.is_file()
    assert (out / "mlp_moons_history.png").read_bytes()[:8] == PNG_MAGIC
    assert (out / "mlp_moons_boundary.png").read_bytes()[:8] == PNG_MAGIC
    assert str(checkpoint) in printed

    # the checkpoint loads into the network the defaults describe (2-16-16-2, tanh) ...
    state = nn.load(checkpoint)
    model = MLP([2, 16, 16, 2], activation="tanh")
    assert model.load_state_dict(state) == ([], [])
    # ... and reproduces the printed test accuracy on the same split (moons(200), 20 %, stratified, seed 0)
    X, y = moons(200, noise=0.1, seed=0)
    _, X_te, _, y_te = train_test_split(X, y, test_size=0.2, seed=0, stratify=y)
    test_acc = _printed_accuracy(printed, "test")
    assert _accuracy(model, X_te, y_te) == pytest.approx(test_acc, abs=5e-5)
    assert test_acc >= 0.9


def test_train_on_xor(tmp_path, capsys):
    status = main(["train", "--dataset", "xor", "--hidden", "8", "--no-progress", "--out", str(tmp_path)])
    printed = capsys.readouterr().out
    assert status == 0
    assert _printed_accuracy(printed, "test") == 1.0
    model = MLP([2, 8, 2], activation="tanh")
    model.load_state_dict(nn.load(tmp_path / "mlp_xor.npz"))
    X, y = xor()
    assert _accuracy(model, X, y) == 1.0
    assert (tmp_path / "mlp_xor_history.png").read_bytes()[:8] == PNG_MAGIC


def _idx(array: np.ndarray) -> bytes:
    array = np.asarray(array, dtype=np.uint8)
    return struct.pack(">I", 0x0800 | array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape) \
        + array.tobytes()


def _write_tiny_mnist(directory, n_train: int = 40, n_test: int = 20, side: int = 8) -> None:
    """Tiny MNIST-format files: class k is a bright horizontal bar in row k % side, plus noise."""
    rng = np.random.default_rng(0)
    directory.mkdir(parents=True, exist_ok=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = (np.arange(n) % 10).astype(np.uint8)
        images = rng.integers(0, 40, size=(n, side, side)).astype(np.uint8)
        for i, k in enumerate(labels):
            images[i, k % side, :] = 250
        (directory / f"{prefix}-images-idx3-ubyte").write_bytes(_idx(images))
        (directory / f"{prefix}-labels-idx1-ubyte").write_bytes(_idx(labels))


@pytest.mark.parametrize("model", ["cnn", "mlp"])
def test_train_on_mnist_files(tmp_path, capsys, model):
    data_dir = tmp_path / "mnist"
    _write_tiny_mnist(data_dir)
    out = tmp_path / "out"
    status = main(["train", "--model", model, "--dataset", f"mnist:{data_dir}", "--epochs", "2",
                   "--batch-size", "8", "--no-progress", "--out", str(out)])
    printed = capsys.readouterr().out
    assert status == 0
    assert "40 training / 20 test" in printed
    state = nn.load(out / f"{model}_mnist.npz")
    net = make_cnn(image_size=8, n_classes=10) if model == "cnn" else MLP([64, 16, 16, 10], activation="tanh")
    assert net.load_state_dict(state) == ([], [])
    assert (out / f"{model}_mnist_history.png").read_bytes()[:8] == PNG_MAGIC
    assert not (out / f"{model}_mnist_boundary.png").exists()  # not 2-D data


def test_train_unknown_dataset(tmp_path, capsys):
    status = main(["train", "--dataset", "iris", "--out", str(tmp_path)])
    assert status != 0
    err = _error_line(capsys)
    assert "iris" in err and "moons" in err  # names the bad value and the choices
    assert not list(tmp_path.iterdir())


def test_train_mnist_path_missing(tmp_path, capsys):
    missing = tmp_path / "no_such_dir"
    status = main(["train", "--dataset", f"mnist:{missing}", "--out", str(tmp_path / "out")])
    assert status != 0
    assert "no_such_dir" in _error_line(capsys)
    assert not (tmp_path / "out").exists()


def test_train_mnist_file_missing(tmp_path, capsys):
    data_dir = tmp_path / "mnist"
    _write_tiny_mnist(data_dir)
    (data_dir / "t10k-labels-idx1-ubyte").unlink()
    status = main(["train", "--dataset", f"mnist:{data_dir}", "--out", str(tmp_path / "out")])
    assert status != 0
    assert "t10k-labels-idx1-ubyte" in _error_line(capsys)


def test_train_mnist_without_path(tmp_path, capsys):
    assert main(["train", "--dataset", "mnist", "--out", str(tmp_path)]) != 0
    assert "mnist:" in _error_line(capsys)


@pytest.mark.parametrize("argv, needle", [
    (["--model", "cnn", "--dataset", "moons"], "cnn"),
    (["--model", "rnn"], "rnn"),
    (["--epochs", "0", "--dataset", "xor"], "--epochs"),
    (["--hidden", "4,x", "--dataset", "xor"], "--hidden"),
    (["--epochs", "many"], "many"),
])
def test_train_bad_arguments(tmp_path, capsys, argv, needle):
    status = main(["train", *argv, "--no-progress", "--out", str(tmp_path)])
    assert status != 0
    assert needle in _error_line(capsys)


def _main_status(argv: list[str]) -> int:
    """``main(argv)``, failing the test (not erroring) when it lets an exception escape."""
    try:
        return main(argv)
    except Exception as exc:  # noqa: BLE001 - the point is that nothing may escape main()
        pytest.fail(f"main({argv!r}) raised {type(exc).__name__}: {exc}; expected exit status 2 and a "
                    "'chaingrad: error:' line")


# Data-set arguments that the data generators refuse must come back as a usage error (exit 2, one line
# on stderr), like every other refused argument, not as a traceback.
@pytest.mark.parametrize("argv, needle", [
    (["--dataset", "moons", "--noise", "-1"], "noise"),
    (["--dataset", "moons", "--samples", "1"], "n_samples"),
    (["--dataset", "spirals", "--classes", "1"], "n_classes"),
])
def test_train_refused_dataset_arguments_are_usage_errors(tmp_path, capsys, argv, needle):
    status = _main_status(["train", *argv, "--epochs", "1", "--no-progress", "--out", str(tmp_path)])
    assert status == 2
    assert needle in _error_line(capsys)


def test_train_zero_samples_is_refused(tmp_path, capsys):
    # --samples 0 must not silently train on the default 200 points
    status = _main_status(["train", "--dataset", "moons", "--samples", "0", "--epochs", "1", "--no-progress",
                           "--out", str(tmp_path)])
    assert status == 2
    assert "samples" in _error_line(capsys)
    assert not (tmp_path / "mlp_moons.npz").exists()


def test_train_cnn_on_images_too_small_is_usage_error(tmp_path, capsys):
    data_dir = tmp_path / "mnist"
    _write_tiny_mnist(data_dir, side=2)  # 2x2 images: the CNN's two 2x2 poolings need at least 4x4
    status = _main_status(["train", "--model", "cnn", "--dataset", f"mnist:{data_dir}", "--epochs", "1",
                           "--no-progress", "--out", str(tmp_path / "out")])
    assert status == 2
    assert re.search(r"image|cnn", _error_line(capsys))


# ================================================================================================= demo
@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """Run the real ``chaingrad demo`` once (default settings: 20 epochs, seed 0)."""
    out = tmp_path_factory.mktemp("demo")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(["demo", "--out", str(out), "--no-progress"])
    return status, buffer.getvalue(), out


def test_demo_exit_status_and_accuracy(demo_run):
    status, printed, _ = demo_run
    assert status == 0
    assert _printed_accuracy(printed, "test") >= 0.97
    assert _printed_accuracy(printed, "train") >= 0.97
    assert "/360 held-out images" in printed
    # part 1 prints sigma and its gradient at (1/2, pi, 1, 1): with E = e^(1 + sqrt(2)/2), U = 1 + E,
    # sigma = 1/U, sigma_x = pi sqrt(2) E / (2 U^2) (SPEC erratum: the book prints half of it),
    # sigma_y = E sin(pi/4) / (4 U^2), sigma_z = -E / U^2, sigma_w = -1 / U^2
    E = np.exp(1.0 + np.sqrt(2.0) / 2.0)
    U = 1.0 + E
    expected = {
        "f": 1.0 / U, "df/dx": np.pi * np.sqrt(2.0) * E / (2.0 * U * U),
        "df/dy": E * np.sin(np.pi / 4.0) / (4.0 * U * U), "df/dz": -E / (U * U), "df/dw": -1.0 / (U * U),
    }
    for name, value in expected.items():
        match = re.search(rf"^{re.escape(name)} = (\S+)$", printed, flags=re.MULTILINE)
        assert match, name
        assert float(match.group(1)) == pytest.approx(value, rel=1e-12), name


def test_demo_writes_its_files(demo_run):
    _, printed, out = demo_run
    checkpoint = out / "digits_cnn.npz"
    plot = out / "digits_cnn_history.png"
    assert checkpoint.is_file() and str(checkpoint) in printed
    assert plot.read_bytes()[:8] == PNG_MAGIC
    if HAS_DOT:
        sigma, graph = out / "sigma.svg", out / "digits_cnn_graph.svg"
        assert b"<svg" in sigma.read_bytes()
        assert b"<svg" in graph.read_bytes()
    else:
        sigma, graph = out / "sigma.dot", out / "digits_cnn_graph.dot"
        assert sigma.read_text().lstrip().startswith("digraph")
        assert graph.read_text().lstrip().startswith("digraph")
    assert sigma.stat().st_size > 0 and graph.stat().st_size > 0


def test_demo_checkpoint_reproduces_reported_accuracy(demo_run):
    _, printed, out = demo_run
    model = make_cnn()
    assert model.load_state_dict(nn.load(out / "digits_cnn.npz")) == ([], [])
    X, y = digits()
    _, X_te, _, y_te = train_test_split(X, y, test_size=0.2, stratify=y, seed=0)
    assert len(y_te) == 360
    loader = DataLoader(TensorDataset(X_te, y_te), batch_size=512)
    model.eval()
    correct = 0
    with autograd.no_grad():
        for xb, yb in loader:
            correct += int((model(xb).numpy().argmax(axis=1) == yb.numpy()).sum())
    match = re.search(r"\((\d+)/360 held-out images\)", printed)
    assert match
    assert correct == int(match.group(1))
    assert correct / 360 == pytest.approx(_printed_accuracy(printed, "test"), abs=5e-5)
    assert correct / 360 >= 0.97


def test_demo_refuses_zero_epochs(tmp_path, capsys):
    assert main(["demo", "--epochs", "0", "--out", str(tmp_path)]) != 0
    assert "--epochs" in _error_line(capsys)
