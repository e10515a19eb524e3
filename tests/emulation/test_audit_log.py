"""The audit log is append-only: the admin shows it read-only, even to a superuser, and on
PostgreSQL a trigger refuses UPDATE and DELETE on its table to anyone."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from emulation.audit import audit_history, audit_record
from emulation.models import AuditEntry
from federation.models import Organization
from federation.services.units import organization_create, organization_delete
from tests.factories import UserFactory


@pytest.fixture
def entries(world):
    audit_record(actor=world.staff, action="update", obj=world.unit_a, changes={"name": ["a", "b"]})
    audit_record(actor=None, action="update", obj=world.unit_b, changes={})
    return list(AuditEntry.objects.order_by("id"))


def test_the_admin_shows_the_log_read_only_even_to_a_superuser(world, admin_client, entries):
    entry = entries[0]
    changelist = reverse("admin:emulation_auditentry_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200
    body = page.content.decode()
    assert world.staff.full_name in body
    assert 'name="action"' not in body  # no actions, hence no "delete selected"
    assert reverse("admin:emulation_auditentry_add") not in body
    assert admin_client.get(reverse("admin:emulation_auditentry_add")).status_code == 403
    change = reverse("admin:emulation_auditentry_change", args=[entry.pk])
    view = admin_client.get(change)
    assert view.status_code == 200  # shown
    assert 'name="_save"' not in view.content.decode()
    assert admin_client.post(change, {"action": "forged"}).status_code == 403
    delete = reverse("admin:emulation_auditentry_delete", args=[entry.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [e.pk for e in entries], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AuditEntry.objects.count() == len(entries)
    assert AuditEntry.objects.get(pk=entry.pk).action == "update"


def test_deleting_a_person_or_a_unit_leaves_their_entries(world, entries):
    """Nothing in the application updates or deletes an entry: a person deleted keeps their
    name in the log; a unit deleted keeps its entries and gains one."""
    person = UserFactory(full_name="Người sẽ bị xoá")
    audit_record(actor=person, action="update", obj=world.unit_a, changes={})
    unit = organization_create(
        parent=world.district,
        by=world.staff,
        data={"code": "NB-P-Z", "name": "Z", "kind": "grassroots"},
    )
    unit_pk = unit.pk
    organization_delete(org=unit, by=world.staff)
    person.delete()
    assert not Organization.objects.filter(pk=unit_pk).exists()
    assert list(
        AuditEntry.objects.filter(object_id=str(unit_pk)).values_list("action", flat=True)
    ) == ["delete", "create"]
    written = AuditEntry.objects.filter(actor_name="Người sẽ bị xoá").get()
    assert written.actor_id is not None  # the id stays, nothing was set to NULL
    history = [e for e in audit_history(world.unit_a) if e.actor_name == "Người sẽ bị xoá"]
    assert history and history[0].actor is None  # the account is gone, the name stays


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger exists on PostgreSQL only (SQLite is the embedded default)",
)
def test_postgresql_refuses_to_change_or_delete_an_entry(entries):
    entry = entries[0]
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="forged"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AuditEntry.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE emulation_auditentry SET changes = '{}'")
    assert AuditEntry.objects.get(pk=entry.pk).action == "update"
    assert AuditEntry.objects.count() == len(entries)
    # Writing goes on.
    audit_record(actor=None, action="update", obj=entry, changes={})
    assert AuditEntry.objects.count() == len(entries) + 1
