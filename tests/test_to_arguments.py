"""``Tensor.to`` and ``Module.to`` read their arguments with one parser (``autograd.to_arguments``): the
same calls work, and the same are refused, as in PyTorch, except where a row of the table says why not.

Each row is one call, given unchanged to torch and to chaingrad (which take torch's dtypes, devices and
tensors), on a tensor and on a module."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn

torch = pytest.importorskip("torch")

F64, F32, I64 = torch.float64, torch.float32, torch.int64
OTHER = torch.zeros(1, dtype=torch.float64)  # PyTorch's to(other): its dtype
SAME = None

# Why chaingrad works where PyTorch refuses (or the reverse), for the rows that differ.
ANY_ORDER = "chaingrad reads a device and a dtype in either position"
NUMPY_DTYPES = "chaingrad also takes numpy's dtypes and their names"
NONE_IS_NOTHING = "None names nothing, in any position"

# id: (args, kwargs, tensor: SAME or why Tensor.to differs, module: SAME or why Module.to differs)
CALLS = {
    # the forms
    "nothing": ((), {}, SAME, SAME),
    "dtype": ((F64,), {}, SAME, SAME),
    "int dtype": ((I64,), {}, SAME, SAME),  # a module refuses it, in torch as here
    "device": (("cpu",), {}, SAME, SAME),
    "torch device": ((torch.device("cpu"),), {}, SAME, SAME),
    "device, dtype": (("cpu", F64), {}, SAME, SAME),
    "None, dtype": ((None, F64), {}, SAME, SAME),
    "device, None": (("cpu", None), {}, SAME, SAME),
    "other": ((OTHER,), {}, SAME, SAME),
    "int other": ((torch.zeros(1, dtype=I64),), {}, SAME, SAME),
    # keywords
    "dtype=": ((), {"dtype": F64}, SAME, SAME),
    "device=": ((), {"device": "cpu"}, SAME, SAME),
    "device=, dtype=": ((), {"device": torch.device("cpu"), "dtype": F64}, SAME, SAME),
    "device, dtype=": (("cpu",), {"dtype": F64}, SAME, SAME),
    "dtype=None": ((), {"dtype": None}, SAME, SAME),
    "device=None": ((), {"device": None}, SAME, SAME),
    # non_blocking and copy, by position and by keyword
    "dtype, non_blocking": ((F64, True), {}, SAME, SAME),
    "device, dtype, non_blocking": (("cpu", F64, True), {}, SAME, SAME),
    "other, non_blocking": ((OTHER, True), {}, SAME, SAME),
    "dtype, non_blocking=": ((F64,), {"non_blocking": True}, SAME, SAME),
    "non_blocking=": ((), {"non_blocking": True}, SAME, SAME),
    "dtype, non_blocking, copy": ((F64, False, True), {}, SAME, SAME),
    "device, dtype, non_blocking, copy": (("cpu", F64, True, True), {}, SAME, SAME),
    "other, non_blocking, copy": ((OTHER, True, True), {}, SAME, SAME),
    "dtype, non_blocking, copy=": ((F64, True), {"copy": True}, SAME, SAME),
    "copy=": ((), {"copy": True}, SAME, SAME),
    "copy=False": ((), {"copy": False}, SAME, SAME),
    "dtype, copy=": ((F64,), {"copy": True}, SAME, SAME),
    "device, copy=": (("cpu",), {"copy": True}, SAME, SAME),
    "other, copy=": ((OTHER,), {"copy": True}, SAME, SAME),
    "device, non_blocking=, copy=": (("cpu",), {"non_blocking": True, "copy": True}, SAME, SAME),
    # what both refuse
    "two dtypes": ((F64, F32), {}, SAME, SAME),
    "two devices": (("cpu", "cpu"), {}, SAME, SAME),
    "other, dtype": ((OTHER, F64), {}, SAME, SAME),
    "dtype, dtype=": ((F64,), {"dtype": F32}, SAME, SAME),
    "device, device=": (("cpu",), {"device": "cpu"}, SAME, SAME),
    "other, dtype=": ((OTHER,), {"dtype": F64}, SAME, SAME),
    "non_blocking twice": ((F64, True), {"non_blocking": True}, SAME, SAME),
    "copy twice": (("cpu", F64, False, True), {"copy": True}, SAME, SAME),
    "three bools": ((F64, False, True, True), {}, SAME, SAME),
    "five positional": (("cpu", F64, False, False, False), {}, SAME, SAME),
    "non_blocking=1": ((F64,), {"non_blocking": 1}, SAME, SAME),
    "copy=None": ((), {"copy": None}, SAME, SAME),
    "dtype, int": ((F64, 1), {}, SAME, SAME),
    "dtype, word": ((F64, "x"), {}, SAME, SAME),
    "accelerator index": ((0,), {}, SAME, SAME),
    "cuda": (("cuda",), {}, SAME, SAME),
    "dtype=other": ((), {"dtype": OTHER}, SAME, SAME),
    "device=dtype": ((), {"device": F64}, SAME, SAME),
    "unknown keyword": ((), {"bogus": 1}, SAME, SAME),
    # where chaingrad differs, and why
    "dtype, device": ((F64, "cpu"), {}, ANY_ORDER, ANY_ORDER),
    "other, device": ((OTHER, "cpu"), {}, ANY_ORDER, ANY_ORDER),
    "dtype, device=": ((F64,), {"device": "cpu"}, ANY_ORDER, ANY_ORDER),
    "dtype, None": ((F64, None), {}, NONE_IS_NOTHING, NONE_IS_NOTHING),
    "device, non_blocking": (("cpu", True), {}, "a bool after the device is non_blocking",
                             "a bool after the device is non_blocking"),
    "numpy bool": ((F64, np.bool_(True)), {}, "numpy's bools are bools", "numpy's bools are bools"),
    "dtype name": (("float64",), {}, NUMPY_DTYPES, NUMPY_DTYPES),
    "numpy type": ((np.float64,), {}, NUMPY_DTYPES, NUMPY_DTYPES),
    "numpy array": ((np.zeros(1),), {}, "a numpy array is a tensor whose dtype to take",
                    "a numpy array is a tensor whose dtype to take"),
    "True": ((True,), {}, "torch reads True as torch.bool; chaingrad takes no bool for a dtype", SAME),
    "memory_format=": ((F64,), {"memory_format": torch.preserve_format}, "chaingrad has no memory formats",
                       "chaingrad has no memory formats"),
    "tensor=": ((), {"tensor": OTHER}, "torch's undocumented keyword for other",
                "torch's undocumented keyword for other"),
}


def _attempt(call):
    """(True, result) if ``call()`` works, else (False, the exception)."""
    try:
        return True, call()
    except Exception as exc:  # torch raises AssertionError for CUDA, TypeError and RuntimeError otherwise
        return False, exc


def _check_same_outcome(name, theirs, ours, differs, where):
    if differs is SAME:
        assert ours[0] == theirs[0], (f"{name}: torch {'works' if theirs[0] else 'raises'}, chaingrad "
                                      f"{'works' if ours[0] else 'raises'}: {ours[1]!r}")
    else:
        assert ours[0] != theirs[0], f"{name}: no longer differs from torch ({differs})"
    if not ours[0]:  # chaingrad's error names the function, what it got and what it expected
        assert type(ours[1]) in (TypeError, RuntimeError)
        assert str(ours[1]).startswith(f"{where}: got "), str(ours[1])
        assert "expected" in str(ours[1])


def _dtype_name(dtype) -> str:
    return str(dtype).replace("torch.", "")


@pytest.mark.parametrize("name", CALLS)
def test_tensor_to_works_where_torch_works(name):
    args, kwargs, differs, _ = CALLS[name]
    x, tx = autograd.tensor([1.5, -2.0]), torch.tensor([1.5, -2.0])
    ours, theirs = _attempt(lambda: x.to(*args, **kwargs)), _attempt(lambda: tx.to(*args, **kwargs))
    _check_same_outcome(name, theirs, ours, differs, "to")
    if ours[0] and theirs[0]:
        assert _dtype_name(ours[1].dtype) == _dtype_name(theirs[1].dtype)
        assert (ours[1] is x) == (theirs[1] is tx)  # the tensor itself unless the dtype changes or copy=True


@pytest.mark.parametrize("name", CALLS)
def test_module_to_works_where_torch_works(name):
    args, kwargs, _, differs = CALLS[name]
    m, tm = nn.Linear(2, 2), torch.nn.Linear(2, 2)
    ours, theirs = _attempt(lambda: m.to(*args, **kwargs)), _attempt(lambda: tm.to(*args, **kwargs))
    _check_same_outcome(name, theirs, ours, differs, "Linear.to")
    if ours[0] and theirs[0]:
        assert ours[1] is m and theirs[1] is tm
        assert _dtype_name(m.weight.dtype) == _dtype_name(tm.weight.dtype)
    if not ours[0]:
        assert m.weight.dtype == np.float32  # nothing converted


def test_tensor_to_takes_a_torch_tensor_and_copies_when_asked():
    x = autograd.tensor([1.5, -2.0], requires_grad=True)
    assert x.to(torch.zeros(1, dtype=torch.float64)).dtype == np.float64
    assert x.to(torch.zeros(1)) is x
    for copied in (x.to(torch.zeros(1), False, True), x.to("cpu", copy=True), x.to(x.dtype, True, True)):
        assert copied is not x and not np.shares_memory(copied.data, x.data) and copied.requires_grad


@pytest.mark.parametrize("call, error, message", [
    (lambda t: t.to(torch.float64, torch.float32), TypeError,
     "{where}: got two dtypes, torch.float64 and torch.float32; expected one"),
    (lambda t: t.to("cpu", device="cpu"), TypeError,
     "{where}: got two devices, 'cpu' and 'cpu'; expected one"),
    (lambda t: t.to(torch.zeros(1), dtype="float64"), TypeError,
     "{where}: got two dtypes, 'float64' and torch.float32; expected one"),
    (lambda t: t.to("float64", True, non_blocking=False), TypeError,
     "{where}: got non_blocking twice, True by position and non_blocking=False; expected one"),
    (lambda t: t.to("float64", non_blocking=1), TypeError,
     "{where}: got non_blocking of type int (1); expected a bool"),
    (lambda t: t.to("float64", True, "cpu"), TypeError,
     "{where}: got an argument of type str ('cpu') after the bool True; expected to(dtype), to(device), "
     "to(device, dtype) or to(tensor), each optionally followed by non_blocking"),
    (lambda t: t.to("cpus"), TypeError,
     "{where}: got an argument of type str ('cpus'); expected a device ('cpu'), a dtype (such as 'float64' "
     "or torch.float64) or a tensor"),
    (lambda t: t.to(dtype="float65"), TypeError, "{where}: got dtype 'float65'; expected a numpy dtype"),
    (lambda t: t.to("cuda:0"), RuntimeError,
     "{where}: got device 'cuda:0'; chaingrad computes on the CPU only (expected 'cpu'"),
    (lambda t: t.to(memory_format=None), TypeError,
     "{where}: got the keyword memory_format=None; expected the keywords device=, dtype="),
], ids=["two dtypes", "two devices", "other and dtype=", "non_blocking twice", "non_blocking not a bool",
        "after a bool", "neither", "bad dtype=", "cuda", "unknown keyword"])
@pytest.mark.parametrize("make, where", [(lambda: autograd.tensor([1.0]), "to"),
                                         (lambda: nn.Linear(2, 2), "Linear.to")], ids=["Tensor", "Module"])
def test_to_errors_name_the_function_what_it_got_and_what_it_expected(call, error, message, make, where):
    with pytest.raises(error) as caught:
        call(make())
    assert str(caught.value).startswith(message.format(where=where)), str(caught.value)


def test_the_flags_each_function_takes_are_named_in_its_errors():
    with pytest.raises(TypeError, match=r"^to: got 3 bools after the device and dtype; expected at most 2: "
                                        r".* followed by non_blocking and copy \(bools\)$"):
        autograd.tensor([1.0]).to("float64", True, True, True)
    with pytest.raises(TypeError, match=r"^Linear.to: got 2 bools after the device and dtype; expected at "
                                        r"most 1: .* followed by non_blocking \(bools\)$"):
        nn.Linear(2, 2).to("float64", True, True)
    with pytest.raises(TypeError, match=r"^Linear.to: got the keyword copy=True; expected the keywords "
                                        r"device=, dtype= or non_blocking=$"):
        nn.Linear(2, 2).to(copy=True)
    with pytest.raises(TypeError, match=r"^to: got 5 positional arguments; expected at most 4: "):
        autograd.tensor([1.0]).to("cpu", "float64", True, True, True)
