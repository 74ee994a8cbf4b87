"""The machinery of the PyTorch user-snippet tests (``test_pytorch_user_snippets*.py``): a snippet is a
function of a library namespace ``L`` (``TORCH`` or ``CHAINGRAD`` below), written as PyTorch code, that
returns what it computed; :func:`run_snippet` runs it with both libraries and compares the results.

``L.torch`` is ``torch`` or ``autograd``, ``L.nn`` is ``torch.nn`` or ``nn``, ``L.F`` is
``torch.nn.functional`` or ``nn.functional``, ``L.optim`` is ``torch.optim`` or ``nn.optim`` and ``L.data``
is ``torch.utils.data`` or ``nn.data`` (chaingrad keeps its optimizers and data loading under ``nn``), and
``L.autograd`` is ``torch.autograd`` or ``autograd`` (``torch.autograd.grad`` is ``autograd.grad``), and
``L.save`` / ``L.load`` are ``torch.save`` / ``torch.load`` (with ``weights_only=True``) or ``nn.save`` /
``nn.load``: the only names the adapter maps. Results are compared after :func:`normalise`: values
(float64 data with ``rtol=1e-10``, float32 with ``rtol=1e-5``), dtypes, shapes, Python types, and whether
something raised (:func:`attempt` records a raise as a :class:`Raised` marker).
"""

from __future__ import annotations

import functools
import types
import warnings
from typing import Callable, NamedTuple

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn as cg_nn  # noqa: E402
import nn.functional as cg_F  # noqa: E402

TORCH = types.SimpleNamespace(
    name="torch", torch=torch, nn=torch.nn, F=torch.nn.functional, optim=torch.optim, data=torch.utils.data,
    autograd=torch.autograd, save=torch.save, load=functools.partial(torch.load, weights_only=True),
)
CHAINGRAD = types.SimpleNamespace(
    name="chaingrad", torch=autograd, nn=cg_nn, F=cg_F, optim=cg_nn.optim, data=cg_nn.data, autograd=autograd,
    save=cg_nn.save, load=cg_nn.load,
)


class Raised:
    """What a snippet records when a call raises: compared by whether it raised, not by the class."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __repr__(self) -> str:
        return f"Raised({type(self.exc).__name__}: {self.exc})"


def attempt(fn):
    """fn() or, when it raises, a Raised marker."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - any exception is a result to compare
        return Raised(exc)


def data(*shape, seed=0, low=-2.0, high=2.0):
    """Fixed float64 test data of a shape (a numpy array: both libraries turn it into a tensor)."""
    rng = np.random.default_rng(seed)
    return np.round(rng.uniform(low, high, size=shape), 3)


def fill_parameters(L, model, seed=0):
    """Overwrite a model's parameters with fixed data, as tests and ports of weights do."""
    with L.torch.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(L.torch.tensor(data(*tuple(p.shape), seed=seed + i, low=-0.5, high=0.5)))


# ---------------------------------------------------------------------------------------- normalising
class Array(NamedTuple):
    """A tensor's (or state-dict array's) dtype name, shape and values, library-independent."""

    dtype: str
    shape: tuple
    values: np.ndarray


class DType(NamedTuple):
    name: str


RAISED = "<raised>"  # what a Raised marker normalises to


def _dtype_name(dtype) -> str:
    if isinstance(dtype, torch.dtype):
        return str(dtype).replace("torch.", "")
    return np.dtype(dtype).name


def normalise(obj):
    """A library-independent form of a snippet's result.

    A torch tensor, a chaingrad Tensor and a numpy array all become an ``Array``: chaingrad's state
    dicts hold numpy arrays where torch's hold tensors, a documented difference.
    """
    if isinstance(obj, (torch.Tensor, autograd.Tensor)):
        arr = obj.detach().numpy() if isinstance(obj, torch.Tensor) else obj.numpy()
        return Array(_dtype_name(arr.dtype), tuple(arr.shape), np.array(arr))
    if isinstance(obj, np.ndarray):
        return Array(_dtype_name(obj.dtype), tuple(obj.shape), np.array(obj))
    if isinstance(obj, torch.Size):
        return tuple(obj)
    if isinstance(obj, torch.dtype):
        return DType(_dtype_name(obj))
    if isinstance(obj, np.dtype) or (isinstance(obj, type) and issubclass(obj, np.generic)):
        return DType(np.dtype(obj).name)
    if isinstance(obj, Raised):
        return RAISED
    if isinstance(obj, dict):
        return {k: normalise(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [normalise(v) for v in obj]
    if isinstance(obj, tuple):  # named pairs too: torch.return_types.sort, autograd.ValuesIndices
        return tuple(normalise(v) for v in obj)
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def assert_same(ours, theirs, where="result"):
    """Assert that chaingrad's normalised result matches torch's."""
    if isinstance(theirs, Array):
        assert isinstance(ours, Array), f"{where}: {ours!r} is not a tensor like torch's {theirs!r}"
        assert ours.dtype == theirs.dtype, f"{where}: dtype {ours.dtype} != torch's {theirs.dtype}"
        assert ours.shape == theirs.shape, f"{where}: shape {ours.shape} != torch's {theirs.shape}"
        if theirs.values.dtype.kind == "f":
            rtol, atol = (1e-10, 1e-12) if theirs.values.dtype == np.float64 else (1e-5, 1e-6)
            np.testing.assert_allclose(ours.values, theirs.values, rtol=rtol, atol=atol, err_msg=where)
        else:
            np.testing.assert_array_equal(ours.values, theirs.values, err_msg=where)
    elif isinstance(theirs, DType):
        assert ours == theirs, f"{where}: {ours!r} != torch's {theirs!r}"
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict) and list(ours) == list(theirs), f"{where}: {ours!r} != {theirs!r}"
        for k in theirs:
            assert_same(ours[k], theirs[k], f"{where}[{k!r}]")
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), f"{where}: {ours!r} != {theirs!r}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(theirs, float):
        assert type(ours) is float, f"{where}: {ours!r} is not a float like torch's {theirs!r}"
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12, err_msg=where)
    else:
        assert type(ours) is type(theirs) and ours == theirs, f"{where}: {ours!r} != torch's {theirs!r}"


def snippet_registry() -> tuple[dict[str, Callable], Callable[[Callable], Callable]]:
    """A test file's table of snippets by name, and the decorator that adds a function to it."""
    snippets: dict[str, Callable] = {}

    def snippet(fn: Callable) -> Callable:
        assert fn.__name__ not in snippets, f"two snippets named {fn.__name__}"
        snippets[fn.__name__] = fn
        return fn

    return snippets, snippet


def run_snippet(fn: Callable) -> None:
    """Run a snippet with torch and with chaingrad and assert that chaingrad's results match torch's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's create_graph note and the like; snippets record their own
        theirs = normalise(fn(TORCH))
        ours = normalise(fn(CHAINGRAD))
    assert_same(ours, theirs)
