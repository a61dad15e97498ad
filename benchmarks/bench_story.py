"""A public story page against a "hello" view, same server, alternating.

    python -m benchmarks.bench_story --requests 300
Prints `story-uncached: ratio=<p95 story / p95 hello> ...`. The demo stories are loaded into
the benchmark database first (`seed_demo --force`, idempotent). `story-cached` prints n/a: the
portal has no page cache for stories yet (issue 8 leaves it to do), and a number without one
would be the uncached figure under another name.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import requests

from . import common


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--port", type=int, default=8104)
    args = parser.parse_args()
    subprocess.run(
        [common.PY, "manage.py", "seed_demo", "--force"],
        cwd=common.ROOT, env=common.bench_env(), check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    common.setup_django()
    from cms.models import SuccessStoryPage

    story = SuccessStoryPage.objects.live().order_by("pk").first()
    server = common.daphne(args.port, cpu=0)
    common.pin_self(1)
    base = f"http://127.0.0.1:{args.port}"
    urls = {"project": f"{base}{story.url}", "baseline": f"{base}/_baseline/hello/"}
    timings: dict[str, list[float]] = {"project": [], "baseline": []}
    try:
        http = requests.Session()
        for i in range(args.requests + 20):
            for name in ("project", "baseline") if i % 2 else ("baseline", "project"):
                started = time.perf_counter()
                response = http.get(urls[name], allow_redirects=False)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {response.status_code} {urls[name]}")
                if i >= 20:
                    timings[name].append(elapsed)
    finally:
        common.stop(server)
    p95 = {name: common.percentile(t, 95) * 1000 for name, t in timings.items()}
    sys.stdout.write("story-cached: ratio=n/a project=n/a baseline=n/a (no story page cache yet)\n")
    common.line(
        "story-uncached",
        p95["project"] / p95["baseline"],
        f"{p95['project']:.1f}ms-p95",
        f"{p95['baseline']:.1f}ms-p95",
        f"page={story.url} requests={args.requests}",
    )


if __name__ == "__main__":
    main()
