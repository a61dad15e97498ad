"""Training: Wagtail pages (catalogue, modules, lessons) and the records about each person.

Pages are written by Tim Komunikasi and approved by Moderator Konten (workflow
"Publikasi Pelatihan", see training/editorial.py). Per-person records (enrolment, lesson
completion, quiz attempts, certificates) are plain models written by training.services.
Every model is imported here so Django registers it under the app label `training`.
"""

from .pages import (
    STATUS_FILTERS,
    FourEyesPublishMixin,
    LessonPage,
    ModuleConfirmation,
    TrainingIndexPage,
    TrainingModuleForm,
    TrainingModulePage,
    confirmed_mandatory_modules,
    filter_by_status,
    validate_jp_hours,
)
from .quiz import Choice, PublicQuestion, Question
from .records import (
    AttemptGrant,
    Certificate,
    CertificateQuerySet,
    Enrollment,
    LessonCompletion,
    QuizAttempt,
    new_certificate_code,
)

__all__ = [
    "STATUS_FILTERS",
    "AttemptGrant",
    "Certificate",
    "CertificateQuerySet",
    "Choice",
    "Enrollment",
    "FourEyesPublishMixin",
    "LessonCompletion",
    "LessonPage",
    "ModuleConfirmation",
    "PublicQuestion",
    "Question",
    "QuizAttempt",
    "TrainingIndexPage",
    "TrainingModuleForm",
    "TrainingModulePage",
    "confirmed_mandatory_modules",
    "filter_by_status",
    "new_certificate_code",
    "validate_jp_hours",
]
