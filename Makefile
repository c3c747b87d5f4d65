# Together We Heal: `make run` serves the site on SQLite with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_EVENTS ?= 240
PYTEST_ARGS ?=

.PHONY: setup run test serve lint messages screenshots clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_vendor/.installed: node_modules/.installed scripts/vendor_static.py
	$(PY) scripts/vendor_static.py
	touch $@

setup: $(VENV)/.installed static_vendor/.installed

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_areas --if-possible
	$(PY) manage.py seed_demo --events $(DEMO_EVENTS)
	$(PY) manage.py seed_summit
	$(PY) manage.py ensure_local_admin --port $(PORT)
	$(PY) scripts/serve.py dev --port $(PORT)  # runserver and the task worker; Ctrl-C stops both

test: setup
	bash scripts/ensure_chromium.sh
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Production-like: DEBUG off, WhiteNoise's compressed hashed static files, gunicorn with
# WEB_CONCURRENCY workers and TASK_WORKERS task workers, DATABASE_URL and REDIS_URL from the
# environment (an empty REDIS_URL starts a local Redis of serve's own, see scripts/serve.py).
# Plain HTTP on loopback unless DJANGO_SECURE_SSL_REDIRECT=true; a throwaway secret key unless set.
SERVE_ENV = DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-false} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}
serve: setup
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) scripts/serve.py prod --port $(PORT) --workers $${WEB_CONCURRENCY:-2}

lint: setup
	$(VENV)/bin/ruff check .

messages: setup
	$(PY) manage.py makemessages --all --ignore=.venv --ignore=node_modules --ignore=static_vendor --ignore=staticfiles --ignore=bench --ignore=tests
	$(PY) scripts/compile_messages.py

# Not part of CI: PNGs of every public page at 375 px and 1280 px into screenshots/ (gitignored);
# `make screenshots SCREENSHOTS_ARGS=--docs` also refreshes the two the README shows.
screenshots: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_areas --if-possible
	$(PY) manage.py seed_demo --events $(DEMO_EVENTS)
	$(PY) manage.py seed_summit
	$(PY) scripts/screenshots.py $(SCREENSHOTS_ARGS)

clean:
	rm -rf $(VENV) node_modules static_vendor staticfiles
