#!/usr/bin/env bash
# scripts/run.sh - run FitJourney locally: web server, celery worker and beat.
#
# Starts a private PostgreSQL and redis unless DATABASE_URL / REDIS_URL are
# set. Ctrl-C (or SIGTERM) stops everything it started. WEB_PORT picks the web
# port (default 8000; a free port is used when it is busy).
#
# Supervision: a web server, worker or beat that exits is started again after
# 1 s, 2 s, 4 s ... up to 30 s (back to 1 s once it had run a minute), and the
# log says so ("worker exited (status 137); restarting in 1 s"). PostgreSQL,
# redis and the other children keep running meanwhile. The children's pids are
# in .dev/run/{web,worker,beat}.pid, the URLs in use in .dev/run/stack.env.
set -euo pipefail
# shellcheck source=scripts/devenv.sh
source "$(dirname "${BASH_SOURCE[0]}")/devenv.sh"

# pick_web_port: WEB_PORT (default 8000), or a free port when that is busy.
pick_web_port() {
	local port="${WEB_PORT:-8000}"
	if ! port_is_free "$port"; then
		port=$(free_port)
		warn "port ${WEB_PORT:-8000} is busy; using $port instead"
	fi
	printf '%s\n' "$port"
}

# wait_for_web PORT: until the web server accepts connections (or dies).
wait_for_web() {
	local deadline=$((SECONDS + 120))
	until tcp_open 127.0.0.1 "$1"; do
		group_alive "${CHILD_PIDS[0]}" || die "the web server exited during startup"
		((SECONDS < deadline)) || die "the web server did not start listening on port $1"
		sleep 0.5
	done
}

# write_stack_env PORT: the URLs this run uses, for the drills and for tools.
write_stack_env() {
	mkdir -p "$RUN_DIR"
	(
		umask 077
		printf 'DATABASE_URL=%s\nREDIS_URL=%s\nWEB_URL=http://127.0.0.1:%s/\nRUN_PID=%s\n' \
			"$DATABASE_URL" "$REDIS_URL" "$1" "$$" >"$RUN_DIR/stack.env"
	)
}

main() {
	local port
	STOP_IS_SUCCESS=1 # Ctrl-C or SIGTERM is how a person stops it: exit 0 after the clean-up
	install_cleanup_trap
	cd "$REPO_ROOT"
	rm -f "$RUN_DIR"/*.pid "$RUN_DIR/stack.env" # left by a run that was killed
	find_python
	ensure_venv
	ensure_postgres
	ensure_redis
	export_django_env fitjourney.settings.local

	port=$(pick_web_port)
	# Links in e-mails and notifications name the address actually served.
	export DJANGO_SITE_DOMAIN="${DJANGO_SITE_DOMAIN:-127.0.0.1:$port}"

	run_fg python manage.py migrate --noinput
	run_fg python manage.py load_reference_data --demo

	# runserver answers each request in a new thread, so a persistent database
	# connection (CONN_MAX_AGE) is never reused and lingers until its thread is
	# collected: under load they pile up to PostgreSQL's max_connections ("too
	# many clients"). Django's advice for the development server: none.
	start_bg web env DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-0}" \
		python manage.py runserver "127.0.0.1:$port"
	start_bg worker celery -A fitjourney worker -l info --concurrency 2
	start_bg beat celery -A fitjourney beat -l info -s "$DEV_DIR/celerybeat-schedule"
	wait_for_web "$port"
	write_stack_env "$port"

	printf '\nFitJourney is running at http://127.0.0.1:%s/ (Ctrl-C to stop)\n' "$port"
	printf 'Logs: %s/{web,worker,beat,postgres,redis}.log\n\n' "$LOG_DIR"
	supervise_children
}

main "$@"
