"""The 2-D convolutional layer (textbook Definitions 10.2.1 and 10.5.1, with PyTorch's conventions)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.tensor import Tensor

from .. import conv_ops, init
from ..module import Module, Parameter, layer_dtype

__all__ = ["Conv2d"]

_PADDING_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}


def _as_pair(v: Any, name: str, minimum: int) -> tuple[int, int]:
    return conv_ops._pair(v, name, "Conv2d", minimum)


class Conv2d(Module):
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
        float32 unless given: a numpy dtype or its name, ``autograd.float64``, or a PyTorch dtype.

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

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        for name, n in (("in_channels", in_channels), ("out_channels", out_channels)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
                raise ValueError(f"Conv2d: got {name}={n!r}; expected a positive int")
        groups = conv_ops._check_groups("Conv2d", groups)
        for name, n in (("in_channels", in_channels), ("out_channels", out_channels)):
            if n % groups:
                raise ValueError(f"Conv2d: got {name}={n} with groups={groups}; expected {name} divisible "
                                 "by groups")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"Conv2d: got padding_mode={padding_mode!r}; expected one of "
                             f"{', '.join(map(repr, _PADDING_MODES))}")
        dtype = layer_dtype(dtype, device, "Conv2d")
        self.in_channels = int(in_channels)
        self.out_channels = int(out_channels)
        self.groups = groups
        self.kernel_size = _as_pair(kernel_size, "kernel_size", 1)
        self.stride = _as_pair(stride, "stride", 1)
        self.dilation = _as_pair(dilation, "dilation", 1)
        self.padding_mode = padding_mode
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(f"Conv2d: got padding={padding!r}; expected an int, a pair, 'valid' or "
                                 "'same'")
            if padding == "same" and self.stride != (1, 1):
                raise ValueError(f"Conv2d: padding='same' needs stride 1; got stride={self.stride}")
            self.padding: Any = padding
        else:
            self.padding = _as_pair(padding, "padding", 0)
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
            fan_in = self.in_channels // self.groups * self.kernel_size[0] * self.kernel_size[1]
            bound = 1.0 / math.sqrt(fan_in)
            init.uniform_(self.bias, -bound, bound)

    def _border(self) -> tuple[int, int, int, int]:
        """(left, right, top, bottom) padding of the input."""
        if self.padding == "valid":
            return (0, 0, 0, 0)
        if self.padding == "same":
            return conv_ops.same_padding(self.kernel_size, self.dilation)
        ph, pw = self.padding
        return (pw, pw, ph, ph)

    def forward(self, x: Tensor) -> Tensor:
        """The convolution of ``x`` with every kernel, plus the bias."""
        if not isinstance(x, Tensor):
            x = Tensor(x)
        if x.data.ndim in (3, 4) and x.data.shape[-3] != self.in_channels:
            # checked here, before any padding, so the message shows the shape the caller passed
            raise ValueError(f"{self!r}: " + conv_ops._channels_message(
                "conv2d", x.data.shape, self.in_channels, "the layer expects"))
        left, right, top, bottom = self._border()
        if self.padding_mode == "zeros" and left == right and top == bottom:
            padding: tuple[int, int] = (top, left)
        else:
            x = conv_ops.pad(x, (left, right, top, bottom), mode=_PADDING_MODES[self.padding_mode])
            padding = (0, 0)
        try:
            return conv_ops.conv2d(x, self.weight, self.bias, self.stride, padding, self.dilation,
                                   self.groups)
        except ValueError as exc:
            raise ValueError(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s
