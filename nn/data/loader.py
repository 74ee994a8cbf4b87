"""DataLoader: mini-batches from a dataset, by epochs over (shuffled) data or by sampling with replacement.

The textbook (section 8.4, "Epochs in SGD") distinguishes two ways of choosing the batches of SGD:

* **distinct batches within an epoch** (``replacement=False``, the default): every epoch visits each
  sample exactly once, in order or in a fresh random order (``shuffle=True``);
* **independent batches** (``replacement=True``): each batch is a random set of distinct samples chosen
  independently of the previous batches, so a sample may come back in consecutive batches and another
  may be skipped for a while. An "epoch" is then ``ceil(n / batch_size)`` batches (textbook (8.12)).

Examples
--------
>>> import numpy as np
>>> from nn.data import DataLoader, TensorDataset
>>> ds = TensorDataset(np.arange(10, dtype=np.float32).reshape(5, 2), np.arange(5))
>>> [y.tolist() for _, y in DataLoader(ds, batch_size=2)]
[[0, 1], [2, 3], [4]]
>>> [y.tolist() for _, y in DataLoader(ds, batch_size=2, drop_last=True)]
[[0, 1], [2, 3]]
>>> [y.shape for _, y in DataLoader(ds, batch_size=3, replacement=True, num_batches=4, seed=0)]
[(3,), (3,), (3,), (3,)]
"""

from __future__ import annotations

import math
from typing import Any, Iterator

import numpy as np

from autograd import Tensor, default_generator
from autograd.ops._common import is_int

from .datasets import TensorDataset

__all__ = ["DataLoader", "default_collate"]


def _as_field_array(values: list, field: int) -> np.ndarray:
    first = values[0]
    try:
        if isinstance(first, Tensor):
            return np.stack([v.data for v in values])
        return np.stack([np.asarray(v) for v in values])
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"DataLoader: cannot stack field {field} of a batch ({exc}); every sample must give arrays of "
            "one shape per field"
        ) from None


def default_collate(samples: list) -> tuple[Tensor, ...]:
    """Stack a list of samples (tuples of Tensors, arrays or numbers) field by field into Tensors.

    A sample that is not a tuple or list counts as a one-field sample.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data.loader import default_collate
    >>> X, y = default_collate([(np.zeros(3), 1), (np.ones(3), 0)])
    >>> X.shape, y.tolist()
    ((2, 3), [1, 0])
    """
    rows = [s if isinstance(s, (tuple, list)) else (s,) for s in samples]
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise ValueError(f"DataLoader: samples have different numbers of fields {sorted(widths)}; "
                         "expected the same")
    return tuple(Tensor(_as_field_array([r[i] for r in rows], i)) for i in range(widths.pop()))


def _check_int(value: Any, name: str, minimum: int) -> int:
    if not is_int(value) or value < minimum:
        raise ValueError(f"DataLoader: got {name}={value!r}; expected an integer >= {minimum}")
    return int(value)


class DataLoader:
    """Iterate over a dataset in mini-batches of Tensors.

    Parameters
    ----------
    dataset : Dataset
        Anything with ``len()`` and ``dataset[i]``. A :class:`~nn.data.TensorDataset` is batched with one
        fancy-indexing operation per field (no Python loop over samples); other datasets are indexed
        sample by sample and stacked with :func:`default_collate`.
    batch_size : int, optional
        Samples per batch.
    shuffle : bool, optional
        Visit the samples in a new random order every epoch (``replacement=False`` only).
    drop_last : bool, optional
        Leave out the last, smaller batch of an epoch (``replacement=False`` only; with replacement
        every batch is full).
    seed : int, optional
        Seed of this loader's own random generator: two loaders built with the same seed give the same
        sequence of batches, epoch after epoch (each new iteration continues the generator, so successive
        epochs differ). With None, the generator of :func:`autograd.manual_seed` is used.
    replacement : bool, optional
        Draw each batch independently: ``batch_size`` distinct samples chosen uniformly at random (all of
        them when ``batch_size >= len(dataset)``), with no memory of earlier batches, so samples repeat
        across batches (textbook 8.4, first case).
    num_batches : int, optional
        Batches per iteration. Default: one epoch, ``ceil(n / batch_size)`` (``floor`` with
        ``drop_last``). Without replacement, a larger value continues into the next epochs (each one
        reshuffled when ``shuffle``); a smaller one stops early.
    collate_fn : callable, optional
        Turns a list of samples into a batch (only for datasets that are not TensorDatasets);
        default :func:`default_collate`.

    Yields
    ------
    tuple of Tensor
        One Tensor per field, with the batch as first dimension, e.g. ``(X_batch, y_batch)``.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import DataLoader, TensorDataset
    >>> ds = TensorDataset(np.arange(6))
    >>> loader = DataLoader(ds, batch_size=4, shuffle=True, seed=0)
    >>> len(loader), [b.shape for (b,) in loader]
    (2, [(4,), (2,)])
    >>> sorted(np.concatenate([b.numpy() for (b,) in loader]).tolist())   # each sample once per epoch
    [0, 1, 2, 3, 4, 5]
    """

    def __init__(self, dataset: Any, batch_size: int = 1, shuffle: bool = False, drop_last: bool = False,
                 seed: int | None = None, replacement: bool = False, num_batches: int | None = None,
                 collate_fn: Any = None) -> None:
        try:
            n = len(dataset)
        except TypeError:
            raise TypeError(
                f"DataLoader: got a dataset of type {type(dataset).__name__} without len(); expected a "
                "Dataset (e.g. TensorDataset(X, y))"
            ) from None
        if n == 0:
            raise ValueError("DataLoader: got an empty dataset; expected at least one sample")
        self.dataset = dataset
        self.batch_size = _check_int(batch_size, "batch_size", 1)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.replacement = bool(replacement)
        self.seed = seed
        self.num_batches = None if num_batches is None else _check_int(num_batches, "num_batches", 1)
        self.collate_fn = default_collate if collate_fn is None else collate_fn
        if self.drop_last and not self.replacement and n < self.batch_size:
            raise ValueError(
                f"DataLoader: drop_last=True with batch_size={self.batch_size} > {n} samples would give no "
                "batch at all; lower batch_size or set drop_last=False"
            )
        self._rng = None if seed is None else np.random.default_rng(seed)

    # ------------------------------------------------------------------ sizes
    @property
    def _n(self) -> int:
        return len(self.dataset)

    def _epoch_batches(self) -> int:
        n, b = self._n, self.batch_size
        if self.replacement or not self.drop_last:
            return math.ceil(n / b)
        return n // b

    def __len__(self) -> int:
        """Number of batches one iteration yields."""
        return self.num_batches if self.num_batches is not None else self._epoch_batches()

    # ------------------------------------------------------------------ sampling
    def _generator(self) -> np.random.Generator:
        return self._rng if self._rng is not None else default_generator()

    def _index_batches(self) -> Iterator[np.ndarray]:
        n, b = self._n, self.batch_size
        total = len(self)
        if self.replacement:
            size = min(b, n)
            rng = self._generator()
            for _ in range(total):
                # One independent draw per batch: distinct samples inside the batch, none remembered.
                yield rng.choice(n, size=size, replace=False) if size < n else rng.permutation(n)
            return
        produced = 0
        while produced < total:
            order = self._generator().permutation(n) if self.shuffle else np.arange(n)
            stop = n - n % b if self.drop_last else n
            for start in range(0, stop, b):
                yield order[start:start + b]
                produced += 1
                if produced == total:
                    return

    def __iter__(self) -> Iterator[tuple[Tensor, ...]]:
        if isinstance(self.dataset, TensorDataset):
            arrays = self.dataset.arrays
            for idx in self._index_batches():
                yield tuple(Tensor(a[idx]) for a in arrays)
        else:
            dataset = self.dataset
            for idx in self._index_batches():
                yield self.collate_fn([dataset[int(i)] for i in idx])

    def __repr__(self) -> str:
        mode = "replacement" if self.replacement else ("shuffle" if self.shuffle else "sequential")
        return (f"DataLoader({self._n} samples, batch_size={self.batch_size}, {mode}, "
                f"{len(self)} batches per iteration)")
