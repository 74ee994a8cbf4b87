"""The lookup table: Embedding."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.modifications import record_change
from autograd.tensor import Tensor

from .. import functional as F
from .. import init
from ..module import Module, Parameter, layer_dtype

__all__ = ["Embedding"]


def _size(value: Any, name: str) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)) or value < 0:
        raise ValueError(f"Embedding: got {name}={value!r}; expected a non-negative int")
    return int(value)


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``, looked up by integer index (word
    vectors, for instance); see :func:`nn.functional.embedding`.

    Parameters
    ----------
    num_embeddings : int
        Number of rows (the size of the vocabulary).
    embedding_dim : int
        Size of each vector.
    padding_idx : int, optional
        A row (negative counts from the end) initialised to zeros and never updated by gradients: its
        lookups send no gradient back.
    max_norm : float, optional
        Each row looked up whose ``norm_type``-norm exceeds ``max_norm`` is first rescaled to that norm, in
        place in ``weight``.
    norm_type : float, optional
        The p of the p-norm for ``max_norm`` (default 2).
    scale_grad_by_freq : bool, optional
        Divide each lookup's gradient by how often its index occurs in the input.
    sparse : bool, optional
        Only False: chaingrad's gradients are dense (True raises ValueError).
    _weight : Tensor or array_like, optional
        The initial table, of shape (num_embeddings, embedding_dim), used as is (its array is shared; the
        padding row is left as given). See :meth:`from_pretrained`.
    _freeze : bool, optional
        Whether the weight takes no gradient (``requires_grad=False``).
    device : str or torch.device, optional
        Only the CPU (``"cpu"``, the default), as in PyTorch's signature.
    dtype : dtype, optional
        The default dtype unless given: a numpy dtype or its name, ``autograd.float64``, or a PyTorch dtype.

    Attributes
    ----------
    weight : Parameter, shape (num_embeddings, embedding_dim)
        Initialised from N(0, 1) with ``autograd.default_generator()``, the padding row set to zeros.

    Shape
    -----
    input: integers of any shape (...) -> output (..., embedding_dim)

    Examples
    --------
    >>> import autograd
    >>> from nn.layers import Embedding
    >>> emb = Embedding(10, 3, padding_idx=0)
    >>> emb
    Embedding(10, 3, padding_idx=0)
    >>> out = emb(autograd.tensor([[0, 4, 4], [9, 1, 0]]))
    >>> out.shape, out[0, 0].tolist()
    ((2, 3, 3), [0.0, 0.0, 0.0])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Any = None, _freeze: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        where = "Embedding"
        self.num_embeddings = _size(num_embeddings, "num_embeddings")
        self.embedding_dim = _size(embedding_dim, "embedding_dim")
        self.padding_idx = F._embedding_padding_idx(padding_idx, self.num_embeddings, where)
        F._embedding_options(max_norm, norm_type, sparse, where)
        dtype = layer_dtype(dtype, device, where)
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = bool(scale_grad_by_freq)
        self.sparse = bool(sparse)
        if _weight is None:
            self.weight = Parameter(np.empty((self.num_embeddings, self.embedding_dim), dtype=dtype),
                                    requires_grad=not _freeze)
            self.reset_parameters()
        else:
            shape = np.shape(_weight.data if isinstance(_weight, Tensor) else _weight)
            if shape != (self.num_embeddings, self.embedding_dim):
                raise ValueError(f"Embedding: got _weight of shape {shape}; expected "
                                 f"({self.num_embeddings}, {self.embedding_dim}), (num_embeddings, "
                                 "embedding_dim)")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Draw the table from N(0, 1) (``autograd.default_generator()``) and zero the padding row."""
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self) -> None:
        if self.padding_idx is not None:
            record_change(self.weight.data, "Embedding.reset_parameters")
            self.weight.data[self.padding_idx] = 0

    @classmethod
    def from_pretrained(cls, embeddings: Any, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0,
                        scale_grad_by_freq: bool = False, sparse: bool = False) -> Embedding:
        """An Embedding whose table is ``embeddings`` (its array shared, its padding row left as given).

        Parameters
        ----------
        embeddings : Tensor or array_like, shape (num_embeddings, embedding_dim)
        freeze : bool, optional
            If True (the default) the table takes no gradient, as ``weight.requires_grad = False``.
        padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse
            As for :class:`Embedding`.

        Examples
        --------
        >>> import numpy as np
        >>> from nn.layers import Embedding
        >>> emb = Embedding.from_pretrained(np.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> emb, emb.weight.requires_grad
        (Embedding(2, 2), False)
        >>> emb([1, 1]).tolist()
        [[3.0, 4.0], [3.0, 4.0]]
        """
        shape = np.shape(embeddings.data if isinstance(embeddings, Tensor) else embeddings)
        if len(shape) != 2:
            raise ValueError(f"Embedding.from_pretrained: got embeddings of shape {shape}; expected a 2-D "
                             "(num_embeddings, embedding_dim) tensor")
        return cls(shape[0], shape[1], padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse, _weight=embeddings, _freeze=freeze)

    def forward(self, input: Any) -> Tensor:
        """The rows of ``weight`` that ``input`` names, shape ``input.shape + (embedding_dim,)``."""
        try:
            return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                               self.scale_grad_by_freq, self.sparse)
        except (TypeError, IndexError) as exc:
            raise type(exc)(f"{self!r}: {exc}") from None

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        # the options that differ from their defaults, as PyTorch shows them
        options = (("padding_idx", self.padding_idx, None), ("max_norm", self.max_norm, None),
                   ("norm_type", self.norm_type, 2), ("scale_grad_by_freq", self.scale_grad_by_freq, False),
                   ("sparse", self.sparse, False))
        for name, value, default in options:
            if value != default:
                text += f", {name}={value}"
        return text
