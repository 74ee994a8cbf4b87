"""The convolutional layers: Conv2d (textbook Definitions 10.2.1 and 10.5.1, with PyTorch's conventions) and
Conv1d, the same layer for sequences (a 2-D convolution of height 1)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.tensor import Tensor

from .. import conv_ops, init
from ..module import Module, Parameter, layer_dtype

__all__ = ["Conv1d", "Conv2d"]

_PADDING_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}


class _ConvNd(Module):
    """What Conv1d and Conv2d share: arguments, parameters, PyTorch's initialisation, padding modes and
    repr; a subclass names its number of spatial dimensions ``_nd`` and its function ``_function``."""

    _nd: int
    _function: Any

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        where, nd = type(self).__name__, self._nd
        for name, n in (("in_channels", in_channels), ("out_channels", out_channels)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
                raise ValueError(f"{where}: got {name}={n!r}; expected a positive int")
        groups = conv_ops._check_groups(where, groups)
        for name, n in (("in_channels", in_channels), ("out_channels", out_channels)):
            if n % groups:
                raise ValueError(f"{where}: got {name}={n} with groups={groups}; expected {name} divisible "
                                 "by groups")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"{where}: got padding_mode={padding_mode!r}; expected one of "
                             f"{', '.join(map(repr, _PADDING_MODES))}")
        dtype = layer_dtype(dtype, device, where)
        self.in_channels = int(in_channels)
        self.out_channels = int(out_channels)
        self.groups = groups
        self.kernel_size = conv_ops._ntuple(kernel_size, nd, "kernel_size", where, 1)
        self.stride = conv_ops._ntuple(stride, nd, "stride", where, 1)
        self.dilation = conv_ops._ntuple(dilation, nd, "dilation", where, 1)
        self.padding_mode = padding_mode
        if isinstance(padding, str):
            conv_ops._string_padding(where, padding, self.stride, self.kernel_size, self.dilation)
            self.padding: Any = padding
        else:
            self.padding = conv_ops._ntuple(padding, nd, "padding", where, 0)
        shape = (self.out_channels, self.in_channels // groups) + self.kernel_size
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty((self.out_channels,), dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new initial values (PyTorch's default recipe) from ``autograd.default_generator()``."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_channels // self.groups * math.prod(self.kernel_size)
            bound = 1.0 / math.sqrt(fan_in)
            init.uniform_(self.bias, -bound, bound)

    def _border(self) -> tuple[int, ...]:
        """The padding of the input in ``pad``'s order: (left, right, top, bottom), or (left, right)."""
        if self.padding == "valid":
            return (0,) * (2 * self._nd)
        if self.padding == "same":
            return conv_ops.same_padding(self.kernel_size, self.dilation)
        return tuple(p for p in reversed(self.padding) for _ in range(2))

    def forward(self, input: Tensor) -> Tensor:
        """The convolution of ``input`` with every kernel, plus the bias."""
        if not isinstance(input, Tensor):
            input = Tensor(input)
        nd, shape = self._nd, input.data.shape
        if len(shape) in (nd + 1, nd + 2) and shape[-nd - 1] != self.in_channels:
            # checked here, before any padding, so the message shows the shape the caller passed
            raise ValueError(f"{self!r}: " + conv_ops._channels_message(
                self._function.__name__, shape, self.in_channels, "the layer expects", nd))
        border = self._border()
        try:
            if self.padding_mode == "zeros" and border[::2] == border[1::2]:
                padding: Any = border[::2][::-1]
            else:
                input = conv_ops.pad(input, border, mode=_PADDING_MODES[self.padding_mode])
                padding = 0
            return self._function(input, self.weight, self.bias, self.stride, padding, self.dilation,
                                  self.groups)
        except ValueError as exc:
            raise ValueError(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self._nd:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self._nd:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv2d(_ConvNd):
    """2-D convolution (cross-correlation, no kernel flip) over a batch of multi-channel images.

    ``out[n, o] = bias[o] + sum_c weight[o, c] * x[n, c]`` with ``*`` the textbook's matrix convolution
    (Definition 10.1.3) extended by stride, padding and dilation; see :func:`nn.functional.conv2d`.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int or pair of ints
    stride : int or pair of ints, optional
        Default 1.
    padding : int, pair of ints, "valid" or "same", optional
        Zeros (or, with ``padding_mode``, other values) added on each side; "same" (stride 1 only) keeps the
        spatial size, padding one more on the bottom/right when the dilated kernel is even, as PyTorch.
    dilation : int or pair of ints, optional
        Default 1.
    groups : int, optional
        Split the channels into this many groups (default 1), each convolved with kernels of its own:
        output channel ``o`` sees only the ``in_channels / groups`` input channels of group
        ``o // (out_channels / groups)``. It must divide both channel counts; ``groups=in_channels`` is a
        depthwise convolution.
    bias : bool, optional
        Learn one bias per output channel (default True).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, optional
        How the border is filled; "circular" makes the layer commute with cyclic shifts (np.roll).
    device : str or torch.device, optional
        Only the CPU (``"cpu"``, the default), as in PyTorch's signature.
    dtype : dtype, optional
        The default dtype unless given: a numpy dtype or its name, ``autograd.float64``, or a PyTorch dtype.

    Attributes
    ----------
    weight : Parameter, shape (out_channels, in_channels / groups, kh, kw)
        PyTorch's default init, ``kaiming_uniform_(a=sqrt(5))`` = U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with
        ``fan_in = in_channels / groups * kh * kw``.
    bias : Parameter of shape (out_channels,), or None
        U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

    Shape
    -----
    input (N, in_channels, H, W) or (in_channels, H, W) -> output (N, out_channels, Ho, Wo) with
    ``Ho = (H + 2*ph - dh*(kh - 1) - 1) // sh + 1`` (likewise Wo).

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import Conv2d
    >>> conv = Conv2d(1, 8, 3, padding=1)
    >>> conv
    Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    >>> conv(autograd.zeros(2, 1, 28, 28)).shape
    (2, 8, 28, 28)
    >>> conv.weight.shape
    (8, 1, 3, 3)
    >>> Conv2d(8, 16, 3, groups=8, bias=False).weight.shape  # depthwise, two kernels per input channel
    (16, 1, 3, 3)
    """

    _nd = 2
    _function = staticmethod(conv_ops.conv2d)


class Conv1d(_ConvNd):
    """1-D convolution (cross-correlation, no kernel flip) over a batch of multi-channel sequences: the
    convolution of :class:`Conv2d` on sequences seen as images of height 1; see
    :func:`nn.functional.conv1d`.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int or tuple of one int
    stride : int or tuple of one int, optional
        Default 1.
    padding : int, tuple of one int, "valid" or "same", optional
        Zeros (or, with ``padding_mode``, other values) added at each end; "same" (stride 1 only) keeps the
        length, padding one more at the end when the dilated kernel is even, as PyTorch.
    dilation : int or tuple of one int, optional
        Default 1.
    groups : int, optional
        Split the channels into this many groups (default 1), as in :class:`Conv2d`.
    bias : bool, optional
        Learn one bias per output channel (default True).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, optional
        How the ends are filled; "circular" makes the layer commute with cyclic shifts (np.roll).
    device : str or torch.device, optional
        Only the CPU (``"cpu"``, the default), as in PyTorch's signature.
    dtype : dtype, optional
        The default dtype unless given: a numpy dtype or its name, ``autograd.float64``, or a PyTorch dtype.

    Attributes
    ----------
    weight : Parameter, shape (out_channels, in_channels / groups, k)
        PyTorch's default init, ``kaiming_uniform_(a=sqrt(5))`` = U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with
        ``fan_in = in_channels / groups * k``.
    bias : Parameter of shape (out_channels,), or None
        U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

    Shape
    -----
    input (N, in_channels, L) or (in_channels, L) -> output (N, out_channels, Lo) with
    ``Lo = (L + 2*p - d*(k - 1) - 1) // s + 1``.

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import Conv1d
    >>> conv = Conv1d(2, 4, 3, padding=1)
    >>> conv
    Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=(1,))
    >>> conv(autograd.zeros(5, 2, 16)).shape
    (5, 4, 16)
    >>> conv.weight.shape
    (4, 2, 3)
    >>> Conv1d(4, 4, 5, padding="same", padding_mode="circular", groups=4, bias=False)
    Conv1d(4, 4, kernel_size=(5,), stride=(1,), padding=same, groups=4, bias=False, padding_mode=circular)
    """

    _nd = 1
    _function = staticmethod(conv_ops.conv1d)
