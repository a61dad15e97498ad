from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from .fields import foreign_key, not_same, nullable_fk, org_unit_fk, user_fk
from .orgtree import UnitMap
from .sockets import update_revoking
from .sql import names
from .validators import normalize_nip, validate_nip, validate_nip_field


def _chain_above(obj: models.Model, relation: str) -> list:
    """What stands above `obj` through `relation` (a unit's parent, a person's atasan), nearest
    first; one query per step, stopping where the chain would come back on itself."""
    chain, node, seen = [], getattr(obj, relation), {obj.pk}
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = getattr(node, relation)
    return chain


class OrgUnitQuerySet(models.QuerySet):
    def perangkat_daerah(self) -> OrgUnitQuerySet:
        """The top-level units (OPD) of the city."""
        return self.filter(parent__isnull=True)

    def unit_map(self) -> UnitMap:
        """The tree of these units (normally all of them) in one query, answered from memory:
        the OPD of a unit, the units of an OPD, names (portal.orgtree)."""
        return UnitMap.read(self)

    def descendant_ids(self, unit: OrgUnit) -> set[int]:
        """The ids of `unit` and everything below it (one query per level)."""
        found, frontier = {unit.pk}, {unit.pk}
        while frontier:
            frontier = set(self.filter(parent_id__in=frontier).values_list("pk", flat=True))
            frontier -= found
            found |= frontier
        return found

    def top_of(self, unit_id: int) -> OrgUnit | None:
        """The top of the branch above `unit_id` (its OPD) in one query, however deep the unit
        sits; None when the branch loops and has no top."""
        t = names(self.model, "parent")
        top = (
            f"WITH RECURSIVE up(id, parent_id) AS (SELECT {t.pk}, {t.parent} FROM {t.table}"
            f" WHERE {t.pk} = %s UNION SELECT u.{t.pk}, u.{t.parent} FROM {t.table} u"
            f" JOIN up ON u.{t.pk} = up.parent_id) SELECT id FROM up WHERE parent_id IS NULL"
        )
        return self.filter(pk__in=RawSQL(top, [unit_id])).first()


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        BADAN = "badan", _("Badan")
        DINAS = "dinas", _("Dinas")
        SATPOL_PP = "satpol_pp", _("Satuan Polisi Pamong Praja")
        RSUD = "rsud", _("Rumah Sakit Umum Daerah")
        RS_KHUSUS = "rs_khusus", _("Rumah Sakit Khusus")
        KECAMATAN = "kecamatan", _("Kecamatan")
        BIDANG = "bidang", _("Bidang")
        BAGIAN = "bagian", _("Bagian")
        SUBBAGIAN = "subbagian", _("Subbagian")
        SEKSI = "seksi", _("Seksi")
        KELURAHAN = "kelurahan", _("Kelurahan")
        UPTD = "uptd", _("UPTD")

    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind)
    code = models.SlugField(_("kode"), max_length=120, unique=True)
    parent = foreign_key("self", _("unit induk"), related_name="children", optional=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("unit organisasi")
        ordering = ["name"]
        constraints = [not_same("parent", "pk", "orgunit_not_own_parent")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def label(self) -> str:
        """The unit with its OPD, e.g. "Bidang Aplikasi Informatika, Dinas Komunikasi dan Informatika"."""
        opd = self.perangkat_daerah
        return self.name if opd.pk == self.pk else f"{self.name}, {opd.display_name}"

    def ancestors(self) -> list[OrgUnit]:
        return _chain_above(self, "parent")

    @property
    def perangkat_daerah(self) -> OrgUnit:
        """The OPD this unit belongs to (the top of its branch): at most one query, whatever the
        depth of the tree (none for an OPD, or below one already loaded)."""
        if self.parent_id is None:
            return self
        if OrgUnit.parent.is_cached(self) and self.parent.parent_id is None:
            return self.parent
        found = self.__dict__.get("_top")  # read once per parent, as the walk cached its steps
        if found is None or found[0] != self.parent_id:
            top = OrgUnit.objects.top_of(self.pk)
            if top is None:  # a loop in the tree (`clean` refuses one): the last unit before it
                top = self.ancestors()[-1]
            found = self.__dict__["_top"] = (self.parent_id, top)
        return found[1]

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Unit tidak boleh menjadi induk dirinya sendiri.")})
        if (
            self.pk
            and self.parent_id
            and any(unit.pk == self.pk for unit in [self.parent, *self.parent.ancestors()])
        ):
            raise ValidationError(
                {"parent": _("Unit induk ini membuat lingkaran dalam struktur organisasi.")}
            )


class UserQuerySet(models.QuerySet):
    def active(self) -> UserQuerySet:
        return self.filter(is_active=True)

    def update(self, **fields) -> int:
        # A deactivation or new password written in bulk (Wagtail's "set active state",
        # bulk_update) closes the people's open sockets too (portal.sockets).
        base_update = super().update
        return update_revoking(self, fields, lambda: base_update(**fields))

    def subordinate_ids(self, user: User) -> set[int]:
        """Ids of everyone below `user` in the atasan chain (one query per level)."""
        found: set[int] = set()
        frontier = {user.pk}
        while frontier:
            frontier = set(self.filter(atasan_id__in=frontier).values_list("pk", flat=True))
            frontier -= found | {user.pk}
            found |= frontier
        return found

    def in_subtree_of(self, user: User) -> UserQuerySet:
        return self.filter(pk__in=self.subordinate_ids(user))

    def in_units(self, unit_ids: Iterable[int]) -> UserQuerySet:
        return self.filter(org_unit_id__in=list(unit_ids))

    def get_with_groups(self, pk) -> User | None:
        """The user with the names of their groups already known to `in_group`: one query
        (a LEFT JOIN, one row per group) instead of two. None when there is no such user."""
        rows = list(self.filter(pk=pk).order_by().annotate(joined_group=F("groups__name")))
        if not rows:
            return None
        user = rows[0]
        user._group_names = {row.joined_group for row in rows if row.joined_group is not None}
        return user


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    def _create_user(self, nip, email, password, **extra_fields):
        if not nip:
            raise ValueError("A NIP is required")
        user = self.model(nip=normalize_nip(nip), email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, nip, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(nip, email, password, **extra_fields)

    def create_superuser(self, nip, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(nip, email, password, **extra_fields)

    def get_by_natural_key(self, nip):
        return self.get(nip=normalize_nip(nip))


class User(AbstractUser):
    """An ASN (PNS or PPPK) of the city, identified by NIP; logs in with NIP or e-mail."""

    class JenisJabatan(models.TextChoices):
        JPT = "jpt", _("Jabatan Pimpinan Tinggi (JPT)")
        ADMINISTRATOR = "administrator", _("Administrator")
        PENGAWAS = "pengawas", _("Pengawas")
        PELAKSANA = "pelaksana", _("Pelaksana")
        FUNGSIONAL = "fungsional", _("Fungsional")

    class Status(models.TextChoices):
        PNS = "PNS", _("PNS")
        PPPK = "PPPK", _("PPPK")

    username = None
    first_name = None
    last_name = None
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        unique=True,
        validators=[validate_nip_field],
        help_text=_("18 angka, tanpa spasi."),
        error_messages={"unique": _("NIP ini sudah terdaftar.")},
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    email = models.EmailField(
        _("e-mail"), unique=True, error_messages={"unique": _("E-mail ini sudah dipakai.")}
    )
    jabatan = models.CharField(_("jabatan"), max_length=200, blank=True)
    jenis_jabatan = models.CharField(
        _("jenis jabatan"), max_length=20, choices=JenisJabatan, default=JenisJabatan.PELAKSANA
    )
    pangkat_golongan = models.CharField(_("pangkat/golongan"), max_length=80, blank=True)
    status_kepegawaian = models.CharField(
        _("status kepegawaian"), max_length=4, choices=Status, default=Status.PNS
    )
    org_unit = org_unit_fk(_("unit kerja"), related_name="members", optional=True)
    atasan = nullable_fk("self", _("atasan langsung"), related_name="bawahan")
    board_opt_out = models.BooleanField(
        _("sembunyikan nama saya di papan apresiasi"),
        default=False,
        help_text=_("Jika dicentang, nama Anda ditampilkan sebagai 'Pegawai anonim'."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    USERNAME_FIELD = "nip"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "full_name"]

    objects = PortalUserManager()

    class Meta:
        verbose_name = verbose_name_plural = _("pegawai")
        ordering = ["full_name"]
        constraints = [not_same("atasan", "pk", "user_not_own_atasan")]
        indexes = [
            # The few deactivated people: the board counts who ranks above me over every score
            # (an index-only scan) and subtracts the inactive ones through this index.
            models.Index(fields=["id"], condition=Q(is_active=False), name="user_inactive_idx")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nip})"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.nip

    @property
    def display_nip(self) -> str:
        """NIP grouped as people write it: 19860926 201505 1 001."""
        n = self.nip
        return f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}" if len(n) == 18 else n

    @property
    def is_supervisor(self) -> bool:
        return self.bawahan.exists()

    def in_group(self, name: str) -> bool:
        cache = getattr(self, "_group_names", None)
        if cache is None:
            cache = self._group_names = set(self.groups.values_list("name", flat=True))
        return name in cache

    @property
    def is_bkpsdm_admin(self) -> bool:
        return self.is_superuser or self.in_group(ADMIN_BKPSDM)

    @property
    def uses_editor_workspace(self) -> bool:
        """Shown the link to the Wagtail admin: the role groups get access_admin by migration.
        Cheaper than `perms.wagtailadmin.access_admin` (no permission queries on every page)."""
        return self.is_superuser or self.is_staff or any(self.in_group(g) for g in PORTAL_GROUPS)

    def atasan_chain(self) -> list[User]:
        return _chain_above(self, "atasan")

    def clean(self) -> None:
        super().clean()
        self.nip = normalize_nip(self.nip)
        errors = {}
        try:
            validate_nip(self.nip, status=self.status_kepegawaian)
        except ValidationError as exc:
            errors["nip"] = exc.messages
        if self.atasan_id:
            if self.pk and self.atasan_id == self.pk:
                errors["atasan"] = [_("Pegawai tidak boleh menjadi atasan dirinya sendiri.")]
            elif self.pk and any(
                a.pk == self.pk for a in self.atasan.atasan_chain() + [self.atasan]
            ):
                errors["atasan"] = [
                    _("Atasan ini adalah bawahan (langsung atau tidak langsung) pegawai ini.")
                ]
        if errors:
            raise ValidationError(errors)


# Group names (created by migration); a supervisor is not a group but derived from `atasan`.
TIM_KOMUNIKASI = "Tim Komunikasi"
MODERATOR_KONTEN = "Moderator Konten"
ADMIN_BKPSDM = "Admin BKPSDM"
PORTAL_GROUPS = [TIM_KOMUNIKASI, MODERATOR_KONTEN, ADMIN_BKPSDM]


class AuditEntryQuerySet(models.QuerySet):
    def about(self, user: User) -> AuditEntryQuerySet:
        return self.filter(subject=user)

    def for_listing(self) -> AuditEntryQuerySet:
        return self.select_related("actor", "subject").order_by("-created_at", "-pk")


class AuditEntry(models.Model):
    """One change of a person's powers or place: who changed what, when, old -> new.

    Append-only; written by `portal.audit.record_change` (forms, bulk actions, the register
    import, and other apps' services), read by Admin BKPSDM under /admin/audit/.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Akun dibuat")
        SUPERUSER = "superuser", _("Superuser")
        ROLES = "roles", _("Peran")
        ACTIVE = "active", _("Status aktif")
        ATASAN = "atasan", _("Atasan langsung")
        ORG_UNIT = "org_unit", _("Unit kerja")
        EMAIL = "email", _("E-mail")
        PASSWORD_RESET = "password_reset", _("Tautan atur kata sandi dikirim")
        # for performance: the open reports of a person moved to their new atasan (issue 14.8)
        REPORTS_REASSIGNED = "reports_reassigned", _("Laporan dialihkan ke atasan baru")
        # staffing (issue 17, portal.staffing.services)
        JABATAN = "jabatan", _("Jabatan")
        HEAD_POST = "head_post", _("Kepala unit")
        ASSIGNMENT = "assignment", _("Penempatan")
        ASSIGNMENT_ENDED = "assignment_ended", _("Penempatan berakhir")
        ACTING = "acting", _("Plt/Plh")
        ACTING_ENDED = "acting_ended", _("Plt/Plh diakhiri")
        RATING_DELEGATION = "rating_delegation", _("Delegasi penilaian")
        DESIGNATED_RATER = "designated_rater", _("Penilai yang ditunjuk")
        # the REST API (issue 18, api/): units, machine-client tokens, register syncs
        UNIT = "unit", _("Unit organisasi")
        API_TOKEN = "api_token", _("Token API")
        REGISTER_SYNC = "register_sync", _("Sinkron register")

    class Source(models.TextChoices):
        FORM = "form", _("Formulir pegawai")
        BULK = "bulk", _("Aksi massal")
        IMPORT = "import", _("Impor register")
        ACCOUNT = "account", _("Akun sendiri")
        ADMIN_ACTION = "admin_action", _("Tindakan Admin BKPSDM")
        SYSTEM = "system", _("Sistem")
        SK = "sk", _("Surat keputusan (SK)")
        API = "api", _("API")
        DEMO = "demo", _("Data demo")

    actor = user_fk(_("diubah oleh"), related_name="+", on_delete=models.SET_NULL, optional=True)
    subject = user_fk(
        _("pegawai"), related_name="audit_entries", on_delete=models.SET_NULL, null=True
    )
    # The person as they were named when it happened (the row outlives a deleted account).
    subject_label = models.CharField(_("pegawai (saat itu)"), max_length=200)
    kind = models.CharField(_("perubahan"), max_length=40, choices=Kind)
    old = models.CharField(_("sebelumnya"), max_length=500, blank=True)
    new = models.CharField(_("sesudahnya"), max_length=500, blank=True)
    source = models.CharField(_("melalui"), max_length=20, choices=Source)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("catatan perubahan")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject", "-created_at"], name="audit_subject_idx")]

    def __str__(self) -> str:
        return f"{self.subject_label}: {self.get_kind_display()} {self.old} -> {self.new}"


# Registered with the portal app (its own module: notifications are infrastructure).
from .notifications import Notification, NotificationQuerySet  # noqa: E402, F401
from .staffing import ActingAppointment, Assignment, DesignatedRater, RatingDelegation  # noqa: E402, F401
