"""Datasets: the :class:`Dataset` protocol, :class:`TensorDataset`, small synthetic problems and digits.

Every generator returns ``(X, y)`` as Tensors: features as float32, class labels as int64 (what
:class:`~nn.losses.CrossEntropyLoss` expects). Wrap them in :class:`TensorDataset` to feed a
:class:`~nn.data.DataLoader`.

Examples
--------
>>> from nn.data import moons, TensorDataset, train_test_split
>>> X, y = moons(100, noise=0.1, seed=0)
>>> X.shape, y.shape, str(X.dtype), str(y.dtype)
((100, 2), (100,), 'float32', 'int64')
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y)
>>> len(TensorDataset(X_train, y_train)), len(X_test)
(80, 20)
"""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import itertools
import math
import warnings
from collections.abc import Iterable
from typing import Any, Sequence, Union

import numpy as np

from autograd import Tensor, default_generator
from autograd.ops._common import is_int
from autograd.tensor import describe

__all__ = [
    "Dataset", "TensorDataset", "Subset", "ConcatDataset", "xor", "moons", "spirals", "digits",
    "train_test_split", "random_split",
]

ArrayOrTensor = Union[Tensor, np.ndarray]


def _to_array(x: Any, where: str) -> np.ndarray:
    """The numpy array behind a Tensor, array or nested list (no copy for arrays and Tensors)."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, np.ndarray):
        return x
    try:
        return np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{where}: got {type(x).__name__}; expected a Tensor or a numpy array") from exc


# --------------------------------------------------------------------------------------------- datasets
class Dataset:
    """A map-style dataset: ``len(ds)`` samples, ``ds[i]`` the ``i``-th one (a tuple of fields).

    Subclasses implement ``__len__`` and ``__getitem__(i)`` for ``0 <= i < len(ds)``; a
    :class:`~nn.data.DataLoader` stacks the fields of several samples into batches.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import Dataset, DataLoader
    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 5
    ...     def __getitem__(self, i):
    ...         return np.float32(i), i * i
    >>> [y.tolist() for _, y in DataLoader(Squares(), batch_size=2)]
    [[0, 1], [4, 9], [16]]
    """

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement __len__")

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __add__(self, other: Any) -> ConcatDataset:
        """``a + b``: the samples of ``a`` followed by those of ``b`` (a :class:`ConcatDataset`)."""
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Samples are rows of the given tensors: ``ds[i] == (t[i] for t in tensors)``.

    Parameters
    ----------
    *tensors : Tensor or numpy.ndarray
        One or more arrays with the same size of their first dimension (the samples). They are stored
        as numpy arrays, without copying, so a :class:`~nn.data.DataLoader` can cut batches out of them
        with one fancy-indexing operation per field.

    Attributes
    ----------
    arrays : tuple of numpy.ndarray
        The data, one array per field.

    Raises
    ------
    ValueError
        With no tensors, a 0-d tensor, or first dimensions that differ (all of them are named).

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import TensorDataset
    >>> ds = TensorDataset(np.zeros((3, 2), np.float32), np.array([0, 1, 0]))
    >>> len(ds), [t.shape for t in ds[1]]
    (3, [(2,), ()])
    >>> TensorDataset(np.zeros((3, 2)), np.zeros(4))
    Traceback (most recent call last):
    ...
    ValueError: TensorDataset: got tensors with first dimensions 3, 4; expected all equal (one row per sample)
    """

    def __init__(self, *tensors: ArrayOrTensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset: got no tensors; expected at least one, e.g. TensorDataset(X, y)")
        arrays = tuple(_to_array(t, "TensorDataset") for t in tensors)
        for i, a in enumerate(arrays):
            if a.ndim == 0:
                raise ValueError(
                    f"TensorDataset: tensor {i} is 0-dimensional; expected a first dimension indexing samples"
                )
        sizes = [a.shape[0] for a in arrays]
        if len(set(sizes)) > 1:
            raise ValueError(
                f"TensorDataset: got tensors with first dimensions {', '.join(map(str, sizes))}; "
                "expected all equal (one row per sample)"
            )
        self.arrays: tuple[np.ndarray, ...] = arrays

    @property
    def tensors(self) -> tuple[Tensor, ...]:
        """The fields as Tensors (sharing memory with :attr:`arrays`)."""
        return tuple(Tensor(a) for a in self.arrays)

    def __len__(self) -> int:
        return self.arrays[0].shape[0]

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        """Row(s) ``index`` of every field; an int, a slice or an integer array."""
        n = len(self)
        if isinstance(index, (int, np.integer)) and not -n <= index < n:
            raise IndexError(f"TensorDataset: index {index} out of range for {n} samples")
        return tuple(Tensor(a[index]) for a in self.arrays)

    def __repr__(self) -> str:
        shapes = ", ".join(f"{a.shape}:{a.dtype}" for a in self.arrays)
        return f"TensorDataset({len(self)} samples; {shapes})"


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import TensorDataset, Subset
    >>> sub = Subset(TensorDataset(np.arange(10)), [9, 0])
    >>> len(sub), sub[0][0].item()
    (2, 9)
    """

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset = dataset
        raw = indices.data if isinstance(indices, Tensor) else indices
        try:
            arr = np.asarray(raw)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"Subset: got indices {describe(indices)}; expected a sequence of integers"
            ) from exc
        # an empty list is float64 to numpy; anything else must be integers (not floats, not bools,
        # which np.asarray(..., dtype=int64) would silently truncate or turn into 0/1)
        if arr.size and arr.dtype.kind not in "iu":
            raise TypeError(
                f"Subset: got indices of dtype {arr.dtype} ({_first_bad_index(arr)!r}); "
                "expected a sequence of integers"
            )
        if arr.ndim == 0:
            raise TypeError(
                f"Subset: got a single index {raw!r}; expected a sequence of integers, e.g. [{raw!r}]"
            )
        self.indices = arr.astype(np.int64).reshape(-1)
        n = len(dataset)
        if self.indices.size and (self.indices.min() < -n or self.indices.max() >= n):
            raise IndexError(f"Subset: indices out of range for a dataset of {n} samples")

    def __len__(self) -> int:
        return int(self.indices.size)

    def __getitem__(self, index: Any) -> Any:
        if not is_int(index):
            raise TypeError(
                f"Subset: got index {describe(index)}; expected an integer"
            )
        return self.dataset[int(self.indices[index])]


class ConcatDataset(Dataset):
    """Several datasets one after the other: the samples of the first, then those of the second, ...

    Parameters
    ----------
    datasets : iterable of Dataset
        At least one; anything with ``len()`` and indexing (an empty one adds nothing).

    Attributes
    ----------
    datasets : list
        The datasets, in order.
    cumulative_sizes : list of int
        ``cumulative_sizes[k]`` is the number of samples in datasets ``0..k``.

    Raises
    ------
    ValueError
        For no datasets at all; for an index below ``-len(self)`` (IndexError above ``len(self) - 1``).
    TypeError
        For a single dataset (rather than a list of them), a member without ``len()``, or an index that
        is not an int.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import ConcatDataset, TensorDataset
    >>> both = ConcatDataset([TensorDataset(np.arange(3)), TensorDataset(np.arange(10, 12))])
    >>> len(both), both.cumulative_sizes, both[3][0].item(), both[-1][0].item()
    (5, [3, 5], 10, 11)
    """

    def __init__(self, datasets: Iterable[Any]) -> None:
        if isinstance(datasets, Dataset) or not isinstance(datasets, Iterable):
            raise TypeError(f"ConcatDataset: got datasets {describe(datasets)}; expected a list of "
                            "datasets, e.g. ConcatDataset([train, extra])")
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: got no datasets; expected at least one")
        sizes = []
        for i, dataset in enumerate(self.datasets):
            try:
                sizes.append(len(dataset))
            except TypeError:
                raise TypeError(f"ConcatDataset: got dataset {i} {describe(dataset)}, without len(); "
                                "expected a Dataset") from None
        self.cumulative_sizes: list[int] = list(itertools.accumulate(sizes))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: Any) -> Any:
        if not is_int(index):
            raise TypeError(f"ConcatDataset: got index {describe(index)}; expected an int")
        n = len(self)
        if index < 0:
            if -index > n:
                raise ValueError(f"ConcatDataset: got index {index} for {n} samples; expected an index "
                                 f"whose absolute value is at most {n}")
            index += n
        if index >= n:
            raise IndexError(f"ConcatDataset: got index {index} for {n} samples; expected an index below {n}")
        k = bisect.bisect_right(self.cumulative_sizes, index)
        return self.datasets[k][index - (self.cumulative_sizes[k - 1] if k else 0)]

    def __repr__(self) -> str:
        return f"ConcatDataset({len(self)} samples from {len(self.datasets)} datasets)"


def _first_bad_index(arr: np.ndarray) -> Any:
    """The first entry of ``arr`` that is not an integer (for error messages)."""
    for v in arr.reshape(-1):
        if not is_int(v):
            return v.item() if isinstance(v, np.generic) else v
    return arr.reshape(-1)[0]


# ------------------------------------------------------------------------------------- small problems
def _check_positive(n: Any, name: str, where: str, minimum: int = 1) -> int:
    if not is_int(n) or n < minimum:
        raise ValueError(f"{where}: got {name}={n!r}; expected an integer >= {minimum}")
    return int(n)


def _check_noise(noise: Any, where: str) -> float:
    noise = float(noise)
    if not noise >= 0.0:  # also refuses NaN
        raise ValueError(f"{where}: got noise={noise!r}; expected a standard deviation >= 0")
    return noise


def xor() -> tuple[Tensor, Tensor]:
    """The four points of XOR: inputs ``{0, 1}^2``, label 1 where exactly one input is 1.

    Returns
    -------
    X : Tensor, float32, shape (4, 2)
    y : Tensor, int64, shape (4,)
        ``[0, 1, 1, 0]``. For a sigmoid output with a BCE or MSE loss use
        ``y.astype("float32").reshape(4, 1)``.

    Examples
    --------
    >>> from nn.data import xor
    >>> X, y = xor()
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return Tensor(X), Tensor(y)


def moons(n_samples: int = 200, noise: float = 0.1, seed: int | None = 0) -> tuple[Tensor, Tensor]:
    """Two interleaving half circles (scikit-learn's ``make_moons``, written with numpy).

    Class 0 is the upper half circle of radius 1 centred at (0, 0); class 1 the lower one centred at
    (1, 0.5). Gaussian noise of standard deviation ``noise`` is added to every coordinate and the
    samples are shuffled.

    Parameters
    ----------
    n_samples : int, optional
        Total number of points (class 0 gets the extra one when odd).
    noise : float, optional
        Standard deviation of the noise (0 for points exactly on the circles).
    seed : int or None, optional
        Seed of the random generator (None: fresh randomness).

    Returns
    -------
    X : Tensor, float32, shape (n_samples, 2)
    y : Tensor, int64, shape (n_samples,)

    Examples
    --------
    >>> from nn.data import moons
    >>> X, y = moons(7, noise=0.0)
    >>> X.shape, sorted(y.tolist())
    ((7, 2), [0, 0, 0, 0, 1, 1, 1])
    """
    n = _check_positive(n_samples, "n_samples", "moons", minimum=2)
    noise = _check_noise(noise, "moons")
    rng = np.random.default_rng(seed)
    n_out = (n + 1) // 2
    n_in = n - n_out
    t_out = np.linspace(0.0, np.pi, n_out)
    t_in = np.linspace(0.0, np.pi, n_in)
    X = np.concatenate([
        np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
        np.stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1),
    ])
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    order = rng.permutation(n)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return Tensor(X.astype(np.float32)), Tensor(y)


def spirals(n_samples: int = 300, n_classes: int = 2, noise: float = 0.2, turns: float = 1.0,
            seed: int | None = 0) -> tuple[Tensor, Tensor]:
    """Interleaved spiral arms, one per class (the classic "spiral" toy problem).

    Arm ``k`` holds points at radius ``r`` in ``[0, 1]`` and angle ``2 pi (turns r + k / n_classes)``
    plus Gaussian angle noise of standard deviation ``noise`` (radians); the classes are balanced (the
    first ones get one extra point when ``n_samples`` is not divisible) and the samples are shuffled.

    Parameters
    ----------
    n_samples : int, optional
        Total number of points.
    n_classes : int, optional
        Number of arms (2 or 3 are typical; any value >= 2 works).
    noise : float, optional
        Standard deviation of the angular noise, in radians.
    turns : float, optional
        How many full turns each arm makes.
    seed : int or None, optional
        Seed of the random generator.

    Returns
    -------
    X : Tensor, float32, shape (n_samples, 2)
    y : Tensor, int64, shape (n_samples,)

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import spirals
    >>> X, y = spirals(301, n_classes=3)
    >>> X.shape, np.bincount(y.numpy()).tolist()
    ((301, 2), [101, 100, 100])
    """
    n = _check_positive(n_samples, "n_samples", "spirals")
    k = _check_positive(n_classes, "n_classes", "spirals", minimum=2)
    if n < k:
        raise ValueError(f"spirals: got n_samples={n} < n_classes={k}; expected at least one point per class")
    noise = _check_noise(noise, "spirals")
    rng = np.random.default_rng(seed)
    counts = [n // k + (1 if c < n % k else 0) for c in range(k)]
    xs, ys = [], []
    for c, m in enumerate(counts):
        r = np.linspace(0.05, 1.0, m)
        theta = 2.0 * np.pi * (float(turns) * r + c / k) + rng.normal(0.0, noise, size=m)
        xs.append(np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1))
        ys.append(np.full(m, c, dtype=np.int64))
    X, y = np.concatenate(xs), np.concatenate(ys)
    order = rng.permutation(n)
    return Tensor(X[order].astype(np.float32)), Tensor(y[order])


# -------------------------------------------------------------------------------------------- digits
@functools.lru_cache(maxsize=1)
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    resource = importlib.resources.files(__package__).joinpath("digits.npz")
    try:
        with resource.open("rb") as f, np.load(f, allow_pickle=False) as archive:
            images, labels = archive["images"], archive["labels"]
    except FileNotFoundError:
        raise FileNotFoundError(
            f"digits: the data file {resource} is missing; reinstall chaingrad (it ships as package data)"
        ) from None
    if images.shape != (1797, 8, 8) or labels.shape != (1797,):
        raise ValueError(
            f"digits: {resource} holds images {images.shape} and labels {labels.shape}; "
            "expected (1797, 8, 8) and (1797,) (corrupt file?)"
        )
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def digits(flatten: bool = False, normalize: bool = True) -> tuple[Tensor, Tensor]:
    """The 1,797 8x8 handwritten digits of UCI / scikit-learn (``nn/data/digits.npz``).

    Source and licence (CC BY 4.0): see ``nn/data/DIGITS_SOURCE.md``. Each pixel counts the "on" pixels
    of a 4x4 block of the original 32x32 bitmap, so raw values are integers 0..16.

    Parameters
    ----------
    flatten : bool, optional
        Return images as rows of 64 features (for an MLP) instead of ``(1, 8, 8)`` (for a CNN).
    normalize : bool, optional
        Divide by 16 so pixels lie in [0, 1] (default). With False the raw counts 0..16 are returned
        (still float32).

    Returns
    -------
    X : Tensor, float32, shape (1797, 1, 8, 8), or (1797, 64) with ``flatten=True``
    y : Tensor, int64, shape (1797,)
        Classes 0..9, about 180 of each.

    Examples
    --------
    >>> from nn.data import digits
    >>> X, y = digits()
    >>> X.shape, y.shape, float(X.numpy().max()), sorted(set(y.tolist())) == list(range(10))
    ((1797, 1, 8, 8), (1797,), 1.0, True)
    >>> digits(flatten=True)[0].shape
    (1797, 64)
    """
    images, labels = _digits_arrays()
    X = images.astype(np.float32)
    if normalize:
        X /= 16.0
    X = X.reshape(len(X), 64) if flatten else X.reshape(len(X), 1, 8, 8)
    return Tensor(X), Tensor(labels.astype(np.int64))


# -------------------------------------------------------------------------------------------- splitting
def _n_test(test_size: Any, n: int) -> int:
    if isinstance(test_size, bool):
        raise ValueError(f"train_test_split: got test_size={test_size!r}; expected a fraction or a count")
    if isinstance(test_size, (int, np.integer)):
        n_test = int(test_size)
    elif isinstance(test_size, (float, np.floating)):
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"train_test_split: got test_size={test_size!r}; expected a fraction in (0, 1)")
        n_test = math.ceil(float(test_size) * n)
    else:
        raise ValueError(f"train_test_split: got test_size={test_size!r}; expected a fraction or a count")
    if not 0 < n_test < n:
        raise ValueError(
            f"train_test_split: test_size={test_size!r} leaves {n_test} of {n} samples for testing; "
            "expected at least one sample in each part"
        )
    return n_test


def _stratified_test_indices(labels: np.ndarray, n_test: int, rng: np.random.Generator) -> np.ndarray:
    classes, y = np.unique(labels, return_inverse=True)
    counts = np.bincount(y, minlength=len(classes))
    # Largest-remainder allocation: each class gets its share of n_test, the total is exactly n_test.
    share = counts * (n_test / len(labels))
    take = np.floor(share).astype(np.int64)
    remainder = share - take
    order = np.lexsort((rng.random(len(classes)), -remainder))  # ties broken at random
    for c in order[: n_test - int(take.sum())]:
        take[c] += 1
    take = np.minimum(take, counts)
    chosen = []
    for c in range(len(classes)):
        members = np.flatnonzero(y == c)
        chosen.append(rng.permutation(members)[: take[c]])
    return np.concatenate(chosen)


def train_test_split(*arrays: Any, test_size: float | int = 0.2, seed: int | None = 0,
                     stratify: Any = None) -> list[Any]:
    """Split arrays into random train and test parts (scikit-learn's order of results).

    Parameters
    ----------
    *arrays : Tensor or numpy.ndarray
        Arrays with the same first dimension, split along it with the same indices.
    test_size : float or int, optional
        Fraction of the samples in the test part (rounded up), or their number.
    seed : int or None, optional
        Seed of the random permutation.
    stratify : array_like, optional
        Class labels (usually ``y``): each class then gets the same share of the test part as of the
        whole, up to rounding.

    Returns
    -------
    list
        ``[a_train, a_test, b_train, b_test, ...]``, each of the same type as its input (a Tensor for a
        Tensor, a numpy array otherwise). The samples keep a random order.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import train_test_split
    >>> X, y = np.arange(20).reshape(10, 2), np.array([0] * 5 + [1] * 5)
    >>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.4, stratify=y)
    >>> X_tr.shape, X_te.shape, sorted(y_te.tolist())
    ((6, 2), (4, 2), [0, 0, 1, 1])
    """
    if not arrays:
        raise ValueError("train_test_split: got no arrays; expected at least one, e.g. (X, y)")
    data = [_to_array(a, "train_test_split") for a in arrays]
    if any(a.ndim == 0 for a in data):
        raise ValueError("train_test_split: got a 0-dimensional array; expected one row per sample")
    sizes = [a.shape[0] for a in data]
    if len(set(sizes)) > 1:
        raise ValueError(
            f"train_test_split: got arrays with first dimensions {', '.join(map(str, sizes))}; "
            "expected all equal"
        )
    n = sizes[0]
    n_test = _n_test(test_size, n)
    rng = np.random.default_rng(seed)
    if stratify is None:
        perm = rng.permutation(n)
        test_idx, train_idx = perm[:n_test], perm[n_test:]
    else:
        labels = _to_array(stratify, "train_test_split").reshape(-1)
        if labels.shape[0] != n:
            raise ValueError(f"train_test_split: stratify has {labels.shape[0]} labels; expected {n}")
        test_idx = _stratified_test_indices(labels, n_test, rng)
        mask = np.ones(n, dtype=bool)
        mask[test_idx] = False
        train_idx = rng.permutation(np.flatnonzero(mask))
        test_idx = rng.permutation(test_idx)
    out: list[Any] = []
    for original, a in zip(arrays, data):
        for idx in (train_idx, test_idx):
            part = a[idx]
            out.append(Tensor(part) if isinstance(original, Tensor) else part)
    return out


def check_generator(generator: Any, where: str) -> np.random.Generator | None:
    """``generator`` itself if it is a ``numpy.random.Generator`` or None, else a TypeError."""
    if generator is not None and not isinstance(generator, np.random.Generator):
        raise TypeError(f"{where}: got generator {describe(generator)}; expected a "
                        "numpy.random.Generator (such as np.random.default_rng(42)) or None")
    return generator


def resolve_generator(generator: np.random.Generator | None) -> np.random.Generator:
    """The generator to draw from: the given one, or (looked up at each draw, since manual_seed replaces
    it) the one :func:`autograd.manual_seed` seeds."""
    return default_generator() if generator is None else generator


def _split_lengths(lengths: Any, n: int) -> list[int]:
    """The sizes of :func:`random_split`'s parts: ``lengths`` themselves, or, for fractions that sum to 1,
    ``floor(n * fraction)`` each plus one sample per part, round-robin from the first, until all ``n``
    samples are placed (PyTorch's rule)."""
    if isinstance(lengths, (str, bytes)) or not isinstance(lengths, (Sequence, np.ndarray)):
        raise TypeError(f"random_split: got lengths {describe(lengths)}; expected a sequence of ints "
                        "or of fractions")
    values = list(lengths)
    for i, v in enumerate(values):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"random_split: got a value {describe(v)} at index {i} of lengths; expected an "
                            "int or a fraction")
    total = sum(values)
    if values and math.isclose(total, 1) and total <= 1:
        counts = []
        for i, fraction in enumerate(values):
            if not 0 <= fraction <= 1:
                raise ValueError(f"random_split: got the fraction {fraction} at index {i} of lengths; "
                                 "expected fractions between 0 and 1")
            counts.append(math.floor(n * fraction))
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(f"random_split: part {i} of the split is empty (the fraction {values[i]} of "
                              f"{n} samples rounds down to 0)", stacklevel=3)
        return counts
    for i, v in enumerate(values):
        if not is_int(v) or v < 0:
            raise ValueError(f"random_split: got {v!r} at index {i} of lengths {values}; expected "
                             "non-negative ints, or fractions that sum to 1")
    if total != n:
        raise ValueError(f"random_split: the lengths {values} sum to {total}; expected the length of the "
                         f"dataset, {n} (or fractions that sum to 1)")
    return [int(v) for v in values]


def random_split(dataset: Any, lengths: Sequence[int | float],
                 generator: np.random.Generator | None = None) -> list[Subset]:
    """Split ``dataset`` at random into non-overlapping :class:`Subset` parts of the given lengths.

    Parameters
    ----------
    dataset : Dataset
        Anything with ``len()`` and ``dataset[i]``.
    lengths : sequence of int or float
        The size of each part, summing to ``len(dataset)``; or fractions summing to 1, each part then
        getting ``floor(len(dataset) * fraction)`` samples and the samples left over going one each to the
        parts in turn, from the first (as in PyTorch). An empty part from fractions gives a warning.
    generator : numpy.random.Generator, optional
        Where the random order comes from, e.g. ``np.random.default_rng(42)`` for a split of its own; by
        default the generator of :func:`autograd.manual_seed`.

    Returns
    -------
    list of Subset
        One per length, in order; together they hold every sample once.

    Raises
    ------
    ValueError
        If the lengths do not sum to ``len(dataset)`` (nor are fractions summing to 1), or one is negative.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import TensorDataset, random_split
    >>> ds = TensorDataset(np.arange(10))
    >>> train, val = random_split(ds, [0.75, 0.25], generator=np.random.default_rng(0))
    >>> len(train), len(val)
    (8, 2)
    >>> sorted(np.concatenate([train.indices, val.indices]).tolist()) == list(range(10))
    True
    """
    try:
        n = len(dataset)
    except TypeError:
        raise TypeError(f"random_split: got a dataset {describe(dataset)} without len(); expected a "
                        "Dataset") from None
    counts = _split_lengths(lengths, n)
    order = resolve_generator(check_generator(generator, "random_split")).permutation(n)
    ends = itertools.accumulate(counts)
    return [Subset(dataset, order[end - count:end]) for end, count in zip(ends, counts)]
