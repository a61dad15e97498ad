"""The deployment files hang together. Docker cannot run here: the compose file and the
Dockerfile are checked for structure only (PyYAML), the systemd units with configparser."""

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOC = (ROOT / "docs" / "deploy.md").read_text()


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_services(compose):
    services = compose["services"]
    assert set(services) == {"db", "redis", "data-owner", "migrate", "web", "mail", "jobs"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert "postgres-data" in compose["volumes"]


def test_compose_web_serves_http_and_websockets_with_daphne(compose):
    web = compose["services"]["web"]
    assert web["build"] == "."
    assert web["command"][0] == "daphne" and web["command"][-1] == "portal.asgi:application"
    assert "--websocket-max-message-size" in web["command"]
    assert web["ports"] == ["127.0.0.1:8000:8000"]
    env = web["environment"]
    assert re.fullmatch(
        r"postgres://portal:\$\{POSTGRES_PASSWORD[^}]*\}@db:5432/portal", env["DATABASE_URL"]
    )
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert web["env_file"] == ".env"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/healthz/" in web["healthcheck"]["test"][-1]
    assert compose["services"]["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    for service in ("web", "migrate"):
        volumes = compose["services"][service]["volumes"]
        assert "./data/media:/data/media" in volumes and "./data/private:/data/private" in volumes


def test_compose_hands_the_data_folders_to_the_image_user_before_anything_writes(compose):
    services = compose["services"]
    owner = services["data-owner"]
    assert owner["user"] == "0" and owner["command"][:3] == ["chown", "-R", "portal:portal"]
    assert set(owner["command"][3:]) == {"/data/media", "/data/private"}
    assert owner["depends_on"] == {}
    migrate = services["migrate"]["depends_on"]
    assert migrate["data-owner"]["condition"] == "service_completed_successfully"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "useradd --system" in dockerfile and " portal" in dockerfile


def test_compose_runs_the_outbox_every_minute_and_the_jobs_every_hour(compose):
    services = compose["services"]
    mail = " ".join(services["mail"]["command"])
    assert "manage.py send_notification_emails" in mail and "sleep 60" in mail
    jobs = " ".join(services["jobs"]["command"])
    assert "manage.py send_reminders" in jobs and "manage.py apply_assignments" in jobs
    assert "sleep 3600" in jobs
    for name in ("mail", "jobs"):
        assert services[name]["restart"] == "unless-stopped"
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert services[name]["environment"]["DATABASE_URL"].endswith("@db:5432/portal")


def test_dockerfile_matches_the_compose_file():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile  # Django 5.2 LTS on Python 3.11 (STACK-NOTES)
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert "npm ci --omit=dev" in dockerfile
    assert "collectstatic" in dockerfile
    assert "EXPOSE 8000" in dockerfile
    assert re.search(r"^USER portal$", dockerfile, re.M)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "node_modules", ".env"} <= set(ignored)


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text().replace("\\\n", " "))
    return parser


@pytest.mark.parametrize(
    ("name", "program", "port"),
    [("portal-web.service", "gunicorn", "8001"), ("portal-ws.service", "daphne", "8002")],
)
def test_systemd_units(name, program, port):
    service = unit(name)["Service"]
    assert service["User"] == "portal"
    assert service["EnvironmentFile"] == "/etc/portal/portal.env"
    assert service["WorkingDirectory"] == "/srv/portal/app"
    assert service["ExecStart"].startswith(f"/srv/portal/app/.venv/bin/{program} ")
    assert port in service["ExecStart"]
    assert service["Restart"] == "on-failure"
    assert "/srv/portal/private" in service["ReadWritePaths"]
    assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


def test_the_mail_timer_runs_the_outbox_sender_every_minute():
    service = unit("portal-mail.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["User"] == "portal"
    assert service["EnvironmentFile"] == "/etc/portal/portal.env"
    assert service["WorkingDirectory"] == "/srv/portal/app"
    assert service["ExecStart"].startswith(
        "/srv/portal/app/.venv/bin/python manage.py send_notification_emails"
    )
    timer = unit("portal-mail.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* *:*:00"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_the_reminders_timer_runs_every_hour_in_the_day():
    service = unit("portal-reminders.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["User"] == "portal"
    assert service["EnvironmentFile"] == "/etc/portal/portal.env"
    assert service["ExecStart"] == "/srv/portal/app/.venv/bin/python manage.py send_reminders"
    timer = unit("portal-reminders.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 07..20:00:00 Asia/Jakarta"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_nginx_routes_websockets_to_daphne_and_the_rest_to_gunicorn():
    conf = (DEPLOY / "nginx.conf").read_text()
    assert "server 127.0.0.1:8001;" in conf and "server 127.0.0.1:8002;" in conf
    ws = conf[conf.index("location /ws/") :]
    ws = ws[: ws.index("}")]
    assert "proxy_pass http://portal_ws;" in ws
    assert "proxy_set_header Upgrade $http_upgrade;" in ws
    assert 'proxy_set_header Connection "upgrade";' in ws
    assert "proxy_http_version 1.1;" in ws
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_pass http://portal_http;" in conf
    assert "location /static/" in conf and "location /media/" in conf
    assert "/srv/portal/private" not in conf  # private files only through Django views
    assert conf.count("{") == conf.count("}")


def test_the_env_example_is_linked_and_every_variable_is_read_by_the_settings():
    link = DEPLOY / "portal.env.example"
    assert link.resolve() == (ROOT / ".env.example").resolve()
    names = re.findall(r"^([A-Z][A-Z0-9_]+)=", link.read_text(), re.M)
    settings_source = "".join(
        path.read_text() for path in (ROOT / "portal" / "settings").glob("*.py")
    )
    unread = [
        name
        for name in names
        if f'"{name}"' not in settings_source and name not in {"DATABASE_URL"}  # dj-database-url
    ]
    assert unread == []


def test_the_guide_covers_what_an_operator_needs():
    for topic in (
        "PostgreSQL",
        "Redis",
        "nginx",
        "systemd",
        "portal-web.service",
        "portal-ws.service",
        "/ws/",
        "send_reminders",
        "send_notification_emails",
        "portal-mail.timer",
        "portal-reminders.timer",
        "pg_dump --format=custom",
        "pg_restore",
        "scripts/backup_restore_check.sh",
        "make compilemessages",
        "migrate --noinput",
        "collectstatic",
        "createsuperuser",
        "TOTP",
        "docker compose up",
        "DJANGO_PRIVATE_MEDIA_ROOT",
    ):
        assert topic in DOC, topic
    for path in re.findall(
        r"`(deploy/[\w.-]+|scripts/[\w.-]+|docker-compose\.yml|Dockerfile)`", DOC
    ):
        assert (ROOT / path).exists(), path


@pytest.mark.skipif(
    not shutil.which("nginx"), reason="nginx not installed (apt-get install nginx-light)"
)
def test_nginx_accepts_the_configuration(tmp_path):
    """`nginx -t` on deploy/nginx.conf, with a throwaway certificate in place of the real one."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
         "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx.conf").read_text().replace("/etc/ssl/portal", str(tmp_path))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
