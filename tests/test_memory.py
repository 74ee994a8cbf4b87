"""keep_freed_memory asks glibc to keep freed blocks; it is idempotent, never raises, runs on the first
backward pass of a Tensor graph, and CHAINGRAD_KEEP_FREED_MEMORY=0 turns it off."""

import ctypes.util
import platform

import pytest

from autograd import Tensor, memory

_GLIBC = "glibc" in (ctypes.util.find_library("c") or "") or platform.libc_ver()[0] == "glibc"


@pytest.fixture
def fresh_state(monkeypatch):
    """keep_freed_memory as if this process had never called it."""
    monkeypatch.setattr(memory, "_state", {"done": False, "ok": False})


def test_keep_freed_memory_reports_and_is_idempotent():
    first = memory.keep_freed_memory()
    assert isinstance(first, bool)
    assert memory.keep_freed_memory() is first


@pytest.mark.skipif(not _GLIBC, reason="the setting is glibc's")
def test_glibc_accepts_the_setting(fresh_state, monkeypatch):
    monkeypatch.delenv("CHAINGRAD_KEEP_FREED_MEMORY", raising=False)
    assert memory.keep_freed_memory() is True


def test_the_first_tensor_backward_pass_applies_it(fresh_state, monkeypatch):
    monkeypatch.delenv("CHAINGRAD_KEEP_FREED_MEMORY", raising=False)
    x = Tensor([1.0, 2.0], requires_grad=True)
    assert memory._state["done"] is False
    (x * x).sum().backward()
    assert memory._state["done"] is True
    assert memory._state["ok"] is _GLIBC
    assert x.grad.data.tolist() == [2.0, 4.0]


def test_the_environment_variable_turns_it_off(fresh_state, monkeypatch):
    monkeypatch.setenv("CHAINGRAD_KEEP_FREED_MEMORY", "0")
    calls = []
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda *a, **k: calls.append(a))
    assert memory.keep_freed_memory() is False
    assert calls == []  # the C library was not even loaded
    assert memory.keep_freed_memory() is False
