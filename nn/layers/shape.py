"""Shape layers: Flatten and Identity."""

from __future__ import annotations

from typing import Any

from autograd.tensor import Tensor

from .. import functional as F
from ..module import Module

__all__ = ["Flatten", "Identity"]


class Flatten(Module):
    """Merge dimensions ``start_dim`` .. ``end_dim`` into one (by default all but the batch dimension).

    Parameters
    ----------
    start_dim : int, optional
        First dimension to merge (default 1, keeping the batch dimension).
    end_dim : int, optional
        Last dimension to merge, inclusive (default -1).

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import Flatten
    >>> Flatten()(autograd.zeros(2, 3, 4, 5)).shape
    (2, 60)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = int(start_dim)
        self.end_dim = int(end_dim)

    def forward(self, x: Tensor) -> Tensor:
        """The input reshaped with the chosen dimensions merged."""
        try:
            return F.flatten(x, self.start_dim, self.end_dim)
        except ValueError as exc:
            raise ValueError(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Identity(Module):
    """Return the input unchanged (a placeholder, e.g. for an optional layer). Arguments are ignored.

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import Identity
    >>> Identity()(autograd.tensor([1.0])).tolist()
    [1.0]
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, x: Any) -> Any:
        """``x`` itself."""
        return x
