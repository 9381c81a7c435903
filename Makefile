# Two commands do everything:  `make lab` opens the course, `make test` checks all of it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lab test test-unit test-notebooks notebooks bench

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Open the course in JupyterLab (loopback only; the URL with its token is printed below).
lab: install
	$(BIN)/jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks

## Run every test: the engine (pytest), then every notebook against its committed outputs (nbval).
test: test-unit test-notebooks

test-unit: install
	MPLBACKEND=Agg $(BIN)/python -m pytest tests

test-notebooks: install
	$(BIN)/python -m pytest --nbval notebooks

## Re-execute every notebook in place (after changing cnn_core or a notebook).
notebooks: install
	for nb in notebooks/*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb" || exit 1; \
	done

## Print the speed and memory table.
bench: install
	$(BIN)/python benchmarks/bench.py
