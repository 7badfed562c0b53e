# One command per target. `make install` creates .venv and installs deriv with its test tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BENCH_VENV := .bench-venv

.PHONY: install test lint typecheck run bench fuzz clean

install:
	$(PYTHON) -m venv $(VENV) && $(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e ".[test]"

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck: install
	$(BIN)/python -m tests.typecheck

run: install
	$(BIN)/deriv "x^2" --at 2

# Speed is timed on deriv as a person installs it: `pip install .` in a venv of its own.
bench: install
	$(BIN)/pip install -q -e ".[test,bench]" && rm -rf $(BENCH_VENV) && $(PYTHON) -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q . && DERIV_BENCH_VENV=$(BENCH_VENV) $(BIN)/python bench/run.py

# The long run: every test (the slow ones too) with every Hypothesis example, and the
# command-line fuzzing with many more random inputs, a 5 s deadline for each.
fuzz: install
	DERIV_LONG=1 DERIV_FUZZ_EXAMPLES=3000 $(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .ruff_cache .hypothesis
