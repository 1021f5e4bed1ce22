# Trygg. `make run` serves the demo; `make test` runs the whole suite (SQLite, then PostgreSQL).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export TRYGG_VAR_DIR ?= $(CURDIR)/var
PYTEST_ARGS ?=

.PHONY: install run serve demo test test-sqlite test-postgres lint format messages bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev,bench]"
	touch $@

install: $(VENV)/.installed

demo: install
	@mkdir -p $(TRYGG_VAR_DIR)
	$(PY) -m trygg migrate --noinput -v0
	$(PY) -m trygg load_demo

# The demo runs without DEBUG so that it shows the product's own error pages, not Django's
# technical ones; --insecure lets runserver serve the static files all the same.
run: demo
	@echo ""
	@echo "Trygg körs på http://localhost:8000"
	@echo "Demoinloggningar (lösenord: trygg-demo-2026):"
	@echo "  samordnare   säkerhetsstrateg, Nacka kommun"
	@echo "  admin        administratör, Nacka kommun"
	@echo "  arbetsgrupp  arbetsgruppen Trygg och säker, Älta"
	@echo "  polis        kommunpolis, LPO Nacka (partner)"
	@echo "  rapportor    trygghetsvärd (händelserapporter)"
	@echo "  sspf         SSPF-samordnare"
	@echo "  utomstaende  säkerhetsstrateg, Värmdö kommun"
	@$(PY) -m trygg demo_totp
	@echo ""
	$(PY) -m trygg db_worker --queue-name default >$(TRYGG_VAR_DIR)/worker.log 2>&1 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  TRYGG_DEBUG=0 $(PY) -m trygg runserver --insecure 0.0.0.0:8000

# The production server locally: gunicorn with preloaded, warm workers and static files from
# WhiteNoise (deploy/gunicorn.conf.py), plus the task worker. PORT=8000 TRYGG_WORKERS=3.
PORT ?= 8000
serve: demo
	$(PY) -m trygg collectstatic --noinput -v0
	$(PY) -m trygg db_worker --queue-name default >$(TRYGG_VAR_DIR)/worker.log 2>&1 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  TRYGG_DEBUG=0 TRYGG_BIND=0.0.0.0:$(PORT) $(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py

test: install test-sqlite test-postgres

test-sqlite:
	@echo "== Test suite on SQLite =="
	TRYGG_ENV=test $(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-postgres:
	@echo "== Test suite on PostgreSQL =="
	TRYGG_ENV=test scripts/test-postgres $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	cd src/trygg && ../../$(PY) -P -m trygg makemessages -l sv --no-location --no-obsolete
	cd src/trygg && ../../$(PY) -P -m trygg compilemessages

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
