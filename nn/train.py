"""Training loops: :func:`fit`, :func:`evaluate`, :func:`accuracy` and :func:`plot_history`.

:func:`fit` runs the usual loop (forward, loss, ``zero_grad``, ``backward``, ``step``) over a
:class:`~nn.data.DataLoader` for a number of epochs, with optional validation, learning-rate schedule,
early stopping (which restores the best weights) and a progress bar (tqdm when installed, plain lines
otherwise). It returns a :class:`History` of per-epoch losses and accuracies.

Examples
--------
>>> import autograd
>>> from nn import optim
>>> from nn.data import DataLoader, TensorDataset, moons
>>> from nn.losses import CrossEntropyLoss
>>> from nn.mlp import MLP
>>> from nn.train import fit
>>> _ = autograd.manual_seed(0)
>>> X, y = moons(200, noise=0.1, seed=0)
>>> model = MLP([2, 16, 16, 2], activation="tanh")
>>> loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True, seed=0)
>>> history = fit(model, CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.02), loader, epochs=60,
...               progress=False)
>>> history.train_acc[-1] > 0.95
True
"""

from __future__ import annotations

import functools
import math
import os
import pathlib
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence, Union

import numpy as np

from autograd import Tensor, get_default_dtype, no_grad
from autograd.memory import keep_freed_memory
from autograd.ops._common import is_int
from autograd.tensor import describe

from .optim.lr_scheduler import ReduceLROnPlateau

__all__ = ["fit", "evaluate", "accuracy", "History", "plot_history", "plot_decision_boundary"]

Metric = Union[str, Callable[[Tensor, Tensor], float]]


# ----------------------------------------------------------------------------------------------- metrics
def _array(x: Any) -> np.ndarray:
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _correct(outputs: Any, targets: Any, threshold: float = 0.0) -> tuple[int, int]:
    """(number correct, number of examples) for class scores or one-output binary scores."""
    out, y = _array(outputs), _array(targets)
    if out.ndim >= 2 and out.shape[1] > 1:
        pred = out.argmax(axis=1)
        if y.shape == out.shape:  # one-hot or probability targets
            y = y.argmax(axis=1)
        if pred.shape != y.shape:
            raise ValueError(
                f"accuracy: got outputs of shape {out.shape} and labels of shape {y.shape}; expected labels "
                f"of shape {pred.shape} (class indices) or {out.shape} (one-hot)"
            )
        return int((pred == y).sum()), int(pred.size)
    # one score per example: class 1 when the score exceeds the threshold. The labels must have the
    # outputs' shape, up to a size-1 axis 1 ((N, 1) scores with (N,) labels and the reverse); equal sizes
    # alone are not enough, as (4,) scores and (2, 2) labels would pair scores with the wrong labels.
    if _one_score_shape(out.shape) != _one_score_shape(y.shape):
        expected = f"{out.shape}" if out.ndim != 2 else f"{out.shape} or {(out.shape[0],)}"
        if out.ndim == 1:
            expected += f" or {(out.shape[0], 1)}"
        raise ValueError(
            f"accuracy: got outputs of shape {out.shape} (one score per example) and labels of shape "
            f"{y.shape}; expected labels of shape {expected}, one 0/1 label per score"
        )
    pred = out.reshape(len(out), -1) > threshold if out.ndim else out.reshape(1, 1) > threshold
    truth = y.reshape(pred.shape)
    return int((pred == (truth > 0.5)).sum()), int(pred.size)


def _one_score_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """``shape`` without a size-1 axis 1, and () as (1,): the shapes one-score accuracy treats as equal."""
    if len(shape) == 0:
        return (1,)
    if len(shape) >= 2 and shape[1] == 1:
        return shape[:1] + shape[2:]
    return shape


def accuracy(outputs: Any, labels: Any, threshold: float = 0.0) -> float:
    """Fraction of correct predictions, in [0, 1].

    Parameters
    ----------
    outputs : Tensor or array, shape (N, C) or (N,) / (N, 1)
        Class scores (logits or probabilities): the prediction is the argmax over axis 1. With a single
        score per example the prediction is class 1 where the score exceeds ``threshold``.
    labels : Tensor or array
        Class indices of shape (N,), one-hot rows of shape (N, C), or 0/1 labels for one-score outputs.
    threshold : float, optional
        Decision threshold for one-score outputs: 0 for logits (default), use 0.5 for probabilities.

    Examples
    --------
    >>> from nn.train import accuracy
    >>> accuracy([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]], [0, 1, 1])
    0.6666666666666666
    >>> accuracy([[-1.2], [0.3]], [[0.0], [1.0]])                   # logits of a binary classifier
    1.0
    >>> accuracy([0.2, 0.7], [1, 1], threshold=0.5)                   # probabilities
    0.5
    """
    correct, total = _correct(outputs, labels, threshold)
    return correct / total if total else float("nan")


def _metric_name(metric: Metric, where: str = "fit") -> str:
    if isinstance(metric, str):
        if metric not in ("accuracy", "acc"):
            raise ValueError(f"{where}: unknown metric {metric!r}; expected 'accuracy' or a function "
                             "metric(outputs, targets) -> float")
        return "accuracy"
    if callable(metric):
        return getattr(metric, "__name__", type(metric).__name__)
    raise TypeError(f"{where}: got metric {describe(metric)}; expected 'accuracy' or a function")


def _metric_list(metrics: Metric | Sequence[Metric] | None, where: str) -> tuple[list[Metric], list[str]]:
    """The metrics as a list with their names; a single string or function counts as one metric."""
    if metrics is None:
        metrics = ()
    elif isinstance(metrics, str) or callable(metrics):
        metrics = (metrics,)
    metrics = list(metrics)
    names = [_metric_name(m, where) for m in metrics]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            # results are stored by name, so two metrics of one name would be summed into one number
            raise ValueError(
                f"{where}: two metrics are named {name!r}; give each function metric a distinct __name__ "
                "(a def, or set fn.__name__ = ...), and pass 'accuracy' at most once"
            )
        seen.add(name)
    return metrics, names


def _default_threshold(loss_fn: Any) -> float:
    """0.5 when ``loss_fn`` takes probabilities (BCELoss, binary_cross_entropy), else 0 (logits)."""
    from .losses import BCELoss, binary_cross_entropy

    fn = loss_fn
    while isinstance(fn, functools.partial):
        fn = fn.func
    if isinstance(fn, BCELoss) or fn is binary_cross_entropy:
        return 0.5
    return 0.0


def _check_threshold(threshold: Any, where: str) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)) \
            or not math.isfinite(threshold):
        raise ValueError(f"{where}: got threshold={threshold!r}; expected a finite number (0 for logits, 0.5 "
                         "for probabilities)")
    return float(threshold)


class _Meter:
    """Averages of the loss and metrics over an epoch, weighted by batch size."""

    def __init__(self, metrics: list[Metric], names: list[str], threshold: float = 0.0) -> None:
        self.metrics = metrics
        self.names = names
        self.threshold = threshold
        self.loss_sum = 0.0
        self.n = 0
        self.correct = 0
        self.counted = 0
        self.sums = {name: 0.0 for name in self.names}

    def update(self, outputs: Tensor, targets: Tensor, loss: float | None, batch: int) -> None:
        if loss is not None:
            self.loss_sum += loss * batch
        self.n += batch
        for metric, name in zip(self.metrics, self.names):
            if isinstance(metric, str):
                c, t = _correct(outputs, targets, self.threshold)
                self.correct += c
                self.counted += t
            else:
                self.sums[name] += float(metric(outputs, targets)) * batch

    @property
    def loss(self) -> float:
        return self.loss_sum / self.n if self.n else float("nan")

    def values(self) -> dict[str, float]:
        out = {}
        for metric, name in zip(self.metrics, self.names):
            if isinstance(metric, str):
                out[name] = self.correct / self.counted if self.counted else float("nan")
            else:
                out[name] = self.sums[name] / self.n if self.n else float("nan")
        return out


# ----------------------------------------------------------------------------------------------- history
@dataclass
class History:
    """What :func:`fit` measured, one entry per completed epoch.

    Attributes
    ----------
    train_loss, train_acc : list of float
        Mean loss and accuracy over each epoch's training batches (measured while training, so with the
        weights of the moment and the model in training mode).
    val_loss, val_acc : list of float
        Loss and accuracy on the validation loader after each epoch (empty without one).
    metrics : dict of str to list of float
        Other metrics, as ``"train_<name>"`` / ``"val_<name>"``.
    lr : list of float
        Learning rate of the first parameter group during each epoch.
    epoch_time : list of float
        Seconds per epoch (for information; nothing depends on it).
    best_epoch : int or None
        0-based epoch with the lowest monitored loss (validation loss when there is a validation
        loader, else training loss).
    best_loss : float
        That loss.
    stopped_early : bool
        Whether early stopping ended training before ``epochs``.
    restored_best : bool
        Whether the weights of ``best_epoch`` were put back at the end.
    """

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    lr: list[float] = field(default_factory=list)
    epoch_time: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    best_loss: float = math.inf
    stopped_early: bool = False
    restored_best: bool = False

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.train_loss)

    def summary(self, total_epochs: int | None = None) -> str:
        """One line with the last epoch's numbers and the best epoch (1-based, as printed).

        Examples
        --------
        >>> from nn.train import History
        >>> History(train_loss=[0.7, 0.25], train_acc=[0.5, 0.75], best_epoch=1).summary(total_epochs=5)
        'epoch 2/5  train_loss 0.2500  train_acc 75.00%  best epoch 2'
        """
        if not self.train_loss:
            return "no epoch completed"
        of = f"/{total_epochs}" if total_epochs is not None else ""
        parts = [f"epoch {self.epochs}{of}", f"train_loss {self.train_loss[-1]:.4f}"]
        if self.train_acc:
            parts.append(f"train_acc {self.train_acc[-1]:.2%}")
        if self.val_loss:
            parts.append(f"val_loss {self.val_loss[-1]:.4f}")
        if self.val_acc:
            parts.append(f"val_acc {self.val_acc[-1]:.2%}")
        if self.best_epoch is not None:
            parts.append(f"best epoch {self.best_epoch + 1}")
        return "  ".join(parts)


# ------------------------------------------------------------------------------------------------ loops
def _split_batch(batch: Any) -> tuple[tuple, Any]:
    if isinstance(batch, (tuple, list)):
        if len(batch) < 2:
            raise ValueError(
                f"fit: a batch has {len(batch)} field(s); expected (inputs..., targets), e.g. a "
                "DataLoader over TensorDataset(X, y)"
            )
        return tuple(batch[:-1]), batch[-1]
    raise TypeError(f"fit: got a batch {describe(batch)}; expected a tuple (inputs..., targets)")


def _batch_size(x: Any) -> int:
    shape = getattr(x, "shape", ())
    return int(shape[0]) if shape else 1


def evaluate(model: Any, loader: Iterable, loss_fn: Callable[[Tensor, Tensor], Tensor] | None = None,
             metrics: Metric | Sequence[Metric] = ("accuracy",), threshold: float | None = None
             ) -> dict[str, float]:
    """Mean loss and metrics of ``model`` over ``loader``, in eval mode and without recording a graph.

    The model's training/eval mode is restored afterwards.

    Parameters
    ----------
    model : Module
        Called as ``model(*inputs)`` on each batch ``(inputs..., targets)``.
    loader : iterable of batches
        E.g. a :class:`~nn.data.DataLoader`.
    loss_fn : callable, optional
        ``loss_fn(outputs, targets)`` returning a scalar mean over the batch; batches are weighted by
        their size. Without it no ``"loss"`` is reported.
    metrics : str, callable or sequence of them, optional
        ``"accuracy"`` and/or functions ``metric(outputs, targets) -> float``, with distinct names
        (``__name__``). A single string or function counts as one metric.
    threshold : float, optional
        Decision threshold of ``"accuracy"`` for models with one output per example: class 1 where the
        output exceeds it. Default: 0.5 when ``loss_fn`` takes probabilities (:class:`~nn.losses.BCELoss`
        or :func:`~nn.losses.binary_cross_entropy`), else 0 (logits, e.g. ``BCEWithLogitsLoss``). Pass
        0.5 for probabilities with any other loss. Models with several outputs use the argmax.

    Returns
    -------
    dict of str to float
        ``{"loss": ..., "accuracy": ...}`` (and the other metrics by name).

    Raises
    ------
    ValueError
        For an unknown metric name, two metrics of the same name, or a non-finite ``threshold``.

    Examples
    --------
    >>> import autograd
    >>> from nn.data import DataLoader, TensorDataset, xor
    >>> from nn.layers import Linear
    >>> from nn.losses import CrossEntropyLoss
    >>> from nn.train import evaluate
    >>> X, y = xor()
    >>> model = Linear(2, 2)
    >>> sorted(evaluate(model, DataLoader(TensorDataset(X, y), batch_size=4), CrossEntropyLoss()))
    ['accuracy', 'loss']
    """
    metric_list, names = _metric_list(metrics, "evaluate")
    threshold = _default_threshold(loss_fn) if threshold is None else _check_threshold(threshold, "evaluate")
    was_training = bool(getattr(model, "training", False))
    if hasattr(model, "eval"):
        model.eval()
    meter = _Meter(metric_list, names, threshold)
    try:
        with no_grad():
            for batch in loader:
                inputs, targets = _split_batch(batch)
                outputs = model(*inputs)
                loss = float(loss_fn(outputs, targets).item()) if loss_fn is not None else None
                meter.update(outputs, targets, loss, _batch_size(targets))
    finally:
        if was_training and hasattr(model, "train"):
            model.train()
    result = {"loss": meter.loss} if loss_fn is not None else {}
    result.update(meter.values())
    return result


class _Progress:
    """A tqdm bar over all batches of all epochs, or one plain line per epoch, or nothing."""

    def __init__(self, mode: Any, total: int, epochs: int) -> None:
        self.bar = None
        self.lines = False
        self.epochs = epochs
        if mode is False or mode is None:
            return
        if mode == "lines":
            self.lines = True
            return
        if mode is not True and mode != "bar":
            raise ValueError(f"fit: got progress={mode!r}; expected True, False, 'bar' or 'lines'")
        try:
            from tqdm.auto import tqdm
        except ImportError:  # degrade gracefully: tqdm is an optional extra
            self.lines = True
            return
        self.bar = tqdm(total=total, unit="batch", dynamic_ncols=True, mininterval=0.2, leave=True)

    def start_epoch(self, epoch: int) -> None:
        if self.bar is not None:
            self.bar.set_description(f"epoch {epoch + 1}/{self.epochs}", refresh=False)

    def batch(self, loss: float) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def end_epoch(self, history: History) -> None:
        if self.bar is not None:
            post = {"loss": f"{history.train_loss[-1]:.4f}"}
            if history.train_acc:
                post["acc"] = f"{history.train_acc[-1]:.3f}"
            if history.val_loss:
                post["val_loss"] = f"{history.val_loss[-1]:.4f}"
            if history.val_acc:
                post["val_acc"] = f"{history.val_acc[-1]:.3f}"
            self.bar.set_postfix(post, refresh=True)
        elif self.lines:
            line = history.summary(total_epochs=self.epochs)
            print(f"{line}  ({history.epoch_time[-1]:.2f} s)", flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _first_lr(optimizer: Any) -> float:
    groups = getattr(optimizer, "param_groups", None)
    if groups:
        return float(groups[0].get("lr", math.nan))
    return math.nan


def _weights_note(model: Any) -> str:
    """Whether the model's current weights are finite, for the divergence message."""
    params = getattr(model, "parameters", None)
    if not callable(params):
        return ""
    try:
        finite = all(bool(np.isfinite(_array(p)).all()) for p in params())
    except Exception:  # a duck-typed model: the note is only a courtesy
        return ""
    return " (all finite)" if finite else " (some are nan or inf: an earlier step overflowed)"


def _divergence(message: str, model: Any, history: History, best_state: Any,
                restore_best: bool) -> FloatingPointError:
    """The FloatingPointError fit raises for a non-finite loss, after putting the best weights back."""
    if restore_best and best_state is not None:
        model.load_state_dict(best_state)
        history.restored_best = True
        state = f"the weights of the best epoch {history.best_epoch + 1} were restored"
    else:
        reason = "there was no best epoch yet, so " if restore_best else ""
        state = f"{reason}the model keeps the weights that gave this loss{_weights_note(model)}"
    error = FloatingPointError(f"{message}; {state}; lower the learning rate or check the data")
    error.history = history  # type: ignore[attr-defined]  # the epochs that did complete
    return error


def fit(model: Any, loss_fn: Callable[[Tensor, Tensor], Tensor], optimizer: Any, train_loader: Iterable,
        epochs: int, val_loader: Iterable | None = None, metrics: Metric | Sequence[Metric] = ("accuracy",),
        early_stopping_patience: int | None = None, scheduler: Any = None, progress: bool | str = True,
        callback: Callable[[int, History], Any] | None = None, restore_best: bool | None = None,
        min_delta: float = 0.0, threshold: float | None = None) -> History:
    """Train ``model`` for ``epochs`` passes over ``train_loader``.

    Each batch ``(inputs..., targets)``: ``outputs = model(*inputs)``, ``loss = loss_fn(outputs,
    targets)``, ``optimizer.zero_grad()``, ``loss.backward()``, ``optimizer.step()``. Training runs in
    training mode (``model.train()``); validation in eval mode under :func:`autograd.no_grad`.

    Parameters
    ----------
    model : Module
    loss_fn : callable
        ``loss_fn(outputs, targets)``: a scalar Tensor, the mean over the batch (e.g.
        :class:`~nn.losses.CrossEntropyLoss`).
    optimizer : Optimizer
        Built on ``model.parameters()``.
    train_loader : iterable of batches
        A :class:`~nn.data.DataLoader`; iterated once per epoch.
    epochs : int
        Maximum number of epochs (a Python or numpy integer).
    val_loader : iterable of batches, optional
        Evaluated after every epoch with :func:`evaluate`.
    metrics : str, callable or sequence of them, optional
        ``"accuracy"`` (fills ``train_acc``/``val_acc``) and/or functions ``metric(outputs, targets)``
        (stored in ``History.metrics`` under their ``__name__``, which must differ from metric to
        metric). A single string or function counts as one metric. Pass ``()`` for loss only (e.g.
        regression).
    early_stopping_patience : int, optional
        Stop after this many epochs without an improvement of the monitored loss (validation loss,
        or training loss without ``val_loader``) by more than ``min_delta``. A Python or numpy integer.
    scheduler : LRScheduler or ReduceLROnPlateau, optional
        ``scheduler.step()`` is called after every epoch; a ``ReduceLROnPlateau`` is given the epoch's
        validation loss (the training loss without ``val_loader``), the loss early stopping monitors.
    progress : bool or {"bar", "lines"}, optional
        True: a tqdm progress bar when tqdm is installed, otherwise one line per epoch on stdout.
        ``"lines"`` forces the plain lines; False prints nothing.
    callback : callable, optional
        ``callback(epoch, history)`` after every epoch (0-based); returning True stops training.
    restore_best : bool, optional
        Load the weights of the best epoch at the end, or when a loss becomes NaN (default: True with
        early stopping, else False). The best weights are kept as a ``state_dict`` copy.
    min_delta : float, optional
        Smallest decrease of the monitored loss that counts as an improvement.
    threshold : float, optional
        Decision threshold of ``"accuracy"`` for models with one output per example (class 1 where the
        output exceeds it). Default: 0.5 when ``loss_fn`` takes probabilities
        (:class:`~nn.losses.BCELoss` or :func:`~nn.losses.binary_cross_entropy`, e.g. after a
        ``Sigmoid``), else 0 (logits, e.g. with ``BCEWithLogitsLoss``). Pass ``threshold=0.5`` for
        probability outputs trained with another loss (e.g. ``MSELoss``). Models with several outputs per
        example use the argmax and ignore it.

    Returns
    -------
    History

    Raises
    ------
    FloatingPointError
        When the training loss of a batch or the validation loss of an epoch is NaN or infinite. The
        training loss is checked before ``backward`` and ``optimizer.step``, so neither the weights nor
        the optimizer state are updated from it. With ``restore_best`` the weights of the best epoch so
        far are loaded back (when an epoch has completed); otherwise the model keeps the weights that gave
        the loss. The message says which, and the exception's ``history`` attribute holds the
        :class:`History` of the completed epochs (with ``restored_best`` set accordingly).
    ValueError
        For invalid ``epochs``, ``early_stopping_patience`` or ``threshold``, an unknown metric name,
        two metrics of the same name, or a ``train_loader`` that gives no batches.

    Notes
    -----
    Training calls :func:`autograd.memory.keep_freed_memory` first: every step allocates the same large
    temporaries, and keeping freed blocks in the heap spares the page faults of fetching them anew.

    Examples
    --------
    >>> import autograd
    >>> from nn import optim
    >>> from nn.data import DataLoader, TensorDataset, xor
    >>> from nn.losses import CrossEntropyLoss
    >>> from nn.mlp import MLP
    >>> _ = autograd.manual_seed(0)
    >>> X, y = xor()
    >>> model = MLP([2, 8, 2], activation="tanh")
    >>> loader = DataLoader(TensorDataset(X, y), batch_size=4)
    >>> h = fit(model, CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.05), loader, epochs=200,
    ...         val_loader=loader, early_stopping_patience=20, progress=False)
    >>> h.val_acc[h.best_epoch]
    1.0
    """
    if not is_int(epochs) or epochs < 0:
        raise ValueError(f"fit: got epochs={epochs!r}; expected an integer >= 0")
    if early_stopping_patience is not None and (
            isinstance(early_stopping_patience, bool)
            or not isinstance(early_stopping_patience, (int, np.integer)) or early_stopping_patience < 1):
        raise ValueError(
            f"fit: got early_stopping_patience={early_stopping_patience!r}; expected an integer >= 1"
        )
    metric_list, names = _metric_list(metrics, "fit")
    threshold = _default_threshold(loss_fn) if threshold is None else _check_threshold(threshold, "fit")
    if restore_best is None:
        restore_best = early_stopping_patience is not None
    keep_freed_memory()
    if restore_best and not hasattr(model, "state_dict"):
        raise TypeError("fit: restore_best (and early stopping) needs a model with state_dict()")
    has_acc = "accuracy" in names

    history = History()
    for name in names:
        if name != "accuracy":
            history.metrics[f"train_{name}"] = []
            if val_loader is not None:
                history.metrics[f"val_{name}"] = []
    try:
        per_epoch = len(train_loader)  # type: ignore[arg-type]
    except TypeError:
        per_epoch = 0
    bar = _Progress(progress, per_epoch * int(epochs), int(epochs))
    best_state = None
    waited = 0
    try:
        for epoch in range(int(epochs)):
            started = time.perf_counter()
            bar.start_epoch(epoch)
            history.lr.append(_first_lr(optimizer))
            model.train()
            meter = _Meter(metric_list, names, threshold)
            for index, batch in enumerate(train_loader):
                inputs, targets = _split_batch(batch)
                outputs = model(*inputs)
                loss = loss_fn(outputs, targets)
                value = float(loss.item())
                if not math.isfinite(value):
                    # checked before backward/step: a NaN gradient step would poison the weights and the
                    # optimizer's running averages beyond repair
                    history.lr.pop()  # the epoch did not complete
                    raise _divergence(
                        f"fit: the training loss became {value} in epoch {epoch + 1}, batch {index + 1} "
                        "(training stopped before its backward and optimizer step)",
                        model, history, best_state, restore_best,
                    )
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                meter.update(outputs.detach(), targets, value, _batch_size(targets))
                bar.batch(value)
            if meter.n == 0:
                raise ValueError("fit: train_loader gave no batches")
            history.train_loss.append(meter.loss)
            for name, v in meter.values().items():
                if name == "accuracy":
                    history.train_acc.append(v)
                else:
                    history.metrics[f"train_{name}"].append(v)
            monitored = meter.loss
            if val_loader is not None:
                result = evaluate(model, val_loader, loss_fn, metric_list, threshold)
                history.val_loss.append(result["loss"])
                if has_acc:
                    history.val_acc.append(result["accuracy"])
                for name in names:
                    if name != "accuracy":
                        history.metrics[f"val_{name}"].append(result[name])
                monitored = result["loss"]
                model.train()
            if isinstance(scheduler, ReduceLROnPlateau):
                scheduler.step(monitored)  # it reduces the rate when the monitored loss stops improving
            elif scheduler is not None:
                scheduler.step()
            history.epoch_time.append(time.perf_counter() - started)
            if not math.isfinite(monitored):
                # a NaN never compares as an improvement, yet as the first epoch it would become the
                # "best" one, and early stopping would silently roll back to it
                which = "validation" if val_loader is not None else "training"
                raise _divergence(f"fit: the {which} loss became {monitored} after epoch {epoch + 1}",
                                  model, history, best_state, restore_best)

            if monitored < history.best_loss - min_delta or history.best_epoch is None:
                history.best_loss = monitored
                history.best_epoch = epoch
                waited = 0
                if restore_best:
                    best_state = model.state_dict()
            else:
                waited += 1
            bar.end_epoch(history)
            if callback is not None and callback(epoch, history) is True:
                break
            if early_stopping_patience is not None and waited >= early_stopping_patience:
                history.stopped_early = epoch + 1 < epochs
                break
    finally:
        bar.close()
    if restore_best and best_state is not None:
        model.load_state_dict(best_state)
        history.restored_best = True
    return history


# ---------------------------------------------------------------------------------------------- plotting
def plot_history(history: History, path: str | os.PathLike[str], title: str | None = None,
                 val_label: str = "validation", mark_best: bool = True) -> pathlib.Path:
    """Write a PNG (or any format matplotlib knows, by extension) of the loss and accuracy curves.

    Left panel: training and validation loss per epoch; right panel: accuracies (when measured). The
    best epoch is marked with a dotted line. Short histories (up to 20 epochs, including a single one)
    are drawn with a marker on every epoch. Needs matplotlib (``pip install 'chaingrad[plot]'``); it is
    imported only here, with the non-interactive Agg canvas, so no display is needed.

    Parameters
    ----------
    history : History
        As returned by :func:`fit`.
    path : str or os.PathLike
        Output file; its directory is created if needed.
    title : str, optional
        Figure title.
    val_label : str, optional
        Legend of the validation curves (e.g. ``"test"`` when the validation loader is a test set).
    mark_best : bool, optional
        Draw a dotted line at ``history.best_epoch``.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import os, tempfile
    >>> from nn.train import History, plot_history
    >>> h = History(train_loss=[1.0, 0.5], train_acc=[0.5, 0.9], best_epoch=1)
    >>> plot_history(h, os.path.join(tempfile.mkdtemp(), "h.png")).stat().st_size > 0
    True
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import FixedLocator, MaxNLocator
    except ImportError:
        raise ImportError(
            "plot_history needs matplotlib; install it with: pip install 'chaingrad[plot]' "
            "(or pip install matplotlib)"
        ) from None
    if not history.train_loss:
        raise ValueError("plot_history: the history has no epochs to plot")
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    has_acc = bool(history.train_acc or history.val_acc)
    fig = Figure(figsize=(10 if has_acc else 5.5, 4), dpi=100)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2 if has_acc else 1, squeeze=False)[0]

    def curve(ax: Any, values: list[float], **style: Any) -> None:
        # a line needs two points: markers keep a one-epoch history visible, and mark the epochs of
        # short runs (long runs get a plain line, which dots would only thicken)
        marker = {"marker": "o", "markersize": 4} if len(values) <= 20 else {}
        ax.plot(np.arange(1, len(values) + 1), values, **marker, **style)

    ax = axes[0]
    curve(ax, history.train_loss, label="train", color="C0")
    if history.val_loss:
        curve(ax, history.val_loss, label=val_label, color="C1")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if min(history.train_loss + history.val_loss) > 0:
        ax.set_yscale("log")
    ax.set_title("loss")
    if has_acc:
        ax2 = axes[1]
        if history.train_acc:
            curve(ax2, history.train_acc, label="train", color="C0")
        if history.val_acc:
            curve(ax2, history.val_acc, label=val_label, color="C1")
        ax2.set_xlabel("epoch")
        ax2.set_ylabel("accuracy")
        ax2.set_title("accuracy")
    for a in axes:
        # epochs are whole numbers; one epoch would otherwise get ticks like 0.96, 0.98, ...
        a.xaxis.set_major_locator(MaxNLocator(integer=True) if history.epochs > 1 else FixedLocator([1]))
        if mark_best and history.best_epoch is not None:
            a.axvline(history.best_epoch + 1, color="grey", linestyle=":", label="best epoch")
        a.grid(True, alpha=0.3)
        a.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path)
    return path



def plot_decision_boundary(model: Any, X: Any, y: Any, path: str | os.PathLike[str], title: str | None = None,
                           resolution: int = 200, threshold: float = 0.0) -> pathlib.Path:
    """Write a picture of a 2-D classifier's regions with the data points on top.

    Parameters
    ----------
    model : Module
        Maps ``(N, 2)`` inputs to class scores ``(N, C)`` or one binary score ``(N, 1)``; evaluated in
        eval mode without recording a graph.
    X : Tensor or array, shape (N, 2)
    y : Tensor or array, shape (N,)
        Class labels, for the colours of the points.
    path : str or os.PathLike
        Output file (PNG by extension); its directory is created if needed.
    title : str, optional
    resolution : int, optional
        Grid points per axis.
    threshold : float, optional
        Decision threshold for one-score models (0 for logits).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import os, tempfile
    >>> from nn.data import xor
    >>> from nn.layers import Linear
    >>> from nn.train import plot_decision_boundary
    >>> X, y = xor()
    >>> plot_decision_boundary(Linear(2, 2), X, y, os.path.join(tempfile.mkdtemp(), "b.png")).exists()
    True
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(
            "plot_decision_boundary needs matplotlib; install it with: pip install 'chaingrad[plot]'"
        ) from None
    pts, labels = _array(X), _array(y).reshape(-1)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: got X of shape {pts.shape}; expected (N, 2)")
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = 0.15 * np.maximum(hi - lo, 1e-6)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    dtype = pts.dtype if pts.dtype.kind == "f" else get_default_dtype()  # the parameters' dtype, usually
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(dtype)
    was_training = bool(getattr(model, "training", False))
    if hasattr(model, "eval"):
        model.eval()
    try:
        with no_grad():
            scores = _array(model(Tensor(grid)))
    finally:
        if was_training and hasattr(model, "train"):
            model.train()
    if scores.ndim >= 2 and scores.shape[1] > 1:
        regions = scores.argmax(axis=1)
    else:
        regions = (scores.reshape(-1) > threshold).astype(np.int64)
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=(5.5, 5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    n_classes = int(max(regions.max(), labels.max() if labels.size else 0)) + 1
    ax.contourf(gx, gy, regions.reshape(gx.shape), levels=np.arange(n_classes + 1) - 0.5, cmap="coolwarm",
                alpha=0.3)
    ax.scatter(pts[:, 0], pts[:, 1], c=labels, cmap="coolwarm", vmin=0, vmax=max(n_classes - 1, 1),
               edgecolors="k", s=25)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path)
    return path
