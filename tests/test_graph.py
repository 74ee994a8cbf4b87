"""Graph pictures: the sigma graph of textbook Fig. 9.2, determinism, summaries, rendering."""

from __future__ import annotations

import gc
import math
import re
import shutil

import graphviz
import pytest
from helpers import build_sigma

import autograd
from autograd import Value, draw_graph, render
from autograd.graph import DASH, NodeView, format_number, register_node_kind

E = math.exp(1 + math.sqrt(2) / 2)
U = 1 + E


def closed_form() -> dict[str, tuple[float, float]]:
    """(value, d sigma / d node) for every node, by hand (the printed sigma_x is half the true one)."""
    q = math.pi / 4
    g_u = -1 / U**2
    g_s = g_u * E  # through t = e^s
    g_q = g_s * -math.sin(q)
    return {
        "x": (0.5, math.pi * math.sqrt(2) * E / (2 * U**2)),
        "y": (math.pi, math.sqrt(2) * E / (8 * U**2)),
        "z": (1.0, -E / U**2),
        "w": (1.0, -1 / U**2),
        "p": (0.25, math.pi * g_q),
        "q": (q, g_q),
        "r": (math.sqrt(2) / 2, g_s),
        "s": (1 + math.sqrt(2) / 2, g_s),
        "t": (E, g_u),
        "u": (U, g_u),
        "sigma": (1 / U, 1.0),
    }


def node_line(source: str, label: str) -> str:
    (line,) = [ln for ln in source.splitlines() if re.search(r'label="\{' + re.escape(label) + r" \|", ln)]
    return line


def test_sigma_graph_shows_every_label_value_and_gradient():
    nodes = build_sigma()
    nodes["sigma"].backward()
    source = draw_graph(nodes["sigma"]).source
    for name, (value, grad) in closed_form().items():
        line = node_line(source, name)
        assert f"data {value:.4f}" in line, (name, line)
        assert f"grad {grad:.4f}" in line, (name, line)


def test_sigma_graph_has_the_ten_data_edges_of_fig_9_2():
    nodes = build_sigma()
    source = draw_graph(nodes["sigma"]).source
    parent_to_op = re.findall(r"^\s*n(\d+) -> op(\d+)$", source, flags=re.M)
    op_to_node = re.findall(r"^\s*op(\d+) -> n(\d+)$", source, flags=re.M)
    assert len(parent_to_op) == 10
    assert len(op_to_node) == 7 and all(a == b for a, b in op_to_node)
    assert len(re.findall(r"^\s*n\d+ \[", source, flags=re.M)) == 11  # x y z w p q r s t u sigma
    # Which parents feed which op, by label: the structure of Fig. 9.2.
    label_of = {m[0]: m[1] for m in re.findall(r'^\s*n(\d+) \[label="\{(\w+) \|', source, flags=re.M)}
    feeds = sorted((label_of[a], label_of[b]) for a, b in parent_to_op)
    assert feeds == sorted(
        [("x", "p"), ("y", "q"), ("p", "q"), ("q", "r"), ("z", "s"), ("r", "s"), ("s", "t"), ("w", "u"),
         ("t", "u"), ("u", "sigma")]
    )


def test_op_nodes_show_symbols_and_constants():
    source = draw_graph(build_sigma()["sigma"]).source
    ops = re.findall(r"^\s*op\d+ \[label=(\"[^\"]*\"|\w+)", source, flags=re.M)
    assert sorted(op.strip('"') for op in ops) == sorted(["**2", "*", "cos", "+", "exp", "+", "1/\u00b7"])


def test_leaves_are_drawn_distinctly_and_root_is_bold():
    source = draw_graph(build_sigma()["sigma"]).source
    leaf_fill = 'fillcolor="#cfe8fc"'
    for name in "xyzw":
        assert leaf_fill in node_line(source, name)
    for name in "pqrstu":
        assert leaf_fill not in node_line(source, name)
    assert "penwidth=2" in node_line(source, "sigma")


def test_gradients_are_dashes_before_any_backward():
    nodes = build_sigma()
    source = draw_graph(nodes["sigma"]).source
    assert source.count(f"grad {DASH}") == 11
    nodes["sigma"].backward()
    assert DASH not in draw_graph(nodes["sigma"]).source
    nodes["sigma"].zero_grad()
    assert draw_graph(nodes["sigma"]).source.count(f"grad {DASH}") == 11
    # show_grad / show_data switch the rows off; grads_known forces the numbers.
    assert "| grad" not in draw_graph(nodes["sigma"], show_grad=False).source
    assert "| data" not in draw_graph(nodes["sigma"], show_data=False).source
    assert "{x | data 0.5000}" in draw_graph(nodes["sigma"], show_grad=False).source
    assert "grad 0.0000" in draw_graph(nodes["sigma"], grads_known=True).source


def test_dot_source_is_byte_identical_for_two_builds():
    first = draw_graph(build_sigma()["sigma"]).source
    junk = [Value(float(i)) for i in range(1000)]  # shift memory addresses around
    del junk
    gc.collect()
    second = draw_graph(build_sigma()["sigma"]).source
    assert first == second
    assert "id(" not in first and not re.search(r"\d{8,}", first)  # no addresses as node names


def test_record_special_characters_in_labels_are_escaped():
    x = Value(1.0, label="a{b}|<c>")
    source = draw_graph(x * 2).source
    assert r"a\{b\}\|\<c\>" in source


def test_large_graph_is_summarised():
    x = Value(0.5, "x")
    y = x
    for _ in range(4999):
        y = y.sin()
    dot = draw_graph(y)
    source = dot.source
    assert len(source) < 1500
    assert "5000 nodes, 4999 edges" in source
    assert "sin x 4999" in source
    assert node_line(source, "x")  # the leaf is still drawn by name
    assert "op" not in re.findall(r"^\s*(\w+) ", source, flags=re.M)


def test_summary_lists_leaves_up_to_a_limit():
    leaves = [Value(float(i), f"v{i}") for i in range(300)]
    total = autograd.value_sum(leaves)
    source = draw_graph(total, max_nodes=50).source
    assert "301 nodes, 300 edges" in source
    assert "more leaves" in source
    assert len(re.findall(r'label="\{v\d+ \|', source)) < 300


def test_argument_validation_names_the_function():
    x = Value(1.0)
    with pytest.raises(ValueError, match="draw_graph: got rankdir='XY'"):
        draw_graph(x, rankdir="XY")
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(x, max_nodes=0)
    with pytest.raises(TypeError, match="draw_graph: got a node of type str"):
        draw_graph("x")


def test_a_new_node_kind_needs_only_a_describer():
    class FakeTensor:
        def __init__(self, label, parents=(), op=None):
            self.label, self._parents, self._op, self.grad = label, parents, op, None

    class Op:
        name = "matmul"

    def describe(node, options):
        grad = DASH if node.grad is None else "set"
        return NodeView(node.label, ("shape (2, 3)", f"grad {grad}"), None if not node._parents else "@")

    register_node_kind(FakeTensor, describe)
    a, b = FakeTensor("A"), FakeTensor("B")
    c = FakeTensor("C", (a, b), Op())
    source = draw_graph(c).source
    assert "shape (2, 3)" in source and f"grad {DASH}" in source
    assert len(re.findall(r"n\d+ -> op2", source)) == 2


def test_format_number():
    assert format_number(math.pi) == "3.1416"
    assert format_number(0.0) == "0.0000"
    assert format_number(-2.5e-9, 2) == "-2.50e-09"
    assert format_number(float("nan")) == "nan"


def test_render_dot_source_needs_no_executable(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    out = render(build_sigma()["sigma"], tmp_path / "sigma.dot")
    assert out.read_text(encoding="utf-8").startswith("digraph chaingrad {")


def test_render_svg_and_png(tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("the Graphviz 'dot' program is not installed")
    nodes = build_sigma()
    nodes["sigma"].backward()
    svg = render(draw_graph(nodes["sigma"]), tmp_path / "sigma.svg")
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "sigma" in text and "1/\u00b7" in text
    png = render(nodes["sigma"], tmp_path / "sigma.png", rankdir="TB")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_without_dot_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no 'dot' anywhere
    target = tmp_path / "sigma.svg"
    with pytest.raises(RuntimeError) as info:
        render(build_sigma()["sigma"], target)
    message = str(info.value)
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert "conda" in message and "sigma.svg" in message
    assert isinstance(info.value.__cause__, graphviz.ExecutableNotFound)
    assert not target.exists()


def test_render_refuses_unknown_extensions(tmp_path):
    with pytest.raises(ValueError, match=r"render: got a file name ending in '\.xyz'"):
        render(Value(1.0), tmp_path / "g.xyz")
