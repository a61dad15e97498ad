"""Hostile uploads (issue 9): the evidence upload of a periodic report and the staff register
import (Wagtail admin and the service). Wrong magic bytes, empty and oversized files, zip
bombs, nested and broken archives, path names, NUL and very long names: never a 500, a refusal
says why in Indonesian and stores nothing, an accepted file is typed by its content and named
safely inside its storage.

Multipart bodies are built by hand: Django's test client strips directories from file names
before they are sent, and a browser (or a script) need not.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from performance.models import Evidence, PeriodicReport
from performance.uploads import ALLOWED, MAX_EVIDENCE_BYTES, check_evidence_file
from portal.models import User
from portal.services import read_register
from tests.factories import OrgUnitFactory, UserFactory
from tests.performance.factories import current_period, make_cycle, make_report, make_skp
from tests.trust.fuzz import body, rolled_back, scaled

pytestmark = pytest.mark.django_db

BOUNDARY = "----fuzz-boundary-7MA4YWxkTrZu0gW"
SAMPLE_CSV = (Path(__file__).resolve().parents[2] / "docs" / "contoh-data-pegawai.csv").read_bytes()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    """A multipart/form-data body with the file names exactly as given."""
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, content) in files.items():
        quoted = filename.replace("\\", "\\\\").replace('"', '\\"')
        out.write(
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{quoted}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode("utf-8", "surrogatepass")
        )
        out.write(content + b"\r\n")
    out.write(f"--{BOUNDARY}--\r\n".encode())
    return out.getvalue()


def post_multipart(client: Client, path: str, fields: dict, files: dict):
    return client.post(
        path, multipart(fields, files), content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


# --- hostile files ----------------------------------------------------------------------------


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def content_types(main: str) -> bytes:
    return (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/x" ContentType="application/vnd.openxmlformats-'
        b"officedocument." + main.encode() + b'"/></Types>'
    )


DOCX = zipped(
    {
        "[Content_Types].xml": content_types("wordprocessingml.document.main+xml"),
        "word/document.xml": b"<w:document/>",
    }
)


@cache
def bomb(member: str, *, megabytes: int = 150, extra: tuple = (), head=b"", tail=b"") -> bytes:
    """A small zip with `member` inflating to `megabytes` MB (streamed, never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in extra:
            archive.writestr(name, content)
        with archive.open(member, "w", force_zip64=True) as handle:
            handle.write(head)
            chunk = b"<row/>" * (1024 * 1024 // 6) if head else b" " * (1024 * 1024)
            for _ in range(megabytes):
                handle.write(chunk)
            handle.write(tail)
    return out.getvalue()


def docx_bomb() -> bytes:
    # the part the type check reads is itself the bomb
    return bomb("[Content_Types].xml")


def xlsx_bomb() -> bytes:
    """A real workbook whose sheet holds ~26 million empty rows."""
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(register_xlsx([HEADER.split(",")]))) as archive:
        extra = tuple((n, archive.read(n)) for n in archive.namelist() if n != sheet)
        original = archive.read(sheet)
    head = original[: original.index(b"<sheetData>") + len(b"<sheetData>")]
    tail = original[original.index(b"</sheetData>") :]
    return bomb(sheet, extra=extra, head=head, tail=tail)


def flipped(data: bytes, positions: list[int]) -> bytes:
    raw = bytearray(data)
    for position in positions:
        raw[position % len(raw)] ^= 0xFF
    return bytes(raw)


NASTY_NAMES = [
    "../../etc/passwd",
    "../../etc/passwd.pdf",
    "/etc/passwd.pdf",
    "..\\..\\windows\\win.ini.pdf",
    "C:\\Users\\bukti.pdf",
    "bukti\x00.pdf",
    "bukti.pdf\x00.exe",
    "a" * 300 + ".pdf",
    "\U0001f600" * 80 + ".pdf",
    "laporan \u202efdp.exe",
    "\u0644\u0627\u067e\u0648\u0631\u062a.pdf",
    "CON.pdf",
    ".pdf",
    "..",
    "",
    " ",
    "bukti.PDF",
    "bukti.pdf.exe",
    "bukti.exe",
    'kutip".pdf',
    "bukti.pdf; filename=evil.exe",
]
names = st.one_of(
    st.sampled_from(NASTY_NAMES),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80).map(lambda s: s + ".pdf"),
)


def evidence_contents():
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
    return st.one_of(
        st.sampled_from(
            [
                b"",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,  # a Windows program
                b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
                b"<html><script>alert(1)</script></html>",
                pdf,
                png,
                DOCX,
                zipped({"dalam.zip": zipped({"dalam.docx": DOCX})}),  # nested archives
                zipped({"[Content_Types].xml": b"x" * 10}),
            ]
        ),
        st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=4).map(
            lambda positions: flipped(DOCX, positions)  # a damaged document
        ),
        st.binary(max_size=2048),
        st.binary(max_size=64).map(lambda tail: pdf[:8] + tail),
    )


# --- the evidence upload ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def evidence_world(django_db_setup, django_db_blocker, tmp_path_factory):
    root = tmp_path_factory.mktemp("private")
    storage = FileSystemStorage(location=root, base_url=None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Evidence._meta.get_field("file"), "storage", storage)
        with django_db_blocker.unblock(), transaction.atomic():
            opd = OrgUnitFactory()
            supervisor = UserFactory(org_unit=opd)
            employee = UserFactory(org_unit=opd, atasan=supervisor)
            cycle = make_cycle()
            report = make_report(make_skp(employee, cycle), current_period(cycle), status="draf")
            yield {"employee": employee, "report": report, "root": root}
            transaction.set_rollback(True)


def stored_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def state(report: PeriodicReport) -> tuple:
    return (
        list(Evidence.objects.order_by("pk").values_list("original_name", "file", "size")),
        PeriodicReport.objects.filter(pk=report.pk).values_list("status").get(),
    )


def test_evidence_upload_survives_hostile_files(evidence_world):
    world = evidence_world
    report, root = world["report"], world["root"]
    client = Client()
    client.force_login(world["employee"])
    path = f"/kinerja/laporan/{report.pk}/bukti/"

    @scaled(1.5)
    @given(content=evidence_contents(), name=names, description=st.text(max_size=300))
    @example(content=docx_bomb(), name="bukti.docx", description="")
    @example(content=b"MZ\x90\x00" + b"\x00" * 100, name="laporan.pdf", description="")
    @example(content=DOCX, name="../../etc/passwd.docx", description="")
    @example(content=DOCX, name="a" * 300 + ".docx", description="")
    def run(content, name, description):
        with rolled_back():
            before, files = state(report), stored_files(root)
            response = post_multipart(
                client, path, {"description": description}, {"file": (name, content)}
            )
            assert response.status_code < 500
            if response.status_code == HTTPStatus.FOUND:  # accepted
                assert len(state(report)[0]) == len(before[0]) + 1
                evidence = Evidence.objects.filter(report=report).order_by("-pk").first()
                stored = Path(evidence.file.path).resolve()
                assert stored.is_relative_to(root.resolve())
                assert not any(c in evidence.original_name for c in "/\\\x00")
                assert len(evidence.original_name) <= 200
                assert content[:2] != b"MZ" and content[:4] != b"\x7fELF"
                assert evidence.content_type in {mime for mime, _ in ALLOWED.values()}
                assert evidence.size == len(content) > 0
                stored.unlink()  # the row is rolled back; so is its file
            else:
                assert state(report) == before, "a refused upload changed saved data"
                assert stored_files(root) == files, "a refused upload left a file behind"
                html = body(response)
                assert "Berkas" in html or "berkas" in html

    run()


def test_an_oversized_evidence_file_is_refused_with_its_size(evidence_world):
    world = evidence_world
    client = Client()
    client.force_login(world["employee"])
    big = b"%PDF-1.4\n" + b"0" * MAX_EVIDENCE_BYTES
    response = post_multipart(
        client, f"/kinerja/laporan/{world['report'].pk}/bukti/", {}, {"file": ("besar.pdf", big)}
    )
    assert response.status_code == HTTPStatus.OK
    assert "terlalu besar" in response.content.decode()
    assert not Evidence.objects.filter(report=world["report"]).exists()


@scaled(3)
@given(content=evidence_contents(), name=names)
@example(content=docx_bomb(), name="bukti.docx")
def test_the_evidence_check_only_ever_refuses_politely(content, name):
    from django.core.exceptions import ValidationError

    upload = SimpleUploadedFile(name or "x", content)
    try:
        checked = check_evidence_file(upload)
    except ValidationError as error:
        assert error.messages and all(m.strip() for m in error.messages)
    else:
        assert checked.size == len(content) > 0
        assert "/" not in checked.name and "\\" not in checked.name


# --- the staff register import ----------------------------------------------------------------


def register_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    for row in rows:  # control characters cannot be written into a worksheet
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = "nip,nama_lengkap,email,jabatan,jenis_jabatan,pangkat_golongan,status,kode_unit,nip_atasan"


def register_contents():
    cells = st.one_of(
        st.sampled_from(["=cmd|' /C calc'!A0", "\x00", "9" * 40, "", "-1", "\u202e"]),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    )
    rows = st.lists(st.lists(cells, min_size=1, max_size=10), max_size=4)
    valid = register_xlsx([HEADER.split(","), ["1", "Nama", "a@b.id", "", "", "", "PNS", "x", ""]])
    return st.one_of(
        st.sampled_from(
            [
                SAMPLE_CSV,
                b"",
                b"\xff\xfe\x00\x00garbage",
                SAMPLE_CSV.replace(b",", b"\x00"),
                HEADER.encode() + b"\n" + b'"' * 1000,
                HEADER.encode() + b"\n" + b"x" * 100_000,
                valid,
                DOCX,
                zipped({"a.zip": zipped({"b.xlsx": valid})}),
                b"MZ\x90\x00" + b"\x00" * 100,
            ]
        ),
        rows.map(lambda r: "\n".join(",".join(cells) for cells in [HEADER.split(","), *r])).map(
            lambda s: s.encode("utf-8", "surrogatepass")
        ),
        rows.map(lambda r: register_xlsx([HEADER.split(","), *r])),
        st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=4).map(
            lambda positions: flipped(valid, positions)
        ),
        st.binary(max_size=1024),
    )


register_names = st.one_of(
    st.sampled_from(
        [
            "register.csv",
            "register.xlsx",
            "../../etc/passwd.csv",
            "/tmp/register.xlsx",
            "..\\..\\register.csv",
            "register\x00.csv",
            "a" * 300 + ".csv",
            "\U0001f600" * 80 + ".xlsx",
            "register.csv.exe",
            ".csv",
        ]
    ),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40).map(lambda s: s + ".csv"),
)


@pytest.fixture(scope="module")
def import_world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.core.files.storage import storages

    root = tmp_path_factory.mktemp("private-import")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(storages._storages, "private", FileSystemStorage(location=root))
        with django_db_blocker.unblock(), transaction.atomic():
            from allauth.mfa.models import Authenticator

            from portal.models import ADMIN_BKPSDM

            admin = UserFactory(groups=[ADMIN_BKPSDM])
            Authenticator.objects.create(
                user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"}
            )
            yield {"admin": admin, "root": root}
            transaction.set_rollback(True)


def test_employee_import_survives_hostile_files(import_world):
    root = import_world["root"]
    client = Client()
    client.force_login(import_world["admin"])

    @scaled(1)
    @given(content=register_contents(), name=register_names)
    @example(content=xlsx_bomb(), name="register.xlsx")
    @example(content=SAMPLE_CSV, name="a" * 300 + ".csv")
    @example(content=SAMPLE_CSV, name="../../etc/passwd.csv")
    @example(content=b"\xff\xfe garbage", name="register.xlsx")
    def run(content, name):
        with rolled_back():
            users = User.objects.count()
            response = post_multipart(
                client, "/admin/pegawai/impor/", {}, {"file": (name, content)}
            )
            assert response.status_code < 500
            assert User.objects.count() == users  # the first step is always a dry run
            for stored in root.rglob("*"):
                assert stored.resolve().is_relative_to(root.resolve())
                if stored.is_file():
                    stored.unlink()
            if response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY:
                html = body(response)
                assert "Baris" in html or "berkas" in html.lower() or "Kolom" in html
            # a pending file waits for the confirmation; a new upload starts over
            session = client.session
            session.pop("employee_import_pending", None)
            session.save()

    run()


@scaled(3)
@given(content=register_contents(), name=register_names)
@example(content=xlsx_bomb(), name="register.xlsx")
def test_reading_a_register_fails_only_with_a_message(content, name):
    from django.core.exceptions import ValidationError

    try:
        rows = read_register(content, name)
    except ValidationError as error:
        assert error.messages
    else:
        assert isinstance(rows, list)
