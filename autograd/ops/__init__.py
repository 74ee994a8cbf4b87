"""The tensor primitives, one module per family, bound onto :class:`~autograd.tensor.Tensor`.

Each family module defines its functions next to their backward rules and lists them in two tables:
``METHODS`` (bound onto Tensor, operators included) and ``FUNCTIONS`` (exported as ``autograd.<name>``).
Adding a family means adding its module to ``FAMILIES``.
"""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from . import arithmetic, combine, indexing, linalg, reductions, shape, softmax, unary

FAMILIES = [arithmetic, unary, reductions, shape, indexing, linalg, combine, softmax]

FUNCTIONS: dict[str, Any] = {}
for _family in FAMILIES:
    for _name, _fn in _family.METHODS.items():
        setattr(Tensor, _name, _fn)
    FUNCTIONS.update(_family.FUNCTIONS)
Tensor.__hash__ = object.__hash__  # __eq__ is elementwise; identity still hashes
