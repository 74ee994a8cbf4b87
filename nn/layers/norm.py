"""Normalisation layers: BatchNorm1d, BatchNorm2d, LayerNorm and GroupNorm.

All are compositions of differentiable Tensor operations (mean, subtraction, product, sqrt), so
their gradients, and gradients of gradients, come from the engine with no hand-written backward rule.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from autograd.tensor import Tensor

from .. import functional as F
from ..module import Module, Parameter, layer_dtype

__all__ = ["BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm"]


def _affine_parameters(module: Module, shape: tuple[int, ...], affine: bool, bias: bool,
                       dtype: np.dtype) -> None:
    """Register the learned scale ``weight`` (ones) and shift ``bias`` (zeros) of a normalisation layer,
    or None placeholders (as PyTorch, so that the names exist either way)."""
    if affine:
        module.weight = Parameter(np.ones(shape, dtype=dtype))
        if bias:
            module.bias = Parameter(np.zeros(shape, dtype=dtype))
        else:
            module.register_parameter("bias", None)
    else:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)


def _reset_affine(module: Module) -> None:
    """Weight 1, bias 0 (those that exist)."""
    if module.weight is not None:
        module.weight.data[...] = 1
    if module.bias is not None:
        module.bias.data[...] = 0


class _BatchNorm(Module):
    _expected_dims: tuple[int, ...] = ()
    _expected_text = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        name = type(self).__name__
        if (not isinstance(num_features, (int, np.integer)) or isinstance(num_features, bool)
                or num_features < 1):
            raise ValueError(f"{name}: got num_features={num_features!r}; expected a positive int")
        if eps <= 0:
            raise ValueError(f"{name}: got eps={eps}; expected eps > 0")
        if momentum is not None and not 0.0 <= momentum <= 1.0:
            raise ValueError(f"{name}: got momentum={momentum}; expected a number in [0, 1] or None")
        dtype = layer_dtype(dtype, device, name)
        self.num_features = int(num_features)
        self.eps = eps
        self.momentum = momentum
        self.affine = bool(affine)
        self.use_bias = bool(bias)
        self.track_running_stats = bool(track_running_stats)
        _affine_parameters(self, (self.num_features,), self.affine, self.use_bias, dtype)
        if self.track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(self.num_features, dtype=dtype)))
            self.register_buffer("running_var", Tensor(np.ones(self.num_features, dtype=dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, batch count 0."""
        if self.track_running_stats:
            self.running_mean.data[...] = 0
            self.running_var.data[...] = 1
            self.num_batches_tracked.data[...] = 0

    def reset_parameters(self) -> None:
        """Reset the running statistics, and the affine weight to 1 and bias to 0."""
        self.reset_running_stats()
        _reset_affine(self)

    def _check_input(self, x: Tensor) -> None:
        if x.data.ndim not in self._expected_dims:
            raise ValueError(
                f"{self._get_name()}({self.num_features}): expected {self._expected_text} input, got "
                f"{x.data.ndim}-D input of shape {x.data.shape}"
            )
        if x.data.shape[1] != self.num_features:
            raise ValueError(
                f"{self._get_name()}({self.num_features}): expected {self.num_features} channels in "
                f"dimension 1, got input of shape {x.data.shape}"
            )

    def forward(self, input: Tensor) -> Tensor:
        """Normalise with batch statistics (training) or running statistics (evaluation)."""
        if not isinstance(input, Tensor):
            input = Tensor(input)
        self._check_input(input)
        factor = 0.0 if self.momentum is None else self.momentum
        count_batch = self.training and self.track_running_stats
        if count_batch and self.momentum is None:
            factor = 1.0 / (int(self.num_batches_tracked.data) + 1)  # cumulative moving average
        use_batch = self.training or self.running_mean is None
        try:
            y = F.batch_norm(
                input,
                self.running_mean if (not self.training or self.track_running_stats) else None,
                self.running_var if (not self.training or self.track_running_stats) else None,
                self.weight, self.bias, use_batch, factor, self.eps,
            )
        except ValueError as exc:
            raise ValueError(f"{self._get_name()}({self.num_features}): {exc}") from None
        if count_batch:
            self.num_batches_tracked.data[...] += 1
        return y

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs, per channel C.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``. In training mode, mean and the *biased*
    variance are those of the batch (over N, and L), and the running statistics are updated with the
    *unbiased* variance: ``running = (1 - momentum) * running + momentum * batch`` (``momentum=None``:
    a cumulative average). In evaluation mode the running statistics are used. As PyTorch.

    Parameters
    ----------
    num_features : int
        Number of channels C.
    eps : float, optional
        Added to the variance (default 1e-5).
    momentum : float or None, optional
        Weight of the new batch in the running statistics (default 0.1).
    affine : bool, optional
        Learn ``weight`` (init 1) and ``bias`` (init 0) of shape (C,) (default True).
    track_running_stats : bool, optional
        Keep ``running_mean``, ``running_var`` and ``num_batches_tracked`` buffers (default True);
        without them batch statistics are used in evaluation mode too.
    device : str or torch.device, optional
        Only the CPU (``"cpu"``, the default), as in PyTorch's signature.
    dtype : dtype, optional
        Of the parameters and running statistics (the default dtype unless given): a floating numpy
        dtype or its name, ``autograd.float64``, or a PyTorch dtype.
    bias : bool, optional (keyword only)
        With ``affine``, whether to learn the bias (default True).

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import BatchNorm1d
    >>> bn = BatchNorm1d(3)
    >>> bn
    BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    >>> y = bn(autograd.randn(8, 3))
    >>> [round(v, 4) + 0.0 for v in y.numpy().mean(axis=0).tolist()]
    [0.0, 0.0, 0.0]
    """

    _expected_dims = (2, 3)
    _expected_text = "2-D (N, C) or 3-D (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) inputs, per channel C (statistics over N, H and W).

    Same parameters and behaviour as :class:`BatchNorm1d`.

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import BatchNorm2d
    >>> BatchNorm2d(4)(autograd.randn(2, 4, 5, 5)).shape
    (2, 4, 5, 5)
    """

    _expected_dims = (4,)
    _expected_text = "4-D (N, C, H, W)"


class LayerNorm(Module):
    """Normalise each example over its last dimensions: ``(x - mean) / sqrt(var + eps) * weight + bias``.

    Mean and biased variance are taken over the trailing ``normalized_shape`` dimensions, separately for
    every leading index; the same in training and evaluation.

    Parameters
    ----------
    normalized_shape : int or tuple of int
        The trailing shape to normalise over.
    eps : float, optional
        Default 1e-5.
    elementwise_affine : bool, optional
        Learn ``weight`` (init 1) and ``bias`` (init 0) of shape ``normalized_shape`` (default True).
    bias : bool, optional
        With ``elementwise_affine``, whether to learn the bias (default True).
    device : str or torch.device, optional
        Only the CPU (``"cpu"``, the default), as in PyTorch's signature.
    dtype : dtype, optional
        Of the parameters (the default dtype unless given): a floating numpy dtype or its name,
        ``autograd.float64``, or a PyTorch dtype.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import LayerNorm
    >>> ln = LayerNorm(2, eps=0.0)
    >>> ln
    LayerNorm((2,), eps=0.0, elementwise_affine=True, bias=True)
    >>> ln(tensor([[1.0, 3.0], [0.0, 10.0]])).tolist()
    [[-1.0, 1.0], [-1.0, 1.0]]
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if isinstance(normalized_shape, (int, np.integer)):
            normalized_shape = (int(normalized_shape),)
        shape = tuple(int(n) for n in normalized_shape)
        if not shape or any(n < 1 for n in shape):
            raise ValueError(f"LayerNorm: got normalized_shape={normalized_shape!r}; expected positive sizes")
        dtype = layer_dtype(dtype, device, "LayerNorm")
        self.normalized_shape = shape
        self.eps = eps
        self.elementwise_affine = bool(elementwise_affine)
        self.use_bias = bool(bias)
        _affine_parameters(self, shape, self.elementwise_affine, self.use_bias, dtype)

    def reset_parameters(self) -> None:
        """Weight 1, bias 0."""
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        """Normalised ``input``, same shape."""
        if not isinstance(input, Tensor):
            input = Tensor(input)
        k = len(self.normalized_shape)
        if input.data.ndim < k or input.data.shape[input.data.ndim - k:] != self.normalized_shape:
            raise ValueError(
                f"{self!r}: got input of shape {input.data.shape}; expected it to end with "
                f"{self.normalized_shape}"
            )
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class GroupNorm(Module):
    """Normalise each example over groups of channels: the C channels split into ``num_groups`` groups of
    consecutive channels, and each group of each example (with all its positions) is normalised by its
    own mean and biased variance; then ``* weight + bias`` per channel. The same in training and
    evaluation; ``GroupNorm(1, C)`` normalises each example as a whole, ``GroupNorm(C, C)`` each channel
    (instance normalisation).

    Parameters
    ----------
    num_groups : int
        Must divide ``num_channels``.
    num_channels : int
        The C of an (N, C, *) input.
    eps : float, optional
        Added to the variance (default 1e-5).
    affine : bool, optional
        Learn ``weight`` (init 1) and ``bias`` (init 0) of shape (C,) (default True).
    device : str or torch.device, optional
        Only the CPU (``"cpu"``, the default), as in PyTorch's signature.
    dtype : dtype, optional
        Of the parameters (the default dtype unless given): a floating numpy dtype or its name,
        ``autograd.float64``, or a PyTorch dtype.
    bias : bool, optional (keyword only)
        With ``affine``, whether to learn the bias (default True).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import GroupNorm
    >>> gn = GroupNorm(2, 4, eps=0.0)
    >>> gn
    GroupNorm(2, 4, eps=0.0, affine=True, bias=True)
    >>> gn(tensor([[1.0, 3.0, 10.0, 20.0]])).tolist()
    [[-1.0, 1.0, -1.0, 1.0]]
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        F._check_groups("GroupNorm", num_groups, num_channels)
        if not eps >= 0:
            raise ValueError(f"GroupNorm: got eps={eps}; expected eps >= 0")
        dtype = layer_dtype(dtype, device, "GroupNorm")
        self.num_groups = int(num_groups)
        self.num_channels = int(num_channels)
        self.eps = eps
        self.affine = bool(affine)
        _affine_parameters(self, (self.num_channels,), self.affine, bool(bias), dtype)

    def reset_parameters(self) -> None:
        """Weight 1, bias 0."""
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        """Normalised ``input``, same shape."""
        if not isinstance(input, Tensor):
            input = Tensor(input)
        if input.data.ndim < 2 or input.data.shape[1] != self.num_channels:
            c = self.num_channels
            raise ValueError(f"{self!r}: got input of shape {input.data.shape}; expected (N, {c}, *), {c} "
                             "channels in dimension 1")
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")
