"""Writes with rules for the people app: the staff register import."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import tablib
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import authority
from .audit import Kind, Source, diff_entries, save_entries
from .models import OrgUnit, User
from .staffing import Assignment
from .staffing_batch import set_post
from .staffing_checks import refusal_messages
from .staffing_services import end_assignment
from .validators import normalize_nip, validate_nip

# Column names of the register export; aliases people tend to use map onto them.
COLUMNS = {
    "nip": ("nip",),
    "nama_lengkap": ("nama_lengkap", "nama"),
    "email": ("email", "e-mail", "surel"),
    "jabatan": ("jabatan",),
    "jenis_jabatan": ("jenis_jabatan",),
    "pangkat_golongan": ("pangkat_golongan", "pangkat", "golongan"),
    "status": ("status", "status_kepegawaian"),
    "kode_unit": ("kode_unit", "unit_kerja", "unit"),
    "nip_atasan": ("nip_atasan", "atasan"),
}
REQUIRED = ("nip", "nama_lengkap", "email", "kode_unit")


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

    @property
    def ok(self) -> bool:
        return not self.errors


# An .xlsx is a zip: refuse one that would inflate beyond this before any parser sees it.
XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def _check_xlsx_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip at all: the reader says so below
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("Isi berkas .xlsx terlalu besar setelah dibuka (lebih dari 100 MB).")
        )


def read_register(data: bytes, filename: str) -> list[dict[str, str]]:
    """Parse a CSV or XLSX export into rows keyed by our column names."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(_("Format berkas harus .csv atau .xlsx."))
    if suffix == ".xlsx":
        _check_xlsx_size(data)
    try:
        if suffix == ".csv":
            text = data.decode("utf-8-sig")
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") > first.count(",") else ","
            dataset = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
        else:
            dataset = tablib.Dataset().load(data, format="xlsx")
    except Exception as exc:  # a damaged file fails in csv, zipfile, openpyxl or lxml
        raise ValidationError(
            _(
                "Berkas tidak dapat dibaca sebagai %(format)s. Simpan ulang dari aplikasi "
                "asalnya (CSV UTF-8 atau Excel .xlsx), lalu unggah lagi."
            )
            % {"format": suffix[1:].upper()}
        ) from exc
    aliases = {alias: column for column, names in COLUMNS.items() for alias in names}
    headers = [
        aliases.get((h or "").strip().lower().replace(" ", "_")) for h in dataset.headers or []
    ]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for raw in dataset:
        row = {
            col: ("" if value is None else str(value)).strip()
            for col, value in zip(headers, raw, strict=False)
            if col
        }
        rows.append(row)
    return rows


def _choice(value: str, choices, label: str) -> str:
    lowered = value.strip().lower()
    for code, name in choices:
        if lowered in {str(code).lower(), str(name).lower()}:
            return code
    raise ValidationError(
        _("%(label)s '%(value)s' tidak dikenal.") % {"label": label, "value": value}
    )


def import_employees(
    *,
    rows: list[dict[str, str]],
    dry_run: bool = False,
    actor: User | None = None,
    end_missing: bool = False,
) -> ImportResult:
    """Create or update employees by NIP from register rows; all rows or none.

    Every bad row is reported with its line number (the header is line 1). Atasan may be
    another row of the same file or an existing employee; cycles are refused. A changed unit,
    atasan or jabatan becomes a new assignment from today (`portal.staffing_services`, source
    "impor"); the old one ends yesterday. Each new person and each change of unit, atasan,
    jabatan or e-mail is recorded (`AuditEntry`, source "import", by `actor`: the Admin BKPSDM
    who confirmed, None for the command).

    `end_missing`: the assignment of every active person with a unit who is not in the file
    ends yesterday (today when it began today), source "impor" (retired, moved out). Nobody is
    deleted or deactivated: the account stays, to read its own history; Admin BKPSDM
    deactivates it in Pengguna when that is wanted. A dry run lists them (`ended`).
    """
    result = ImportResult(dry_run=dry_run)
    units = {u.code: u for u in OrgUnit.objects.all()}
    units_by_name: dict[str, list[OrgUnit]] = {}
    for unit in units.values():
        units_by_name.setdefault(unit.name.lower(), []).append(unit)
    file_nips: dict[str, int] = {}
    file_emails: dict[str, int] = {}
    parsed: list[tuple[int, dict]] = []

    for index, row in enumerate(rows, start=2):
        problems: list[str] = []
        nip = normalize_nip(row.get("nip", "").replace("'", ""))
        email = row.get("email", "").strip().lower()
        data = {
            "nip": nip,
            "full_name": row.get("nama_lengkap", "").strip(),
            "email": email,
            "jabatan": row.get("jabatan", ""),
            "pangkat_golongan": row.get("pangkat_golongan", ""),
            "atasan_nip": normalize_nip(row.get("nip_atasan", "").replace("'", "")),
        }
        try:
            data["status_kepegawaian"] = _choice(
                row.get("status") or "PNS", User.Status.choices, _("Status")
            )
        except ValidationError as exc:
            problems += exc.messages
            data["status_kepegawaian"] = User.Status.PNS
        try:
            validate_nip(nip, status=data["status_kepegawaian"])
        except ValidationError as exc:
            problems += [f"NIP {nip or _('(kosong)')}: {m}" for m in exc.messages]
        if nip and nip in file_nips:
            problems.append(
                _("NIP %(nip)s sudah muncul di baris %(line)s.")
                % {"nip": nip, "line": file_nips[nip]}
            )
        file_nips.setdefault(nip, index)
        if not data["full_name"]:
            problems.append(_("Nama lengkap wajib diisi."))
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("E-mail '%(email)s' tidak sah.") % {"email": email})
        if email and email in file_emails:
            problems.append(
                _("E-mail %(email)s sudah muncul di baris %(line)s.")
                % {"email": email, "line": file_emails[email]}
            )
        file_emails.setdefault(email, index)
        try:
            data["jenis_jabatan"] = _choice(
                row.get("jenis_jabatan") or "pelaksana",
                User.JenisJabatan.choices,
                _("Jenis jabatan"),
            )
        except ValidationError as exc:
            problems += exc.messages
        unit_key = row.get("kode_unit", "").strip()
        unit = units.get(unit_key) or (units_by_name.get(unit_key.lower()) or [None])[0]
        if unit is None:
            problems.append(
                _("Unit kerja '%(unit)s' tidak ditemukan (pakai kode unit).") % {"unit": unit_key}
            )
        elif len(units_by_name.get(unit_key.lower(), [])) > 1 and unit_key not in units:
            problems.append(
                _("Nama unit '%(unit)s' tidak unik; pakai kode unit.") % {"unit": unit_key}
            )
        data["org_unit"] = unit
        if data["atasan_nip"] and data["atasan_nip"] == nip:
            problems.append(_("Pegawai tidak boleh menjadi atasan dirinya sendiri."))
        result.errors += [RowError(index, p) for p in problems]
        parsed.append((index, data))

    existing = {u.nip: u for u in User.objects.filter(nip__in=[d["nip"] for _, d in parsed])}
    emails = [d["email"] for _, d in parsed]
    # An address is one person's across User.email and allauth's own table (issue 14).
    email_owners = dict(
        EmailAddress.objects.filter(email__in=emails).values_list("email", "user__nip")
    )
    email_owners.update(User.objects.filter(email__in=emails).values_list("email", "nip"))
    known_atasan = set(
        User.objects.filter(
            nip__in=[d["atasan_nip"] for _, d in parsed if d["atasan_nip"]]
        ).values_list("nip", flat=True)
    )
    for line, data in parsed:
        owner = email_owners.get(data["email"])
        if owner and owner != data["nip"]:
            result.errors.append(
                RowError(
                    line,
                    _("E-mail %(email)s sudah dipakai pegawai lain (NIP %(nip)s).")
                    % {"email": data["email"], "nip": owner},
                )
            )
        if (
            data["atasan_nip"]
            and data["atasan_nip"] not in file_nips
            and data["atasan_nip"] not in known_atasan
        ):
            result.errors.append(
                RowError(
                    line,
                    _("NIP atasan %(nip)s tidak ditemukan di berkas maupun di portal.")
                    % {"nip": data["atasan_nip"]},
                )
            )
    result.errors += _cycle_errors(parsed)
    result.errors.sort(key=lambda error: error.line)
    if result.errors:
        return result

    with transaction.atomic():
        emails_before = {nip: u.email for nip, u in existing.items()}
        users: dict[str, User] = {}
        for _line, data in parsed:
            user = existing.get(data["nip"]) or User(nip=data["nip"])
            (result.updated if user.pk else result.created).append(data["nip"])
            for name in ("full_name", "email", "pangkat_golongan", "status_kepegawaian"):
                setattr(user, name, data[name])
            if not user.pk:
                user.set_unusable_password()
            user.save()  # the post (unit, atasan, jabatan) is written by the staffing service
            users[user.nip] = user
        today = timezone.localdate()
        # Atasan before their bawahan, so each assignment's atasan chain is already the new one.
        depth = _chain_depths(parsed)
        for line, data in sorted(parsed, key=lambda item: depth.get(item[1]["nip"], 0)):
            user = users[data["nip"]]
            atasan = users.get(data["atasan_nip"]) or (
                User.objects.get(nip=data["atasan_nip"]) if data["atasan_nip"] else None
            )
            for name in ("org_unit", "jabatan", "jenis_jabatan"):
                setattr(user, name, data[name])
            user.atasan = atasan
            try:
                user.full_clean()
                set_post(
                    actor=actor,
                    person=user,
                    org_unit=data["org_unit"],
                    atasan=atasan,
                    jabatan=data["jabatan"],
                    jenis_jabatan=data["jenis_jabatan"],
                    source=Assignment.Source.IMPOR,
                    day=today,
                )
            except (ValidationError, PermissionDenied) as exc:
                # PermissionDenied: a changed row for the importing admin, or naming them as
                # atasan (another Admin BKPSDM imports it; portal.staffing_checks).
                result.errors += [RowError(line, m) for m in refusal_messages(exc)]
        if end_missing:
            _end_missing(actor=actor, nips=set(users), day=today, result=result)
        result.errors.sort(key=lambda error: error.line)
        if result.errors or dry_run:
            transaction.set_rollback(True)
        else:
            _record_import(actor=actor, users=users, emails_before=emails_before)
    return result


def _end_missing(*, actor: User | None, nips: set[str], day, result: ImportResult) -> None:
    """End the assignment of each active person with a unit whose NIP is not in `nips`."""
    missing = list(
        User.objects.active()
        .filter(org_unit__isnull=False)
        .exclude(nip__in=nips)
        .select_related("org_unit")
        .order_by("org_unit__name", "full_name")
    )
    posts = authority.assignments_on(missing, day)
    for person in missing:
        post = posts.get(person.pk)
        start = post.start if post is not None else day
        person.ended_unit = person.org_unit  # the snapshot loses it when the assignment ends
        try:
            end_assignment(
                actor=actor,
                person=person,
                end=max(day - dt.timedelta(days=1), start),
                reason=_("Tidak ada lagi di register kepegawaian yang diimpor."),
                source=Assignment.Source.IMPOR,
            )
        except (ValidationError, PermissionDenied) as exc:
            result.errors += [
                RowError(0, f"NIP {person.nip} ({person.full_name}): {message}")
                for message in refusal_messages(exc)
            ]
        result.ended.append(person)


def _record_import(
    *, actor: User | None, users: dict[str, User], emails_before: dict[str, str]
) -> None:
    """One audit entry per new person and per changed e-mail (one INSERT); the changes of unit,
    atasan and jabatan are recorded by the staffing service with their assignments."""
    entries = []
    for nip, user in users.items():
        old_email = emails_before.get(nip)
        entries += diff_entries(
            actor=actor,
            subject=user,
            before={} if old_email is None else {Kind.EMAIL: old_email},
            after={Kind.ORG_UNIT: user.org_unit, Kind.EMAIL: user.email},
            source=Source.IMPORT,
        )
    save_entries(entries)


def _atasan_edges(parsed: list[tuple[int, dict]]) -> dict[str, str]:
    """NIP -> NIP of the atasan, from the file and, for chains that leave it, the database."""
    edges = {d["nip"]: d["atasan_nip"] for _, d in parsed if d["atasan_nip"]}
    in_file = {d["nip"] for _, d in parsed}  # a row without atasan has none, whatever the DB says
    pending = {a for a in edges.values() if a not in in_file}
    while pending:  # follow chains that leave the file through the database
        found = dict(
            User.objects.filter(nip__in=pending, atasan__isnull=False).values_list(
                "nip", "atasan__nip"
            )
        )
        pending = set()
        for nip, atasan in found.items():
            if nip not in edges:
                edges[nip] = atasan
                if atasan not in edges and atasan not in in_file:
                    pending.add(atasan)
    return edges


def _chain_depths(parsed: list[tuple[int, dict]]) -> dict[str, int]:
    """NIP -> how many atasan are above the person once the file is applied (no cycles here)."""
    edges = _atasan_edges(parsed)
    depths: dict[str, int] = {}
    for _line, data in parsed:
        seen, node = [], data["nip"]
        while node in edges and node not in seen and node not in depths:
            seen.append(node)
            node = edges[node]
        base = depths.get(node, 0)
        for distance, nip in enumerate(reversed(seen), start=1):
            depths[nip] = base + distance
    return depths


def _cycle_errors(parsed: list[tuple[int, dict]]) -> list[RowError]:
    """Refuse atasan chains that loop within the file or through existing employees."""
    edges = _atasan_edges(parsed)
    lines = {d["nip"]: line for line, d in parsed}
    errors = []
    for start in lines:
        seen, node = set(), start
        while node in edges and node not in seen:
            seen.add(node)
            node = edges[node]
        if node == start and start in edges:
            errors.append(
                RowError(
                    lines[start],
                    _("Rantai atasan membentuk lingkaran (NIP %(nip)s).") % {"nip": start},
                )
            )
    return errors
