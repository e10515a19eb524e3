"""Commendation on the world of ``tests/conftest.py``: the province grants the awards and has a
council of seven; an active campaign of the province; helpers to take a nomination through
every step."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from awards.demo import demo_pdf, demo_photo
from awards.models import AwardCategory, AwardType, NomineeKind, Occasion
from awards.services.council import ballot_cast
from awards.services.dossier import dossier_file_add
from awards.services.nominations import nomination_create
from awards.services.review import nomination_endorse, nomination_submit
from campaigns.models import Campaign, CampaignStatus, Phase
from federation.models import Role
from tests.factories import make_member

DOCUMENTS = ["Tờ trình đề nghị khen thưởng", "Báo cáo thành tích"]


def pdf_upload(name="ho-so.pdf", title="Ho so"):
    return SimpleUploadedFile(name, demo_pdf(title), content_type="application/pdf")


def png_upload(name="anh.png"):
    return SimpleUploadedFile(name, demo_photo(1), content_type="image/png")


def xlsx_bytes():
    book = Workbook()
    book.active.append(["a", "b"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def campaign(world):
    campaign = Campaign.objects.create(
        issuer=world.province,
        year=2017,
        title="Phát động phong trào thi đua yêu nước năm 2017",
        slug="2017-thi-dua",
        number=13,
        status=CampaignStatus.ACTIVE,
    )
    Phase.objects.create(
        campaign=campaign, name="Đợt 1", start=dt.date(2017, 1, 1), end=dt.date(2017, 8, 31)
    )
    return campaign


@pytest.fixture
def awards(world):
    """The province's awards: a Bằng khen for people, a flag for collectives that requires an
    approved registration; the district's Giấy khen."""

    def make(name, kind, unit, **extra):
        return AwardType.objects.create(
            name=name,
            certificate_title=extra.pop("title", "BẰNG KHEN"),
            category=extra.pop("category", AwardCategory.FORM),
            nominee_kind=kind,
            granting_unit=unit,
            required_documents="\n".join(DOCUMENTS),
            **extra,
        )

    return {
        "person": make(
            "Bằng khen của Ban Chấp hành LĐLĐ tỉnh", NomineeKind.INDIVIDUAL, world.province
        ),
        "collective": make(
            "Bằng khen của Ban Chấp hành LĐLĐ tỉnh cho tập thể",
            NomineeKind.COLLECTIVE,
            world.province,
        ),
        "flag": make(
            "Cờ thi đua của LĐLĐ tỉnh",
            NomineeKind.COLLECTIVE,
            world.province,
            title="CỜ THI ĐUA",
            category=AwardCategory.TITLE,
            requires_registration=True,
            approval_threshold=80,
        ),
        "district": make(
            "Giấy khen của LĐLĐ huyện Phượng",
            NomineeKind.INDIVIDUAL,
            world.district,
            title="GIẤY KHEN",
        ),
    }


@pytest.fixture
def council(world):
    """Seven council members of the province."""
    return [make_member(world.province, Role.COUNCIL, f"hoidong{i}") for i in range(1, 8)]


def person(name="Trần Thị Lan", unit=None, **extra):
    return {
        "occasion": Occasion.YEAR_END,
        "phase": None,
        "nominee_unit": unit,
        "person_name": name,
        "gender": "female",
        "birth_year": 1982,
        "position": "Chủ tịch Công đoàn cơ sở",
        "achievement": "Hoàn thành xuất sắc nhiệm vụ năm 2017; có 02 sáng kiến được công nhận.\nĐoạn hai.",
        **extra,
    }


@pytest.fixture
def nominate(world, campaign, awards):
    """A draft nomination of unit A (officer A), of a person by default."""

    def make(name="Trần Thị Lan", *, award="person", unit=None, by=None, dossier=False, **extra):
        unit = unit or world.unit_a
        award_type = awards[award]
        data = person(name, unit, **extra)
        if award_type.nominee_kind == NomineeKind.COLLECTIVE:
            data = {
                k: v
                for k, v in data.items()
                if k not in ("person_name", "gender", "birth_year", "position")
            }
        nomination = nomination_create(
            by=by or world.officer_a,
            campaign=campaign,
            award_type=award_type,
            nominating_unit=unit,
            data=data,
        )
        if dossier:
            add_dossier(nomination, by or world.officer_a)
        return nomination

    return make


def add_dossier(nomination, by):
    for document in nomination.award_type.documents:
        dossier_file_add(nomination=nomination, by=by, document=document, upload=pdf_upload())


@pytest.fixture
def at_council(world, nominate):
    """Nominations of unit A sent up and endorsed by the district: they wait at the province."""

    def make(*names, award="person"):
        made = []
        for name in names:
            n = nominate(name, award=award, dossier=True)
            n = nomination_submit(nomination=n, by=world.officer_a)
            n = nomination_endorse(nomination=n, by=world.leader)
            made.append(n)
        return made

    return make


def vote_all(session, members, choices_by_member):
    """``choices_by_member``: one choice per member (or None to not vote) for every item."""
    items = list(session.items.all())
    for member, choice in zip(members, choices_by_member, strict=False):
        if choice:
            ballot_cast(session=session, by=member, choices={item.pk: choice for item in items})
