"""The command line: ``python -m autograd`` and ``chaingrad grad``, their output and their refusals."""

from __future__ import annotations

import math
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import autograd.functions
from autograd.cli_grad import main as autograd_main
from autograd.expr import MAX_SOURCE_LENGTH, ExprError, parse
from nn.cli import main as chaingrad_main

ROOT = pathlib.Path(__file__).resolve().parents[1]
SIGMA = "1/(w + exp(z + cos(y*x**2)))"
AT = ["--at", "x=0.5", "y=pi", "z=1", "w=1"]

E = math.exp(1 + math.sqrt(2) / 2)
U = 1 + E
# Closed forms at (1/2, pi, 1, 1); the textbook prints half of sigma_x (SPEC.md errata).
EXPECTED = {
    "f": 1 / U,
    "df/dx": math.pi * math.sqrt(2) * E / (2 * U**2),
    "df/dy": math.sqrt(2) * E / (8 * U**2),
    "df/dz": -E / U**2,
    "df/dw": -1 / U**2,
}


def results(stdout: str) -> dict[str, float]:
    pairs = [line.split(" = ") for line in stdout.splitlines() if " = " in line]
    return {key: float(value) for key, value in pairs}


def check_sigma_output(stdout: str) -> None:
    got = results(stdout)
    assert list(got) == list(EXPECTED)  # gradients in the order of --at
    for key, value in EXPECTED.items():
        assert got[key] == pytest.approx(value, rel=1e-13, abs=0), key


def test_sigma_value_and_gradient_in_process(capsys):
    assert autograd_main([SIGMA, *AT]) == 0
    out, err = capsys.readouterr()
    check_sigma_output(out)
    assert err == ""


def test_sigma_via_python_dash_m(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "autograd", SIGMA, *AT], capture_output=True, text=True, cwd=tmp_path,
        env=env, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    check_sigma_output(done.stdout)


def test_refusal_via_python_dash_m_exits_2(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "autograd", "x.__class__", "--at", "x=1"], capture_output=True, text=True,
        cwd=tmp_path, env=env, timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("chaingrad: error: attribute access 'x.__class__'")


def test_chaingrad_grad_is_the_same_command(capsys):
    assert chaingrad_main(["grad", SIGMA, *AT, "--counts"]) == 0
    via_nn = capsys.readouterr().out
    assert autograd_main([SIGMA, *AT, "--counts"]) == 0
    assert capsys.readouterr().out == via_nn
    check_sigma_output(via_nn)


def test_counts_option(capsys):
    assert autograd_main([SIGMA, *AT, "--counts"]) == 0
    out = capsys.readouterr().out
    # Backpropagation (textbook 9.3.1): 10 local derivatives, 9 multiplications.
    assert "local derivatives:   10" in out
    assert "multiplications:     9" in out
    # The naive chain rule: 7 + 6 + 4 + 2 factors, 6 + 5 + 3 + 1 products.
    assert "derivative factors:  19" in out
    assert "multiplications:     15" in out
    assert "paths:               x: 1, y: 1, z: 1, w: 1" in out


def test_counts_with_fan_out(capsys):
    assert autograd_main(["sin(x*y + x*z + y*z)", "--at", "x=1", "y=2", "z=3", "--counts"]) == 0
    out = capsys.readouterr().out
    got = results(out)
    g = math.cos(11.0)
    assert (got["df/dx"], got["df/dy"], got["df/dz"]) == pytest.approx((5 * g, 4 * g, 3 * g), rel=1e-13)
    assert "additions:           3" in out  # each input used twice, by both counts


def test_render_writes_a_file(tmp_path, capsys):
    target = tmp_path / "sigma.dot"
    assert autograd_main([SIGMA, *AT, "--render", str(target)]) == 0
    source = target.read_text(encoding="utf-8")
    assert source.startswith("digraph chaingrad")
    assert "{x | data 0.5000 | grad 0.2887}" in source  # pi sqrt(2) E / (2 U^2) = 0.28870...
    assert f"graph written to {target}" in capsys.readouterr().out


def test_render_svg(tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("the Graphviz 'dot' program is not installed")
    target = tmp_path / "sigma.svg"
    assert autograd_main([SIGMA, *AT, "--render", str(target)]) == 0
    assert "<svg" in target.read_text(encoding="utf-8")


def test_at_values_may_be_constant_formulas(capsys):
    assert autograd_main(["x * y", "--at", "x=2*pi", "y=sqrt(4) - e"]) == 0
    got = results(capsys.readouterr().out)
    assert got["f"] == pytest.approx(2 * math.pi * (2 - math.e), rel=1e-15)
    assert got["df/dx"] == pytest.approx(2 - math.e, rel=1e-15)


def test_huge_powers_do_not_hang(capsys):
    # 10**10**10 as integers would take forever; as floats it overflows to inf at once.
    assert autograd_main(["x * 10**10**10", "--at", "x=2"]) == 0
    got = results(capsys.readouterr().out)
    assert got["f"] == math.inf and got["df/dx"] == math.inf


def test_help_exits_0(capsys):
    assert autograd_main(["--help"]) == 0
    assert "--at" in capsys.readouterr().out
    assert chaingrad_main(["--help"]) == 0
    assert "grad" in capsys.readouterr().out


# ----------------------------------------------------------------------------- refusals
REFUSED = [
    ("x.__class__", "attribute access 'x.__class__'"),
    ("x[0]", "subscript 'x[0]'"),
    ("(lambda: x)()", "lambda"),
    ("__import__('os')", "call of '__import__'"),
    ("[t for t in (1, 2)]", "comprehension"),
    ("x + foo", "unknown name 'foo' (column 5)"),
    ("leaky_relu(x, negative_slope=0.1)", "keyword argument 'negative_slope'"),
    ("x + 'a'", "string literal \"'a'\" is not allowed (column 5)"),
    ("x < 1", "comparison"),
    ("x and 1", "boolean operator"),
    ("f'{x}'", "f-string"),
    ("exp(*x)", "starred argument"),
    ("x if 1 else 2", "conditional expression"),
    ("x // 2", "'//' (floor division)"),
    ("x ^ 2", "use ** for powers"),
    ("exp(x, 2)", "exp() takes 1 argument, got 2"),
    ("x +", "invalid syntax"),
    ("exp", "function 'exp' without a call"),
    ("x" + "+x" * MAX_SOURCE_LENGTH, "expected at most 10000"),
]


@pytest.mark.parametrize(("formula", "expected"), REFUSED, ids=[r[0][:30] for r in REFUSED])
def test_refusals_exit_2_with_one_line(formula, expected, capsys):
    assert autograd_main([formula, "--at", "x=1"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("chaingrad: error: ")
    assert expected in line


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["x", "--at", "x"], "--at: got 'x'; expected NAME=VALUE"),
        (["x", "--at", "x=1", "x=2"], "--at: got 'x' twice"),
        (["x", "--at", "x=os.system"], "--at x: attribute access"),
        (["x", "--at", "pi=3"], "not a function or a constant"),
        (["x", "--at", "x=1", "--render", "g.xyz"], "--render: render: got a file name ending in '.xyz'"),
        ([], "the following arguments are required: FORMULA"),
    ],
)
def test_bad_command_lines_exit_2(argv, expected, capsys):
    assert autograd_main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [err.strip()] and expected in err


def test_chaingrad_without_a_command_exits_2(capsys):
    assert chaingrad_main([]) == 2
    assert capsys.readouterr().err.startswith("chaingrad: error: ")


def test_refused_formula_is_never_evaluated(tmp_path, capsys, monkeypatch):
    marker = tmp_path / "evaluated"
    # Would create the marker file if any part of it ran.
    formula = f"exp(x) + __import__('pathlib').Path({str(marker)!r}).touch()"
    assert autograd_main([formula, "--at", "x=1"]) == 2
    assert not marker.exists()

    # Nothing is computed before the whole formula is checked: the valid exp(x) in front is not called.
    calls = []
    monkeypatch.setattr(autograd.functions, "exp", lambda v: calls.append(v) or v)
    assert autograd_main(["exp(x) + x.__class__", "--at", "x=1"]) == 2
    with pytest.raises(ExprError, match="attribute access"):
        parse("exp(x) * x.__globals__", ["x"])
    assert calls == []
    assert autograd_main(["exp(x)", "--at", "x=1"]) == 0  # the spy is in place: it is called when valid
    assert len(calls) == 1
    capsys.readouterr()


# ----------------------------------------------------------------------------- the parser itself
def test_parse_builds_a_labelled_graph():
    f = parse("sin(x) * y + leaky_relu(x - 2, 0.5) - +y", ["x", "y"])
    out = f.evaluate(x=1.0, y=3.0)
    assert out.data == pytest.approx(math.sin(1) * 3 - 0.5 - 3, rel=1e-15)
    out.backward()
    leaves = [n for n in autograd.topological_order(out) if n.is_leaf]
    assert sorted(leaf.label for leaf in leaves) == ["x", "y"]
    assert all(n.label == "" for n in autograd.topological_order(out) if not n.is_leaf)
    x = next(leaf for leaf in leaves if leaf.label == "x")
    assert x.grad == pytest.approx(math.cos(1) * 3 + 0.5, rel=1e-15)


def test_parse_handles_long_formulas_without_recursion():
    f = parse("+".join(["x"] * 1000), ["x"])
    out = f.evaluate(x=1.5)
    out.backward()
    assert out.data == 1500.0
    assert out.parents[0].parents[0].parents  # a deep chain, evaluated by a loop


def test_evaluate_checks_its_arguments():
    f = parse("x * y", ["x", "y"])
    with pytest.raises(ExprError, match=r"expected exactly the variables \(x, y\)"):
        f.evaluate(x=1.0)
    with pytest.raises(TypeError, match="evaluate: got str for 'y'"):
        f.evaluate(x=1.0, y="2")
