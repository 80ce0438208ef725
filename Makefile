# Every target bootstraps what it needs: a pinned uv in .tools/, the locked environment in .venv/.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
SPEC_URL ?= https://api.galileo.ai/public/v2/openapi.json
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
RUN := PYTHONPATH=openapi $(PY)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: bench demo prism-setup test-prism browser-setup docs setup spec spec-diff contract-live record generate check-generated check-full-spec template-diff test test-fast test-matrix test-lowest test-newest lint lint-workflows typecheck verifytypes check build dist-check clean

setup: $(VENV)/.synced

demo: setup ## the main job offline: fake Galileo on a loopback port, the CLI against it, then stop it
	$(PY) scripts/demo.py

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-extras --compile-bytecode --quiet
	touch $@

OPERATIONS ?= openapi/operations.yaml
SPEC_OUT ?= openapi/openapi.json
spec: setup ## download the live spec (or SPEC_URL=file/URL, JSON or YAML), keep the listed operations, rewrite openapi/openapi.json
	$(RUN) -m spec_pipeline.fetch --url "$(SPEC_URL)" --operations "$(OPERATIONS)" --out "$(SPEC_OUT)"

OLD ?= <(git show HEAD:openapi/openapi.json)
NEW ?= openapi/openapi.json
spec-diff: setup ## what changed between two specs and whom it breaks; fails on breaking changes: make spec-diff [OLD=… NEW=…] [MARKDOWN=1]
	$(PY) scripts/spec_diff.py $(if $(MARKDOWN),--markdown) $(OLD) $(NEW)

generate: setup ## normalize openapi/openapi.json and regenerate generated/galileo_insights_api
	$(RUN) -m spec_pipeline.generate

check-generated: setup ## fail if generated/ differs from what the spec, config and templates produce
	$(RUN) -m spec_pipeline.generate --check

FULL_SPEC_OUT ?= build/full-spec
check-full-spec: setup ## all 944 operations of the vendored full spec, generated in build/full-spec: mypy --strict, import, round trip
	$(RUN) -m spec_pipeline.full_spec --out "$(FULL_SPEC_OUT)"
	cd "$(FULL_SPEC_OUT)" && $(CURDIR)/$(VENV)/bin/mypy --config-file "$(CURDIR)/openapi/full-spec/mypy.ini" -p galileo_insights_api
	GALILEO_FULL_SPEC_PACKAGE="$(FULL_SPEC_OUT)/galileo_insights_api" GALILEO_ROUND_TRIP_EXAMPLES=2 \
	  $(PY) -m pytest tests/pipeline/test_round_trip.py -q -p no:randomly

template-diff: setup ## lines each template override changes against the installed generator's stock template; fails if a stock base moved
	$(RUN) -m spec_pipeline.stock_templates

# Two workers per core, at most 8: many tests wait on a loopback server or a child process, so one worker per core
# leaves the CPU idle (on 2 cores: 110 s with 2 workers, 81-85 s with 4).
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(min(8, 2 * (os.cpu_count() or 1)))')
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal
test: setup ## the whole suite, two workers per core (TEST_WORKERS=N to choose)
	$(PYTEST)

test-fast: setup ## the quick loop: the suite without the tests marked slow (CI and `make test` run those)
	$(PYTEST) -m "not slow"

test-matrix: setup ## the locked suite on each supported Python found (a missing one fails): [PYTHONS="3.12 3.13"]
	$(PY) scripts/matrix.py pythons $(PYTHONS)

test-lowest: setup ## the suite with every direct dependency at the floor pyproject.toml declares
	$(PY) scripts/matrix.py resolution lowest-direct

test-newest: setup ## the suite with the newest releases pyproject.toml allows (not the lock)
	$(PY) scripts/matrix.py resolution highest

contract-live: setup ## the live API through the wrapper, checked against the pinned spec; re-records redacted cassettes
	@for v in GALILEO_API_KEY GALILEO_PROJECT_ID GALILEO_LOG_STREAM_ID; do \
	  [ -n "$${!v}" ] || { echo "contract-live: skipped, $$v is not set (needs GALILEO_API_KEY, GALILEO_PROJECT_ID, GALILEO_LOG_STREAM_ID)"; exit 0; }; \
	done; GALILEO_LIVE_CONTRACT=1 $(PY) -m pytest tests/live -p no:randomly --record-mode=all -rs

record: contract-live ## alias: re-record the live cassettes

prism-setup: ## install the pinned Prism mock into tests/prism/node_modules (node >= 18.20)
	cd tests/prism && npm ci --no-audit --no-fund --loglevel=error

test-prism: setup prism-setup ## the generated client and the wrapper against Stoplight Prism (an independent mock)
	$(PY) -m pytest -m prism tests/prism

browser-setup: ## headless Chromium (Debian's package, as root) and the pinned playwright-core that drives it, for tests/browser
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error

docs: setup ## the documentation site in site/: guide pages from README.md, API reference from docstrings; strict
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet

bench: setup ## the benchmark table (parse, per-page, walks vs httpx and http.client loops, parallel walks vs ideal at 45k and 1M, tables, memory, start-up); about 10 minutes
	$(PY) benchmarks/run.py

lint: setup ## ruff, and the import-linter contracts in pyproject.toml (the core knows no endpoint)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: setup
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy tests scripts benchmarks

verifytypes: setup ## pyright's type completeness of what galileo_insights exports: fails below 100 %
	. $(VENV)/bin/activate && pyright --verifytypes galileo_insights --ignoreexternal

check: lint typecheck verifytypes check-generated test

build: setup
	rm -rf dist
	$(UV) build --quiet --out-dir dist

dist-check: build ## the wheel and sdist hold only what belongs, pass twine check, and work from a fresh venv (pip)
	$(PY) scripts/check_dist.py dist

lint-workflows: setup ## the GitHub workflow files against GitHub's schema, and zizmor's audits (offline)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/zizmor --offline --quiet .github/workflows

clean:
	rm -rf $(VENV) .venv-* .tools dist build .mypy_cache .ruff_cache .pytest_cache
