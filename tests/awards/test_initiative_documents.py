"""One initiative typed in (the same checks as the import, each next to its field) and its
documents: checked by their content, served only to those who see its unit, added and removed
only by those who may complete the unit's history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import Initiative, InitiativeFile, InitiativeLevel, NomineeKind
from awards.services.initiatives import (
    initiative_file_add,
    initiative_file_remove,
    initiative_record,
)
from tests.awards.conftest import pdf_upload

pytestmark = pytest.mark.django_db

TODAY = dt.date(2017, 12, 1)


def record(world, by=None, **fields):
    values = {
        "nominee_unit": world.unit_a,
        "person_name": "  Trần   Thị Lan ",
        "title": "Cải tiến lò nung",
        "level": InitiativeLevel.GRASSROOTS,
        "recognised_on": dt.date(2017, 5, 4),
        "recognised_by": "Hội đồng sáng kiến CĐCS Alpha",
        "benefit": 1_200_000,
    }
    values.update(fields)
    return initiative_record(by=by or world.officer_a, today=TODAY, **values)


def test_an_initiative_is_recorded_tidied(world):
    initiative = record(world)
    assert initiative.person_name == "Trần Thị Lan"
    assert initiative.nominee_kind == NomineeKind.INDIVIDUAL
    assert initiative.recorded_by == world.officer_a
    unit_own = record(world, person_name="", title="Quy trình kho")
    assert unit_own.nominee_kind == NomineeKind.COLLECTIVE


def test_each_refusal_names_its_field_and_saves_nothing(world):
    with pytest.raises(ValidationError) as caught:
        record(
            world,
            title="   ",
            level="district",
            recognised_on=dt.date(2017, 12, 2),
            recognised_by=" ",
        )
    fields = caught.value.message_dict
    assert set(fields) == {"title", "level", "recognised_on", "recognised_by"}
    assert "02/12/2017" in fields["recognised_on"][0]
    with pytest.raises(ValidationError) as caught:
        record(world, by=world.officer_b)
    assert "Alpha Đông Á" in caught.value.message_dict["nominee_unit"][0]
    assert not Initiative.objects.exists()


def test_documents_are_checked_by_content_and_by_who_records(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    initiative = record(world)
    with pytest.raises(ValidationError) as caught:
        initiative_file_add(
            initiative=initiative,
            by=world.officer_a,
            document="Quyết định công nhận",
            upload=SimpleUploadedFile("qd.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert "file" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        initiative_file_add(
            initiative=initiative, by=world.officer_a, document="  ", upload=pdf_upload()
        )
    assert "document" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        initiative_file_add(
            initiative=initiative, by=world.officer_b, document="QĐ", upload=pdf_upload()
        )
    assert not InitiativeFile.objects.exists() and not list(tmp_path.rglob("*.pdf"))
    stored = initiative_file_add(
        initiative=initiative,
        by=world.leader,
        document="Quyết định công nhận",
        upload=pdf_upload("quyet-dinh.pdf"),
    )
    assert stored.original_name == "quyet-dinh.pdf" and stored.content_type == "application/pdf"
    assert stored.file.name.endswith(f"{stored.token}.pdf")
    with pytest.raises(PermissionDenied):
        initiative_file_remove(initiative=initiative, file_id=stored.pk, by=world.officer_b)
    initiative_file_remove(initiative=initiative, file_id=stored.pk, by=world.officer_a)
    assert not InitiativeFile.objects.exists()
    with pytest.raises(ValidationError):
        initiative_file_remove(initiative=initiative, file_id=stored.pk, by=world.officer_a)


def test_the_pages(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.officer_a)
    url = reverse("awards:initiative-add")
    typed = {
        "nominee_unit": "NB-P-A",
        "person_name": "Trần Thị Lan",
        "title": "Cải tiến lò nung",
        "level": "grassroots",
        "recognised_on": "2999-05-04",
        "recognised_by": "Hội đồng sáng kiến",
        "benefit": "",
    }
    response = client.post(url, typed)
    body = response.content.decode()
    assert response.status_code == 200 and not Initiative.objects.exists()
    assert "04/05/2999" in body and 'value="Cải tiến lò nung"' not in body  # textarea
    assert "Cải tiến lò nung</textarea>" in body
    response = client.post(url, {**typed, "nominee_unit": "NB-P-B"})
    assert "NB-P-B" in response.content.decode() and not Initiative.objects.exists()
    response = client.post(url, {**typed, "recognised_on": "2017-05-04"})
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response.url == initiative.get_absolute_url()

    page = initiative.get_absolute_url()
    response = client.post(page, {"document": "Bản mô tả", "file": pdf_upload("mo-ta.pdf")})
    assert response.status_code == 302
    stored = initiative.files.get()
    body = client.get(page).content.decode()
    assert "mo-ta.pdf" in body and "Bản mô tả" in body
    download = client.get(reverse("awards:initiative-file", args=[initiative.pk, stored.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert download["X-Content-Type-Options"] == "nosniff"

    history = client.get(reverse("awards:history")).content.decode()
    assert page in history

    other = client_for(world.officer_b)
    assert other.get(page).status_code == 404
    assert (
        other.get(reverse("awards:initiative-file", args=[initiative.pk, stored.pk])).status_code
        == 404
    )
