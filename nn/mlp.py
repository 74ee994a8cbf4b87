"""Multilayer perceptrons as a :class:`~nn.module.Sequential` of Linear layers and activations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable, Union

from autograd.tensor import describe

from .layers import ELU, GELU, Identity, LeakyReLU, Linear, ReLU, Sigmoid, Softplus, Tanh
from .module import Module, Sequential

__all__ = ["MLP", "ACTIVATIONS"]

#: Activation names accepted by :class:`MLP`, with the Module class each one builds.
ACTIVATIONS: dict[str, type[Module]] = {
    "relu": ReLU, "leaky_relu": LeakyReLU, "sigmoid": Sigmoid, "tanh": Tanh, "elu": ELU, "gelu": GELU,
    "softplus": Softplus, "identity": Identity, "linear": Identity,
}

ActivationSpec = Union[str, type, Callable[[], Module], Module, None]


def _check_activation(spec: ActivationSpec, what: str) -> None:
    """Refuse an unknown name or a value that is not an activation, without building anything (a factory
    is only called when a layer needs it, so an unused one does not consume random numbers)."""
    if spec is None or isinstance(spec, Module):
        return
    if isinstance(spec, str):
        if spec.lower() not in ACTIVATIONS:
            raise ValueError(
                f"MLP: unknown {what} {spec!r}; expected one of {', '.join(sorted(ACTIVATIONS))}, a Module "
                "class or a function returning a Module"
            )
        return
    if not callable(spec):
        raise TypeError(
            f"MLP: got {what} {describe(spec)}; expected a name, a Module class or None"
        )


def _make_activation(spec: ActivationSpec, what: str) -> Module | None:
    _check_activation(spec, what)
    if spec is None:
        return None
    if isinstance(spec, str):
        return ACTIVATIONS[spec.lower()]()
    if isinstance(spec, Module):
        return spec  # stateless activations may be shared; each use is the same computation
    if callable(spec):
        module = spec()
        if not isinstance(module, Module):
            raise TypeError(f"MLP: {what} {spec!r} returned {type(module).__name__}; expected a Module")
        return module
    raise TypeError(f"MLP: got {what} {describe(spec)}; expected a name, a Module class or None")


class MLP(Sequential):
    """A fully connected network: ``Linear(sizes[0], sizes[1])``, activation, ..., ``Linear(sizes[-2],
    sizes[-1])``, then ``output_activation`` if one is given.

    The default follows PyTorch practice (and the course notes): the last layer is linear, so its output
    can feed a loss that applies its own softmax or sigmoid. The textbook's definition of a network
    (Def. 4.1.3) applies the activation after the output layer as well; reproduce it with
    ``output_activation="same"`` (or name any activation).

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first: ``[3, 5, 2]`` is a 3-5-2 network with one hidden layer.
    activation : str, Module class or callable returning a Module, optional
        Hidden-layer activation (default ``"relu"``). Names: relu, leaky_relu, sigmoid, tanh, elu, gelu,
        softplus, identity (or linear).
    output_activation : same kinds, ``"same"`` or None, optional
        Activation after the last Linear layer (default None: none).
    bias : bool, optional
        Give every Linear layer a bias (default True).
    dtype : dtype, optional
        Parameter dtype (the default dtype unless given), as for :class:`~nn.layers.Linear` (a PyTorch
        dtype too).

    Examples
    --------
    >>> import autograd
    >>> from nn.mlp import MLP
    >>> net = MLP([2, 4, 1], activation="tanh")
    >>> print(net)
    MLP(
      (0): Linear(in_features=2, out_features=4, bias=True)
      (1): Tanh()
      (2): Linear(in_features=4, out_features=1, bias=True)
    )
    >>> net(autograd.ones(5, 2)).shape
    (5, 1)
    >>> len(MLP([3, 5, 2], output_activation="same"))  # textbook Def. 4.1.3: ReLU on the output too
    4
    """

    def __init__(self, sizes: Sequence[int], activation: ActivationSpec = "relu",
                 output_activation: ActivationSpec = None, bias: bool = True, dtype: Any = None) -> None:
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"MLP: got sizes={sizes}; expected at least an input and an output size")
        if any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in sizes):
            raise ValueError(f"MLP: got sizes={sizes}; expected positive ints")
        # checked even when there is no hidden layer to use it (MLP([2, 3], activation="foo"))
        _check_activation(activation, "activation")
        if not (isinstance(output_activation, str) and output_activation == "same"):
            _check_activation(output_activation, "output_activation")
        layers: list[Module] = []
        n_layers = len(sizes) - 1
        for i in range(n_layers):
            layers.append(Linear(sizes[i], sizes[i + 1], bias=bias, dtype=dtype))
            last = i == n_layers - 1
            if not last:
                act = _make_activation(activation, "activation")
            elif isinstance(output_activation, str) and output_activation == "same":
                act = _make_activation(activation, "activation")
            else:
                act = _make_activation(output_activation, "output_activation")
            if act is not None:
                layers.append(act)
        super().__init__(*layers)
        self.sizes = tuple(sizes)
