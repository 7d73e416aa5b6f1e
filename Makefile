# The README's commands. Each installs what it needs first, so a fresh clone with Python 3.11+ and git is enough.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test bench lint format clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

install: $(UV)
	$(UV) sync --frozen --python $(PYTHON)

## make run: install, migrate, load demo data and serve on http://127.0.0.1:8000 (SQLite, offline gateway)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: install and run the whole suite (PostgreSQL/Redis/chromium when present; see scripts/test.sh)
test: install
	PYTHON=$(PY) bash scripts/test.sh $(ARGS)

## make bench: the benchmarks under bench/ (they print ratios)
bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles test-artifacts .pytest_cache
