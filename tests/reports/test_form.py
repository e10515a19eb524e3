"""The officer's report form says every problem at once (a wrong file no longer hides a wrong
figure, nor the other way round), and the report's page prints the texts typed one paragraph
per line as paragraphs, escaped."""

import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.content import FILES, achieved_field, indicator_field
from reports.models import MAX_ATTACHMENTS, Attachment, Indicator, PhaseReport
from reports.services.common import opening_of
from reports.services.drafts import report_save_draft
from tests.reports.conftest import full_data, pdf_bytes, phase
from tests.reports.test_views import form_post

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(unicodedata.normalize("NFC", response.content.decode()).split())


def form_url(campaign, unit):
    return reverse("reports:form", args=[campaign.pk, phase(campaign).pk, unit.pk])


def feedback_after(body: str, name: str) -> list[str]:
    """The error messages shown under the field ``name``."""
    at = body.index(f'name="{name}"')
    rest = body[at : at + 1500]
    return re.findall(r'<div class="invalid-feedback[^"]*">([^<]*)</div>', rest)[:3]


def test_a_wrong_file_and_wrong_figures_are_all_shown_at_once(world, registered, client_for):
    theme = registered.themes.order_by("number").first()
    indicator = Indicator.objects.filter(campaign=registered).first()
    data = full_data(registered)
    data["themes"][theme.pk]["targets"][0] = "-2"
    data["indicators"][indicator.pk] = "nhiều"
    post = form_post(registered, data)
    post["attachments"] = [
        SimpleUploadedFile("bang.xlsx", pdf_bytes(), "application/pdf"),  # a PDF named .xlsx
        SimpleUploadedFile("bien-ban.pdf", pdf_bytes("Alpha"), "application/pdf"),  # fine
    ]
    response = client_for(world.officer_a).post(form_url(registered, world.unit_a), post)
    assert response.status_code == 200
    body = text_of(response)
    assert "Chưa lưu gì" in body
    # The file, the target and the indicator: each refused next to its field, together.
    files = feedback_after(body, FILES)
    assert files and "bang.xlsx" in files[0]
    assert feedback_after(body, achieved_field(theme.pk, 0))[0] == "Giá trị không được âm."
    assert feedback_after(body, indicator_field(indicator.pk))
    assert body.count("is-invalid") >= 3
    # The two files chosen must be chosen again: the page says so.
    assert 'data-testid="files-not-kept"' in body and "2" in body
    assert not PhaseReport.objects.exists()
    assert not Attachment.objects.exists()


def test_the_service_gathers_file_and_figure_problems(world, registered):
    theme = registered.themes.order_by("number").first()
    data = full_data(registered)
    data["themes"][theme.pk]["targets"][0] = "abc"
    with pytest.raises(ValidationError) as caught:
        report_save_draft(
            campaign=registered,
            phase=phase(registered),
            organization=world.unit_a,
            by=world.officer_a,
            data=data,
            uploads=[SimpleUploadedFile("a.exe", b"MZ\x90\x00 not a document")],
            today=opening_of(phase(registered)),
        )
    assert set(caught.value.message_dict) == {FILES, achieved_field(theme.pk, 0)}
    assert not PhaseReport.objects.exists()


def test_too_many_files_and_a_wrong_figure_are_said_together(world, make_report):
    report = make_report("draft")
    on = phase(report.campaign)
    today = opening_of(on)
    uploads = [
        SimpleUploadedFile(f"f{i}.pdf", pdf_bytes(str(i)), "application/pdf")
        for i in range(MAX_ATTACHMENTS + 1)
    ]
    indicator = Indicator.objects.filter(campaign=report.campaign).first()
    data = full_data(report.campaign)
    data["indicators"][indicator.pk] = "-1"
    with pytest.raises(ValidationError) as caught:
        report_save_draft(
            campaign=report.campaign,
            phase=on,
            organization=world.unit_a,
            by=world.officer_a,
            data=data,
            uploads=uploads,
            expected_version=report.version,
            today=today,
        )
    assert set(caught.value.message_dict) == {FILES, indicator_field(indicator.pk)}
    assert not Attachment.objects.exists()


def test_the_assessment_and_what_was_done_show_as_paragraphs(
    world, registered, make_report, client_for
):
    data = full_data(registered)
    data["narrative"] = "Đoạn một của đánh giá.\nĐoạn <b>hai</b> & cuối."
    first_theme = list(data["themes"])[0]
    data["themes"][first_theme]["done"] = "Việc thứ nhất.\n\nViệc thứ hai."
    report = make_report("submitted", data=data)
    assert report.narrative == "Đoạn một của đánh giá.\nĐoạn <b>hai</b> & cuối."
    page = client_for(world.leader).get(
        reverse("reports:unit", args=[registered.pk, phase(registered).pk, world.unit_a.pk])
    )
    body = page.content.decode()
    narrative = re.search(r'data-testid="rep-narrative-text">(.*?)</div>', body, re.S).group(1)
    assert narrative == (
        "<p>Đoạn một của đánh giá.</p><p>Đoạn &lt;b&gt;hai&lt;/b&gt; &amp; cuối.</p>"
    )
    done = re.search(r'data-testid="rep-theme-done">(.*?)</div>', body, re.S).group(1)
    assert done == "<p>Việc thứ nhất.</p><p>Việc thứ hai.</p>"
