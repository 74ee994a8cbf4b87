"""Switching gradient recording on and off (per thread, like PyTorch's grad mode).

The mode lives in a context variable: every thread starts with recording on, an asyncio task sees the
mode of the code that created it, and reading it costs less than a thread-local attribute, which
matters because every tensor operation reads it.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import threading
from typing import Any, Callable, Iterator, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("chaingrad_grad_enabled", default=True)
grad_enabled = _enabled.get
"""The fast spelling of :func:`is_grad_enabled`, for the hot paths of the engine."""
set_grad_mode = _enabled.set
"""Switch grad mode and return a token for :data:`restore_grad_mode`: the engine's cheaper form of
``with set_grad_enabled(mode):``."""
restore_grad_mode = _enabled.reset

_inference: contextvars.ContextVar[bool] = contextvars.ContextVar("chaingrad_inference_mode", default=False)


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


def _set_modes(mode: bool, inference: bool | None) -> tuple:
    """Switch grad mode (and inference mode, unless ``inference`` is None); the tokens to restore both."""
    return _enabled.set(mode), None if inference is None else _inference.set(inference)


def _restore_modes(tokens: tuple) -> None:
    _enabled.reset(tokens[0])
    if tokens[1] is not None:
        _inference.reset(tokens[1])


def _run_generator_in_mode(func: Callable[..., Iterator[Any]], mode: bool,
                           inference: bool | None = None) -> Callable[..., Any]:
    """Wrap a generator function so that its body runs in ``mode`` and the caller's code between two
    ``next`` calls runs in the caller's own mode (a ``with`` around ``yield`` would leak ``mode`` out)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        gen = func(*args, **kwargs)
        sent: Any = None
        thrown: BaseException | None = None
        while True:
            tokens = _set_modes(mode, inference)
            try:
                item = gen.send(sent) if thrown is None else gen.throw(thrown)
            except StopIteration as stop:
                return stop.value
            finally:
                _restore_modes(tokens)
            thrown = None
            try:
                sent = yield item
            except GeneratorExit:
                tokens = _set_modes(mode, inference)  # the body's cleanup (finally blocks) runs in its mode
                try:
                    gen.close()
                finally:
                    _restore_modes(tokens)
                raise
            except BaseException as exc:  # sent in by the caller's .throw(): hand it on to the body
                thrown = exc

    return wrapper


def _run_in_mode(func: F, mode: bool, inference: bool | None = None) -> F:
    """``func`` run in grad mode ``mode`` (and inference mode ``inference``, unless it is None)."""
    if inspect.isgeneratorfunction(func):
        return _run_generator_in_mode(func, mode, inference)  # type: ignore[return-value]

    if inference is not None:
        @functools.wraps(func)
        def inference_wrapper(*args: Any, **kwargs: Any) -> Any:
            tokens = _set_modes(mode, inference)
            try:
                return func(*args, **kwargs)
            finally:
                _restore_modes(tokens)

        return inference_wrapper  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = _enabled.set(mode)
        try:
            return func(*args, **kwargs)
        finally:
            _enabled.reset(token)

    return wrapper  # type: ignore[return-value]


_saved_modes: contextvars.ContextVar[tuple[bool, ...]] = contextvars.ContextVar(
    "chaingrad_saved_grad_modes", default=())
"""The modes to restore, innermost last: ``with`` blocks nest within a context, whichever switches they
use, so one stack serves them all (a context variable per switch would stay in the context for good)."""


class _GradModeSwitch:
    """Context manager and decorator that runs code with grad mode set to ``mode``.

    The modes to restore on exit are kept on a stack per context, as the mode itself is: one instance
    (a module-level ``no_grad()``, say) may be entered by several threads or asyncio tasks at once, or
    re-entered by recursion, and each exit must give back the mode of its own ``with``.
    """

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)

    def _push(self, mode: bool) -> None:
        _saved_modes.set((*_saved_modes.get(), mode))

    def __enter__(self) -> None:
        self._push(_enabled.get())
        _enabled.set(self.mode)

    def __exit__(self, *exc: object) -> None:
        saved = _saved_modes.get()
        _saved_modes.set(saved[:-1])
        _enabled.set(saved[-1])

    def __call__(self, func: F) -> F:
        return _run_in_mode(func, self.mode)


class set_grad_enabled(_GradModeSwitch):
    """Set gradient recording to ``mode``: at once as a plain call, or for a block or a function.

    As in PyTorch, constructing it switches the mode, so ``set_grad_enabled(False)`` on its own line
    turns recording off until switched back; ``with set_grad_enabled(mode):`` and
    ``@set_grad_enabled(mode)`` restore the previous mode when the block or the call ends (a decorated
    generator runs its body in ``mode`` and gives the caller's mode back at each ``yield``).

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
    >>> is_grad_enabled()
    True
    >>> _ = set_grad_enabled(False)
    >>> is_grad_enabled()
    False
    >>> _ = set_grad_enabled(True)
    """

    def __init__(self, mode: bool = True) -> None:
        super().__init__(mode)
        # The mode before construction, for the ``with`` or the decoration that usually follows at once.
        self._before: tuple[int, bool] | None = (threading.get_ident(), _enabled.get())
        _enabled.set(self.mode)

    def _take_before(self) -> bool | None:
        before, self._before = self._before, None
        if before is None or before[0] != threading.get_ident():
            return None
        return before[1]

    def __enter__(self) -> None:
        before = self._take_before()
        if before is None:
            super().__enter__()
        else:  # ``with set_grad_enabled(mode):`` — the exit goes back to the mode before construction
            self._push(before)
            _enabled.set(self.mode)

    def __call__(self, func: F) -> F:
        before = self._take_before()
        if before is not None:  # decorating a function must not switch the mode of the decorating code
            _enabled.set(before)
        return super().__call__(func)


class _FixedGradMode(_GradModeSwitch):
    """A switch to one mode, usable with or without parentheses as a decorator (``@no_grad``)."""

    _MODE: bool

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        if func is None:
            return super().__new__(cls)
        return cls()(func)

    def __init__(self) -> None:
        super().__init__(self._MODE)


class no_grad(_FixedGradMode):
    """Context manager and decorator that turns gradient recording off.

    Usable as ``with no_grad():``, ``@no_grad()`` or ``@no_grad``; a decorated generator runs its body
    without recording and gives the caller's mode back at each ``yield``. One instance may be shared by
    several threads.

    Examples
    --------
    >>> from autograd import tensor, no_grad
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    >>> @no_grad
    ... def double(t):
    ...     return t * 2
    >>> double(x).requires_grad
    False
    """

    _MODE = False


class enable_grad(_FixedGradMode):
    """Context manager and decorator that turns gradient recording on (inside ``no_grad``).

    Usable as ``with enable_grad():``, ``@enable_grad()`` or ``@enable_grad``, like :class:`no_grad`.

    Examples
    --------
    >>> from autograd import no_grad, enable_grad, is_grad_enabled
    >>> with no_grad(), enable_grad():
    ...     is_grad_enabled()
    True
    """

    _MODE = True


def is_inference_mode_enabled() -> bool:
    """Return True inside :class:`inference_mode` (and False inside ``inference_mode(False)``).

    Examples
    --------
    >>> from autograd import inference_mode, is_inference_mode_enabled
    >>> with inference_mode():
    ...     is_inference_mode_enabled()
    True
    >>> is_inference_mode_enabled()
    False
    """
    return _inference.get()


_saved_inference: contextvars.ContextVar[tuple[bool, ...]] = contextvars.ContextVar(
    "chaingrad_saved_inference_modes", default=())
"""The inference modes to restore, innermost last (as ``_saved_modes`` for grad mode)."""


class inference_mode(_GradModeSwitch):
    """PyTorch's ``inference_mode``: a context manager and decorator that turns gradient recording off.

    chaingrad has no separate inference tensors, so ``inference_mode()`` is :class:`no_grad` that also
    makes :func:`is_inference_mode_enabled` return True. As in PyTorch, ``inference_mode(False)`` turns
    recording back on (inside ``no_grad`` too) and inference mode off, ``@inference_mode`` works with or
    without parentheses, and ``no_grad``/``enable_grad`` inside it change grad mode only. Unlike
    PyTorch's inference tensors, tensors computed inside can later take part in recorded computations.

    Parameters
    ----------
    mode : bool, optional
        True (the default) to stop recording, False to record.

    Examples
    --------
    >>> from autograd import tensor, inference_mode, is_grad_enabled
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> with inference_mode():
    ...     y = x * 2
    >>> y.requires_grad
    False
    >>> @inference_mode
    ... def predict(t):
    ...     return t * 2, is_grad_enabled()
    >>> predict(x)[1]
    False
    """

    def __new__(cls, mode: Any = True) -> Any:
        if type(mode) is bool:
            return super().__new__(cls)
        if callable(mode):  # @inference_mode without parentheses
            return cls()(mode)
        from .tensor import describe  # here: tensor imports this module

        raise TypeError(f"inference_mode: got mode {describe(mode)}; expected a bool (or a function to "
                        "decorate)")

    def __init__(self, mode: bool = True) -> None:
        super().__init__(not mode)
        self.inference = mode

    def __enter__(self) -> None:
        _saved_inference.set((*_saved_inference.get(), _inference.get()))
        _inference.set(self.inference)
        super().__enter__()

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        saved = _saved_inference.get()
        _saved_inference.set(saved[:-1])
        _inference.set(saved[-1])

    def __call__(self, func: F) -> F:
        return _run_in_mode(func, self.mode, self.inference)
