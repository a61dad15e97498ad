"""The result of a batch action that tries each row on its own (one refused row undoes nothing
of the others): the rows done, and the rows refused with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError

T = TypeVar("T")


def refusal_reason(exc: PermissionDenied | ValidationError) -> str:
    """A writer's refusal as one line of text (all the messages of a `ValidationError`)."""
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@dataclass
class Outcome(Generic[T]):
    done: list[T] = field(default_factory=list)
    refused: list[tuple[T, str]] = field(default_factory=list)

    def refuse(self, row: T, reason: str | PermissionDenied | ValidationError) -> None:
        """List `row` as refused, with `reason` (a text or the writer's exception)."""
        self.refused.append((row, reason if isinstance(reason, str) else refusal_reason(reason)))
