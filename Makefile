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

## Instructor tools (nbgrader) in the same venv, with its Lab and server extensions switched off
## so that `make lab` looks the same as a student's.
INSTRUCTOR := $(VENV)/.instructor
.PHONY: grade
$(INSTRUCTOR): requirements-instructor.txt $(STAMP)
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
