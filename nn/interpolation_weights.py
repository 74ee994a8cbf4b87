"""The index maps and weights of :func:`nn.interpolation.interpolate`, one axis at a time.

Every mode is separable, so an axis of ``n_in`` entries resampled to ``n_out`` is described on its own:

- the nearest modes by one index array, the input entry each output copies;
- the weighted modes (linear, cubic, antialiased) by *taps* ``(idx, weight, rows)``: output ``j`` is the sum
  over the taps of ``weight[k] * x[idx[k]]``, where ``rows`` (None: every output) lists the outputs ``j``
  the tap reaches and ``k`` counts them. Each ``idx`` is sorted, which the gathers of
  :mod:`nn.conv_ops` need.

Positions are PyTorch's CPU formulas, evaluated as its kernels do (in float32 for float32 inputs, with
``floor`` taken of the float32 value, and the half-pixel shift rounded once, as a fused multiply-add
rounds), so that indices agree with PyTorch's exactly and weights to their last bit or so.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable

import numpy as np

Taps = tuple[tuple[np.ndarray, np.ndarray, "np.ndarray | None"], ...]

CUBIC_A = -0.75  # the cubic convolution's parameter without antialiasing (PyTorch's, as OpenCV's)
ANTIALIAS_CUBIC_A = -0.5  # ... and with it (as PIL's)


def _arithmetic(dtype: np.dtype) -> type:
    """The type PyTorch computes positions and weights in for inputs of ``dtype``."""
    return np.float64 if dtype == np.float64 else np.float32


def _frozen(*arrays: np.ndarray) -> None:
    """Cached arrays are shared by every call: make writing to one an error."""
    for a in arrays:
        if a is not None:
            a.flags.writeable = False


def source_scale(n_in: int, n_out: int, align_corners: bool, scale_factor: float | None, ft: type) -> Any:
    """Input positions per output position, in the kernel's arithmetic type ``ft`` (PyTorch's
    ``area_pixel_compute_scale``)."""
    if align_corners:
        return ft(n_in - 1) / ft(n_out - 1) if n_out > 1 else ft(0)
    if scale_factor is not None:
        return ft(1.0 / scale_factor)
    return ft(n_in) / ft(n_out)


def _exact_product_minus_half(a: float, b: np.ndarray) -> np.ndarray:
    """``a * b - 0.5`` in float64 rounded once, as a fused multiply-add does: Dekker's exact product
    ``p + e == a * b``, where ``p - 0.5`` is exact whenever the result is not negative."""
    split = 134217729.0  # 2**27 + 1, Veltkamp's splitter for doubles

    def halves(v: Any) -> tuple[Any, Any]:
        t = split * v
        hi = t - (t - v)
        return hi, v - hi

    p = a * b
    (ah, al), (bh, bl) = halves(np.float64(a)), halves(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return (p - 0.5) + e


def half_pixel(scale: Any, n_out: int, ft: type, clamp: bool = True) -> np.ndarray:
    """``(i + 0.5) * scale - 0.5`` for every output index ``i``, in ``ft``, rounded once; with ``clamp``
    (the linear modes) at least 0, without (the cubic mode, whose taps reach left of the first entry) as
    it is."""
    t = np.arange(n_out, dtype=np.float64) + 0.5
    if ft is np.float32:  # the float64 product of a float32 and i + 0.5 is exact: one rounding, to float32
        src = (np.float64(scale) * t - 0.5).astype(np.float32)
    else:
        src = _exact_product_minus_half(float(scale), t)
    return np.where(src < 0, ft(0), src) if clamp else src


def _positions(n_in: int, n_out: int, align_corners: bool, scale_factor: float | None, ft: type,
               clamp: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each output's source position as ``(i0, t)``: the entry left of it (``floor``, at most
    ``n_in - 1``) and the fraction of the way to the next one, clipped to [0, 1]."""
    scale = source_scale(n_in, n_out, align_corners, scale_factor, ft)
    src = scale * np.arange(n_out).astype(ft) if align_corners else half_pixel(scale, n_out, ft, clamp)
    # floorf: PyTorch floors the float32 value whatever the arithmetic type
    i0 = np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), n_in - 1)
    return i0, np.minimum(np.maximum(src - i0.astype(ft), ft(0)), ft(1)).astype(ft)


@functools.lru_cache(maxsize=256)
def nearest_index(n_in: int, n_out: int, scale_factor: float | None, exact: bool, dtype: np.dtype,
                  small_image: bool) -> np.ndarray:
    """The input index each output index of an axis reads (``nearest``, or ``nearest-exact``).

    PyTorch has two kernels, and each its own arithmetic: the general one (sequences, volumes, and images
    whose output height + width exceeds 128) computes in the input's precision; the one for smaller
    images (``small_image``) computes in float32, and its ``nearest`` copies an axis whose size stays and
    reads ``i // 2`` along one whose size doubles, whatever the scale factor.

    Examples
    --------
    >>> import numpy as np
    >>> nearest_index(3, 7, None, False, np.dtype("float64"), False).tolist()
    [0, 0, 0, 1, 1, 2, 2]
    """
    i = np.arange(n_out)
    if small_image and not exact and n_out in (n_in, 2 * n_in):
        src = i // (n_out // n_in)
    else:
        ft = np.float32 if small_image else _arithmetic(dtype)
        scale = source_scale(n_in, n_out, False, scale_factor, ft)
        if not exact:
            src = scale * i.astype(ft)
        elif small_image:
            src = (i + 0.5) * np.float64(scale)
        else:
            src = half_pixel(scale, n_out, ft) + ft(0.5)
        src = np.floor(src.astype(np.float32))  # floorf: of the float32 value, whatever the arithmetic
    idx = np.minimum(src.astype(np.int64), n_in - 1)
    _frozen(idx)
    return idx


@functools.lru_cache(maxsize=256)
def linear_taps(n_in: int, n_out: int, align_corners: bool, scale_factor: float | None,
                dtype: np.dtype) -> Taps:
    """Two taps: output ``j`` is ``(1 - t) * x[i0] + t * x[i1]``, with ``i1 = i0 + 1`` (``i0`` at the last
    entry). An axis whose size stays is PyTorch's copy, weighted (1, 0).

    Examples
    --------
    >>> import numpy as np
    >>> [(i.tolist(), w.tolist()) for i, w, _ in linear_taps(2, 4, False, None, np.dtype("float64"))]
    [([0, 0, 0, 1], [1.0, 0.75, 0.25, 0.75]), ([1, 1, 1, 1], [0.0, 0.25, 0.75, 0.25])]
    """
    ft = _arithmetic(dtype)
    if n_in == n_out:  # the second tap reads the first's entry, so an inf gives NaN there only
        i0 = i1 = np.arange(n_out)
        t = np.zeros(n_out, dtype=ft)
    else:
        i0, t = _positions(n_in, n_out, align_corners, scale_factor, ft, clamp=True)
        i1 = i0 + (i0 < n_in - 1)
    taps = ((i0, (1 - t).astype(dtype), None), (i1, t.astype(dtype), None))
    _frozen(*(arr for tap in taps for arr in tap))
    return taps


def _cubic_near(x: Any, a: Any) -> Any:
    """The cubic convolution kernel at a distance ``0 <= x <= 1``."""
    return ((a + 2) * x - (a + 3)) * x * x + 1


def _cubic_far(x: Any, a: Any) -> Any:
    """The cubic convolution kernel at a distance ``1 <= x <= 2``."""
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a


@functools.lru_cache(maxsize=256)
def cubic_taps(n_in: int, n_out: int, align_corners: bool, scale_factor: float | None,
               dtype: np.dtype) -> Taps:
    """Four taps: output ``j`` reads ``x[i0 - 1 .. i0 + 2]``, each index clamped into the axis (so the
    border entries count several times), weighted by the cubic convolution kernel (``a = -0.75``) at the
    distances ``1 + t, t, 1 - t, 2 - t``. Unlike the linear modes, the position is not clamped at 0, and an
    axis whose size stays is resampled like any other.

    Examples
    --------
    >>> import numpy as np
    >>> taps = cubic_taps(3, 6, True, None, np.dtype("float64"))
    >>> [i.tolist() for i, _, _ in taps]
    [[0, 0, 0, 0, 0, 1], [0, 0, 0, 1, 1, 2], [1, 1, 1, 2, 2, 2], [2, 2, 2, 2, 2, 2]]
    >>> [round(float(w[1]), 6) for _, w, _ in taps]  # output 1 sits at 0.4: t = 0.4
    [-0.108, 0.72, 0.46, -0.072]
    """
    ft = _arithmetic(dtype)
    i0, t = _positions(n_in, n_out, align_corners, scale_factor, ft, clamp=False)
    a, one = ft(CUBIC_A), ft(1)
    weights = (_cubic_far(t + one, a), _cubic_near(t, a), _cubic_near(one - t, a), _cubic_far(2 - t, a))
    taps = tuple((np.clip(i0 + (k - 1), 0, n_in - 1), w.astype(dtype), None) for k, w in enumerate(weights))
    _frozen(*(arr for tap in taps for arr in tap))
    return taps


def _triangle(x: np.ndarray, ft: type) -> np.ndarray:
    return np.maximum(1 - x, ft(0))


def _keys_cubic(x: np.ndarray, ft: type) -> np.ndarray:
    a = ft(ANTIALIAS_CUBIC_A)
    return np.where(x < 1, _cubic_near(x, a), np.where(x < 2, _cubic_far(x, a), ft(0)))


@functools.lru_cache(maxsize=256)
def antialias_taps(n_in: int, n_out: int, align_corners: bool, scale_factor: float | None,
                   dtype: np.dtype, cubic: bool) -> Taps:
    """The taps of an antialiased linear (or, with ``cubic``, cubic) resampling of an axis: output ``j``
    is centred at ``c = (j + 0.5) * scale`` in the input and averages the entries ``i`` whose centres
    ``i + 0.5`` lie within the filter's support of it, weighted by the filter (a triangle, or the cubic
    kernel with ``a = -0.5``) at the distance ``(i + 0.5 - c) / max(scale, 1)``, the weights normalised to
    sum to 1. Downsampling (``scale > 1``) stretches the filter by ``scale``, so every input entry
    counts; upsampling is the plain filter, which differs from the modes without antialiasing at the
    borders (the weights are renormalised there instead of clamping indices).

    ``align_corners`` only changes ``scale`` (to ``(n_in - 1) / (n_out - 1)``), as in PyTorch. Tap ``k``
    reaches only the outputs whose window holds more than ``k`` entries (its ``rows``), so nothing is
    multiplied by a weight of 0 and an inf or NaN stays in the windows that hold it.

    Examples
    --------
    >>> import numpy as np
    >>> taps = antialias_taps(6, 2, False, None, np.dtype("float64"), False)
    >>> [(i.tolist(), np.round(w, 12).tolist()) for i, w, _ in taps[:4]]  # outputs at 1.5 and 4.5
    [([0, 2], [0.25, 0.125]), ([1, 3], [0.375, 0.25]), ([2, 4], [0.25, 0.375]), ([3, 5], [0.125, 0.25])]
    >>> [a.tolist() for a in taps[4]]  # the first window holds entry 4, at the filter's end
    [[4], [0.0], [0]]
    """
    ft = _arithmetic(dtype)
    filter_fn: Callable[[np.ndarray, type], np.ndarray] = _keys_cubic if cubic else _triangle
    scale = source_scale(n_in, n_out, align_corners, scale_factor, ft)
    stretch = scale >= 1
    support = ft((2.0 if cubic else 1.0) * (float(scale) if stretch else 1.0))
    invscale = ft(1.0 / float(scale)) if stretch else ft(1)
    widest = int(math.ceil(support)) * 2 + 1
    # PyTorch's arithmetic: the centre rounded to ft, the window's ends truncated towards 0
    centre = (np.float64(scale) * (np.arange(n_out) + 0.5)).astype(ft)
    start = np.maximum(((centre - support).astype(np.float64) + 0.5).astype(np.int64), 0)
    end = np.minimum(((centre + support).astype(np.float64) + 0.5).astype(np.int64), n_in)
    size = np.clip(end - start, 0, widest)
    k = np.arange(int(size.max(initial=0)))
    at = ((start[:, None] + k).astype(ft) - centre[:, None]).astype(np.float64) + 0.5
    w = np.where(k < size[:, None], filter_fn(np.abs((at * np.float64(invscale)).astype(ft)), ft), ft(0))
    total = w.sum(axis=1, dtype=ft)
    w = np.where(total[:, None] != 0, w / np.where(total != 0, total, ft(1))[:, None], w).astype(dtype)
    taps = []
    for j in k:
        rows = np.flatnonzero(size > j)
        every = len(rows) == n_out
        taps.append((start[rows] + j, w[rows, j], None if every else rows))
    taps = tuple(taps)
    _frozen(*(arr for tap in taps for arr in tap))
    return taps
