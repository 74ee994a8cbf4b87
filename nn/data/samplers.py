"""Samplers: the order in which a :class:`~nn.data.DataLoader` visits a dataset's indices.

A sampler is an iterable of indices (``DataLoader(ds, sampler=...)``); a batch sampler an iterable of
lists of indices, one list per batch (``DataLoader(ds, batch_sampler=...)``). They are PyTorch's, with
the same arguments; the random ones draw from a ``numpy.random.Generator`` given as ``generator``, or
from the generator :func:`autograd.manual_seed` seeds, so a seed makes them reproducible (the numbers
differ from PyTorch's, whose random streams are its own).

Examples
--------
>>> from nn.data import BatchSampler, SequentialSampler
>>> list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False))
[[0, 1, 2], [3, 4, 5], [6]]
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from autograd import Tensor
from autograd.tensor import describe

from .datasets import _check_positive, check_generator, resolve_generator

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
           "BatchSampler"]


def _check_flag(value: Any, name: str, where: str, error: type[Exception]) -> bool:
    # PyTorch refuses anything but a bool here (1 and None too); each sampler raises its own class
    if not isinstance(value, (bool, np.bool_)):
        raise error(f"{where}: got {name}={value!r}; expected True or False")
    return bool(value)


class Sampler:
    """Base class of samplers: an iterable of dataset indices, usually with ``len()``.

    Subclasses implement ``__iter__`` (and ``__len__`` where the number of indices is known, which
    ``len(loader)`` needs).

    Examples
    --------
    >>> from nn.data import DataLoader, Sampler, TensorDataset
    >>> import numpy as np
    >>> class Backwards(Sampler):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(self.n - 1, -1, -1))
    ...     def __len__(self):
    ...         return self.n
    >>> [b.tolist() for (b,) in DataLoader(TensorDataset(np.arange(5)), batch_size=2, sampler=Backwards(5))]
    [[4, 3], [2, 1], [0]]
    """

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement __iter__")


class SequentialSampler(Sampler):
    """The indices ``0, 1, ..., len(data_source) - 1`` in order.

    Examples
    --------
    >>> from nn.data import SequentialSampler
    >>> list(SequentialSampler(range(4))), len(SequentialSampler(range(4)))
    ([0, 1, 2, 3], 4)
    """

    def __init__(self, data_source: Any) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """The indices of ``data_source`` in random order.

    Parameters
    ----------
    data_source : Dataset
        Anything with ``len()``.
    replacement : bool, optional
        Draw each index independently and uniformly (indices may repeat). Without it (the default) the
        indices are a random permutation; ``num_samples`` larger than the dataset gives several
        permutations one after the other, the last one cut short.
    num_samples : int, optional
        Indices per iteration; default ``len(data_source)`` (read at each use).
    generator : numpy.random.Generator, optional
        Source of randomness; default the generator of :func:`autograd.manual_seed`.

    Raises
    ------
    TypeError
        For ``replacement`` that is not a bool, or a generator of another kind.
    ValueError
        For ``num_samples`` that is not a positive int (an empty dataset gives 0).

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import RandomSampler
    >>> sorted(RandomSampler(range(5), generator=np.random.default_rng(0)))
    [0, 1, 2, 3, 4]
    >>> len(RandomSampler(range(5), replacement=True, num_samples=12))
    12
    """

    def __init__(self, data_source: Any, replacement: bool = False, num_samples: int | None = None,
                 generator: np.random.Generator | None = None) -> None:
        self.data_source = data_source
        self.replacement = _check_flag(replacement, "replacement", "RandomSampler", TypeError)
        self._num_samples = num_samples
        self.generator = check_generator(generator, "RandomSampler")
        if num_samples is None and self.num_samples == 0:
            raise ValueError("RandomSampler: got an empty data_source; expected at least one sample to draw")
        _check_positive(self.num_samples, "num_samples", "RandomSampler")

    @property
    def num_samples(self) -> int:
        """Indices per iteration: the given number, or the dataset's length."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n, count = len(self.data_source), self.num_samples
        if n == 0:
            raise ValueError(f"RandomSampler: got an empty data_source; expected samples to draw "
                             f"num_samples={count} indices from")
        rng = resolve_generator(self.generator)
        if self.replacement:
            yield from rng.integers(0, n, size=count).tolist()
            return
        for _ in range(count // n):
            yield from rng.permutation(n).tolist()
        yield from rng.permutation(n)[:count % n].tolist()

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices in a random order (a new one at each iteration), without replacement.

    Parameters
    ----------
    indices : sequence
        The indices to visit; they are yielded as they are (elements of the sequence).
    generator : numpy.random.Generator, optional
        Source of randomness; default the generator of :func:`autograd.manual_seed`.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import SubsetRandomSampler
    >>> sorted(SubsetRandomSampler([10, 20, 30], generator=np.random.default_rng(0)))
    [10, 20, 30]
    """

    def __init__(self, indices: Sequence[Any], generator: np.random.Generator | None = None) -> None:
        try:
            len(indices)
        except TypeError:
            raise TypeError(f"SubsetRandomSampler: got indices {describe(indices)}; expected a sequence of "
                            "indices") from None
        self.indices = indices
        self.generator = check_generator(generator, "SubsetRandomSampler")

    def __iter__(self) -> Iterator[Any]:
        for i in resolve_generator(self.generator).permutation(len(self.indices)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices in ``[0, len(weights))``, index ``i`` drawn with probability proportional
    to ``weights[i]`` (the weights need not sum to 1). An index of weight 0 is never drawn.

    Parameters
    ----------
    weights : sequence of float
        One non-negative, finite weight per index, not all 0.
    num_samples : int
        Indices per iteration.
    replacement : bool, optional
        Draw independently (default). Without replacement every index appears at most once, and
        ``num_samples`` must not exceed the number of non-zero weights.
    generator : numpy.random.Generator, optional
        Source of randomness; default the generator of :func:`autograd.manual_seed`.

    Attributes
    ----------
    weights : Tensor
        The weights, as float64.

    Raises
    ------
    ValueError
        For weights that are not a 1-D sequence of numbers, ``num_samples`` that is not a positive int, or
        ``replacement`` that is not a bool.
    RuntimeError
        For a negative, infinite or NaN weight, weights summing to 0, or (without replacement) more
        samples than non-zero weights.
    TypeError
        For a generator of another kind.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data import WeightedRandomSampler
    >>> draws = list(WeightedRandomSampler([0.0, 1.0, 3.0], 100, generator=np.random.default_rng(0)))
    >>> len(draws), 0 in draws
    (100, False)
    """

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: np.random.Generator | None = None) -> None:
        where = "WeightedRandomSampler"
        self.num_samples = _check_positive(num_samples, "num_samples", where)
        self.replacement = _check_flag(replacement, "replacement", where, ValueError)
        self.generator = check_generator(generator, where)
        try:
            w = np.asarray(weights.data if isinstance(weights, Tensor) else weights, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: got weights {describe(weights)}; expected a 1-D sequence of "
                             "numbers") from None
        if w.ndim != 1:
            raise ValueError(f"{where}: got weights of shape {w.shape}; expected a 1-D sequence")
        bad = np.flatnonzero(~(np.isfinite(w) & (w >= 0)))
        if bad.size:
            raise RuntimeError(f"{where}: got the weight {w[bad[0]]} at index {bad[0]}; expected finite "
                               "weights >= 0")
        if not w.sum() > 0:
            raise RuntimeError(f"{where}: got {w.size} weights summing to 0; expected at least "
                               "one weight > 0")
        nonzero = int(np.count_nonzero(w))
        if not self.replacement and self.num_samples > nonzero:
            raise RuntimeError(f"{where}: got num_samples={self.num_samples} without replacement; expected "
                               f"at most the {nonzero} indices of non-zero weight")
        self.weights = Tensor(w)

    def __iter__(self) -> Iterator[int]:
        w = self.weights.data
        draws = resolve_generator(self.generator).choice(w.size, size=self.num_samples,
                                                         replace=self.replacement, p=w / w.sum())
        yield from draws.tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Group the indices of ``sampler`` into lists of ``batch_size``, the last one shorter unless
    ``drop_last`` leaves it out.

    Parameters
    ----------
    sampler : Sampler or iterable of indices
    batch_size : int
        A positive int.
    drop_last : bool
        Leave out the last batch if it is shorter than ``batch_size``.

    Raises
    ------
    ValueError
        For ``batch_size`` that is not a positive int or ``drop_last`` that is not a bool.

    Examples
    --------
    >>> from nn.data import BatchSampler
    >>> list(BatchSampler(range(5), 2, drop_last=True)), len(BatchSampler(range(5), 2, drop_last=False))
    ([[0, 1], [2, 3]], 3)
    """

    def __init__(self, sampler: Iterable[Any], batch_size: int, drop_last: bool) -> None:
        self.sampler = sampler
        self.batch_size = _check_positive(batch_size, "batch_size", "BatchSampler")
        self.drop_last = _check_flag(drop_last, "drop_last", "BatchSampler", ValueError)

    def __iter__(self) -> Iterator[list[Any]]:
        batch: list[Any] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
