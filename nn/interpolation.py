"""Resampling: ``interpolate`` (PyTorch's ``F.interpolate``) of sequences (N, C, L), images (N, C, H, W) and
volumes (N, C, D, H, W).

Every mode but ``area`` is separable: the output is resampled along the last axis first, then along each
axis before it, each step a gather of input entries along one axis, weighted for the interpolating modes
(:mod:`nn.interpolation_weights` computes the index maps and weights of an axis):

- ``nearest``: output ``i`` of an axis reads input ``min(floor(i * scale), n_in - 1)``;
- ``nearest-exact``: input ``min(floor((i + 0.5) * scale), n_in - 1)`` (the pixel centres);
- ``linear`` / ``bilinear`` / ``trilinear`` (3-, 4-, 5-D inputs): with ``align_corners=False`` (the
  default) output ``i`` sits at ``src = max((i + 0.5) * scale - 0.5, 0)`` in input coordinates, and takes
  ``(1 - f) * x[i0] + f * x[i1]`` with ``i0 = floor(src)`` (at most ``n_in - 1``), ``i1 = i0 + 1`` (or
  ``i0`` at the last entry) and ``f = src - i0`` clipped to [0, 1]; with ``align_corners=True``,
  ``src = i * (n_in - 1) / (n_out - 1)``, so the corner entries of input and output coincide;
- ``bicubic`` (4-D): the same positions, not clamped at 0, and four taps ``x[i0 - 1 .. i0 + 2]`` (indices
  clamped into the axis) weighted by the cubic convolution kernel with ``a = -0.75``;
- ``antialias=True`` (``bilinear`` and ``bicubic``): each output averages the input entries under a
  triangle (or cubic, ``a = -0.5``) filter centred on it, stretched by the scale when downsampling, with
  weights normalised to sum to 1; an axis whose size stays is left as it is;
- ``area``: the adaptive average pooling to the output size.

``scale`` is ``1 / scale_factor`` when a scale factor is given (and ``recompute_scale_factor`` is not
True), otherwise ``n_in / n_out``, the output size being ``floor(n_in * scale_factor)``. These are PyTorch's
CPU formulas, evaluated as its kernels do, so that indices agree with PyTorch's exactly, weights to their
rounding, values to the rounding of the weighted sum. PyTorch resamples images whose output height + width
is at most 128 with another kernel, and so does chaingrad: there ``nearest`` and ``nearest-exact`` compute
in float32 whatever the input, and ``nearest`` copies an axis whose size stays and reads ``i // 2`` along
one whose size doubles, whatever the scale factor. A linear axis whose size does not change is the
identity, as in PyTorch: its weights are (1, 0) (so ``inf`` becomes NaN there, as in PyTorch, since
``inf * 0`` is NaN).

The gather along an axis is a primitive of :mod:`nn.conv_ops` whose backward adds each output's gradient
to the input it read (the indices are sorted, so this takes a few strided passes instead of ``np.add.at``);
its backward is the gather again, so gradients of every order come from the engine.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.ops._common import is_int, is_real
from autograd.tensor import Tensor

from .conv_ops import _as_input, _bin_sums, _put, _take, adaptive_avg_pool1d, adaptive_avg_pool2d
from .interpolation_weights import Taps, antialias_taps, cubic_taps, linear_taps, nearest_index

__all__ = ["interpolate"]

_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area")
# PyTorch's other modes, which chaingrad does not implement (refused with NotImplementedError)
_UNSUPPORTED = ("lanczos",)
# the interpolating modes (those with align_corners), each with the number of dimensions of its input
_INTERPOLATING = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}
_ANTIALIASED = ("bilinear", "bicubic")
_LINEAR_OF = {3: "linear", 4: "bilinear", 5: "trilinear"}
_SPATIAL = {3: "L", 4: "H, W", 5: "D, H, W"}
_LAYOUT = {n: f"(N, C, {spatial})" for n, spatial in _SPATIAL.items()}


def _quoted(names: tuple[str, ...]) -> str:
    """``'a', 'b' and 'c'``."""
    quoted = [repr(n) for n in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else quoted[0]


# ------------------------------------------------------------------------------------------ arguments
def _check_mode(where: str, mode: Any, align_corners: Any, antialias: Any = False) -> None:
    """What does not depend on the input: the mode, and ``align_corners`` and ``antialias`` for it."""
    if mode in _UNSUPPORTED:
        raise NotImplementedError(f"{where}: mode={mode!r} is not implemented in chaingrad; the modes are "
                                  f"{', '.join(map(repr, _MODES))}")
    if mode not in _MODES:
        raise ValueError(f"{where}: got mode={mode!r}; expected one of {', '.join(map(repr, _MODES))}")
    if mode in _INTERPOLATING:
        if align_corners is not None and not isinstance(align_corners, (bool, np.bool_)):
            raise TypeError(f"{where}: got align_corners={align_corners!r}; expected True, False or None")
    elif align_corners is not None:
        raise ValueError(f"{where}: got align_corners={align_corners!r} with mode={mode!r}; expected None: "
                         f"align_corners is an option of the modes {_quoted(tuple(_INTERPOLATING))} only")
    if antialias and mode not in _ANTIALIASED:
        raise ValueError(f"{where}: got antialias={antialias!r} with mode={mode!r}; expected False: "
                         f"antialias is an option of the modes {_quoted(_ANTIALIASED)} (of 4-D inputs) only")


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
    """Resample a batch of sequences (N, C, L), images (N, C, H, W) or volumes (N, C, D, H, W) to a new
    size, as PyTorch's ``F.interpolate``.

    Parameters
    ----------
    input : Tensor, shape (N, C, L), (N, C, H, W) or (N, C, D, H, W)
        A floating tensor with a batch dimension (as in PyTorch, an unbatched one is refused).
    size : int or tuple of ints, optional
        The output's spatial size (one int for every dimension, or one per dimension).
    scale_factor : float or tuple of floats, optional
        Multiplies each spatial size: the output size is ``floor(n * scale_factor)``. Exactly one of
        ``size`` and ``scale_factor`` is given.
    mode : {"nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"}, optional
        "linear" takes 3-D inputs, "bilinear" and "bicubic" 4-D ones, "trilinear" 5-D ones; "area" is
        adaptive average pooling. See the module's notes for the index maps and weights.
    align_corners : bool, optional
        For the interpolating modes (linear, bilinear, bicubic, trilinear) only (default False): True maps
        the first and last input entries onto the first and last output entries.
    recompute_scale_factor : bool, optional
        With ``scale_factor``: True makes the index maps use the sizes' ratio ``n_in / n_out`` instead of
        ``1 / scale_factor`` (they differ when the product is not an integer).
    antialias : bool, optional
        For "bilinear" and "bicubic" only (default False): True averages every input entry under a filter
        stretched by the scale when downsampling, instead of reading 2 or 4 entries per output.

    Returns
    -------
    Tensor of the input's dtype, shape (N, C, *output_size). Differentiable (gradients of every order):
    each output's gradient goes to the input entries it read, times their weights.

    Notes
    -----
    PyTorch's backward of ``nearest`` always uses the index map of its kernel for small images, so its
    gradient differs from the derivative of its own forward pass where the general kernel reads other
    entries: for a sequence or a volume, or an image whose output height + width exceeds 128, whose scale
    factor gives exactly the input size or twice it without being 1 or 2 (e.g. ``scale_factor=1.1`` on a
    length of 5, or 2.1), and in rare rounding cases. Its backward of ``bicubic`` (where neither size
    changes) and of ``antialias=True`` differs likewise where a scale factor other than 1 keeps a size.
    chaingrad's gradient is always that of the forward pass, whose values agree with PyTorch's (but for
    PyTorch's antialiasing to a width of 1, which repeats the first row).

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
    >>> np.round(interpolate(image, size=(1, 4), mode="bicubic", align_corners=True).numpy(), 4)[0, 0, 0]
    array([0.    , 0.3148, 0.6852, 1.    ])
    >>> interpolate(tensor(np.arange(6.0).reshape(1, 1, 1, 6)), size=(1, 2), mode="bilinear",
    ...             antialias=True).tolist()
    [[[[1.25, 3.75]]]]
    >>> interpolate(tensor(np.ones((1, 1, 2, 2, 2))), scale_factor=2, mode="trilinear").shape
    (1, 1, 4, 4, 4)
    """
    where = "interpolate"
    x = _as_input(input, where)
    _check_mode(where, mode, align_corners, antialias)
    _check_sizes(where, size, scale_factor, recompute_scale_factor)
    shape = x.data.shape
    if len(shape) not in _LAYOUT:
        raise ValueError(f"{where}: got an input of shape {shape}; expected {', '.join(_LAYOUT.values())} (a "
                         "batch: unbatched inputs are refused, as in PyTorch)")
    if mode in _INTERPOLATING and _INTERPOLATING[mode] != len(shape):
        other = _LINEAR_OF[len(shape)]
        raise ValueError(f"{where}: got an input of shape {shape} with mode={mode!r}; expected "
                         f"{_LAYOUT[_INTERPOLATING[mode]]} (mode={other!r} resamples {len(shape)}-D inputs)")
    if x.data.dtype.kind != "f":
        raise TypeError(f"{where}: got an input of dtype {x.data.dtype}; expected a floating dtype")
    if shape[1] == 0:
        raise ValueError(f"{where}: got an input of shape {shape}; expected at least one channel")
    # 'area' is adaptive pooling to the output size: no scale of its own, and (as PyTorch's) a size may be 0
    area = mode == "area"
    out_sizes, factors = _output_sizes(where, shape, size, scale_factor, recompute_scale_factor or area,
                                       0 if area else 1)
    if area:
        return _area(x, out_sizes)
    dtype, corners = x.data.dtype, bool(align_corners)
    small_image = len(shape) == 4 and sum(out_sizes) <= 128
    y = x
    for axis in reversed(range(2, len(shape))):  # the last axis first, as PyTorch's kernels nest them
        n_in, n_out, factor = shape[axis], out_sizes[axis - 2], factors[axis - 2]
        if mode in ("nearest", "nearest-exact"):
            exact = mode == "nearest-exact"
            y = _take(y, nearest_index(n_in, n_out, factor, exact, dtype, small_image), axis)
        elif antialias:
            if n_in != n_out:  # PyTorch leaves an axis whose size stays as it is (no weights of 0)
                y = _weighted_sum(y, antialias_taps(n_in, n_out, corners, factor, dtype, mode == "bicubic"),
                                  axis, n_out)
        else:
            taps = (cubic_taps if mode == "bicubic" else linear_taps)(n_in, n_out, corners, factor, dtype)
            y = _weighted_sum(y, taps, axis, n_out)
    return y


def _weighted_sum(y: Tensor, taps: Taps, axis: int, n_out: int) -> Tensor:
    """``y`` resampled along ``axis`` by ``taps`` (see :mod:`nn.interpolation_weights`), the taps added in
    order, as PyTorch's kernels add them."""
    along = (-1,) + (1,) * (y.data.ndim - 1 - axis)  # the weights broadcast along ``axis``
    total = None
    for idx, weight, rows in taps:
        term = _take(y, idx, axis) * Tensor(weight.reshape(along))
        if rows is not None:  # a tap that reaches some outputs only: 0 elsewhere, without multiplying
            term = _put(term, rows, axis, n_out)
        total = term if total is None else total + term
    return total


def _area(x: Tensor, out_sizes: tuple[int, ...]) -> Tensor:
    """Adaptive average pooling of ``x`` to ``out_sizes``: the 1-D and 2-D poolings for sequences and
    images; for volumes the bins' sums along each axis in turn, divided by the bins' volumes."""
    if len(out_sizes) < 3:
        return (adaptive_avg_pool1d if len(out_sizes) == 1 else adaptive_avg_pool2d)(x, out_sizes)
    y, volume = x, np.ones((1,) * len(out_sizes))
    for axis in reversed(range(2, x.data.ndim)):
        y, sizes = _bin_sums(y, out_sizes[axis - 2], axis)
        volume = volume * sizes.reshape((-1,) + (1,) * (x.data.ndim - 1 - axis))
    return y / Tensor(volume.astype(x.data.dtype))
