"""The notebooks in notebooks/ are valid nbformat 4 documents and run from top to bottom.

Each notebook's code cells are executed in order, in one fresh namespace, with the working directory set to
a temporary directory (the notebooks write their figures under ./figures) and matplotlib's Agg backend. The
notebooks assert their key results (gradients equal to closed forms, operation counts, accuracies), so
running them is a test of the library. Jupyter is not needed: cells are plain Python (no magics).
"""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

NOTEBOOKS_DIR = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
EXPECTED = [
    "01_sigma_backprop.ipynb",
    "02_tensors_and_gradcheck.ipynb",
    "03_xor_and_decision_boundaries.ipynb",
    "04_cnn_digits.ipynb",
    "05_backprop_vs_finite_differences.ipynb",
]
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
MAX_STORED_OUTPUT_CHARS = 2000  # outputs are not stored, or only small text ones


def load(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def test_every_expected_notebook_exists_and_is_listed_in_the_readme():
    names = [p.name for p in NOTEBOOKS]
    assert set(EXPECTED) <= set(names), f"missing: {sorted(set(EXPECTED) - set(names))}"
    readme = (NOTEBOOKS_DIR / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert name in readme, f"{name} is not described in notebooks/README.md"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_valid_nbformat_4(path):
    nb = load(path)
    assert nb["nbformat"] == 4 and isinstance(nb["nbformat_minor"], int)
    assert isinstance(nb["metadata"], dict)
    kinds = [cell["cell_type"] for cell in nb["cells"]]
    assert set(kinds) <= {"markdown", "code", "raw"}
    assert "markdown" in kinds and "code" in kinds
    assert kinds[0] == "markdown", "a notebook opens with its explanation"
    ids = []
    for cell in nb["cells"]:
        assert isinstance(cell["metadata"], dict)
        assert isinstance(cell["source"], (str, list))
        if nb["nbformat_minor"] >= 5:
            ids.append(cell["id"])
        if cell["cell_type"] == "code":
            assert "execution_count" in cell and isinstance(cell["outputs"], list)
            assert len(json.dumps(cell["outputs"])) <= MAX_STORED_OUTPUT_CHARS
            assert not any(line.lstrip().startswith(("%", "!")) for line in source(cell).splitlines()), (
                "cells must be plain Python (no IPython magics), so that they run without Jupyter"
            )
    assert len(ids) == len(set(ids)), "cell ids must be unique"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_its_assertions_hold(path, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    nb = load(path)
    code_cells = [(i, source(c)) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    assert any("assert" in src for _, src in code_cells), "a notebook checks its results with assert"
    namespace: dict = {"__name__": "__main__"}
    try:
        for index, src in code_cells:
            exec(compile(src, f"{path.name}[cell {index}]", "exec"), namespace)
    finally:
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            plt.close("all")
    figures = tmp_path / "figures"
    assert figures.is_dir() and any(figures.iterdir()), "every notebook saves at least one figure"
