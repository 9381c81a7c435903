# Two commands do everything:  `make lab` opens the course, `make test` checks all of it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# JupyterLab refuses to run as root unless told to (containers, CI machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# The engine's matrix products are small; on a busy 2-core machine OpenBLAS's second thread
# only fights other processes for the CPU (measured: some products 10x slower, same numbers).
export OPENBLAS_NUM_THREADS ?= 1

# The oldest Python the pinned lock installs on (numpy 2.4 needs 3.11; soupsieve 3.11.5).
MIN_PYTHON := 3.11.5
PY_VERSION := $(shell $(PYTHON) -c "import platform; print(platform.python_version())" 2>/dev/null)
# "<version>-<hash of its home>" of $(PYTHON), e.g. 3.12.1-5f0c2a1b; empty if it does not run.
PY_ID := $(shell $(PYTHON) -c "import hashlib, platform, sys; print(platform.python_version() + '-' + hashlib.md5(sys.base_prefix.encode()).hexdigest()[:8])" 2>/dev/null)
PY_OK := $(shell $(PYTHON) -c "import sys; print(int(sys.version_info >= tuple(map(int, '$(MIN_PYTHON)'.split('.')))))" 2>/dev/null)
# One stamp per Python: a .venv made by another Python has no such stamp and is rebuilt.
PY_STAMP := $(VENV)/.made-by-python-$(PY_ID)
RUNTIME  := $(VENV)/.runtime-installed
DEV      := $(VENV)/.dev-installed

# The Chromium the browser test drives: CNN_CORE_CHROMIUM if set, else the first of these on
# PATH (tests/browser/conftest.py looks it up the same way).
CHROMIUM_NAMES := chromium chromium-browser google-chrome google-chrome-stable
CHROMIUM_FOUND = $(or $(CNN_CORE_CHROMIUM),$(firstword $(foreach b,$(CHROMIUM_NAMES),$(shell command -v $(b) 2>/dev/null))))

# Refresh the locks with:  make lock   (uv pinned here; it runs from the .venv)
UV_VERSION := 0.13.8
LOCK_FLAGS := --universal --python-version $(MIN_PYTHON) --custom-compile-command "make lock" --quiet

.PHONY: install install-dev lock browser-deps lab lint test test-unit test-notebooks test-browser \
	notebooks class-links bench student

$(PY_STAMP):
	@test "$(PY_OK)" = 1 || { echo "make: '$(PYTHON)' is $(if $(PY_VERSION),Python $(PY_VERSION),not a working Python); the course needs Python >= $(MIN_PYTHON) (3.11 to 3.13 checked): run e.g. make $(or $(MAKECMDGOALS),lab) PYTHON=python3.12"; exit 1; }
	@if [ -d $(VENV) ]; then echo "$(VENV) was made by another Python: rebuilding it with $(PYTHON) ($(PY_ID))"; rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

## What a student needs: the runtime lock and the course package (editable).
$(RUNTIME): $(PY_STAMP) requirements.txt pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

## What `make test` adds: pytest, nbval, playwright, hypothesis, ruff, setuptools.
$(DEV): $(RUNTIME) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(RUNTIME)
install-dev: $(DEV)

## Re-pin every package (runtime and test tools) from requirements*.in, keeping current pins
## where they still fit; add --upgrade to the uv lines to move to the newest versions.
lock: $(RUNTIME)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/python -m uv pip compile requirements.in $(LOCK_FLAGS) -o requirements.txt
	$(BIN)/python -m uv pip compile requirements-dev.in $(LOCK_FLAGS) -o requirements-dev.txt

## Open the course at the quickstart in JupyterLab (loopback only, token on: open the URL it prints).
lab: install
	$(BIN)/jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks $(ALLOW_ROOT) \
		--LabApp.default_url=/lab/tree/00_quickstart.ipynb

## Chromium for the browser test, only when none is found: Debian's package, through apt-get,
## and only as root. Otherwise one line says how to enable the test (it is skipped; under
## CI=true it fails). Name another Chromium with CNN_CORE_CHROMIUM=/path/to/chromium.
browser-deps:
	@if [ -n "$(CHROMIUM_FOUND)" ]; then echo "browser test uses $(CHROMIUM_FOUND)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser test (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "no Chromium found and not root with apt-get: install chromium or set CNN_CORE_CHROMIUM=/path/to/chromium"; fi

## Run every test: the engine and the wheel (pytest), every notebook against its committed
## outputs (nbval) and again with training nudged by 1 ulp, then the widgets in a real
## JupyterLab in headless Chromium.
test: lint test-unit test-notebooks test-browser

## Lint every Python file with the pinned ruff (rules in pyproject.toml [tool.ruff]).
lint: install-dev
	$(BIN)/ruff check .

test-unit: install-dev
	MPLBACKEND=Agg $(BIN)/python -m pytest tests --ignore=tests/browser --ignore=tests/notebooks

test-notebooks: install-dev
	$(BIN)/python -m pytest --nbval notebooks
	$(BIN)/python -m pytest tests/notebooks

test-browser: install-dev browser-deps
	$(BIN)/python -m pytest tests/browser

## Re-execute every notebook in place (after changing cnn_core or a notebook), then drop what
## changes on every run but is not output (timings, widget ids): see scripts/normalize_notebooks.py.
notebooks: install
	for nb in notebooks/*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb" || exit 1; \
		$(BIN)/python scripts/normalize_notebooks.py "$$nb" || exit 1; \
	done

## Print the Binder, Colab and nbgitpuller links (HUB=https://your-hub for the last) and the
## Colab install cell, from the repository URL in pyproject.toml.
class-links:
	@$(or $(wildcard $(BIN)/python),$(PYTHON)) scripts/class_links.py $(if $(HUB),--hub $(HUB))

## Instructor tools (nbgrader) in the same venv, with its Lab and server extensions switched off
## so that `make lab` looks the same as a student's.
INSTRUCTOR := $(VENV)/.instructor
.PHONY: grade
$(INSTRUCTOR): requirements-instructor.txt $(RUNTIME)
	$(BIN)/python -m pip install --quiet -r requirements-instructor.txt
	for e in formgrader assignment_list course_list validate_assignment; do \
		$(BIN)/jupyter server extension disable --sys-prefix nbgrader.server_extensions.$$e >/dev/null || exit 1; done
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader >/dev/null
	touch $(INSTRUCTOR)
test-unit: $(INSTRUCTOR)

## Write the student edition through nbgrader to build/student/ (solutions cut to stubs, hidden
## tests removed, checks locked); the answer key is the committed notebooks themselves.
student: install $(INSTRUCTOR)
	$(BIN)/python scripts/make_student_edition.py --out build/student

## Autograde SUBMISSIONS=<folder> (one sub-folder of notebooks per student), offline:
## build/grades/grades.csv (score per student and exercise) and build/grades/feedback/.
grade: install $(INSTRUCTOR)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=<folder>/<student>/NN_*.ipynb"; exit 2; }
	$(BIN)/python scripts/grade_submissions.py "$(SUBMISSIONS)" --out build/grades

## Print the speed and memory table (with a PyTorch comparison when torch is importable:
## see benchmarks/torch_twin.py; e.g. `make bench BENCH_PYTHON=/work/venv-perf/bin/python`).
BENCH_PYTHON ?= $(BIN)/python
bench: install
	PYTHONPATH=$(CURDIR) $(BENCH_PYTHON) benchmarks/bench.py
