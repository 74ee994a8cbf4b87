"""Shape layers: Flatten, Unflatten and Identity."""

from __future__ import annotations

from typing import Any

from autograd import unflatten
from autograd.ops._common import is_int
from autograd.tensor import Tensor, describe

from .. import functional as F
from ..module import Module

__all__ = ["Flatten", "Unflatten", "Identity"]


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

    def forward(self, input: Tensor) -> Tensor:
        """The input reshaped with the chosen dimensions merged."""
        try:
            return F.flatten(input, self.start_dim, self.end_dim)
        except ValueError as exc:
            raise ValueError(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension ``dim`` into the dimensions ``unflattened_size`` (the inverse of :class:`Flatten`).

    Parameters
    ----------
    dim : int
        The dimension to split (negative: from the end).
    unflattened_size : tuple or list of int
        The sizes it is split into; their product must be its size, and one of them may be -1 (worked
        out from the others).

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import Unflatten
    >>> layer = Unflatten(1, (2, 5))
    >>> layer, layer(autograd.zeros(3, 10)).shape
    (Unflatten(dim=1, unflattened_size=(2, 5)), (3, 2, 5))
    """

    def __init__(self, dim: int, unflattened_size: tuple[int, ...] | list[int]) -> None:
        super().__init__()
        if not is_int(dim):
            raise TypeError(f"Unflatten: got dim {describe(dim)}; expected an int")
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(f"Unflatten: got unflattened_size {describe(unflattened_size)}; expected "
                            "a tuple or list of ints")
        for i, size in enumerate(unflattened_size):
            if not is_int(size):
                raise TypeError(f"Unflatten: got unflattened_size {unflattened_size!r}, whose entry {i} is "
                                f"{describe(size)}; expected a tuple or list of ints")
        if not unflattened_size:
            raise ValueError("Unflatten: got an empty unflattened_size; expected at least one size")
        self.dim = int(dim)
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        """The input with dimension ``dim`` split into ``unflattened_size``."""
        try:
            return unflatten(input, self.dim, self.unflattened_size)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size!r}"


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

    def forward(self, input: Any) -> Any:
        """``input`` itself."""
        return input
