#!/usr/bin/env bash
# scripts/test.sh - FitJourney quality gates, in order, stopping at the first
# failure: ruff lint + format check, missing migrations, deploy checks, mypy, pytest.
#
# Arguments are passed to pytest (make test ARGS="-k name -x"). Starts a
# private PostgreSQL and redis unless DATABASE_URL / REDIS_URL are set; they
# are stopped again however the script ends. Exits with the failing gate's
# status, else pytest's.
set -euo pipefail
# shellcheck source=scripts/devenv.sh
source "$(dirname "${BASH_SOURCE[0]}")/devenv.sh"

# gate NAME CMD...: run one quality gate; on failure say which and exit.
gate() {
	local name=$1 status=0
	shift
	say "Gate: $name"
	run_fg "$@" || status=$?
	if ((status != 0)); then
		printf '\nFAILED gate: %s (exit status %d)\n' "$name" "$status" >&2
		exit "$status"
	fi
}

# random_secret: a 64-character random secret key.
random_secret() {
	python -c 'import secrets; print(secrets.token_urlsafe(48))'
}

main() {
	local secret
	install_cleanup_trap
	cd "$REPO_ROOT"
	find_python
	ensure_venv
	ensure_postgres
	ensure_redis
	ensure_chromium
	export_django_env fitjourney.settings.test
	secret=$(random_secret)

	gate "ruff check" ruff check .
	gate "ruff format --check" ruff format --check .
	gate "makemigrations --check" python manage.py makemigrations --check --dry-run
	gate "check --deploy" env DJANGO_SETTINGS_MODULE=fitjourney.settings.production \
		DJANGO_SECRET_KEY="$secret" DJANGO_ALLOWED_HOSTS=fitjourney.example \
		python manage.py check --deploy --fail-level WARNING
	gate "mypy" mypy .
	gate "pytest" pytest "$@"
	say "All gates passed"
}

main "$@"
