"""Walks every URL pattern of the project, for every persona.

Each named URL must have an entry in SAMPLES (the test fails otherwise, so every new view is
covered): how to fill its arguments with an object of grassroots unit A's branch, and who must
be let in. Then, for each persona:
- anonymous is sent to the login page unless the page is public (or a fragment that answers
  empty when signed out);
- officer B of the sibling unit gets 403 or 404, or a page without a trace of unit A;
- the personas named as allowed get 200.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = ("anonymous", "officer_a", "officer_b", "leader", "staff", "admin")

# Markers of unit A's data that must never reach officer B.
MARKERS = ("Alpha Đông Á", "NB-P-A")

ALL = {"officer_a", "officer_b", "leader", "staff", "admin"}


def unit_a(w):
    return {"pk": w.unit_a.pk}


def membership_a(w):
    return {"pk": w.unit_a.pk, "membership_id": w.officer_a.memberships.get().pk}


# name: (kwargs from the world, query string, personas who get 200 on GET, POST-only)
SAMPLES = {
    "home": (None, "", ALL, False),
    "healthz": (None, "", None, False),  # public
    "accounts:login": (None, "", None, False),  # public
    "accounts:logout": (None, "", set(), True),
    "accounts:profile": (None, "", ALL, False),
    "accounts:password_change": (None, "", ALL, False),
    "accounts:password_reset": (None, "", None, False),
    "accounts:password_reset_done": (None, "", None, False),
    "accounts:password_reset_confirm": (
        lambda w: {"uidb64": "MQ", "token": "x-y"},
        "",
        None,
        False,
    ),
    "accounts:password_reset_complete": (None, "", None, False),
    "federation:my-unit": (None, "", set(), False),
    "federation:tree": (None, "q=Alpha", {"leader", "staff", "admin"}, False),
    "federation:lookup": (None, "q=Alpha", ALL, False),
    "federation:import": (None, "", {"staff", "admin"}, False),
    "federation:people-import": (None, "", {"staff", "admin"}, False),
    "federation:unit-detail": (unit_a, "", {"officer_a", "leader", "staff", "admin"}, False),
    "federation:tree-children": (unit_a, "", {"officer_a", "leader", "staff", "admin"}, False),
    "federation:unit-history": (unit_a, "", {"officer_a", "leader", "staff", "admin"}, False),
    "federation:unit-edit": (unit_a, "", {"staff", "admin"}, False),
    "federation:unit-add-child": (unit_a, "", {"staff", "admin"}, False),
    "federation:unit-move": (unit_a, "", {"staff", "admin"}, False),
    "federation:unit-merge": (unit_a, "", {"staff", "admin"}, False),
    "federation:unit-delete": (unit_a, "", {"staff", "admin"}, False),
    "federation:member-add": (unit_a, "", {"staff", "admin"}, False),
    "federation:member-remove": (membership_a, "", set(), True),
    "federation:department-add": (unit_a, "", {"staff", "admin"}, False),
    "set_language": (None, "", set(), True),
}

# --- The campaign plan (issue 3) -------------------------------------------------------------
# A campaign issued by grassroots unit A itself: its members and reviewers see it, the sibling
# does not; the staff above configure it. Objects are made on first use, once per world.


def campaign_a(w):
    from campaigns.models import Campaign, CampaignStatus, Phase, Theme

    campaign, created = Campaign.objects.get_or_create(
        issuer=w.unit_a,
        year=2017,
        defaults={"title": "Thi đua của đơn vị", "slug": "2017-thi-dua", "number": 1},
    )
    if created:
        Theme.objects.create(campaign=campaign, number=1, title="Một", text="Nội dung một.")
        Theme.objects.create(campaign=campaign, number=2, title="Hai", text="Nội dung hai.")
        Phase.objects.create(campaign=campaign, name="Đợt 1", start="2017-01-01", end="2017-12-31")
        campaign.status = CampaignStatus.ACTIVE
        campaign.save()
    return {"pk": campaign.pk}


def theme_a(w):
    pk = campaign_a(w)["pk"]
    from campaigns.models import Theme

    return {"pk": pk, "theme_id": Theme.objects.filter(campaign_id=pk).first().pk}


def phase_a(w):
    pk = campaign_a(w)["pk"]
    from campaigns.models import Phase

    return {"pk": pk, "phase_id": Phase.objects.get(campaign_id=pk).pk}


def holiday_a(w):
    from campaigns.models import Holiday

    holiday, _ = Holiday.objects.get_or_create(
        name="Ngày truyền thống đơn vị", day=1, month=6, scope_unit=w.unit_a
    )
    return {"pk": holiday.pk}


def feed_of_officer_b(w):
    from campaigns.models import CalendarToken
    from campaigns.services.days import calendar_token_reset

    token = CalendarToken.objects.filter(user=w.officer_b).first()
    return {"token": (token or calendar_token_reset(user=w.officer_b)).token}


CAMPAIGN_VIEWERS = {"officer_a", "leader", "staff", "admin"}
CONFIGURERS = {"staff", "admin"}
SAMPLES.update(
    {
        "campaigns:list": (None, "", ALL, False),
        "campaigns:create": (None, "", CONFIGURERS, False),
        "campaigns:holidays": (None, "", CONFIGURERS, False),
        "campaigns:holiday-add": (None, "", CONFIGURERS, False),
        "campaigns:holiday-edit": (holiday_a, "", CONFIGURERS, False),
        "campaigns:holiday-delete": (holiday_a, "", CONFIGURERS, False),
        "campaigns:calendar-subscribe": (None, "", ALL, False),
        "campaigns:calendar-feed": (feed_of_officer_b, "", None, False),  # the token is the key
        "campaigns:detail": (campaign_a, "", CAMPAIGN_VIEWERS, False),
        "campaigns:plan-pdf": (campaign_a, "", CAMPAIGN_VIEWERS, False),
        "campaigns:calendar": (campaign_a, "", CAMPAIGN_VIEWERS, False),
        "campaigns:history": (campaign_a, "", CAMPAIGN_VIEWERS, False),
        "campaigns:edit": (campaign_a, "", CONFIGURERS, False),
        "campaigns:activate": (campaign_a, "", set(), True),
        "campaigns:close": (campaign_a, "", set(), True),
        "campaigns:copy": (campaign_a, "", CONFIGURERS, False),
        "campaigns:themes": (campaign_a, "", CONFIGURERS, False),
        "campaigns:theme-edit": (theme_a, "", CONFIGURERS, False),
        "campaigns:theme-delete": (theme_a, "", CONFIGURERS, False),
        "campaigns:theme-move": (theme_a, "", set(), True),
        "campaigns:phases": (campaign_a, "", CONFIGURERS, False),
        "campaigns:phase-edit": (phase_a, "", CONFIGURERS, False),
        "campaigns:phase-delete": (phase_a, "", CONFIGURERS, False),
        "campaigns:milestones": (campaign_a, "", CONFIGURERS, False),
    }
)
# --- end of the campaign plan ----------------------------------------------------------------

# --- Registrations (issue 4) -----------------------------------------------------------------
# An active campaign of the province; unit A's registration awaits review and has an earlier,
# approved revision. The district reviews A and B; officer B must see nothing of A's.


def reg_campaign(w, year=2017):
    from campaigns.models import Campaign, CampaignStatus, Phase, Theme

    campaign, created = Campaign.objects.get_or_create(
        issuer=w.province,
        year=year,
        slug=f"{year}-dang-ky",
        defaults={
            "title": f"Thi đua năm {year}",
            "number": 2,
            "registration_deadline": f"{year}-12-31",
        },
    )
    if created:
        Theme.objects.create(campaign=campaign, number=1, title="Một", text="Nội dung một.")
        Theme.objects.create(campaign=campaign, number=2, title="Hai", text="Nội dung hai.")
        Phase.objects.create(
            campaign=campaign, name="Đợt 1", start=f"{year}-01-01", end=f"{year}-12-31"
        )
        campaign.status = CampaignStatus.ACTIVE
        campaign.save()
    return campaign


def registration_of_a(w):
    from registrations.models import RegisteredTheme, Registration, RegistrationRevision

    campaign = reg_campaign(w)
    registration, created = Registration.objects.get_or_create(
        campaign=campaign,
        organization=w.unit_a,
        defaults={"status": "submitted", "revision": 2, "submitted_by": w.officer_a},
    )
    if created:
        for theme in campaign.themes.all():
            RegisteredTheme.objects.create(
                registration=registration, theme=theme, commitment="Cam kết của Alpha Đông Á."
            )
        RegistrationRevision.objects.create(
            registration=registration, number=1, content={"themes": [], "key_works": []}
        )
    return registration


def reg_unit_a(w):
    registration_of_a(w)
    return {"campaign_id": reg_campaign(w).pk, "pk": w.unit_a.pk}


def reg_unit_a_fresh(w):
    """Unit A in a second campaign where it has not registered yet: its form opens."""
    registration_of_a(w)
    return {"campaign_id": reg_campaign(w, 2018).pk, "pk": w.unit_a.pk}


def reg_district(w):
    registration_of_a(w)
    return {"campaign_id": reg_campaign(w).pk, "pk": w.district.pk}


def reg_a(w):
    return {"pk": registration_of_a(w).pk}


def reg_revision_a(w):
    return {"pk": registration_of_a(w).pk, "number": 1}


REG_READERS = {"officer_a", "leader", "staff", "admin"}
REG_REVIEWERS = {"leader", "staff", "admin"}
SAMPLES.update(
    {
        "registrations:index": (None, "", ALL, False),
        "registrations:unit": (reg_unit_a, "", REG_READERS, False),
        "registrations:form": (reg_unit_a_fresh, "", {"officer_a", "admin"}, False),
        "registrations:extend": (reg_unit_a, "", REG_REVIEWERS, False),
        "registrations:queue": (reg_district, "", REG_REVIEWERS, False),
        "registrations:bulk-approve": (reg_district, "all=1", REG_REVIEWERS, False),
        "registrations:summary": (reg_district, "", REG_REVIEWERS, False),
        "registrations:summary-xlsx": (reg_district, "", REG_REVIEWERS, False),
        "registrations:summary-pdf": (reg_district, "", REG_REVIEWERS, False),
        "registrations:submit": (reg_a, "", set(), True),
        "registrations:approve": (reg_a, "", set(), True),
        "registrations:return": (reg_a, "", REG_REVIEWERS, False),
        "registrations:reopen": (reg_a, "", REG_READERS, False),
        "registrations:pdf": (reg_a, "", REG_READERS, False),
        "registrations:history": (reg_a, "", REG_READERS, False),
        "registrations:revision": (reg_revision_a, "", REG_READERS, False),
    }
)
# --- end of the registrations ----------------------------------------------------------------

# --- Commendation (issue 6) ------------------------------------------------------------------
# A nomination of grassroots unit A, sent up to the province and awarded; its council session and
# decision; an advanced model of unit A not yet published; a published one of unit C for the
# public pages; a plaque on a key work of unit A.


def _award_world(w):
    import datetime as dt

    from django.core.files.base import ContentFile

    from awards.demo import demo_pdf, demo_photo
    from awards.models import (
        AwardType,
        CouncilSession,
        Decision,
        DossierFile,
        ExemplaryModel,
        ModelStatus,
        Nomination,
        SessionItem,
    )

    existing = Nomination.objects.filter(nominating_unit=w.unit_a).first()
    if existing is not None:
        return existing
    campaign_a(w)
    from campaigns.models import Campaign

    campaign = Campaign.objects.get(issuer=w.unit_a)
    award = AwardType.objects.create(
        name="Bằng khen của LĐLĐ tỉnh",
        certificate_title="BẰNG KHEN",
        category="form",
        nominee_kind="individual",
        granting_unit=w.province,
        required_documents="Tờ trình",
    )
    session = CouncilSession.objects.create(
        granting_unit=w.province, title="Phiên họp", meeting_date=dt.date(2017, 12, 26)
    )
    decision = Decision.objects.create(
        issuer=w.province,
        award_type=award,
        number=45,
        symbol="QĐ-LĐLĐ",
        date=dt.date(2017, 12, 28),
        signer_name="Lê Đình Việt",
        session=session,
    )
    nomination = Nomination.objects.create(
        campaign=campaign,
        award_type=award,
        nominating_unit=w.unit_a,
        occasion="year_end",
        nominee_kind="individual",
        nominee_unit=w.unit_a,
        person_name="Trần Thị Lan",
        gender="female",
        birth_year=1982,
        achievement="Xuất sắc.",
        current_level=w.province,
        status="approved",
        council_result="approved",
        decision=decision,
    )
    SessionItem.objects.create(session=session, nomination=nomination, position=1)
    record = DossierFile(
        nomination=nomination,
        document="Tờ trình",
        original_name="to-trinh.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=100,
        token="a" * 32,
    )
    record.file.save("x", ContentFile(demo_pdf("To trinh")), save=False)
    record.save()
    for unit, token, status in (
        (w.unit_a, "b", ModelStatus.PROPOSED),
        (w.unit_c, "c", ModelStatus.PUBLISHED),
    ):
        model = ExemplaryModel(
            organization=unit,
            title=f"Gương sáng {token}",
            subject="Chị Lan",
            story="Câu chuyện.",
            token=token * 32,
            photo_extension=".png",
            photo_content_type="image/png",
            status=status,
        )
        model.photo.save("x", ContentFile(demo_photo(1)), save=False)
        model.save()
    return nomination


def nomination_of_a(w):
    return {"pk": _award_world(w).pk}


def dossier_file_of_a(w):
    nomination = _award_world(w)
    return {"pk": nomination.pk, "file_id": nomination.files.get().pk}


def initiative_file_of_a(w):
    import datetime as dt

    from django.core.files.base import ContentFile

    from awards.models import Initiative, InitiativeFile

    initiative, _ = Initiative.objects.get_or_create(
        nominee_unit=w.unit_a,
        title="Cải tiến lò nung",
        defaults={
            "nominee_kind": "individual",
            "person_name": "Trần Thị Lan",
            "level": "grassroots",
            "recognised_on": dt.date(2017, 5, 4),
            "recognised_by": "Hội đồng sáng kiến Alpha Đông Á",
        },
    )
    record = InitiativeFile.objects.filter(initiative=initiative).first()
    if record is None:
        record = InitiativeFile(
            initiative=initiative,
            document="Quyết định công nhận",
            original_name="qd.pdf",
            content_type="application/pdf",
            extension=".pdf",
            size=9,
            token="a" * 32,
        )
        record.file.save("a" * 32, ContentFile(b"%PDF-1.4\n"), save=False)
        record.save()
    return {"pk": initiative.pk, "file_id": record.pk}


def initiative_of_a(w):
    return {"pk": initiative_file_of_a(w)["pk"]}


def session_of_a(w):
    return {"pk": _award_world(w).session_items.get().session_id}


def decision_of_a(w):
    return {"pk": _award_world(w).decision_id}


def award_catalogue(w):
    _award_world(w)
    return {}


def model_of_a(w):
    from awards.models import ExemplaryModel

    _award_world(w)
    return {"pk": ExemplaryModel.objects.get(organization=w.unit_a).pk}


def published_model(w):
    from awards.models import ExemplaryModel

    _award_world(w)
    return {"model_id": ExemplaryModel.objects.get(organization=w.unit_c).pk}


def key_work_of_a(w):
    from registrations.models import KeyWork, Registration

    campaign_a(w)
    from campaigns.models import Campaign

    registration, _ = Registration.objects.get_or_create(
        campaign=Campaign.objects.get(issuer=w.unit_a),
        organization=w.unit_a,
        defaults={"status": "approved"},
    )
    work, _ = KeyWork.objects.get_or_create(registration=registration, name="Nhà văn hóa")
    return work


def key_work_a(w):
    return {"key_work_id": key_work_of_a(w).pk}


def plaque_of_a(w):
    from awards.models import Plaque

    plaque, _ = Plaque.objects.get_or_create(key_work=key_work_of_a(w))
    return {"pk": plaque.pk}


def plaques_of_a(w):
    plaque_of_a(w)
    return {}


NOMINATION_VIEWERS = {"officer_a", "leader", "staff", "admin"}
PROVINCE_STAFF = {"staff", "admin"}
SAMPLES.update(
    {
        "awards:nominations": (award_catalogue, "", ALL, False),
        "awards:nominations-xlsx": (award_catalogue, "", ALL, False),
        "awards:nomination-create": (
            None,
            "",
            {"officer_a", "officer_b", "leader", "admin"},
            False,
        ),
        "awards:nomination-detail": (nomination_of_a, "", NOMINATION_VIEWERS, False),
        "awards:nomination-edit": (
            nomination_of_a,
            "",
            set(),
            False,
        ),  # sent up: no longer editable
        "awards:nomination-delete": (nomination_of_a, "", set(), True),
        "awards:nomination-history": (nomination_of_a, "", NOMINATION_VIEWERS, False),
        "awards:dossier-add": (nomination_of_a, "", set(), True),
        "awards:dossier-file": (dossier_file_of_a, "", NOMINATION_VIEWERS, False),
        "awards:dossier-remove": (dossier_file_of_a, "", set(), True),
        "awards:nomination-submit": (nomination_of_a, "", set(), True),
        "awards:nomination-declare": (nomination_of_a, "", set(), True),
        "awards:prior-award-add": (nomination_of_a, "", set(), True),
        "awards:nomination-endorse": (nomination_of_a, "", set(), True),
        "awards:nomination-return": (nomination_of_a, "", set(), True),
        "awards:certificate": (nomination_of_a, "", NOMINATION_VIEWERS, False),
        "awards:sessions": (award_catalogue, "", PROVINCE_STAFF | {"leader"}, False),
        "awards:session-create": (award_catalogue, "", PROVINCE_STAFF, False),
        "awards:session-detail": (session_of_a, "", PROVINCE_STAFF, False),
        "awards:session-vote": (session_of_a, "", set(), True),
        "awards:session-close": (session_of_a, "", set(), True),
        "awards:session-attendance": (session_of_a, "", set(), True),
        "awards:session-written-opinion": (session_of_a, "", set(), True),
        "awards:session-minutes": (session_of_a, "", PROVINCE_STAFF, False),
        "awards:session-ballots": (session_of_a, "", PROVINCE_STAFF, False),
        "awards:decisions": (award_catalogue, "", ALL, False),
        "awards:decisions-xlsx": (award_catalogue, "", ALL, False),
        "awards:decision-create": (award_catalogue, "", PROVINCE_STAFF, False),
        "awards:decision-detail": (decision_of_a, "", NOMINATION_VIEWERS, False),
        "awards:decision-payments-xlsx": (decision_of_a, "", PROVINCE_STAFF, False),
        "awards:decision-pdf": (decision_of_a, "", NOMINATION_VIEWERS, False),
        "awards:decision-certificates": (decision_of_a, "", NOMINATION_VIEWERS, False),
        "awards:history": (award_catalogue, "", ALL, False),
        "awards:catalogue": (award_catalogue, "", ALL, False),
        "awards:initiative-import": (None, "", ALL, False),
        "awards:initiative-add": (None, "", ALL, False),
        "awards:initiative": (initiative_of_a, "", NOMINATION_VIEWERS, False),
        "awards:initiative-file": (initiative_file_of_a, "", NOMINATION_VIEWERS, False),
        "awards:initiative-file-remove": (initiative_file_of_a, "", set(), True),
        "awards:models": (award_catalogue, "", ALL, False),
        "awards:model-create": (None, "", {"officer_a", "officer_b", "leader", "admin"}, False),
        "awards:model-detail": (model_of_a, "", NOMINATION_VIEWERS, False),
        "awards:model-publish": (model_of_a, "", set(), True),
        "awards:model-photo": (published_model, "", None, False),  # published: public
        "awards:gallery": (award_catalogue, "", None, False),  # public
        "awards:gallery-detail": (published_model, "", None, False),  # public
        "awards:gallery-feed": (award_catalogue, "", None, False),  # public
        "awards:plaques": (plaques_of_a, "", PROVINCE_STAFF, False),
        "awards:plaques-xlsx": (plaques_of_a, "", PROVINCE_STAFF, False),
        "awards:plaque-grant": (key_work_a, "", set(), True),
        "awards:plaque-attach": (plaque_of_a, "", set(), True),
    }
)
# --- end of commendation ---------------------------------------------------------------------

# --- Phase reports (issue 5) -----------------------------------------------------------------
# A campaign of the province with two phases and one indicator; unit A's registration is
# approved and its report on phase 1 awaits review, with an attached file; on phase 2 it has no
# report yet (its form opens). The district reviews A; the province's staff keep the inbox and
# configure the indicators. Officer B must see nothing of A's, its file included.


def _report_world(w):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from campaigns.models import Campaign, CampaignStatus, Phase, Theme
    from registrations.models import RegisteredTheme, Registration, Target, target_key
    from reports.demo import tiny_pdf
    from reports.models import (
        Attachment,
        Indicator,
        IndicatorValue,
        PhaseReport,
        TargetResult,
        ThemeResult,
    )

    campaign, created = Campaign.objects.get_or_create(
        issuer=w.province,
        year=2019,
        slug="2019-bao-cao",
        defaults={"title": "Thi đua năm 2019", "number": 5, "status": CampaignStatus.ACTIVE},
    )
    if created:
        theme = Theme.objects.create(campaign=campaign, number=1, title="Một", text="Nội dung.")
        Theme.objects.create(campaign=campaign, number=2, title="Hai", text="Nội dung hai.")
        first = Phase.objects.create(
            campaign=campaign,
            name="Đợt 1",
            start="2019-01-01",
            end="2019-06-30",
            report_deadline="2019-07-15",
        )
        Phase.objects.create(campaign=campaign, name="Đợt 2", start="2019-07-01", end="2019-12-31")
        indicator = Indicator.objects.create(
            campaign=campaign, position=1, name="Sáng kiến", unit="sáng kiến"
        )
        registration = Registration.objects.create(
            campaign=campaign, organization=w.unit_a, status="approved"
        )
        registered = RegisteredTheme.objects.create(
            registration=registration, theme=theme, commitment="Cam kết của Alpha Đông Á."
        )
        Target.objects.create(registered_theme=registered, name="Sáng kiến", unit="cái", value=5)
        report = PhaseReport.objects.create(
            campaign=campaign,
            phase=first,
            organization=w.unit_a,
            status="submitted",
            submitted_by=w.officer_a,
            narrative="Báo cáo của Alpha Đông Á.",
        )
        result = ThemeResult.objects.create(report=report, theme=theme, done="Alpha Đông Á làm.")
        TargetResult.objects.create(
            theme_result=result,
            name="Sáng kiến",
            unit="cái",
            key=target_key("Sáng kiến", "cái"),
            target=5,
            achieved=4,
        )
        IndicatorValue.objects.create(report=report, indicator=indicator, value=3)
        # One stored file, reused by every run (never a new one per test).
        name = "reports/permissions-sample/" + "a" * 32 + ".pdf"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(tiny_pdf("Alpha Dong A")))
        Attachment.objects.create(
            report=report,
            file=name,
            original_name="bien-ban-alpha-dong-a.pdf",
            content_type="application/pdf",
            extension=".pdf",
            size=default_storage.size(name),
            token="a" * 32,
            uploaded_by=w.officer_a,
        )
    return campaign


def _phases(w):
    return list(_report_world(w).phases.order_by("start"))


def rep_campaign(w):
    return {"campaign_id": _report_world(w).pk}


def rep_indicator(w):
    campaign = _report_world(w)
    return {"campaign_id": campaign.pk, "pk": campaign.report_indicators.get().pk}


def rep_phase(w):
    return {"campaign_id": _report_world(w).pk, "phase_id": _phases(w)[0].pk}


def rep_unit_a(w):
    return {**rep_phase(w), "pk": w.unit_a.pk}


def rep_unit_a_phase_2(w):
    return {"campaign_id": _report_world(w).pk, "phase_id": _phases(w)[1].pk, "pk": w.unit_a.pk}


def rep_district(w):
    return {"campaign_id": _report_world(w).pk, "pk": w.district.pk}


def rep_district_phase(w):
    return {**rep_phase(w), "pk": w.district.pk}


def rep_report_a(w):
    return {"pk": _report_world(w).phase_reports.get().pk}


def rep_file_a(w):
    report = _report_world(w).phase_reports.get()
    return {"pk": report.pk, "file_id": report.attachments.get().pk}


REP_READERS = {"officer_a", "leader", "staff", "admin"}
REP_REVIEWERS = {"leader", "staff", "admin"}
PROVINCE = {"staff", "admin"}
SAMPLES.update(
    {
        "reports:index": (None, "", ALL, False),
        "reports:inbox": (rep_campaign, "", PROVINCE, False),
        "reports:dashboard": (rep_district, "", REP_REVIEWERS, False),
        "reports:dashboard-xlsx": (rep_district, "", REP_REVIEWERS, False),
        "reports:indicators": (rep_campaign, "", PROVINCE, False),
        "reports:indicator-defaults": (rep_campaign, "", set(), True),
        "reports:indicator-edit": (rep_indicator, "", PROVINCE, False),
        "reports:indicator-delete": (rep_indicator, "", PROVINCE, False),
        "reports:opening": (rep_phase, "", PROVINCE, False),
        "reports:unit": (rep_unit_a, "", REP_READERS, False),
        "reports:form": (rep_unit_a_phase_2, "", {"officer_a", "admin"}, False),
        "reports:extend": (rep_unit_a, "", REP_REVIEWERS, False),
        "reports:queue": (rep_district_phase, "", REP_REVIEWERS, False),
        "reports:rollup": (rep_district_phase, "", REP_REVIEWERS, False),
        "reports:summary-pdf": (rep_district_phase, "", REP_REVIEWERS, False),
        "reports:submit": (rep_report_a, "", set(), True),
        "reports:approve": (rep_report_a, "", set(), True),
        "reports:return": (rep_report_a, "", REP_REVIEWERS, False),
        "reports:receive": (rep_report_a, "", set(), True),
        "reports:history": (rep_report_a, "", REP_READERS, False),
        "reports:attachment": (rep_file_a, "", REP_READERS, False),
    }
)
# --- end of phase reports --------------------------------------------------------------------

# --- Consolidations sent up (issue 14) -------------------------------------------------------
# District P sent the province its consolidated registrations, counting unit A: it awaits
# review. The district reads and sends it; the province's staff review it. Officer A (below
# the district) and officer B must not see it.


def _sendup_of_p(w):
    from consolidations.models import Consolidation

    campaign = reg_campaign(w)
    consolidation, _ = Consolidation.objects.get_or_create(
        campaign=campaign,
        organization=w.district,
        phase=None,
        defaults={
            "status": "submitted",
            "sendings": 1,
            "counted_units": 1,
            "submitted_by": w.leader,
            "snapshot": {
                "kind": "registrations",
                "progress": {"total": 3, "approved": 1},
                "themes": [],
                "branches": [{"id": w.unit_a.pk, "code": "NB-P-A", "name": w.unit_a.name}],
                "counted": [[w.unit_a.pk, "NB-P-A", w.unit_a.name]],
            },
        },
    )
    return consolidation


def sendup_district(w):
    _sendup_of_p(w)
    return {"campaign_id": reg_campaign(w).pk, "pk": w.district.pk}


def sendup_province(w):
    _sendup_of_p(w)
    return {"campaign_id": reg_campaign(w).pk, "pk": w.province.pk}


def sendup_p(w):
    return {"pk": _sendup_of_p(w).pk}


SENDUP_READERS = {"leader", "staff", "admin"}
SAMPLES.update(
    {
        "consolidations:unit": (sendup_district, "", SENDUP_READERS, False),
        "consolidations:send": (sendup_district, "", set(), True),
        "consolidations:queue": (sendup_province, "", PROVINCE, False),
        "consolidations:detail": (sendup_p, "", SENDUP_READERS, False),
        "consolidations:history": (sendup_p, "", SENDUP_READERS, False),
        "consolidations:approve": (sendup_p, "", set(), True),
        "consolidations:return": (sendup_p, "", PROVINCE, False),
        "consolidations:reopen": (sendup_p, "", SENDUP_READERS, False),
    }
)
# --- end of consolidations sent up -----------------------------------------------------------


# --- Background jobs: the person who asked, and no one else (not even an administrator) -----
def job_of_officer_a(w):
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from emulation.models import Job, JobState

    job = Job.objects.filter(requested_by=w.officer_a).first()
    if job is None:
        job = Job(
            kind="federation.services.imports.organizations_import_job",
            title="Alpha Đông Á",
            requested_by=w.officer_a,
            unit=w.unit_a,
            state=JobState.DONE,
            result_name="NB-P-A.xlsx",
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
        job.result.save("result", ContentFile(b"NB-P-A"), save=False)
        job.save()
    return {"pk": job.pk}


SAMPLES.update(
    {
        "job": (job_of_officer_a, "", {"officer_a"}, False),
        "job-download": (job_of_officer_a, "", {"officer_a"}, False),
    }
)

PUBLIC = {name for name, sample in SAMPLES.items() if sample[2] is None}
# Fragments a page loads by itself after it is shown: signed out, they answer empty (a redirect
# would put the login page inside the page).
EMPTY_WHEN_SIGNED_OUT = {"reminders:badge"}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns == "admin":
                continue  # Django's own admin: checked separately below
            yield from _walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def all_url_names():
    return sorted(set(_walk(get_resolver().url_patterns)))


def test_every_url_is_in_the_matrix():
    missing = [name for name in all_url_names() if name not in SAMPLES]
    assert not missing, f"Add these URLs to SAMPLES in {__file__}: {missing}"


@pytest.mark.parametrize("name", all_url_names())
def test_url_permissions(name, world, client_for):
    kwargs_fn, query, allowed, post_only = SAMPLES[name]
    url = reverse(name, kwargs=kwargs_fn(world) if kwargs_fn else None)
    if query:
        url = f"{url}?{query}"
    touches_unit_a = kwargs_fn is not None and "pk" in (kwargs_fn(world) or {})
    for persona in PERSONAS:
        client = client_for(world.persona(persona))
        response = client.post(url) if post_only else client.get(url)
        status = response.status_code
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode("utf-8", "replace") if status == 200 else ""
        if persona == "anonymous":
            if name in PUBLIC:
                assert status in (200, 302, 503), (name, persona, status)
            elif name in EMPTY_WHEN_SIGNED_OUT:
                assert status == 200 and response.content == b"", (name, persona, status)
            elif name != "set_language":
                assert status == 302 and "/accounts/login/" in response["Location"], (
                    name,
                    persona,
                    status,
                )
            continue
        if persona == "officer_b":
            if touches_unit_a:
                assert status in (403, 404), (name, persona, status)
            for marker in MARKERS:
                assert marker not in body, f"{name} shows unit A's data to officer B"
            if post_only and touches_unit_a:
                assert world.officer_a.memberships.exists(), "officer B changed unit A"
        if allowed and persona in allowed and not post_only:
            assert status == 200, (name, persona, status)
        elif allowed is not None and not post_only and persona not in allowed:
            assert status in (302, 403, 404), (name, persona, status)


def test_admin_is_for_superusers_only(world, client_for):
    for persona in ("officer_a", "leader", "staff"):
        response = client_for(world.persona(persona)).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client_for(world.admin).get("/admin/").status_code == 200
    assert client_for(world.admin).get("/admin/federation/organization/").status_code == 200


# Reminders: the rules of the province's campaign are configured by its staff; notifications
# and preferences belong to everyone; the outbox to provincial staff and superusers.
def reminders_campaign(w):
    return {"campaign_id": reg_campaign(w).pk}


def reminders_rule(w):
    return {"pk": reg_campaign(w).reminder_rules.order_by("pk").first().pk}


def reminders_outbox_message(w):
    from reminders.models import OutboxMessage

    message = OutboxMessage.objects.create(recipient="x@example.vn", subject="s", text="t")
    return {"pk": message.pk}


def reminders_digest(w):
    from reminders.models import Delivery

    campaign = reg_campaign(w)
    delivery, _created = Delivery.objects.get_or_create(
        campaign=campaign,
        recipient=f"dept:{w.department.pk}",
        occurrence="asked:2017-03-20",
        defaults={
            "department": w.department,
            "context": {"campaign": "Thi đua năm 2017", "rows": [], "changed": {}},
        },
    )
    return {"pk": delivery.pk}


SAMPLES.update(
    {
        "reminders:rules": (reminders_campaign, "", {"staff", "admin"}, False),
        "reminders:rule-add": (reminders_campaign, "", {"staff", "admin"}, False),
        "reminders:rule-edit": (reminders_rule, "", {"staff", "admin"}, False),
        "reminders:notifications": (None, "", ALL, False),
        "reminders:badge": (None, "", ALL, False),
        "reminders:notifications-read": (None, "", set(), True),
        "reminders:preferences": (None, "", set(), True),
        "reminders:outbox": (None, "", {"staff", "admin"}, False),
        "reminders:outbox-resend": (reminders_outbox_message, "", set(), True),
        "reminders:digests": (None, "", {"staff", "admin"}, False),
        "reminders:digest": (reminders_digest, "", {"staff", "admin"}, False),
        "reminders:digest-preview": (reminders_campaign, "", {"staff", "admin"}, False),
        "reminders:digest-send": (reminders_campaign, "", set(), True),
    }
)

# --- Grading of grassroots unions (issue 17) -------------------------------------------------
# Unit A (a state agency) submitted its 2026 grading with one evidence file; the 2025 sheet is
# open with nothing scored. A unit sees only its own grading; the district (the unit above)
# and the province see their branch; officer B sees nothing of A's.

GRADING_YEAR = 2026


def _grading_of_a(w):
    from django.core.files.base import ContentFile

    from grading.demo import build_sheet
    from grading.models import Assessment, Evidence, GradingProfile, ScoreSheet, UnitType

    if not ScoreSheet.objects.filter(year=GRADING_YEAR).exists():
        sheet = build_sheet(GRADING_YEAR, UnitType.STATE)
        build_sheet(GRADING_YEAR - 1, UnitType.STATE)
        GradingProfile.objects.get_or_create(
            organization=w.unit_a, defaults={"unit_type": UnitType.STATE}
        )
        assessment = Assessment.objects.create(
            sheet=sheet, organization=w.unit_a, status="submitted", submitted_by=w.officer_a
        )
        evidence = Evidence(
            assessment=assessment,
            criterion=sheet.groups.first().criteria.first(),
            original_name="bien-ban.pdf",
            content_type="application/pdf",
            extension=".pdf",
            size=10,
            token="grading-evidence-a",
        )
        evidence.file.save("x", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        evidence.save()
    return Assessment.objects.get(organization=w.unit_a)


def grading_a(w):
    return {"pk": _grading_of_a(w).pk}


def grading_file_a(w):
    assessment = _grading_of_a(w)
    return {"pk": assessment.pk, "file_id": assessment.evidence.get().pk}


def grading_sheet(w):
    return {"sheet_id": _grading_of_a(w).sheet_id}


def grading_criterion(w):
    from grading.models import Criterion

    sheet_id = _grading_of_a(w).sheet_id
    item = Criterion.objects.filter(group__sheet_id=sheet_id).first()
    return {"sheet_id": sheet_id, "part": "criterion", "item_id": item.pk}


def grading_new_criterion(w):
    return {"sheet_id": _grading_of_a(w).sheet_id, "part": "criterion"}


def grading_unit_a(w):
    _grading_of_a(w)
    return {"year": GRADING_YEAR - 1, "pk": w.unit_a.pk}


def grading_district(w):
    _grading_of_a(w)
    return {"year": GRADING_YEAR, "pk": w.district.pk}


GRADING_READERS = {"officer_a", "leader", "staff", "admin"}
GRADING_REVIEWERS = {"leader", "staff", "admin"}
SAMPLES.update(
    {
        "grading:index": (None, "", ALL, False),
        "grading:sheet": (grading_sheet, "", ALL, False),
        "grading:unit": (grading_unit_a, "", GRADING_READERS, False),
        "grading:branch": (grading_district, "", GRADING_REVIEWERS, False),
        "grading:branch-xlsx": (grading_district, "", GRADING_REVIEWERS, False),
        "grading:publish": (grading_district, "", set(), True),
        "grading:assessment": (grading_a, "", GRADING_READERS, False),
        "grading:verify": (grading_a, "", set(), True),
        "grading:return": (grading_a, "", GRADING_REVIEWERS, False),
        "grading:reopen": (grading_a, "", GRADING_REVIEWERS, False),
        "grading:history": (grading_a, "", GRADING_READERS, False),
        "grading:pdf": (grading_a, "", GRADING_READERS, False),
        "grading:evidence": (grading_file_a, "", GRADING_READERS, False),
        "grading:branch-pdf": (grading_district, "", GRADING_REVIEWERS, False),
        # The sheet builder: the administrators (the sheets are the confederation's).
        "grading:sheet-new": (None, "", {"admin"}, False),
        "grading:sheet-import": (None, "", {"admin"}, False),
        "grading:sheet-edit": (grading_sheet, "", {"admin"}, False),
        "grading:sheet-xlsx": (grading_sheet, "", ALL, False),
        "grading:sheet-item-new": (grading_new_criterion, "", {"admin"}, False),
        "grading:sheet-item": (grading_criterion, "", {"admin"}, False),
        "grading:sheet-item-delete": (grading_criterion, "", set(), True),
    }
)
# --- end of grading --------------------------------------------------------------------------


# --- Emulation clusters (issue 18) -----------------------------------------------------------
# A cluster formed by the province for 2026 of unit A (the leader) and unit C of another
# district, with its agreement agreed by both. Unit B is not a member: officer B sees none of
# it; the district's leader (not a member, not of the forming unit) neither.

CLUSTER_YEAR = 2026


def _cluster_of_a(w):
    from clusters.models import Cluster, ClusterMember, MemberRole
    from clusters.services.agreements import agreement_accept, agreement_draft
    from clusters.services.membership import cluster_create, member_add, role_set
    from federation.models import Role
    from tests.factories import make_member

    found = Cluster.objects.filter(name="Cụm thi đua số 1").first()
    if found:
        return found
    cluster = cluster_create(
        actor=w.staff,
        forming_unit=w.province,
        kind="cluster",
        name="Cụm thi đua số 1",
        term_start=CLUSTER_YEAR,
        term_end=CLUSTER_YEAR,
    )
    for unit in (w.unit_a, w.unit_c):
        member_add(actor=w.staff, cluster=cluster, organization=unit, year=CLUSTER_YEAR)
    leader = ClusterMember.objects.get(cluster=cluster, organization=w.unit_a)
    role_set(actor=w.staff, member=leader, role=MemberRole.LEADER)
    agreement = agreement_draft(
        actor=w.officer_a,
        cluster=cluster,
        year=CLUSTER_YEAR,
        criteria=[("Phát triển đoàn viên", 100)],
        aggregate="leader",
    )
    officer_c = make_member(w.unit_c, Role.OFFICER, "officer_c")
    agreement_accept(actor=w.officer_a, agreement=agreement, organization=w.unit_a)
    agreement_accept(actor=officer_c, agreement=agreement, organization=w.unit_c)
    return cluster


def cluster_a(w):
    return {"pk": _cluster_of_a(w).pk}


def cluster_year_a(w):
    return {"pk": _cluster_of_a(w).pk, "year": CLUSTER_YEAR}


def cluster_member_a(w):
    cluster = _cluster_of_a(w)
    return {"pk": cluster.pk, "member_id": cluster.members.get(organization=w.unit_c).pk}


def cluster_score_a(w):
    return {"pk": _cluster_of_a(w).pk, "year": CLUSTER_YEAR, "scored_id": w.unit_a.pk}


def _cluster_work_of_a(w):
    """The cluster's open vote for the province's flag, the leader's summary sent to the
    province, and unit A's evidence file of its self-score."""
    from django.core.files.base import ContentFile

    from awards.models import AwardType, NomineeKind
    from campaigns.models import Campaign, CampaignStatus
    from clusters.models import ClusterSummary, ClusterVote, ScoreEvidence
    from clusters.services.summaries import summary_save, summary_submit
    from clusters.services.votes import vote_open

    cluster = _cluster_of_a(w)
    vote = ClusterVote.objects.filter(cluster=cluster).first()
    if vote is None:
        campaign = Campaign.objects.create(
            issuer=w.province,
            year=CLUSTER_YEAR,
            title="Phong trào thi đua năm 2026 của cụm",
            slug="2026-cum",
            number=7,
            status=CampaignStatus.ACTIVE,
        )
        flag = AwardType.objects.create(
            name="Cờ thi đua cụm",
            certificate_title="CỜ THI ĐUA",
            nominee_kind=NomineeKind.COLLECTIVE,
            granting_unit=w.province,
        )
        vote = vote_open(
            actor=w.officer_a,
            cluster=cluster,
            year=CLUSTER_YEAR,
            campaign=campaign,
            award_type=flag,
            threshold=50,
        )
        summary = summary_save(
            actor=w.officer_a, cluster=cluster, year=CLUSTER_YEAR, text="Alpha Đông Á tổng kết"
        )
        summary_submit(summary, by=w.officer_a, expected_version=summary.version)
        agreement = cluster.agreements.get()
        evidence = ScoreEvidence(
            agreement=agreement,
            criterion=agreement.criteria.get(),
            organization=w.unit_a,
            original_name="minh-chung.pdf",
            content_type="application/pdf",
            extension=".pdf",
            size=15,
            token="cluster-evidence-a",
        )
        evidence.file.save("x", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        evidence.save()
    return {
        "vote": vote,
        "summary": ClusterSummary.objects.get(cluster=cluster),
        "evidence": ScoreEvidence.objects.get(agreement__cluster=cluster),
    }


def cluster_vote_a(w):
    return {"pk": _cluster_of_a(w).pk, "vote_id": _cluster_work_of_a(w)["vote"].pk}


def cluster_summary_a(w):
    _cluster_work_of_a(w)
    return cluster_year_a(w)


def cluster_evidence_a(w):
    return {"pk": _cluster_of_a(w).pk, "file_id": _cluster_work_of_a(w)["evidence"].pk}


CLUSTER_READERS = {"officer_a", "staff", "admin"}
SAMPLES.update(
    {
        "clusters:index": (None, "", ALL, False),
        "clusters:cluster": (cluster_a, "", CLUSTER_READERS, False),
        "clusters:member-add": (cluster_year_a, "", set(), True),
        "clusters:member-remove": (cluster_member_a, "", set(), True),
        "clusters:role": (cluster_member_a, "", set(), True),
        "clusters:agreement": (cluster_year_a, "", {"officer_a", "admin"}, False),
        "clusters:accept": (cluster_year_a, "", set(), True),
        "clusters:pdf": (cluster_year_a, "", CLUSTER_READERS, False),
        "clusters:score": (cluster_score_a, "", {"officer_a", "admin"}, False),
        "clusters:xlsx": (cluster_year_a, "", CLUSTER_READERS, False),
        "clusters:vote-open": (cluster_year_a, "", {"officer_a", "admin"}, False),
        "clusters:vote": (cluster_vote_a, "", CLUSTER_READERS, False),
        "clusters:ballot": (cluster_vote_a, "", set(), True),
        "clusters:vote-close": (cluster_vote_a, "", set(), True),
        "clusters:summary": (cluster_summary_a, "", CLUSTER_READERS, False),
        "clusters:summary-approve": (cluster_summary_a, "", set(), True),
        "clusters:summary-return": (cluster_summary_a, "", {"staff", "admin"}, False),
        "clusters:summary-pdf": (cluster_summary_a, "", CLUSTER_READERS, False),
        "clusters:evidence": (cluster_evidence_a, "", CLUSTER_READERS, False),
    }
)
# --- end of clusters -------------------------------------------------------------------------
