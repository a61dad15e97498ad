"""The quiz of a module as read from its StreamField: what is graded, and what the browser sees."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Choice:
    token: str
    text: str
    is_correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    multiple: bool
    choices: list[Choice]
    explanation: str

    @property
    def correct_tokens(self) -> frozenset[str]:
        return frozenset(c.token for c in self.choices if c.is_correct)

    def public(self) -> PublicQuestion:
        """What the browser may see before submission: no mark of the correct choices."""
        return PublicQuestion(
            id=self.id,
            text=self.text,
            multiple=self.multiple,
            choices=[(c.token, c.text) for c in self.choices],
        )


@dataclass(frozen=True)
class PublicQuestion:
    id: str
    text: str
    multiple: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
