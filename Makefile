# Together We Heal: `make run` serves the site on SQLite with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_EVENTS ?= 240
PYTEST_ARGS ?=

.PHONY: setup run test serve lock upgrade lint messages screenshots clean

# Python packages come only from the hashed lock files (requirements/, made by `make lock`).
LOCK := requirements/lock.txt
DEV_LOCK := requirements/dev.txt
PIP_COMPILE = $(VENV)/bin/pip-compile

$(VENV)/.installed: $(LOCK) $(DEV_LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "Python 3.11 or newer is needed as $(PYTHON) (see .python-version); set PYTHON=python3.11 if it has another name." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -c 'import ensurepip' 2>/dev/null || { echo "Python's venv support is missing: on Debian or Ubuntu run  sudo apt-get install python3-venv" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(DEV_LOCK)
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing (it installs the front-end libraries): on Debian or Ubuntu run  sudo apt-get install nodejs npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_vendor/.installed: node_modules/.installed scripts/vendor_static.py
	$(PY) scripts/vendor_static.py
	touch $@

setup: $(VENV)/.installed static_vendor/.installed

# Links in emails point at the port being served; a development secret key kept in a
# gitignored file keeps staff signed in across restarts.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: .dev-secret-key
.dev-secret-key:
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_areas --if-possible
	$(PY) manage.py load_population --if-possible
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
	$(SERVE_ENV) $(PY) manage.py keep_map_features
	$(SERVE_ENV) $(PY) scripts/serve.py prod --port $(PORT) --workers $${WEB_CONCURRENCY:-2}

# Re-resolve the locks after editing pyproject.toml's dependencies (keeps the other pins);
# `make upgrade` moves every pin to the newest release pyproject.toml allows.
lock: setup
	$(PIP_COMPILE) $(LOCK_ARGS) -o $(LOCK) pyproject.toml
	$(PIP_COMPILE) $(LOCK_ARGS) --extra dev -c $(LOCK) -o $(DEV_LOCK) pyproject.toml

upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade

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
	$(PY) manage.py load_population --if-possible
	$(PY) manage.py seed_demo --events $(DEMO_EVENTS)
	$(PY) manage.py seed_summit
	$(PY) scripts/screenshots.py $(SCREENSHOTS_ARGS)

clean:
	rm -rf $(VENV) node_modules static_vendor staticfiles
