# FitJourney developer commands. Each target calls a script in scripts/.
#   make run                    run web + celery worker + beat (Ctrl-C stops)
#   make test ARGS="-k foo -x"  all quality gates, then pytest with ARGS
#   make screenshots            retake the README's screenshots (docs/screenshots/)

ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test lint stop clean screenshots

help:
	@echo "FitJourney developer commands:"
	@echo "  make run         start PostgreSQL, redis, web, celery worker and beat (Ctrl-C stops all)"
	@echo "  make test        ruff, migrations check, deploy check, then pytest (ARGS=... go to pytest)"
	@echo "  make lint        ruff check + ruff format --check"
	@echo "  make screenshots retake the README's screenshots from the demo (a browser test)"
	@echo "  make stop        stop a leftover dev PostgreSQL/redis (from .dev/)"
	@echo "  make clean       stop, then delete .dev/ (dev database) and .venv/"
	@echo "DATABASE_URL / REDIS_URL, when set, use those servers instead of local ones."

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh $(ARGS)

screenshots:
	@FITJOURNEY_SCREENSHOTS=1 bash scripts/test.sh tests/test_browser_demo_screenshots.py

lint:
	@bash scripts/devenv.sh lint

stop:
	@bash scripts/devenv.sh stop

clean:
	@bash scripts/devenv.sh clean
