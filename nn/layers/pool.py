"""Pooling layers: MaxPool2d (textbook Definition 10.4.2), MaxUnpool2d, AvgPool2d, and the adaptive
AdaptiveAvgPool2d and AdaptiveMaxPool2d, which pool to a given output size; and their 1-D forms MaxPool1d,
AvgPool1d, AdaptiveAvgPool1d and AdaptiveMaxPool1d, the same poolings of sequences seen as images of
height 1."""

from __future__ import annotations

from typing import Any

from autograd.tensor import Tensor

from .. import conv_ops
from ..module import Module

__all__ = ["MaxPool1d", "MaxPool2d", "MaxUnpool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d",
           "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d"]


def _window(where: str, kernel_size: Any, stride: Any, padding: Any, nd: int = 2) -> tuple:
    """The window arguments every pooling layer takes, checked, as ``nd``-tuples; the stride defaults to
    the kernel size."""
    kernel = conv_ops._ntuple(kernel_size, nd, "kernel_size", where, 1)
    return (kernel, kernel if stride is None else conv_ops._ntuple(stride, nd, "stride", where, 1),
            conv_ops._ntuple(padding, nd, "padding", where, 0))


def _run(layer: Module, fn: Any, *args: Any) -> Any:
    """``fn(*args)``, a ValueError naming the layer (its repr) first."""
    try:
        return fn(*args)
    except ValueError as exc:
        raise ValueError(f"{layer!r}: {exc}") from None


class _MaxPoolNd(Module):
    """What MaxPool1d and MaxPool2d share; the arguments are kept as given, as PyTorch shows them. A
    subclass names its spatial dimensions ``_nd`` and its function ``_function``."""

    _nd: int
    _function: Any

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        where = type(self).__name__
        _window(where, kernel_size, stride, padding, self._nd)
        conv_ops._ntuple(dilation, self._nd, "dilation", where, 1)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding
        self.dilation = dilation
        self.return_indices = bool(return_indices)
        self.ceil_mode = bool(ceil_mode)

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        """The window maxima, and with ``return_indices`` their indices."""
        return _run(self, self._function, input, self.kernel_size, self.stride, self.padding, self.dilation,
                    self.ceil_mode, self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool2d(_MaxPoolNd):
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

    _nd = 2
    _function = staticmethod(conv_ops.max_pool2d)


class MaxPool1d(_MaxPoolNd):
    """The maximum of each (dilated) window of a sequence: :class:`MaxPool2d` of sequences seen as images of
    height 1, with its rules for the gradient (the first maximum of the window; the last NaN of a window
    holding NaN); see :func:`nn.functional.max_pool1d`.

    Parameters
    ----------
    kernel_size : int or tuple of one int
    stride : int or tuple of one int, optional
        Defaults to ``kernel_size``.
    padding : int or tuple of one int, optional
        ``-inf`` added at each end, at most ``kernel_size // 2``.
    dilation : int or tuple of one int, optional
    return_indices : bool, optional
        Also return the index into the input's length of each output's entry (default False).
    ceil_mode : bool, optional
        Round the output length up (default False).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import MaxPool1d
    >>> pool = MaxPool1d(2)
    >>> pool
    MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    >>> pool(tensor([[[3.0, 1.0, 4.0, 1.0, 5.0]]])).tolist()
    [[[3.0, 4.0]]]
    >>> MaxPool1d(3, 1, 1, return_indices=True)(tensor([[3.0, 1.0, 4.0]]))[1].tolist()
    [[0, 2, 2]]
    """

    _nd = 1
    _function = staticmethod(conv_ops.max_pool1d)


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

    def forward(self, input: Tensor, indices: Any, output_size: Any = None) -> Tensor:
        """The unpooled image, of size ``output_size`` if given."""
        return _run(self, conv_ops.max_unpool2d, input, indices, self.kernel_size, self.stride, self.padding,
                    output_size)

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

    def forward(self, input: Tensor) -> Tensor:
        """The window means."""
        return _run(self, conv_ops.avg_pool2d, input, self.kernel_size, self.stride, self.padding,
                    self.ceil_mode, self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(Module):
    """The mean of each window of a sequence: :class:`AvgPool2d` of sequences seen as images of height 1;
    by default zero padding counts in the mean (``count_include_pad=True``). As in PyTorch, the arguments
    are kept as tuples of one int and there is no ``divisor_override``.

    Parameters
    ----------
    kernel_size : int or tuple of one int
    stride : int or tuple of one int, optional
        Defaults to ``kernel_size``.
    padding : int or tuple of one int, optional
        Zeros at each end, at most half the kernel.
    ceil_mode : bool, optional
        Round the output length up, as :class:`MaxPool1d` does (default False).
    count_include_pad : bool, optional
        Whether padding zeros count in the divisor (default True).

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import AvgPool1d
    >>> AvgPool1d(3, 1, 1)
    AvgPool1d(kernel_size=(3,), stride=(1,), padding=(1,))
    >>> AvgPool1d(2)(autograd.ones(1, 2, 4)).tolist()
    [[[1.0, 1.0], [1.0, 1.0]]]
    >>> AvgPool1d(3, 1, 1, count_include_pad=False)(autograd.ones(1, 2)).tolist()
    [[1.0, 1.0]]
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = _window("AvgPool1d", kernel_size, stride, padding, 1)
        self.ceil_mode = bool(ceil_mode)
        self.count_include_pad = bool(count_include_pad)

    def forward(self, input: Tensor) -> Tensor:
        """The window means."""
        return _run(self, conv_ops.avg_pool1d, input, self.kernel_size, self.stride, self.padding,
                    self.ceil_mode, self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePool(Module):
    """What the adaptive poolings share: the output size, checked when the layer is built and shown as
    given. A subclass names its spatial dimensions ``_nd`` and its function ``_function``."""

    _nd: int
    _function: Any

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        conv_ops._adaptive_size(type(self).__name__, output_size, (1,) * self._nd, self._nd)
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        """The pooled input, shape (N, C, *output_size) or (C, *output_size)."""
        return _run(self, self._function, input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class _AdaptiveMaxPool(_AdaptivePool):
    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = bool(return_indices)

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        """The bin maxima, and with ``return_indices`` their indices."""
        return _run(self, self._function, input, self.output_size, self.return_indices)


class AdaptiveAvgPool2d(_AdaptivePool):
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

    _nd = 2
    _function = staticmethod(conv_ops.adaptive_avg_pool2d)


class AdaptiveAvgPool1d(_AdaptivePool):
    """The mean over each of ``output_size`` bins that tile the sequence, whatever its length; the bins of
    :class:`AdaptiveAvgPool2d` (see :func:`nn.functional.adaptive_avg_pool1d`).

    Parameters
    ----------
    output_size : int or tuple of one int

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import AdaptiveAvgPool1d
    >>> pool = AdaptiveAvgPool1d(4)
    >>> pool
    AdaptiveAvgPool1d(output_size=4)
    >>> pool(autograd.ones(2, 3, 10)).shape
    (2, 3, 4)
    """

    _nd = 1
    _function = staticmethod(conv_ops.adaptive_avg_pool1d)


class AdaptiveMaxPool2d(_AdaptiveMaxPool):
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

    _nd = 2
    _function = staticmethod(conv_ops.adaptive_max_pool2d)


class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    """The maximum over each of ``output_size`` bins that tile the sequence; the bins and rules of
    :class:`AdaptiveMaxPool2d` (see :func:`nn.functional.adaptive_max_pool1d`).

    Parameters
    ----------
    output_size : int or tuple of one int
    return_indices : bool, optional
        Also return the index into the input's length of each output's entry (default False).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import AdaptiveMaxPool1d
    >>> pool = AdaptiveMaxPool1d(2, return_indices=True)
    >>> pool
    AdaptiveMaxPool1d(output_size=2)
    >>> y, i = pool(tensor([[1.0, 5.0, 2.0, 4.0, 0.0]]))
    >>> y.tolist(), i.tolist()
    ([[5.0, 4.0]], [[1, 3]])
    """

    _nd = 1
    _function = staticmethod(conv_ops.adaptive_max_pool1d)
