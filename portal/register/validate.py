"""Step 2 of the register sync: every row checked before anything is written, in a fixed
number of queries whatever the size of the file (NIP, e-mail, choices, units by code or name,
atasan in the file or the portal, cycles, duplicates, head posts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .. import authority
from ..models import OrgUnit, User
from ..sql import among
from ..staffing import Assignment
from ..validators import normalize_nip, validate_nip
from .result import RowError

YES = {"ya", "y", "yes", "1", "true", "benar", "kepala"}
NO = {"tidak", "t", "no", "n", "0", "false", "bukan", "-"}


@dataclass
class RegisterRow:
    """One line of the file, checked: the person's details and post."""

    line: int
    nip: str
    full_name: str
    email: str
    jabatan: str
    pangkat_golongan: str
    atasan_nip: str
    status_kepegawaian: str = User.Status.PNS
    jenis_jabatan: str = User.JenisJabatan.PELAKSANA
    org_unit: OrgUnit | None = None
    is_head: bool | None = None


@dataclass
class Checked:
    """The rows that may be written, the errors found, and what the checks loaded."""

    rows: list[RegisterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    existing: dict[str, User] = field(default_factory=dict)  # NIP -> the person in the portal
    outside_atasan: dict[str, User] = field(default_factory=dict)  # atasan not in the file

    def drop(self, lines: set[int], reason_for_dependents) -> None:
        """Leave out `lines` and, in turn, every row whose atasan is a new person left out
        (`reason_for_dependents(row, atasan_row)` says why)."""
        while lines:
            dropped = {row.nip: row for row in self.rows if row.line in lines}
            self.rows = [row for row in self.rows if row.line not in lines]
            lines = set()
            for row in self.rows:
                atasan = dropped.get(row.atasan_nip)
                if atasan is not None and row.atasan_nip not in self.existing:
                    self.errors.append(RowError(row.line, reason_for_dependents(row, atasan)))
                    lines.add(row.line)


class _Choices:
    """A choice field's codes and labels (any case) -> code, read once per sync."""

    def __init__(self, choices, label: str) -> None:
        self.label = label
        self.codes = {}
        for code, name in choices:
            self.codes[str(code).lower()] = code
            self.codes[str(name).lower()] = code

    def __call__(self, value: str) -> str:
        code = self.codes.get(value.strip().lower())
        if code is None:
            raise ValidationError(
                _("%(label)s '%(value)s' tidak dikenal.") % {"label": self.label, "value": value}
            )
        return code


class _Units:
    def __init__(self) -> None:
        self.by_code = {u.code: u for u in OrgUnit.objects.all()}
        self.by_name: dict[str, list[OrgUnit]] = {}
        for unit in self.by_code.values():
            self.by_name.setdefault(unit.name.lower(), []).append(unit)

    def find(self, key: str) -> tuple[OrgUnit | None, str | None]:
        unit = self.by_code.get(key) or (self.by_name.get(key.lower()) or [None])[0]
        if unit is None:
            return None, _("Unit kerja '%(unit)s' tidak ditemukan (pakai kode unit).") % {
                "unit": key
            }
        if len(self.by_name.get(key.lower(), [])) > 1 and key not in self.by_code:
            return unit, _("Nama unit '%(unit)s' tidak unik; pakai kode unit.") % {"unit": key}
        return unit, None


def _row(index: int, raw: dict[str, str], units: _Units, choices) -> tuple[RegisterRow, list[str]]:
    """One line's own checks (nothing from other lines or the database)."""
    problems: list[str] = []
    nip = normalize_nip(raw.get("nip", "").replace("'", ""))
    row = RegisterRow(
        line=index,
        nip=nip,
        full_name=raw.get("nama_lengkap", "").strip(),
        email=raw.get("email", "").strip().lower(),
        jabatan=raw.get("jabatan", ""),
        pangkat_golongan=raw.get("pangkat_golongan", ""),
        atasan_nip=normalize_nip(raw.get("nip_atasan", "").replace("'", "")),
    )
    try:
        row.status_kepegawaian = choices["status"](raw.get("status") or "PNS")
    except ValidationError as exc:
        problems += exc.messages
    try:
        validate_nip(nip, status=row.status_kepegawaian)
    except ValidationError as exc:
        problems += [f"NIP {nip or _('(kosong)')}: {m}" for m in exc.messages]
    if not row.full_name:
        problems.append(_("Nama lengkap wajib diisi."))
    try:
        validate_email(row.email)
    except ValidationError:
        problems.append(_("E-mail '%(email)s' tidak sah.") % {"email": row.email})
    try:
        row.jenis_jabatan = choices["jenis"](raw.get("jenis_jabatan") or "pelaksana")
    except ValidationError as exc:
        problems += exc.messages
    row.org_unit, problem = units.find(raw.get("kode_unit", "").strip())
    if problem:
        problems.append(problem)
    head = raw.get("kepala_unit", "").strip().lower()
    if head in YES:
        row.is_head = True
    elif head in NO:
        row.is_head = False
    elif head:
        problems.append(
            _("Kolom kepala_unit '%(value)s' tidak dikenal; isi 'ya', 'tidak', atau kosongkan.")
            % {"value": raw.get("kepala_unit", "").strip()}
        )
    for name, limit in (("full_name", 150), ("jabatan", 200), ("pangkat_golongan", 80)):
        if len(getattr(row, name)) > limit:
            problems.append(
                _("%(field)s terlalu panjang (maks. %(limit)s karakter).")
                % {"field": User._meta.get_field(name).verbose_name, "limit": limit}
            )
    if row.atasan_nip and row.atasan_nip == nip:
        problems.append(_("Pegawai tidak boleh menjadi atasan dirinya sendiri."))
    return row, problems


def check_rows(rows: list[dict[str, str]], *, first_line: int = 2) -> Checked:
    """Every check of the import on `rows` (the first row is `first_line`: 2 in a file, whose
    header is line 1; 1 in a list sent to the API); the rows with an error are still in `rows`
    (the caller refuses the file, or drops them in partial mode)."""
    checked = Checked()
    units = _Units()
    choices = {
        "status": _Choices(User.Status.choices, _("Status")),
        "jenis": _Choices(User.JenisJabatan.choices, _("Jenis jabatan")),
    }
    seen_at: dict[tuple[str, str], int] = {}
    for index, raw in enumerate(rows, start=first_line):
        row, problems = _row(index, raw, units, choices)
        for key, label in ((row.nip, "NIP"), (row.email, _("E-mail"))):
            seen = seen_at.setdefault((label, key), index)
            if key and seen != index:
                problems.append(
                    _("%(label)s %(value)s sudah muncul di baris %(line)s.")
                    % {"label": label, "value": key, "line": seen}
                )
        checked.errors += [RowError(index, p) for p in problems]
        checked.rows.append(row)
    _check_against_portal(checked)
    checked.errors += _cycle_errors(checked.rows)
    checked.errors += _head_errors(checked.rows)
    checked.errors.sort(key=lambda error: error.line)
    return checked


def _check_against_portal(checked: Checked) -> None:
    """E-mail owners and atasan outside the file (three queries)."""
    rows = checked.rows
    nips = among(User, "nip", [r.nip for r in rows])
    checked.existing = {u.nip: u for u in User.objects.filter(nip__in=nips).order_by()}
    emails = [r.email for r in rows]
    # An address is one person's across User.email and allauth's own table (issue 14).
    owners = dict(
        EmailAddress.objects.filter(email__in=among(EmailAddress, "email", emails)).values_list(
            "email", "user__nip"
        )
    )
    owners.update(
        User.objects.filter(email__in=among(User, "email", emails)).values_list("email", "nip")
    )
    in_file = {r.nip for r in rows}
    wanted = {r.atasan_nip for r in rows if r.atasan_nip and r.atasan_nip not in in_file}
    outside = User.objects.filter(nip__in=among(User, "nip", wanted)).order_by()
    checked.outside_atasan = {u.nip: u for u in outside}
    for row in rows:
        owner = owners.get(row.email)
        if owner and owner != row.nip:
            checked.errors.append(
                RowError(
                    row.line,
                    _("E-mail %(email)s sudah dipakai pegawai lain (NIP %(nip)s).")
                    % {"email": row.email, "nip": owner},
                )
            )
        if row.atasan_nip in wanted and row.atasan_nip not in checked.outside_atasan:
            checked.errors.append(
                RowError(
                    row.line,
                    _("NIP atasan %(nip)s tidak ditemukan di berkas maupun di portal.")
                    % {"nip": row.atasan_nip},
                )
            )


def _atasan_edges(rows: list[RegisterRow]) -> dict[str, str]:
    """NIP -> NIP of the atasan, from the file and, for chains that leave it, the database
    (one query per step out of the file, not per row)."""
    edges = {r.nip: r.atasan_nip for r in rows if r.atasan_nip}
    in_file = {r.nip for r in rows}  # a row without atasan has none, whatever the DB says
    pending = {a for a in edges.values() if a not in in_file}
    while pending:
        found = dict(
            User.objects.filter(
                nip__in=among(User, "nip", pending), atasan__isnull=False
            ).values_list("nip", "atasan__nip")
        )
        pending = set()
        for nip, atasan in found.items():
            if nip not in edges:
                edges[nip] = atasan
                if atasan not in edges and atasan not in in_file:
                    pending.add(atasan)
    return edges


def _cycle_errors(rows: list[RegisterRow]) -> list[RowError]:
    """Refuse atasan chains that loop within the file or through existing employees."""
    edges = _atasan_edges(rows)
    lines = {r.nip: r.line for r in rows}
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


def _head_errors(rows: list[RegisterRow]) -> list[RowError]:
    """A unit's head post ("kepala_unit" = ya) is held by one person: one row of the file, and
    not someone in the portal who keeps it (not in the file, or in it without giving it up)."""
    errors: list[RowError] = []
    claimed: dict[int, RegisterRow] = {}
    for row in rows:
        if not row.is_head or row.org_unit is None:
            continue
        first = claimed.setdefault(row.org_unit.pk, row)
        if first is not row:
            errors.append(
                RowError(
                    row.line,
                    _("Kepala unit %(unit)s sudah diisi di baris %(line)s.")
                    % {"unit": row.org_unit, "line": first.line},
                )
            )
    if not claimed:
        return errors
    by_nip = {row.nip: row for row in rows}
    holders = Assignment.objects.on(authority.today()).filter(
        is_head=True, org_unit_id__in=list(claimed)
    )
    for unit_id, nip, name in holders.values_list(
        "org_unit_id", "person__nip", "person__full_name"
    ):
        row, claimant = by_nip.get(nip), claimed[unit_id]
        keeps = row is None or (row.is_head is not False and row.org_unit == claimant.org_unit)
        if nip != claimant.nip and keeps:
            errors.append(
                RowError(
                    claimant.line,
                    _(
                        "Jabatan kepala %(unit)s masih dipegang %(name)s (NIP %(nip)s); isi "
                        "kepala_unit 'tidak' pada barisnya, atau pindahkan dia lebih dulu."
                    )
                    % {"unit": claimant.org_unit, "name": name, "nip": nip},
                )
            )
    return errors
