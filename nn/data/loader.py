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

import copy
import math
from collections.abc import Iterable, Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any, Iterator

import numpy as np

from autograd import Tensor, default_generator, tensor
from autograd.tensor import describe

from .datasets import TensorDataset, _check_positive
from .samplers import BatchSampler

__all__ = ["DataLoader", "default_collate"]


_COLLATE_TYPES = "tensors, numpy arrays, numbers, strings, dicts or sequences"


def _place(where: str, part: str) -> str:
    return f"{where}, {part}" if where else part


def _stack(batch: Sequence[Any], where: str) -> Tensor:
    """One Tensor whose first dimension runs over the batch (the arrays of ``batch`` stacked)."""
    try:
        stacked = np.stack([v.data if isinstance(v, Tensor) else np.asarray(v) for v in batch])
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"default_collate: cannot stack {where or 'the samples'} of a batch ({exc}); every sample must "
            "give arrays of one shape there"
        ) from None
    if stacked.dtype.kind in "SUOVMm":
        raise TypeError(f"default_collate: found arrays of dtype {stacked.dtype} in {where or 'the samples'} "
                        f"of a batch; expected {_COLLATE_TYPES}")
    return Tensor(stacked)


def _numbers(batch: Sequence[Any], where: str, kind: type) -> Tensor:
    """A 1-D Tensor of Python numbers (or 0-d Tensors): float64 if the first one is a float, as in
    PyTorch; otherwise the dtype ``tensor()`` gives the list (int64 for ints, bool for bools, float32 once
    a float is among them)."""
    batch = [v.item() if isinstance(v, Tensor) and v.data.ndim == 0 else v for v in batch]
    bad = next((v for v in batch if not isinstance(v, (int, float, np.integer, np.floating, np.bool_))), None)
    if bad is not None:
        raise TypeError(f"default_collate: found a value {describe(bad)} among the {kind.__name__}s of "
                        f"{where or 'the samples'} of a batch; expected numbers there")
    if kind is float:
        return Tensor(np.asarray(batch, dtype=np.float64))
    return tensor(batch)


def _check_all(batch: Sequence[Any], kind: Any, where: str, what: str) -> None:
    for i, v in enumerate(batch):
        if not isinstance(v, kind) or isinstance(v, (str, bytes)):
            raise TypeError(f"default_collate: sample {i} gives a value {describe(v)} in "
                            f"{where or 'the samples'} of a batch, sample 0 {what}; expected the same kind")


def _collate(batch: Sequence[Any], where: str) -> Any:
    first = batch[0]
    if isinstance(first, (Tensor, np.ndarray, np.generic)):
        return _stack(batch, where)
    if isinstance(first, float):
        return _numbers(batch, where, float)
    if isinstance(first, int):  # bool too
        return _numbers(batch, where, int)
    if isinstance(first, (str, bytes)):
        return batch  # a field of tuples gives a tuple of strings, as in PyTorch
    if isinstance(first, Mapping):
        _check_all(batch, Mapping, where, "a mapping")
        fields = {}
        for key in first:
            for i, sample in enumerate(batch):
                if key not in sample:
                    raise KeyError(f"default_collate: sample {i} of a batch has no key {key!r} in "
                                   f"{where or 'the samples'}, which sample 0 has; expected the same keys")
            fields[key] = _collate([sample[key] for sample in batch], _place(where, f"key {key!r}"))
        if isinstance(first, MutableMapping):
            out = copy.copy(first)
            out.update(fields)
            return out
        try:
            return type(first)(fields)
        except TypeError:
            return fields
    if isinstance(first, Sequence):
        _check_all(batch, Sequence, where, "a sequence")
        widths = {len(sample) for sample in batch}
        if len(widths) != 1:
            raise ValueError(f"default_collate: samples have different numbers of fields {sorted(widths)} in "
                             f"{where or 'a batch'}; expected the same")
        columns = [_collate(tuple(sample[i] for sample in batch), _place(where, f"field {i}"))
                   for i in range(len(first))]
        if isinstance(first, tuple):
            # a namedtuple stays one; a plain tuple gives a list, as PyTorch's default_collate
            return type(first)(*columns) if hasattr(first, "_fields") else columns
        if isinstance(first, MutableSequence):
            out = copy.copy(first)
            for i, column in enumerate(columns):
                out[i] = column
            return out
        try:
            return type(first)(columns)
        except TypeError:
            return columns
    if hasattr(first, "__array__") and hasattr(first, "shape"):  # another library's tensor
        return _stack(batch, where)
    raise TypeError(f"default_collate: found a value {describe(first)} in {where or 'the samples'} of a "
                    f"batch; expected {_COLLATE_TYPES}")


def default_collate(samples: Sequence[Any]) -> Any:
    """Merge a list of samples into a batch as PyTorch's ``default_collate`` does, by the type of the first:

    * a Tensor, numpy array or numpy scalar: one Tensor, the samples stacked along a new first dimension
      (the dtype kept);
    * Python floats: a float64 Tensor; ints: an int64 Tensor; bools: a bool Tensor;
    * strings: the list of them;
    * a tuple: a **list** with one batch per field, each collated in turn (``[X_batch, y_batch]``); a
      namedtuple: the same namedtuple of batches; a list: a list of batches;
    * a dict (any mapping): a dict of the same type with each key's values collated.

    Parameters
    ----------
    samples : sequence
        The samples of one batch (at least one).

    Raises
    ------
    ValueError
        For an empty batch, arrays of different shapes in one place, or samples with different numbers
        of fields.
    TypeError
        For values of another type (None, an object), or samples of different kinds.
    KeyError
        For a dict sample without a key of the first.

    Examples
    --------
    >>> import numpy as np
    >>> from nn.data.loader import default_collate
    >>> X, y = default_collate([(np.zeros(3), 1), (np.ones(3), 0)])
    >>> X.shape, y.tolist(), str(y.dtype)
    ((2, 3), [1, 0], 'int64')
    >>> batch = default_collate([{"x": 0.5, "name": "a"}, {"x": 1.5, "name": "b"}])
    >>> batch["x"].dtype, batch["name"]
    (dtype('float64'), ['a', 'b'])
    """
    if isinstance(samples, (str, bytes)) or not isinstance(samples, (Sequence, np.ndarray, Tensor)):
        raise TypeError(f"default_collate: got samples {describe(samples)}; expected a list of samples")
    batch = list(samples)
    if not batch:
        raise ValueError("default_collate: got an empty batch; expected at least one sample")
    return _collate(batch, "")


def _check_sampling(shuffle: bool, sampler: Any, batch_sampler: Any, batch_size: Any, drop_last: bool,
                    seed: Any, replacement: bool) -> None:
    """Refuse the combinations of options that contradict each other (PyTorch's rules, and the same for
    chaingrad's own ``seed`` and ``replacement``, which only the loader's own order uses)."""
    for name, given in (("sampler", sampler), ("batch_sampler", batch_sampler)):
        if given is not None and not isinstance(given, Iterable):
            raise TypeError(f"DataLoader: got {name} {describe(given)}; expected an iterable of indices"
                            + (" lists" if name == "batch_sampler" else ""))
    if batch_sampler is not None:
        clashes = [text for text, clash in (
            (f"batch_size={batch_size!r}", batch_size != 1), ("shuffle=True", shuffle),
            ("sampler", sampler is not None), ("drop_last=True", drop_last)) if clash]
        if clashes:
            raise ValueError(f"DataLoader: got batch_sampler with {', '.join(clashes)}; expected "
                             "batch_sampler alone, since it decides batch_size, shuffle, sampler and "
                             "drop_last")
    if sampler is not None and shuffle:
        raise ValueError("DataLoader: got sampler with shuffle=True; expected one of them, since the sampler "
                         "decides the order (use RandomSampler to shuffle)")
    if sampler is not None or batch_sampler is not None:
        own = [text for text, clash in (("replacement=True", replacement),
                                        (f"seed={seed!r}", seed is not None)) if clash]
        if own:
            which = "sampler" if sampler is not None else "batch_sampler"
            raise ValueError(f"DataLoader: got {which} with {', '.join(own)}; expected one of them, since "
                             f"the {which} decides the order (give it a generator for reproducible draws)")


class DataLoader:
    """Iterate over a dataset in mini-batches of Tensors.

    Parameters
    ----------
    dataset : Dataset
        Anything with ``len()`` and ``dataset[i]``. A :class:`~nn.data.TensorDataset` is batched with one
        fancy-indexing operation per field (no Python loop over samples); other datasets, and any dataset
        given a ``collate_fn``, are indexed sample by sample and the samples merged by ``collate_fn``.
        With a sampler, the indices it gives are passed to ``dataset[...]`` as they are.
    batch_size : int, optional
        Samples per batch.
    shuffle : bool, optional
        Visit the samples in a new random order every epoch (``replacement=False`` only).
    sampler : Sampler or iterable of indices, optional
        The order of the samples instead (e.g. :class:`~nn.data.WeightedRandomSampler`); not with
        ``shuffle``, ``seed`` or ``replacement``. Its indices are grouped into ``batch_size`` batches.
    batch_sampler : iterable of lists of indices, optional
        The batches themselves (e.g. a :class:`~nn.data.BatchSampler`); not with ``batch_size`` (other
        than 1), ``shuffle``, ``sampler``, ``drop_last``, ``seed`` or ``replacement``.
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
        ``drop_last``), where ``n`` is ``len(sampler)`` with a sampler (``len(batch_sampler)`` batches
        with a batch sampler). Without replacement, a larger value continues into the next epochs (each
        one reshuffled when ``shuffle``, the samplers iterated again); a smaller one stops early.
    collate_fn : callable, optional
        Turns a list of samples into a batch; default :func:`default_collate`.

    Yields
    ------
    list of Tensor, or whatever ``collate_fn`` makes of the samples
        For samples that are tuples (a TensorDataset's), a list with one Tensor per field and the batch
        as first dimension, ``[X_batch, y_batch]``, as PyTorch's DataLoader gives; for dict samples a
        dict of batches, for array samples one Tensor (see :func:`default_collate`).

    Raises
    ------
    ValueError
        For options that contradict each other (``sampler`` with ``shuffle``; ``batch_sampler`` with
        ``batch_size``, ``shuffle``, ``sampler`` or ``drop_last``), an empty dataset, or
        ``drop_last=True`` that would leave no batch at all.

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
    >>> [b.tolist() for (b,) in DataLoader(ds, batch_size=2, sampler=[5, 0, 4])]
    [[5, 0], [4]]
    """

    def __init__(self, dataset: Any, batch_size: int = 1, shuffle: bool = False, sampler: Any = None,
                 batch_sampler: Any = None, drop_last: bool = False, seed: int | None = None,
                 replacement: bool = False, num_batches: int | None = None, collate_fn: Any = None) -> None:
        try:
            n = len(dataset)
        except TypeError:
            raise TypeError(
                f"DataLoader: got a dataset {describe(dataset)} without len(); expected a "
                "Dataset (e.g. TensorDataset(X, y))"
            ) from None
        if n == 0:
            raise ValueError("DataLoader: got an empty dataset; expected at least one sample")
        _check_sampling(bool(shuffle), sampler, batch_sampler, batch_size, bool(drop_last), seed,
                        bool(replacement))
        self.dataset = dataset
        self.batch_size = _check_positive(batch_size, "batch_size", "DataLoader")
        self.shuffle = bool(shuffle)
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.drop_last = bool(drop_last)
        self.replacement = bool(replacement)
        self.seed = seed
        self.num_batches = None if num_batches is None else _check_positive(num_batches, "num_batches",
                                                                              "DataLoader")
        self.collate_fn = default_collate if collate_fn is None else collate_fn
        if sampler is not None:
            n = len(sampler) if hasattr(sampler, "__len__") else self.batch_size  # unknown: no check
        if self.drop_last and not self.replacement and n < self.batch_size:
            samples = "indices from the sampler" if sampler is not None else "samples"
            raise ValueError(
                f"DataLoader: drop_last=True with batch_size={self.batch_size} > {n} {samples} would give "
                "no batch at all; lower batch_size or set drop_last=False"
            )
        self._rng = None if seed is None else np.random.default_rng(seed)

    # ------------------------------------------------------------------ sizes
    @property
    def _n(self) -> int:
        return len(self.dataset)

    def _epoch_batches(self) -> int:
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n, b = (self._n if self.sampler is None else len(self.sampler)), self.batch_size
        if self.replacement or not self.drop_last:
            return math.ceil(n / b)
        return n // b

    def __len__(self) -> int:
        """Number of batches one iteration yields."""
        return self.num_batches if self.num_batches is not None else self._epoch_batches()

    # ------------------------------------------------------------------ sampling
    def _generator(self) -> np.random.Generator:
        return self._rng if self._rng is not None else default_generator()

    def _sampled_batches(self) -> Iterator[list[Any]]:
        """The batches of the sampler or batch sampler, passes over it repeated up to ``num_batches``."""
        batches = (self.batch_sampler if self.batch_sampler is not None
                   else BatchSampler(self.sampler, self.batch_size, self.drop_last))
        if self.num_batches is None:
            yield from batches
            return
        produced = 0
        while produced < self.num_batches:
            before = produced
            for batch in batches:
                yield batch
                produced += 1
                if produced == self.num_batches:
                    return
            if produced == before:
                return  # a pass that gives no batch would repeat forever

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

    def __iter__(self) -> Iterator[Any]:
        sampled = self.sampler is not None or self.batch_sampler is not None
        yield from self._collated(self._sampled_batches() if sampled else self._index_batches())

    def _collated(self, batches: Iterable[Any]) -> Iterator[Any]:
        """The batches made from ``batches`` of indices: index arrays of the loader's own order, or what
        a sampler or batch sampler yields (lists of anything the dataset takes, 0-d tensors too)."""
        dataset = self.dataset
        if isinstance(dataset, TensorDataset) and self.collate_fn is default_collate:
            # what default_collate makes of the samples' tuples, cut out with one indexing per field
            arrays = dataset.arrays
            for batch in batches:
                idx = batch if isinstance(batch, np.ndarray) else np.asarray(
                    [i.data if isinstance(i, Tensor) else i for i in batch])
                yield [Tensor(a[idx]) for a in arrays]
        else:
            for batch in batches:
                # the loader's own indices as Python ints; a sampler's as it gave them
                keys = batch.tolist() if isinstance(batch, np.ndarray) else batch
                yield self.collate_fn([dataset[i] for i in keys])

    def __repr__(self) -> str:
        mode = "replacement" if self.replacement else ("shuffle" if self.shuffle else "sequential")
        if self.sampler is not None or self.batch_sampler is not None:
            mode = type(self.batch_sampler if self.sampler is None else self.sampler).__name__
        return (f"DataLoader({self._n} samples, batch_size={self.batch_size}, {mode}, "
                f"{len(self)} batches per iteration)")
