"""Rosenblatt's perceptron (1958), trained by the perceptron rule, and the XOR feature map.

The perceptron (course notes 001, "Perceptron Learning") outputs ``+1`` when ``w . x + b > 0`` and
``-1`` otherwise. Training goes pattern by pattern; each misclassified pattern moves the weights
towards it: ``w <- w + eta * t * x`` (``t = +1`` if the output was too low, ``-1`` if too high), the
bias being the weight of a constant input ``x_0 = 1``. No gradient is involved, so this is plain
numpy. By the convergence theorem the rule stops on linearly separable data; on XOR it never can
(lecture 004), unless a feature map such as ``(x1, x2, x1 x2)`` makes the classes separable.

Examples
--------
>>> from nn.data import xor
>>> from nn.perceptron import Perceptron, feature_map_xor
>>> X, y = xor()
>>> Perceptron().fit(X, y, epochs=100).score(X, y) < 1.0            # XOR is not linearly separable
True
>>> Perceptron().fit(feature_map_xor(X), y, epochs=100).score(feature_map_xor(X), y)
1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor

__all__ = ["Perceptron", "feature_map_xor"]


def _array(x: Any, dtype: Any = np.float64) -> np.ndarray:
    return np.asarray(x.data if isinstance(x, Tensor) else x, dtype=dtype)


def feature_map_xor(X: Any) -> Any:
    """The feature map ``psi(x) = (x1, x2, x1 * x2)`` that makes XOR linearly separable (lecture 004).

    Parameters
    ----------
    X : Tensor or array_like, shape (N, 2)

    Returns
    -------
    Tensor or numpy.ndarray, shape (N, 3)
        A Tensor for a Tensor input (differentiable), a numpy array otherwise.

    Examples
    --------
    >>> from nn.perceptron import feature_map_xor
    >>> feature_map_xor([[0, 1], [1, 1]]).tolist()
    [[0.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    """
    if isinstance(X, Tensor):
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"feature_map_xor: got shape {X.shape}; expected (N, 2)")
        from autograd import cat

        return cat([X, X[:, 0:1] * X[:, 1:2]], axis=1)
    arr = _array(X)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"feature_map_xor: got shape {arr.shape}; expected (N, 2)")
    return np.concatenate([arr, arr[:, :1] * arr[:, 1:]], axis=1)


class Perceptron:
    """A single threshold unit trained by the perceptron rule.

    Parameters
    ----------
    lr : float, optional
        Learning rate ``eta`` (with zero initial weights its value does not change the predictions).
    shuffle : bool, optional
        Visit the patterns in a new random order each epoch (default: in order).
    seed : int, optional
        Seed for the shuffling.

    Attributes
    ----------
    weight : numpy.ndarray, shape (n_features,)
    bias : float
    errors_ : list of int
        Misclassified patterns (hence updates) in each epoch.
    accuracy_ : list of float
        Training accuracy after each epoch.
    converged_ : bool
        Whether an epoch passed without a single error (the data are then separated).

    Examples
    --------
    >>> import numpy as np
    >>> from nn.perceptron import Perceptron
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> p = Perceptron().fit(X, [0, 0, 0, 1])                     # AND is linearly separable
    >>> p.converged_, p.predict(X).tolist()
    (True, [0, 0, 0, 1])
    """

    def __init__(self, lr: float = 1.0, shuffle: bool = False, seed: int | None = None) -> None:
        if not float(lr) > 0:
            raise ValueError(f"Perceptron: got lr={lr!r}; expected a positive learning rate")
        self.lr = float(lr)
        self.shuffle = bool(shuffle)
        self.seed = seed
        self.weight: np.ndarray | None = None
        self.bias = 0.0
        self.classes_: np.ndarray | None = None
        self.errors_: list[int] = []
        self.accuracy_: list[float] = []
        self.converged_ = False

    def _signs(self, y: Any) -> np.ndarray:
        labels = _array(y, None).reshape(-1)
        classes = np.unique(labels)
        if len(classes) != 2:
            raise ValueError(
                f"Perceptron: got {len(classes)} class(es) {classes.tolist()}; expected exactly 2 (e.g. 0/1)"
            )
        self.classes_ = classes
        return np.where(labels == classes[1], 1.0, -1.0)

    def decision_function(self, X: Any) -> np.ndarray:
        """``w . x + b`` for each row of ``X``."""
        if self.weight is None:
            raise RuntimeError("Perceptron: call fit() before predicting")
        arr = _array(X)
        if arr.ndim != 2 or arr.shape[1] != self.weight.shape[0]:
            raise ValueError(f"Perceptron: got X of shape {arr.shape}; expected (N, {self.weight.shape[0]})")
        return arr @ self.weight + self.bias

    def predict(self, X: Any) -> np.ndarray:
        """Class labels (in the encoding of the training labels): positive class where ``w.x + b > 0``."""
        positive = self.decision_function(X) > 0
        classes = self.classes_
        return np.where(positive, classes[1], classes[0])  # type: ignore[index]

    def score(self, X: Any, y: Any) -> float:
        """Fraction of correctly classified rows."""
        return float(np.mean(self.predict(X) == _array(y, None).reshape(-1)))

    def fit(self, X: Any, y: Any, epochs: int = 100) -> "Perceptron":
        """Run the perceptron rule for at most ``epochs`` passes; stop after a pass without errors.

        Parameters
        ----------
        X : Tensor or array_like, shape (N, n_features)
        y : Tensor or array_like, shape (N,)
            Two classes, e.g. 0/1 or -1/+1; the larger label is the positive class.
        epochs : int, optional
            Maximum number of passes over the data.

        Returns
        -------
        Perceptron
            ``self``.
        """
        arr = _array(X)
        if arr.ndim != 2:
            raise ValueError(f"Perceptron.fit: got X of shape {arr.shape}; expected (N, n_features)")
        t = self._signs(y)
        if t.shape[0] != arr.shape[0]:
            raise ValueError(f"Perceptron.fit: got {arr.shape[0]} patterns and {t.shape[0]} labels")
        rng = np.random.default_rng(self.seed)
        self.weight = np.zeros(arr.shape[1])
        self.bias = 0.0
        self.errors_, self.accuracy_, self.converged_ = [], [], False
        for _ in range(int(epochs)):
            order = rng.permutation(len(arr)) if self.shuffle else range(len(arr))
            errors = 0
            for i in order:
                output = 1.0 if arr[i] @ self.weight + self.bias > 0 else -1.0
                if output != t[i]:  # the rule: move towards the misclassified pattern
                    self.weight += self.lr * t[i] * arr[i]
                    self.bias += self.lr * t[i]
                    errors += 1
            self.errors_.append(errors)
            self.accuracy_.append(float(np.mean(np.where(arr @ self.weight + self.bias > 0, 1.0, -1.0) == t)))
            if errors == 0:
                self.converged_ = True
                break
        return self

    def __repr__(self) -> str:
        return f"Perceptron(lr={self.lr}, shuffle={self.shuffle}, seed={self.seed})"
