"""FitJourney failure drills: the three outages of issue 10, against a `make run` stack this script starts.

    .venv/bin/python scripts/drills/drills.py                 # all three: export, postgres, redis
    .venv/bin/python scripts/drills/drills.py --only postgres,redis

(a) export   the worker main process is killed (SIGKILL) while a data export is being built; run.sh starts
             it again and the export must end ready, exactly once (one file).
(b) postgres PostgreSQL is stopped for 10 s under an API write and read load.
(c) redis    Redis is restarted under an API write and read load; the worker must keep consuming.

For (b) and (c): no 500 and no HTML (or other non-JSON) error from the API (a JSON 503 is an acceptable
answer during the outage), every write answered 2xx is in the database afterwards, and the API answers 2xx
again within 5 s of the service being back, with no process restarted. Prints PASS/FAIL per check with the
numbers, and exits 1 when any check fails. See scripts/drills/README.md.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV_DIR = ROOT / ".dev" / "drills"
RUN_DIR = DEV_DIR / "run"
RECOVERY_LIMIT_S = 5.0
REQUEST_TIMEOUT_S = 20.0


def say(message: str) -> None:
    print(f"[drills {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, timeout: float, interval: float = 0.3) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except Exception:  # noqa: BLE001 - a check that cannot tell yet is a "not yet"
            pass
        time.sleep(interval)
    say(f"gave up waiting: {what} (after {timeout:.0f} s)")
    return False


# ------------------------------------------------------------------ the stack ---


class Stack:
    """`make run` (scripts/run.sh) in its own process group, with its own .dev (.dev/drills)."""

    def __init__(self, env_overrides: dict[str, str]) -> None:
        self.env_overrides = env_overrides
        self.process: subprocess.Popen | None = None
        self.output = DEV_DIR / "run-sh.out"
        self.urls: dict[str, str] = {}

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_URL", "REDIS_URL", "CELERY_", "DJANGO_SETTINGS_MODULE"))
        }
        env.update(FITJOURNEY_DEV_DIR=str(DEV_DIR), **self.env_overrides)
        return env

    def start(self, timeout: float) -> None:
        DEV_DIR.mkdir(parents=True, exist_ok=True)
        for stale in RUN_DIR.glob("*"):
            stale.unlink()
        say(f"starting make run (scripts/run.sh) with FITJOURNEY_DEV_DIR={DEV_DIR}; output: {self.output}")
        with self.output.open("w") as out:
            self.process = subprocess.Popen(
                ["bash", "scripts/run.sh"],
                cwd=ROOT,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def up() -> bool:
            if self.process.poll() is not None:
                raise SystemExit(f"run.sh exited ({self.process.returncode}); see {self.output}")
            return (RUN_DIR / "stack.env").exists()

        if not wait_for(up, "run.sh to start the site", timeout, interval=1):
            raise SystemExit(f"run.sh did not start within {timeout:.0f} s; see {self.output}")
        self.urls = dict(line.split("=", 1) for line in (RUN_DIR / "stack.env").read_text().split())
        if not wait_for(self.all_up, "every /healthz component up", 120, interval=1):
            raise SystemExit(f"the stack did not become healthy; see {self.output} and {DEV_DIR / 'log'}")
        say(f"stack up at {self.urls['WEB_URL']}")

    @property
    def web(self) -> str:
        return self.urls["WEB_URL"].rstrip("/")

    def health(self) -> dict | None:
        try:
            with urllib.request.urlopen(self.web + "/healthz", timeout=10) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            try:
                return json.load(error)
            except ValueError:
                return None
        except (OSError, ValueError):
            return None

    def all_up(self) -> bool:
        report = self.health() or {}
        return report.get("status") == "ok"

    def worker_up(self) -> bool:
        report = self.health() or {}
        return report.get("components", {}).get("celery", {}).get("status") == "up"

    def pid(self, name: str) -> int | None:
        try:
            return int((RUN_DIR / f"{name}.pid").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def log(self) -> str:
        return self.output.read_text(errors="replace")

    def devenv(self, command: str) -> None:
        """Stop or start one private server (scripts/devenv.sh postgres-stop, redis-start...)."""
        subprocess.run(["bash", "scripts/devenv.sh", command], cwd=ROOT, env=self.env(), check=True, timeout=120)

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            say("stopping make run (TERM to its process group)")
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # Whatever a failed clean-up left behind, and the servers a drill may have started again itself.
        for pidfile in RUN_DIR.glob("*.pid"):
            with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
                os.killpg(int(pidfile.read_text()), signal.SIGKILL)
        subprocess.run(["bash", "scripts/devenv.sh", "stop"], cwd=ROOT, env=self.env(), check=False, timeout=120)


# ----------------------------------------------------------------- the API ---


@dataclass
class Answer:
    kind: str  # "read" or "write"
    started: float  # time.monotonic()
    status: int | None  # None: no answer (connection refused, reset, timeout)
    content_type: str = ""
    retry_after: str | None = None
    body: object = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def is_json(self) -> bool:
        return self.content_type.split(";")[0].strip() == "application/json"

    @property
    def server_error(self) -> bool:
        """A 5xx other than the JSON 503 an outage may answer."""
        return self.status is not None and self.status >= 500 and not (self.status == 503 and self.is_json)

    @property
    def non_json_error(self) -> bool:
        return self.status is not None and not self.ok and not self.is_json

    def verdict(self) -> str:
        """For the tally: ok | json-503 | <status> <content type> | no-answer."""
        if self.status is None:
            return "no-answer"
        if self.ok:
            return "ok"
        if self.status == 503 and self.is_json:
            return "json-503"
        return f"{self.status} {self.content_type.split(';')[0] or 'no content type'}"


def call(web: str, method: str, path: str, token: str, body: dict | None = None, kind: str = "read") -> Answer:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(web + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
            raw = response.read()
            answer = Answer(kind, started, response.status, response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as error:
        raw = error.read()
        answer = Answer(kind, started, error.code, error.headers.get("Content-Type", ""))
        answer.retry_after = error.headers.get("Retry-After")
    except (OSError, ValueError) as error:
        return Answer(kind, started, None, error=f"{type(error).__name__}: {error}")
    if answer.is_json and raw:
        try:
            answer.body = json.loads(raw)
        except ValueError:
            answer.content_type = "invalid json"
    elif raw:
        answer.body = raw[:200].decode(errors="replace")
    return answer


class Load:
    """Writers log water (POST /api/v1/water/), readers read it back and /me, each as its own person."""

    def __init__(self, web: str, writers: list[str], readers: list[str], pause: float = 0.05) -> None:
        self.web = web
        self.writers = writers
        self.readers = readers
        self.pause = pause
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def _record(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def _write(self, token: str) -> None:
        amount = 100
        while not self.stopping.is_set():
            amount = amount % 4900 + 1
            self._record(call(self.web, "POST", "/api/v1/water/", token, {"amount_ml": amount}, kind="write"))
            time.sleep(self.pause)

    def _read(self, token: str) -> None:
        paths = ["/api/v1/water/", "/api/v1/me/"]
        n = 0
        while not self.stopping.is_set():
            self._record(call(self.web, "GET", paths[n % 2], token))
            n += 1
            time.sleep(self.pause)

    def start(self) -> None:
        for token in self.writers:
            self.threads.append(threading.Thread(target=self._write, args=(token,), daemon=True))
        for token in self.readers:
            self.threads.append(threading.Thread(target=self._read, args=(token,), daemon=True))
        for thread in self.threads:
            thread.start()

    def stop(self) -> list[Answer]:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT_S + 5)
        with self.lock:
            return sorted(self.answers, key=lambda a: a.started)


# ------------------------------------------------------------------ results ---


@dataclass
class Result:
    name: str
    checks: list[tuple[bool, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def check(self, passed: bool, text: str) -> bool:
        self.checks.append((passed, text))
        say(f"  {'PASS' if passed else 'FAIL'}  {text}")
        return passed

    def note(self, text: str) -> None:
        self.notes.append(text)
        say(f"  note  {text}")

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(ok for ok, _ in self.checks)


def judge_load(result: Result, answers: list[Answer], service_back: float, restarted_pids: dict) -> None:
    """The checks (b) and (c) share: answers, persistence of the 2xx writes, recovery, no restart."""
    counts: dict[str, int] = {}
    for answer in answers:
        counts[answer.verdict()] = counts.get(answer.verdict(), 0) + 1
    result.note(f"{len(answers)} requests: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    server_errors = [a for a in answers if a.server_error]
    non_json = [a for a in answers if a.non_json_error]
    unanswered = [a for a in answers if a.status is None]
    for answer in list({id(a): a for a in server_errors + non_json + unanswered}.values())[:3]:
        shown = answer.error or answer.body
        result.note(f"  e.g. {answer.kind} {answer.status} {answer.content_type!r}: {shown!r}"[:300])
    result.check(not server_errors, f"no 500 (nor any 5xx but a JSON 503): {len(server_errors)}")
    result.check(not non_json, f"no HTML or other non-JSON error: {len(non_json)}")
    result.check(not unanswered, f"every request answered: {len(unanswered)} without an answer")
    unavailable = [a for a in answers if a.verdict() == "json-503"]
    if unavailable:
        without = sum(1 for a in unavailable if not a.retry_after)
        result.note(f"{len(unavailable)} JSON 503 during the outage ({without} without Retry-After)")

    written = [a.body["id"] for a in answers if a.kind == "write" and a.ok and isinstance(a.body, dict)]
    persisted = persisted_water(written)
    result.check(
        persisted == len(written) and len(written) > 0,
        f"every 2xx write persisted: {persisted} of {len(written)} in the database",
    )

    after = [a for a in answers if a.started >= service_back]
    bad_after = [a for a in after if not a.ok]
    recovered_at = None
    if after and after[-1].ok:
        last_bad = max((a.started for a in bad_after), default=service_back)
        firsts = [a.started for a in after if a.ok and a.started >= last_bad]
        recovered_at = firsts[0] if firsts else None
    if recovered_at is None:
        result.check(False, f"the API answers 2xx again after the service is back: {len(bad_after)} failures after")
    else:
        took = max(0.0, recovered_at - service_back)
        result.check(took <= RECOVERY_LIMIT_S, f"back within {RECOVERY_LIMIT_S:.0f} s of the service: {took:.1f} s")
    for name, (before, now) in restarted_pids.items():
        result.check(before == now, f"{name} not restarted (pid {before} -> {now})")


# --------------------------------------------------------------- the people ---


def setup_django(stack: Stack) -> None:
    os.environ.update(
        DATABASE_URL=stack.urls["DATABASE_URL"],
        REDIS_URL=stack.urls["REDIS_URL"],
        DJANGO_SETTINGS_MODULE="fitjourney.settings.local",
        **stack.env_overrides,
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_people(count: int, label: str) -> list[str]:
    """`count` members with a read-write API token each; returns the raw tokens."""
    from accounts.models import User
    from accounts.services import api_token_create

    tokens = []
    for n in range(count):
        tag = uuid.uuid4().hex[:10]
        user = User.objects.create_user(
            email=f"drill-{label}-{n}-{tag}@example.com", username=f"drill_{label}_{n}_{tag}", password=uuid.uuid4().hex
        )
        tokens.append(api_token_create(user=user, name=f"drill {label}").raw)
    return tokens


def persisted_water(ids: list[str]) -> int:
    from django.db import connections

    from nutrition.models import WaterLog

    connections.close_all()  # the connection of before the outage is gone
    return WaterLog.objects.filter(pk__in=ids).count()


# ------------------------------------------------------------------ drills ---


def drill_export(stack: Stack, options) -> Result:
    result = Result("(a) worker kill -9 during a data export")
    say(result.name)
    from django.conf import settings
    from django.db import connections

    from accounts.models import DataExport
    from accounts.services import api_token_create

    sys.path.insert(0, str(ROOT / "bench"))
    from export_year import make_person  # a person with years of data, so the build takes seconds

    say(f"  creating a person with {options.export_days} days of data")
    person = make_person(0, days=options.export_days)
    token = api_token_create(user=person, name="drill export").raw

    answer = call(stack.web, "POST", "/api/v1/exports/", token, {}, kind="write")
    if not result.check(answer.status == 202, f"export requested through the API: {answer.status}"):
        return result
    export_id = answer.body["id"]

    def running() -> bool:
        """Building, and past its first rows: the kill lands mid-build, not before it starts."""
        return DataExport.objects.filter(pk=export_id, status="running", progress__gt=0).exists()

    if not wait_for(running, "the worker to start building the export", 60, interval=0.02):
        result.check(False, "the worker started building the export")
        return result
    worker = stack.pid("worker")
    os.kill(worker, signal.SIGKILL)
    killed = DataExport.objects.get(pk=export_id)
    result.check(
        killed.status == "running", f"worker {worker} killed mid-build (status {killed.status}, {killed.progress} %)"
    )

    answered = []

    def restarted() -> bool:
        answered.append(stack.health() is not None)
        return stack.pid("worker") not in (None, worker) and stack.worker_up()

    back = wait_for(restarted, "run.sh to restart the worker", 90, interval=0.5)
    result.check(back and "worker exited (status 137); restarting in" in stack.log(), "run.sh restarted the worker")
    result.check(all(answered), f"the site answered while the worker was down ({answered.count(False)} misses)")

    stall = getattr(settings, "DATA_EXPORT_STALL_MINUTES", None)
    if stall is None:
        result.note(
            "DATA_EXPORT_STALL_MINUTES is not a setting in this tree: the stalled-export sweep (issue 10, item 14) "
            "is missing, so only Redis' visibility_timeout "
            f"({settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout']} s) would bring the task back"
        )
        timeout = options.export_timeout or 180
    else:
        result.note(f"stalled-export sweep present: DATA_EXPORT_STALL_MINUTES = {stall}")
        timeout = options.export_timeout or stall * 60 + 240

    def settled() -> bool:
        connections.close_all()
        return DataExport.objects.filter(pk=export_id).exclude(status__in=["pending", "running"]).exists()

    say(f"  waiting up to {timeout:.0f} s for the export to finish")
    wait_for(settled, "the export to finish", timeout, interval=2)
    export = DataExport.objects.get(pk=export_id)
    files = sorted((Path(settings.PRIVATE_MEDIA_ROOT) / "exports" / str(person.pk)).glob(f"{export_id}-*"))
    result.check(export.status == "ready", f"the export is ready (status {export.status}, {export.progress} %)")
    result.check(len(files) == 1, f"exactly one file built: {len(files)}")
    asked = DataExport.objects.filter(user=person, requested_at__gte=export.requested_at).count()
    result.check(asked == 1, f"one export for the one request: {asked}")
    answer = call(stack.web, "GET", f"/api/v1/exports/{export_id}/", token)
    result.check(
        answer.ok and isinstance(answer.body, dict) and answer.body.get("status") == export.status,
        f"the API reports it: {answer.status} {answer.body.get('status') if isinstance(answer.body, dict) else ''}",
    )
    return result


def outage_drill(stack: Stack, options, name: str, label: str, stop: str, start: str, down: float) -> Result:
    result = Result(name)
    say(name)
    writers = make_people(options.writers, f"{label}-w")
    readers = make_people(options.readers, f"{label}-r")
    pids = {n: stack.pid(n) for n in ("web", "worker", "beat")}
    load = Load(stack.web, writers, readers)
    load.start()
    time.sleep(options.warmup)
    say(f"  {stop}")
    stack.devenv(stop)
    time.sleep(down)
    say(f"  {start}")
    stack.devenv(start)
    service_back = time.monotonic()
    time.sleep(options.after)
    answers = load.stop()
    judge_load(result, answers, service_back, {n: (pid, stack.pid(n)) for n, pid in pids.items()})
    return result


def drill_postgres(stack: Stack, options) -> Result:
    return outage_drill(
        stack, options, "(b) PostgreSQL stopped under load", "pg", "postgres-stop", "postgres-start", options.pg_down
    )


def drill_redis(stack: Stack, options) -> Result:
    result = outage_drill(
        stack, options, "(c) Redis restarted under load", "redis", "redis-stop", "redis-start", options.redis_down
    )
    # The worker must consume again after the restart: a real task through the broker, back through results.
    from accounts.tasks import purge_expired_tokens

    worker = stack.pid("worker")
    try:
        outcome = purge_expired_tokens.apply_async().get(timeout=60)
        result.check(True, f"the worker consumes after the restart (purge_expired_tokens -> {outcome})")
    except Exception as error:  # noqa: BLE001 - any failure here is the finding
        result.check(False, f"the worker consumes after the restart: {type(error).__name__}: {error}")
    worker_log = (DEV_DIR / "log" / "worker.log").read_text(errors="replace")
    result.check("Unrecoverable error" not in worker_log, "no 'Unrecoverable error' in the worker log")
    result.check(stack.pid("worker") == worker, "the worker kept running (no restart by run.sh)")
    return result


DRILLS = {"export": drill_export, "postgres": drill_postgres, "redis": drill_redis}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="export,postgres,redis", help="comma-separated: export,postgres,redis")
    parser.add_argument("--writers", type=int, default=4, help="people writing during (b) and (c) (default 4)")
    parser.add_argument("--readers", type=int, default=2, help="people reading during (b) and (c) (default 2)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before the outage (default 3)")
    parser.add_argument("--after", type=float, default=10, help="seconds of load after the service is back")
    parser.add_argument("--pg-down", type=float, default=10, help="seconds PostgreSQL stays stopped (default 10)")
    parser.add_argument("--redis-down", type=float, default=2, help="seconds Redis stays stopped (default 2)")
    parser.add_argument("--export-days", type=int, default=3650, help="days of data of the exporting person")
    parser.add_argument("--export-timeout", type=float, default=0, help="seconds to wait for the export (auto)")
    parser.add_argument("--stall-minutes", type=int, default=1, help="DATA_EXPORT_STALL_MINUTES for the stack")
    parser.add_argument("--startup-timeout", type=float, default=300, help="seconds make run may take to start")
    options = parser.parse_args()
    chosen = [name.strip() for name in options.only.split(",") if name.strip()]
    unknown = set(chosen) - set(DRILLS)
    if unknown:
        parser.error(f"unknown drill(s): {', '.join(sorted(unknown))}")

    stack = Stack(
        {
            "WEB_PORT": str(free_port()),
            "API_THROTTLE_USER": "100000/minute",  # the load is a handful of people writing fast
            "DATA_EXPORT_STALL_MINUTES": str(options.stall_minutes),
            "DJANGO_MEDIA_ROOT": str(DEV_DIR / "media"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(DEV_DIR / "private"),
        }
    )
    atexit.register(stack.stop)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))

    stack.start(options.startup_timeout)
    setup_django(stack)
    results = []
    for name in chosen:
        try:
            results.append(DRILLS[name](stack, options))
        except Exception as error:  # noqa: BLE001 - one drill's crash must not hide the others' results
            failed = Result(name)
            failed.check(False, f"the drill itself failed: {type(error).__name__}: {error}")
            results.append(failed)
        if not stack.all_up():
            wait_for(stack.all_up, "the stack to be healthy before the next drill", 60, interval=1)
    stack.stop()

    print("\n=== Drill summary ===")
    for result in results:
        print(f"{'PASS' if result.passed else 'FAIL'}  {result.name}")
        for ok, text in result.checks:
            print(f"        {'ok  ' if ok else 'FAIL'}  {text}")
        for text in result.notes:
            print(f"        note  {text}")
    passed = sum(r.passed for r in results)
    print(f"\n{passed} of {len(results)} drills passed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
