"""Operation counts: backpropagation (count_ops) against the naive chain rule (naive_chain_rule_cost).

Every expected number is derived by hand in the test (edges per operation, paths written out), never
taken from the code under test.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import NaiveCost, OpCounter, Value, count_ops, naive_chain_rule_cost


def sigma_graph() -> tuple[Value, list[Value]]:
    """Textbook Example 9.3.1: sigma = 1 / (w + exp(z + cos(y x^2))) at (1/2, pi, 1, 1)."""
    x, y, z, w = Value(0.5, "x"), Value(math.pi, "y"), Value(1.0, "z"), Value(1.0, "w")
    out = 1 / (w + (z + (y * x**2).cos()).exp())
    return out, [x, y, z, w]


# ----------------------------------------------------------------------------- backpropagation
def test_sigma_backprop_counts_10_local_derivatives_and_9_multiplications():
    with count_ops() as c:
        s, _ = sigma_graph()
        s.backward()
    # Edges: x**2 (1), y*p (2), cos (1), z+r (2), exp (1), w+t (2), 1/u (1) = 10 local derivatives;
    # the edge into sigma needs no product (d sigma / d sigma = 1), so 9 multiplications; no fan-out.
    assert (c.forward, c.local_derivatives, c.multiplications, c.additions) == (7, 10, 9, 0)
    assert c.by_op == {"pow": 1, "mul": 1, "cos": 1, "add": 2, "exp": 1, "div": 1}


def test_fan_out_backprop_counts_additions():
    # f = sin(xy + xz + yz), textbook Example 9.3.2: x, y and z are each used twice.
    x, y, z = Value(1.0, "x"), Value(2.0, "y"), Value(3.0, "z")
    with count_ops() as c:
        f = (x * y + x * z + y * z).sin()
        f.backward()
    # Three products (2 edges each), two sums (2 each), sin (1): 11 edges, 10 off the root;
    # each of x, y, z receives two contributions: 3 additions.
    assert (c.forward, c.local_derivatives, c.multiplications, c.additions) == (6, 11, 10, 3)
    # and the gradient is right: cos(xy+xz+yz) * (y+z, x+z, x+y)
    g = math.cos(11.0)
    assert (x.grad, y.grad, z.grad) == pytest.approx((5 * g, 4 * g, 3 * g), rel=1e-14)


def test_op_counter_summary_is_readable():
    x = Value(2.0)
    with count_ops() as c:
        (x * x + x).backward()
    text = c.summary()
    assert str(c) == text
    assert "forward operations:  2 (add x 1, mul x 1)" in text
    assert "local derivatives:   4" in text
    assert "multiplications:     2" in text
    assert "additions:           2" in text  # x is reached three times: two sums


def test_empty_counter_summary():
    assert OpCounter().summary().splitlines()[0] == "forward operations:  0"


# ----------------------------------------------------------------------------- naive chain rule
def test_sigma_naive_cost_19_factors_15_multiplications():
    s, inputs = sigma_graph()
    cost = naive_chain_rule_cost(s, inputs)
    # (9.37)-(9.40): one path each, of 7 (x), 6 (y), 4 (z) and 2 (w) edges.
    assert cost.paths == {"x": 1, "y": 1, "z": 1, "w": 1}
    assert cost.derivative_factors == 7 + 6 + 4 + 2 == 19
    assert cost.multiplications == 6 + 5 + 3 + 1 == 15
    assert cost.additions == 0
    assert isinstance(cost, NaiveCost)
    text = str(cost)
    assert "derivative factors:  19" in text and "multiplications:     15" in text


def test_naive_cost_defaults_to_all_leaves():
    s, inputs = sigma_graph()
    assert naive_chain_rule_cost(s).derivative_factors == 19
    assert set(naive_chain_rule_cost(s).paths) == {"x", "y", "z", "w"}


def test_fan_out_naive_cost():
    x, y, z = Value(1.0, "x"), Value(2.0, "y"), Value(3.0, "z")
    f = (x * y + x * z + y * z).sin()
    cost = naive_chain_rule_cost(f, [x, y, z])
    # Paths (f, e = c + yz, c = xy + xz):
    #   x: f-e-c-xy-x (4), f-e-c-xz-x (4)
    #   y: f-e-c-xy-y (4), f-e-yz-y (3)
    #   z: f-e-c-xz-z (4), f-e-yz-z (3)
    lengths = {"x": [4, 4], "y": [4, 3], "z": [4, 3]}
    assert cost.paths == {k: len(v) for k, v in lengths.items()}
    assert cost.derivative_factors == sum(sum(v) for v in lengths.values()) == 22
    assert cost.multiplications == sum(k - 1 for v in lengths.values() for k in v) == 16
    assert cost.additions == 3


def squaring_chain(n: int) -> tuple[Value, Value]:
    x = Value(1.0, "x")
    y = x
    for _ in range(n):
        y = y * y  # both operands are y: the number of paths doubles
    return y, x


@given(st.integers(min_value=1, max_value=40))
def test_fan_out_chain_naive_paths_grow_as_2_to_the_n_backprop_stays_linear(n):
    y, x = squaring_chain(n)
    cost = naive_chain_rule_cost(y, [x])
    assert cost.paths == {"x": 2**n}
    assert cost.derivative_factors == n * 2**n  # every path has n edges
    assert cost.multiplications == (n - 1) * 2**n
    assert cost.additions == 2**n - 1

    with count_ops() as c:
        y.backward()
    assert c.local_derivatives == 2 * n
    assert c.multiplications == 2 * n - 2
    assert c.additions == n  # each node receives its two contributions once
    assert x.grad == 2.0**n  # d x^(2^n) / dx at 1


def test_naive_cost_is_exact_for_astronomical_path_counts():
    # 2**3000 paths: only dynamic programming over the 3001 nodes can count them.
    y, x = squaring_chain(3000)
    cost = naive_chain_rule_cost(y, [x])
    assert cost.paths["x"] == 2**3000
    assert cost.derivative_factors == 3000 * 2**3000


def test_naive_cost_keys_and_unreachable_inputs():
    a, b, unused = Value(1.0), Value(2.0, "b"), Value(3.0, "u")
    f = a * b
    # Not every input labelled: keys are positions.
    cost = naive_chain_rule_cost(f, [a, b, unused])
    assert cost.paths == {0: 1, 1: 1, 2: 0}
    assert (cost.derivative_factors, cost.multiplications, cost.additions) == (2, 0, 0)
    # The output itself: a path of no edges, no factor, no product.
    assert naive_chain_rule_cost(f, [f]).paths == {0: 1}
    assert naive_chain_rule_cost(f, [f]).multiplications == 0


def test_naive_cost_duplicate_labels_fall_back_to_positions():
    a, b = Value(1.0, "v"), Value(2.0, "v")
    assert list(naive_chain_rule_cost(a + b, [a, b]).paths) == [0, 1]


# --------------------------------------------------------------- cross-check against enumeration
@st.composite
def random_graphs(draw):
    n_leaves = draw(st.integers(1, 4))
    nodes = [Value(float(i + 1), f"v{i}") for i in range(n_leaves)]
    for _ in range(draw(st.integers(1, 9))):
        kind = draw(st.sampled_from(["sin", "mul", "add"]))
        a = nodes[draw(st.integers(0, len(nodes) - 1))]
        if kind == "sin":
            nodes.append(a.sin())
        else:
            b = nodes[draw(st.integers(0, len(nodes) - 1))]
            nodes.append(a * b if kind == "mul" else a + b)
    return nodes[-1], nodes[:n_leaves]


def enumerate_path_lengths(output: Value, target: Value) -> list[int]:
    """Brute force: walk every path from output down to target (small graphs only)."""
    lengths = []
    stack = [(output, 0)]
    while stack:
        node, depth = stack.pop()
        if node is target:
            lengths.append(depth)
        for parent in node._parents:
            stack.append((parent, depth + 1))
    return lengths


@given(random_graphs())
def test_naive_cost_matches_brute_force_enumeration(graph):
    output, leaves = graph
    cost = naive_chain_rule_cost(output, leaves)
    per_leaf = [enumerate_path_lengths(output, leaf) for leaf in leaves]
    assert cost.paths == {leaf.label: len(p) for leaf, p in zip(leaves, per_leaf)}
    assert cost.derivative_factors == sum(sum(p) for p in per_leaf)
    assert cost.multiplications == sum(k - 1 for p in per_leaf for k in p)
    assert cost.additions == sum(max(len(p) - 1, 0) for p in per_leaf)
