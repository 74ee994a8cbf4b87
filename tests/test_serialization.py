"""nn.serialization: round trips, atomic writes, and refusal of pickles, object arrays and corrupt files."""

from __future__ import annotations

import math
import os
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import autograd
import nn
from nn.layers import BatchNorm1d, Linear, ReLU
from nn.module import Sequential
from nn.serialization import MANIFEST_KEY, load, save


def model() -> Sequential:
    return Sequential(Linear(3, 4), BatchNorm1d(4), ReLU(), Linear(4, 2))


def assert_state_equal(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for k in a:
        assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape, k
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def files_in(directory) -> list[str]:
    return sorted(os.listdir(directory))


# --------------------------------------------------------------------------- round trips
def test_exported_from_nn():
    assert nn.save is save and nn.load is load


def test_state_dict_round_trip(tmp_path):
    net = model()
    net(autograd.randn(5, 3))  # move the running stats
    path = tmp_path / "model.ckpt"
    save(net.state_dict(), path)
    assert files_in(tmp_path) == ["model.ckpt"]  # path used as given, nothing else left behind
    loaded = load(path)
    assert isinstance(loaded, OrderedDict)
    assert_state_equal(loaded, net.state_dict())
    assert loaded["1.num_batches_tracked"].dtype == np.int64
    fresh = model()
    fresh.load_state_dict(loaded)
    assert_state_equal(fresh.state_dict(), net.state_dict())
    # the arrays are readable with plain numpy too
    with np.load(path) as z:
        np.testing.assert_array_equal(z["0.weight"], net[0].weight.numpy())


def test_module_and_nested_checkpoint_round_trip(tmp_path):
    net = model()
    opt_state = {"state": {0: {"momentum_buffer": np.ones((4, 3))}, 1: {"step": 5}},
                 "param_groups": [{"lr": 0.01, "momentum": 0.9, "nesterov": False, "params": [0, 1, 2]}]}
    ckpt = {"model": net, "optimizer": opt_state, "epoch": 3, "best": 0.25, "name": "run/1", "note": None,
            "history": [1.5, 0.75], "shape": (2, 3), "nan": float("nan"), "scalar": np.float32(2.5),
            "tensor": autograd.tensor([1.0, 2.0]), "weird/key": np.arange(3), "weird": {"key": np.zeros(2)}}
    path = tmp_path / "ckpt.npz"
    nn.save(ckpt, str(path))
    back = nn.load(path)
    assert_state_equal(back["model"], net.state_dict())
    assert back["optimizer"]["state"][1] == {"step": 5}
    assert list(back["optimizer"]["state"]) == [0, 1]  # int keys stay ints
    np.testing.assert_array_equal(back["optimizer"]["state"][0]["momentum_buffer"], np.ones((4, 3)))
    assert back["optimizer"]["param_groups"] == opt_state["param_groups"]
    assert back["epoch"] == 3 and isinstance(back["epoch"], int)
    assert back["best"] == 0.25 and back["name"] == "run/1" and back["note"] is None
    assert back["history"] == [1.5, 0.75] and back["shape"] == (2, 3) and math.isnan(back["nan"])
    assert back["scalar"] == np.float32(2.5) and isinstance(back["scalar"], np.float32)
    np.testing.assert_array_equal(back["tensor"], [1.0, 2.0])
    # keys that collide once flattened still come back apart
    np.testing.assert_array_equal(back["weird/key"], np.arange(3))
    np.testing.assert_array_equal(back["weird"]["key"], np.zeros(2))


def test_overwrite_replaces_previous_checkpoint(tmp_path):
    path = tmp_path / "w.npz"
    save({"w": np.zeros(2)}, path)
    save({"w": np.ones(3)}, path)
    np.testing.assert_array_equal(load(path)["w"], np.ones(3))
    assert files_in(tmp_path) == ["w.npz"]


def test_plain_npz_without_manifest_loads_as_state_dict(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, **{"weight": np.eye(2), "bias": np.zeros(2)})
    sd = load(path)
    assert list(sd) == ["weight", "bias"]


def test_unsavable_objects_are_rejected_before_writing(tmp_path):
    path = tmp_path / "x.npz"
    with pytest.raises(TypeError, match="object arrays would need pickle"):
        save({"bad": np.array([object()], dtype=object)}, path)
    with pytest.raises(TypeError, match=r"cannot save an object of type set \(\{1, 2\}\) at 'a'"):
        save({"a": {1, 2}}, path)
    with pytest.raises(TypeError, match=r"key of type float \(1\.5\)"):
        save({1.5: np.zeros(1)}, path)
    assert files_in(tmp_path) == []


def test_mismatched_state_dict_raises_in_load_state_dict(tmp_path):
    path = tmp_path / "small.npz"
    save(Sequential(Linear(3, 2)), path)
    with pytest.raises(ValueError, match=r"'0.weight': expected shape \(5, 3\), got \(2, 3\)"):
        Sequential(Linear(3, 5)).load_state_dict(load(path))
    with pytest.raises(KeyError, match="missing keys"):
        model().load_state_dict(load(path))


# --------------------------------------------------------------------------- atomicity
def test_crash_while_writing_keeps_old_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    old = model()
    save(old, path)
    before = path.read_bytes()

    real_write = np.lib.format.write_array
    calls = {"n": 0}

    def crashing_write(fp, array, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # two arrays are already in the temporary file
            fp.write(b"\x00" * 10)
            raise OSError("simulated crash: disk full")
        return real_write(fp, array, *args, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", crashing_write)
    with pytest.raises(OSError, match="simulated crash"):
        save(model(), path)
    monkeypatch.undo()
    assert calls["n"] == 3
    assert files_in(tmp_path) == ["model.npz"]  # no temporary file remains
    assert path.read_bytes() == before
    assert_state_equal(load(path), old.state_dict())


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_failure_at_fsync_or_rename_leaves_nothing_behind(tmp_path, monkeypatch, where):
    path = tmp_path / "m.npz"
    save({"w": np.zeros(2)}, path)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt("interrupted")

    monkeypatch.setattr(os, where, boom)
    with pytest.raises(KeyboardInterrupt):
        save({"w": np.ones(2)}, path)
    monkeypatch.undo()
    assert files_in(tmp_path) == ["m.npz"]
    np.testing.assert_array_equal(load(path)["w"], np.zeros(2))


def test_new_file_gets_normal_permissions(tmp_path):
    path = tmp_path / "perm.npz"
    old = os.umask(0o022)
    try:
        save({"w": np.zeros(1)}, path)
    finally:
        os.umask(old)
    assert (path.stat().st_mode & 0o777) == 0o644


# --------------------------------------------------------------------------- hostile and broken files
class Payload:
    """Unpickling this creates a marker file: proof that code ran."""

    marker = ""

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_npz_with_object_array_is_refused_without_running_code(tmp_path):
    marker = tmp_path / "pwned"
    Payload.marker = str(marker)
    path = tmp_path / "evil.npz"
    arr = np.empty(1, dtype=object)
    arr[0] = Payload()
    np.savez(path, **{"0.weight": arr})
    with pytest.raises(ValueError, match="refusing to read .*evil.npz.*pickled data"):
        load(path)
    assert not marker.exists()
    # also with a valid-looking manifest next to it
    manifest = np.frombuffer(b'{"format": "chaingrad-checkpoint", "version": 1, "root": {"t": "array", '
                             b'"key": "w"}}', dtype=np.uint8)
    np.savez(path, **{MANIFEST_KEY: manifest, "w": arr})
    with pytest.raises(ValueError, match="pickled data"):
        load(path)
    assert not marker.exists()


def test_pickle_file_is_refused_without_running_code(tmp_path):
    marker = tmp_path / "pwned"
    Payload.marker = str(marker)
    path = tmp_path / "evil.ckpt"
    path.write_bytes(pickle.dumps({"model": Payload()}))
    with pytest.raises(ValueError, match="refusing to read .*evil.ckpt.*pickle"):
        load(path)
    assert not marker.exists()


@pytest.mark.parametrize("keep", [0.5, 0.9, 10, 0])
def test_truncated_file_raises_value_error_naming_path(tmp_path, keep):
    path = tmp_path / "model.npz"
    save(model(), path)
    data = path.read_bytes()
    n = int(len(data) * keep) if isinstance(keep, float) else keep
    broken = tmp_path / "broken.npz"
    broken.write_bytes(data[:n])
    with pytest.raises(ValueError, match="broken.npz"):
        load(broken)


def test_corrupt_member_and_garbage_raise_value_error(tmp_path):
    path = tmp_path / "model.npz"
    save(model(), path)
    data = bytearray(path.read_bytes())
    # flip bytes inside the first stored array: the zip CRC check catches it
    start = data.index(b"NUMPY") + 200
    data[start:start + 16] = b"\xff" * 16
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="corrupt.npz"):
        load(corrupt)
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"hello, this is not a checkpoint")
    with pytest.raises(ValueError, match="garbage.npz.*not an .npz archive"):
        load(garbage)
    npy = tmp_path / "single.npy"
    np.save(npy, np.zeros(3))
    with pytest.raises(ValueError, match="single .npy array"):
        load(npy)
    with pytest.raises(FileNotFoundError, match="nope.npz"):
        load(tmp_path / "nope.npz")


def test_corrupt_manifest_raises(tmp_path):
    path = tmp_path / "m.npz"
    with zipfile.ZipFile(path, "w") as z:  # an npz whose manifest is not JSON
        with z.open(MANIFEST_KEY + ".npy", "w") as f:
            np.lib.format.write_array(f, np.frombuffer(b"{not json", dtype=np.uint8))
    with pytest.raises(ValueError, match="corrupt manifest"):
        load(path)
