"""Saving and loading checkpoints: numpy ``.npz`` files, written atomically, read without pickle.

:func:`save` accepts a state dict, a Module (its state dict is saved), or a nested structure of dicts and
lists holding arrays and plain JSON values, such as
``{"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}``.

The file is an ordinary ``.npz`` archive. Every array is stored under its flattened key (nested keys
joined with ``"/"``: ``"model/0.weight"``), so ``numpy.load`` can read it directly. A JSON manifest, stored
as a uint8 array under ``"__chaingrad_manifest__"``, records the structure, the key types and the plain
values, so :func:`load` rebuilds exactly what was saved.

Safety:

* **Atomic.** The file is written to a temporary file in the same directory, flushed and fsync'ed, then
  moved over ``path`` with ``os.replace``. A crash or an error while writing leaves the previous file
  intact and no temporary file behind.
* **No code execution.** :func:`load` reads with ``numpy.load(allow_pickle=False)`` and rejects object
  arrays, pickles and zip members that are not ``.npy`` arrays (such as a ``torch.save`` file's), so a
  crafted file cannot run code. A truncated or corrupt file raises a ValueError that names the path.

Examples
--------
>>> import os, tempfile
>>> from nn.layers import Linear
>>> from nn.serialization import save, load
>>> model = Linear(2, 1)
>>> path = os.path.join(tempfile.mkdtemp(), "ckpt.npz")
>>> save({"model": model, "epoch": 3}, path)
>>> ckpt = load(path)
>>> ckpt["epoch"], list(ckpt["model"])
(3, ['weight', 'bias'])
>>> model.load_state_dict(ckpt["model"])
<All keys matched successfully>
"""

from __future__ import annotations

import json
import os
import secrets
import zipfile
import zlib
from collections import OrderedDict
from typing import Any, Mapping

import numpy as np

from autograd.tensor import Tensor, describe

from .module import Module

__all__ = ["save", "load", "MANIFEST_KEY"]

MANIFEST_KEY = "__chaingrad_manifest__"
FORMAT = "chaingrad-checkpoint"
VERSION = 1
_SEP = "/"

# ---------------------------------------------------------------------------------------------- encoding
class _Encoder:
    """Turns a nested object into (manifest tree, {npz key: array})."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def _key(self, path: list[str]) -> str:
        base = _SEP.join(path) if path else "value"
        if base == MANIFEST_KEY or base.startswith(MANIFEST_KEY):
            base = "_" + base
        key, n = base, 1
        while key in self.arrays:
            key = f"{base}#{n}"
            n += 1
        return key

    def _array(self, arr: np.ndarray, path: list[str]) -> dict:
        if arr.dtype.kind not in "biufc":
            raise TypeError(
                f"save: the array at {_SEP.join(path) or '<root>'!r} has dtype {arr.dtype}; only numeric and "
                "bool arrays can be saved (object arrays would need pickle)"
            )
        key = self._key(path)
        self.arrays[key] = np.asarray(arr, order="C")  # (ascontiguousarray would make 0-d arrays 1-d)
        return {"t": "array", "key": key}

    def encode(self, obj: Any, path: list[str]) -> dict:
        where = _SEP.join(path) or "<root>"
        if isinstance(obj, Module):
            obj = obj.state_dict()
        if isinstance(obj, Tensor):
            return self._array(np.asarray(obj.data), path)
        if isinstance(obj, np.ndarray):
            return self._array(obj, path)
        if isinstance(obj, np.generic):
            node = self._array(np.asarray(obj), path)
            node["t"] = "npscalar"
            return node
        if hasattr(obj, "detach") and hasattr(obj, "numpy") and hasattr(obj, "cpu"):  # a torch tensor
            return self._array(np.asarray(obj.detach().cpu().numpy()), path)
        if isinstance(obj, bool) or obj is None or isinstance(obj, str):
            return {"t": "value", "v": obj}
        if isinstance(obj, (int, float)):
            return {"t": "value", "v": obj}
        if isinstance(obj, Mapping):
            items = []
            for k, v in obj.items():
                if isinstance(k, bool) or not isinstance(k, (str, int)):
                    raise TypeError(
                        f"save: the mapping at {where!r} has a key {describe(k)}; "
                        "expected str or int keys"
                    )
                kind = "str" if isinstance(k, str) else "int"
                items.append([k, kind, self.encode(v, path + [str(k)])])
            return {"t": "odict" if isinstance(obj, OrderedDict) else "dict", "items": items}
        if isinstance(obj, (list, tuple)):
            return {"t": "list" if isinstance(obj, list) else "tuple",
                    "items": [self.encode(v, path + [str(i)]) for i, v in enumerate(obj)]}
        raise TypeError(
            f"save: cannot save an object {describe(obj)} at {where!r}; expected arrays, "
            "Tensors, Modules, dicts, lists, tuples, numbers, strings, bools or None"
        )


def _decode(node: Any, arrays: Mapping[str, np.ndarray], path: str) -> Any:
    if not isinstance(node, dict) or "t" not in node:
        raise ValueError(f"load: {path}: malformed manifest entry {str(node)[:80]!r}")
    kind = node["t"]
    if kind in ("array", "npscalar"):
        key = node.get("key")
        if key not in arrays:
            raise ValueError(f"load: {path}: the manifest refers to a missing array {key!r}")
        arr = arrays[key]
        return arr[()] if kind == "npscalar" else arr
    if kind == "value":
        v = node.get("v")
        if v is not None and not isinstance(v, (bool, int, float, str)):
            raise ValueError(f"load: {path}: malformed manifest value {str(v)[:80]!r}")
        return v
    if kind in ("dict", "odict"):
        out: dict = OrderedDict() if kind == "odict" else {}
        for item in node.get("items", []):
            if not isinstance(item, list) or len(item) != 3 or item[1] not in ("str", "int"):
                raise ValueError(f"load: {path}: malformed manifest item {str(item)[:80]!r}")
            k, key_kind, child = item
            out[int(k) if key_kind == "int" else str(k)] = _decode(child, arrays, path)
        return out
    if kind in ("list", "tuple"):
        items = [_decode(child, arrays, path) for child in node.get("items", [])]
        return items if kind == "list" else tuple(items)
    raise ValueError(f"load: {path}: unknown manifest entry type {kind!r}")


# ---------------------------------------------------------------------------------------------- saving
def _write_npz(fileobj: Any, arrays: Mapping[str, np.ndarray]) -> None:
    np.savez(fileobj, **arrays)


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def save(obj: Any, path: str | os.PathLike[str]) -> None:
    """Write ``obj`` to ``path`` as an ``.npz`` checkpoint, atomically.

    Parameters
    ----------
    obj : state dict, Module, or nested dict/list of them with plain values
        Arrays may be numpy arrays, Tensors or Parameters (saved as arrays; :func:`load` returns numpy
        arrays). Mapping keys must be str or int. Plain values: int, float, str, bool, None.
    path : str or os.PathLike
        Used exactly as given (no ``.npz`` suffix is appended). Missing parent directories are created
        (as :func:`nn.train.plot_history` and ``render`` do).

    Raises
    ------
    TypeError
        For an object that cannot be stored without pickle; nothing is written then (no directory is
        created either).
    OSError
        If the directory cannot be created or written to, or ``path`` is an existing directory; a
        previous file at ``path`` is left intact.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from nn.serialization import save, load
    >>> path = os.path.join(tempfile.mkdtemp(), "runs", "w.npz")     # "runs" is created
    >>> save({"w": np.eye(2)}, path)
    >>> load(path)["w"].tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    path = os.fspath(path)
    encoder = _Encoder()
    tree = encoder.encode(obj, [])  # raises before any file is touched
    manifest = {"format": FORMAT, "version": VERSION, "root": tree}
    payload = json.dumps(manifest, allow_nan=True).encode("utf-8")
    arrays = dict(encoder.arrays)
    arrays[MANIFEST_KEY] = np.frombuffer(payload, dtype=np.uint8)

    if os.path.isdir(path):
        # otherwise os.replace fails naming the temporary file, not the path the caller gave
        raise IsADirectoryError(_is_a_directory(path))
    directory = os.path.dirname(os.path.abspath(path))
    # the temporary file must live in the target's own directory for os.replace to be atomic
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # mode follows the umask
    try:
        with os.fdopen(fd, "wb") as f:
            _write_npz(f, arrays)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.replace(tmp, path)
        except IsADirectoryError:  # a directory created at path since the check above
            raise IsADirectoryError(_is_a_directory(path)) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(directory)


def _is_a_directory(path: str) -> str:
    example = os.path.join(path, "model.npz")
    return f"save: path {path!r} is a directory; expected a file path (e.g. {example!r})"


# ---------------------------------------------------------------------------------------------- loading
def load(path: str | os.PathLike[str]) -> Any:
    """Read a checkpoint written by :func:`save` (or any ``.npz`` of numeric arrays).

    Never unpickles: files holding pickles or object arrays are rejected before anything in them runs.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    object
        What was saved, with arrays as numpy arrays (a state dict comes back as an OrderedDict). A plain
        ``.npz`` without a manifest gives an OrderedDict of its arrays.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is truncated, corrupt, not an ``.npz``, holds pickled data, or is a zip archive
        with members that are not ``.npy`` arrays (such as a file written by ``torch.save``).

    Examples
    --------
    >>> import os, tempfile
    >>> from nn.layers import Linear
    >>> from nn.serialization import save, load
    >>> path = os.path.join(tempfile.mkdtemp(), "lin.npz")
    >>> save(Linear(3, 2), path)
    >>> {k: v.shape for k, v in load(path).items()}
    {'weight': (2, 3), 'bias': (2,)}
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"load: no such file: {path!r}")
    with open(path, "rb") as f:
        head = f.read(8)
    if head[:1] == b"\x80":
        raise ValueError(
            f"load: refusing to read {path!r}: it is a pickle, which could run arbitrary code; chaingrad "
            "checkpoints are .npz archives and never contain pickles"
        )
    if head[:2] != b"PK":
        what = "a single .npy array" if head[:6] == b"\x93NUMPY" else "not an .npz archive"
        raise ValueError(f"load: {path!r} is not a valid checkpoint ({what}; empty, truncated or corrupt?)")
    arrays: dict[str, np.ndarray] = OrderedDict()
    foreign: list[str] = []
    try:
        with np.load(path, allow_pickle=False) as archive:
            # numpy hands back the raw bytes of a member that is not an .npy array (e.g. the pickles
            # in a torch.save zip), so anything that does not come back as an array is refused.
            foreign = [name for name in archive.zip.namelist() if not name.endswith(".npy")]
            for key in [] if foreign else archive.files:
                value = archive[key]
                if not isinstance(value, np.ndarray):  # an .npy name without an .npy header
                    foreign.append(key + ".npy")
                    break
                arrays[key] = value
    except ValueError as exc:
        text = str(exc)
        if "pickle" in text.lower() or "object arrays" in text.lower():
            raise ValueError(
                f"load: refusing to read {path!r}: it contains pickled data (object arrays), which could "
                "run arbitrary code; chaingrad checkpoints never contain pickles"
            ) from None
        raise ValueError(
            f"load: {path!r} is not a valid checkpoint (corrupt or truncated?): {text}"
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, RuntimeError, zlib.error) as exc:
        raise ValueError(
            f"load: {path!r} is not a valid checkpoint (corrupt or truncated?): {type(exc).__name__}: {exc}"
        ) from None
    if foreign:
        shown = ", ".join(repr(name) for name in foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        hint = (" (it looks like a torch.save file; load it with torch.load and pass the state dict to "
                "load_state_dict)") if any(name.endswith(".pkl") for name in foreign) else ""
        raise ValueError(
            f"load: {path!r} is not a chaingrad checkpoint{hint}: it holds {shown}, which "
            f"{'is' if len(foreign) == 1 else 'are'} not .npy arrays; expected an .npz archive whose "
            "members are all .npy arrays (as written by nn.save or numpy.savez)"
        )
    if MANIFEST_KEY not in arrays:
        return OrderedDict(arrays)
    raw = arrays.pop(MANIFEST_KEY)
    try:
        if raw.dtype != np.uint8 or raw.ndim != 1:
            raise ValueError("the manifest is not a uint8 vector")
        manifest = json.loads(raw.tobytes().decode("utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError("unknown manifest format")
        if manifest.get("version") != VERSION:
            raise ValueError(f"unsupported checkpoint version {manifest.get('version')!r}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"load: {path!r} has a corrupt manifest: {exc}") from None
    return _decode(manifest.get("root"), arrays, repr(path))
