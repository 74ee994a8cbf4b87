"""Graphs of Values: fan-out and reuse, diamonds, repeated backward passes, zero_grad, deterministic order,
very deep chains, freeing without the cyclic GC, and the fused value_sum / value_dot nodes."""

from __future__ import annotations

import gc
import math
import weakref

import pytest
from helpers import assert_close, assert_grad_matches_fd
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, topological_order, value_dot, value_sum


def reals(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


# --------------------------------------------------------------------------- fan-out and reuse
def test_a_plus_a_has_gradient_two():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert b.data == 6.0
    assert a.grad == 2.0
    assert b.parents == (a, a)


@given(x=reals(-10, 10))
def test_a_times_a_has_gradient_two_a(x):
    a = Value(x)
    (a * a).backward()
    assert a.grad == 2.0 * x


@given(x=reals(-10, 10))
def test_reused_interior_node_accumulates(x):
    a = Value(x)
    b = a * a
    c = b + b
    c.backward()
    assert c.data == x * x + x * x
    assert b.grad == 2.0
    assert_close(a.grad, 4.0 * x, rtol=1e-15, atol=0.0, what="dc/da")


@given(x=reals(-5, 5))
def test_triple_use_of_one_leaf(x):
    a = Value(x)
    y = a * a * a
    y.backward()
    assert_close(a.grad, 3.0 * x * x, rtol=1e-14, atol=1e-300, what="d/dx x^3")


@given(x=reals(-5, 5))
def test_diamond(x):
    # x -> sin x, x -> e^x, both -> product: d/dx = e^x (sin x + cos x)
    a = Value(x)
    u = a.sin()
    v = a.exp()
    w = u * v
    w.backward()
    assert_close(w.data, math.sin(x) * math.exp(x), rtol=1e-14, atol=1e-300)
    assert_close(a.grad, math.exp(x) * (math.sin(x) + math.cos(x)), rtol=1e-12, atol=1e-14, what="diamond")
    assert_close(u.grad, math.exp(x), rtol=1e-15, atol=0.0)
    assert_close(v.grad, math.sin(x), rtol=1e-15, atol=0.0)
    assert_grad_matches_fd([a.grad], lambda t: math.sin(t) * math.exp(t), [x], what="diamond")


def test_nested_diamonds_count_every_path():
    # x1 = x + x, x2 = x1 + x1, ..., x10: 2^10 paths from x to x10, each with derivative 1
    x = Value(0.5)
    y = x
    for _ in range(10):
        y = y + y
    y.backward()
    assert y.data == 0.5 * 2**10
    assert x.grad == 2.0**10
    assert len(topological_order(y)) == 11


@given(x=reals(-2, 2), y=reals(-2, 2), z=reals(-2, 2))
def test_textbook_example_9_3_2_sin_xy_xz_yz(x, y, z):
    # Example 9.3.2: each input feeds two products (fan-out)
    X, Y, Z = Value(x, label="x"), Value(y, label="y"), Value(z, label="z")
    f = (X * Y + X * Z + Y * Z).sin()
    f.backward()
    s = x * y + x * z + y * z
    assert_close(f.data, math.sin(s), rtol=1e-13, atol=1e-15)
    c = math.cos(s)
    cases = ((X.grad, c * (y + z), "x"), (Y.grad, c * (x + z), "y"), (Z.grad, c * (x + y), "z"))
    for got, want, name in cases:
        assert_close(got, want, rtol=1e-12, atol=1e-13, what=f"df/d{name}")
    assert_grad_matches_fd(
        [X.grad, Y.grad, Z.grad], lambda a, b, c: math.sin(a * b + a * c + b * c), [x, y, z], what="9.3.2"
    )


def test_textbook_example_9_3_2_graph_shape():
    X, Y, Z = Value(1.0), Value(2.0), Value(3.0)
    f = (X * Y + X * Z + Y * Z).sin()
    order = topological_order(f)
    # 3 inputs + 3 products + 2 sums + sin
    assert len(order) == 9
    assert [n.op for n in order if not n.is_leaf].count("mul") == 3
    uses = {id(leaf): sum(p is leaf for n in order for p in n.parents) for leaf in (X, Y, Z)}
    assert sorted(uses.values()) == [2, 2, 2]


@given(t=reals(-3, 3))
def test_lecture_004_chain_rule_y_plus_exp_xy(t):
    # f = y + e^(xy), x = cos t, y = t^2:  df/dt = y e^(xy) (-sin t) + (1 + x e^(xy)) 2t
    T = Value(t, label="t")
    X = T.cos()
    Y = T**2
    f = Y + (X * Y).exp()
    f.backward()
    x, y = math.cos(t), t * t
    e = math.exp(x * y)
    assert_close(f.data, y + e, rtol=1e-13, atol=0.0)
    assert_close(T.grad, y * e * (-math.sin(t)) + (1 + x * e) * 2 * t, rtol=1e-12, atol=1e-13, what="df/dt")
    assert_close(X.grad, y * e, rtol=1e-13, atol=0.0, what="df/dx")
    assert_close(Y.grad, 1 + x * e, rtol=1e-13, atol=0.0, what="df/dy")
    assert_grad_matches_fd([T.grad], lambda s: s * s + math.exp(math.cos(s) * s * s), [t], what="004 chain")


# --------------------------------------------------------------------------- repeated backward, zero_grad
def test_second_backward_accumulates_on_leaves_and_overwrites_interior_nodes():
    x = Value(1.5)
    y = x * x
    z = y.sin()
    z.backward()
    first = 2 * 1.5 * math.cos(2.25)
    assert_close(x.grad, first, rtol=1e-15, atol=0.0)
    z.backward()
    assert_close(x.grad, 2 * first, rtol=1e-15, atol=0.0, what="leaf after two passes")
    # an interior node holds this pass's gradient, not the sum of both passes
    assert_close(y.grad, math.cos(2.25), rtol=1e-15, atol=0.0, what="interior node")
    assert z.grad == 1.0


def test_interior_nodes_hold_the_latest_pass_with_a_different_seed():
    a, b = Value(2.0), Value(3.0)
    m = a * b
    out = m + a
    out.backward(1.0)
    out.backward(5.0)
    assert m.grad == 5.0
    assert out.grad == 5.0
    assert a.grad == (3.0 + 1.0) * 6.0
    assert b.grad == 2.0 * 6.0


def test_zero_grad_resets_the_whole_graph_including_leaves():
    a, b = Value(2.0), Value(-1.0)
    c = a * b
    d = c.exp() + a
    d.backward()
    assert a.grad != 0.0 and b.grad != 0.0 and c.grad != 0.0
    d.zero_grad()
    assert [n.grad for n in topological_order(d)] == [0.0] * len(topological_order(d))
    d.backward()
    assert_close(a.grad, -math.exp(-2.0) + 1.0, rtol=1e-15, atol=0.0, what="after zero_grad, one pass")
    assert_close(b.grad, 2.0 * math.exp(-2.0), rtol=1e-15, atol=0.0)


def test_zero_grad_reaches_only_the_subgraph_below_the_node():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    m = a * b
    out = m + c
    out.backward()
    m.zero_grad()
    assert (a.grad, b.grad, m.grad) == (0.0, 0.0, 0.0)
    assert (c.grad, out.grad) == (1.0, 1.0)
    c.zero_grad()
    assert c.grad == 0.0 and out.grad == 1.0


# --------------------------------------------------------------------------- structure and order
def test_parents_are_an_ordered_tuple_in_argument_order():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    for make in (lambda: a + b, lambda: a - b, lambda: a * b, lambda: a / b, lambda: a**b):
        node = make()
        assert type(node.parents) is tuple
        assert node.parents == (a, b)
    for node in (b + a, b - a, b * a, b / a, b**a):
        assert node.parents == (b, a)
    for node in (a + 1, 1 + a, a - 1, 1 - a, 2 * a, a * 2, a / 2, 2 / a, a**2, 2**a, -a):
        assert node.parents == (a,)
    assert a.parents == () and a.is_leaf


def _build(xs):
    a, b, c = (Value(v, label=n) for v, n in zip(xs, "abc"))
    p = a * b
    q = p + c
    r = q.tanh() * a + (b - c).exp()
    return r


def test_topological_order_is_deterministic_and_parents_come_first():
    r1, r2 = _build([0.3, -0.7, 1.1]), _build([0.3, -0.7, 1.1])
    o1, o2 = topological_order(r1), topological_order(r2)
    assert [(n.op, n.label, n.data) for n in o1] == [(n.op, n.label, n.data) for n in o2]
    position = {id(n): i for i, n in enumerate(o1)}
    assert len(position) == len(o1) == 10  # 3 leaves + 7 operations, each once
    assert o1[-1] is r1
    for n in o1:
        for p in n.parents:
            assert position[id(p)] < position[id(n)]


def test_topological_order_of_a_leaf_is_the_leaf():
    x = Value(1.0)
    assert topological_order(x) == [x]


def test_backward_of_deep_chain_without_recursion_error():
    # y_{k+1} = 0.5 y_k + x, y_0 = x, 500,000 times: 1,000,000 operations.
    # y_n = x (2 - 0.5^n) and dy_n/dx = 2 - 0.5^n (both 2 x and 2 in float64).
    steps = 500_000
    enabled = gc.isenabled()
    gc.disable()  # a million young objects would otherwise trigger many full collections
    try:
        x = Value(0.75)
        y = x
        for _ in range(steps):
            y = y * 0.5 + x
        order = topological_order(y)
        assert len(order) == 2 * steps + 1
        assert order[0] is x and order[-1] is y
        del order
        y.backward()
        assert y.data == pytest.approx(1.5, rel=1e-12)
        assert x.grad == pytest.approx(2.0, rel=1e-12)
        assert y.grad == 1.0
        del y
    finally:
        if enabled:
            gc.enable()


# --------------------------------------------------------------------------- freeing without the cyclic GC
def _graph(with_leaves_inside: bool):
    a, b = Value(0.5), Value(-1.5)
    p = a * b
    q = p.sin() + a
    r = q.exp() / (b * b + 1) + 2 ** q
    interior = [p, q, r] + [n for n in topological_order(r) if not n.is_leaf]
    refs = [weakref.ref(n) for n in interior]
    if with_leaves_inside:
        refs += [weakref.ref(a), weakref.ref(b)]
        return r, refs, ()
    return r, refs, (a, b)


@pytest.mark.parametrize("run_backward", [False, True], ids=["no-backward", "after-backward"])
@pytest.mark.parametrize("keep_leaves", [False, True], ids=["leaves-dropped", "leaves-kept"])
def test_graph_is_freed_by_reference_counting_alone(run_backward, keep_leaves):
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        out, refs, leaves = _graph(with_leaves_inside=not keep_leaves)
        if run_backward:
            out.backward()
            if keep_leaves:
                assert leaves[0].grad != 0.0
        assert all(r() is not None for r in refs)
        del out
        assert [r() for r in refs] == [None] * len(refs), "a reference cycle keeps part of the graph alive"
        for leaf in leaves:
            assert leaf.parents == ()
    finally:
        if enabled:
            gc.enable()


# --------------------------------------------------------------------------- value_sum, value_dot
@given(xs=st.lists(reals(-100, 100), min_size=1, max_size=12))
def test_value_sum_forward_and_gradients(xs):
    vs = [Value(x) for x in xs]
    s = value_sum(vs)
    s.backward()
    expected = 0.0
    for x in xs:
        expected += x
    assert s.data == expected
    assert [v.grad for v in vs] == [1.0] * len(xs)
    assert s.parents == tuple(vs)


def test_value_sum_with_repeats_and_numbers():
    a, b = Value(2.0), Value(3.0)
    s = value_sum([a, a, b, 4, 0.5])
    (s * s).backward()
    assert s.data == 11.5
    assert a.grad == 2 * 2 * 11.5
    assert b.grad == 2 * 11.5


def test_value_sum_errors():
    with pytest.raises(ValueError, match="value_sum"):
        value_sum([])
    with pytest.raises(TypeError, match="value_sum"):
        value_sum([Value(1.0), "a"])


finite = reals(-10, 10)


@given(
    data=st.data(),
    n=st.integers(1, 8),
)
def test_value_dot_is_bitwise_the_unfused_left_to_right_sum(data, n):
    ws = data.draw(st.lists(finite, min_size=n, max_size=n), label="w")
    xs = data.draw(st.lists(finite, min_size=n, max_size=n), label="x")
    bias = data.draw(finite, label="b")
    W, X, B = [Value(w) for w in ws], [Value(x) for x in xs], Value(bias)
    fused = value_dot(W, X, B)
    W2, X2, B2 = [Value(w) for w in ws], [Value(x) for x in xs], Value(bias)
    unfused = B2
    for w, x in zip(W2, X2):
        unfused = unfused + w * x
    assert fused.data == unfused.data  # bitwise
    fused.backward()
    unfused.backward()
    assert [w.grad for w in W] == xs == [w.grad for w in W2]
    assert [x.grad for x in X] == ws == [x.grad for x in X2]
    assert B.grad == 1.0 == B2.grad


def test_value_dot_with_numeric_inputs_without_bias():
    w = [Value(2.0), Value(-1.0), Value(0.5)]
    y = value_dot(w, [3.0, 4, 8.0])
    y.backward()
    assert y.data == 2.0 * 3.0 - 4.0 + 4.0
    assert [wi.grad for wi in w] == [3.0, 4.0, 8.0]


def test_value_dot_with_shared_operands_accumulates():
    a, b = Value(1.5), Value(-2.0)
    y = value_dot([a, a, b], [a, b, b], b)  # a^2 + ab + b^2 + b
    y.backward()
    assert y.data == 1.5**2 + 1.5 * -2.0 + 4.0 - 2.0
    assert a.grad == 2 * 1.5 + -2.0
    assert b.grad == 1.5 + 2 * -2.0 + 1.0


def test_value_dot_gradient_matches_finite_differences_through_an_activation():
    ws, xs, bias = [0.3, -1.2, 0.8], [1.0, 0.5, -2.0], 0.1
    W, X, B = [Value(w) for w in ws], [Value(x) for x in xs], Value(bias)
    y = value_dot(W, X, B).tanh()
    y.backward()

    def f(*p):
        return math.tanh(p[6] + sum(p[i] * p[3 + i] for i in range(3)))

    assert_grad_matches_fd([v.grad for v in W + X + [B]], f, ws + xs + [bias], what="tanh(value_dot)")


def test_value_dot_length_mismatch():
    with pytest.raises(ValueError, match="value_dot"):
        value_dot([Value(1.0)], [1.0, 2.0])
