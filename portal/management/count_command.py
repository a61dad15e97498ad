"""A management command run with one whole-number option that must be at least 1."""

from django.core.management.base import BaseCommand, CommandError


class CountCommand(BaseCommand):
    """Subclasses name the option (`option`, without the dashes), its `default` and
    `option_help`, the error when it is below 1 (`too_small`), and do their work in
    `run(value)`."""

    option = ""
    default = 1
    option_help = ""
    too_small = ""

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse formats help text with a regular expression: a lazy translation is
        # made a string here, in the language active when the command runs
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            f"--{self.option}", type=int, default=self.default, help=str(self.option_help)
        )

    def handle(self, *args, **options):
        value = options[self.option]
        if value < 1:
            raise CommandError(self.too_small)
        self.run(value)

    def run(self, value: int) -> None:
        raise NotImplementedError
