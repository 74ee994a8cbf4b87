"""A model's parameters as one flat vector and back, as ``torch.nn.utils.parameters_to_vector`` and
``vector_to_parameters`` (for methods that treat all the weights as one point: line searches,
evolution strategies, weight averaging)."""

from __future__ import annotations

from typing import Iterable

import numpy as np

import autograd
from autograd.tensor import Tensor, describe

from .clip_grad import _tensors

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The entries of all ``parameters``, flattened and concatenated in order, as one 1-D tensor.

    The result is computed by ``autograd.cat``, so gradients flow back from it to the parameters (as in
    PyTorch); parameters of different dtypes are promoted as ``cat`` promotes them.

    Raises
    ------
    ValueError
        If there are no parameters (there is nothing to concatenate; PyTorch refuses too).

    Examples
    --------
    >>> from nn import Linear
    >>> from nn.utils import parameters_to_vector
    >>> parameters_to_vector(Linear(3, 2).parameters()).shape
    (8,)
    """
    where = "parameters_to_vector"
    params = _tensors(parameters, "parameters", where)
    if not params:
        raise ValueError(f"{where}: got no parameters; expected at least one Tensor to concatenate")
    return autograd.cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Set the values of ``parameters`` from the 1-D tensor ``vec``, consumed in order (the inverse of
    :func:`parameters_to_vector`).

    Each parameter's ``.data`` is replaced by a copy of its slice of ``vec`` in the parameter's own
    dtype, as PyTorch replaces it (so graphs recorded before keep the old values); the parameter objects
    and their gradients are left as they are. Two deliberate differences: PyTorch's parameters become
    views of ``vec`` and take its dtype, and PyTorch ignores entries of ``vec`` beyond the parameters.

    Raises
    ------
    TypeError
        If ``vec`` is not a Tensor, or an item of ``parameters`` is not.
    ValueError
        If ``vec`` is not 1-D, or its length is not the parameters' total number of entries.

    Examples
    --------
    >>> from autograd import arange
    >>> from nn import Linear
    >>> from nn.utils import vector_to_parameters
    >>> lin = Linear(2, 1)
    >>> vector_to_parameters(arange(3.0), lin.parameters())
    >>> lin.weight.tolist(), lin.bias.tolist()
    ([[0.0, 1.0]], [2.0])
    """
    where = "vector_to_parameters"
    if not isinstance(vec, Tensor):
        raise TypeError(f"{where}: got vec {describe(vec)}; expected a 1-D Tensor")
    if vec.data.ndim != 1:
        raise ValueError(f"{where}: got vec of shape {vec.data.shape}; expected a 1-D Tensor")
    params = _tensors(parameters, "parameters", where)
    needed = sum(p.data.size for p in params)
    if vec.data.shape[0] != needed:
        raise ValueError(f"{where}: got vec of length {vec.data.shape[0]}; expected {needed}, the number of "
                         f"entries of the {len(params)} parameters")
    start = 0
    for p in params:
        n = p.data.size
        p.data = np.array(vec.data[start:start + n].reshape(p.data.shape), dtype=p.data.dtype)
        start += n
