# Fileshare: one way in. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
CHECKOV_VENV := .venv-checkov
PORT ?= 8000
FRONTEND := frontend
NPM := npm --prefix $(FRONTEND)
# Everything the web app's build reads (sources, entry pages, configs), not what it writes.
FRONTEND_SOURCES := $(shell find $(FRONTEND) -path $(FRONTEND)/node_modules -prune -o -path $(FRONTEND)/dist -prune \
	-o -type f -print 2>/dev/null) schemas/api/openapi.yaml
CHROMIUM := /usr/bin/chromium
# A samconfig.toml environment: its stack name and region (make deploy, deploy-frontend, destroy).
STAGE ?= dev
export SAM_CLI_TELEMETRY := 0
export AWS_DEFAULT_REGION ?= us-east-1

.PHONY: help install frontend browser run test unit workflow integration e2e screenshots lint format build validate deploy \
	deploy-frontend destroy docs bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements-dev.txt $(wildcard functions/layers/*/requirements.txt) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(SAM_VENV)/.installed: requirements-sam.txt
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/pip install --quiet -r requirements-sam.txt
	touch $@

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet -r requirements-checkov.txt
	touch $@

# Rebuilt whenever a source changed; `make run` and the browser tests serve frontend/dist.
$(FRONTEND)/dist/index.html: $(FRONTEND)/node_modules/.installed $(FRONTEND_SOURCES)
	$(NPM) run build
	touch $@

install: $(VENV)/.installed $(FRONTEND)/node_modules/.installed ## create the virtualenv and node_modules with pinned dependencies

frontend: $(FRONTEND)/dist/index.html ## build the web app (only when its sources changed)

browser: ## Debian's chromium for the browser tests (installed with apt-get when missing and run as root)
	@if [ ! -x $(CHROMIUM) ]; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "make browser: install Debian's chromium (sudo apt-get install chromium) for the browser tests"; exit 1; fi; \
	fi

run: $(VENV)/.installed frontend ## start the whole system on 127.0.0.1:$(PORT) (Ctrl-C stops it)
	$(BIN)/fileshare local --port $(PORT)

test: lint build frontend browser ## everything CI runs: static checks, sam build, front-end unit tests, then unit, workflow, integration and browser tests
	$(NPM) test
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest tests/e2e

unit: $(VENV)/.installed ## unit tests only (no local stack)
	$(BIN)/python -m pytest tests/unit

workflow: $(VENV)/.installed ## the workflow tests (real ASL on moto, real handlers)
	$(BIN)/python -m pytest tests/workflow

integration: $(VENV)/.installed frontend ## the local stack over HTTP
	$(BIN)/python -m pytest tests/integration

e2e: $(VENV)/.installed frontend browser ## the web app in a real browser (Debian's chromium) against a local stack
	$(BIN)/python -m pytest tests/e2e

screenshots: $(VENV)/.installed frontend browser ## run the browser tests and refresh the README's screenshots in docs/screenshots
	FILESHARE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/e2e

lint: $(VENV)/.installed $(FRONTEND)/node_modules/.installed $(CHECKOV_VENV)/.installed validate ## ruff, mypy, cfn-lint (+ serverless rules), checkov, sam validate --lint, actionlint, front-end types and lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/cfn-lint --append-rules cfn_lint_serverless.rules -- template.yaml
	$(BIN)/cfn-lint -- delivery/bootstrap.yaml
	$(BIN)/actionlint
	@# Every check not passed is skipped in its resource's Metadata with a reason (a template test
	@# checks the reasons); --skip-download: offline, no Prisma Cloud look-ups.
	$(CHECKOV_VENV)/bin/checkov --framework cloudformation --file template.yaml --skip-download --compact --quiet
	$(NPM) run lint

validate: $(SAM_VENV)/.installed ## sam validate --lint
	$(SAM) validate --lint --template template.yaml

format: $(VENV)/.installed ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After sam build, every module is compiled for the Lambda runtime's Python: Lambda cannot write
# bytecode into a deployed package, so without it each cold start compiles boto3, Powertools and
# our code again. Hash-based and unchecked, since sam zips every file dated 1980 (docs/decisions.md).
build: $(VENV)/.installed $(SAM_VENV)/.installed ## sam build for python3.13/arm64, with bytecode (needs python3.13; skipped with a reason otherwise)
	@if PYENV_VERSION=3.13.0 python3.13 --version >/dev/null 2>&1; then \
		LAMBDA_PYTHON="$$(PYENV_VERSION=3.13.0 pyenv which python3.13 2>/dev/null || command -v python3.13)"; \
		PATH="$$(dirname $$LAMBDA_PYTHON):$$PATH" $(SAM) build --template template.yaml \
		&& $$LAMBDA_PYTHON -m compileall -q -j 0 --invalidation-mode unchecked-hash .aws-sam/build \
		&& $(BIN)/python -m delivery.build_report .aws-sam/build; \
	else echo "make build: skipped, python3.13 is not installed (sam build needs the Lambda runtime's Python)"; fi

deploy: $(VENV)/.installed build ## sam deploy the back end into STAGE (dev or prod, samconfig.toml)
	$(SAM) deploy --config-env $(STAGE) --no-fail-on-empty-changeset $(DEPLOY_FLAGS)

deploy-frontend: $(VENV)/.installed frontend ## build the web app, write config.json from STAGE's outputs, upload it, invalidate what changed
	$(BIN)/python -m delivery.frontend --stage $(STAGE)

destroy: $(VENV)/.installed $(SAM_VENV)/.installed ## delete STAGE's stack (the app bucket is emptied first); lists the retained user data
	$(BIN)/python -m delivery.teardown --stage $(STAGE) --sam $(SAM)

docs: $(VENV)/.installed ## regenerate docs/api.md from schemas/api/openapi.yaml
	$(BIN)/python -m delivery.api_doc > docs/api.md

bench: $(VENV)/.installed ## performance figures (docs/performance.md) into bench/results; QUICK=1: small sizes, under 2 minutes
	$(BIN)/python -m benchmarks $(if $(QUICK),--quick)

clean: ## remove build output and caches (keeps the virtualenvs and node_modules)
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache $(FRONTEND)/dist
