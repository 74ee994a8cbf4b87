"""Tests of nn.data: DataLoader, TensorDataset, the toy problems, digits, train_test_split, MNIST IDX."""

from __future__ import annotations

import gzip
import importlib.resources
import pathlib
import struct

import numpy as np
import pytest

import autograd
from autograd import Tensor
from nn.data import (
    DataLoader,
    Dataset,
    IDXError,
    Subset,
    TensorDataset,
    digits,
    load_mnist,
    moons,
    read_idx,
    spirals,
    train_test_split,
    xor,
)

DIGITS_NPZ = pathlib.Path(__file__).resolve().parent.parent / "nn" / "data" / "digits.npz"


def _ids(loader) -> list[np.ndarray]:
    """The sample ids of each batch of one iteration (the dataset's last field holds ids)."""
    return [batch[-1].numpy().copy() for batch in loader]


def _id_dataset(n: int) -> TensorDataset:
    X = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    return TensorDataset(X, np.arange(n, dtype=np.int64))


# ============================================================================================ DataLoader
class TestDataLoaderShapes:
    def test_batches_shapes_dtypes_and_len(self):
        ds = _id_dataset(10)
        loader = DataLoader(ds, batch_size=4)
        assert len(loader) == 3  # ceil(10 / 4)
        batches = list(loader)
        assert len(batches) == 3
        assert [xb.shape for xb, _ in batches] == [(4, 3), (4, 3), (2, 3)]
        assert [yb.shape for _, yb in batches] == [(4,), (4,), (2,)]
        for xb, yb in batches:
            assert isinstance(xb, Tensor) and isinstance(yb, Tensor)
            assert xb.numpy().dtype == np.float32
            assert yb.numpy().dtype == np.int64
        # no shuffle: samples in order, and rows match their ids
        assert np.concatenate([yb.numpy() for _, yb in batches]).tolist() == list(range(10))
        for xb, yb in batches:
            np.testing.assert_array_equal(xb.numpy()[:, 0], 3 * yb.numpy())

    def test_batch_larger_than_dataset_gives_one_batch(self):
        loader = DataLoader(_id_dataset(3), batch_size=10)
        assert len(loader) == 1
        assert [b.tolist() for b in _ids(loader)] == [[0, 1, 2]]

    def test_exact_division(self):
        loader = DataLoader(_id_dataset(8), batch_size=4)
        assert len(loader) == 2
        assert [len(b) for b in _ids(loader)] == [4, 4]

    def test_drop_last(self):
        loader = DataLoader(_id_dataset(10), batch_size=4, drop_last=True)
        assert len(loader) == 2  # floor(10 / 4)
        assert [b.tolist() for b in _ids(loader)] == [[0, 1, 2, 3], [4, 5, 6, 7]]

    def test_drop_last_shuffled_batches_are_full_and_distinct(self):
        loader = DataLoader(_id_dataset(10), batch_size=3, drop_last=True, shuffle=True, seed=1)
        batches = _ids(loader)
        assert len(batches) == len(loader) == 3
        assert all(len(b) == 3 for b in batches)
        seen = np.concatenate(batches)
        assert len(set(seen.tolist())) == 9  # 9 distinct samples, one left out

    def test_generic_dataset_is_collated(self):
        class Squares(Dataset):
            def __len__(self):
                return 5

            def __getitem__(self, i):
                return np.full(2, i, dtype=np.float32), i * i

        batches = list(DataLoader(Squares(), batch_size=2))
        assert [b[1].tolist() for b in batches] == [[0, 1], [4, 9], [16]]
        assert batches[0][0].shape == (2, 2)
        np.testing.assert_array_equal(batches[1][0].numpy(), [[2, 2], [3, 3]])

    def test_image_batches_keep_the_sample_shape(self):
        ds = TensorDataset(np.zeros((10, 1, 8, 8), np.float32), np.arange(10))
        batches = list(DataLoader(ds, batch_size=4))
        assert [b[0].shape for b in batches] == [(4, 1, 8, 8), (4, 1, 8, 8), (2, 1, 8, 8)]
        assert str(batches[0][1].dtype) == "int64"

    def test_generic_dataset_is_collated_like_a_tensor_dataset(self):
        X = np.random.default_rng(0).normal(size=(7, 3)).astype(np.float32)
        y = np.arange(7)

        class Rows(Dataset):
            def __len__(self):
                return 7

            def __getitem__(self, i):
                return X[i], int(y[i])

        fast = list(DataLoader(TensorDataset(X, y), batch_size=3, shuffle=True, seed=4))
        slow = list(DataLoader(Rows(), batch_size=3, shuffle=True, seed=4))
        assert len(fast) == len(slow) == 3
        for (xf, yf), (xs, ys) in zip(fast, slow):
            assert np.array_equal(xf.numpy(), xs.numpy()) and yf.tolist() == ys.tolist()
        sub = Subset(TensorDataset(X, y), [6, 2])
        assert [b.tolist() for _, b in DataLoader(sub, batch_size=2)] == [[6, 2]]

    def test_tensor_dataset_is_batched_without_per_sample_indexing(self, monkeypatch):
        def refuse(self, index):
            raise AssertionError("DataLoader indexed a TensorDataset sample by sample")

        monkeypatch.setattr(TensorDataset, "__getitem__", refuse)
        loader = DataLoader(TensorDataset(np.ones((100, 3)), np.arange(100)), batch_size=32, shuffle=True,
                            seed=0)
        assert sum(x.shape[0] for x, _ in loader) == 100


class TestDataLoaderShuffle:
    def test_same_seed_same_order(self):
        a = _ids(DataLoader(_id_dataset(50), batch_size=7, shuffle=True, seed=3))
        b = _ids(DataLoader(_id_dataset(50), batch_size=7, shuffle=True, seed=3))
        assert [x.tolist() for x in a] == [x.tolist() for x in b]

    def test_different_seed_different_order(self):
        a = np.concatenate(_ids(DataLoader(_id_dataset(50), batch_size=7, shuffle=True, seed=3)))
        b = np.concatenate(_ids(DataLoader(_id_dataset(50), batch_size=7, shuffle=True, seed=4)))
        assert a.tolist() != b.tolist()
        assert sorted(a.tolist()) == sorted(b.tolist()) == list(range(50))

    def test_shuffle_actually_shuffles(self):
        order = np.concatenate(_ids(DataLoader(_id_dataset(50), batch_size=50, shuffle=True, seed=0)))
        assert order.tolist() != list(range(50))

    def test_each_epoch_is_a_permutation_and_epochs_differ(self):
        loader = DataLoader(_id_dataset(23), batch_size=5, shuffle=True, seed=7)
        epochs = []
        for _ in range(4):
            batches = _ids(loader)
            assert len(batches) == len(loader) == 5
            order = np.concatenate(batches)
            # every sample exactly once per epoch
            assert sorted(order.tolist()) == list(range(23))
            assert np.bincount(order, minlength=23).tolist() == [1] * 23
            epochs.append(order.tolist())
        assert len({tuple(e) for e in epochs}) == 4  # successive epochs are reshuffled

    def test_sequence_of_epochs_reproducible_by_seed(self):
        def run(seed):
            loader = DataLoader(_id_dataset(20), batch_size=6, shuffle=True, seed=seed)
            return [np.concatenate(_ids(loader)).tolist() for _ in range(3)]

        assert run(11) == run(11)
        assert run(11) != run(12)

    def test_without_seed_follows_autograd_manual_seed(self):
        def run(seed):
            autograd.manual_seed(seed)
            loader = DataLoader(_id_dataset(30), batch_size=8, shuffle=True)
            return np.concatenate(_ids(loader)).tolist()

        assert run(5) == run(5)
        assert run(5) != run(6)
        assert sorted(run(5)) == list(range(30))

    def test_num_batches_continues_into_next_epoch_without_replacement(self):
        loader = DataLoader(_id_dataset(10), batch_size=5, shuffle=True, seed=0, num_batches=6)
        batches = _ids(loader)
        assert len(loader) == 6 and len(batches) == 6
        for k in range(3):  # every pair of batches is one full epoch
            assert sorted(np.concatenate(batches[2 * k: 2 * k + 2]).tolist()) == list(range(10))

    def test_num_batches_smaller_stops_early(self):
        loader = DataLoader(_id_dataset(10), batch_size=2, num_batches=2)
        assert [b.tolist() for b in _ids(loader)] == [[0, 1], [2, 3]]

    def test_num_batches_keeps_the_short_last_batch_of_each_epoch(self):
        ds = TensorDataset(np.arange(5))
        assert [b.tolist() for b in _ids(DataLoader(ds, batch_size=2, num_batches=5))] == [
            [0, 1], [2, 3], [4], [0, 1], [2, 3]]
        assert [b.tolist() for b in _ids(DataLoader(ds, batch_size=2, drop_last=True, num_batches=3))] == [
            [0, 1], [2, 3], [0, 1]]


class TestDataLoaderReplacement:
    def test_replacement_yields_num_batches_full_batches_with_repeats(self):
        n, b, k = 10, 4, 30
        loader = DataLoader(_id_dataset(n), batch_size=b, replacement=True, num_batches=k, seed=0)
        batches = _ids(loader)
        assert len(loader) == k and len(batches) == k
        for batch in batches:
            assert len(batch) == b
            assert len(set(batch.tolist())) == b  # distinct within a batch
            assert batch.min() >= 0 and batch.max() < n
        counts = np.bincount(np.concatenate(batches), minlength=n)
        assert counts.sum() == b * k
        # 120 draws from 10 samples: samples come back across batches (counts are not all equal to
        # one epoch's single visit), and consecutive batches share samples somewhere
        assert counts.max() > 1
        assert any(set(batches[i]) & set(batches[i + 1]) for i in range(k - 1))

    def test_replacement_one_epoch_of_batches_repeats_some_samples_and_skips_others(self):
        n = 20
        ds = TensorDataset(np.arange(n))
        batches = _ids(DataLoader(ds, batch_size=5, replacement=True, num_batches=40, seed=0))
        one_epoch = np.concatenate(batches[:4])  # n / batch_size batches: one "epoch" (textbook 8.12)
        assert len(set(one_epoch.tolist())) < n  # samples repeat across batches, others are skipped
        counts = np.bincount(np.concatenate(batches), minlength=n)
        assert counts.min() > 0 and counts.sum() == 200  # over many batches every sample comes up

    def test_replacement_default_length_is_one_epoch_of_batches(self):
        loader = DataLoader(_id_dataset(10), batch_size=4, replacement=True, seed=0)
        assert len(loader) == 3
        assert all(len(batch) == 4 for batch in _ids(loader))  # every batch full

    def test_replacement_not_an_epoch_permutation(self):
        # Over several seeds, independent batches must at least once fail to cover every sample
        # exactly once (that is what distinguishes them from epochs).
        not_permutation = 0
        for seed in range(5):
            loader = DataLoader(_id_dataset(12), batch_size=4, replacement=True, seed=seed)
            order = np.concatenate(_ids(loader))
            if sorted(order.tolist()) != list(range(12)):
                not_permutation += 1
        assert not_permutation >= 1

    def test_replacement_deterministic_by_seed(self):
        def run(seed):
            return [b.tolist() for b in _ids(DataLoader(_id_dataset(15), batch_size=4, replacement=True,
                                                        num_batches=5, seed=seed))]

        assert run(2) == run(2)
        assert run(2) != run(3)

    def test_replacement_batch_size_at_least_n_gives_all_samples(self):
        loader = DataLoader(_id_dataset(5), batch_size=8, replacement=True, num_batches=3, seed=0)
        for batch in _ids(loader):
            assert sorted(batch.tolist()) == [0, 1, 2, 3, 4]


class TestDataLoaderErrors:
    @pytest.mark.parametrize("bad", [0, -1, 2.5, True, "4"])
    def test_bad_batch_size(self, bad):
        with pytest.raises(ValueError, match="batch_size"):
            DataLoader(_id_dataset(4), batch_size=bad)

    @pytest.mark.parametrize("bad", [0, -3, 1.5])
    def test_bad_num_batches(self, bad):
        with pytest.raises(ValueError, match="num_batches"):
            DataLoader(_id_dataset(4), batch_size=2, num_batches=bad)

    def test_empty_dataset(self):
        with pytest.raises(ValueError, match="empty"):
            DataLoader(TensorDataset(np.zeros((0, 2))), batch_size=2)

    def test_no_len(self):
        with pytest.raises(TypeError, match="len"):
            DataLoader(iter([1, 2, 3]), batch_size=2)

    def test_drop_last_with_batch_larger_than_dataset(self):
        with pytest.raises(ValueError, match="drop_last"):
            DataLoader(_id_dataset(3), batch_size=5, drop_last=True)
        with pytest.raises(ValueError, match="no batch at all"):
            DataLoader(_id_dataset(10), batch_size=11, drop_last=True)

    def test_messages_name_the_bad_value(self):
        ds = TensorDataset(np.arange(3))
        with pytest.raises(ValueError, match="batch_size=0"):
            DataLoader(ds, batch_size=0)
        with pytest.raises(ValueError, match="num_batches=0"):
            DataLoader(ds, num_batches=0)
        with pytest.raises(TypeError, match="without len"):
            DataLoader(iter([1, 2]))


# ========================================================================================= TensorDataset
class TestTensorDataset:
    def test_rows_and_len(self):
        X = np.arange(12, dtype=np.float32).reshape(4, 3)
        y = Tensor(np.array([3, 1, 4, 1]))
        ds = TensorDataset(X, y)
        assert len(ds) == 4
        xi, yi = ds[2]
        assert xi.tolist() == [6.0, 7.0, 8.0] and yi.item() == 4
        assert ds[-1][1].item() == 1

    def test_rows_of_a_tensor_are_tensors_and_not_copied(self):
        X = np.arange(12, dtype=np.float32).reshape(6, 2)
        y = np.arange(6)
        ds = TensorDataset(Tensor(X), y)
        assert len(ds) == 6
        xi, yi = ds[4]
        assert isinstance(xi, Tensor) and xi.numpy().tolist() == [8.0, 9.0] and yi.item() == 4
        assert ds.arrays[0] is X or np.shares_memory(ds.arrays[0], X)  # no copy
        with pytest.raises(IndexError, match="out of range for 6 samples"):
            ds[6]

    def test_index_out_of_range(self):
        ds = TensorDataset(np.zeros((3, 2)))
        with pytest.raises(IndexError, match="3"):
            ds[3]

    def test_mismatched_lengths_names_both(self):
        with pytest.raises(ValueError) as info:
            TensorDataset(np.zeros((5, 2)), np.zeros(7))
        message = str(info.value)
        assert "5" in message and "7" in message
        with pytest.raises(ValueError, match="first dimensions 3, 4, 3"):
            TensorDataset(np.zeros((3, 2)), np.zeros(4), np.zeros(3))

    def test_no_tensors_and_zero_dim(self):
        with pytest.raises(ValueError, match="at least one"):
            TensorDataset()
        with pytest.raises(ValueError, match="0-dimensional"):
            TensorDataset(np.float32(1.0))

    def test_subset(self):
        sub = Subset(TensorDataset(np.arange(10)), [7, 2, 5])
        assert len(sub) == 3
        assert [sub[i][0].item() for i in range(3)] == [7, 2, 5]
        with pytest.raises(IndexError):
            Subset(TensorDataset(np.arange(3)), [3])


# ========================================================================================= toy problems
class TestToyProblems:
    def test_xor_points_and_labels(self):
        X, y = xor()
        assert X.numpy().dtype == np.float32 and y.numpy().dtype == np.int64
        pts = X.numpy().tolist()
        assert sorted(map(tuple, pts)) == [(0, 0), (0, 1), (1, 0), (1, 1)]
        for (a, b), label in zip(pts, y.tolist()):
            assert label == (int(a) ^ int(b))
        assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [0, 1, 1, 0]

    @pytest.mark.parametrize("n", [100, 101, 2])
    def test_moons_shape_balance(self, n):
        X, y = moons(n, noise=0.1, seed=0)
        assert X.shape == (n, 2) and y.shape == (n,)
        assert X.numpy().dtype == np.float32 and y.numpy().dtype == np.int64
        counts = np.bincount(y.numpy(), minlength=2)
        assert counts.tolist() == [(n + 1) // 2, n // 2]

    def test_moons_noiseless_points_lie_on_the_circles(self):
        X, y = moons(50, noise=0.0, seed=0)
        pts, labels = X.numpy().astype(np.float64), y.numpy()
        upper, lower = pts[labels == 0], pts[labels == 1]
        np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-6)
        assert (upper[:, 1] >= -1e-6).all()
        np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, atol=1e-6)
        assert (lower[:, 1] <= 0.5 + 1e-6).all()

    def test_moons_deterministic_by_seed(self):
        a, b, c = moons(80, seed=5), moons(80, seed=5), moons(80, seed=6)
        np.testing.assert_array_equal(a[0].numpy(), b[0].numpy())
        np.testing.assert_array_equal(a[1].numpy(), b[1].numpy())
        assert not np.array_equal(a[0].numpy(), c[0].numpy())

    def test_moons_shuffled(self):
        y = moons(100, seed=0)[1].numpy()
        assert y.tolist() != sorted(y.tolist())

    @pytest.mark.parametrize("n, k", [(300, 2), (301, 3), (10, 4)])
    def test_spirals_shape_balance(self, n, k):
        X, y = spirals(n, n_classes=k, seed=0)
        assert X.shape == (n, 2) and y.shape == (n,)
        counts = np.bincount(y.numpy(), minlength=k)
        assert counts.sum() == n and counts.max() - counts.min() <= 1
        assert sorted(set(y.tolist())) == list(range(k))
        # radius in [0.05, 1]
        r = np.hypot(*X.numpy().astype(np.float64).T)
        assert r.min() >= 0.05 - 1e-6 and r.max() <= 1.0 + 1e-6

    @pytest.mark.parametrize("n_classes, counts", [(2, [150, 150]), (3, [101, 100, 100])])
    def test_spirals_exact_class_counts(self, n_classes, counts):
        X, y = spirals(301 if n_classes == 3 else 300, n_classes=n_classes, noise=0.2, seed=1)
        assert X.shape == (sum(counts), 2) and np.bincount(y.numpy()).tolist() == counts

    def test_spirals_deterministic_by_seed(self):
        a, b, c = spirals(60, seed=1), spirals(60, seed=1), spirals(60, seed=2)
        np.testing.assert_array_equal(a[0].numpy(), b[0].numpy())
        np.testing.assert_array_equal(a[1].numpy(), b[1].numpy())
        assert not np.array_equal(a[0].numpy(), c[0].numpy())

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="n_samples"):
            moons(1)
        with pytest.raises(ValueError, match="noise"):
            moons(10, noise=-0.1)
        with pytest.raises(ValueError, match="n_classes"):
            spirals(10, n_classes=1)
        with pytest.raises(ValueError):
            spirals(2, n_classes=3)


# ================================================================================================ digits
class TestDigits:
    def test_file_integrity(self):
        resource = importlib.resources.files("nn.data").joinpath("digits.npz")
        with resource.open("rb") as f, np.load(f, allow_pickle=False) as archive:
            images, labels = archive["images"], archive["labels"]
        assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
        assert labels.shape == (1797,)
        assert images.min() == 0 and images.max() == 16
        # the per-class counts of the UCI test split (= scikit-learn's load_digits)
        assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        assert images[0, 0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0] and labels[0] == 0

    def test_images(self):
        X, y = digits()
        assert X.shape == (1797, 1, 8, 8) and y.shape == (1797,)
        assert X.numpy().dtype == np.float32 and y.numpy().dtype == np.int64
        x = X.numpy()
        assert x.min() == 0.0 and x.max() == 1.0
        assert sorted(set(y.tolist())) == list(range(10))
        counts = np.bincount(y.numpy())
        assert counts.min() >= 170 and counts.max() <= 190  # about 180 of each

    def test_flatten(self):
        X, y = digits(flatten=True)
        assert X.shape == (1797, 64) and y.shape == (1797,)
        np.testing.assert_array_equal(X.numpy(), digits()[0].numpy().reshape(1797, 64))

    def test_values_are_sixteenths_of_the_raw_counts(self):
        with np.load(DIGITS_NPZ, allow_pickle=False) as archive:
            raw, labels = archive["images"], archive["labels"]
        assert raw.shape == (1797, 8, 8)
        assert np.array_equal(raw, np.round(raw))  # integer counts
        assert raw.min() == 0 and raw.max() == 16
        X, y = digits()
        scaled = X.numpy().reshape(1797, 8, 8).astype(np.float64) * 16.0
        np.testing.assert_array_equal(scaled, np.round(scaled))  # every value a multiple of 1/16
        np.testing.assert_array_equal(scaled, raw.astype(np.float64))
        np.testing.assert_array_equal(y.numpy(), labels)

    def test_unnormalized(self):
        X, _ = digits(normalize=False)
        assert X.numpy().dtype == np.float32 and X.numpy().max() == 16.0
        assert np.array_equal(X.numpy(), digits()[0].numpy() * 16)

    def test_digits_not_corrupted_by_caller_writes(self):
        X, _ = digits()
        X.numpy()[...] = -1.0
        assert digits()[0].numpy().min() == 0.0


# ====================================================================================== train_test_split
class TestTrainTestSplit:
    def test_sizes_disjoint_covering(self):
        X = np.arange(100).reshape(50, 2)
        y = np.arange(50)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, seed=0)
        assert X_tr.shape == (40, 2) and X_te.shape == (10, 2)
        assert len(y_tr) == 40 and len(y_te) == 10
        assert set(y_tr.tolist()).isdisjoint(y_te.tolist())
        assert sorted(y_tr.tolist() + y_te.tolist()) == list(range(50))
        # rows stay together across arrays
        np.testing.assert_array_equal(X_tr[:, 0], 2 * y_tr)
        np.testing.assert_array_equal(X_te[:, 0], 2 * y_te)

    def test_tensor_rows_stay_aligned_with_array_rows(self):
        X = Tensor(np.arange(40, dtype=np.float32).reshape(20, 2))
        y = np.arange(20)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=3)
        assert X_tr.shape == (15, 2) and X_te.shape == (5, 2)
        assert sorted(y_tr.tolist() + y_te.tolist()) == list(range(20))
        assert np.array_equal(X_te.numpy()[:, 0] / 2, y_te)  # rows stay aligned across arrays

    def test_fraction_rounds_up_and_int_count(self):
        y = np.arange(10)
        _, te = train_test_split(y, test_size=0.25)
        assert len(te) == 3  # ceil(2.5)
        tr, te = train_test_split(y, test_size=4)
        assert len(tr) == 6 and len(te) == 4

    def test_tensor_in_tensor_out(self):
        X, y = moons(20, seed=0)
        parts = train_test_split(X, y.numpy(), test_size=0.5)
        assert isinstance(parts[0], Tensor) and isinstance(parts[1], Tensor)
        assert isinstance(parts[2], np.ndarray) and isinstance(parts[3], np.ndarray)

    def test_deterministic_by_seed(self):
        y = np.arange(30)
        assert train_test_split(y, seed=1)[1].tolist() == train_test_split(y, seed=1)[1].tolist()
        assert train_test_split(y, seed=1)[1].tolist() != train_test_split(y, seed=2)[1].tolist()

    def test_stratified_keeps_proportions(self):
        y = np.array([0] * 60 + [1] * 30 + [2] * 10)
        X = np.arange(100)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, seed=0, stratify=y)
        assert np.bincount(y_te, minlength=3).tolist() == [12, 6, 2]
        assert np.bincount(y_tr, minlength=3).tolist() == [48, 24, 8]
        assert sorted(X_tr.tolist() + X_te.tolist()) == list(range(100))
        np.testing.assert_array_equal(y[X_te], y_te)  # rows kept together

    def test_stratified_digits(self):
        X, y = digits(flatten=True)
        _, _, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, seed=0)
        assert len(y_te) == 360 and len(y_tr) == 1437  # ceil(0.2 * 1797)
        full = np.bincount(y.numpy(), minlength=10)
        test = np.bincount(y_te.numpy(), minlength=10)
        assert test.sum() == 360
        # each class within one sample of its exact share
        assert np.all(np.abs(test - full * 360 / 1797) < 1.0)
        assert np.all(np.abs(test - 0.2 * full) <= 1)

    def test_stratified_small_minority_class(self):
        labels = np.array([0] * 90 + [1] * 10)
        _, te = train_test_split(labels, test_size=0.2, stratify=labels, seed=1)
        assert np.bincount(te).tolist() == [18, 2]

    def test_errors(self):
        with pytest.raises(ValueError, match="first dimensions"):
            train_test_split(np.zeros(5), np.zeros(6))
        with pytest.raises(ValueError, match="first dimensions 20, 19"):
            train_test_split(np.arange(20), np.arange(19))
        with pytest.raises(ValueError, match="fraction in"):
            train_test_split(np.arange(20), test_size=1.5)
        with pytest.raises(ValueError, match="test_size"):
            train_test_split(np.zeros(5), test_size=1.5)
        with pytest.raises(ValueError, match="test_size"):
            train_test_split(np.zeros(5), test_size=5)
        with pytest.raises(ValueError, match="stratify"):
            train_test_split(np.zeros(5), stratify=np.zeros(4))


# ========================================================================================= MNIST / IDX
def _idx_bytes(array: np.ndarray, magic: int | None = None, type_code: int = 0x08) -> bytes:
    """An IDX file written independently of the reader: uint8 data, or big-endian data of another type."""
    array = np.asarray(array, dtype=np.uint8) if type_code == 0x08 else np.asarray(array)
    if magic is None:
        magic = type_code << 8 | array.ndim
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write(path: pathlib.Path, payload: bytes, compress: bool = False) -> pathlib.Path:
    if compress:
        path = path.with_name(path.name + ".gz")
        with gzip.open(path, "wb") as f:
            f.write(payload)
    else:
        path.write_bytes(payload)
    return path


def _mnist_dir(root: pathlib.Path, kind: str, images: np.ndarray, labels: np.ndarray,
               compress: bool = False) -> None:
    prefix = "train" if kind == "train" else "t10k"
    _write(root / f"{prefix}-images-idx3-ubyte", _idx_bytes(images), compress)
    _write(root / f"{prefix}-labels-idx1-ubyte", _idx_bytes(labels), compress)


@pytest.fixture
def mnist_dir(tmp_path):
    """Six 28x28 training images stored plain, and the first four as gzipped t10k files, side by side."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(6, 28, 28), dtype=np.uint8)
    labels = np.array([5, 0, 4, 1, 9, 2], dtype=np.uint8)
    _mnist_dir(tmp_path, "train", images, labels)
    _mnist_dir(tmp_path, "test", images[:4], labels[:4], compress=True)
    return tmp_path, images, labels


def _tiny(n: int = 5, side: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, side, side), dtype=np.uint8)
    images[0, 0, 0] = 255
    labels = (np.arange(n) % 10).astype(np.uint8)
    return images, labels


class TestMnist:
    @pytest.mark.parametrize("compress", [False, True])
    @pytest.mark.parametrize("kind, prefix", [("train", "train"), ("test", "t10k")])
    def test_load(self, tmp_path, compress, kind, prefix):
        images, labels = _tiny()
        _mnist_dir(tmp_path, kind, images, labels, compress)
        suffix = ".gz" if compress else ""
        assert (tmp_path / f"{prefix}-images-idx3-ubyte{suffix}").is_file()
        X, y = load_mnist(tmp_path, kind=kind)
        assert X.shape == (5, 1, 4, 4) and y.shape == (5,)
        assert X.numpy().dtype == np.float32 and y.numpy().dtype == np.int64
        np.testing.assert_allclose(X.numpy()[:, 0], images / 255.0, rtol=1e-6)
        assert y.tolist() == labels.tolist()
        assert X.numpy().max() == 1.0

    def test_flatten_unnormalized_and_t10k_alias(self, tmp_path):
        images, labels = _tiny(n=3, side=2)
        _mnist_dir(tmp_path, "test", images, labels)
        X, y = load_mnist(tmp_path, kind="t10k", flatten=True, normalize=False)
        assert X.shape == (3, 4)
        np.testing.assert_array_equal(X.numpy(), images.reshape(3, 4).astype(np.float32))

    def test_load_plain_and_gzip_side_by_side(self, mnist_dir):
        path, images, labels = mnist_dir
        X, y = load_mnist(path)
        assert X.shape == (6, 1, 28, 28) and str(X.dtype) == "float32" and str(y.dtype) == "int64"
        assert np.allclose(X.numpy()[:, 0] * 255.0, images) and y.tolist() == labels.tolist()
        Xt, yt = load_mnist(str(path), kind="t10k", flatten=True, normalize=False)
        assert Xt.shape == (4, 784) and np.array_equal(Xt.numpy(), images[:4].reshape(4, 784))
        assert yt.tolist() == labels[:4].tolist()
        assert load_mnist(path, kind="test")[0].shape == (4, 1, 28, 28)

    def test_read_idx_other_types_round_trip(self, tmp_path):
        for arr, code in [(np.arange(-3, 3, dtype=np.int32).reshape(2, 3), 0x0C),
                          (np.linspace(0, 1, 5), 0x0E), (np.array([-1, 2], np.int16), 0x0B)]:
            (tmp_path / "a.idx").write_bytes(_idx_bytes(arr, type_code=code))
            out = read_idx(tmp_path / "a.idx")
            assert out.shape == arr.shape and np.array_equal(out, arr) and out.dtype.isnative

    def test_read_idx_other_types_big_endian(self, tmp_path):
        values = np.array([[1, -2, 300], [70000, 0, -5]], dtype=">i4")
        payload = struct.pack(">I", 0x0C02) + struct.pack(">II", 2, 3) + values.tobytes()
        path = _write(tmp_path / "ints-idx2-int", payload)
        out = read_idx(path)
        assert out.shape == (2, 3)
        assert out.tolist() == [[1, -2, 300], [70000, 0, -5]]

    def test_corrupt_magic(self, tmp_path):
        images, labels = _tiny()
        _mnist_dir(tmp_path, "train", images, labels)
        bad = tmp_path / "train-images-idx3-ubyte"
        bad.write_bytes(b"\x12\x34" + bad.read_bytes()[2:])
        with pytest.raises(IDXError, match="train-images-idx3-ubyte") as info:
            load_mnist(tmp_path)
        assert "magic" in str(info.value)

    def test_labels_given_for_images(self, tmp_path):
        images, labels = _tiny()
        _mnist_dir(tmp_path, "train", images, labels)
        (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx_bytes(labels))
        with pytest.raises(IDXError, match="train-images-idx3-ubyte.*2049"):
            load_mnist(tmp_path)

    def test_wrong_dims(self, tmp_path):
        images, labels = _tiny()
        _mnist_dir(tmp_path, "train", images, labels)
        # magic 0x0803 claims 3 dims, but the expected check for labels is 1 dim: write labels as 2-D
        (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx_bytes(labels.reshape(5, 1), magic=0x0802))
        with pytest.raises(IDXError, match="train-labels-idx1-ubyte"):
            load_mnist(tmp_path)
        path = _write(tmp_path / "x-idx", _idx_bytes(np.zeros((2, 2), np.uint8)))
        with pytest.raises(IDXError, match=r"x-idx.*2 dimensions; expected 3"):
            read_idx(path, expect_ndim=3)

    def test_truncated_data(self, tmp_path):
        images, labels = _tiny()
        _mnist_dir(tmp_path, "train", images, labels)
        path = tmp_path / "train-images-idx3-ubyte"
        path.write_bytes(path.read_bytes()[:-3])
        with pytest.raises(IDXError, match="train-images-idx3-ubyte.*truncated"):
            load_mnist(tmp_path)

    def test_truncated_gzip_data(self, tmp_path):
        images, labels = _tiny()
        _mnist_dir(tmp_path, "train", images, labels, compress=True)
        path = tmp_path / "train-labels-idx1-ubyte.gz"
        with gzip.open(path, "wb") as f:
            f.write(_idx_bytes(labels)[:-1])
        with pytest.raises(IDXError, match="train-labels-idx1-ubyte.gz.*truncated"):
            load_mnist(tmp_path)

    def test_truncated_header_and_trailing_bytes(self, tmp_path):
        short = _write(tmp_path / "short-idx", b"\x00\x00\x08")
        with pytest.raises(IDXError, match="short-idx"):
            read_idx(short)
        header_only = _write(tmp_path / "hdr-idx", struct.pack(">I", 0x0803) + struct.pack(">I", 2))
        with pytest.raises(IDXError, match="hdr-idx.*truncated"):
            read_idx(header_only)
        extra = _write(tmp_path / "extra-idx", _idx_bytes(np.arange(3, dtype=np.uint8)) + b"\x00")
        with pytest.raises(IDXError, match="extra-idx.*trailing"):
            read_idx(extra)

    def test_gz_name_without_gzip_content(self, tmp_path):
        path = _write(tmp_path / "fake-idx.gz", _idx_bytes(np.arange(3, dtype=np.uint8)))
        with pytest.raises(IDXError, match="fake-idx.gz"):
            read_idx(path)

    def test_missing_files(self, tmp_path):
        images, labels = _tiny()
        _mnist_dir(tmp_path, "train", images, labels)
        with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
            load_mnist(tmp_path, kind="test")
        (tmp_path / "train-labels-idx1-ubyte").unlink()
        with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte"):
            load_mnist(tmp_path, kind="train")
        with pytest.raises(FileNotFoundError, match="nowhere"):
            load_mnist(tmp_path / "nowhere")
        with pytest.raises(FileNotFoundError, match="absent-idx"):
            read_idx(tmp_path / "absent-idx")

    def test_count_mismatch_and_bad_labels(self, tmp_path):
        images, labels = _tiny()
        _mnist_dir(tmp_path, "train", images, labels[:4])
        with pytest.raises(IDXError, match="5 images.*4 labels"):
            load_mnist(tmp_path)
        _mnist_dir(tmp_path, "train", images, np.array([0, 1, 2, 3, 12], np.uint8))
        with pytest.raises(IDXError, match="label 12"):
            load_mnist(tmp_path)

    def test_bad_kind(self, tmp_path):
        with pytest.raises(ValueError, match="kind"):
            load_mnist(tmp_path, kind="validation")

    def test_header_errors_name_the_file(self, mnist_dir):
        path, images, labels = mnist_dir
        lab = path / "train-labels-idx1-ubyte"
        img = path / "train-images-idx3-ubyte"

        img.write_bytes(_idx_bytes(labels))  # labels where images belong: wrong magic number
        with pytest.raises(IDXError, match=r"train-images-idx3-ubyte: magic number 2049 .*expected 2051"):
            load_mnist(path)
        img.write_bytes(_idx_bytes(images)[:-10])  # truncated data
        with pytest.raises(IDXError, match=r"train-images-idx3-ubyte: truncated"):
            load_mnist(path)
        img.write_bytes(_idx_bytes(images) + b"\0")
        with pytest.raises(IDXError, match="trailing bytes"):
            load_mnist(path)
        img.write_bytes(b"\x12\x34" + _idx_bytes(images)[2:])
        with pytest.raises(IDXError, match="bad magic number"):
            load_mnist(path)
        img.write_bytes(_idx_bytes(images)[:9])
        with pytest.raises(IDXError, match="truncated header"):
            load_mnist(path)
        img.write_bytes(b"\0\0\x0a" + _idx_bytes(images)[3:])
        with pytest.raises(IDXError, match="magic number 2563"):
            load_mnist(path)
        with pytest.raises(IDXError, match="train-images-idx3-ubyte: unknown element type 0x0a"):
            read_idx(img)

        img.write_bytes(_idx_bytes(images))
        lab.write_bytes(_idx_bytes(labels[:5]))
        with pytest.raises(IDXError, match="6 images but train-labels-idx1-ubyte holds 5 labels"):
            load_mnist(path)
        lab.write_bytes(_idx_bytes(np.array([1, 2, 3, 4, 5, 10], np.uint8)))
        with pytest.raises(IDXError, match="label 10"):
            load_mnist(path)
        lab.unlink()
        with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte"):
            load_mnist(path)
        (path / "t10k-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8b" + b"not gzip at all")
        with pytest.raises(IDXError, match="t10k-images-idx3-ubyte.gz: corrupt gzip"):
            load_mnist(path, kind="test")
        with pytest.raises(ValueError, match="kind='valid'"):
            load_mnist(path, kind="valid")
