"""Baseline views: the least Django can do for the same job (no auth, no templates, no ORM)."""

import json

from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from leaderboard.models import season_of

RANKING_SQL = """
SELECT u.id, u.full_name, o.name, s.total
FROM leaderboard_score s JOIN portal_user u ON u.id = s.user_id
LEFT JOIN portal_orgunit o ON o.id = u.org_unit_id
WHERE s.season = %s AND u.is_active
ORDER BY s.total DESC, s.user_id LIMIT 10
"""


def hello(request):
    return HttpResponse("hello")


def ranking(request):
    """One hand-written SQL query: this month's top ten with names and units, as HTML."""
    with connection.cursor() as cursor:
        cursor.execute(RANKING_SQL, [season_of(timezone.now())])
        rows = cursor.fetchall()
    body = "".join(f"<tr><td>{r[1]}</td><td>{r[2]}</td><td>{r[3]}</td></tr>" for r in rows)
    return HttpResponse(f"<table>{body}</table>")


@csrf_exempt
def insert(request):
    """One INSERT per POST, nothing else."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_insert (body, created_at) VALUES (%s, %s)",
            [json.dumps(request.POST.dict())[:1000], timezone.now()],
        )
    return HttpResponse("ok", status=201)
