"""Neuron / Layer / MLP over scalar Values (nn.scalar)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from nn.scalar import MLP, Layer, Neuron


# --------------------------------------------------------------------------- helpers
def unfused_neuron(n: Neuron, x: list) -> Value:
    """The micrograd way: b + w1*x1 + w2*x2 + ..., one node per product and per sum."""
    act = n.b
    for w, xi in zip(n.w, x):
        act = act + w * xi
    return act.relu() if n.nonlin else act


def unfused_mlp(model: MLP, x: list) -> list[Value]:
    for layer in model.layers:
        x = [unfused_neuron(n, x) for n in layer.neurons]
    return x


def as_list(out: Value | list[Value]) -> list[Value]:
    return [out] if isinstance(out, Value) else list(out)


def squared_loss(outputs: list[Value]) -> Value:
    total = outputs[0] * outputs[0]
    for o in outputs[1:]:
        total = total + o * o
    return total


def float_forward(model: MLP, x: list[float]) -> list[float]:
    """The same network evaluated on plain floats (no graph), for finite differences."""
    for layer in model.layers:
        nxt = []
        for n in layer.neurons:
            act = n.b.data
            for w, xi in zip(n.w, x):
                act += w.data * xi
            nxt.append(max(act, 0.0) if n.nonlin else act)
        x = nxt
    return x


def float_loss(model: MLP, x: list[float]) -> float:
    return sum(o * o for o in float_forward(model, x))


# --------------------------------------------------------------------------- shapes and parameters
def test_neuron_output_is_one_value_and_preactivation_is_one_node():
    n = Neuron(3, seed=0)
    out = n([1.0, -2.0, 0.5])
    assert isinstance(out, Value)
    assert out.op == "relu"
    (pre,) = out.parents
    assert pre.op == "dot"
    assert len(pre.parents) == 3 + 3 + 1  # weights, inputs, bias
    linear = Neuron(3, nonlin=False, seed=0)([1.0, -2.0, 0.5])
    assert linear.op == "dot"


@pytest.mark.parametrize(
    ("nin", "nouts", "count"),
    [(2, [1], 3), (2, [16, 16, 1], 337), (3, [4, 4, 2], 16 + 20 + 10), (5, [7], 42)],
)
def test_parameter_counts(nin, nouts, count):
    model = MLP(nin, nouts, seed=1)
    params = model.parameters()
    assert len(params) == count
    assert len({id(p) for p in params}) == count
    assert all(isinstance(p, Value) and p.is_leaf for p in params)


def test_output_shapes():
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    outs = MLP(2, [3, 4], seed=0)([1.0, 2.0])
    assert isinstance(outs, list) and len(outs) == 4
    layer = Layer(3, 5, seed=0)
    assert len(layer([0.1, 0.2, 0.3])) == 5
    assert isinstance(Layer(3, 1, seed=0)([0.1, 0.2, 0.3]), Value)
    # a hidden layer of width one feeds the next layer like any other
    assert isinstance(MLP(2, [1, 3, 1], seed=0)([1.0, 2.0]), Value)


def test_last_layer_is_linear_and_hidden_layers_relu():
    model = MLP(2, [4, 4, 1], seed=0)
    assert [n.nonlin for layer in model.layers for n in layer.neurons] == [True] * 8 + [False]


def test_initial_weights_uniform_and_reproducible():
    a, b, c = MLP(4, [8, 3], seed=7), MLP(4, [8, 3], seed=7), MLP(4, [8, 3], seed=8)
    wa = [p.data for p in a.parameters()]
    assert wa == [p.data for p in b.parameters()]
    assert wa != [p.data for p in c.parameters()]
    for layer in a.layers:
        for n in layer.neurons:
            assert n.b.data == 0.0
            assert all(-1.0 <= w.data <= 1.0 for w in n.w)
    # a shared Random is drawn from in order: neuron after neuron, weight after weight
    rng = random.Random(3)
    expected = [rng.uniform(-1.0, 1.0) for _ in range(6)]
    layer = Layer(3, 2, seed=random.Random(3))
    assert [w.data for n in layer.neurons for w in n.w] == expected


def test_wrong_number_of_inputs_is_an_error():
    with pytest.raises(ValueError, match="expected 3"):
        Neuron(3, seed=0)([1.0, 2.0])
    with pytest.raises(ValueError):
        MLP(2, [], seed=0)


def test_zero_grad():
    model = MLP(2, [3, 1], seed=0)
    model([0.3, -0.7]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_parameters_have_labels_for_pictures():
    model = MLP(2, [2, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert labels[:3] == ["l0.n0.w0", "l0.n0.w1", "l0.n0.b"]
    assert len(set(labels)) == len(labels)


# --------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_finite_differences(seed):
    model = MLP(3, [5, 4, 2], seed=seed)
    x = [0.7, -1.3, 0.25]
    loss = squared_loss(as_list(model(x)))
    assert loss.data == pytest.approx(float_loss(model, x), rel=1e-15)
    loss.backward()
    h = 1e-6
    for p in model.parameters():
        original = p.data
        p.data = original + h
        up = float_loss(model, x)
        p.data = original - h
        down = float_loss(model, x)
        p.data = original
        numeric = (up - down) / (2 * h)
        assert p.grad == pytest.approx(numeric, rel=1e-6, abs=1e-7), p.label


def test_gradient_with_respect_to_inputs():
    model = MLP(2, [6, 1], seed=4)
    x = [Value(0.4), Value(-0.9)]
    model(x).backward()
    h = 1e-6
    for i in range(2):
        base = [v.data for v in x]
        up, down = list(base), list(base)
        up[i] += h
        down[i] -= h
        numeric = (float_forward(model, up)[0] - float_forward(model, down)[0]) / (2 * h)
        assert x[i].grad == pytest.approx(numeric, rel=1e-6, abs=1e-7)


# --------------------------------------------------------------------------- fused == unfused, bitwise
@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    x=st.lists(st.floats(-3.0, 3.0, allow_nan=False), min_size=3, max_size=3),
)
def test_loss_bitwise_equal_to_unfused_reference(seed, x):
    model = MLP(3, [8, 8, 2], seed=seed)
    fused = squared_loss(as_list(model(x)))
    reference = squared_loss(unfused_mlp(model, x))
    assert fused.data.hex() == reference.data.hex()

    fused.backward()
    grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    reference.backward()
    for g, p in zip(grads, model.parameters()):
        assert g == pytest.approx(p.grad, rel=1e-12, abs=1e-300)


def test_matches_micrograd_bitwise_when_installed():
    micrograd_nn = pytest.importorskip("micrograd.nn")
    from micrograd.engine import Value as MValue

    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    ours = MLP(2, [16, 16, 1], seed=0)
    for p, q in zip(ours.parameters(), theirs.parameters()):
        p.data = float(q.data)
    points = [(0.3, -0.2), (1.5, 0.7), (-0.8, 0.1)]
    for xy in points:
        a = ours(list(xy))
        b = theirs([MValue(v) for v in xy])
        assert a.data.hex() == float(b.data).hex()
