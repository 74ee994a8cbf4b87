"""Resampling: ``interpolate`` (PyTorch's ``F.interpolate``) of sequences (N, C, L) and images (N, C, H, W).

Every mode is separable: the output is resampled along the last axis first, then (for an image) along the
height, each step a gather of input entries along one axis, weighted for the linear modes:

- ``nearest``: output ``i`` of an axis reads input ``min(floor(i * scale), n_in - 1)``;
- ``nearest-exact``: input ``min(floor((i + 0.5) * scale), n_in - 1)`` (the pixel centres);
- ``linear`` / ``bilinear``: with ``align_corners=False`` (the default) output ``i`` sits at
  ``src = max((i + 0.5) * scale - 0.5, 0)`` in input coordinates, and takes
  ``(1 - f) * x[i0] + f * x[i1]`` with ``i0 = floor(src)`` (at most ``n_in - 1``), ``i1 = i0 + 1`` (or
  ``i0`` at the last entry) and ``f = src - i0`` clipped to [0, 1]; with ``align_corners=True``,
  ``src = i * (n_in - 1) / (n_out - 1)``, so the corner entries of input and output coincide;
- ``area``: the adaptive average pooling to the output size.

``scale`` is ``1 / scale_factor`` when a scale factor is given (and ``recompute_scale_factor`` is not
True), otherwise ``n_in / n_out``, the output size being ``floor(n_in * scale_factor)``. These are PyTorch's
CPU formulas, evaluated as its kernels do (in float32 for float32 inputs, with ``floor`` taken of the
float32 value, and the half-pixel shift rounded once, as a fused multiply-add rounds), so that indices and
weights agree with PyTorch's exactly, values to the rounding of the weighted sum. PyTorch resamples images
whose output height + width is at most 128 with another kernel, and so does chaingrad: there ``nearest``
and ``nearest-exact`` compute in float32 whatever the input, and ``nearest`` copies an axis whose size
stays and reads ``i // 2`` along one whose size doubles, whatever the scale factor. A linear axis whose
size does not change is the identity, as in PyTorch: its weights are (1, 0) (so ``inf`` becomes NaN
there, as in PyTorch, since ``inf * 0`` is NaN).

The gather along an axis is a primitive of :mod:`nn.conv_ops` whose backward adds each output's gradient
to the input it read (the indices are sorted, so this takes a few strided passes instead of ``np.add.at``);
its backward is the gather again, so gradients of every order come from the engine.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from autograd.ops._common import is_int, is_real
from autograd.tensor import Tensor

from .conv_ops import _as_input, _take, adaptive_avg_pool1d, adaptive_avg_pool2d

__all__ = ["interpolate"]

_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "area")
# PyTorch's other modes, which chaingrad does not implement (refused with NotImplementedError)
_UNSUPPORTED = ("bicubic", "trilinear", "lanczos")
_LINEAR = {"linear": 3, "bilinear": 4}  # each linear mode and the number of dimensions of its input
_SPATIAL = {3: "L", 4: "H, W"}


# ------------------------------------------------------------------------------------------ index maps
def _source_scale(n_in: int, n_out: int, align_corners: bool, scale_factor: float | None, ft: type) -> Any:
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


def _half_pixel(scale: Any, n_out: int, ft: type) -> np.ndarray:
    """``max((i + 0.5) * scale - 0.5, 0)`` for every output index ``i``, in ``ft``, rounded once."""
    t = np.arange(n_out, dtype=np.float64) + 0.5
    if ft is np.float32:  # the float64 product of a float32 and i + 0.5 is exact: one rounding, to float32
        src = (np.float64(scale) * t - 0.5).astype(np.float32)
    else:
        src = _exact_product_minus_half(float(scale), t)
    return np.where(src < 0, ft(0), src)


@functools.lru_cache(maxsize=256)
def _nearest_index(n_in: int, n_out: int, scale_factor: float | None, exact: bool, ft: type,
                   small_image: bool) -> np.ndarray:
    """The input index each output index of an axis reads (``nearest``, or ``nearest-exact``).

    PyTorch has two kernels, and each its own arithmetic: the general one (sequences, and images whose
    output height + width exceeds 128) computes in the input's precision ``ft``; the one for smaller
    images (``small_image``) computes in float32, and its ``nearest`` copies an axis whose size stays and
    reads ``i // 2`` along one whose size doubles, whatever the scale factor."""
    i = np.arange(n_out)
    if small_image and not exact and n_out in (n_in, 2 * n_in):
        src = i // (n_out // n_in)
    else:
        if small_image:
            ft = np.float32
        scale = _source_scale(n_in, n_out, False, scale_factor, ft)
        if not exact:
            src = scale * i.astype(ft)
        elif small_image:
            src = (i + 0.5) * np.float64(scale)
        else:
            src = _half_pixel(scale, n_out, ft) + ft(0.5)
        src = np.floor(src.astype(np.float32))  # floorf: of the float32 value, whatever the arithmetic
    idx = np.minimum(src.astype(np.int64), n_in - 1)
    idx.flags.writeable = False
    return idx


@functools.lru_cache(maxsize=256)
def _linear_weights(n_in: int, n_out: int, align_corners: bool, scale_factor: float | None,
                    dtype: np.dtype) -> tuple[np.ndarray, ...]:
    """``(i0, i1, w0, w1)``: output ``j`` of an axis is ``w0[j] * x[i0[j]] + w1[j] * x[i1[j]]``."""
    ft = np.float64 if dtype == np.float64 else np.float32
    if n_in == n_out:  # PyTorch's shortcut: a copy, weighted (1, 0)
        i0 = i1 = np.arange(n_out)
        w1 = np.zeros(n_out, dtype=ft)
    else:
        scale = _source_scale(n_in, n_out, align_corners, scale_factor, ft)
        src = scale * np.arange(n_out).astype(ft) if align_corners else _half_pixel(scale, n_out, ft)
        # floorf: PyTorch floors the float32 value whatever the arithmetic type
        i0 = np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), n_in - 1)
        i1 = i0 + (i0 < n_in - 1)
        w1 = np.minimum(np.maximum(src - i0.astype(ft), ft(0)), ft(1)).astype(ft)
    out = (i0, i1, (1 - w1).astype(dtype), w1.astype(dtype))
    for a in out:
        a.flags.writeable = False
    return out


# ------------------------------------------------------------------------------------------ arguments
def _check_mode(where: str, mode: Any, align_corners: Any, antialias: Any = False) -> None:
    """What does not depend on the input: the mode, and ``align_corners`` and ``antialias`` for it."""
    if mode in _UNSUPPORTED:
        raise NotImplementedError(f"{where}: mode={mode!r} is not implemented in chaingrad; the modes are "
                                  f"{', '.join(map(repr, _MODES))}")
    if mode not in _MODES:
        raise ValueError(f"{where}: got mode={mode!r}; expected one of {', '.join(map(repr, _MODES))}")
    if mode in _LINEAR:
        if align_corners is not None and not isinstance(align_corners, (bool, np.bool_)):
            raise TypeError(f"{where}: got align_corners={align_corners!r}; expected True, False or None")
    elif align_corners is not None:
        raise ValueError(f"{where}: got align_corners={align_corners!r} with mode={mode!r}; expected None: "
                         "align_corners is an option of the modes 'linear' and 'bilinear' only")
    if antialias:
        if mode == "bilinear":
            raise NotImplementedError(f"{where}: antialias=True is not implemented in chaingrad")
        raise ValueError(f"{where}: got antialias={antialias!r} with mode={mode!r}; expected False: "
                         "antialias is an option of the mode 'bilinear' (of 4-D inputs) only")


def _check_sizes(where: str, size: Any, scale_factor: Any, recompute_scale_factor: Any) -> None:
    """That exactly one of ``size`` and ``scale_factor`` is given, with values of the right types."""
    if (size is None) == (scale_factor is None):
        which = "both" if size is not None else "neither"
        raise ValueError(f"{where}: got {which} size={size!r} and scale_factor={scale_factor!r}; expected "
                         "exactly one of them")
    if size is not None:
        sizes = size if isinstance(size, (tuple, list)) else (size,)
        if not all(map(is_int, sizes)):
            raise TypeError(f"{where}: got size={size!r}; expected an int or a tuple of ints")
        if recompute_scale_factor:
            raise ValueError(f"{where}: got recompute_scale_factor={recompute_scale_factor!r} with "
                             f"size={size!r}; expected it only with scale_factor")
    else:
        factors = scale_factor if isinstance(scale_factor, (tuple, list)) else (scale_factor,)
        if not all(is_real(f) and math.isfinite(f) for f in factors):
            raise TypeError(f"{where}: got scale_factor={scale_factor!r}; expected a finite number or a "
                            "tuple of finite numbers")


def _output_sizes(where: str, shape: tuple[int, ...], size: Any, scale_factor: Any,
                  recompute_scale_factor: Any, least: int = 1) -> tuple[tuple[int, ...], tuple[Any, ...]]:
    """The output's spatial sizes (each at least ``least``), and per axis the scale factor the index maps
    use (None: the sizes' ratio)."""
    spatial = shape[2:]
    dims = len(spatial)
    given, value = ("size", size) if size is not None else ("scale_factor", scale_factor)
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * dims
    if len(values) != dims:
        raise ValueError(f"{where}: got {given}={value!r} for an input of shape {shape}; expected one value "
                         f"per spatial dimension ({dims}: {_SPATIAL[len(shape)]}), or a single one")
    if size is not None:
        out, factors = tuple(int(v) for v in values), (None,) * dims
    else:
        # PyTorch truncates the double product (C++'s cast to int64)
        out = tuple(int(n * float(f)) for n, f in zip(spatial, values))
        factors = (None,) * dims if recompute_scale_factor else tuple(float(f) for f in values)
    if min(spatial) < 1 or min(out) < least:
        raise ValueError(f"{where}: an input of shape {shape} with {given}={value!r} gives spatial sizes "
                         f"{spatial} -> {out}; expected input sizes > 0 and output sizes >= {least}")
    return out, factors


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resample a batch of sequences (N, C, L) or images (N, C, H, W) to a new size, as PyTorch's
    ``F.interpolate``.

    Parameters
    ----------
    input : Tensor, shape (N, C, L) or (N, C, H, W)
        A floating tensor with a batch dimension (as in PyTorch, an unbatched one is refused).
    size : int or tuple of ints, optional
        The output's spatial size (one int for every dimension, or one per dimension).
    scale_factor : float or tuple of floats, optional
        Multiplies each spatial size: the output size is ``floor(n * scale_factor)``. Exactly one of
        ``size`` and ``scale_factor`` is given.
    mode : {"nearest", "nearest-exact", "linear", "bilinear", "area"}, optional
        "linear" takes 3-D inputs and "bilinear" 4-D ones; "area" is adaptive average pooling. See the
        module's notes for the index maps.
    align_corners : bool, optional
        For the linear modes only (default False): True maps the first and last input entries onto the
        first and last output entries.
    recompute_scale_factor : bool, optional
        With ``scale_factor``: True makes the index maps use the sizes' ratio ``n_in / n_out`` instead of
        ``1 / scale_factor`` (they differ when the product is not an integer).
    antialias : bool, optional
        Must be False (PyTorch's anti-aliasing is not implemented).

    Returns
    -------
    Tensor of the input's dtype, shape (N, C, *output_size). Differentiable (gradients of every order):
    each output's gradient goes to the input entries it read, times their weights.

    Notes
    -----
    PyTorch's backward of ``nearest`` always uses the index map of its kernel for small images, so its
    gradient differs from the derivative of its own forward pass where the general kernel reads other
    entries: for a sequence, or an image whose output height + width exceeds 128, whose scale factor gives
    exactly the input size or twice it without being 1 or 2 (e.g. ``scale_factor=1.1`` on a length of 5,
    or 2.1), and in rare rounding cases. chaingrad's gradient is always that of the forward pass, whose
    values agree with PyTorch's.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.interpolation import interpolate
    >>> x = tensor([[[1.0, 2.0, 4.0]]])
    >>> interpolate(x, scale_factor=2).tolist()
    [[[1.0, 1.0, 2.0, 2.0, 4.0, 4.0]]]
    >>> interpolate(x, size=5, mode="linear", align_corners=True).tolist()
    [[[1.0, 1.5, 2.0, 3.0, 4.0]]]
    >>> image = tensor(np.arange(4.0).reshape(1, 1, 2, 2))
    >>> interpolate(image, scale_factor=2, mode="bilinear")[0, 0, 0].tolist()
    [0.0, 0.25, 0.75, 1.0]
    """
    where = "interpolate"
    x = _as_input(input, where)
    _check_mode(where, mode, align_corners, antialias)
    _check_sizes(where, size, scale_factor, recompute_scale_factor)
    shape = x.data.shape
    if len(shape) == 5:
        raise NotImplementedError(f"{where}: got an input of shape {shape}; 5-D inputs (N, C, D, H, W) are "
                                  "not implemented in chaingrad, which resamples (N, C, L) and (N, C, H, W)")
    if len(shape) not in (3, 4):
        raise ValueError(f"{where}: got an input of shape {shape}; expected (N, C, L) or (N, C, H, W) (a "
                         "batch: unbatched inputs are refused, as in PyTorch)")
    if mode in _LINEAR and _LINEAR[mode] != len(shape):
        expected = "(N, C, L)" if mode == "linear" else "(N, C, H, W)"
        other = "bilinear" if mode == "linear" else "linear"
        raise ValueError(f"{where}: got an input of shape {shape} with mode={mode!r}; expected {expected} "
                         f"(mode={other!r} resamples {len(shape)}-D inputs)")
    if x.data.dtype.kind != "f":
        raise TypeError(f"{where}: got an input of dtype {x.data.dtype}; expected a floating dtype")
    if shape[1] == 0:
        raise ValueError(f"{where}: got an input of shape {shape}; expected at least one channel")
    # 'area' is adaptive pooling to the output size: no scale of its own, and (as PyTorch's) a size may be 0
    area = mode == "area"
    out_sizes, factors = _output_sizes(where, shape, size, scale_factor, recompute_scale_factor or area,
                                       0 if area else 1)
    if area:
        return (adaptive_avg_pool1d if len(shape) == 3 else adaptive_avg_pool2d)(x, out_sizes)
    y = x
    for axis in reversed(range(2, len(shape))):  # the last axis first, as PyTorch's kernels nest them
        n_in, n_out, factor = shape[axis], out_sizes[axis - 2], factors[axis - 2]
        if mode in _LINEAR:
            i0, i1, w0, w1 = _linear_weights(n_in, n_out, bool(align_corners), factor, y.data.dtype)
            along = (-1,) + (1,) * (len(shape) - 1 - axis)  # the weights broadcast along ``axis``
            y = (_take(y, i0, axis) * Tensor(w0.reshape(along))
                 + _take(y, i1, axis) * Tensor(w1.reshape(along)))
        else:
            ft = np.float64 if y.data.dtype == np.float64 else np.float32
            small_image = len(shape) == 4 and sum(out_sizes) <= 128
            y = _take(y, _nearest_index(n_in, n_out, factor, mode == "nearest-exact", ft, small_image), axis)
    return y
