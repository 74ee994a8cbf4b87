"""The default floating dtype: what Python floats, the factories and new layers' parameters become.

Every place that picks a float for the user calls :func:`get_default_dtype` when it runs, so that
:func:`set_default_dtype` reaches all of them: a module that kept the value from its import would go on
making float32 after a change.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_FLOATING = {dt: dt for dt in map(np.dtype, ("float16", "float32", "float64"))}
"""The dtypes the default may be, each mapped to numpy's own instance of it, so that
``get_default_dtype() is autograd.float64`` holds whichever spelling set it."""

_default = _FLOATING[np.dtype(np.float32)]


def get_default_dtype() -> np.dtype:
    """The floating dtype that Python floats, the factories and new layers give: ``autograd.float32``
    unless :func:`set_default_dtype` changed it, as in PyTorch.

    Examples
    --------
    >>> import autograd
    >>> autograd.get_default_dtype() is autograd.float32
    True
    """
    return _default


def set_default_dtype(d: Any) -> None:
    """Make ``d`` the dtype that Python floats, the factories and new layers give, as PyTorch's
    ``set_default_dtype`` does.

    It changes what :func:`get_default_dtype` returns, and so: ``tensor(1.5)`` and lists of floats,
    ``zeros``, ``ones``, ``empty``, ``eye``, ``rand``, ``randn``, ``normal`` with numbers, ``full`` with a
    float fill, ``arange`` with a float argument, ``linspace`` and ``logspace``, an integer or bool tensor
    combined with a Python float, integer inputs of ``softmax``, ``logsumexp`` and the convolutions, the
    parameters of layers built without ``dtype=``, and ``finfo()``. Tensors that exist keep their dtype,
    and numpy arrays and numpy scalars keep theirs. The setting is global (not per thread), as PyTorch's.

    Parameters
    ----------
    d : dtype
        float16, float32 or float64, spelled as any ``dtype=`` argument takes it: a numpy dtype, type or
        name (``"float64"``), ``autograd.float64`` or a PyTorch dtype (``torch.float64``).

    Raises
    ------
    TypeError
        If ``d`` is not one of those three floating dtypes (an integer or bool dtype, None, a tensor).

    Examples
    --------
    >>> import autograd
    >>> autograd.set_default_dtype("float64")
    >>> autograd.tensor([1.5]).dtype, autograd.zeros(2).dtype, autograd.get_default_dtype()
    (dtype('float64'), dtype('float64'), dtype('float64'))
    >>> autograd.set_default_dtype(autograd.float32)  # back to the default
    """
    global _default
    _default = _floating(d)


def _floating(d: Any) -> np.dtype:
    # tensor.py reads the default from this module, which therefore cannot import it at its top
    from .tensor import as_dtype, describe

    expected = "expected a floating dtype: float16, float32 or float64 (numpy's, their names or PyTorch's)"
    # np.dtype(None) is float64, and numpy reads the dtype of anything with a .dtype, such as a tensor
    if d is None or not isinstance(d, (np.dtype, type, str)) and not str(d).startswith("torch."):
        raise TypeError(f"set_default_dtype: got d {describe(d)}; {expected}")
    try:
        dt = as_dtype(d, "set_default_dtype")
    except TypeError:
        raise TypeError(f"set_default_dtype: got d {describe(d)}; {expected}") from None
    if dt not in _FLOATING:
        raise TypeError(f"set_default_dtype: got d {describe(d)}, which is dtype {dt}; {expected}")
    return _FLOATING[dt]
