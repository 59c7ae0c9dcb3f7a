# The two commands: `make run` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=node_modules

.PHONY: run test serve bench bench-scaleout lint format messages compilemessages migrate seed clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# The lock files (requirements/*.txt, compiled by pip-compile with hashes) are what gets installed.
$(VENV)/.base: requirements/base.txt | $(PY)
	$(PY) -m pip install -q --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.test: requirements/test.txt | $(PY)
	$(PY) -m pip install -q --require-hashes -r requirements/test.txt
	touch $@ $(VENV)/.base

compilemessages: $(VENV)/.base
	$(MANAGE) compiletranslations -v 0

run: $(VENV)/.base compilemessages
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) seed_demo
	$(MANAGE) adoption_documents
	@echo "SafetyNet on http://127.0.0.1:$(PORT)/ — log in as coordinator / demo"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r safetynet actors coregroup plans
	$(MANAGE) audit_dependencies
	DJANGO_SETTINGS_MODULE=safetynet.settings.test $(MANAGE) makemigrations --check --dry-run -v 1
	$(MANAGE) compiletranslations -v 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Production server: gunicorn with the production settings (see README, "Running in production").
serve: $(VENV)/.base compilemessages
	DJANGO_SETTINGS_MODULE=safetynet.settings.production $(MANAGE) collectstatic --no-input -v 0
	DJANGO_SETTINGS_MODULE=safetynet.settings.production $(MANAGE) migrate --no-input
	DJANGO_SETTINGS_MODULE=safetynet.settings.production $(VENV)/bin/gunicorn safetynet.wsgi \
		--bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

# The benchmark (bench/README.md): PostgreSQL, scale data, gunicorn + wrk, each page beside its
# floor; results in bench/results/<date>.md and .json. BENCH_MUNICIPALITIES=50 by default.
bench: $(VENV)/.base compilemessages
	$(PY) bench/run.py

# Two application servers behind nginx (docs/deploy.md); after `make bench`.
bench-scaleout: $(VENV)/.base
	$(PY) bench/scaleout.py

# Refresh the translation catalogues after changing user-facing strings.
messages: $(VENV)/.base
	for lang in nl fr en; do $(MANAGE) makemessages -l $$lang $(I18N_IGNORE) --no-obsolete --add-location=file; done

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
