"""`make run` (scripts/run.sh) as a person runs it: a killed worker is started again while the site keeps
answering, and a TERM to the whole process group stops everything it started.

run.sh runs here with its own private PostgreSQL and Redis (FITJOURNEY_DEV_DIR=.dev/test-run-sh, kept
between runs like the test database, so only the first run creates the cluster and migrates), never the
servers this test run uses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = ROOT / ".dev" / "test-run-sh"
STARTUP_TIMEOUT = 240  # the first run creates the cluster, migrates and loads the reference data


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _group_members(pgid: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def _wait_for(check, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what} within {timeout:.0f} s"
        time.sleep(0.3)


def _healthz(url: str) -> dict | None:
    """The health report, or None when nothing answers (a 503 still answers)."""
    try:
        with urllib.request.urlopen(url + "healthz", timeout=5) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _worker_up(url: str) -> bool:
    return (_healthz(url) or {}).get("components", {}).get("celery", {}).get("status") == "up"


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


def _postmaster_pid(stack_env: Path) -> int:
    """The PostgreSQL server run.sh started, asked where its data lives: the cluster is under the dev folder,
    or in /tmp when the postgres user cannot traverse the path to it (scripts/devenv.sh pg_set_paths)."""
    url = next(line.split("=", 1)[1] for line in stack_env.read_text().splitlines() if line.startswith("DATABASE_URL="))
    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW data_directory").fetchone()
    assert row is not None
    return int((Path(row[0]) / "postmaster.pid").read_text().split()[0])


@pytest.fixture
def run_sh() -> Iterator[tuple[subprocess.Popen, Path]]:
    DEV_DIR.mkdir(parents=True, exist_ok=True)
    for stale in (DEV_DIR / "run").glob("*"):
        stale.unlink()
    log = DEV_DIR / "run-sh.out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "CELERY_", "DJANGO_"))}
    env.update(FITJOURNEY_DEV_DIR=str(DEV_DIR), WEB_PORT=str(free_port()))
    with log.open("w") as output:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, log
    finally:
        _stop_what_is_left(process)


def _stop_what_is_left(process: subprocess.Popen) -> None:
    """After a failure: stop run.sh, then whatever its clean-up left behind (`make stop` for the servers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for pidfile in (DEV_DIR / "run").glob("*.pid"):
        pgid = _read_pid(pidfile)
        if pgid and _group_members(pgid):
            os.killpg(pgid, signal.SIGKILL)
    env = {**os.environ, "FITJOURNEY_DEV_DIR": str(DEV_DIR)}
    subprocess.run(["bash", "scripts/devenv.sh", "stop"], cwd=ROOT, env=env, check=False, timeout=120)


@pytest.mark.worker
def test_a_killed_worker_is_restarted_and_a_term_to_the_group_stops_everything(run_sh):
    process, log = run_sh
    run_dir = DEV_DIR / "run"

    def started() -> bool:
        assert process.poll() is None, f"run.sh exited ({process.returncode}):\n{log.read_text()[-3000:]}"
        return (run_dir / "stack.env").exists()

    _wait_for(started, "run.sh did not start the site", STARTUP_TIMEOUT)
    stack = dict(line.split("=", 1) for line in (run_dir / "stack.env").read_text().split())
    url = stack["WEB_URL"]
    _wait_for(lambda: _worker_up(url), "the worker did not answer /healthz", 90)

    worker = _read_pid(run_dir / "worker.pid")
    os.kill(worker, signal.SIGKILL)
    answered = []

    def restarted() -> bool:
        answered.append(_healthz(url) is not None)
        return _read_pid(run_dir / "worker.pid") not in (None, worker) and _worker_up(url)

    _wait_for(restarted, "run.sh did not restart the killed worker", 90)
    output = log.read_text()
    assert "worker exited (status 137); restarting in 1 s" in output
    assert all(answered), "the web server stopped answering while the worker was down"
    assert process.poll() is None

    # Everything run.sh started, recorded before it is stopped.
    groups = [_read_pid(run_dir / f"{name}.pid") for name in ("web", "worker", "beat")]
    redis_pid = _read_pid(DEV_DIR / "redis" / "redis.pid")
    postgres_pid = _postmaster_pid(run_dir / "stack.env")
    assert all(groups) and redis_pid and postgres_pid
    # The clean-up finds redis without its pidfile too.
    (DEV_DIR / "redis" / "redis.pid").unlink()

    # A TERM to the whole group, and another while the clean-up runs (make passes the first on to run.sh, a
    # person or a supervisor repeats it): the second must not cut the clean-up short.
    os.killpg(process.pid, signal.SIGTERM)
    _wait_for(
        lambda: process.poll() is not None or "Stopping web worker beat" in log.read_text(),
        "run.sh did not start its clean-up",
        30,
    )
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)

    # A requested stop is a clean one: run.sh exits 0, so make reports no "Error 143" (issue 14, point 16).
    assert "Error 1" not in log.read_text(), log.read_text()[-1000:]
    left = {pgid: _group_members(pgid) for pgid in groups if _group_members(pgid)}
    assert not left, f"still running after TERM: {left}\n{log.read_text()[-3000:]}"
    assert not _alive(redis_pid), "redis was left running"
    assert not _alive(postgres_pid), "PostgreSQL was left running"
    assert _group_members(process.pid) == [], "something of run.sh's own process group was left running"
