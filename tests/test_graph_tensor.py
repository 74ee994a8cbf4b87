"""Pictures of Tensor graphs: the 2-2-1 sigmoid network (lecture 002), the vectorized MLP (lecture 004),
op arguments, parameter / constant styles, gradients, determinism, summaries and rendering."""

from __future__ import annotations

import gc
import re
import shutil
from collections import Counter

import numpy as np
import pytest

import autograd
import nn.functional as F
from autograd import Tensor, Value, draw_graph, render, retain_grads
from autograd.graph import DASH, format_number
from autograd.graph_tensor import MAX_SHOWN_VALUES, format_array, op_text

PARAM_FILL = 'fillcolor="#cfe8fc"'
CONST_STYLE = 'style="filled,dashed"'
F64 = np.float64


# --------------------------------------------------------------------------- DOT parsing helpers
def node_lines(source: str) -> dict[str, str]:
    """Tensor/Value record nodes by id: {'n3': 'n3 [label=...]'}."""
    return {m[0]: m[1] for m in re.findall(r"^\s*(n\d+) (\[.*\])$", source, flags=re.M)}


def op_labels(source: str) -> dict[str, str]:
    """Operation nodes by id, with their label text unquoted."""
    found = re.findall(r'^\s*(op\d+) \[label=("[^"]*"|\w+)', source, flags=re.M)
    return {ident: label.strip('"') for ident, label in found}


def edges(source: str) -> list[tuple[str, str]]:
    return re.findall(r"^\s*(\w+) -> (\w+)$", source, flags=re.M)


def line_of(source: str, label: str) -> str:
    (line,) = [ln for ln in source.splitlines() if re.search(r'label="\{' + re.escape(label) + r" \|", ln)]
    return line


def nested(array: np.ndarray, precision: int = 4) -> str:
    """The values of a small float array as the picture should print them, written out independently."""
    if array.ndim == 0:
        return format_number(float(array), precision)
    return "[" + ", ".join(nested(a, precision) for a in array) + "]"


def mean_norm(array: np.ndarray, precision: int = 4) -> str:
    mean = float(array.mean())
    norm = float(np.sqrt((array.astype(F64) ** 2).sum()))
    return f"mean={format_number(mean, precision)} norm={format_number(norm, precision)}"


def sig(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------- lecture 002: the 2-2-1 network
X_IN = np.array([0.05, 0.10])
W1_0 = np.array([[0.15, 0.20], [0.25, 0.30]])
B1_0 = np.array([0.35, 0.35])
W2_0 = np.array([[0.40, 0.45]])
B2_0 = np.array([0.60])
Y_TRUE = np.array([0.01])


def two_two_one() -> dict[str, Tensor]:
    """net_h = W1 x + b1, h = sigma(net_h), net_o = W2 h + b2, y_hat = sigma(net_o), L = 1/2 (y_hat - y)^2."""
    x = Tensor(X_IN.copy(), label="x")
    y = Tensor(Y_TRUE.copy(), label="y")
    w1 = Tensor(W1_0.copy(), requires_grad=True, label="W1")
    b1 = Tensor(B1_0.copy(), requires_grad=True, label="b1")
    w2 = Tensor(W2_0.copy(), requires_grad=True, label="W2")
    b2 = Tensor(B2_0.copy(), requires_grad=True, label="b2")
    net_h = w1 @ x + b1
    h = net_h.sigmoid()
    net_o = w2 @ h + b2
    y_hat = net_o.sigmoid()
    loss = 0.5 * ((y_hat - y) ** 2).sum()
    nodes = dict(x=x, y=y, W1=w1, b1=b1, W2=w2, b2=b2, net_h=net_h, h=h, net_o=net_o, y_hat=y_hat, L=loss)
    for name in ("net_h", "h", "net_o", "y_hat", "L"):
        nodes[name].label = name
    return nodes


def test_network_nodes_show_label_shape_dtype_and_values():
    source = draw_graph(two_two_one()["L"]).source
    assert "{W1 | (2, 2) float64 | data [[0.1500, 0.2000], [0.2500, 0.3000]] | grad \u2014}" in source
    assert "{b1 | (2,) float64 | data [0.3500, 0.3500] | grad \u2014}" in source
    assert "{W2 | (1, 2) float64 | data [[0.4000, 0.4500]] | grad \u2014}" in source
    assert "{b2 | (1,) float64 | data [0.6000] | grad \u2014}" in source
    assert "{x | (2,) float64 | data [0.0500, 0.1000] | grad \u2014}" in source
    # An interior tensor shows its computed value: net_h = W1 x + b1.
    net_h = W1_0 @ X_IN + B1_0
    assert f"{{net_h | (2,) float64 | data {nested(net_h)} | grad \u2014}}" in source
    assert "{L | () float64 | data " in source  # a 0-d tensor has shape ()


def test_network_op_nodes_show_ops_and_matmul_shapes():
    source = draw_graph(two_two_one()["L"]).source
    ops = Counter(op_labels(source).values())
    assert ops == Counter({
        "matmul (2, 2) @ (2,)": 1, "matmul (1, 2) @ (2,)": 1, "add": 2, "sigmoid": 2, "sub": 1,
        "pow": 1, "sum": 1, "mul": 1,
    })
    # Structure: W1 and x feed the first matmul, whose result feeds the add with b1.
    ids = {lab: ident for ident, line in node_lines(source).items()
           for lab in re.findall(r'label="\{(\w+) \|', line)}
    ops_by_id = op_labels(source)
    (mm1,) = [i for i, t in ops_by_id.items() if t == "matmul (2, 2) @ (2,)"]
    assert sorted(a for a, b in edges(source) if b == mm1) == sorted([ids["W1"], ids["x"]])
    assert (ids["b1"], "op" + ids["net_h"][1:]) in edges(source)


def test_parameters_constants_and_interior_nodes_are_styled_apart():
    nodes = two_two_one()
    source = draw_graph(nodes["L"]).source
    for name in ("W1", "b1", "W2", "b2"):
        line = line_of(source, name)
        assert PARAM_FILL in line and "dashed" not in line, line
    for name in ("x", "y"):
        line = line_of(source, name)
        assert CONST_STYLE in line and PARAM_FILL not in line, line
    for name in ("net_h", "h", "net_o", "y_hat"):
        line = line_of(source, name)
        assert "fillcolor=white" in line and "dashed" not in line, line
    assert "penwidth=2" in line_of(source, "L")
    # The constants are x, y, the exponent 2 and the factor 0.5: four dashed records, nothing else.
    dashed = [line for line in node_lines(source).values() if CONST_STYLE in line]
    assert len(dashed) == 4
    assert sum("data 2.0000" in line for line in dashed) == 1
    assert sum("data 0.5000" in line for line in dashed) == 1


def hand_gradients() -> dict[str, np.ndarray]:
    """The backward pass of lecture 002, written out with numpy (with the biases added)."""
    net_h = W1_0 @ X_IN + B1_0
    h = sig(net_h)
    net_o = W2_0 @ h + B2_0
    y_hat = sig(net_o)
    delta_o = (y_hat - Y_TRUE) * y_hat * (1 - y_hat)  # dL/d net_o = (y_hat - y) sigma'(net_o)
    d_h = W2_0.T @ delta_o  # dL/dh_i = delta_o w_3i
    delta_h = d_h * h * (1 - h)
    return {
        "W2": np.outer(delta_o, h), "b2": delta_o, "W1": np.outer(delta_h, X_IN), "b1": delta_h,
        "h": d_h, "net_h": delta_h, "y_hat": y_hat - Y_TRUE, "net_o": delta_o,
    }


def test_gradients_after_backward_are_the_tensors_grads_and_the_lectures():
    nodes = two_two_one()
    nodes["L"].backward()
    source = draw_graph(nodes["L"]).source
    expected = hand_gradients()
    for name in ("W1", "b1", "W2", "b2"):
        grad = nodes[name].grad.numpy()
        np.testing.assert_allclose(grad, expected[name], rtol=1e-12)
        assert f"| grad {nested(grad)}}}" in line_of(source, name), name
    # Interior tensors keep no gradient unless asked, and constants never get one.
    for name in ("net_h", "h", "net_o", "y_hat", "x", "y"):
        assert line_of(source, name).count(f"grad {DASH}") == 1, name
    # show_grad=False drops the row; grads_known=False hides even the leaves' gradients.
    assert "| grad" not in draw_graph(nodes["L"], show_grad=False).source
    assert "| data" not in draw_graph(nodes["L"], show_data=False).source
    hidden = draw_graph(nodes["L"], grads_known=False).source
    # 8 leaves (x, y, W1, b1, W2, b2, 2, 0.5) and 10 results (2 matmul, 2 add, 2 sigmoid, sub, pow, sum, mul)
    assert hidden.count(f"grad {DASH}") == len(node_lines(hidden)) == 18


def test_retain_grads_shows_every_interior_gradient():
    nodes = two_two_one()
    assert retain_grads(nodes["L"]) is nodes["L"]
    nodes["L"].backward()
    source = draw_graph(nodes["L"]).source
    expected = hand_gradients()
    for name in ("h", "net_h", "y_hat", "net_o"):
        np.testing.assert_allclose(nodes[name].grad.numpy(), expected[name], rtol=1e-12)
        assert f"| grad {nested(nodes[name].grad.numpy())}}}" in line_of(source, name), name
    assert "| grad 1.0000}" in line_of(source, "L")
    # Only the two constant inputs and the two unnamed constants (2 and 0.5) are left without a gradient.
    assert source.count(f"grad {DASH}") == 4
    # Values keep every gradient anyway: retain_grads leaves them alone.
    v = Value(2.0) * Value(3.0)
    assert retain_grads(v) is v


def test_op_arguments_survive_only_with_retain_graph():
    x = Tensor(np.ones((4, 3)), requires_grad=True)
    s = x.sum(axis=1)
    r = x.leaky_relu(0.2)
    m = x @ Tensor(np.ones((3, 2)))
    total = s.sum() + r.sum() + m.sum()
    total.backward(retain_graph=True)
    kept = draw_graph(total).source
    assert "sum(axis=1)" in kept and "leaky_relu(0.2)" in kept and "matmul (4, 3) @ (3, 2)" in kept
    total.backward()  # frees what the ops saved
    freed = draw_graph(total).source
    assert "sum(axis=1)" not in freed and "sum (4, 3) \u2192 (4,)" in freed
    assert "leaky_relu(0.2)" not in freed and "leaky_relu (4, 3) \u2192 (4, 3)" in freed
    assert "matmul (4, 3) @ (3, 2)" in freed  # read from the operands' shapes, not from _ctx
    assert len(op_labels(freed)) == len(op_labels(kept)) == 8


def test_freed_ops_with_several_operands_show_every_operand_shape():
    x = Tensor(np.ones((2, 3, 4)), requires_grad=True)
    joined = autograd.cat([x.permute(2, 0, 1), Tensor(np.zeros((1, 2, 3)))], axis=0)
    total = joined.sum()
    total.backward(retain_graph=True)
    kept = draw_graph(total).source
    assert "permute(2, 0, 1)" in kept and "cat(axis=0)" in kept
    total.backward()
    freed = draw_graph(total).source
    assert "permute (2, 3, 4) \u2192 (4, 2, 3)" in freed
    assert "cat (4, 2, 3), (1, 2, 3) \u2192 (5, 2, 3)" in freed


@pytest.mark.parametrize("build, text", [
    (lambda z: z.sum(), "sum"),
    (lambda z: z.sum(axis=0), "sum(axis=0)"),
    (lambda z: z.sum(axis=1, keepdims=True), "sum(axis=1, keepdims=True)"),
    (lambda z: z.sum(axis=(0, 1), keepdims=True), "sum(keepdims=True)"),
    (lambda z: z.max(axis=-1), "max(axis=1)"),
    (lambda z: z.var(axis=0, ddof=1), "var(axis=0, ddof=1)"),
    (lambda z: z.reshape(3, 4), "reshape(3, 4)"),
    (lambda z: z.reshape(-1), "reshape(12)"),
    (lambda z: z.broadcast_to(2, 4, 3), "broadcast_to(2, 4, 3)"),
    (lambda z: z.T, "permute(1, 0)"),
    (lambda z: z[1:, 0], "getitem[1:, 0]"),
    (lambda z: z[::2], "getitem[::2]"),
    (lambda z: z[..., None], "getitem[..., None]"),
    (lambda z: z[np.array([0, 2])], "getitem[[0, 2]]"),
    (lambda z: z.leaky_relu(0.1), "leaky_relu(0.1)"),
    (lambda z: z.gelu(), "gelu"),
    (lambda z: z.gelu(approximate="tanh"), "gelu(tanh)"),
    (lambda z: z.clamp(0.0, 1.0), "clamp(min=0, max=1)"),
    (lambda z: z.clamp(max=0.5), "clamp(max=0.5)"),
    (lambda z: z @ autograd.ones(3, 2), "matmul (4, 3) @ (3, 2)"),
    (lambda z: F.linear(z, autograd.ones(2, 3), autograd.ones(2)), "linear (4, 3) -> (4, 2)"),
    (lambda z: autograd.einsum("ij,kj->ik", z, z), "einsum(ij,kj->ik)"),
    (lambda z: z.double(), "astype(float64)"),
    (lambda z: z.softmax(axis=-1), "softmax(axis=1)"),
    (lambda z: autograd.cat([z, z], axis=1), "cat(axis=1)"),
    (lambda z: z.exp(), "exp"),  # no arguments: the generic fallback, the op name
    (lambda z: z.celu(0.5), "celu(alpha=0.5)"),
    (lambda z: z.selu(), "selu"),
    (lambda z: z.threshold(0.25, 0.0), "threshold(0.25)"),
    # ops without a formatter show what they saved when it is a few plain numbers
    (lambda z: z.hardtanh(-2.0, 3.0), "hardtanh(-2, 3)"),
    (lambda z: z.softshrink(0.25), "softshrink(0.25)"),
    (lambda z: z.logcumsumexp(1), "logcumsumexp(1)"),
])
def test_op_text_shows_arguments(build, text):
    z = autograd.ones(4, 3, requires_grad=True)
    out = build(z)
    assert op_text(out) == text
    assert f"label=\"{text}\"" in draw_graph(out).source or f"label={text} " in draw_graph(out).source


def test_op_text_falls_back_to_the_name_when_ctx_is_unexpected():
    z = autograd.ones(2, requires_grad=True)
    out = z.leaky_relu(0.1)
    out._ctx = object()  # an op whose saved arguments changed form must not break the picture
    assert op_text(out) == "leaky_relu"


def test_data_of_large_tensors_is_summarised_by_mean_and_norm():
    rng = np.random.default_rng(0)
    big = rng.normal(size=(3, 4))
    small = rng.normal(size=(MAX_SHOWN_VALUES,))
    one_more = rng.normal(size=(MAX_SHOWN_VALUES + 1,))
    a = Tensor(big, requires_grad=True, label="a")
    b = Tensor(small, requires_grad=True, label="b")
    c = Tensor(one_more, requires_grad=True, label="c")
    loss = (a * a).sum() + b.sum() + c.sum()
    loss.backward()
    source = draw_graph(loss, fmt_precision=3).source
    assert f"{{a | (3, 4) float64 | data {mean_norm(big, 3)} | grad {mean_norm(2 * big, 3)}}}" in source
    assert f"data {nested(small, 3)} | grad {nested(np.ones(6), 3)}}}" in line_of(source, "b")
    assert f"data {mean_norm(one_more, 3)} | grad {mean_norm(np.ones(7), 3)}}}" in line_of(source, "c")
    # Integers and booleans are printed as they are; large integer arrays are summarised as floats.
    assert format_array(np.array([1, -2, 3])) == "[1, -2, 3]"
    assert format_array(np.array([True, False])) == "[True, False]"
    assert format_array(np.arange(10)) == "mean=4.5000 norm=16.8819"
    assert format_array(np.array([np.inf, 1.0])) == "[inf, 1.0000]"


def test_tensor_labels_with_record_characters_are_escaped():
    x = Tensor([1.0], requires_grad=True, label="w{0}|<in>")
    assert r"{w\{0\}\|\<in\> | (1,) float32" in draw_graph(x * 2).source


# --------------------------------------------------------------------------- lecture 004: vectorized MLP
N, D, HID, K = 5, 3, 4, 2


def vectorized_mlp(seed: int = 0) -> dict[str, Tensor]:
    """Z = X W1^T + b1, H = sigma(Z), Y = H W2^T + b2, L = mean over the batch of 1/2 ||T - Y||^2."""
    rng = np.random.default_rng(seed)
    X = Tensor(rng.normal(size=(N, D)), label="X")
    T = Tensor(rng.normal(size=(N, K)), label="T")
    W1 = Tensor(rng.normal(size=(HID, D)), requires_grad=True, label="W1")
    b1 = Tensor(rng.normal(size=(HID,)), requires_grad=True, label="b1")
    W2 = Tensor(rng.normal(size=(K, HID)), requires_grad=True, label="W2")
    b2 = Tensor(rng.normal(size=(K,)), requires_grad=True, label="b2")
    Z = X @ W1.T + b1
    H = Z.sigmoid()
    Y = H @ W2.T + b2
    L = 0.5 * ((T - Y) ** 2).sum(axis=1).mean()
    nodes = dict(X=X, T=T, W1=W1, b1=b1, W2=W2, b2=b2, Z=Z, H=H, Y=Y, L=L)
    for name in ("Z", "H", "Y", "L"):
        nodes[name].label = name
    return nodes


# By hand from vectorized_mlp: ops W1.T (permute), X @ (matmul), + b1 (add), sigmoid, W2.T (permute),
# H @ (matmul), + b2 (add), T - Y (sub), ** 2 (pow), sum(axis=1), mean = sum then * (1/N) (sum, mul),
# 0.5 * (mul): 13 ops. Leaves: X, T, W1, b1, W2, b2 and the constants 2, 1/N, 0.5: 9. Nodes: 22.
MLP_OPS = Counter({
    "permute(1, 0)": 2, "matmul (5, 3) @ (3, 4)": 1, "matmul (5, 4) @ (4, 2)": 1, "add": 2, "sigmoid": 1,
    "sub": 1, "pow": 1, "sum(axis=1)": 1, "sum": 1, "mul": 2,
})
# Edges parent -> op: permute 1 + matmul 2 + add 2 + sigmoid 1 + permute 1 + matmul 2 + add 2 + sub 2
# + pow 2 + sum 1 + sum 1 + mul 2 + mul 2 = 21; op -> result: 13.
MLP_PARENT_EDGES, MLP_RESULT_EDGES = 21, 13


def test_vectorized_mlp_graph_has_the_hand_counted_nodes_and_edges():
    nodes = vectorized_mlp()
    source = draw_graph(nodes["L"]).source
    records = node_lines(source)
    assert sorted(records) == sorted(f"n{i}" for i in range(22))  # numbered by topological position
    assert Counter(op_labels(source).values()) == MLP_OPS
    all_edges = edges(source)
    to_ops = [(a, b) for a, b in all_edges if a.startswith("n") and b.startswith("op")]
    from_ops = [(a, b) for a, b in all_edges if a.startswith("op")]
    assert len(to_ops) == MLP_PARENT_EDGES and len(from_ops) == MLP_RESULT_EDGES
    assert all(a[2:] == b[1:] for a, b in from_ops)  # op{i} -> n{i}
    assert all(int(a[1:]) < int(b[2:]) for a, b in to_ops)  # parents come first
    assert "penwidth=2" in records["n21"] and "{L | () float64" in records["n21"]
    # Parameters blue, the five constants (X, T, 2, 1/N, 0.5) dashed, the 13 results white.
    assert sum(PARAM_FILL in line for line in records.values()) == 4
    assert sum(CONST_STYLE in line for line in records.values()) == 5
    assert sum("fillcolor=white" in line for line in records.values()) == 13
    for name, shape in (("X", "(5, 3)"), ("W1", "(4, 3)"), ("b1", "(4,)"), ("W2", "(2, 4)"), ("b2", "(2,)"),
                        ("Z", "(5, 4)"), ("H", "(5, 4)"), ("Y", "(5, 2)")):
        assert f"{{{name} | {shape} float64 | " in source, name


def test_vectorized_mlp_gradients_match_the_lectures_backward_pass():
    nodes = vectorized_mlp()
    retain_grads(nodes["L"])
    nodes["L"].backward()
    X, T = nodes["X"].numpy(), nodes["T"].numpy()
    W1, b1, W2, b2 = (nodes[k].numpy() for k in ("W1", "b1", "W2", "b2"))
    H = sig(X @ W1.T + b1)
    Y = H @ W2.T + b2
    Y_bar = (Y - T) / N  # the lecture's y_bar = y - t, averaged over the batch
    H_bar = Y_bar @ W2
    Z_bar = H_bar * H * (1 - H)
    expected = {"W2": Y_bar.T @ H, "b2": Y_bar.sum(0), "W1": Z_bar.T @ X, "b1": Z_bar.sum(0),
                "Y": Y_bar, "H": H_bar, "Z": Z_bar}
    source = draw_graph(nodes["L"]).source
    for name, grad in expected.items():
        np.testing.assert_allclose(nodes[name].grad.numpy(), grad, rtol=1e-10, atol=1e-14)
        shown = nested(grad) if grad.size <= MAX_SHOWN_VALUES else mean_norm(nodes[name].grad.numpy())
        assert f"| grad {shown}}}" in line_of(source, name), name


# --------------------------------------------------------------------------- determinism, size, output
def test_dot_source_is_byte_identical_for_two_builds():
    first = draw_graph(vectorized_mlp()["L"], legend=True).source
    junk = [Tensor(np.zeros(3)) for _ in range(1000)]  # move memory addresses around
    del junk
    gc.collect()
    second = draw_graph(vectorized_mlp()["L"], legend=True).source
    assert first == second
    assert not re.search(r"\d{8,}", first)  # no addresses in node names
    nodes = two_two_one()
    retain_grads(nodes["L"])
    nodes["L"].backward()
    again = two_two_one()
    retain_grads(again["L"])
    again["L"].backward()
    assert draw_graph(nodes["L"]).source == draw_graph(again["L"]).source


def test_legend_is_optional_and_names_the_styles():
    loss = two_two_one()["L"]
    assert "cluster_legend" not in draw_graph(loss).source
    source = draw_graph(loss, legend=True).source
    assert "subgraph cluster_legend" in source
    (param,) = [ln for ln in source.splitlines() if "legend_param [" in ln]
    (const,) = [ln for ln in source.splitlines() if "legend_const [" in ln]
    assert PARAM_FILL in param and CONST_STYLE in const
    assert draw_graph(loss, legend=True).source == source
    # The graph itself is unchanged by the legend.
    assert node_lines(source) == node_lines(draw_graph(loss).source)


def test_long_tensor_chain_collapses_to_a_summary():
    x = Tensor(np.full(3, 0.5), requires_grad=True, label="x")
    y = x
    for _ in range(1000):
        y = (y * 0.5).tanh()  # 2,000 chained ops and 1,000 constant leaves
    w = Tensor(np.ones(3), requires_grad=True, label="w")
    y = (y + w).sum()
    source = draw_graph(y, legend=True).source
    assert "3004 nodes, 3003 edges" in source
    assert "ops: mul x 1000, tanh x 1000, add x 1, sum x 1" in source
    assert "... 990 more leaves" in source
    assert len(source) < 4000
    assert not op_labels(source)  # no op nodes: the summary box stands for them
    # Both parameters are named (they come before the 1,000 constants), with their style.
    assert PARAM_FILL in line_of(source, "x") and PARAM_FILL in line_of(source, "w")
    assert sum(CONST_STYLE in line for line in node_lines(source).values()) == 10
    assert "penwidth=2" in node_lines(source)["n3003"]
    assert "cluster_legend" in source
    full = draw_graph(y, max_nodes=3004).source  # at the limit: drawn in full
    assert len(node_lines(full)) == 3004 and len(op_labels(full)) == 2002
    assert len([e for e in edges(full) if e[0].startswith("n")]) == 3003  # the summary's data edges


def test_render_tensor_graph_to_svg_and_dot(tmp_path):
    nodes = two_two_one()
    nodes["L"].backward()
    dot_file = render(nodes["L"], tmp_path / "net.dot", legend=True)
    assert dot_file.read_text(encoding="utf-8") == draw_graph(nodes["L"], legend=True).source
    if shutil.which("dot") is None:
        pytest.skip("the Graphviz 'dot' program is not installed")
    svg = render(draw_graph(nodes["L"], legend=True), tmp_path / "net.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in ("W1", "(2, 2) float64", "matmul (2, 2) @ (2,)", "sigmoid", "legend"):
        assert text in svg, text
