"""keep_freed_memory asks glibc to keep freed blocks; it is idempotent and never raises."""

import ctypes.util

import pytest

from autograd import memory


def test_keep_freed_memory_reports_and_is_idempotent():
    first = memory.keep_freed_memory()
    assert isinstance(first, bool)
    assert memory.keep_freed_memory() is first


@pytest.mark.skipif("glibc" not in (ctypes.util.find_library("c") or "") and
                    not __import__("platform").libc_ver()[0] == "glibc", reason="the setting is glibc's")
def test_glibc_accepts_the_setting():
    assert memory.keep_freed_memory() is True
