# Two commands for a newcomer: `make run` and `make test`. Everything else is for people who need it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint migrate demo worker beat lock mutation bench-import bench-refund clean

# Development installs requirements-dev.lock (the runtime lock + test and lint tools);
# the production image (Dockerfile) installs requirements.lock only.
$(STAMP): requirements.lock requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	@touch $(STAMP)

install: $(STAMP)

## The portal with demo data on the embedded default (SQLite, Celery in-process).
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "演示账号（密码均为 Demo@2026jl；审核人和管理员首次登录时绑定身份验证器）："
	@echo "  admin          管理员（吉林省，可进入后台）"
	@echo "  supervisor     审核人（长春市）"
	@echo "  supervisor_jl  审核人（吉林省，可审核省级演示批次）"
	@echo "  caseworker     经办人（长春市南关区）"
	@echo "  caseworker_jl  经办人（吉林市船营区）"
	@echo "  api_client     接口账号（吉林省）"
	@echo "  auditor        审计管理员（吉林省，只读访问日志和变更记录）"
	@echo "打开 http://$(HOST)/  ·  接口文档 http://$(HOST)/api/docs/"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST)

## Lint, then the whole suite. DATABASE_URL / CELERY_BROKER_URL switch to PostgreSQL / a real worker.
test: install lint
	$(BIN)/python -m pytest $(PYTEST_ARGS) || { rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no test (exit 5): PYTEST_ARGS selects nothing" >&2; fi; exit $$rc; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

migrate: install
	$(BIN)/python manage.py migrate --noinput

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=2

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO

## Re-resolve both locks after editing pyproject.toml: runtime first, then dev constrained to it
## (same versions in both). No index or path of this machine is written into them.
PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links
lock: install
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml

## Mutation test of the rule, scoping, import and review code (bench/mutation.py; see bench/README.md).
mutation: install
	$(BIN)/python bench/mutation.py $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
