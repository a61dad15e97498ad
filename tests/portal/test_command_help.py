"""Every management command of the portal prints its help (`manage.py <command> --help`)."""

import pytest
from django.core.management import get_commands, load_command_class

PORTAL_APPS = {"portal", "performance", "leaderboard", "training", "cms", "api", "benchmarks"}
COMMANDS = sorted((name, app) for name, app in get_commands().items() if app in PORTAL_APPS)


def test_the_portal_has_commands():
    assert {"send_notification_emails", "apply_assignments", "seed_demo"} <= {
        name for name, _app in COMMANDS
    }


@pytest.mark.parametrize(("name", "app"), COMMANDS)
def test_help_is_printed(name, app):
    command = load_command_class(app, name)
    text = command.create_parser("manage.py", name).format_help()
    assert f"manage.py {name}" in text
    assert str(command.help).split()[0] in text
