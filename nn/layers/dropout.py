"""Dropout."""

from __future__ import annotations

from autograd.tensor import Tensor

from .. import functional as F
from ..module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Inverted dropout: in training, zero each element with probability ``p`` and scale the others by
    1 / (1 - p), so the expected output equals the input; in evaluation mode, the identity.

    Masks are drawn from ``autograd.default_generator()`` (seed with ``autograd.manual_seed``).

    Parameters
    ----------
    p : float, optional
        Probability of zeroing an element (default 0.5).
    inplace : bool, optional
        Accepted for PyTorch compatibility; the output is always a new tensor (same values).

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import Dropout
    >>> drop = Dropout(0.25)
    >>> drop
    Dropout(p=0.25, inplace=False)
    >>> drop.eval()(autograd.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: got p={p!r}; expected a probability in [0, 1]")
        self.p = float(p)
        self.inplace = bool(inplace)

    def forward(self, input: Tensor) -> Tensor:
        """Dropped-out and rescaled ``input`` in training mode, ``input`` itself in evaluation mode."""
        return F.dropout(input, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
