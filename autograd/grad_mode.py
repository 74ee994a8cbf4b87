"""Switching gradient recording on and off (thread-local, like PyTorch's grad mode)."""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

class _GradState(threading.local):
    # A class-level default: every thread starts with recording on, and reading it never raises.
    enabled = True


_state = _GradState()


def is_grad_enabled() -> bool:
    """Return True when operations on tensors that require grad are recorded.

    Examples
    --------
    >>> from autograd import no_grad, is_grad_enabled
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return _state.enabled


def _set(enabled: bool) -> None:
    _state.enabled = enabled


class set_grad_enabled:
    """Context manager and decorator that sets gradient recording to ``mode``.

    Parameters
    ----------
    mode : bool
        True to record operations, False to run them as plain numpy work.

    Examples
    --------
    >>> from autograd import set_grad_enabled, is_grad_enabled
    >>> with set_grad_enabled(False):
    ...     is_grad_enabled()
    False
    """

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(is_grad_enabled())
        _set(self.mode)

    def __exit__(self, *exc: object) -> None:
        _set(self._previous.pop())

    def __call__(self, func: F) -> F:
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            # A fresh manager per call: a decorated function may recurse or run in several threads.
            with set_grad_enabled(mode):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(set_grad_enabled):
    """Context manager and decorator that turns gradient recording off.

    Examples
    --------
    >>> from autograd import tensor, no_grad
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(set_grad_enabled):
    """Context manager and decorator that turns gradient recording on (inside ``no_grad``).

    Examples
    --------
    >>> from autograd import no_grad, enable_grad, is_grad_enabled
    >>> with no_grad(), enable_grad():
    ...     is_grad_enabled()
    True
    """

    def __init__(self) -> None:
        super().__init__(True)
