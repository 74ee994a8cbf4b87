"""Neuron, Layer and MLP over scalar :class:`~autograd.Value` nodes.

The API is micrograd's (``__call__``, ``parameters()``, ``zero_grad()``), for teaching and for comparing
the scalar engine with the Tensor one. One difference: each neuron's pre-activation
``b + w_1 x_1 + ... + w_n x_n`` is a single graph node built by :func:`autograd.value.value_dot`, not
``2n`` separate products and sums. The sum runs left to right from the bias, exactly as the unfused
expression does, so the numbers are bitwise the same; the graph is just ``2n`` times smaller, which
makes pictures readable and the backward pass faster.

Examples
--------
>>> from nn.scalar import MLP
>>> model = MLP(2, [4, 1], seed=0)
>>> len(model.parameters())
17
>>> y = model([0.5, -1.0])
>>> y.backward()
>>> model.zero_grad()
>>> all(p.grad == 0.0 for p in model.parameters())
True
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from autograd.value import Value, value_dot

__all__ = ["Neuron", "Layer", "MLP"]

Scalar = Value | float | int


def _rng(seed: int | random.Random | None) -> random.Random:
    if isinstance(seed, random.Random):
        return seed
    return random.Random(seed)


class _ScalarModule:
    """What Neuron, Layer and MLP share: a list of parameters and a way to clear their gradients."""

    def parameters(self) -> list[Value]:
        return []

    def zero_grad(self) -> None:
        """Set ``.grad`` of every parameter to 0."""
        for p in self.parameters():
            p._grad = 0.0


class Neuron(_ScalarModule):
    """One neuron: ``relu(b + w . x)``, or ``b + w . x`` when ``nonlin`` is False.

    Parameters
    ----------
    nin : int
        Number of inputs.
    nonlin : bool, optional
        Apply ReLU to the pre-activation (default True).
    seed : int or random.Random, optional
        Source of the initial weights, drawn uniformly from [-1, 1]. Pass one ``random.Random`` to
        several neurons to draw their weights from one stream. The bias starts at 0.
    label : str, optional
        Prefix for the labels of the parameters (shown in pictures of the graph).

    Attributes
    ----------
    w : list of Value
        The weights, ``nin`` of them.
    b : Value
        The bias.

    Examples
    --------
    >>> from nn.scalar import Neuron
    >>> n = Neuron(3, seed=1)
    >>> out = n([1.0, 2.0, 3.0])
    >>> out.op, len(out.parents[0].parents)    # relu of ONE dot node: 3 weights, 3 inputs, bias
    ('relu', 7)
    """

    def __init__(
        self, nin: int, nonlin: bool = True, seed: int | random.Random | None = None, label: str = ""
    ) -> None:
        if nin < 1:
            raise ValueError(f"Neuron: got nin={nin}; expected at least 1 input")
        rng = _rng(seed)
        prefix = f"{label}." if label else ""
        self.w = [Value(rng.uniform(-1.0, 1.0), label=f"{prefix}w{i}") for i in range(nin)]
        self.b = Value(0.0, label=f"{prefix}b")
        self.nonlin = nonlin

    def __call__(self, x: Sequence[Scalar]) -> Value:
        """Evaluate the neuron on ``nin`` inputs (Values or numbers)."""
        if len(x) != len(self.w):
            raise ValueError(f"Neuron: got {len(x)} inputs; expected {len(self.w)}")
        act = value_dot(self.w, x, self.b)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        """The weights followed by the bias."""
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(_ScalarModule):
    """``nout`` neurons that read the same ``nin`` inputs.

    Parameters
    ----------
    nin, nout : int
        Inputs and outputs.
    seed : int or random.Random, optional
        Source of the initial weights (the neurons draw from it in order).
    **kw
        Passed to every :class:`Neuron` (``nonlin``).

    Examples
    --------
    >>> from nn.scalar import Layer
    >>> layer = Layer(2, 3, seed=0)
    >>> len(layer([1.0, 2.0])), len(layer.parameters())
    (3, 9)
    >>> type(Layer(2, 1, seed=0)([1.0, 2.0])).__name__     # one output comes back as a Value
    'Value'
    """

    def __init__(
        self, nin: int, nout: int, seed: int | random.Random | None = None, label: str = "", **kw
    ) -> None:
        if nout < 1:
            raise ValueError(f"Layer: got nout={nout}; expected at least 1 output")
        rng = _rng(seed)
        prefix = f"{label}." if label else ""
        self.neurons = [Neuron(nin, seed=rng, label=f"{prefix}n{j}", **kw) for j in range(nout)]

    def __call__(self, x: Sequence[Scalar]) -> Value | list[Value]:
        """Evaluate every neuron; a single output is returned as a Value, several as a list."""
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        """The parameters of each neuron in turn."""
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(_ScalarModule):
    """A multi-layer perceptron: ReLU layers and a linear last layer.

    Parameters
    ----------
    nin : int
        Number of inputs.
    nouts : sequence of int
        Width of each layer; the last one is the number of outputs.
    seed : int or random.Random, optional
        Source of the initial weights: ``MLP(..., seed=s)`` is the same network every time.

    Examples
    --------
    >>> from nn.scalar import MLP
    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> len(model.parameters())          # (2+1)*16 + (16+1)*16 + (16+1)*1
    337
    >>> score = model([0.5, -0.25])      # one output: a Value
    >>> score.backward()
    """

    def __init__(self, nin: int, nouts: Sequence[int], seed: int | random.Random | None = None) -> None:
        if not nouts:
            raise ValueError("MLP: got no layer sizes; expected at least one in nouts")
        rng = _rng(seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], seed=rng, label=f"l{i}", nonlin=i != last)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Scalar]) -> Value | list[Value]:
        """Run the layers in turn; one output is returned as a Value, several as a list."""
        for layer in self.layers:
            x = layer(x)
            if isinstance(x, Value):
                x = [x]
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        """The parameters of each layer in turn (the order micrograd uses)."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
