# Two commands: `make review` (the monthly review on the demo shop) and `make test`.
# Each creates .venv with python3 -m venv on first use and installs the project into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MONTH  ?=
OUT    ?= reports

.PHONY: review test lab bench clean-venv

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

review: $(STAMP)
	$(BIN)/playbook review $(if $(MONTH),--month $(MONTH)) --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_generate.py

clean-venv:
	rm -rf $(VENV)
