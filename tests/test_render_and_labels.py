"""Labels of any content draw as valid DOT, and render refuses what dot cannot write with a clear error."""

from __future__ import annotations

import shutil

import graphviz
import numpy as np
import pytest

from autograd import Tensor, Value, draw_graph, render
from autograd.cli_grad import main as autograd_main
from autograd.graph import output_format

HAS_DOT = shutil.which("dot") is not None


def test_a_label_set_to_a_non_string_is_drawn_as_its_text():
    w = Value(1.0) * 2
    w.label = 5
    assert "5" in draw_graph(w).source
    t = Tensor(np.ones(2), requires_grad=True) * 2
    t.label = ("pair", 1)
    assert "(\\'pair\\', 1)" in draw_graph(t).source or "('pair', 1)" in draw_graph(t).source


def test_a_label_of_none_is_no_label():
    assert Value(1.0, label=None).label == ""
    assert Tensor([1.0], label=None).label == ""


@pytest.mark.parametrize("label", ["x\x00y", "&amp;", "two\nlines", "tab\there", "cr\r\nlf", "bell\x07"])
def test_control_characters_and_entities_give_dot_that_graphviz_accepts(label, tmp_path):
    v = Value(2.0, label=label) * 3
    source = draw_graph(v).source
    assert "\x00" not in source and "\x07" not in source
    if "\t" in label:
        assert "tab here" in source
    if label == "&amp;":
        assert "&amp;amp;" in source  # drawn as typed, not as "&"
    if "\n" in label:
        assert "\\n" in source  # a line break in the picture
    if HAS_DOT:
        out = render(v, tmp_path / "g.svg")
        assert out.read_bytes().lstrip().startswith((b"<?xml", b"<svg"))


@pytest.mark.parametrize("name", ["g.x11", "g.xlib", "g.gtk"])
def test_display_formats_are_refused_before_running_dot(name):
    with pytest.raises(ValueError, match=r"render: got a file name ending in"):
        output_format(name)


def test_a_format_dot_cannot_write_gives_a_clear_error(tmp_path, monkeypatch):
    def refuse(self, format=None, **kwargs):
        raise graphviz.CalledProcessError(1, ["dot", f"-T{format}"], output=b"",
                                          stderr=b'Format: "bmp" not recognized. Use one of: svg png\n')

    monkeypatch.setattr(graphviz.Digraph, "pipe", refuse)
    expected = r"cannot write g\.bmp \(format 'bmp'\): Format: \"bmp\" not recognized"
    with pytest.raises(ValueError, match=expected):
        render(Value(1.0).exp(), tmp_path / "g.bmp")
    assert not (tmp_path / "g.bmp").exists()


def test_the_command_line_reports_a_format_dot_cannot_write(tmp_path, monkeypatch, capsys):
    def refuse(self, format=None, **kwargs):
        raise graphviz.CalledProcessError(1, ["dot"], output=b"", stderr=b'Format: "bmp" not recognized.')

    monkeypatch.setattr(graphviz.Digraph, "pipe", refuse)
    assert autograd_main(["x * 2", "--at", "x=1", "--render", str(tmp_path / "g.bmp")]) == 2
    err = capsys.readouterr().err
    assert "--render" in err and "bmp" in err and "Traceback" not in err


def test_at_may_be_given_several_times(capsys):
    assert autograd_main(["x * y", "--at", "x=2", "--at", "y=3"]) == 0
    out = capsys.readouterr().out
    assert "df/dx = 3.0" in out and "df/dy = 2.0" in out
