"""nn.data.random_split and default_collate (and the DataLoader's batches), compared with PyTorch's
torch.utils.data: the sizes of the parts, the structure, types, dtypes and values of batches, and which
inputs raise."""

from __future__ import annotations

import warnings
from collections import OrderedDict, namedtuple

import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn.data import DataLoader, Dataset, Subset, TensorDataset, default_collate, random_split

Pair = namedtuple("Pair", "x y")


# ========================================================================================== random_split
@pytest.mark.parametrize("n, lengths", [
    (10, [0.75, 0.25]), (10, [0.33, 0.33, 0.34]), (10, [0.3, 0.3, 0.3, 0.1]), (7, [0.5, 0.5]),
    (11, [0.2, 0.2, 0.2, 0.2, 0.2]), (3, [0.1, 0.1, 0.8]), (5, [2, 3]), (6, [0, 6]), (1, [1]),
    (5, [1.0]), (9, [1 / 3, 1 / 3, 1 / 3]),
])
def test_part_sizes_match_torch(torch, n, lengths):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both warn about an empty part; checked below
        ours = random_split(TensorDataset(np.arange(n)), lengths, generator=np.random.default_rng(0))
        theirs = torch.utils.data.random_split(torch.utils.data.TensorDataset(torch.arange(n)), lengths,
                                               generator=torch.Generator().manual_seed(0))
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    assert all(isinstance(s, Subset) for s in ours)
    every = np.concatenate([s.indices for s in ours])
    assert sorted(every.tolist()) == list(range(n))  # each sample in exactly one part


def test_parts_index_the_dataset():
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    ds = TensorDataset(X, np.arange(10))
    train, val = random_split(ds, [8, 2], generator=np.random.default_rng(3))
    for part in (train, val):
        for i in range(len(part)):
            x, y = part[i]
            np.testing.assert_array_equal(x.numpy(), X[part.indices[i]])
            assert y.item() == part.indices[i]


def test_seeded_by_manual_seed_or_by_its_generator():
    ds = TensorDataset(np.arange(50))
    autograd.manual_seed(5)
    a = [s.indices.tolist() for s in random_split(ds, [0.6, 0.4])]
    autograd.manual_seed(5)
    b = [s.indices.tolist() for s in random_split(ds, [0.6, 0.4])]
    assert a == b and a[0] != sorted(a[0])
    c = [s.indices.tolist() for s in random_split(ds, [30, 20], generator=np.random.default_rng(1))]
    autograd.manual_seed(5)
    d = [s.indices.tolist() for s in random_split(ds, [30, 20], generator=np.random.default_rng(1))]
    assert c == d and c != a


def test_an_empty_part_warns_as_in_torch(torch):
    with pytest.warns(UserWarning):
        torch.utils.data.random_split(range(3), [0.1, 0.1, 0.8])
    with pytest.warns(UserWarning, match="part 1 of the split is empty"):
        parts = random_split(TensorDataset(np.arange(3)), [0.1, 0.1, 0.8])
    assert [len(p) for p in parts] == [1, 0, 2]  # floor(0.3), floor(0.3), floor(2.4), then 1 to part 0
    with pytest.warns(UserWarning, match="part 0 of the split is empty"):
        random_split(TensorDataset(np.arange(3)), [0.0, 1.0])


@pytest.mark.parametrize("n, lengths, match", [
    (10, [5, 4], "sum to 9; expected the length of the dataset, 10"),
    (10, [5, 6], "sum to 11"),
    (10, [0.5, 0.6], "expected non-negative ints, or fractions"),
    (10, [1.5, -0.5], "the fraction 1.5 at index 0"),
    (10, [0.7, 0.2], "expected non-negative ints, or fractions"),
    (10, [], "sum to 0"),
])
def test_lengths_that_do_not_fit_raise_value_error_as_in_torch(torch, n, lengths, match):
    with pytest.raises(ValueError, match=match):
        random_split(TensorDataset(np.arange(n)), lengths)
    with pytest.raises(ValueError):
        torch.utils.data.random_split(range(n), lengths)


def test_refusals_beyond_torch():
    ds = TensorDataset(np.arange(5))
    with pytest.raises(ValueError, match="got -1 at index 0"):
        random_split(ds, [-1, 6])  # PyTorch returns parts of strange sizes here
    with pytest.raises(TypeError, match="expected a numpy.random.Generator"):
        random_split(ds, [2, 3], generator=42)
    with pytest.raises(TypeError, match="expected a sequence"):
        random_split(ds, 5)
    with pytest.raises(TypeError, match="expected an int or a fraction"):
        random_split(ds, [True, 4])
    with pytest.raises(TypeError, match="without len"):
        random_split(iter(range(3)), [1, 2])


# ======================================================================================= default_collate
def _same(ours, theirs, torch) -> None:
    """``ours`` (chaingrad's batch) has the structure, types, dtypes and values of ``theirs``."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, Tensor), type(ours)
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    elif isinstance(theirs, dict):
        assert type(ours) is type(theirs) and list(ours) == list(theirs)
        for key in theirs:
            _same(ours[key], theirs[key], torch)
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same(a, b, torch)
    else:
        assert ours == theirs


BATCHES = {
    "tuples_of_array_and_int": [(np.zeros(2), 1), (np.ones(2), 0)],
    "floats_and_bools": [(1.5, True), (2.5, False)],
    "dicts": [{"x": 1, "y": np.float32(2)}, {"x": 2, "y": np.float32(3)}],
    "ordered_dicts": [OrderedDict(b=1.0, a=np.arange(2)), OrderedDict(b=2.0, a=np.arange(2))],
    "namedtuples": [Pair(1, 2.0), Pair(3, 4.0)],
    "lists": [[1, 2], [3, 4]],
    "strings": ["a", "b"],
    "bytes": [b"a", b"b"],
    "numpy_ints": [np.int64(1), np.int64(2)],
    "numpy_float32s": [np.float32(1), np.float32(2)],
    "numpy_bools": [np.bool_(True), np.bool_(False)],
    "int32_arrays": [np.zeros(2, dtype=np.int32), np.ones(2, dtype=np.int32)],
    "float16_arrays": [np.zeros((2, 1), np.float16), np.ones((2, 1), np.float16)],
    "uint8_images": [np.zeros((1, 3, 3), np.uint8), np.full((1, 3, 3), 255, np.uint8)],
    "zero_dim_arrays": [np.array(1.0), np.array(2.0)],
    "bool_arrays": [np.array([True]), np.array([False])],
    "python_ints_then_float": [1, 2.5],
    "python_float_then_int": [2.5, 1],
    "python_bools": [True, False],
    "one_field_tuples": [(1,), (2,)],
    "nested": [(1, "a", {"k": [1.0, 2.0]}), (2, "b", {"k": [3.0, 4.0]})],
    "tuple_of_list": [(1, [2, 3]), (4, [5, 6])],
    "dict_extra_keys_ignored": [{"x": 1}, {"x": 2, "y": 3}],
    "range_samples": [range(2), range(2)],
    "single_array": [np.arange(3.0)],
}


@pytest.mark.parametrize("name", sorted(BATCHES))
def test_default_collate_matches_torch(torch, name):
    batch = BATCHES[name]
    _same(default_collate(batch), torch.utils.data.default_collate(batch), torch)


def test_tensors_are_stacked_and_torch_tensors_read(torch):
    got = default_collate([(autograd.tensor([1.0, 2.0]), 0), (autograd.tensor([3.0, 4.0]), 1)])
    assert isinstance(got, list) and got[0].tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert str(got[0].dtype) == "float32" and str(got[1].dtype) == "int64"
    mixed = default_collate([autograd.zeros(2), np.ones(2, np.float32)])
    assert mixed.tolist() == [[0.0, 0.0], [1.0, 1.0]]
    from_torch = default_collate([torch.zeros(2), torch.ones(2)])
    assert isinstance(from_torch, Tensor) and from_torch.tolist() == [[0.0, 0.0], [1.0, 1.0]]


@pytest.mark.parametrize("batch, error, theirs_error, match", [
    ([None, None], TypeError, TypeError, "found a value of type NoneType"),
    ([object(), object()], TypeError, TypeError, "found a value of type object"),
    ([np.array(["a"]), np.array(["b"])], TypeError, TypeError, "dtype <U1"),
    ([np.zeros(2), np.zeros(3)], ValueError, RuntimeError, "cannot stack the samples"),
    ([(np.zeros(2), 0), (np.zeros(3), 1)], ValueError, RuntimeError, "cannot stack field 0"),
    ([{"k": np.zeros(2)}, {"k": np.zeros(3)}], ValueError, RuntimeError, "cannot stack key 'k'"),
    ([(1, 2), (3, 4, 5)], ValueError, RuntimeError, "different numbers of fields"),
    ([[1, 2], [3]], ValueError, RuntimeError, "different numbers of fields"),
    ([{"x": 1}, {"y": 2}], KeyError, KeyError, "sample 1 of a batch has no key 'x'"),
    ([], ValueError, IndexError, "empty batch"),
    ([1 + 2j, 3j], TypeError, TypeError, "found a value of type complex"),
])
def test_default_collate_raises_where_torch_raises(torch, batch, error, theirs_error, match):
    with pytest.raises(error, match=match):
        default_collate(batch)
    with pytest.raises(theirs_error):
        torch.utils.data.default_collate(batch)


def test_numbers_take_zero_dim_tensors_as_in_torch(torch):
    _same(default_collate([2, autograd.tensor(1)]), torch.utils.data.default_collate([2, torch.tensor(1)]),
          torch)


def test_samples_of_different_kinds_raise():
    with pytest.raises(TypeError, match="sample 1 gives a value of type int .* sample 0 a sequence"):
        default_collate([(1, 2), 3])
    with pytest.raises(TypeError, match="sample 1 gives a value of type str .* sample 0 a mapping"):
        default_collate([{"x": 1}, "x"])
    with pytest.raises(TypeError, match="expected a list of samples"):
        default_collate(3)
    with pytest.raises(TypeError, match=r"found a value of type Tensor \(dtype int64, shape \(1,\)\)"):
        default_collate([2, autograd.tensor([1])])  # only a 0-d Tensor counts as a number


# ============================================================================================ DataLoader
class _Rows(Dataset):
    """Samples of a chosen kind, built from row i."""

    def __init__(self, kind: str, n: int = 5) -> None:
        self.kind, self.n = kind, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        x = np.full(2, i, dtype=np.float32)
        return {"tuple": (x, i), "dict": {"x": x, "y": i, "id": f"s{i}"}, "namedtuple": Pair(x, float(i)),
                "array": x, "int": i}[self.kind]


@pytest.mark.parametrize("kind", ["tuple", "dict", "namedtuple", "array", "int"])
def test_loader_batches_match_torch(torch, kind):
    ours = list(DataLoader(_Rows(kind), batch_size=2))
    theirs = list(torch.utils.data.DataLoader(_Rows(kind), batch_size=2))
    assert len(ours) == len(theirs) == 3
    for a, b in zip(ours, theirs):
        _same(a, b, torch)


def test_tensor_dataset_batches_are_lists_as_in_torch(torch):
    X, y = np.arange(10, dtype=np.float32).reshape(5, 2), np.arange(5)
    ours = list(DataLoader(TensorDataset(X, y), batch_size=2))
    theirs = list(torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)), batch_size=2))
    for a, b in zip(ours, theirs):
        _same(a, b, torch)
    xb, yb = ours[0]  # unpacking works as before
    assert xb.shape == (2, 2) and yb.tolist() == [0, 1]


def test_collate_fn_is_used_for_a_tensor_dataset_too(torch):
    def count(samples):
        return len(samples)

    ds = TensorDataset(np.arange(5))
    assert list(DataLoader(ds, batch_size=2, collate_fn=count)) == [2, 2, 1]
    assert list(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(5)), batch_size=2,
                                            collate_fn=count)) == [2, 2, 1]


def test_subset_from_random_split_feeds_a_loader():
    ds = TensorDataset(np.arange(12, dtype=np.float32).reshape(6, 2), np.arange(6))
    train, val = random_split(ds, [4, 2], generator=np.random.default_rng(0))
    seen = [yb.tolist() for _, yb in DataLoader(train, batch_size=3)]
    assert sum(seen, []) == train.indices.tolist()


def test_drop_last_with_fewer_samples_than_a_batch_still_raises(torch):
    # A deliberate difference, documented in docs/nn.md: PyTorch yields no batch at all.
    assert list(torch.utils.data.DataLoader(range(3), batch_size=4, drop_last=True)) == []
    with pytest.raises(ValueError, match="would give no batch at all"):
        DataLoader(TensorDataset(np.arange(3)), batch_size=4, drop_last=True)
