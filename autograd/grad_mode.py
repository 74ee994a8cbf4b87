"""Switching gradient recording on and off (per thread, like PyTorch's grad mode).

The mode lives in a context variable: every thread starts with recording on, an asyncio task sees the
mode of the code that created it, and reading it costs less than a thread-local attribute, which
matters because every tensor operation reads it.
"""

from __future__ import annotations

import contextvars
import functools
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("chaingrad_grad_enabled", default=True)
grad_enabled = _enabled.get
"""The fast spelling of :func:`is_grad_enabled`, for the hot paths of the engine."""
set_grad_mode = _enabled.set
"""Switch grad mode and return a token for :data:`restore_grad_mode`: the engine's cheaper form of
``with set_grad_enabled(mode):``."""
restore_grad_mode = _enabled.reset


def is_grad_enabled() -> bool:
    """Return True when operations on tensors that require grad are recorded.

    Examples
    --------
    >>> from autograd import no_grad, is_grad_enabled
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return _enabled.get()


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
        self._tokens: list[contextvars.Token[bool]] = []

    def __enter__(self) -> None:
        self._tokens.append(_enabled.set(self.mode))

    def __exit__(self, *exc: object) -> None:
        _enabled.reset(self._tokens.pop())

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
