"""``chaingrad demo``: the library end to end, in under a minute.

1. The textbook's sigma example (Example 9.3.1): ``sigma = 1/(w + exp(z + cos(y x^2)))`` at
   ``(x, y, z, w) = (1/2, pi, 1, 1)``: its value, its four partial derivatives, the operation counts and
   a picture of the computation graph with every value and gradient (``sigma.svg``).
2. A small CNN (two 3x3 convolutions with ReLU and 2x2 max pooling, then a linear layer) trained with
   Adam on the 8x8 handwritten digits, with a stratified 20 % test split that is never used to choose
   anything; it reaches about 99 % test accuracy. The checkpoint (``digits_cnn.npz``), the loss and
   accuracy curves (``digits_cnn_history.png``) and the graph of one forward and backward pass on a
   single image (``digits_cnn_graph.svg``) are written to the output directory.

Examples
--------
>>> from nn.demo import make_cnn
>>> import autograd
>>> make_cnn()(autograd.zeros(2, 1, 8, 8)).shape
(2, 10)
"""

from __future__ import annotations

import argparse
import pathlib
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TextIO

import autograd
from autograd import Tensor, cli_grad

from .data import DataLoader, TensorDataset, digits, train_test_split
from .train import History, evaluate, fit, plot_history

__all__ = [
    "SIGMA", "SIGMA_POINT", "DemoConfig", "DemoResult", "TrainedCNN", "make_cnn", "sigma_example",
    "train_digits_cnn", "draw_network_graph", "run_demo", "configure", "run",
]

#: The textbook's sigma (Example 9.3.1, Fig. 9.2), in the syntax of ``chaingrad grad``.
SIGMA = "1/(w + exp(z + cos(y*x**2)))"
#: The point of Example 9.3.1.
SIGMA_POINT = ("x=0.5", "y=pi", "z=1", "w=1")


@dataclass(frozen=True)
class DemoConfig:
    """Settings of the digits CNN of the demo (the defaults are the demo's)."""

    epochs: int = 20
    batch_size: int = 32
    lr: float = 0.01
    test_size: float = 0.2
    seed: int = 0


class TrainedCNN(NamedTuple):
    """What :func:`train_digits_cnn` returns."""

    model: Any
    history: History
    train_accuracy: float
    test_accuracy: float
    n_train: int
    n_test: int


@dataclass
class DemoResult:
    """What :func:`run_demo` produced: accuracy, history and the files written (name -> path)."""

    test_accuracy: float
    train_accuracy: float
    history: History
    files: dict[str, pathlib.Path] = field(default_factory=dict)
    seconds: float = 0.0


# ------------------------------------------------------------------------------------------ the model
def make_cnn(image_size: int = 8, n_classes: int = 10) -> Any:
    """The demo's CNN: Conv(1->8, 3x3, pad 1), ReLU, MaxPool 2, Conv(8->16, 3x3, pad 1), ReLU, MaxPool 2,
    Flatten, Linear(16 * (image_size // 4)^2 -> n_classes).

    Parameters
    ----------
    image_size : int, optional
        Height = width of the square input images (8 for digits, 28 for MNIST).
    n_classes : int, optional
        Number of outputs (logits).

    Examples
    --------
    >>> from nn.demo import make_cnn
    >>> sum(p.numel() for p in make_cnn().parameters())      # 80 + 1168 + 650
    1898
    """
    from .layers import Conv2d, Flatten, Linear, MaxPool2d, ReLU
    from .module import Sequential

    side = image_size // 4
    if side < 1:
        raise ValueError(f"make_cnn: got image_size={image_size}; expected at least 4 (two 2x2 poolings)")
    return Sequential(
        Conv2d(1, 8, 3, padding=1), ReLU(), MaxPool2d(2),
        Conv2d(8, 16, 3, padding=1), ReLU(), MaxPool2d(2),
        Flatten(), Linear(16 * side * side, n_classes),
    )


# ------------------------------------------------------------------------------------------ sigma
def sigma_example(out_dir: str | pathlib.Path, stdout: TextIO | None = None) -> pathlib.Path:
    """Print sigma's value, gradient and operation counts; draw its graph into ``out_dir``.

    This is ``chaingrad grad "1/(w + exp(z + cos(y*x**2)))" --at x=0.5 y=pi z=1 w=1 --counts
    --render OUT/sigma.svg`` (the SVG needs the Graphviz ``dot`` program; without it the DOT source is
    written to ``sigma.dot``).

    Returns
    -------
    pathlib.Path
        The picture written.
    """
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / ("sigma.svg" if shutil.which("dot") else "sigma.dot")
    args = cli_grad.build_parser().parse_args(
        [SIGMA, "--at", *SIGMA_POINT, "--counts", "--render", str(path)]
    )
    cli_grad.run(args, stdout=stdout)
    return path


# ------------------------------------------------------------------------------------------ training
def _digits_loaders(config: DemoConfig) -> tuple[DataLoader, DataLoader, DataLoader]:
    X, y = digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=config.test_size, stratify=y,
                                                        seed=config.seed)
    train = DataLoader(TensorDataset(X_train, y_train), batch_size=config.batch_size, shuffle=True,
                       seed=config.seed)
    train_eval = DataLoader(TensorDataset(X_train, y_train), batch_size=512)
    test = DataLoader(TensorDataset(X_test, y_test), batch_size=512)
    return train, train_eval, test


def train_digits_cnn(config: DemoConfig = DemoConfig(), progress: bool | str = True) -> TrainedCNN:
    """Train :func:`make_cnn` on the digits; return the model, its history and its accuracies.

    Adam with a cosine learning-rate schedule; the test split is evaluated after every epoch for the
    curves only (nothing is chosen by it: the final weights are reported).

    Examples
    --------
    >>> from nn.demo import DemoConfig, train_digits_cnn
    >>> run = train_digits_cnn(DemoConfig(epochs=1), progress=False)
    >>> run.history.epochs, run.n_train, run.n_test, 0.0 <= run.test_accuracy <= 1.0
    (1, 1437, 360, True)
    """
    from . import optim
    from .losses import CrossEntropyLoss

    autograd.manual_seed(config.seed)
    model = make_cnn()
    train, train_eval, test = _digits_loaders(config)
    optimizer = optim.Adam(model.parameters(), lr=config.lr)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(config.epochs, 1))
    loss_fn = CrossEntropyLoss()
    history = fit(model, loss_fn, optimizer, train, epochs=config.epochs, val_loader=test,
                  scheduler=scheduler, progress=progress)
    train_acc = evaluate(model, train_eval, loss_fn)["accuracy"]
    test_acc = evaluate(model, test, loss_fn)["accuracy"]
    return TrainedCNN(model, history, train_acc, test_acc, len(train.dataset), len(test.dataset))


# ------------------------------------------------------------------------------------------ graphs
def draw_network_graph(model: Any, x: Tensor, y: Tensor, path: str | pathlib.Path,
                       max_nodes: int = 200) -> pathlib.Path:
    """Draw the graph of one forward pass of ``model`` on ``x`` and its cross-entropy with ``y``.

    Parameters get their names as labels (``0.weight``, ...), the input is ``x``, and each module call is
    a box (:func:`nn.utils.record_module_calls`); a backward pass runs first so that every node's gradient
    shows.
    Graphs larger than ``max_nodes`` are drawn as a summary.

    Returns
    -------
    pathlib.Path
        The picture (``.svg``/``.png``/... need the Graphviz ``dot`` program, ``.dot`` does not).
    """
    from autograd.graph import draw_graph, render, retain_grads

    from .losses import CrossEntropyLoss
    from .utils import record_module_calls

    for name, p in model.named_parameters():
        p.label = name
    x = Tensor(x.data, label="x")
    was_training = bool(getattr(model, "training", False))
    model.eval()
    try:
        with record_module_calls(model) as calls:
            logits = model(x)
        loss = CrossEntropyLoss()(logits, y)
        loss.label = "loss"
        model.zero_grad()
        retain_grads(loss).backward(retain_graph=True)  # every node's gradient, not only the parameters'
        graph = draw_graph(loss, max_nodes=max_nodes, rankdir="TB", groups=calls)
    finally:
        model.zero_grad()
        model.train(was_training)
    return render(graph, path)


# ------------------------------------------------------------------------------------------ the demo
def run_demo(out_dir: str | pathlib.Path = "out", config: DemoConfig = DemoConfig(),
             progress: bool | str = True, stdout: TextIO | None = None) -> DemoResult:
    """Run both parts of the demo; write every file into ``out_dir`` and say where each one went.

    Returns
    -------
    DemoResult
    """
    from .serialization import save

    out = sys.stdout if stdout is None else stdout
    started = time.perf_counter()
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, pathlib.Path] = {}

    print("== 1. sigma(x, y, z, w) = 1/(w + exp(z + cos(y x^2))) at (1/2, pi, 1, 1) (textbook Example 9.3.1)",
          file=out)
    files["sigma graph"] = sigma_example(out_dir, stdout=out)

    print(f"\n== 2. a CNN on the 8x8 digits: {config.epochs} epochs of Adam (lr {config.lr}, batch "
          f"{config.batch_size}), {config.test_size:.0%} stratified test split", file=out)
    model, history, train_acc, test_acc, n_train, n_test = train_digits_cnn(config, progress=progress)
    print(f"train accuracy {train_acc:.2%}  ({n_train} images)", file=out)
    print(f"test accuracy  {test_acc:.2%}  ({round(test_acc * n_test)}/{n_test} held-out images)", file=out)

    files["checkpoint"] = out_dir / "digits_cnn.npz"
    save(model.state_dict(), files["checkpoint"])
    try:
        files["loss/accuracy plot"] = plot_history(history, out_dir / "digits_cnn_history.png",
                                                   title="CNN on the 8x8 digits", val_label="test",
                                                   mark_best=False)
    except ImportError as exc:
        print(f"(no plot: {exc})", file=out)
    X, y = digits()
    suffix = ".svg" if shutil.which("dot") else ".dot"
    files["network graph"] = draw_network_graph(model, X[:1], y[:1], out_dir / f"digits_cnn_graph{suffix}")

    print("\nfiles:", file=out)
    for what, path in files.items():
        print(f"  {what:<20} {path}", file=out)
    print("reload the model with: from nn.demo import make_cnn; model = make_cnn(); "
          f"model.load_state_dict(nn.load({str(files['checkpoint'])!r}))", file=out)
    seconds = time.perf_counter() - started
    return DemoResult(test_acc, train_acc, history, files, seconds)


# ------------------------------------------------------------------------------------------ CLI
def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``chaingrad demo``."""
    parser.add_argument("--out", default="out", metavar="DIR", help="output directory (default: out)")
    parser.add_argument("--epochs", type=int, default=DemoConfig.epochs,
                        help=f"training epochs of the CNN (default: {DemoConfig.epochs}, the real demo)")
    parser.add_argument("--seed", type=int, default=DemoConfig.seed, help="random seed (default: 0)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    """``chaingrad demo``: run :func:`run_demo` with the command-line settings."""
    if args.epochs < 1:
        raise cli_grad.UsageError(f"--epochs: got {args.epochs}; expected at least 1")
    config = DemoConfig(epochs=args.epochs, seed=args.seed)
    try:
        result = run_demo(args.out, config, progress=not args.no_progress)
    except (OSError, RuntimeError) as exc:
        raise cli_grad.UsageError(str(exc)) from None
    print(f"done in {result.seconds:.1f} s")
    return 0

