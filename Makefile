# make run  : set everything up and serve the demo on http://127.0.0.1:8000
#             (PORT=8001 make run: another port; DEBUG=1 make run: Django's debug pages)
# make test : set everything up and run lint and the whole test suite
# make bench: measure the pages (see docs/benchmarks.md)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# WeasyPrint's libraries, a Times-metric font with every Vietnamese glyph, gettext for the
# translations, poppler for turning PDFs into text and pictures in tests.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 gettext poppler-utils
# The browser tests: Debian's chromium. The Nu HTML checker: Java (Debian's default-jre-headless
# when no java is on the machine) and the jar of the npm registry's vnu-jar package,
# var/vnu/vnu.jar, fetched by `make vnu` (part of `make test`); its tests skip, saying so, only
# when one of them could not be had.
TEST_PACKAGES := chromium $(if $(shell command -v java),,default-jre-headless)
VNU_VERSION := 26.9.27
VNU_JAR := var/vnu/vnu.jar
# Test processes run side by side (pytest-xdist), one per core by default; TEST_WORKERS=0 runs
# the suite in one process. Each test file runs whole on one process (--dist loadfile), so a
# demo a module seeds once (tests/conftest.py: demo_seeded) is seeded once.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run test bench system-deps test-system-deps venv messages migrate lint format clean vnu

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES) $(EXTRA_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test-system-deps:
	@$(MAKE) --no-print-directory system-deps EXTRA_PACKAGES="$(TEST_PACKAGES)"

$(VENV)/.installed: requirements.txt
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

# The Nu HTML checker for the tests of valid HTML (they are skipped, saying why, without it);
# it needs Java (default-jre-headless).
$(VNU_JAR):
	@mkdir -p $(dir $@)
	@if command -v npm >/dev/null 2>&1; then \
	  tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
	  tar xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar) && \
	  mv $$tmp/package/build/dist/vnu.jar $@ && rm -rf $$tmp || \
	  echo "vnu.jar could not be fetched: the HTML validity tests will be skipped."; \
	else echo "npm is not installed: the HTML validity tests will be skipped."; fi

vnu: $(VNU_JAR)

messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages -v0 --ignore=$(VENV)

migrate: venv messages
	$(PY) manage.py migrate -v0
	$(PY) manage.py seed_demo

run: system-deps migrate
	@bash scripts/run-dev.sh

test: test-system-deps $(VENV)/.installed-dev messages $(VNU_JAR)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	DJANGO_TESTING=1 $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: system-deps $(VENV)/.installed-dev messages
	$(PY) -m benchmarks $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var staticfiles
