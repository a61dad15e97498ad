"""Dependency audit for CI: pip-audit (Python), `npm audit --omit=dev` (front-end) and, warn-only,
`npm audit` over the test tooling (devDependencies: axe-core, the OpenID Connect test server).

Policy (README "Dependency audit"):
- FAIL on a known vulnerability that has a fixed version: for Python any advisory with a fix
  (pip-audit reports no severity); for npm a high or critical one with a fix available.
- WARN on advisories without a fix (nothing to upgrade to yet), and on npm low/moderate ones.
- npm devDependencies run only in the test suite against local test data, never in the portal:
  their advisories WARN (with the fix to apply in package.json), they never fail CI.
- An advisory listed in `audit-ignore.txt` (id, review-by date, reason) is accepted until its
  review date; after that date it fails again until someone reviews it.
- The advisory services need the network. When they cannot be reached (no DNS, refused,
  timed out, an endpoint the registry mirror does not serve) the audit WARNS and passes, so CI
  is never flaky because of them; every dependency the service could not check is counted.

Usage: python scripts/audit.py [--python] [--npm]   (both when neither is given)
Exit status: 0 ok or warnings only, 1 a vulnerability to fix (or a broken audit set-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / "audit-ignore.txt"
TIMEOUT = 300
NPM_FAILING_SEVERITIES = {"high", "critical"}
NETWORK_PATTERNS = re.compile(
    r"ConnectionError|NameResolutionError|Max retries exceeded|Name or service not known|"
    r"Temporary failure in name resolution|Connection refused|timed? ?out|ProxyError|SSLError|"
    r"ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|audit endpoint returned an error|"
    r"\b5\d\d\b|\b40[345]\b",
    re.IGNORECASE,
)


@dataclass
class Ignore:
    id: str
    review_by: dt.date
    reason: str


@dataclass
class Outcome:
    tool: str
    status: str = "ok"  # ok | warn | fail
    messages: list[str] = field(default_factory=list)
    packages: set[str] = field(default_factory=set)  # npm: the packages with an advisory

    def warn(self, message: str) -> None:
        self.messages.append(f"WARNING: {message}")
        if self.status == "ok":
            self.status = "warn"

    def fail(self, message: str) -> None:
        self.messages.append(f"FAIL: {message}")
        self.status = "fail"

    def info(self, message: str) -> None:
        self.messages.append(message)

    def judge(self, label: str, accepted: Ignore | None, fix: str, warning: str) -> None:
        """One advisory: accepted in audit-ignore.txt, to be fixed now (`fix` says how; empty:
        nothing to do yet), or else a warning."""
        if accepted:
            self.info(f"accepted until {accepted.review_by}: {label} ({accepted.reason})")
        elif fix:
            self.fail(f"{label} {fix}")
        else:
            self.warn(warning)


def load_ignores(text: str, today: dt.date) -> tuple[dict[str, Ignore], list[str]]:
    """Parse audit-ignore.txt: `ID  YYYY-MM-DD  reason`. Returns (active, problems)."""
    active: dict[str, Ignore] = {}
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3:
            problems.append(f"audit-ignore.txt line {number}: need ID, review-by date and reason")
            continue
        advisory, date_text, reason = parts
        try:
            review_by = dt.date.fromisoformat(date_text)
        except ValueError:
            problems.append(f"audit-ignore.txt line {number}: {date_text!r} is not YYYY-MM-DD")
            continue
        if review_by < today:
            problems.append(
                f"audit-ignore.txt line {number}: {advisory} was to be reviewed by {review_by};"
                " it no longer applies"
            )
            continue
        active[advisory.upper()] = Ignore(advisory.upper(), review_by, reason)
    return active, problems


def _accepted(ids: list[str], ignores: dict[str, Ignore]) -> Ignore | None:
    for advisory in ids:
        if advisory.upper() in ignores:
            return ignores[advisory.upper()]
    return None


def _timed_out(tool: str, what: str) -> Outcome:
    outcome = Outcome(tool)
    outcome.warn(f"{tool} timed out after {TIMEOUT}s; {what} NOT audited this run")
    return outcome


def _unreachable(outcome: Outcome, tool: str, stderr: str) -> Outcome:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    detail = lines[-1] if lines else "no output"
    outcome.warn(
        f"{tool} could not reach its advisory service; dependencies NOT audited this run ({detail[:300]})"
    )
    return outcome


def evaluate_pip_audit(
    returncode: int | None, stdout: str, stderr: str, ignores: dict[str, Ignore]
) -> Outcome:
    if returncode is None:
        return _timed_out("pip-audit", "dependencies")
    outcome = Outcome("pip-audit")
    try:
        report = json.loads(stdout)
        dependencies = report["dependencies"]
    except (ValueError, KeyError, TypeError):
        if NETWORK_PATTERNS.search(stderr):
            return _unreachable(outcome, "pip-audit", stderr)
        outcome.fail(f"pip-audit did not run (exit {returncode}): {stderr.strip()[-500:]}")
        return outcome
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    audited = [dep for dep in dependencies if not dep.get("skip_reason")]
    if dependencies and not audited:
        outcome.warn(
            f"the advisory service knew none of the {len(dependencies)} packages"
            " (unreachable or a mirror without the JSON API); dependencies NOT audited this run"
        )
    elif skipped:
        outcome.info(f"{len(skipped)} of {len(dependencies)} packages could not be audited:")
        for dep in skipped:
            outcome.info(f"  {dep['name']}: {dep['skip_reason']}")
    for dep in audited:
        for vuln in dep.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            label = f"{dep['name']} {dep['version']}: {', '.join(ids)}"
            fixes = vuln.get("fix_versions") or []
            outcome.judge(
                label,
                _accepted(ids, ignores),
                fix=f"is fixed in {', '.join(fixes)}: upgrade the pin" if fixes else "",
                warning=f"{label} has no fixed version yet",
            )
    if outcome.status == "ok":
        outcome.info(f"{len(audited)} packages audited, no known vulnerability to fix")
    return outcome


def _advisory_id(via: dict) -> str:
    match = re.search(r"GHSA-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}", via.get("url") or "", re.I)
    return match.group(0) if match else str(via.get("source", via.get("title", "?")))


def evaluate_npm_audit(
    returncode: int | None,
    stdout: str,
    stderr: str,
    ignores: dict[str, Ignore],
    *,
    test_only: Outcome | None = None,
) -> Outcome:
    """The production audit; with `test_only` (the production outcome), the audit of every
    package judged for the devDependencies only: what the production one reported is skipped,
    and nothing fails."""
    tool = "npm audit (test tooling)" if test_only is not None else "npm audit"
    if returncode is None:
        return _timed_out(tool, "packages")
    outcome = Outcome(tool)
    try:
        report = json.loads(stdout)
    except ValueError:
        report = None
    if not isinstance(report, dict) or "vulnerabilities" not in report:
        text = stderr + "\n" + (stdout or "")
        code = (report or {}).get("error", {}).get("code") if isinstance(report, dict) else None
        if code not in {"ENOLOCK", "EJSONPARSE"} and (
            NETWORK_PATTERNS.search(text) or isinstance(report, dict) and "statusCode" in report
        ):
            message = report.get("message") if isinstance(report, dict) else None
            return _unreachable(outcome, tool, message or stderr)
        outcome.fail(f"npm audit did not run (exit {returncode}): {text.strip()[-500:]}")
        return outcome
    for name, entry in sorted(report["vulnerabilities"].items()):
        if test_only is not None and name in test_only.packages:
            continue
        outcome.packages.add(name)
        fix = entry.get("fixAvailable")
        for via in entry.get("via", []):
            if not isinstance(via, dict):
                continue  # reported through another package's entry
            advisory = _advisory_id(via)
            severity = via.get("severity") or entry.get("severity", "unknown")
            label = f"{name} ({severity}): {advisory} {via.get('title', '')}".rstrip()
            fixable = severity in NPM_FAILING_SEVERITIES and fix
            if test_only is not None:  # test tooling: say what to do, never fail
                label += " [test only]" + (": update it in package.json" if fix else "")
                fixable = False
            outcome.judge(
                label,
                _accepted([advisory], ignores),
                fix="has a fix: npm audit fix, or update package.json" if fixable else "",
                warning=f"{label}{'' if fix else ' (no fix available)'}",
            )
    if outcome.status == "ok":
        counts = report.get("metadata", {}).get("dependencies", {})
        if test_only is not None:
            outcome.info(f"{counts.get('dev', '?')} test packages audited, no known vulnerability")
        else:
            outcome.info(
                f"{counts.get('prod', '?')} production packages audited, no known vulnerability"
            )
    return outcome


def run(command: list[str]) -> tuple[int | None, str, str]:
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return None, "", ""
    except FileNotFoundError as exc:
        return 127, "", str(exc)
    return done.returncode, done.stdout, done.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--python", action="store_true", help="audit the Python environment")
    parser.add_argument("--npm", action="store_true", help="audit the npm production packages")
    args = parser.parse_args(argv)
    both = not (args.python or args.npm)
    text = IGNORE_FILE.read_text() if IGNORE_FILE.exists() else ""
    ignores, problems = load_ignores(text, dt.date.today())
    outcomes = []
    if args.python or both:
        # The environment CI tests with: runtime and dev packages, transitive ones included.
        command = [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner"]
        command += ["off", "--desc", "off", "--aliases", "on", "--local"]
        outcomes.append(evaluate_pip_audit(*run(command), ignores))
    if args.npm or both:
        production = evaluate_npm_audit(*run(["npm", "audit", "--omit=dev", "--json"]), ignores)
        outcomes.append(production)
        everything = run(["npm", "audit", "--json"])
        outcomes.append(evaluate_npm_audit(*everything, ignores, test_only=production))
    lines = [f"WARNING: {problem}" for problem in problems]
    for outcome in outcomes:
        lines.append(f"--- {outcome.tool}: {outcome.status}")
        lines.extend(outcome.messages)
    sys.stdout.write("\n".join(lines) + "\n")
    return 1 if any(outcome.status == "fail" for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
