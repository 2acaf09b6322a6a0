# Two commands (see README):
#   make demo   set everything up and produce the demo wave's report
#   make test   set everything up and run the test suite
#
# `setup` is idempotent: system packages are installed only when missing, the
# virtual environment only when pyproject.toml or requirements.lock changed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
CORES  ?= all
# System libraries WeasyPrint needs, pinned where they shape the PDF's bytes; headless
# Chromium and its driver for the preview's browser test (tests/test_preview.py).
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0=6.0.0+dfsg-3 \
                fonts-dejavu-core fonts-liberation2 poppler-utils \
                chromium chromium-driver

.PHONY: setup system-packages demo run test test-fast bench preview clean-results

setup: system-packages $(VENV)/.installed

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do name=$${p%%=*}; \
	  dpkg -s $$name >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	touch $@

demo: setup run

# the workflow itself (setup done): first clear the lock an interrupted run left behind
run:
	$(BIN)/python -m aibarometer.recover
	$(BIN)/snakemake --cores $(CORES)

test: setup
	$(BIN)/python -m pytest

# the quick loop while editing: every test but those marked slow (workflow runs, browser, R, SLURM)
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

bench: setup
	$(BIN)/python bench/run.py

# live preview of a wave's report while editing the templates (README: Writing the report)
WAVE ?= 2021-demo
PORT ?= 8000
preview: setup
	$(BIN)/python -m aibarometer.preview --wave $(WAVE) --port $(PORT)

clean-results:
	rm -rf results .snakemake
