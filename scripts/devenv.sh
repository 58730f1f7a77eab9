#!/usr/bin/env bash
# scripts/devenv.sh - shared helpers for the FitJourney developer scripts.
#
# Sourced by scripts/run.sh and scripts/test.sh. Can also be run directly:
#     bash scripts/devenv.sh lint|stop|clean
#     bash scripts/devenv.sh postgres-stop|postgres-start|redis-stop|redis-start
# The last four stop one private server, or start it again on the port it had
# (what the drills in scripts/drills/ do to a running `make run`).
#
# Services: when DATABASE_URL / REDIS_URL are set they point at existing
# servers and nothing local is started for that service. Otherwise a private
# PostgreSQL cluster (.dev/postgres) and redis (.dev/redis, append-only file on)
# are started on free 127.0.0.1 ports, and `cleanup` stops whatever this
# invocation started. FITJOURNEY_DEV_DIR moves .dev elsewhere (the drills in
# scripts/drills/ use their own, so they never stop the servers `make test` uses).
#
# Written to work under `set -euo pipefail`. Needs bash >= 5.0 (EPOCHREALTIME).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DEV_DIR="$(realpath -m "${FITJOURNEY_DEV_DIR:-$REPO_ROOT/.dev}")"
LOG_DIR="$DEV_DIR/log"
RUN_DIR="$DEV_DIR/run" # run.sh: a pid file per child, stack.env (the URLs in use)
VENV_DIR="$REPO_ROOT/.venv"
REDIS_DIR="$DEV_DIR/redis"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"
REDIS_PORT_FILE="$REDIS_DIR/port"
UV_VERSION="0.13.9"
PG_DB_NAME="fitjourney"
STOP_TIMEOUT="${STOP_TIMEOUT:-15}" # seconds a child gets to stop before SIGKILL

# Supervised children (run.sh): a child that exits is started again after a
# delay that doubles from RESTART_MIN_S up to RESTART_MAX_S seconds, and goes
# back to RESTART_MIN_S once the child had been running RESTART_RESET_S seconds.
RESTART_MIN_S="${RESTART_MIN_S:-1}"
RESTART_MAX_S="${RESTART_MAX_S:-30}"
RESTART_RESET_S="${RESTART_RESET_S:-60}"

# What this invocation started (undone by cleanup).
CHILD_PIDS=()  # background children; each leads its own process group ("" while waiting to restart)
CHILD_NAMES=()
CHILD_CMDS=()    # each child's command, quoted with printf %q (to start it again)
CHILD_STARTED=() # when each child was last started (ms, now_ms)
CHILD_DELAY=()   # the delay before its next restart (s)
CHILD_DUE=()     # when a child that exited is started again (ms)
FG_PID=""     # the run_fg command in progress
STARTED_POSTGRES=0
STARTED_REDIS=0
CLEANED_UP=0
STOP_REQUESTED=0  # set by the INT/TERM/HUP traps
STOP_IS_SUCCESS=0 # run.sh: a requested stop exits 0
APT_UPDATED=0

# ---------------------------------------------------------------- messages ---

say() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
	printf 'ERROR: %s\n' "$*" >&2
	exit 1
}
is_root() { [[ $(id -u) -eq 0 ]]; }

# apt_install PKG...: install Debian packages (root only).
apt_install() {
	is_root && command -v apt-get >/dev/null || return 1
	say "Installing $* with apt-get"
	if ((!APT_UPDATED)); then
		apt-get update -qq || return 1
		APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# --------------------------------------------------------- processes/ports ---

# pid_alive PID: true if PID exists and is not a zombie.
pid_alive() {
	kill -0 "$1" 2>/dev/null && [[ $(ps -o stat= -p "$1" 2>/dev/null) != Z* ]]
}

# group_alive PGID: true if any non-zombie process is in process group PGID.
group_alive() {
	ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'
}

# wait_while SECONDS CMD...: poll until CMD fails; false if it still succeeds
# after SECONDS.
wait_while() {
	local deadline=$((SECONDS + $1))
	shift
	while "$@"; do
		((SECONDS < deadline)) || return 1
		sleep 0.2
	done
}

# now_ms VAR: set VAR to the current time in milliseconds (no fork).
now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	printf -v "$1" '%d' $((10#$t / 1000))
}

# stop_group PGID: SIGTERM process group PGID, SIGKILL after STOP_TIMEOUT.
stop_group() {
	kill -TERM -- "-$1" 2>/dev/null || return 0
	if ! wait_while "$STOP_TIMEOUT" group_alive "$1"; then
		warn "process group $1 did not stop in ${STOP_TIMEOUT}s; killing it"
		kill -KILL -- "-$1" 2>/dev/null || true
	fi
}

# free_port: print a currently free TCP port on 127.0.0.1.
free_port() {
	"${PYTHON:-python3}" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# port_is_free PORT: true if a server could bind 127.0.0.1:PORT now.
port_is_free() {
	"${PYTHON:-python3}" -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}

# tcp_open HOST PORT: true if something accepts connections there.
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# ------------------------------------------------------------------ python ---

# python_ok EXE: true if EXE runs and is Python >= 3.12.
python_ok() {
	"$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

python_candidates() {
	printf '%s\n' python3.13 python3.12 python3.14 python3
	printf '%s\n' "${PYENV_ROOT:-${HOME:-}/.pyenv}"/versions/3.1[2-9]*/bin/python | sort -rV
}

# find_python: set and export PYTHON (absolute path) to a Python >= 3.12.
find_python() {
	local cand
	if [[ -n ${PYTHON:-} ]]; then
		python_ok "$PYTHON" || die "PYTHON=$PYTHON is not a working Python 3.12 or newer"
	else
		while IFS= read -r cand; do
			if python_ok "$cand"; then
				PYTHON=$cand
				break
			fi
		done < <(python_candidates)
		[[ -n ${PYTHON:-} ]] ||
			die "FitJourney needs Python 3.12 or newer; install it or set PYTHON=/path/to/python"
	fi
	PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)')
	export PYTHON
	say "Using $("$PYTHON" --version 2>&1) ($PYTHON)"
}

# ensure_venv: .venv with requirements.txt installed (skipped when unchanged).
ensure_venv() {
	local req="$REPO_ROOT/requirements.txt" stamp="$VENV_DIR/.requirements.sha256" sum
	[[ -n ${PYTHON:-} ]] || find_python
	[[ -f $req ]] || die "requirements.txt not found in $REPO_ROOT"
	if ! python_ok "$VENV_DIR/bin/python"; then
		say "Creating virtualenv .venv"
		rm -rf "$VENV_DIR"
		"$PYTHON" -m venv "$VENV_DIR" || die "could not create .venv with $PYTHON"
	fi
	sum=$(sha256sum "$req" | cut -d' ' -f1)
	if [[ -f $stamp && $(<"$stamp") == "$sum" ]]; then
		return 0
	fi
	if [[ ! -x $VENV_DIR/bin/uv ]]; then
		say "Bootstrapping uv $UV_VERSION into .venv"
		"$VENV_DIR/bin/python" -m pip install -q "uv==$UV_VERSION" || die "could not install uv"
	fi
	say "Installing requirements.txt into .venv"
	"$VENV_DIR/bin/uv" pip install --python "$VENV_DIR/bin/python" -r "$req" ||
		die "installing requirements.txt failed"
	printf '%s\n' "$sum" >"$stamp"
}

# export_django_env SETTINGS: Django settings default, .venv/bin first on PATH.
export_django_env() {
	export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-$1}"
	export VIRTUAL_ENV="$VENV_DIR"
	export PATH="$VENV_DIR/bin:$PATH"
	export PYTHONUNBUFFERED=1
}

# -------------------------------------------------------------- postgresql ---

pg_bindir_candidates() {
	if command -v pg_config >/dev/null; then pg_config --bindir; fi
	echo /usr/lib/postgresql/15/bin
	if command -v pg_ctl >/dev/null; then dirname "$(command -v pg_ctl)"; fi
}

# find_pg_bindir: set PG_BIN to a directory with the server binaries.
find_pg_bindir() {
	local dir
	while IFS= read -r dir; do
		if [[ -x $dir/pg_ctl && -x $dir/initdb && -x $dir/postgres ]]; then
			PG_BIN=$dir
			return 0
		fi
	done < <(pg_bindir_candidates)
	return 1
}

ensure_pg_binaries() {
	find_pg_bindir && return 0
	is_root || die "PostgreSQL server binaries (pg_ctl, initdb) not found. Install" \
		"PostgreSQL (Debian: apt-get install postgresql-15) or set DATABASE_URL."
	apt_install postgresql-15 || die "apt-get install postgresql-15 failed"
	find_pg_bindir || die "PostgreSQL server binaries still not found after installing postgresql-15"
}

# as_pg CMD...: run CMD as the cluster owner (the postgres user when root).
as_pg() {
	if is_root; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_fallback_dir: cluster location for when the postgres user cannot reach
# the repo (a parent directory is not world-traversable, e.g. under /root).
pg_fallback_dir() {
	local key=$REPO_ROOT
	[[ $DEV_DIR == "$REPO_ROOT/.dev" ]] || key=$DEV_DIR
	printf '/tmp/fitjourney-dev-%s' "$(printf '%s' "$key" | sha256sum | cut -c1-12)"
}

# pg_set_paths: set PG_DIR (socket dir, port file), PG_DATA.
pg_set_paths() {
	local reach=$DEV_DIR
	PG_DIR="$DEV_DIR/postgres"
	if is_root; then
		id -u postgres >/dev/null 2>&1 ||
			die "running as root needs a 'postgres' system user to own the dev database cluster"
		while [[ ! -d $reach ]]; do reach=$(dirname "$reach"); done
		if ! as_pg test -x "$reach"; then
			PG_DIR="$(pg_fallback_dir)/postgres"
		fi
	fi
	PG_DATA="$PG_DIR/data"
}

# pg_prepare_dir: create PG_DIR owned by (and usable by) the cluster owner.
pg_prepare_dir() {
	mkdir -p "$PG_DIR" "$LOG_DIR"
	is_root || return 0
	if [[ $PG_DIR != "$DEV_DIR"/* ]]; then
		warn "the postgres user cannot reach $DEV_DIR (a parent directory is not" \
			"world-traversable), so the dev database cluster lives in $PG_DIR"
		chmod 755 "$(dirname "$PG_DIR")"
	fi
	chown postgres: "$PG_DIR"
	chmod 700 "$PG_DIR"
	as_pg test -w "$PG_DIR" ||
		die "the postgres user cannot write to $PG_DIR; make the path to it traversable" \
			"(chmod o+x on each parent directory) or set DATABASE_URL"
}

# pg_check_version: the cluster must match the server binaries' major version.
pg_check_version() {
	[[ -f $PG_DATA/PG_VERSION ]] || return 0
	local have want
	have=$(<"$PG_DATA/PG_VERSION")
	want=$("$PG_BIN/postgres" --version | awk '{ print $3 }' | cut -d. -f1)
	[[ $have == "$want" ]] ||
		die "the dev cluster in $PG_DATA is PostgreSQL $have but $PG_BIN is PostgreSQL $want;" \
			"run 'make clean' (deletes the dev database) or install PostgreSQL $have"
}

pg_running() {
	[[ -f $PG_DATA/postmaster.pid ]] && as_pg "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

# pg_port: port of the running cluster (port file, else postmaster.pid line 4).
pg_port() {
	if [[ -s $PG_DIR/port ]]; then
		cat "$PG_DIR/port"
	else
		sed -n 4p "$PG_DATA/postmaster.pid"
	fi
}

pg_init() {
	[[ -f $PG_DATA/PG_VERSION ]] && return 0
	say "Creating the dev PostgreSQL cluster in $PG_DATA"
	rm -rf "$PG_DATA" # leftovers of an interrupted initdb
	as_pg "$PG_BIN/initdb" -D "$PG_DATA" --auth=trust -U postgres --encoding=UTF8 \
		--locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1 || {
		tail -n 20 "$LOG_DIR/initdb.log" >&2
		die "initdb failed (full output in $LOG_DIR/initdb.log)"
	}
}

# pg_start_on PORT: start the cluster on PORT and record it in the port file.
# The log file is opened here, so the postgres user needs no access to .dev/log.
# fsync=off: a throwaway dev/test cluster favours speed over crash safety.
# The unix socket is left out when its path would be too long (TCP only then).
pg_start_on() {
	local port=$1 opts sockdir="$PG_DIR"
	((${#sockdir} <= 80)) || sockdir=""
	say "Starting PostgreSQL on 127.0.0.1:$port (log: $LOG_DIR/postgres.log)"
	opts="-c port=$port -c listen_addresses=127.0.0.1"
	opts+=" -c unix_socket_directories='$sockdir' -c fsync=off -c full_page_writes=off"
	as_pg "$PG_BIN/pg_ctl" start -D "$PG_DATA" -w -t 60 -s -o "$opts" \
		>>"$LOG_DIR/postgres.log" 2>&1 </dev/null || return 1
	printf '%s\n' "$port" >"$PG_DIR/port"
}

# pg_start: start the cluster on a free port (retried in case of a port race).
pg_start() {
	local attempt
	STARTED_POSTGRES=1 # set first, so an interrupted start is still cleaned up
	for attempt in 1 2 3; do
		pg_start_on "$(free_port)" && return 0
		warn "PostgreSQL did not start (attempt $attempt)"
	done
	tail -n 20 "$LOG_DIR/postgres.log" >&2
	die "could not start PostgreSQL (see $LOG_DIR/postgres.log)"
}

pg_ensure_db() {
	local port=$1 exists
	exists=$("$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = '$PG_DB_NAME'")
	if [[ $exists != 1 ]]; then
		say "Creating database $PG_DB_NAME"
		"$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$PG_DB_NAME"
	fi
}

# ensure_postgres: export DATABASE_URL, starting the dev cluster if needed.
ensure_postgres() {
	local port
	if [[ -n ${DATABASE_URL:-} ]]; then
		say "Using DATABASE_URL from the environment (no local PostgreSQL)"
		return 0
	fi
	ensure_pg_binaries
	pg_set_paths
	pg_prepare_dir
	pg_check_version
	if pg_running; then
		port=$(pg_port)
		say "Reusing the dev PostgreSQL already running on 127.0.0.1:$port"
	else
		pg_init
		pg_start
		port=$(pg_port)
	fi
	pg_ensure_db "$port"
	export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$PG_DB_NAME"
}

stop_postgres() {
	pg_running || return 0
	say "Stopping PostgreSQL"
	as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 -s ||
		warn "could not stop PostgreSQL in $PG_DATA"
}

# ------------------------------------------------------------------- redis ---

ensure_redis_binary() {
	command -v redis-server >/dev/null && return 0
	is_root || die "redis-server not found. Install it (Debian: apt-get install" \
		"redis-server) or set REDIS_URL=redis://HOST:PORT/0"
	apt_install redis-server || die "apt-get install redis-server failed"
}

# redis_pid: print the pid of the private redis-server: the one in its pidfile,
# else the redis-server working in REDIS_DIR (it chdirs to --dir), so a lost
# pidfile never leaves it running unnoticed.
redis_pid() {
	local pid dir
	pid=$(cat "$REDIS_PIDFILE" 2>/dev/null) || pid=""
	if [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid" && [[ $(ps -o comm= -p "$pid") == redis-server* ]]; then
		printf '%s\n' "$pid"
		return 0
	fi
	dir=$(realpath -m "$REDIS_DIR")
	for pid in $(ps -C redis-server -o pid=); do
		if [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$dir" ]] && pid_alive "$pid"; then
			printf '%s\n' "$pid"
			return 0
		fi
	done
	return 1
}

redis_running() { redis_pid >/dev/null; }

redis_ping() {
	if command -v redis-cli >/dev/null; then
		[[ $(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]
	else
		tcp_open 127.0.0.1 "$1"
	fi
}

redis_down() { ! redis_ping "$1"; }

# redis_start_on PORT: start the private redis on PORT and record it in the
# port file. Persistence as a deployment should have it: the append-only file
# (in .dev/redis/appendonlydir), fsynced every second, so a restart keeps the
# queued and unacknowledged tasks; no RDB snapshots.
redis_start_on() {
	local port=$1
	mkdir -p "$REDIS_DIR" "$LOG_DIR"
	say "Starting redis on 127.0.0.1:$port (log: $LOG_DIR/redis.log)"
	redis-server --bind 127.0.0.1 --port "$port" --dir "$REDIS_DIR" --save '' \
		--appendonly yes --appendfsync everysec --daemonize yes --pidfile "$REDIS_PIDFILE" \
		--logfile "$LOG_DIR/redis.log" </dev/null || return 1
	wait_while 10 redis_down "$port" || return 1
	printf '%s\n' "$port" >"$REDIS_PORT_FILE"
}

redis_start() {
	local attempt
	STARTED_REDIS=1
	for attempt in 1 2 3; do
		redis_start_on "$(free_port)" && return 0
		warn "redis did not start (attempt $attempt)"
	done
	tail -n 20 "$LOG_DIR/redis.log" >&2
	die "could not start redis (see $LOG_DIR/redis.log)"
}

# ensure_redis: export REDIS_URL, starting a private redis-server if needed.
ensure_redis() {
	local port
	if [[ -n ${REDIS_URL:-} ]]; then
		say "Using REDIS_URL from the environment (no local redis)"
		return 0
	fi
	ensure_redis_binary
	mkdir -p "$REDIS_DIR" "$LOG_DIR"
	if redis_running && [[ -s $REDIS_PORT_FILE ]]; then
		port=$(<"$REDIS_PORT_FILE")
		say "Reusing the dev redis already running on 127.0.0.1:$port"
	else
		redis_start
		port=$(<"$REDIS_PORT_FILE")
	fi
	export REDIS_URL="redis://127.0.0.1:$port/0"
}

# stop_redis: stop the private redis, found by pidfile or by its directory.
# SIGTERM makes redis write the append-only file out before it exits.
stop_redis() {
	local pid
	if ! pid=$(redis_pid); then
		rm -f "$REDIS_PIDFILE"
		return 0
	fi
	say "Stopping redis"
	kill -TERM "$pid" 2>/dev/null || true
	if ! wait_while 10 pid_alive "$pid"; then
		warn "redis did not stop in 10s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$REDIS_PIDFILE"
}

# ---------------------------------------------------------------- chromium ---

# ensure_chromium: export CHROMIUM_PATH (browser tests).
ensure_chromium() {
	local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
	if [[ ! -x $chromium ]]; then
		if [[ $chromium == /usr/bin/chromium ]] && is_root; then
			apt_install chromium || die "apt-get install chromium failed"
		else
			die "Chromium not found at $chromium. Install it (Debian: apt-get install" \
				"chromium) or set CHROMIUM_PATH=/path/to/chromium"
		fi
	fi
	export CHROMIUM_PATH="$chromium"
}

# ---------------------------------------------------- children and cleanup ---

# start_bg NAME CMD...: run CMD in the background in its own process group;
# its output goes to the terminal (prefixed with [NAME]) and to .dev/log/NAME.log.
# supervise_children starts it again if it exits.
start_bg() {
	local name=$1 now
	shift
	now_ms now
	CHILD_NAMES+=("$name")
	CHILD_CMDS+=("$(printf '%q ' "$@")")
	CHILD_PIDS+=("")
	CHILD_STARTED+=("$now")
	CHILD_DELAY+=("$RESTART_MIN_S")
	CHILD_DUE+=(0)
	spawn_child $((${#CHILD_NAMES[@]} - 1))
}

# child_exec NAME CMD...: become CMD in a new session (pid and process group
# unchanged), output teed to .dev/log/NAME.log and the terminal.
child_exec() {
	local name=$1
	shift
	exec setsid "$@" </dev/null > >(
		trap '' INT TERM # ends by itself when CMD closes its output
		tee -a "$LOG_DIR/$name.log" | sed -u "s/^/[$name] /"
	) 2>&1
}

# spawn_child I: start child I (again); its pid goes to .dev/run/NAME.pid.
spawn_child() {
	local i=$1 name=${CHILD_NAMES[$1]} now
	local -a cmd
	eval "cmd=(${CHILD_CMDS[$i]})"
	mkdir -p "$LOG_DIR" "$RUN_DIR"
	child_exec "$name" "${cmd[@]}" &
	CHILD_PIDS[i]=$!
	now_ms now
	CHILD_STARTED[i]=$now
	printf '%s\n' "$!" >"$RUN_DIR/$name.pid"
}

# run_fg CMD...: run CMD as if in the foreground and return its status. Unlike
# a plain foreground command, a SIGTERM to this script is acted on at once
# (bash defers traps until a foreground command ends) and cleanup stops CMD.
# CMD keeps stdin and Ctrl-C (async commands would otherwise ignore SIGINT).
run_fg() {
	local status=0
	env --default-signal=INT "$@" <&0 &
	FG_PID=$!
	wait "$FG_PID" || status=$?
	FG_PID=""
	return "$status"
}

# stop_fg STATUS: stop a run_fg command still running; after Ctrl-C
# (STATUS 130) it first gets a moment to finish by itself.
stop_fg() {
	[[ -n $FG_PID ]] || return 0
	if (($1 == 130)); then
		wait_while 10 pid_alive "$FG_PID" || true
	fi
	if pid_alive "$FG_PID"; then
		kill -TERM "$FG_PID" 2>/dev/null
		wait_while "$STOP_TIMEOUT" pid_alive "$FG_PID" || kill -KILL "$FG_PID" 2>/dev/null
	fi
	wait "$FG_PID" 2>/dev/null || true
	FG_PID=""
}

# child_exited I: reap child I, stop what is left of its process group (a
# worker's pool processes outlive a killed main process) and schedule its
# restart with backoff.
child_exited() {
	local i=$1 pid=${CHILD_PIDS[$1]} name=${CHILD_NAMES[$1]} status=0 now delay
	wait "$pid" 2>/dev/null || status=$?
	stop_group "$pid"
	rm -f "$RUN_DIR/$name.pid"
	now_ms now
	if ((now - CHILD_STARTED[i] >= RESTART_RESET_S * 1000)); then
		CHILD_DELAY[i]=$RESTART_MIN_S
	fi
	delay=${CHILD_DELAY[$i]}
	warn "$name exited (status $status); restarting in $delay s"
	CHILD_PIDS[i]=""
	CHILD_DUE[i]=$((now + delay * 1000))
	CHILD_DELAY[i]=$((delay * 2 < RESTART_MAX_S ? delay * 2 : RESTART_MAX_S))
}

# supervise_children: keep every child running until this script is stopped
# (Ctrl-C, SIGTERM, SIGHUP: the traps exit and cleanup stops everything). A
# child that exits is started again; nothing else is stopped because of it.
supervise_children() {
	local i now
	while true; do
		for i in "${!CHILD_NAMES[@]}"; do
			if [[ -n ${CHILD_PIDS[$i]} ]]; then
				pid_alive "${CHILD_PIDS[$i]}" || child_exited "$i"
			else
				now_ms now
				if ((now >= CHILD_DUE[i])); then
					say "Restarting ${CHILD_NAMES[$i]}"
					spawn_child "$i"
				fi
			fi
		done
		sleep 0.5 || true # a signal to this script itself is handled by its trap
	done
}

# stop_children: SIGTERM each child's process group, SIGKILL after STOP_TIMEOUT.
stop_children() {
	local pgid i
	local -a pgids=()
	for i in "${!CHILD_PIDS[@]}"; do
		[[ -n ${CHILD_PIDS[$i]} ]] && pgids+=("${CHILD_PIDS[$i]}")
	done
	if ((${#pgids[@]} > 0)); then
		say "Stopping ${CHILD_NAMES[*]}"
		for pgid in "${pgids[@]}"; do
			kill -TERM -- "-$pgid" 2>/dev/null || true
		done
		for pgid in "${pgids[@]}"; do
			if ! wait_while "$STOP_TIMEOUT" group_alive "$pgid"; then
				warn "process group $pgid did not stop in ${STOP_TIMEOUT}s; killing it"
				kill -KILL -- "-$pgid" 2>/dev/null || true
			fi
		done
		wait "${pgids[@]}" 2>/dev/null || true
	fi
	for i in "${!CHILD_NAMES[@]}"; do
		rm -f "$RUN_DIR/${CHILD_NAMES[$i]}.pid"
	done
	CHILD_PIDS=()
	CHILD_NAMES=()
}

# cleanup: stop everything this invocation started. Runs once (EXIT trap);
# keeps the script's exit status. Once it starts, further INT/TERM/HUP are
# ignored: a TERM sent to the whole process group reaches this script twice
# (make passes it on), and the second must not cut the clean-up short.
cleanup() {
	local status=$?
	((CLEANED_UP)) && return "$status"
	CLEANED_UP=1
	trap '' INT TERM HUP PIPE # PIPE: finish even if the terminal or a pipe reading our output is gone
	set +e
	stop_fg "$status"
	stop_children
	if ((STARTED_REDIS)); then stop_redis; fi
	if ((STARTED_POSTGRES)); then stop_postgres; fi
	rm -f "$RUN_DIR/stack.env"
	# A stop that was asked for (Ctrl-C, SIGTERM, SIGHUP) is a success for a
	# server (run.sh sets STOP_IS_SUCCESS): make then reports no "Error 143".
	if ((STOP_IS_SUCCESS && STOP_REQUESTED)); then exit 0; fi
	return "$status"
}

# install_cleanup_trap: INT/TERM/HUP exit, and exiting runs cleanup.
install_cleanup_trap() {
	trap cleanup EXIT
	trap 'STOP_REQUESTED=1; exit 130' INT
	trap 'STOP_REQUESTED=1; exit 143' TERM
	trap 'STOP_REQUESTED=1; exit 129' HUP
}

# stop_dev_services: stop a leftover dev cluster/redis (`make stop`), and those
# of the dev directories inside .dev (the drills', the run.sh test's).
stop_dev_services() {
	local dir
	stop_redis
	if find_pg_bindir; then
		pg_set_paths
		stop_postgres
	elif [[ -f $DEV_DIR/postgres/data/postmaster.pid ]]; then
		warn "PostgreSQL binaries not found; cannot stop the cluster in $DEV_DIR/postgres"
	fi
	[[ -z ${FITJOURNEY_DEV_DIR:-} ]] || return 0
	for dir in "$DEV_DIR"/*/; do
		if [[ -d $dir/redis || -d $dir/postgres ]]; then
			FITJOURNEY_DEV_DIR=$dir bash "$REPO_ROOT/scripts/devenv.sh" stop
		fi
	done
}

# ------------------------------------------------------ direct invocation ---

devenv_lint() {
	local status=0
	find_python
	ensure_venv
	export_django_env fitjourney.settings.test
	ruff check . || status=$?
	ruff format --check . || status=$?
	return "$status"
}

devenv_main() {
	set -euo pipefail
	cd "$REPO_ROOT"
	case "${1:-}" in
	lint) devenv_lint ;;
	stop) stop_dev_services ;;
	postgres-stop)
		find_pg_bindir || die "PostgreSQL server binaries not found"
		pg_set_paths
		stop_postgres
		;;
	postgres-start)
		find_pg_bindir || die "PostgreSQL server binaries not found"
		pg_set_paths
		[[ -s $PG_DIR/port ]] || die "no port file in $PG_DIR: start it with make run first"
		pg_running || pg_start_on "$(<"$PG_DIR/port")" || die "could not start PostgreSQL (see $LOG_DIR/postgres.log)"
		;;
	redis-stop) stop_redis ;;
	redis-start)
		[[ -s $REDIS_PORT_FILE ]] || die "no port file in $REDIS_DIR: start it with make run first"
		redis_running || redis_start_on "$(<"$REDIS_PORT_FILE")" || die "could not start redis (see $LOG_DIR/redis.log)"
		;;
	clean)
		stop_dev_services
		say "Removing .dev and .venv"
		rm -rf "$DEV_DIR" "$VENV_DIR" "$(pg_fallback_dir)"
		;;
	*)
		echo "usage: bash scripts/devenv.sh lint|stop|clean|postgres-stop|postgres-start|redis-stop|redis-start" >&2
		return 2
		;;
	esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	devenv_main "$@"
fi
