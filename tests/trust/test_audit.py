"""scripts/audit.py: the CI policy for pip-audit and npm audit, on canned outputs."""

import datetime as dt
import importlib.util
import json
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(spec)
sys.modules["audit"] = audit  # dataclasses look their module up
spec.loader.exec_module(audit)

TODAY = dt.date(2026, 11, 28)


def pip_report(*deps) -> str:
    return json.dumps({"dependencies": list(deps), "fixes": []})


def dep(name, version="1.0", vulns=()):
    return {"name": name, "version": version, "vulns": list(vulns)}


def vuln(id_, fixes=(), aliases=()):
    return {"id": id_, "fix_versions": list(fixes), "aliases": list(aliases)}


def ignores(text):
    active, problems = audit.load_ignores(text, TODAY)
    return active


# --- pip-audit ---------------------------------------------------------------------------------


def test_clean_environment_passes():
    outcome = audit.evaluate_pip_audit(0, pip_report(dep("django"), dep("wagtail")), "", {})
    assert outcome.status == "ok"
    assert "2 packages audited" in outcome.messages[-1]


def test_a_vulnerability_with_a_fix_fails():
    report = pip_report(dep("django", "5.2.1", [vuln("PYSEC-2026-1", ["5.2.2"], ["CVE-2026-1"])]))
    outcome = audit.evaluate_pip_audit(1, report, "", {})
    assert outcome.status == "fail"
    assert "django 5.2.1: PYSEC-2026-1, CVE-2026-1 is fixed in 5.2.2" in outcome.messages[0]


def test_a_vulnerability_without_a_fix_only_warns():
    report = pip_report(dep("pillow", "13.0.0", [vuln("GHSA-aaaa-bbbb-cccc")]))
    outcome = audit.evaluate_pip_audit(1, report, "", {})
    assert outcome.status == "warn"
    assert "no fixed version yet" in outcome.messages[0]


def test_an_accepted_advisory_passes_by_any_alias():
    report = pip_report(dep("django", "5.2.1", [vuln("PYSEC-2026-1", ["5.2.2"], ["CVE-2026-1"])]))
    accepted = ignores("CVE-2026-1  2027-01-31  only the admin upload reaches it\n")
    outcome = audit.evaluate_pip_audit(1, report, "", accepted)
    assert outcome.status == "ok"
    assert "accepted until 2027-01-31" in outcome.messages[0]


def test_an_expired_acceptance_no_longer_applies():
    active, problems = audit.load_ignores("CVE-2026-1  2026-11-27  old reason\n", TODAY)
    assert active == {}
    assert "no longer applies" in problems[0]
    report = pip_report(dep("django", "5.2.1", [vuln("PYSEC-2026-1", ["5.2.2"], ["CVE-2026-1"])]))
    assert audit.evaluate_pip_audit(1, report, "", active).status == "fail"


def test_ignore_file_format_errors_are_reported():
    active, problems = audit.load_ignores(
        "# comment\n\nGHSA-1  tomorrow  reason\nGHSA-2 2027-01-01\nGHSA-3 2027-01-01 ok # with hash\n",
        TODAY,
    )
    assert list(active) == ["GHSA-3"] and active["GHSA-3"].reason == "ok # with hash"
    assert len(problems) == 2


def test_unreachable_advisory_service_warns_and_passes():
    stderr = (
        "Traceback (most recent call last):\n...\nrequests.exceptions.ConnectionError: "
        "HTTPSConnectionPool(host='advisories.example', port=443): Max retries exceeded\n"
    )
    outcome = audit.evaluate_pip_audit(1, "", stderr, {})
    assert outcome.status == "warn"
    assert "NOT audited" in outcome.messages[0] and "Max retries" in outcome.messages[0]


def test_a_service_that_knows_no_package_warns():
    skipped = {
        "name": "django",
        "skip_reason": "Dependency not found on PyPI and could not be audited",
    }
    outcome = audit.evaluate_pip_audit(0, pip_report(skipped, {**skipped, "name": "x"}), "", {})
    assert outcome.status == "warn"
    assert "knew none of the 2 packages" in outcome.messages[0]


def test_some_skipped_packages_are_listed_but_do_not_fail():
    skipped = {"name": "portal-local", "skip_reason": "not on the index"}
    outcome = audit.evaluate_pip_audit(0, pip_report(dep("django"), skipped), "", {})
    assert outcome.status == "ok"
    assert any("portal-local" in message for message in outcome.messages)


def test_timeout_warns():
    assert audit.evaluate_pip_audit(None, "", "", {}).status == "warn"


def test_a_broken_tool_fails():
    outcome = audit.evaluate_pip_audit(2, "", "pip-audit: error: unrecognized arguments: --bad", {})
    assert outcome.status == "fail"


# --- npm audit ---------------------------------------------------------------------------------


def npm_report(**vulnerabilities) -> str:
    return json.dumps(
        {
            "auditReportVersion": 2,
            "vulnerabilities": vulnerabilities,
            "metadata": {"dependencies": {"prod": 5}},
        }
    )


def npm_entry(severity, fix, *, ghsa="GHSA-abcd-efgh-ijkl", via=None):
    advisory = {
        "source": 1096,
        "title": "Prototype pollution",
        "url": f"https://github.com/advisories/{ghsa}",
        "severity": severity,
    }
    return {"severity": severity, "fixAvailable": fix, "via": via or [advisory]}


def test_npm_clean_passes():
    outcome = audit.evaluate_npm_audit(0, npm_report(), "", {})
    assert outcome.status == "ok"
    assert "5 production packages audited" in outcome.messages[0]


@pytest.mark.parametrize(
    ("severity", "fix", "status"),
    [
        ("critical", True, "fail"),
        ("high", {"name": "chart.js", "version": "4.5.1"}, "fail"),
        ("high", False, "warn"),
        ("moderate", True, "warn"),
        ("low", True, "warn"),
    ],
)
def test_npm_policy(severity, fix, status):
    outcome = audit.evaluate_npm_audit(
        1, npm_report(**{"chart.js": npm_entry(severity, fix)}), "", {}
    )
    assert outcome.status == status


def test_npm_accepted_advisory_passes():
    report = npm_report(**{"htmx.org": npm_entry("high", True, ghsa="GHSA-1234-5678-9abc")})
    outcome = audit.evaluate_npm_audit(1, report, "", ignores("GHSA-1234-5678-9abc 2027-02-01 x\n"))
    assert outcome.status == "ok"


def test_npm_propagated_entries_are_judged_at_their_source():
    report = npm_report(
        parent={"severity": "high", "fixAvailable": True, "via": ["child"]},
        child=npm_entry("high", True, ghsa="GHSA-1234-5678-9abc"),
    )
    outcome = audit.evaluate_npm_audit(1, report, "", ignores("GHSA-1234-5678-9abc 2027-02-01 x\n"))
    assert outcome.status == "ok"


def test_npm_unreachable_endpoint_warns():
    body = json.dumps(
        {
            "message": "405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk",
            "statusCode": 405,
            "error": {"summary": "", "detail": ""},
        }
    )
    outcome = audit.evaluate_npm_audit(1, body, "npm error audit endpoint returned an error", {})
    assert outcome.status == "warn"
    assert "405 Method Not Allowed" in outcome.messages[0]


def test_npm_dns_failure_warns():
    body = json.dumps({"error": {"code": "ENOTFOUND", "summary": "getaddrinfo ENOTFOUND"}})
    assert audit.evaluate_npm_audit(1, body, "", {}).status == "warn"


def test_npm_without_a_lockfile_fails():
    body = json.dumps({"error": {"code": "ENOLOCK", "summary": "requires a lockfile"}})
    assert audit.evaluate_npm_audit(1, body, "", {}).status == "fail"


def test_main_exit_status(monkeypatch, capsys):
    report = pip_report(dep("django", "5.2.1", [vuln("PYSEC-2026-1", ["5.2.2"])]))
    monkeypatch.setattr(audit, "run", lambda command: (1, report, ""))
    assert audit.main(["--python"]) == 1
    assert "FAIL: django 5.2.1" in capsys.readouterr().out
    monkeypatch.setattr(audit, "run", lambda command: (1, "", "ConnectionError: refused"))
    assert audit.main(["--python"]) == 0


def test_the_repository_ignore_file_parses():
    active, problems = audit.load_ignores((ROOT / "audit-ignore.txt").read_text(), TODAY)
    assert problems == []


def test_npm_test_tooling_only_warns_and_skips_what_production_reported():
    production = audit.evaluate_npm_audit(
        1, npm_report(**{"chart.js": npm_entry("high", True)}), "", {}
    )
    assert production.status == "fail" and production.packages == {"chart.js"}
    everything = npm_report(
        **{"chart.js": npm_entry("high", True), "oidc-provider": npm_entry("critical", True)}
    )
    tooling = audit.evaluate_npm_audit(1, everything, "", {}, test_only=production)
    assert tooling.status == "warn" and tooling.tool == "npm audit (test tooling)"
    assert len(tooling.messages) == 1
    assert "oidc-provider (critical)" in tooling.messages[0]
    assert "[test only]: update it in package.json" in tooling.messages[0]


def test_npm_test_tooling_clean_counts_the_dev_packages():
    report = json.dumps({"vulnerabilities": {}, "metadata": {"dependencies": {"dev": 90}}})
    outcome = audit.evaluate_npm_audit(0, report, "", {}, test_only=audit.Outcome("npm audit"))
    assert outcome.status == "ok" and "90 test packages audited" in outcome.messages[0]


# --- what the audit covers ---------------------------------------------------------------------

ISSUE_18 = {  # SSO (allauth's OpenID Connect) and the REST API, with what they rest on
    "django-allauth",
    "pyjwt",
    "cryptography",
    "oauthlib",
    "django-ninja",
    "pydantic",
    "openapi-spec-validator",
    "schemathesis",
    "openapi-python-client",
}


def pins() -> dict[str, str]:
    found = {}
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if "==" in line:
                package, version = line.split("==")
                found[package.split("[")[0].strip().lower()] = version.strip()
    return found


def test_issue_18_packages_are_pinned_and_installed_where_pip_audit_looks():
    """pip-audit --local audits the installed environment: each package of the SSO and the API
    is pinned (so a fix is a raised pin) and installed at that pin (so the pin is what is
    audited)."""
    pinned = pins()
    assert pinned.keys() >= ISSUE_18, ISSUE_18 - pinned.keys()
    for name in sorted(ISSUE_18):
        assert version(name) == pinned[name], name
