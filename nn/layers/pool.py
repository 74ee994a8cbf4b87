"""Pooling layers: MaxPool2d (textbook Definition 10.4.2), MaxUnpool2d, AvgPool2d, and the adaptive
AdaptiveAvgPool2d and AdaptiveMaxPool2d, which pool to a given output size."""

from __future__ import annotations

from typing import Any

from autograd.tensor import Tensor

from .. import conv_ops
from ..module import Module

__all__ = ["MaxPool2d", "MaxUnpool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d"]


def _window(where: str, kernel_size: Any, stride: Any, padding: Any) -> tuple:
    """The window arguments every pooling layer takes, checked, as pairs; the stride defaults to the
    kernel size."""
    kernel = conv_ops._pair(kernel_size, "kernel_size", where, 1)
    return (kernel, kernel if stride is None else conv_ops._pair(stride, "stride", where, 1),
            conv_ops._pair(padding, "padding", where, 0))


class MaxPool2d(Module):
    """The maximum of each (dilated) window; the gradient goes to the first maximum of the window (to the
    last NaN of a window holding NaN).

    Parameters
    ----------
    kernel_size : int or pair of ints
    stride : int or pair of ints, optional
        Defaults to ``kernel_size`` (disjoint blocks, the textbook's pooling layer).
    padding : int or pair of ints, optional
        ``-inf`` added on each side, at most ``kernel_size // 2`` (dilation aside).
    dilation : int or pair of ints, optional
    return_indices : bool, optional
        Also return the flat index into the input's H x W plane of each output's entry (default False):
        the layer then returns ``(output, indices)``, the form :class:`MaxUnpool2d` takes.
    ceil_mode : bool, optional
        Round the output size up (default False): a last window running past the bottom/right edge is kept
        when it starts inside the input or its top/left padding; see :func:`nn.functional.max_pool2d`.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.layers import MaxPool2d
    >>> pool = MaxPool2d(2)
    >>> pool
    MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    >>> pool(tensor(np.arange(16.0).reshape(1, 1, 4, 4))).numpy()[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    >>> MaxPool2d(2, ceil_mode=True)(tensor(np.arange(9.0).reshape(1, 1, 3, 3))).shape
    (1, 1, 2, 2)
    >>> _, indices = MaxPool2d(2, return_indices=True)(tensor(np.arange(16.0).reshape(1, 1, 4, 4)))
    >>> indices.tolist()
    [[[[5, 7], [13, 15]]]]
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        _window("MaxPool2d", kernel_size, stride, padding)  # kept as given, as PyTorch shows them
        conv_ops._pair(dilation, "dilation", "MaxPool2d", 1)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding
        self.dilation = dilation
        self.return_indices = bool(return_indices)
        self.ceil_mode = bool(ceil_mode)

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        """The window maxima, and with ``return_indices`` their indices."""
        try:
            return conv_ops.max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation,
                                       self.ceil_mode, self.return_indices)
        except ValueError as exc:
            raise ValueError(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxUnpool2d(Module):
    """Put pooled maxima back where :class:`MaxPool2d` (with ``return_indices=True``) found them, with
    zeros everywhere else; see :func:`nn.conv_ops.max_unpool2d`.

    Parameters
    ----------
    kernel_size : int or pair of ints
    stride : int or pair of ints, optional
        Defaults to ``kernel_size``.
    padding : int or pair of ints, optional

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.layers.pool import MaxPool2d, MaxUnpool2d
    >>> x = tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> unpool = MaxUnpool2d(2)
    >>> unpool
    MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))
    >>> unpool(*MaxPool2d(2, return_indices=True)(x))[0, 0, :2].tolist()
    [[0.0, 0.0, 0.0, 0.0], [0.0, 5.0, 0.0, 7.0]]
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = _window("MaxUnpool2d", kernel_size, stride, padding)

    def forward(self, x: Tensor, indices: Any, output_size: Any = None) -> Tensor:
        """The unpooled image, of size ``output_size`` if given."""
        try:
            return conv_ops.max_unpool2d(x, indices, self.kernel_size, self.stride, self.padding, output_size)
        except ValueError as exc:
            raise ValueError(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """The mean of each window; by default zero padding counts in the mean (``count_include_pad=True``).

    Parameters
    ----------
    kernel_size : int or pair of ints
    stride : int or pair of ints, optional
        Defaults to ``kernel_size``.
    padding : int or pair of ints, optional
        Zeros on each side, at most half the kernel.
    ceil_mode : bool, optional
        Round the output size up, as :class:`MaxPool2d` does (default False).
    count_include_pad : bool, optional
        Whether padding zeros count in the divisor (default True).
    divisor_override : int, optional
        Divide every window sum by this nonzero number instead of the window size.

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import AvgPool2d
    >>> AvgPool2d(3, 1, 1)
    AvgPool2d(kernel_size=3, stride=1, padding=1)
    >>> AvgPool2d(2)(autograd.ones(1, 1, 4, 4)).tolist()
    [[[[1.0, 1.0], [1.0, 1.0]]]]
    >>> AvgPool2d(3, 1, 1, count_include_pad=False)(autograd.ones(1, 1, 2, 2)).tolist()
    [[[[1.0, 1.0], [1.0, 1.0]]]]
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        _window("AvgPool2d", kernel_size, stride, padding)
        conv_ops._check_divisor("AvgPool2d", divisor_override)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding
        self.ceil_mode = bool(ceil_mode)
        self.count_include_pad = bool(count_include_pad)
        self.divisor_override = divisor_override

    def forward(self, x: Tensor) -> Tensor:
        """The window means."""
        try:
            return conv_ops.avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                                       self.count_include_pad, self.divisor_override)
        except ValueError as exc:
            raise ValueError(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePool2d(Module):
    """What both adaptive poolings share: the output size, checked when the layer is built and shown as
    given."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        conv_ops._adaptive_size(type(self).__name__, output_size, (1, 1))
        self.output_size = output_size

    def _pool(self, fn: Any, x: Tensor, *args: Any) -> Any:
        try:
            return fn(x, self.output_size, *args)
        except ValueError as exc:
            raise ValueError(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptivePool2d):
    """The mean over each of ``output_size`` bins that tile the image, whatever its size; see
    :func:`nn.functional.adaptive_avg_pool2d` for the bins.

    Parameters
    ----------
    output_size : int or pair of (int or None)
        ``(Ho, Wo)``, an int for both; None keeps that dimension of the input.

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import AdaptiveAvgPool2d
    >>> pool = AdaptiveAvgPool2d((1, None))
    >>> pool
    AdaptiveAvgPool2d(output_size=(1, None))
    >>> pool(autograd.ones(2, 3, 5, 7)).shape
    (2, 3, 1, 7)
    >>> AdaptiveAvgPool2d(1)(autograd.ones(3, 4, 4)).shape
    (3, 1, 1)
    """

    def forward(self, x: Tensor) -> Tensor:
        """The bin means, shape (N, C, Ho, Wo) or (C, Ho, Wo)."""
        return self._pool(conv_ops.adaptive_avg_pool2d, x)


class AdaptiveMaxPool2d(_AdaptivePool2d):
    """The maximum over each of ``output_size`` bins that tile the image, whatever its size; see
    :func:`nn.functional.adaptive_max_pool2d`.

    Parameters
    ----------
    output_size : int or pair of (int or None)
        ``(Ho, Wo)``, an int for both; None keeps that dimension of the input.
    return_indices : bool, optional
        Also return the flat index into the input's H x W plane of each output's entry (default False).

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.layers import AdaptiveMaxPool2d
    >>> pool = AdaptiveMaxPool2d(2, return_indices=True)
    >>> pool
    AdaptiveMaxPool2d(output_size=2)
    >>> y, i = pool(tensor(np.arange(9.0).reshape(1, 1, 3, 3)))
    >>> y.tolist(), i.tolist()
    ([[[[4.0, 5.0], [7.0, 8.0]]]], [[[[4, 5], [7, 8]]]])
    """

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = bool(return_indices)

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        """The bin maxima, and with ``return_indices`` their indices."""
        return self._pool(conv_ops.adaptive_max_pool2d, x, self.return_indices)
