"""Training's section of the personal data export (/beranda/data-saya/, portal.privacy)."""

from .models import Certificate, Enrollment, LessonCompletion, QuizAttempt


def training_personal_data(user) -> dict:
    """My enrolments, lessons done, quiz attempts and certificates, for /beranda/data-saya/."""
    return {
        "training": {
            "enrollments": [
                {
                    "module": e.module.title,
                    "enrolled_at": e.created_at,
                    "completed_at": e.completed_at,
                }
                for e in Enrollment.objects.filter(user=user)
                .select_related("module")
                .order_by("pk")
            ],
            "lessons_completed": [
                {"lesson": c.lesson.title, "completed_at": c.completed_at}
                for c in LessonCompletion.objects.filter(user=user)
                .select_related("lesson")
                .order_by("pk")
            ],
            "quiz_attempts": [
                {"module": a.module.title, "score": a.score, "passed": a.passed, "at": a.created_at}
                for a in QuizAttempt.objects.filter(user=user)
                .select_related("module")
                .order_by("pk")
            ],
            "certificates": list(
                Certificate.objects.filter(user=user)
                .order_by("pk")
                .values("code", "module_title", "jp", "score", "issued_at")
            ),
        }
    }
