"""``chaingrad train``: train an MLP or a CNN on a built-in data set (or MNIST files) from the shell.

Examples::

    chaingrad train --dataset xor --hidden 4 --epochs 300
    chaingrad train --dataset moons --hidden 16,16 --epochs 100
    chaingrad train --dataset spirals --classes 3 --hidden 64,64 --epochs 300
    chaingrad train --model cnn --dataset digits --epochs 20
    chaingrad train --model cnn --dataset mnist:~/data/mnist --epochs 3 --batch-size 128

Prints the final train and test accuracy and writes, into ``--out`` (default ``out/``), the checkpoint
``MODEL_DATASET.npz`` (a state dict: ``model.load_state_dict(nn.load(path))``), the loss/accuracy plot
``MODEL_DATASET_history.png`` and, for 2-D data sets, the decision regions
``MODEL_DATASET_boundary.png``. The output paths are checked before training, so an unwritable
``--out`` is refused at once rather than after a long run.

A refused input (a non-finite ``--lr``, ``--noise`` or ``--momentum``, an unwritable ``--out``,
non-square images for ``--model cnn``, ...) or a diverging run (the loss became NaN) is reported as one
line ``chaingrad: error: ...`` with exit status 2, as ``chaingrad demo`` does.
"""

from __future__ import annotations

import argparse
import math
import pathlib
import tempfile
from dataclasses import dataclass
from typing import Any

import numpy as np

import autograd
from autograd.cli_grad import UsageError

from . import data

__all__ = ["configure", "run", "TrainSettings", "DATASETS", "load_dataset", "build_model"]

DATASETS = ("xor", "moons", "spirals", "digits", "mnist:PATH")


@dataclass(frozen=True)
class TrainSettings:
    """Defaults that depend on the data set: epochs, batch size and learning rate (Adam / SGD)."""

    epochs: int
    batch_size: int
    lr_adam: float
    lr_sgd: float


_DEFAULTS = {
    "xor": TrainSettings(epochs=300, batch_size=4, lr_adam=0.05, lr_sgd=0.5),
    "moons": TrainSettings(epochs=100, batch_size=32, lr_adam=0.01, lr_sgd=0.1),
    "spirals": TrainSettings(epochs=300, batch_size=32, lr_adam=0.01, lr_sgd=0.1),
    "digits": TrainSettings(epochs=20, batch_size=32, lr_adam=0.01, lr_sgd=0.05),
    "mnist": TrainSettings(epochs=3, batch_size=64, lr_adam=0.003, lr_sgd=0.05),
}


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``chaingrad train``."""
    parser.add_argument("--model", choices=("mlp", "cnn"), default="mlp",
                        help="a fully connected network (mlp, default) or the demo's CNN (cnn: digits, "
                             "mnist)")
    parser.add_argument("--dataset", default="moons", metavar="NAME",
                        help="xor, moons (default), spirals, digits, or mnist:PATH (a directory with the "
                             "MNIST IDX files)")
    parser.add_argument("--epochs", type=int, default=None, help="epochs (default: per data set)")
    parser.add_argument("--lr", type=float, default=None, help="learning rate (default: per data set)")
    parser.add_argument("--batch-size", type=int, default=None, help="batch size (default: per data set)")
    parser.add_argument("--optimizer", choices=("adam", "sgd"), default="adam",
                        help="Adam (default) or SGD with --momentum")
    parser.add_argument("--momentum", type=float, default=0.9, help="SGD momentum (default 0.9)")
    parser.add_argument("--hidden", default="16,16", metavar="N,N,...",
                        help="hidden layer widths of the MLP (default 16,16)")
    parser.add_argument("--activation", default="tanh", help="MLP hidden activation (default tanh)")
    parser.add_argument("--samples", type=int, default=None, help="points of moons/spirals (default 200/300)")
    parser.add_argument("--noise", type=float, default=None, help="noise of moons/spirals")
    parser.add_argument("--classes", type=int, default=2, help="arms of spirals (default 2)")
    parser.add_argument("--test-size", type=float, default=0.2,
                        help="held-out fraction (default 0.2; xor trains and tests on its 4 points, mnist "
                             "uses its test files)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", default="out", metavar="DIR", help="output directory (default: out)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _hidden(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(f"--hidden: got {text!r}; expected widths separated by commas, e.g. 16,16") from None
    if any(n < 1 for n in sizes):
        raise UsageError(f"--hidden: got {text!r}; expected positive widths")
    return sizes


def load_dataset(name: str, model: str, args: argparse.Namespace) -> tuple[Any, Any, Any, Any, str]:
    """``(X_train, y_train, X_test, y_test, short_name)`` for a ``--dataset`` value."""
    flatten = model == "mlp"
    if name.startswith("mnist:"):
        path = pathlib.Path(name[len("mnist:"):]).expanduser()
        try:
            X_train, y_train = data.load_mnist(path, "train", flatten=flatten)
            X_test, y_test = data.load_mnist(path, "test", flatten=flatten)
        except (OSError, ValueError) as exc:
            raise UsageError(f"--dataset {name}: {exc}") from None
        if X_train.shape[1:] != X_test.shape[1:]:
            raise UsageError(f"--dataset {name}: the training images have shape {tuple(X_train.shape[1:])} "
                             f"but the test images {tuple(X_test.shape[1:])}; expected the same shape")
        return X_train, y_train, X_test, y_test, "mnist"
    if name == "mnist":
        raise UsageError("--dataset mnist: expected mnist:PATH, PATH the directory of the IDX files")
    if name not in ("xor", "moons", "spirals", "digits"):
        raise UsageError(f"--dataset: got {name!r}; expected one of {', '.join(DATASETS)}")
    if model == "cnn" and name != "digits":
        raise UsageError(f"--model cnn needs images: --dataset digits or mnist:PATH (got {name})")
    if name == "xor":
        X, y = data.xor()
        return X, y, X, y, name
    if args.samples is not None and args.samples < 1:
        raise UsageError(f"--samples: got {args.samples}; expected at least 1")
    if args.noise is not None and not math.isfinite(args.noise):
        # the generators accept inf, and the run then diverges with a NaN loss
        raise UsageError(f"--noise: got {args.noise}; expected a finite standard deviation >= 0")
    try:  # the generators check their own arguments; their messages name what is wrong
        if name == "moons":
            X, y = data.moons(200 if args.samples is None else args.samples,
                              noise=0.1 if args.noise is None else args.noise, seed=args.seed)
        elif name == "spirals":
            X, y = data.spirals(300 if args.samples is None else args.samples, n_classes=args.classes,
                                noise=0.2 if args.noise is None else args.noise, seed=args.seed)
    except ValueError as exc:
        raise UsageError(f"--dataset {name}: {exc}") from None
    if name not in ("moons", "spirals"):
        X, y = data.digits(flatten=flatten)
    try:
        X_train, X_test, y_train, y_test = data.train_test_split(
            X, y, test_size=args.test_size, seed=args.seed, stratify=y
        )
    except ValueError as exc:
        raise UsageError(f"--test-size: {exc}") from None
    return X_train, y_train, X_test, y_test, name


def build_model(kind: str, X: Any, n_classes: int, args: argparse.Namespace) -> Any:
    """The MLP (``--hidden``, ``--activation``) or the demo's CNN sized for ``X``."""
    from .demo import make_cnn
    from .mlp import MLP

    try:
        if kind == "cnn":
            # make_cnn sizes its last layer from one side only, so other images would fail mid-forward
            if X.ndim != 4 or X.shape[1] != 1 or X.shape[2] != X.shape[3]:
                raise UsageError(
                    f"--model cnn: got images of shape {tuple(X.shape[1:])}; the CNN needs square "
                    "one-channel images of shape (1, S, S) (use --model mlp for other shapes)"
                )
            return make_cnn(image_size=X.shape[-1], n_classes=n_classes)
        return MLP([X.shape[1], *_hidden(args.hidden), n_classes], activation=args.activation)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _output_paths(out: pathlib.Path, stem: str, two_d: bool) -> dict[str, pathlib.Path]:
    paths = {"checkpoint": out / f"{stem}.npz", "loss/accuracy plot": out / f"{stem}_history.png"}
    if two_d:
        paths["decision regions"] = out / f"{stem}_boundary.png"
    return paths


def _check_writable(out: pathlib.Path, paths: dict[str, pathlib.Path]) -> None:
    """Refuse an ``--out`` that could not take the results, before any training time is spent."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} exists and is not a directory; expected a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out: cannot create the directory {out}: {exc.strerror or exc}") from None
    for what, path in paths.items():
        if path.is_dir():
            raise UsageError(f"--out: the {what} path {path} is a directory; remove it or choose another "
                             "--out")
    try:
        # a real write is the only reliable test: os.access is fooled by root, read-only mounts and sysfs
        with tempfile.NamedTemporaryFile(dir=out, prefix=".chaingrad-write-test-"):
            pass
    except OSError as exc:
        raise UsageError(f"--out: cannot write into {out}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    """``chaingrad train``: train, report accuracies, save checkpoint and plots.

    numpy's floating-point warnings are off for the command's duration only: a diverging run overflows on
    its way to the NaN loss that ``fit`` reports, and the command's one-line error says all there is to
    say. Library calls made outside this command keep numpy's settings.

    Examples
    --------
    >>> import argparse, tempfile
    >>> parser = argparse.ArgumentParser(); configure(parser)
    >>> with tempfile.TemporaryDirectory() as out:
    ...     args = parser.parse_args(["--dataset", "xor", "--hidden", "2", "--epochs", "1", "--no-progress",
    ...                               "--out", out])
    ...     run(args)  # doctest: +ELLIPSIS
    mlp (...) on xor: 4 training / 4 test samples, 1 epochs of adam (lr 0.05, batch 4)
    ...
    0
    """
    with np.errstate(all="ignore"):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from . import optim
    from .losses import CrossEntropyLoss
    from .serialization import save
    from .train import evaluate, fit, plot_decision_boundary, plot_history

    autograd.manual_seed(args.seed)
    X_train, y_train, X_test, y_test, name = load_dataset(args.dataset, args.model, args)
    defaults = _DEFAULTS[name]
    epochs = defaults.epochs if args.epochs is None else args.epochs
    batch_size = defaults.batch_size if args.batch_size is None else args.batch_size
    lr = args.lr
    if lr is None:
        lr = defaults.lr_adam if args.optimizer == "adam" else defaults.lr_sgd
    if epochs < 1:
        raise UsageError(f"--epochs: got {epochs}; expected at least 1")
    if batch_size < 1:
        raise UsageError(f"--batch-size: got {batch_size}; expected at least 1")
    if not (math.isfinite(lr) and lr > 0):
        raise UsageError(f"--lr: got {lr}; expected a finite positive learning rate")
    if args.optimizer == "sgd" and not (math.isfinite(args.momentum) and args.momentum >= 0):
        raise UsageError(f"--momentum: got {args.momentum}; expected a finite momentum >= 0 (0 for plain "
                         "SGD)")

    n_classes = int(max(y_train.numpy().max(), y_test.numpy().max())) + 1
    model = build_model(args.model, X_train, n_classes, args)
    out = pathlib.Path(args.out)
    stem = f"{args.model}_{name}"
    written = _output_paths(out, stem, X_train.ndim == 2 and X_train.shape[1] == 2)
    _check_writable(out, written)
    try:  # the optimizers check their own arguments; their messages name what is wrong
        if args.optimizer == "adam":
            optimizer = optim.Adam(model.parameters(), lr=lr)
        else:
            optimizer = optim.SGD(model.parameters(), lr=lr, momentum=args.momentum)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    train_loader = data.DataLoader(data.TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True,
                                   seed=args.seed)
    test_loader = data.DataLoader(data.TensorDataset(X_test, y_test), batch_size=1024)
    loss_fn = CrossEntropyLoss()
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{args.model} ({n_params} parameters) on {name}: {len(X_train)} training / {len(X_test)} test "
          f"samples, {epochs} epochs of {args.optimizer} (lr {lr}, batch {batch_size})")
    try:
        history = fit(model, loss_fn, optimizer, train_loader, epochs=epochs, val_loader=test_loader,
                      progress=not args.no_progress)
    except FloatingPointError as exc:
        raise UsageError(f"training diverged, nothing was saved (try a smaller --lr): {exc}") from None
    train_acc = evaluate(model, data.DataLoader(data.TensorDataset(X_train, y_train), batch_size=1024),
                         loss_fn)["accuracy"]
    test_acc = evaluate(model, test_loader, loss_fn)["accuracy"]
    print(f"train accuracy {train_acc:.2%}")
    print(f"test accuracy  {test_acc:.2%}" + ("  (xor: the same 4 points)" if name == "xor" else ""))

    done = {}
    try:  # checked before training, but the disk can still fill up or change meanwhile
        save(model.state_dict(), written["checkpoint"])
        done["checkpoint"] = written["checkpoint"]
        try:
            done["loss/accuracy plot"] = plot_history(history, written["loss/accuracy plot"],
                                                      title=f"{args.model} on {name}", val_label="test",
                                                      mark_best=False)
            if "decision regions" in written:
                done["decision regions"] = plot_decision_boundary(
                    model, X_train, y_train, written["decision regions"],
                    title=f"{args.model} on {name} (training data)",
                )
        except ImportError as exc:
            print(f"(no plots: {exc})")
    except OSError as exc:
        raise UsageError(f"--out: writing the results failed: {exc}") from None
    for what, path in done.items():
        print(f"{what:<20} {path}")
    return 0
