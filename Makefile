# Two commands do everything:  `make lab` opens the course, `make test` checks all of it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told to (containers, CI machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# The engine's matrix products are small; on a busy 2-core machine OpenBLAS's second thread
# only fights other processes for the CPU (measured: some products 10x slower, same numbers).
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: install browser-deps lab lint test test-unit test-notebooks test-browser notebooks bench student

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Open the course at the quickstart in JupyterLab (loopback only, token on: open the URL it prints).
lab: install
	$(BIN)/jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks $(ALLOW_ROOT) \
		--LabApp.default_url=/lab/tree/00_quickstart.ipynb

## Debian's Chromium for the browser test (Playwright drives it; it never downloads a browser).
browser-deps:
	@test -x /usr/bin/chromium || { \
		echo "installing Debian's chromium for the browser test"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

## Run every test: the engine (pytest), every notebook against its committed outputs (nbval),
## then the widgets in a real JupyterLab in headless Chromium.
test: lint test-unit test-notebooks test-browser

## Lint every Python file with the pinned ruff (rules in pyproject.toml [tool.ruff]).
lint: install
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/ruff check .

test-unit: install
	MPLBACKEND=Agg $(BIN)/python -m pytest tests --ignore=tests/browser

test-notebooks: install
	$(BIN)/python -m pytest --nbval notebooks

test-browser: install browser-deps
	$(BIN)/python -m pytest tests/browser

## Re-execute every notebook in place (after changing cnn_core or a notebook).
notebooks: install
	for nb in notebooks/*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb" || exit 1; \
	done

## Write the student edition (solutions replaced by stubs, outputs cleared) to build/student/.
student: install
	$(BIN)/python scripts/make_student_edition.py --out build/student

## Print the speed and memory table.
bench: install
	$(BIN)/python benchmarks/bench.py
