"""`bench_city_exports`' measuring function on the test database with a few rows: a real server
process (gunicorn, the benchmark settings) serves the predikat XLSX and the streamed e-Kinerja
JSON to the head of a small OPD, and the figures are those of the rows made here: the data rows
counted in the download, the statements (for the streamed JSON, those run while streaming too),
the process's own peak RSS growth. Timings are not asserted.

The server is a subprocess reading the committed rows, so PostgreSQL only (like the deadline
benchmark's test).
"""

from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.db import connection

from benchmarks import bench_city_exports as bench
from benchmarks import common
from performance.models import Cycle
from performance.services import evaluation
from tests.evaluation.conftest import make_unit
from tests.performance.factories import make_cycle

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url() -> str:
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_export_measure_counts_the_rows_and_the_statements_of_a_real_server(tmp_path):
    cycle = make_cycle()
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    unit = make_unit(cycle, n_staff=3)
    for skp in unit.skps[:2]:
        evaluation.rate_annual(
            actor=unit.penilai, skp=skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    session = common.session_cookie(unit.head)
    log = tmp_path / "queries"
    port = bench.free_port(8197)
    proc, pid = bench.serve(
        _url(), port, DJANGO_SECRET_KEY=django_settings.SECRET_KEY,
        REDIS_URL=django_settings.REDIS_URL, BENCH_QUERY_LOG=str(log),
        DJANGO_CACHE_PREFIX="test-exports", CHANNELS_PREFIX="test-exports",
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        evaluasi = f"/kinerja/evaluasi/{cycle.year}"
        xlsx = bench.fetch(base, f"{evaluasi}/predikat.xlsx", session, pid, log)
        json = bench.fetch(
            base, f"{evaluasi}/skp-ekinerja.json?opd={unit.opd.pk}", session, pid, log
        )
    finally:
        common.stop(proc)
    assert (xlsx.status, json.status) == (HTTPStatus.OK, HTTPStatus.OK)
    assert xlsx.rows == 2  # the two annual ratings; the header row is not counted
    assert json.rows == 3  # one document per SKP of the OPD
    # The workbook is written before the response starts: its header has every statement;
    # the JSON's goes out before its SKPs are read, the logged total after the last one.
    assert xlsx.queries == xlsx.header_queries != "?"
    assert int(json.queries) > int(json.header_queries) > 0
    assert log.read_text().count("skp-ekinerja.json") == 1
    for fetched in (xlsx, json):
        assert fetched.size > 0
        assert 0 <= fetched.growth_kib < 64 * 1024
