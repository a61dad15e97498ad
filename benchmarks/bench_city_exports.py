"""Exports at city scale in bounded memory (issue 19): the peak memory a server process gains
while it serves one export, on the generated city against the same export on the demo data.

    python -m benchmarks.bench_city_exports [--bound-mib 32] [--only names-city,predikat-city]

The exports (benchmarks.export_targets picks the paths and who is signed in): the monitoring
XLSX of the city (Admin BKPSDM) and of one OPD (its head), the names behind the monitoring
(city, OPD), the predikat XLSX (city, OPD), the e-Kinerja export (issue 18: XLSX and streamed
JSON of the OPD; XLSX of the whole city), one person's personal data (JSON) and one evaluation
PDF of the OPD. "The OPD" is, in the city, the generated OPD nearest to 1,500 people (named in
the first line), in the demo, the demo employee's.

Each export on each side gets a fresh server process: production's HTTP server (gunicorn, one
worker with two threads, as deploy/portal-web.service runs five of them; `--server daphne` for
the Docker shape), pinned to core 0, this driver on core 1. After one warm-up page (`/beranda/`,
the same person) the worker's peak RSS is reset (`/proc/<pid>/clear_refs` 5; without that, its
VmHWM is read before), the export is fetched and saved, and the growth is VmHWM after minus
VmRSS (or VmHWM) before. Printed per export:

    city-exports/<name>: rss_city=... MiB rss_demo=... MiB ratio=... time=... rows=... ...

ratio = city growth / demo growth (a growth under 1 MiB counts as 1 MiB: the kernel counts
pages and allocator arenas, below that it is noise); rows = data rows of every sheet (XLSX), SKP
documents (e-Kinerja JSON), list items (personal data), pages (PDF); queries from X-Queries (and
for a streamed response the total after its last chunk, `BENCH_QUERY_LOG`). The target is
bounded memory: the city's growth at most the demo's plus `--bound-mib` (default 32 MiB),
whatever the rows: room for the batch an export reads at once (the e-Kinerja export's 50 SKPs,
about 20-25 MiB), less than an export costs that holds its whole file or rows at city scale (the
e-Kinerja JSON of a 1,766-person OPD held whole under daphne: 65.5 MiB).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import requests

from . import common
from .bench_city_pages import database_args, databases
from .export_targets import NEAR

KiB_PER_MiB = 1024
# Left out of the default run: the whole city's e-Kinerja workbook (every realisasi of every
# SKP, about ten times the OPD's) takes minutes; `--only ekinerja-city-xlsx` runs it.
SLOW = ("ekinerja-city-xlsx",)


@dataclass
class Fetched:
    status: int
    seconds: float
    size: int
    rows: int
    queries: str  # the total; for a streamed response, after its last chunk
    header_queries: str  # X-Queries: the statements before the response started
    growth_kib: int
    reset: bool


def proc_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


def reset_peak(pid: int) -> bool:
    """Set the process's VmHWM to its current RSS (Linux >= 4.0); False where not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def worker_pid(master: int, timeout: float = 60.0) -> int:
    """gunicorn's one worker: the master's child."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn {master} started no worker")


def free_port(start: int) -> int:
    """The first port from `start` nobody listens on (other benchmarks may share the machine:
    a server that cannot listen would leave the requests to theirs)."""
    for port in range(start, start + 100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port from {start}")


def serve(db_url: str, port: int, server: str = "gunicorn", **env) -> tuple[subprocess.Popen, int]:
    """A fresh server on `db_url` (`port` must be free) and the pid of the process that answers
    requests."""
    if server == "daphne":
        cmd = [common.PY, "-m", "daphne", "-v", "0", "-p", str(port), "portal.asgi:application"]
    else:
        cmd = [
            *(common.PY, "-m", "gunicorn", "portal.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"),
            *("--timeout", "120", "--no-control-socket", "--log-level", "warning"),
        ]
    proc = common.start(cmd, port, cpu=0, DATABASE_URL=db_url, **env)
    try:
        return proc, proc.pid if server == "daphne" else worker_pid(proc.pid)
    except BaseException:
        common.stop(proc)
        raise


def count_rows(path: Path, content_type: str) -> int:
    """Data rows of a download (see the module's docstring)."""
    if "spreadsheetml" in content_type:
        rows = 0
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with book.open(name) as sheet:
                        found, tail = 0, b""
                        while chunk := sheet.read(1 << 20):
                            found += (tail + chunk).count(b"<row")
                            tail = chunk[-3:]
                    rows += max(found - 1, 0)  # the header row
        return rows
    if "pdf" in content_type:
        return len(re.findall(rb"/Type\s*/Page\b(?!s)", path.read_bytes()))
    if "json" in content_type:
        data = path.read_bytes()
        if data.startswith(b'{"ekspor": '):  # e-Kinerja: each SKP document opens with its year
            return data[data.find(b'"skp": [') :].count(b'{"tahun": ')
        return _items(json.loads(data))
    return 0


def _items(value) -> int:
    if isinstance(value, dict):
        return sum(_items(v) for v in value.values())
    if isinstance(value, list):
        return len(value) + sum(_items(v) for v in value)
    return 0


def fetch(
    base: str, path: str, session: str, pid: int, query_log: Path | None = None, timeout=900
) -> Fetched:
    """GET `path` signed in (session key `session`) from the server whose requests process
    `pid` answers, saved to a temporary file, with that process's peak RSS growth."""
    http = requests.Session()
    http.cookies.set("sessionid", session)
    warm = http.get(base + "/beranda/", allow_redirects=False, timeout=timeout)
    if warm.status_code != 200:
        raise SystemExit(f"warm-up /beranda/: HTTP {warm.status_code}")
    reset = reset_peak(pid)
    before = proc_kib(pid, "VmRSS" if reset else "VmHWM")
    with tempfile.NamedTemporaryFile() as saved:
        started = time.perf_counter()
        with http.get(base + path, stream=True, allow_redirects=False, timeout=timeout) as got:
            size = 0
            for chunk in got.iter_content(1 << 16):
                saved.write(chunk)
                size += len(chunk)
        seconds = time.perf_counter() - started
        growth = proc_kib(pid, "VmHWM") - before
        saved.flush()
        kind = got.headers.get("Content-Type", "")
        rows = count_rows(Path(saved.name), kind) if got.status_code == 200 else 0
    queries = header = got.headers.get("X-Queries", "?")
    if query_log is not None and query_log.exists():
        logged = [line.split() for line in query_log.read_text().splitlines()]
        queries = next((n for p, n in reversed(logged) if p == path), queries)
    return Fetched(got.status_code, seconds, size, rows, queries, header, growth, reset)


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}MiB" if n >= 1 << 20 else f"{n / 1024:.0f}KiB"


def _measure(name: str, targets: dict, dbs: dict, args) -> dict[str, Fetched]:
    results = {}
    for n, side in enumerate(("demo", "city")):
        path, session = targets[side]["exports"][name]
        port = free_port(args.port + 10 * n)
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "queries"
            proc, pid = serve(
                dbs[side], port, args.server, DJANGO_CACHE_PREFIX=f"bench-exp-{side}",
                CHANNELS_PREFIX=f"bench-exp-{side}", BENCH_QUERY_LOG=str(log),
            )  # fmt: skip
            try:
                results[side] = fetch(f"http://127.0.0.1:{port}", path, session, pid, log)
            finally:
                common.stop(proc)
        if results[side].status != 200:
            raise SystemExit(f"{name} ({side}): HTTP {results[side].status} {path}")
    return results


def report(name: str, got: dict[str, Fetched], bound_mib: float) -> float:
    """Print the export's line; return how far the city's growth is over the demo's + bound
    (MiB, <= 0 when met)."""
    city, demo = (got[s].growth_kib / KiB_PER_MiB for s in ("city", "demo"))
    ratio = max(city, 1.0) / max(demo, 1.0)
    over = city - demo - bound_mib
    pair = "/".join
    say(
        f"city-exports/{name}: rss_city={city:.1f} MiB rss_demo={demo:.1f} MiB "
        f"ratio={ratio:.2f} time={got['city'].seconds:.2f}s/{got['demo'].seconds:.2f}s "
        f"rows={got['city'].rows}/{got['demo'].rows} "
        f"size={pair(_size(got[s].size) for s in ('city', 'demo'))} "
        f"queries={got['city'].queries}/{got['demo'].queries} "
        f"{'bounded' if over <= 0 else 'UNBOUNDED'} (load {os.getloadavg()[0]:.2f})"
    )
    return over


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bound-mib", type=float, default=32.0)
    parser.add_argument("--only", default="", help="comma-separated export names")
    parser.add_argument("--near", type=int, default=NEAR, help="people in the city's OPD")
    parser.add_argument("--server", choices=("gunicorn", "daphne"), default="gunicorn")
    database_args(parser, 8121)
    args = parser.parse_args()
    dbs = databases(args)
    targets = {}
    for side, url in dbs.items():
        found = subprocess.run(
            [common.PY, "-m", "benchmarks.export_targets", side, str(args.near)], cwd=common.ROOT,
            env=common.bench_env(DATABASE_URL=url), check=True, capture_output=True, text=True,
        )  # fmt: skip
        targets[side] = json.loads(found.stdout)
    opd = {side: targets[side]["opd"] for side in dbs}
    say(
        f"city-exports: the OPD is {opd['city']['name']} ({opd['city']['people']} people) in "
        f"the city, {opd['demo']['name']} ({opd['demo']['people']}) in the demo; server "
        f"{args.server}, bound: city growth <= demo growth + {args.bound_mib:.0f} MiB"
    )
    names = args.only.split(",") if args.only else [
        name for name in targets["demo"]["exports"] if name not in SLOW
    ]  # fmt: skip
    common.pin_self(1)
    worst = (float("-inf"), "")
    for name in names:
        over = report(name, _measure(name, targets, dbs, args), args.bound_mib)
        worst = max(worst, (over, name))
    say(
        f"city-exports: {'bounded' if worst[0] <= 0 else 'UNBOUNDED'} worst={worst[1]} "
        f"({worst[0] + args.bound_mib:+.1f} MiB over the demo's growth; bound "
        f"{args.bound_mib:.0f} MiB) (load {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
