"""Shared helpers for the benchmark scripts (run from the repository root:
`.venv/bin/python -m benchmarks.bench_ranking ...`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"


def bench_env(**extra) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DB)
    env.setdefault("REDIS_URL", DEFAULT_REDIS)
    env.setdefault("CHANNELS_PREFIX", "bench")
    env.setdefault("DJANGO_CACHE_PREFIX", "bench")
    env["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    env.pop("DJANGO_DEBUG", None)
    env.update(extra)
    return env


def setup_django() -> None:
    """Use the benchmark settings in this (driver) process too."""
    for key, value in bench_env().items():
        os.environ.setdefault(key, value)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def wait_port(port: int, timeout: float = 180.0) -> None:
    # 180 s: on a loaded two-core machine a daphne process has taken over 60 s to import
    # Django and listen.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


def start(cmd: list[str], port: int, cpu: int | None = None, **env) -> subprocess.Popen:
    """Start a server (pinned to `cpu` when given) and wait until it listens."""
    if cpu is not None and os.cpu_count() and os.cpu_count() > 1:
        cmd = ["taskset", "-c", str(cpu), *cmd]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=bench_env(**env))
    try:
        wait_port(port)
    except RuntimeError:
        proc.kill()
        raise
    return proc


def daphne(port: int, cpu: int | None = 0) -> subprocess.Popen:
    return start(
        [PY, "-m", "daphne", "-v", "0", "-p", str(port), "portal.asgi:application"], port, cpu
    )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def pin_self(cpu: int = 1) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {cpu})


def raise_fd_limit(needed: int) -> int:
    """Raise this process's open-file limit (inherited by the servers it starts) to at least
    `needed`: the soft limit up to the hard one, the hard one too when allowed (root, up to
    fs.nr_open). Returns the limit now in force, which may still be lower than `needed`."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (needed, needed))
            return needed
        except (ValueError, OSError):
            pass
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def session_cookie(user, **extra) -> str:
    """A logged-in session for `user` (as django.contrib.auth.login would store it), with
    `extra` keys (`mfa_totp_active=True`: TOTP passed, as Admin BKPSDM must have)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.update(extra)
    store.save()
    return store.session_key


def line(name: str, ratio: float, project: str, baseline: str, note: str = "") -> None:
    load = os.getloadavg()[0]
    extra = f" {note}" if note else ""
    sys.stdout.write(
        f"{name}: ratio={ratio:.2f} project={project} baseline={baseline}{extra} (load {load:.2f})\n"
    )
    sys.stdout.flush()
