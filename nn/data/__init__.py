"""Data: datasets, mini-batch loading, toy problems, the digits and MNIST.

* :class:`Dataset`, :class:`TensorDataset`, :class:`Subset`, :class:`ConcatDataset`; :class:`DataLoader`
  (shuffled epochs or sampling with replacement, textbook 8.4, or the order of a sampler).
* Samplers, as PyTorch's: :class:`SequentialSampler`, :class:`RandomSampler`, :class:`SubsetRandomSampler`,
  :class:`WeightedRandomSampler`, :class:`BatchSampler`.
* Problems returning ``(X, y)`` Tensors: :func:`xor`, :func:`moons`, :func:`spirals`, :func:`digits`
  (1,797 8x8 images shipped with the package), :func:`load_mnist` (IDX files you downloaded).
* :func:`train_test_split` (optionally stratified) and :func:`random_split` (into :class:`Subset` parts).

Examples
--------
>>> from nn.data import DataLoader, TensorDataset, digits, train_test_split
>>> X, y = digits()
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y)
>>> loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True, seed=0)
>>> xb, yb = next(iter(loader))
>>> xb.shape, yb.shape
((64, 1, 8, 8), (64,))
"""

from .datasets import (
    ConcatDataset,
    Dataset,
    Subset,
    TensorDataset,
    digits,
    moons,
    random_split,
    spirals,
    train_test_split,
    xor,
)
from .loader import DataLoader, default_collate
from .mnist import IDXError, load_mnist, read_idx
from .samplers import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "Dataset", "TensorDataset", "Subset", "ConcatDataset", "DataLoader", "default_collate", "Sampler",
    "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler",
    "xor", "moons", "spirals", "digits", "train_test_split", "random_split", "load_mnist", "read_idx",
    "IDXError",
]
