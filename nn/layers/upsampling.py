"""The resampling layers: Upsample, :func:`nn.functional.interpolate` as a module, and its two fixed-mode
variants UpsamplingNearest2d and UpsamplingBilinear2d."""

from __future__ import annotations

from typing import Any

from autograd.ops._common import is_real
from autograd.tensor import Tensor

from .. import interpolation
from ..module import Module
from .pool import _run

__all__ = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"]


class Upsample(Module):
    """Resample a batch of sequences (N, C, L), images (N, C, H, W) or volumes (N, C, D, H, W) to a size,
    or by a scale factor; see :func:`nn.functional.interpolate`, which it calls, for the modes and their
    index maps.

    Parameters
    ----------
    size : int or tuple of ints, optional
        The output's spatial size.
    scale_factor : float or tuple of floats, optional
        Multiplies each spatial size (the output size rounds down). Exactly one of ``size`` and
        ``scale_factor`` is given; as in PyTorch, the factor is kept as a float (a tuple of floats), and a
        factor of 0 counts as none.
    mode : {"nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"}, optional
        Default "nearest"; "linear" takes sequences, "bilinear" and "bicubic" images, "trilinear" volumes.
    align_corners : bool, optional
        For the interpolating modes (linear, bilinear, bicubic, trilinear) only (default False).
    recompute_scale_factor : bool, optional
        With ``scale_factor``: compute the index maps from the sizes' ratio.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import Upsample
    >>> up = Upsample(scale_factor=2, mode="linear")
    >>> up
    Upsample(scale_factor=2.0, mode='linear')
    >>> up(tensor([[[1.0, 3.0]]])).tolist()
    [[[1.0, 1.5, 2.5, 3.0]]]
    >>> Upsample(size=(2, 3))
    Upsample(size=(2, 3), mode='nearest')
    """

    def __init__(self, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                 align_corners: bool | None = None, recompute_scale_factor: bool | None = None) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        # PyTorch's conversions, kept exactly (a factor of 0 becomes None)
        if isinstance(scale_factor, tuple):
            scale_factor = tuple(float(f) if is_real(f) else f for f in scale_factor)
        elif is_real(scale_factor):
            scale_factor = float(scale_factor) if scale_factor else None
        self.scale_factor = scale_factor
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor
        # what does not depend on the input is checked now
        interpolation._check_mode(self.name, mode, align_corners)
        interpolation._check_sizes(self.name, size, self.scale_factor, recompute_scale_factor)

    def forward(self, input: Tensor) -> Tensor:
        """The resampled input, shape (N, C, *output_size)."""
        return _run(self, interpolation.interpolate, input, self.size, self.scale_factor, self.mode,
                    self.align_corners, self.recompute_scale_factor)

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            return f"scale_factor={self.scale_factor!r}, mode={self.mode!r}"
        return f"size={self.size!r}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """:class:`Upsample` with ``mode="nearest"``, as PyTorch's layer of that name.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import UpsamplingNearest2d
    >>> UpsamplingNearest2d(scale_factor=2)(tensor([[[[1.0, 2.0]]]])).tolist()
    [[[[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0]]]]
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """:class:`Upsample` with ``mode="bilinear"`` and ``align_corners=True``, as PyTorch's layer of that
    name (whose corners coincide, unlike ``Upsample(mode="bilinear")``'s).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import UpsamplingBilinear2d
    >>> up = UpsamplingBilinear2d(size=(1, 4))
    >>> up, up.align_corners
    (UpsamplingBilinear2d(size=(1, 4), mode='bilinear'), True)
    >>> up(tensor([[[[0.0, 3.0]]]])).tolist()
    [[[[0.0, 1.0, 2.0, 3.0]]]]
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
