"""nn.data: TensorDataset, DataLoader (epochs and sampling with replacement), datasets, splits, IDX files."""

from __future__ import annotations

import gzip
import importlib.resources

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


def _labels(loader):
    return [b[-1].numpy().tolist() for b in loader]


# ----------------------------------------------------------------------------------------- TensorDataset
def test_tensor_dataset_rows_and_fields():
    X = np.arange(12, dtype=np.float32).reshape(6, 2)
    y = np.arange(6)
    ds = TensorDataset(Tensor(X), y)
    assert len(ds) == 6
    xi, yi = ds[4]
    assert isinstance(xi, Tensor) and xi.numpy().tolist() == [8.0, 9.0] and yi.item() == 4
    assert ds.arrays[0] is X or np.shares_memory(ds.arrays[0], X)  # no copy
    with pytest.raises(IndexError, match="out of range for 6 samples"):
        ds[6]


def test_tensor_dataset_refuses_mismatched_first_dimensions():
    with pytest.raises(ValueError, match="first dimensions 3, 4, 3"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4), np.zeros(3))
    with pytest.raises(ValueError, match="at least one"):
        TensorDataset()
    with pytest.raises(ValueError, match="0-dimensional"):
        TensorDataset(np.float32(1.0))


# ----------------------------------------------------------------------------------------- DataLoader
def test_sequential_batches_shapes_and_drop_last():
    ds = TensorDataset(np.zeros((10, 1, 8, 8), np.float32), np.arange(10))
    loader = DataLoader(ds, batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 == len(batches)
    assert [b[0].shape for b in batches] == [(4, 1, 8, 8), (4, 1, 8, 8), (2, 1, 8, 8)]
    assert _labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert str(batches[0][1].dtype) == "int64"

    dropped = DataLoader(ds, batch_size=4, drop_last=True)
    assert len(dropped) == 2 and _labels(dropped) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    with pytest.raises(ValueError, match="no batch at all"):
        DataLoader(ds, batch_size=11, drop_last=True)


def test_shuffle_is_a_permutation_per_epoch_and_deterministic_by_seed():
    ds = TensorDataset(np.arange(23))
    a = DataLoader(ds, batch_size=5, shuffle=True, seed=7)
    b = DataLoader(ds, batch_size=5, shuffle=True, seed=7)
    epochs_a = [np.concatenate(_labels(a)) for _ in range(3)]
    epochs_b = [np.concatenate(_labels(b)) for _ in range(3)]
    for ea, eb in zip(epochs_a, epochs_b):
        assert ea.tolist() == eb.tolist()  # same seed, same sequence of epochs
        assert sorted(ea.tolist()) == list(range(23))  # each sample exactly once per epoch
    assert epochs_a[0].tolist() != epochs_a[1].tolist()  # successive epochs are reshuffled
    assert epochs_a[0].tolist() != list(range(23))
    other = np.concatenate(_labels(DataLoader(ds, batch_size=5, shuffle=True, seed=8)))
    assert other.tolist() != epochs_a[0].tolist()


def test_seed_none_follows_autograd_manual_seed():
    ds = TensorDataset(np.arange(50))
    autograd.manual_seed(3)
    first = _labels(DataLoader(ds, batch_size=50, shuffle=True))
    autograd.manual_seed(3)
    again = _labels(DataLoader(ds, batch_size=50, shuffle=True))
    assert first == again


def test_sampling_with_replacement_draws_independent_batches():
    n = 20
    ds = TensorDataset(np.arange(n))
    loader = DataLoader(ds, batch_size=5, replacement=True, num_batches=40, seed=0)
    batches = _labels(loader)
    assert len(loader) == 40 == len(batches)
    assert all(len(b) == 5 and len(set(b)) == 5 for b in batches)  # full batches of distinct samples
    one_epoch = np.concatenate(batches[:4])  # n / batch_size batches: one "epoch" (textbook 8.12)
    assert len(set(one_epoch.tolist())) < n  # samples repeat across batches, others are skipped
    counts = np.bincount(np.concatenate(batches), minlength=n)
    assert counts.min() > 0 and counts.sum() == 200  # over many batches every sample comes up
    assert batches == _labels(DataLoader(ds, batch_size=5, replacement=True, num_batches=40, seed=0))
    # default length: ceil(n / batch_size) batches, all full, whatever drop_last says
    assert len(DataLoader(ds, batch_size=6, replacement=True)) == 4
    assert [len(b) for b in _labels(DataLoader(ds, batch_size=6, replacement=True, seed=1))] == [6] * 4


def test_num_batches_without_replacement_continues_into_next_epoch():
    ds = TensorDataset(np.arange(5))
    assert _labels(DataLoader(ds, batch_size=2, num_batches=5)) == [[0, 1], [2, 3], [4], [0, 1], [2, 3]]
    assert _labels(DataLoader(ds, batch_size=2, num_batches=1)) == [[0, 1]]
    assert _labels(DataLoader(ds, batch_size=2, drop_last=True, num_batches=3)) == [[0, 1], [2, 3], [0, 1]]


def test_tensor_dataset_is_batched_without_per_sample_indexing(monkeypatch):
    def refuse(self, index):
        raise AssertionError("DataLoader indexed a TensorDataset sample by sample")

    monkeypatch.setattr(TensorDataset, "__getitem__", refuse)
    loader = DataLoader(TensorDataset(np.ones((100, 3)), np.arange(100)), batch_size=32, shuffle=True, seed=0)
    assert sum(x.shape[0] for x, _ in loader) == 100


def test_generic_dataset_is_collated_like_a_tensor_dataset():
    X = np.random.default_rng(0).normal(size=(7, 3)).astype(np.float32)
    y = np.arange(7)

    class Rows(Dataset):
        def __len__(self):
            return 7

        def __getitem__(self, i):
            return X[i], int(y[i])

    fast = list(DataLoader(TensorDataset(X, y), batch_size=3, shuffle=True, seed=4))
    slow = list(DataLoader(Rows(), batch_size=3, shuffle=True, seed=4))
    for (xf, yf), (xs, ys) in zip(fast, slow):
        assert np.array_equal(xf.numpy(), xs.numpy()) and yf.tolist() == ys.tolist()
    sub = Subset(TensorDataset(X, y), [6, 2])
    assert [b.tolist() for _, b in DataLoader(sub, batch_size=2)] == [[6, 2]]


def test_loader_argument_errors():
    ds = TensorDataset(np.arange(3))
    with pytest.raises(ValueError, match="batch_size=0"):
        DataLoader(ds, batch_size=0)
    with pytest.raises(ValueError, match="num_batches=0"):
        DataLoader(ds, num_batches=0)
    with pytest.raises(TypeError, match="without len"):
        DataLoader(iter([1, 2]))


# ----------------------------------------------------------------------------------------- datasets
def test_xor_points_and_labels():
    X, y = xor()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [0, 1, 1, 0]
    assert str(X.dtype) == "float32" and str(y.dtype) == "int64"


def test_moons_shapes_balance_geometry_and_seed():
    X, y = moons(201, noise=0.0, seed=0)
    assert X.shape == (201, 2) and y.shape == (201,)
    assert np.bincount(y.numpy()).tolist() == [101, 100]
    a, lab = X.numpy().astype(np.float64), y.numpy()
    upper, lower = a[lab == 0], a[lab == 1]
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-6) and (upper[:, 1] >= -1e-6).all()
    assert np.allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, atol=1e-6)
    assert (lower[:, 1] <= 0.5 + 1e-6).all()
    assert lab[:20].tolist() != sorted(lab[:20].tolist()) or len(set(lab[:20])) == 2  # shuffled
    n1, _ = moons(100, noise=0.1, seed=5)
    n2, _ = moons(100, noise=0.1, seed=5)
    n3, _ = moons(100, noise=0.1, seed=6)
    assert np.array_equal(n1.numpy(), n2.numpy()) and not np.array_equal(n1.numpy(), n3.numpy())


@pytest.mark.parametrize("n_classes, counts", [(2, [150, 150]), (3, [101, 100, 100])])
def test_spirals_balance_and_radius(n_classes, counts):
    X, y = spirals(301 if n_classes == 3 else 300, n_classes=n_classes, noise=0.2, seed=1)
    assert X.shape == (sum(counts), 2) and np.bincount(y.numpy()).tolist() == counts
    r = np.hypot(X.numpy()[:, 0], X.numpy()[:, 1])
    assert r.min() >= 0.05 - 1e-6 and r.max() <= 1.0 + 1e-6  # the noise is on the angle only


def test_digits_file_integrity():
    resource = importlib.resources.files("nn.data").joinpath("digits.npz")
    with resource.open("rb") as f, np.load(f, allow_pickle=False) as archive:
        images, labels = archive["images"], archive["labels"]
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,)
    assert images.min() == 0 and images.max() == 16
    # the per-class counts of the UCI test split (= scikit-learn's load_digits)
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert images[0, 0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0] and labels[0] == 0


def test_digits_loader_shapes_and_scaling():
    X, y = digits()
    assert X.shape == (1797, 1, 8, 8) and str(X.dtype) == "float32"
    assert y.shape == (1797,) and str(y.dtype) == "int64" and set(y.tolist()) == set(range(10))
    assert X.numpy().min() == 0.0 and X.numpy().max() == 1.0
    flat, _ = digits(flatten=True)
    assert flat.shape == (1797, 64) and np.array_equal(flat.numpy(), X.numpy().reshape(1797, 64))
    raw, _ = digits(normalize=False)
    assert np.array_equal(raw.numpy(), X.numpy() * 16) and raw.numpy().max() == 16
    X.numpy()[0, 0, 0, 0] = 99.0  # callers get copies: the cached data stay intact
    assert digits()[0].numpy()[0, 0, 0, 0] == 0.0


# ----------------------------------------------------------------------------------------- splits
def test_train_test_split_sizes_disjoint_types_and_seed():
    X = Tensor(np.arange(40, dtype=np.float32).reshape(20, 2))
    y = np.arange(20)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=3)
    assert isinstance(X_tr, Tensor) and isinstance(y_tr, np.ndarray)
    assert X_tr.shape == (15, 2) and X_te.shape == (5, 2)
    assert sorted(y_tr.tolist() + y_te.tolist()) == list(range(20))
    assert np.array_equal(X_te.numpy()[:, 0] / 2, y_te)  # rows stay aligned across arrays
    again = train_test_split(X, y, test_size=0.25, seed=3)
    assert again[3].tolist() == y_te.tolist()
    assert len(train_test_split(y, test_size=3)[1]) == 3
    with pytest.raises(ValueError, match="first dimensions 20, 19"):
        train_test_split(y, y[:19])
    with pytest.raises(ValueError, match="fraction in"):
        train_test_split(y, test_size=1.5)


def test_stratified_split_keeps_class_shares():
    X, y = digits(flatten=True)
    _, _, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, seed=0)
    assert len(y_te) == 360 and len(y_tr) == 1437
    full = np.bincount(y.numpy())
    test = np.bincount(y_te.numpy(), minlength=10)
    assert np.all(np.abs(test - 0.2 * full) <= 1)
    labels = np.array([0] * 90 + [1] * 10)
    _, te = train_test_split(labels, test_size=0.2, stratify=labels, seed=1)
    assert np.bincount(te).tolist() == [18, 2]


# ----------------------------------------------------------------------------------------- IDX / MNIST
def _idx(array: np.ndarray, type_code: int = 0x08) -> bytes:
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    big = array.astype(array.dtype.newbyteorder(">")) if array.dtype.itemsize > 1 else array
    return header + big.tobytes()


@pytest.fixture
def mnist_dir(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(6, 28, 28), dtype=np.uint8)
    labels = np.array([5, 0, 4, 1, 9, 2], dtype=np.uint8)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx(images))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx(labels))
    with gzip.open(tmp_path / "t10k-images-idx3-ubyte.gz", "wb") as f:
        f.write(_idx(images[:4]))
    with gzip.open(tmp_path / "t10k-labels-idx1-ubyte.gz", "wb") as f:
        f.write(_idx(labels[:4]))
    return tmp_path, images, labels


def test_load_mnist_plain_and_gzip(mnist_dir):
    path, images, labels = mnist_dir
    X, y = load_mnist(path)
    assert X.shape == (6, 1, 28, 28) and str(X.dtype) == "float32" and str(y.dtype) == "int64"
    assert np.allclose(X.numpy()[:, 0] * 255.0, images) and y.tolist() == labels.tolist()
    Xt, yt = load_mnist(str(path), kind="t10k", flatten=True, normalize=False)
    assert Xt.shape == (4, 784) and np.array_equal(Xt.numpy(), images[:4].reshape(4, 784))
    assert yt.tolist() == labels[:4].tolist()
    assert load_mnist(path, kind="test")[0].shape == (4, 1, 28, 28)


def test_read_idx_other_types_round_trip(tmp_path):
    for arr, code in [(np.arange(-3, 3, dtype=np.int32).reshape(2, 3), 0x0C),
                      (np.linspace(0, 1, 5), 0x0E), (np.array([-1, 2], np.int16), 0x0B)]:
        (tmp_path / "a.idx").write_bytes(_idx(arr, code))
        out = read_idx(tmp_path / "a.idx")
        assert out.shape == arr.shape and np.array_equal(out, arr) and out.dtype.isnative


def test_idx_header_errors_name_the_file(mnist_dir):
    path, images, labels = mnist_dir
    lab = path / "train-labels-idx1-ubyte"
    img = path / "train-images-idx3-ubyte"

    img.write_bytes(_idx(labels))  # labels where images belong: wrong magic number
    with pytest.raises(IDXError, match=r"train-images-idx3-ubyte: magic number 2049 .*expected 2051"):
        load_mnist(path)
    img.write_bytes(_idx(images)[:-10])  # truncated data
    with pytest.raises(IDXError, match=r"train-images-idx3-ubyte: truncated"):
        load_mnist(path)
    img.write_bytes(_idx(images) + b"\0")
    with pytest.raises(IDXError, match="trailing bytes"):
        load_mnist(path)
    img.write_bytes(b"\x12\x34" + _idx(images)[2:])
    with pytest.raises(IDXError, match="bad magic number"):
        load_mnist(path)
    img.write_bytes(_idx(images)[:9])
    with pytest.raises(IDXError, match="truncated header"):
        load_mnist(path)
    img.write_bytes(b"\0\0\x0a" + _idx(images)[3:])
    with pytest.raises(IDXError, match="magic number 2563"):
        load_mnist(path)
    with pytest.raises(IDXError, match="train-images-idx3-ubyte: unknown element type 0x0a"):
        read_idx(img)

    img.write_bytes(_idx(images))
    lab.write_bytes(_idx(labels[:5]))
    with pytest.raises(IDXError, match="6 images but train-labels-idx1-ubyte holds 5 labels"):
        load_mnist(path)
    lab.write_bytes(_idx(np.array([1, 2, 3, 4, 5, 10], np.uint8)))
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
