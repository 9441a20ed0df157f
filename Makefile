# Two commands: `make review` (the monthly review on the demo shop) and `make test`.
# Each creates .venv with python3 -m venv on first use and installs the project into it.
# `make lessons` regenerates the learner notebooks from the lessons' Markdown sources;
# `make lab` opens JupyterLab, where the .md sources open as notebooks (jupytext).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MONTH  ?=
OUT    ?= reports
# JupyterLab's app-wide settings in the venv: Markdown files open with the Jupytext notebook
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: review test lessons lab bench clean-venv

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

review: $(STAMP)
	$(BIN)/playbook review $(if $(MONTH),--month $(MONTH)) --out $(OUT)

# ruff first (style and lint, config in pyproject.toml; quiet unless something is wrong), then
# both cores (pytest-xdist); worksteal keeps them busy to the end of the long notebook runs
test: $(STAMP)
	$(BIN)/ruff check --quiet . && $(BIN)/python -m pytest -n 2 --dist worksteal

lessons: $(STAMP)
	$(BIN)/python -m playbook_lib.lessons build

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	mkdir -p $(dir $(LAB_OVERRIDES))
	printf '%s\n' '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {' \
	  '  "markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}}}' > $(LAB_OVERRIDES)
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_generate.py

clean-venv:
	rm -rf $(VENV)
