"""The zero-padding layer (textbook Definition 10.3.1)."""

from __future__ import annotations

from typing import Any

from autograd.ops._common import is_int
from autograd.tensor import Tensor

from .. import conv_ops
from ..module import Module

__all__ = ["ZeroPad2d"]


class ZeroPad2d(Module):
    """Add rows and columns of zeros around each image (the textbook's padding layer P with size 2s is
    ``ZeroPad2d(s)``).

    Parameters
    ----------
    padding : int or 4-tuple of ints
        The same width on every side, or ``(left, right, top, bottom)`` (PyTorch's order); negative widths
        crop.

    Shape
    -----
    (..., H, W) -> (..., H + top + bottom, W + left + right)

    Examples
    --------
    >>> from autograd import ones
    >>> from nn.layers import ZeroPad2d
    >>> ZeroPad2d(1)
    ZeroPad2d((1, 1, 1, 1))
    >>> ZeroPad2d((1, 0, 0, 2))(ones(1, 1, 2, 2)).numpy()[0, 0].tolist()
    [[0.0, 1.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """

    def __init__(self, padding: Any) -> None:
        super().__init__()
        if is_int(padding):
            self.padding: tuple[int, int, int, int] = (int(padding),) * 4  # type: ignore[assignment]
        elif isinstance(padding, (tuple, list)) and len(padding) == 4 and all(map(is_int, padding)):
            self.padding = tuple(int(p) for p in padding)  # type: ignore[assignment]
        else:
            raise TypeError(f"ZeroPad2d: got padding={padding!r}; expected an int or a 4-tuple "
                            "(left, right, top, bottom)")

    def forward(self, input: Tensor) -> Tensor:
        """``input`` with the zero border."""
        if not isinstance(input, Tensor):
            input = Tensor(input)
        if input.data.ndim < 2:
            raise ValueError(f"{self!r}: got an input of shape {input.data.shape}; expected (..., H, W)")
        return conv_ops.pad(input, self.padding, mode="constant", value=0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"
