"""The fully connected layer."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.tensor import Tensor

from .. import functional as F
from .. import init
from ..module import Module, Parameter, layer_dtype

__all__ = ["Linear"]


class Linear(Module):
    """Affine map ``y = x @ weight.T + bias`` (the sources' ``W x + b`` for each row of a batch).

    Parameters
    ----------
    in_features : int
        Size of each input row.
    out_features : int
        Size of each output row.
    bias : bool, optional
        Learn an additive bias (default True).
    device : str or torch.device, optional
        Only the CPU (``"cpu"``, the default), as in PyTorch's signature.
    dtype : dtype, optional
        The default dtype unless given (use float64 for gradient checks): a numpy dtype or its name,
        ``autograd.float64``, or a PyTorch dtype such as ``torch.float64``.

    Attributes
    ----------
    weight : Parameter, shape (out_features, in_features)
        Initialised as PyTorch: ``kaiming_uniform_(a=sqrt(5))``, i.e. U(-1/sqrt(in), 1/sqrt(in)).
    bias : Parameter of shape (out_features,), or None
        U(-1/sqrt(in), 1/sqrt(in)).

    Shape
    -----
    input (..., in_features) -> output (..., out_features)

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import Linear
    >>> layer = Linear(3, 2)
    >>> layer
    Linear(in_features=3, out_features=2, bias=True)
    >>> layer(autograd.ones(5, 3)).shape
    (5, 2)
    >>> layer.weight.shape
    (2, 3)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        for name, n in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
                raise ValueError(f"Linear: got {name}={n!r}; expected a non-negative int")
        dtype = layer_dtype(dtype, device, "Linear")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty((self.out_features,), dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new initial values (PyTorch's default recipe) from ``autograd.default_generator()``."""
        if self.weight.numel():
            init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1.0 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        """``x @ weight.T + bias``."""
        if not isinstance(input, Tensor):
            input = Tensor(input)
        if input.data.ndim == 0 or input.data.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear(in_features={self.in_features}, out_features={self.out_features}): got input of "
                f"shape {input.data.shape}; expected its last dimension to be {self.in_features}"
            )
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        has_bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={has_bias}"
