"""MNIST (and any data set in the IDX format) from files you downloaded yourself.

Nothing is downloaded: :func:`load_mnist` reads the four standard files from a directory, plain or
gzip-compressed, e.g. ``train-images-idx3-ubyte.gz`` and ``train-labels-idx1-ubyte.gz`` (kind
``"train"``, 60,000 images) or ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (kind
``"test"``, 10,000 images).

The IDX format: a 4-byte magic number ``00 00 TT DD`` (TT the element type, DD the number of
dimensions), then DD big-endian uint32 sizes, then the elements in C order (big-endian for multi-byte
types). MNIST images are ``00 00 08 03`` (2051: ubyte, 3 dims), labels ``00 00 08 01`` (2049).
:func:`read_idx` checks the header strictly: every error names the file and what was expected.
"""

from __future__ import annotations

import gzip
import os
import pathlib
import zlib
from typing import Union

import numpy as np

from autograd import Tensor

__all__ = ["read_idx", "load_mnist", "IDXError", "MNIST_FILES"]

PathLike = Union[str, "os.PathLike[str]"]

#: IDX element types: type code -> big-endian numpy dtype.
IDX_TYPES: dict[int, np.dtype] = {
    0x08: np.dtype(np.uint8), 0x09: np.dtype(np.int8), 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8"),
}

#: File stems by kind: (images, labels).
MNIST_FILES: dict[str, tuple[str, str]] = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
_KIND_ALIASES = {"train": "train", "test": "test", "t10k": "test"}


class IDXError(ValueError):
    """An IDX file whose header or size does not match what was expected."""


def _read_bytes(path: pathlib.Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"read_idx: no such file: {str(path)!r}") from None
    if raw[:2] == b"\x1f\x8b":  # gzip magic, whatever the file is called
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise IDXError(f"read_idx: {path.name}: corrupt gzip data ({exc})") from None
    if path.suffix == ".gz":
        raise IDXError(f"read_idx: {path.name}: the name ends in .gz but the file is not gzip-compressed")
    return raw


def read_idx(path: PathLike, expect_magic: int | None = None, expect_ndim: int | None = None) -> np.ndarray:
    """Read one IDX file (plain or gzip-compressed) into a numpy array, checking its header.

    Parameters
    ----------
    path : str or os.PathLike
        The file. Gzip compression is detected from the content.
    expect_magic : int, optional
        Refuse any other magic number (e.g. 2051 for MNIST images, 2049 for labels).
    expect_ndim : int, optional
        Refuse any other number of dimensions.

    Returns
    -------
    numpy.ndarray
        Of the shape the header gives, in native byte order.

    Raises
    ------
    IDXError
        For a bad magic number, an unknown type code, a zero dimension, or a file shorter or longer than
        its header says; the message names the file.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from nn.data.mnist import read_idx
    >>> path = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte")
    >>> with open(path, "wb") as f:
    ...     _ = f.write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(path, expect_magic=2049).tolist()
    [7, 2, 1]
    """
    path = pathlib.Path(path)
    raw = _read_bytes(path)
    name = path.name
    if len(raw) < 4:
        raise IDXError(f"read_idx: {name}: {len(raw)} bytes is too short for an IDX header (truncated?)")
    magic = int.from_bytes(raw[:4], "big")
    if raw[0] != 0 or raw[1] != 0:
        raise IDXError(
            f"read_idx: {name}: bad magic number 0x{magic:08x}; an IDX file starts with two zero bytes "
            "(is this really an IDX file?)"
        )
    if expect_magic is not None and magic != expect_magic:
        raise IDXError(
            f"read_idx: {name}: magic number {magic} (0x{magic:08x}); expected {expect_magic} "
            f"(0x{expect_magic:08x}) (wrong file, e.g. labels given for images?)"
        )
    type_code, ndim = raw[2], raw[3]
    if type_code not in IDX_TYPES:
        known = ", ".join(f"0x{c:02x}" for c in IDX_TYPES)
        raise IDXError(f"read_idx: {name}: unknown element type 0x{type_code:02x}; expected one of {known}")
    if expect_ndim is not None and ndim != expect_ndim:
        raise IDXError(f"read_idx: {name}: {ndim} dimensions; expected {expect_ndim}")
    if ndim == 0:
        raise IDXError(f"read_idx: {name}: 0 dimensions; expected at least 1")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IDXError(f"read_idx: {name}: truncated header ({len(raw)} bytes; {ndim} dims need {header})")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    if 0 in shape:
        raise IDXError(f"read_idx: {name}: dimensions {shape} contain a 0; expected positive sizes")
    dtype = IDX_TYPES[type_code]
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) != expected:
        problem = "truncated" if len(raw) < expected else "has trailing bytes"
        raise IDXError(
            f"read_idx: {name}: {problem}: {len(raw)} bytes, but a header of dimensions {shape} and element "
            f"size {dtype.itemsize} needs exactly {expected}"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def _find(directory: pathlib.Path, stem: str) -> pathlib.Path:
    # Accept the canonical names and the common variant with a dot (train-images.idx3-ubyte).
    variants = [stem, stem.replace("-idx", ".idx")]
    for base in variants:
        for name in (base, base + ".gz"):
            candidate = directory / name
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(
        f"load_mnist: {stem} (or {stem}.gz) not found in {str(directory)!r}; download the four MNIST files "
        "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
        "t10k-labels-idx1-ubyte.gz) into that directory"
    )


def load_mnist(path: PathLike, kind: str = "train", flatten: bool = False,
               normalize: bool = True) -> tuple[Tensor, Tensor]:
    """Load MNIST (or Fashion-MNIST, same files) from the IDX files in directory ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        Directory holding ``train-images-idx3-ubyte`` etc., plain or with ``.gz``.
    kind : {"train", "test"}, optional
        Which split (``"t10k"`` is accepted for ``"test"``).
    flatten : bool, optional
        Return images as rows of ``H * W`` features instead of ``(1, H, W)``.
    normalize : bool, optional
        Scale the pixels 0..255 to [0, 1] (default); with False they stay 0..255 (as float32).

    Returns
    -------
    X : Tensor, float32, shape (N, 1, H, W) or (N, H * W)
    y : Tensor, int64, shape (N,)

    Raises
    ------
    FileNotFoundError
        When a file is missing (the message lists the expected names).
    IDXError
        For a corrupt file (see :func:`read_idx`), image and label counts that differ, or labels
        outside 0..9.

    Examples
    --------
    >>> import gzip, os, tempfile
    >>> import numpy as np
    >>> from nn.data import load_mnist
    >>> d = tempfile.mkdtemp()
    >>> images = bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]) + bytes(range(0, 255, 32))
    >>> labels = bytes([0, 0, 8, 1, 0, 0, 0, 2, 3, 9])
    >>> with gzip.open(os.path.join(d, "t10k-images-idx3-ubyte.gz"), "wb") as f:
    ...     _ = f.write(images)
    >>> with open(os.path.join(d, "t10k-labels-idx1-ubyte"), "wb") as f:
    ...     _ = f.write(labels)
    >>> X, y = load_mnist(d, kind="test")
    >>> X.shape, y.tolist()
    ((2, 1, 2, 2), [3, 9])
    """
    if kind not in _KIND_ALIASES:
        raise ValueError(f"load_mnist: got kind={kind!r}; expected 'train' or 'test'")
    directory = pathlib.Path(path)
    if not directory.is_dir():
        raise FileNotFoundError(f"load_mnist: {str(directory)!r} is not a directory; expected the folder "
                                "holding the MNIST IDX files")
    image_stem, label_stem = MNIST_FILES[_KIND_ALIASES[kind]]
    image_file, label_file = _find(directory, image_stem), _find(directory, label_stem)
    images = read_idx(image_file, expect_magic=0x00000803, expect_ndim=3)
    labels = read_idx(label_file, expect_magic=0x00000801, expect_ndim=1)
    if images.shape[0] != labels.shape[0]:
        raise IDXError(
            f"load_mnist: {image_file.name} holds {images.shape[0]} images but {label_file.name} holds "
            f"{labels.shape[0]} labels; expected the same number (files from different splits?)"
        )
    if labels.size and labels.max() > 9:
        raise IDXError(f"load_mnist: {label_file.name} holds label {int(labels.max())}; expected 0..9")
    X = images.astype(np.float32)
    if normalize:
        X /= 255.0
    n, h, w = images.shape
    X = X.reshape(n, h * w) if flatten else X.reshape(n, 1, h, w)
    return Tensor(X), Tensor(labels.astype(np.int64))
