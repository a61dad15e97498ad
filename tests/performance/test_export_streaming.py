"""Exports stream under ASGI too (issue 19): Django serves a plain streamed response there by
reading all of it into a list first, so under daphne a city's export sat in the process whole.
The exports' responses hand over one chunk at a time, read as they are asked for."""

import asyncio
import io
from http import HTTPStatus

import pytest
from django.urls import reverse

from performance.exports import FileDownload, StreamedDownload
from performance.models import Cycle
from performance.services import evaluation
from tests.evaluation.conftest import make_unit
from tests.performance.factories import make_cycle


async def _first(response, n: int) -> list[bytes]:
    got = []
    async for chunk in response:
        got.append(chunk)
        if len(got) == n:
            break
    return got


def test_a_generated_download_is_read_a_chunk_at_a_time_under_asgi():
    read = []

    def chunks():
        for n in range(5):
            read.append(n)
            yield str(n)

    response = StreamedDownload(chunks())
    assert asyncio.run(_first(response, 2)) == [b"0", b"1"]
    assert read == [0, 1]  # a plain StreamingHttpResponse has read all five by now


def test_a_file_download_is_read_a_block_at_a_time_under_asgi():
    class Recorded(io.BytesIO):
        reads = 0

        def read(self, size=-1):
            Recorded.reads += 1
            return super().read(size)

    response = FileDownload(Recorded(b"x" * (4 * FileDownload.block_size)))
    assert [len(c) for c in asyncio.run(_first(response, 1))] == [FileDownload.block_size]
    assert Recorded.reads == 1


@pytest.mark.django_db
def test_the_predikat_and_ekinerja_exports_are_such_downloads(client):
    cycle = make_cycle()
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    unit = make_unit(cycle, n_staff=1)
    evaluation.rate_annual(
        actor=unit.penilai, skp=unit.skps[0], hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    client.force_login(unit.head)
    urls = {
        FileDownload: reverse("performance:predikat_xlsx", args=[cycle.year]),
        StreamedDownload: reverse("performance:ekinerja_opd_json", args=[cycle.year]),
    }
    for kind, url in urls.items():
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert type(response) is kind
