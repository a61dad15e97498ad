"""Issue 14, tried as an attacker in each role would (HTTP): privilege escalation through the
Wagtail user forms and bulk actions (14.1), a city-wide login lock-out (14.2), someone else's
e-mail address (14.11). Each test failed on main f10d136."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from portal.models import ADMIN_BKPSDM, MODERATOR_KONTEN, TIM_KOMUNIKASI, AuditEntry, User
from tests.factories import PASSWORD, UserFactory, make_nip

pytestmark = pytest.mark.django_db


def with_totp(user: User) -> User:
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def bkpsdm(db, org_unit):
    return with_totp(UserFactory(groups=[ADMIN_BKPSDM], org_unit=org_unit))


@pytest.fixture
def superuser(db):
    return with_totp(UserFactory(is_superuser=True, is_staff=True))


def person_form(user: User | None = None, **extra) -> dict:
    """What the Wagtail user form posts for `user` (or a new person)."""
    data = {
        "nip": user.nip if user else make_nip(9001),
        "email": user.email if user else "baru@uji.bandung.go.id",
        "full_name": user.full_name if user else "Pegawai Baru",
        "jabatan": "Analis",
        "jenis_jabatan": "pelaksana",
        "pangkat_golongan": "",
        "status_kepegawaian": "PNS",
        "org_unit": (user.org_unit_id if user else "") or "",
        "atasan": (user.atasan_id if user else "") or "",
    }
    if user is not None and user.is_active:
        data["is_active"] = "on"
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


# --- 14.1: nobody grants a power they do not hold ------------------------------------------------


def test_admin_bkpsdm_cannot_create_a_superuser(client_for, bkpsdm, org_unit):
    client = client_for(bkpsdm)
    data = person_form(org_unit=org_unit.pk, is_superuser="on")
    response = client.post("/admin/users/new/", data)
    assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.OK}
    created = User.objects.filter(email="baru@uji.bandung.go.id").first()
    assert created is None or not created.is_superuser


def test_admin_bkpsdm_cannot_give_himself_roles(client_for, bkpsdm):
    client = client_for(bkpsdm)
    roles = Group.objects.filter(name__in=[TIM_KOMUNIKASI, MODERATOR_KONTEN, ADMIN_BKPSDM])
    data = person_form(bkpsdm, groups=[str(g.pk) for g in roles])
    client.post(f"/admin/users/edit/{bkpsdm.pk}/", data)
    assert set(bkpsdm.groups.values_list("name", flat=True)) == {ADMIN_BKPSDM}


def test_admin_bkpsdm_cannot_set_a_supervisors_password(client_for, bkpsdm, supervisor):
    client = client_for(bkpsdm)
    data = person_form(supervisor, password1="ambil-alih-123!", password2="ambil-alih-123!")
    client.post(f"/admin/users/edit/{supervisor.pk}/", data)
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": supervisor.email, "password": "ambil-alih-123!"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == HTTPStatus.OK
    supervisor.refresh_from_db()
    assert supervisor.check_password(PASSWORD)


def test_the_user_forms_offer_no_password_and_no_roles_to_admin_bkpsdm(
    client_for, bkpsdm, supervisor
):
    body = client_for(bkpsdm).get(f"/admin/users/edit/{supervisor.pk}/").content.decode()
    assert 'name="password1"' not in body
    assert (
        'name="is_superuser"' not in body or "disabled" in body.split('name="is_superuser"')[1][:80]
    )


def test_admin_bkpsdm_cannot_edit_a_superuser(client_for, bkpsdm, superuser):
    client = client_for(bkpsdm)
    data = person_form(superuser, email="penyerang@uji.bandung.go.id")
    response = client.post(f"/admin/users/edit/{superuser.pk}/", data)
    # Wagtail turns a PermissionDenied into a redirect to the dashboard with a message
    assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}
    assert response.status_code == HTTPStatus.FORBIDDEN or response.url == "/admin/"
    superuser.refresh_from_db()
    assert superuser.email != "penyerang@uji.bandung.go.id"


def test_bulk_assign_role_is_refused_to_admin_bkpsdm(client_for, bkpsdm, employee):
    client = client_for(bkpsdm)
    role = Group.objects.get(name=MODERATOR_KONTEN)
    url = f"/admin/bulk/portal/user/assign_role/?id={bkpsdm.pk}&id={employee.pk}"
    client.post(url, {"role": role.pk})
    assert not role.user_set.filter(pk__in=[bkpsdm.pk, employee.pk]).exists()


def test_bulk_deactivate_a_superuser_is_refused_to_admin_bkpsdm(client_for, bkpsdm, superuser):
    client = client_for(bkpsdm)
    url = f"/admin/bulk/portal/user/set_active_state/?id={superuser.pk}"
    client.post(url, {"mark_as_active": "False"})
    superuser.refresh_from_db()
    assert superuser.is_active


def test_a_superuser_assigns_roles_in_bulk_and_it_is_recorded(client_for, superuser, employee):
    client = client_for(superuser)
    role = Group.objects.get(name=TIM_KOMUNIKASI)
    url = f"/admin/bulk/portal/user/assign_role/?id={employee.pk}"
    response = client.post(url, {"role": role.pk})
    assert response.status_code == HTTPStatus.FOUND
    assert role.user_set.filter(pk=employee.pk).exists()
    entry = AuditEntry.objects.get(subject=employee, kind=AuditEntry.Kind.ROLES)
    assert (entry.actor, entry.source, entry.old, entry.new) == (
        superuser,
        AuditEntry.Source.BULK,
        "—",
        TIM_KOMUNIKASI,
    )


def test_bulk_deactivation_by_admin_bkpsdm_is_recorded(client_for, bkpsdm, employee):
    client = client_for(bkpsdm)
    url = f"/admin/bulk/portal/user/set_active_state/?id={employee.pk}"
    response = client.post(url, {"mark_as_active": "False"})
    assert response.status_code == HTTPStatus.FOUND
    employee.refresh_from_db()
    assert not employee.is_active
    entry = AuditEntry.objects.get(subject=employee)
    assert (entry.kind, entry.actor, entry.old, entry.new) == (
        AuditEntry.Kind.ACTIVE,
        bkpsdm,
        "ya",
        "tidak",
    )


def test_a_new_account_gets_the_password_link_and_the_change_is_recorded(
    client_for, bkpsdm, org_unit, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(bkpsdm)
    data = person_form(org_unit=org_unit.pk, atasan=supervisor.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/users/new/", data)
    assert response.status_code == HTTPStatus.FOUND
    person = User.objects.get(email="baru@uji.bandung.go.id")
    assert not person.has_usable_password()
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    kinds = set(AuditEntry.objects.filter(subject=person).values_list("kind", flat=True))
    assert {AuditEntry.Kind.CREATED, AuditEntry.Kind.ATASAN} <= kinds


def test_an_atasan_change_in_the_form_is_recorded_and_listed_for_admin_bkpsdm(
    client_for, bkpsdm, employee, org_unit
):
    new_boss = UserFactory(org_unit=org_unit, full_name="Atasan Baru Sekali")
    client = client_for(bkpsdm)
    response = client.post(
        f"/admin/users/edit/{employee.pk}/", person_form(employee, atasan=new_boss.pk)
    )
    assert response.status_code == HTTPStatus.FOUND
    entry = AuditEntry.objects.get(subject=employee, kind=AuditEntry.Kind.ATASAN)
    assert entry.actor == bkpsdm
    assert new_boss.nip in entry.new and employee.atasan.nip in entry.old
    body = client.get("/admin/pegawai/riwayat/", {"q": employee.nip}).content.decode()
    assert "Atasan Baru Sekali" in body


def test_the_change_history_is_not_for_employees(client_for, employee):
    response = client_for(employee).get("/admin/pegawai/riwayat/")
    assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}


# --- 14.2: one client cannot lock the city out; one account is one counter ----------------------

ROOT = Path(__file__).resolve().parents[2]


def shipped_env() -> dict[str, str]:
    """The variables the deploy guide tells operators to set (deploy/portal.env.example)."""
    pairs = {}
    for line in (ROOT / "deploy" / "portal.env.example").read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            name, value = line.split("=", 1)
            pairs[name.strip()] = value.strip()
    return pairs


@pytest.fixture
def behind_nginx(settings):
    """The settings as the shipped nginx + portal.env set-up makes them."""
    env = shipped_env()
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = int(env.get("DJANGO_TRUSTED_PROXY_COUNT") or 0)
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.get("DJANGO_TRUSTED_CLIENT_IP_HEADER") or None
    return settings


def login_via_nginx(client, login: str, password: str, client_ip: str, forged: str = ""):
    """A login POST as gunicorn receives it from nginx: from 127.0.0.1, with nginx's
    `$proxy_add_x_forwarded_for` (whatever the client sent, then the address nginx saw)."""
    xff = f"{forged}, {client_ip}" if forged else client_ip
    return client.post(
        "/accounts/login/",
        {"login": login, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=xff,
    )


def test_failed_logins_from_one_client_do_not_lock_out_the_city(
    behind_nginx, client, employee, supervisor
):
    attacker = "203.0.113.9"
    for n in range(25):  # guesses against many accounts, forging the header each time
        login_via_nginx(client, f"tebak{n}@uji.bandung.go.id", "salah", attacker, f"10.0.0.{n}")
    response = login_via_nginx(client, employee.email, PASSWORD, "198.51.100.20")
    assert response.status_code == HTTPStatus.FOUND  # a colleague elsewhere logs in
    assert client.session["_auth_user_id"] == str(employee.pk)
    client.logout()
    # the attacker's own address is limited, whatever it writes into X-Forwarded-For
    response = login_via_nginx(client, supervisor.email, PASSWORD, attacker, "10.9.9.9")
    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session


def test_the_nip_and_the_email_of_one_person_are_one_counter(behind_nginx, client, employee):
    spaced_nip = f"{employee.nip[:8]} {employee.nip[8:14]} {employee.nip[14]} {employee.nip[15:]}"
    guesses = [employee.nip, employee.email, spaced_nip, employee.email.upper(), employee.nip]
    for n, login in enumerate(guesses):  # five guesses from five addresses
        login_via_nginx(client, login, "salah-sekali", f"198.51.100.{n + 1}")
    response = login_via_nginx(client, employee.nip, PASSWORD, "198.51.100.99")
    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session


def test_a_locked_account_does_not_lock_a_colleague(behind_nginx, client, employee, supervisor):
    for n in range(6):
        login_via_nginx(client, employee.email, "salah-sekali", f"198.51.100.{n + 1}")
    response = login_via_nginx(client, supervisor.nip, PASSWORD, "198.51.100.1")
    assert response.status_code == HTTPStatus.FOUND


def test_nginx_sends_the_client_address_the_settings_trust():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    root_location = nginx.split("location / {", 1)[1].split("}", 1)[0]
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in root_location
    assert shipped_env().get("DJANGO_TRUSTED_PROXY_COUNT") == "1"  # nginx is the one proxy
    assert "DJANGO_TRUSTED_PROXY_COUNT" in (ROOT / "docs" / "deploy.md").read_text()


# --- 14.11: someone else's address on /accounts/email/ -------------------------------------------


def test_an_employee_cannot_add_a_colleagues_address(client_for, employee, supervisor, mailoutbox):
    client = client_for(employee)
    response = client.post("/accounts/email/", {"action_add": "", "email": supervisor.email})
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "sudah dipakai pegawai lain" in body
    assert supervisor.email in body  # what was typed is kept
    assert not EmailAddress.objects.filter(user=employee, email__iexact=supervisor.email).exists()
    # the colleague's password reset mails one link, for the colleague's account only
    client.logout()
    mailoutbox.clear()
    client.post("/accounts/password/reset/", {"email": supervisor.email})
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [supervisor.email]


def test_an_address_held_in_allauths_table_is_refused_too(client_for, employee, supervisor):
    EmailAddress.objects.create(user=supervisor, email="kedua@uji.bandung.go.id", verified=True)
    response = client_for(employee).post(
        "/accounts/email/", {"action_add": "", "email": "KEDUA@uji.bandung.go.id"}
    )
    assert "sudah dipakai pegawai lain" in response.content.decode()
    assert not EmailAddress.objects.filter(user=employee, email__iexact="kedua@uji.bandung.go.id")


def test_an_unconfirmed_address_is_not_made_primary(client_for, employee, mailoutbox):
    client = client_for(employee)
    client.post("/accounts/email/", {"action_add": "", "email": "baru.saya@uji.bandung.go.id"})
    assert EmailAddress.objects.filter(user=employee, email="baru.saya@uji.bandung.go.id").exists()
    assert any("baru.saya@uji.bandung.go.id" in m.to for m in mailoutbox)  # a confirmation
    response = client.post(
        "/accounts/email/",
        {"action_primary": "", "email": "baru.saya@uji.bandung.go.id"},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert "belum dikonfirmasi" in response.content.decode()
    employee.refresh_from_db()
    assert employee.email != "baru.saya@uji.bandung.go.id"


def test_a_duplicate_left_from_before_gives_a_message_not_a_500(client_for, employee, supervisor):
    # an address added before this rule existed, even if it was somehow confirmed
    EmailAddress.objects.create(user=employee, email=supervisor.email, verified=True)
    client = client_for(employee)
    response = client.post(
        "/accounts/email/", {"action_primary": "", "email": supervisor.email}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert "sudah dipakai pegawai lain" in response.content.decode()
    employee.refresh_from_db()
    assert employee.email != supervisor.email


def test_an_email_changed_by_someone_else_is_told_to_the_old_address(
    client_for, bkpsdm, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    """Redirecting a colleague's e-mail and then asking a reset would take the account over:
    the change is recorded and the owner hears of it at the old address."""
    old = supervisor.email
    client = client_for(bkpsdm)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/users/edit/{supervisor.pk}/",
            person_form(supervisor, email="alamat.lain@uji.bandung.go.id"),
        )
    assert response.status_code == HTTPStatus.FOUND
    assert [m.to for m in mailoutbox] == [[old]]
    assert "alamat.lain@uji.bandung.go.id" in mailoutbox[0].body
    entry = AuditEntry.objects.get(subject=supervisor, kind=AuditEntry.Kind.EMAIL)
    assert (entry.actor, entry.old, entry.new) == (bkpsdm, old, "alamat.lain@uji.bandung.go.id")


def test_deactivating_in_bulk_closes_the_persons_sockets(
    client_for, bkpsdm, employee, django_capture_on_commit_callbacks, monkeypatch
):
    closed = []
    monkeypatch.setattr("portal.people.close_user_sockets", closed.append)
    client = client_for(bkpsdm)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/bulk/portal/user/set_active_state/?id={employee.pk}",
            {"mark_as_active": "False"},
        )
    assert closed == [employee.pk]


def test_the_change_history_reads_a_fixed_number_of_queries(
    client_for, bkpsdm, org_unit, django_assert_max_num_queries
):
    from portal.audit import record_change

    def add(n):
        for _ in range(n):
            person = UserFactory(org_unit=org_unit)
            record_change(
                actor=bkpsdm,
                subject=person,
                kind=AuditEntry.Kind.ACTIVE,
                old=True,
                new=False,
                source=AuditEntry.Source.FORM,
            )

    client = client_for(bkpsdm)
    add(2)
    client.get("/admin/pegawai/riwayat/")  # warm the per-process caches (menu, site)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/pegawai/riwayat/").status_code == HTTPStatus.OK
    add(20)
    with django_assert_max_num_queries(len(few)):
        body = client.get("/admin/pegawai/riwayat/").content.decode()
    assert body.count("<td>Status aktif") == 22
    # the edit page links to the person's history
    edit = client.get(f"/admin/users/edit/{bkpsdm.pk}/").content.decode()
    assert f"/admin/pegawai/riwayat/?q={bkpsdm.nip}" in edit
