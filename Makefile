# wushe — make run (serve the demo with its task worker; Ctrl-C stops both), make test (the suite on SQLite), make bench.
# Security: make security (bandit + pip-audit), make deploy-check (production settings, after
# collectstatic), make fuzz.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: run setup system assets test test-pg coverage-floor test-browser screenshots lint typecheck check security deploy-check fuzz bench messages clean
.PHONY: serve test-deploy load load-smoke

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

assets/vendor/.done: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p assets/vendor/bootstrap assets/vendor/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map assets/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map assets/vendor/bootstrap/
	cp node_modules/echarts/dist/echarts.min.js assets/vendor/echarts/
	touch $@

assets: assets/vendor/.done

# System packages: pango and harfbuzz-subset (WeasyPrint, core/pdf.py), the CJK fonts the PDFs
# embed (fonts-noto-cjk) and pdftotext (poppler-utils: the PDF tests read the text back), and a
# fontconfig alias file for the fonts the work report names.
# Installed only when one is missing; apt-get needs root (or sudo).
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils
# The fonts the work report .docx names (仿宋, 黑体, 小标宋 …, GB/T 9704) shown in Noto CJK on Linux.
FONTCONF_SOURCE := wushe/reports/fontconfig/64-wushe-official-fonts.conf
FONTCONF := /etc/fonts/conf.d/64-wushe-official-fonts.conf
system:
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  echo "installing:" $$missing; \
	  $$sudo apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing; \
	fi
	@if ! cmp -s $(FONTCONF_SOURCE) $(FONTCONF); then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  echo "installing $(FONTCONF)"; \
	  { $$sudo install -m 644 $(FONTCONF_SOURCE) $(FONTCONF) && fc-cache >/dev/null 2>&1; } || \
	    echo "not installed: $(FONTCONF) (the work report's fonts then show in Noto Sans CJK)"; \
	fi

setup: system $(STAMP) assets

run: setup
	$(PYTHON) manage.py migrate --no-input
	$(PYTHON) manage.py seed_demo --if-empty
	$(PYTHON) manage.py serve 127.0.0.1:8000

# The production stack here (deploy/serve.sh): gunicorn + WhiteNoise + db_worker on PostgreSQL,
# DJANGO_DEBUG=0; docs/deploy.md. Ctrl-C stops both.
serve: setup
	PYTHON=$(PYTHON) deploy/serve.sh

# A mixed working day against make serve's stack, measured (bench/load_run.py, locust; only
# 127.0.0.1): make load = 200 users for 10 minutes over the million-people benchmark database
# (targets: p95 < 300 ms for pages and API, 0 errors); make load-smoke = 10 users for 30 s over
# a fresh demo database (in .ci/run). docs/benchmarks.md has the figures.
load: setup
	$(PYTHON) -m bench.load_run full

load-smoke: setup
	$(PYTHON) -m bench.load_run smoke

# The production stack's own test (tests/deploy: make serve starts, answers, stops whole).
test-deploy: setup
	$(PYTHON) -m pytest -p no:xdist -p no:randomly --no-cov -m deploy tests/deploy $(PYTEST_ARGS)

# The browser tests run apart (make test-browser): one served app, one Chromium, one process.
# Random order (pytest-randomly; the seed is printed last: -p randomly --randomly-seed=N repeats it).
# The root conftest's scheduler keeps the demo tests on one worker, which seeds the demo streets once.
# Coverage of wushe/ is printed at the end (files fully covered left out); .ci/run holds a floor.
# make test leaves out the tests marked slow (the access matrix by role, the admin walk, the page
# fuzz, kill -9 mid-import: about two thirds of the suite's time); make test-slow runs them, and
# make test-pg runs everything. CI runs all three.
PYTEST_SUITE := -n 2 --durations=15
test: setup
	$(PYTHON) -m pytest $(PYTEST_SUITE) -m "not browser and not deploy and not slow" --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

test-slow: setup
	$(PYTHON) -m pytest $(PYTEST_SUITE) -m "slow" --no-cov $(PYTEST_ARGS)

# The whole suite, slow tests included, on PostgreSQL, without coverage (measured once, by make
# test: it costs two thirds more CPU time).
test-pg: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/wushe} $(PYTHON) -m pytest $(PYTEST_SUITE) -m "not browser and not deploy" --no-cov $(PYTEST_ARGS)

# After make test: the services and selectors keep at least this share of their lines covered
# (92.9% measured on 2026-12-06).
COVERAGE_FLOOR ?= 90
coverage-floor:
	$(BIN)/coverage report --include='wushe/*/services.py,wushe/*/services/*.py,wushe/*/selectors.py' --fail-under=$(COVERAGE_FLOOR)

# Real-browser tests (end-to-end, axe-core accessibility, keyboard) in Debian's Chromium against
# the app served with a fresh demo database (apt-get install chromium fonts-noto-cjk). In the
# order of the files: the tests share one served database, and a later walk records what an
# earlier home page counts.
test-browser: setup
	$(PYTHON) -m pytest -p no:xdist -p no:randomly -m browser tests/browser $(PYTEST_ARGS)

# docs/screenshots/*.png, shown in the README.
screenshots: setup
	$(PYTHON) -m tests.browser.screenshots

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Types: mypy with django-stubs over wushe/, the tests included; what is checked how is in
# pyproject.toml [tool.mypy] and docs/architecture.md ("Types"). Its cache (.mypy_cache/) stays
# out of git.
typecheck: setup
	$(BIN)/mypy

check: setup
	$(PYTHON) manage.py check
	$(PYTHON) manage.py makemigrations --check --dry-run

# No high-severity bandit finding in the code; no known-vulnerable package in the venv.
security: setup
	$(BIN)/bandit -r wushe --severity-level high --confidence-level low -q
	$(PYTHON) .ci/pip_audit.py

# `manage.py check --deploy` with production settings (DEBUG off, HTTPS on) and a throwaway key.
# Production collects the static files before the first request (README), so the check does too.
deploy-check: setup
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collect $(PYTHON) manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY="$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	$(PYTHON) manage.py check --deploy --fail-level WARNING

# The API fuzzer at length (CI runs it with 25 examples per operation inside `make test`).
FUZZ_EXAMPLES ?= 500
fuzz: setup
	WUSHE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) WUSHE_FUZZ_RANDOM=1 $(PYTHON) -m pytest -p no:xdist tests/test_api_fuzz.py

messages: setup
	cd wushe && ../$(PYTHON) ../manage.py makemessages -l en --no-obsolete --no-location && ../$(PYTHON) ../manage.py compilemessages -l en

bench: setup
	$(PYTHON) -m bench

clean:
	rm -rf $(VENV) node_modules assets staticfiles
