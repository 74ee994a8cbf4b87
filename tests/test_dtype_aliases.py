"""The dtype aliases (``autograd.float32``, ``autograd.long``, ...) behave as PyTorch's dtype objects:
``x.dtype is autograd.float32``, dict lookups keyed by dtype, PyTorch's other names, and ``from autograd
import *`` leaving Python's builtins alone."""

from __future__ import annotations

import builtins
import pickle

import numpy as np
import pytest

import autograd
from autograd.tensor import as_dtype

# PyTorch's name -> the numpy dtype it stands for (torch.long is int64, torch.int int32, torch.float float32)
NAMES = {
    "float16": "float16", "float32": "float32", "float64": "float64", "int8": "int8", "int16": "int16",
    "int32": "int32", "int64": "int64", "uint8": "uint8", "bool": "bool",
    "half": "float16", "float": "float32", "double": "float64", "short": "int16", "int": "int32",
    "long": "int64",
}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_each_alias_is_the_dtype_of_the_same_name_in_torch(name, torch):
    alias = getattr(autograd, name)
    assert isinstance(alias, np.dtype)
    assert alias is np.dtype(NAMES[name])
    assert str(getattr(torch, name)) == f"torch.{NAMES[name]}"


@pytest.mark.parametrize("name", sorted(NAMES))
def test_a_tensor_made_with_an_alias_has_that_very_dtype_object(name, torch):
    alias = getattr(autograd, name)
    x = autograd.zeros(2, dtype=alias)
    assert x.dtype is alias and x.dtype == alias
    assert {alias: name}[x.dtype] == name
    t = torch.zeros(2, dtype=getattr(torch, name))
    assert t.dtype is getattr(torch, name)  # what PyTorch users rely on
    assert {getattr(torch, name): name}[t.dtype] == name


def test_tensors_made_in_the_usual_ways_have_the_aliases_as_dtypes():
    assert autograd.tensor([1.0]).dtype is autograd.float32
    assert autograd.tensor([1]).dtype is autograd.long
    assert autograd.tensor([True]).dtype is autograd.bool
    assert autograd.Tensor(np.zeros(2)).dtype is autograd.double
    assert (autograd.ones(2) * 2).dtype is autograd.float
    assert autograd.ones(2).long().dtype is autograd.int64
    assert autograd.ones(2).int().dtype is autograd.int
    assert autograd.ones(2).half().dtype is autograd.half
    assert (autograd.ones(2) > 0).dtype is autograd.bool
    assert autograd.arange(3).to(autograd.short).dtype is autograd.short


def test_unpickled_tensors_and_arrays_still_give_the_alias():
    # unpickling an array gives it a copy of its dtype object, which ``is`` would tell apart
    array = pickle.loads(pickle.dumps(np.zeros(2, np.float32)))
    assert array.dtype is not np.dtype(np.float32)
    assert autograd.Tensor(array).dtype is autograd.float32
    assert (autograd.Tensor(array) * 2).dtype is autograd.float32
    x = pickle.loads(pickle.dumps(autograd.zeros(3, dtype=autograd.float64)))
    assert x.dtype is autograd.float64 and x.data.dtype is autograd.float64
    swapped = autograd.Tensor(np.zeros(2, dtype=">f4"))  # another dtype, kept as it is
    assert swapped.dtype == np.dtype(">f4") and swapped.dtype is not autograd.float32


@pytest.mark.parametrize("name", ["half", "float", "double", "short", "int", "long"])
def test_as_dtype_resolves_the_new_aliases_and_torch_dtypes_of_those_names(name, torch):
    assert as_dtype(getattr(autograd, name), "test") is np.dtype(NAMES[name])
    assert as_dtype(getattr(torch, name), "test") is np.dtype(NAMES[name])


def test_the_aliases_work_wherever_numpy_takes_a_dtype():
    assert np.zeros(2, dtype=autograd.long).dtype == np.int64
    assert np.issubdtype(autograd.double, np.floating) and not np.issubdtype(autograd.long, np.floating)
    assert np.finfo(autograd.half).bits == 16
    assert autograd.randn(2, dtype=autograd.double).dtype is autograd.double
    assert autograd.tensor([1.5, 2.5]).sum(dtype=autograd.double).dtype is autograd.double


def test_star_import_does_not_hide_python_builtins():
    namespace: dict = {}
    exec("from autograd import *", namespace)
    for name in ("float", "int", "bool"):
        assert name not in namespace
    for name in ("long", "double", "half", "short", "float32", "int64"):
        assert namespace[name] is getattr(autograd, name)
    # the dtype names added for PyTorch never shadow one (the functions sum, max, ... are older exports)
    assert not {"half", "double", "short", "long", "float16", "float32", "float64", "int8", "int16", "int32",
                "int64", "uint8"} & set(dir(builtins))
