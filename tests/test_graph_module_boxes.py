"""Graph pictures with a box per module call: ``draw_graph(root, groups=...)`` and
``nn.utils.record_module_calls``."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value, draw_graph


def boxes_of(source: str) -> dict[str, tuple[str, ...]]:
    """Each node id of a DOT text -> the labels of the clusters it is declared in, outermost first."""
    where: dict[str, tuple[str, ...]] = {}
    stack: list[str] = []
    pending = False  # inside a cluster header, before its label line
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("subgraph cluster_"):
            stack.append("?")
            pending = True
        elif pending and " label=" in line:
            match = re.search(r'label=("([^"]*)"|(\S+))', line)
            stack[-1] = match.group(2) if match.group(2) is not None else match.group(3)
            pending = False
        elif line == "}":
            if stack:
                stack.pop()
        else:
            match = re.match(r"(n\d+|op\d+) \[", line)
            if match:
                where[match.group(1)] = tuple(stack)
    return where


def node_id(source: str, text: str) -> str:
    """The id of the node whose label contains ``text``."""
    for line in source.splitlines():
        match = re.match(r"\s*(n\d+) \[label=\"(.*)\"", line)
        if match and text in match.group(2):
            return match.group(1)
    raise AssertionError(f"no node with {text!r} in its label")


@pytest.fixture
def model():
    autograd.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Sequential(nn.Linear(3, 1), nn.Sigmoid()))
    for name, p in net.named_parameters():
        p.label = name
    return net


def test_each_node_is_drawn_in_the_boxes_of_the_calls_that_made_it(model):
    x = Tensor(np.array([[0.5, -1.0]], dtype=np.float32), label="x")
    with nn.utils.record_module_calls(model) as calls:
        h = model[1](model[0](x))  # the model's pieces called one by one: no Sequential box around them
        h.label = "h"
        out = model[2](h)
        out.label = "out"
    loss = ((out - 1.0) ** 2).sum()
    loss.label = "loss"
    source = draw_graph(loss, groups=calls).source
    where = boxes_of(source)
    assert where[node_id(source, "x |")] == ()
    assert where[node_id(source, "0.weight")] == ("0 (Linear)",)
    assert where[node_id(source, "h |")] == ("1 (Tanh)",)
    assert where[node_id(source, "2.0.bias")] == ("2 (Sequential)", "2.0 (Linear)")
    assert where[node_id(source, "out |")] == ("2 (Sequential)", "2.1 (Sigmoid)")
    assert where[node_id(source, "loss")] == ()
    # an op is drawn beside the tensor it makes
    assert where["op" + node_id(source, "out |")[1:]] == ("2 (Sequential)", "2.1 (Sigmoid)")


def test_the_model_itself_is_the_outer_box_and_the_edges_are_the_same(model):
    x = Tensor(np.ones((1, 2), dtype=np.float32), label="x")
    with nn.utils.record_module_calls(model) as calls:
        out = model(x)
    boxed, plain = draw_graph(out, groups=calls).source, draw_graph(out).source
    assert boxes_of(boxed)[node_id(boxed, "0.weight")] == ("Sequential", "0 (Linear)")
    edges = sorted(line.strip() for line in boxed.splitlines() if "->" in line)
    assert edges == sorted(line.strip() for line in plain.splitlines() if "->" in line)
    assert "cluster_" not in plain
    assert draw_graph(out, groups=calls).source == boxed  # deterministic


def test_a_module_called_twice_gets_two_boxes_and_its_parameters_sit_in_the_first():
    layer = nn.Linear(2, 2)
    layer.weight.label = "W"
    x = Tensor(np.ones((1, 2), dtype=np.float32), label="x")
    with nn.utils.record_module_calls(layer) as calls:
        first = layer(x)
        first.label = "first"
        second = layer(first)
        second.label = "second"
    source = draw_graph(second, groups=calls).source
    where = boxes_of(source)
    assert where[node_id(source, "first |")] == ("Linear",)
    assert where[node_id(source, "second |")] == ("Linear, call 2",)
    assert where[node_id(source, "W |")] == ("Linear",)
    assert calls(layer.weight) == ("Linear",)


def test_recording_stops_at_the_end_of_the_block_and_survives_errors(model):
    with nn.utils.record_module_calls(model) as calls:
        with pytest.raises(ValueError, match="Linear"):
            model(autograd.ones(1, 5))  # wrong width
        model(autograd.ones(1, 2))
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())
    n = len(calls.calls)
    model(autograd.ones(1, 2))
    assert len(calls.calls) == n
    labels = [label for _, _, label in calls.calls]
    # the failed call is no box
    assert labels.count("Sequential") == 1 and not any("call 2" in label for label in labels)


def test_nodes_made_outside_any_call_and_unknown_leaves_have_no_box(model):
    with nn.utils.record_module_calls(model) as calls:
        pass
    assert calls(autograd.ones(2) * 2.0) == ()
    assert calls(Tensor([1.0], requires_grad=True)) == ()
    assert calls(model[0].weight) == ()  # its module was never called


def test_groups_must_give_names():
    x = Tensor([1.0], requires_grad=True)
    y = x * 2.0
    with pytest.raises(TypeError, match=r"draw_graph: groups\(node\) returned 'box'; expected a sequence"):
        draw_graph(y, groups=lambda node: "box")
    with pytest.raises(TypeError, match=r"returned \(1,\); expected a sequence of str"):
        draw_graph(y, groups=lambda node: (1,))


def test_any_grouping_function_works_for_values_too():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    c.label = "c"
    source = draw_graph(c, groups=lambda node: ("inputs",) if not node._parents else ()).source
    where = boxes_of(source)
    assert where[node_id(source, "a |")] == ("inputs",) and where[node_id(source, "c |")] == ()


def test_a_summary_ignores_the_boxes(model):
    with nn.utils.record_module_calls(model) as calls:
        out = model(autograd.ones(1, 2))
    assert "cluster_" not in draw_graph(out, groups=calls, max_nodes=3).source


def test_record_module_calls_wants_a_module():
    with pytest.raises(TypeError, match=r"record_module_calls: got a model of type list \(.*\); expected an "
                                        "nn.Mod"):
        nn.utils.record_module_calls([nn.Linear(1, 1)])
