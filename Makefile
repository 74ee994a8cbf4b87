# chaingrad: every target that needs Python sets up .venv on its own, from a fresh clone.
#
#   make demo    set up, then run the demo (DEMO below)
#   make test    set up, then ruff + the whole pytest suite on 2 workers
#   make bench   set up (+ micrograd), then run every benchmarks/bench_*.py
#   make lint    ruff only
#   make clean   remove generated files (keeps .venv); `make distclean` removes .venv too
#
# Stamp files inside .venv record what has been installed, so a second `make test` installs nothing;
# editing pyproject.toml re-runs the install. Delete .venv to start over.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
EXTRAS := dev,plot,train
# Must match the `torch` extra in pyproject.toml: a CPU build of exactly this version installs from
# local disk on our machines; other versions download multi-GB CUDA builds.
TORCH  := torch==2.13.0
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
DOT    ?= dot

# The demo, as one command: the sigma example, then a CNN trained on the 8x8 digits (files in out/).
DEMO ?= $(VENV)/bin/chaingrad demo --out out

STAMP_INSTALL := $(VENV)/.stamp-install
STAMP_TORCH   := $(VENV)/.stamp-torch
STAMP_BENCH   := $(VENV)/.stamp-bench

.PHONY: demo test bench lint clean distclean setup check-dot

setup: $(STAMP_INSTALL) $(STAMP_TORCH) check-dot

demo: setup
	@mkdir -p out
	$(DEMO)

test: setup
	$(VENV)/bin/ruff check .
	@rc=0; $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: FAILED: pytest collected no tests (exit 5)" >&2; exit 1; fi; \
	exit $$rc

bench: setup $(STAMP_BENCH)
	@mkdir -p benchmarks/results
	@failed=""; for b in benchmarks/bench_*.py; do \
	  echo "== $$b"; $(PY) $$b || failed="$$failed $$b"; echo; \
	done; \
	if [ -n "$$failed" ]; then echo "make bench: FAILED:$$failed" >&2; exit 1; fi

lint: $(STAMP_INSTALL)
	$(VENV)/bin/ruff check .

# ---------------------------------------------------------------------------------------------- set-up
$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' not found; chaingrad needs Python >= 3.10 (e.g. apt-get install python3 python3-venv," \
	       "or run make PYTHON=/path/to/python3.x)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { \
	  echo "error: chaingrad needs Python >= 3.10, but '$(PYTHON)' is $$($(PYTHON) -V 2>&1);" \
	       "run make PYTHON=/path/to/python3.10-or-newer" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { \
	  echo "error: could not create $(VENV); on Debian/Ubuntu: apt-get install python3-venv" >&2; \
	  rm -rf $(VENV); exit 1; }

$(STAMP_INSTALL): pyproject.toml | $(PY)
	$(PIP) install -e '.[$(EXTRAS)]'
	@touch $@

# torch is optional: tests that compare against it skip themselves when it is missing.
$(STAMP_TORCH): | $(STAMP_INSTALL)
	@$(PIP) install '$(TORCH)' || { \
	  echo; echo "NOTE: could not install $(TORCH); the comparisons against torch will be skipped."; \
	  echo "      (to retry: rm $@ && make test)"; echo; }
	@touch $@

$(STAMP_BENCH): pyproject.toml | $(STAMP_INSTALL) $(STAMP_TORCH)
	$(PIP) install -e '.[bench]'
	@touch $@

# The Python package `graphviz` only writes DOT text; pictures need the `dot` program.
check-dot:
	@if ! command -v $(DOT) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "graphviz '$(DOT)' not found: installing it with apt-get"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends graphviz; \
	    command -v dot >/dev/null || { echo "error: apt-get installed graphviz but 'dot' is still not on PATH" >&2; exit 1; }; \
	  else \
	    echo "error: the graphviz program 'dot' is not installed (needed to render graphs)." >&2; \
	    echo "       install it, then re-run make:  sudo apt-get install graphviz  (Debian/Ubuntu)" >&2; \
	    echo "                                      brew install graphviz          (macOS)" >&2; \
	    exit 1; \
	  fi; \
	fi

# ---------------------------------------------------------------------------------------------- cleaning
clean:
	rm -rf out benchmarks/results build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
