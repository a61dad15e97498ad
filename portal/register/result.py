"""What a register sync answers: who was created or updated, and the errors of each line."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import User


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        if not self.line:  # about someone not in the file
            return self.message
        return _("Baris %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    # people not in the file whose assignments end (`end_missing`), unit loaded
    ended: list[User] = field(default_factory=list)
    # partial mode: good rows were written (or would be) and the bad ones only reported
    partial: bool = False
    # refused because another sync was writing (nothing saved; `errors` says so): try later
    busy: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> int:
        """How many rows were (or, in a dry run, would be) written."""
        return len(self.created) + len(self.updated)

    @property
    def bad_lines(self) -> list[int]:
        """The lines of the file refused (in partial mode they were left out)."""
        return sorted({error.line for error in self.errors if error.line})
