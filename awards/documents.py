"""The official documents of commendation, in the Decree 30 layout of
``templates/documents/base.html``: the award decision with its annex, the council's minutes
(biên bản) and ballot sheets, and the certificates (Bằng khen, Giấy khen) on A4 landscape.

Their words are Vietnamese, as the documents are, whatever the language of the screen.
"""

import re
from dataclasses import dataclass

from django.db.models import Count

from awards.models import (
    CouncilResult,
    CouncilSession,
    Decision,
    Gender,
    Nomination,
    NomineeKind,
    Occasion,
    Vote,
)
from awards.rewards import decision_payments
from emulation.documents import (
    OfficialDocument,
    document_number,
    paragraphs,
    place_of,
    render_pdf,
    vietnamese_date,
)
from federation.models import Organization


def _upper(text: str) -> str:
    return " ".join((text or "").split()).upper()


def header_names(unit: Organization) -> tuple[str, str]:
    """The parent body and the issuer, in capitals, as the header writes them."""
    parent = Organization.objects.filter(path=unit.parent_path).first() if unit.depth > 1 else None
    parent_body = (parent.short_name or parent.name) if parent else ""
    return _upper(parent_body), _upper(unit.name)


def authority(signing_authority: str, issuer: Organization) -> str:
    """The body that decides, as the decision names it above "QUYẾT ĐỊNH:" ("BAN THƯỜNG VỤ
    LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH" for "TM. BAN THƯỜNG VỤ")."""
    body = re.sub(r"^(TM|KT|Q|TL|TUQ)\.\s*", "", (signing_authority or "").strip(), flags=re.I)
    return _upper(f"{body} {issuer.name}" if body else issuer.name)


def _recipients(text: str) -> list[str]:
    return [line.lstrip("-–• ").strip() for line in paragraphs(text)]


def honorific(nomination: Nomination) -> str:
    if nomination.nominee_kind == NomineeKind.COLLECTIVE:
        return ""
    return "Ông" if nomination.gender == Gender.MALE else "Bà"


def achievement_line(nomination: Nomination, limit: int = 240) -> str:
    """The achievement as a certificate states it: the summary's first paragraph, cut at a
    word before ``limit`` characters."""
    first = (paragraphs(nomination.achievement) or [""])[0]
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def occasion_phrase(nomination: Nomination) -> str:
    campaign = nomination.campaign
    if nomination.occasion == Occasion.PHASE and nomination.phase:
        return f"{nomination.phase.name.lower()} phong trào thi đua năm {campaign.year}"
    return f"phong trào thi đua năm {campaign.year}"


# ---------------------------------------------------------------------------------------------
# The decision.


@dataclass
class Awardee:
    number: int
    name: str
    detail: str
    amount: str = ""


def dong(amount: int | None) -> str:
    """An amount in đồng as official documents write it: 1.950.000 (empty when unknown)."""
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def decision_context(decision: Decision) -> dict:
    issuer = decision.issuer
    parent_body, issuer_name = header_names(issuer)
    nominations = list(
        decision.nominations.select_related("nominee_unit", "campaign", "phase").order_by(
            "nominee_kind", "nominee_unit__path", "person_name", "pk"
        )
    )
    collectives = [n for n in nominations if n.nominee_kind == NomineeKind.COLLECTIVE]
    individuals = [n for n in nominations if n.nominee_kind == NomineeKind.INDIVIDUAL]
    award = decision.award_type
    # The reward money: each awardee's amount (a multiple of the base salary in force on the
    # decision's date) and the total, when the award carries money.
    payments = decision_payments(decision, nominations)
    amounts = {p.nomination.pk: p.amount for p in payments.rows}
    money = any(amount is not None for amount in amounts.values())
    year = nominations[0].campaign.year if nominations else decision.year
    subject = decision.subject or f"Về việc tặng {award.name}"
    counts = []
    if collectives:
        counts.append(f"{len(collectives):02d} tập thể")
    if individuals:
        counts.append(f"{len(individuals):02d} cá nhân")
    doc = OfficialDocument(
        parent_body=parent_body,
        issuer=issuer_name,
        number=document_number(decision.number, decision.symbol),
        place=decision.place or place_of(issuer),
        date=decision.date,
        doc_type="QUYẾT ĐỊNH",
        subject=subject,
        recipients=_recipients(decision.distribution),
        signing_authority=decision.signing_authority,
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
    )
    return {
        "doc": doc,
        "decision": decision,
        "award": award,
        "authority": authority(decision.signing_authority, issuer),
        "grounds": paragraphs(decision.grounds),
        "counts": " và ".join(counts),
        "year": year,
        "collectives": [
            Awardee(i, n.nominee_unit.name, "", dong(amounts[n.pk]))
            for i, n in enumerate(collectives, start=1)
        ],
        "individuals": [
            Awardee(
                i,
                n.person_name,
                ", ".join(p for p in (n.position, n.nominee_unit.name) if p),
                dong(amounts[n.pk]),
            )
            for i, n in enumerate(individuals, start=1)
        ],
        "money": money,
        "money_total": dong(payments.total),
        "base_salary": dong(payments.base.amount) if payments.base else "",
        "date_text": vietnamese_date(decision.date),
    }


def decision_pdf(decision: Decision) -> bytes:
    return render_pdf("documents/award_decision.html", decision_context(decision))


def decision_filename(decision: Decision) -> str:
    return f"quyet-dinh-{decision.number:02d}-{_ascii(decision.symbol)}-{decision.year}.pdf"


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text)


# ---------------------------------------------------------------------------------------------
# The certificate.


def certificate_context(
    nomination: Nomination, *, register_number: int | None = None, parent_name: str | None = None
) -> dict:
    """What one certificate prints; ``parent_name`` (the unit above a collective awardee) is
    looked up when not given."""
    decision = nomination.decision
    issuer = decision.issuer
    collective = nomination.nominee_kind == NomineeKind.COLLECTIVE
    if collective and parent_name is None:
        parent_name = _parent_name(nomination.nominee_unit)
    return {
        "nomination": nomination,
        "decision": decision,
        "title": _upper(nomination.award_type.certificate_title),
        "authority": authority(decision.signing_authority, issuer),
        "honorific": honorific(nomination),
        "name": nomination.nominee_name,
        "detail": ", ".join(p for p in (nomination.position, nomination.nominee_unit.name) if p)
        if not collective
        else "",
        "parent_unit": parent_name if collective else "",
        "achievement": achievement_line(nomination),
        "occasion": occasion_phrase(nomination),
        "decision_line": f"Quyết định số {decision.document_number}, {vietnamese_date(decision.date)}",
        "place_date": f"{decision.place or place_of(issuer)}, {vietnamese_date(decision.date)}",
        "register_number": register_number,
    }


def _parent_name(unit: Organization) -> str:
    parent = Organization.objects.filter(path=unit.parent_path).first() if unit.depth > 1 else None
    return parent.name if parent else ""


# The order of the awardees in the decision's annex, the certificates' register and the batch.
AWARDEE_ORDER = ("nominee_kind", "nominee_unit__path", "person_name", "pk")


def certificate_pdf(nomination: Nomination) -> bytes:
    ids = list(
        nomination.decision.nominations.order_by(*AWARDEE_ORDER).values_list("pk", flat=True)
    )
    number = ids.index(nomination.pk) + 1 if nomination.pk in ids else None
    certificate = certificate_context(nomination, register_number=number)
    return render_pdf(
        "documents/award_certificate.html",
        {"title": f"{certificate['title']} - {certificate['name']}", "certificates": [certificate]},
    )


def certificates_pdf(decision: Decision, *, only: set[int] | None = None) -> bytes:
    """Every certificate of ``decision`` in one PDF, one per page in the register's order, to
    print them at once; ``only`` the awardees of these ids when given (each keeps its number
    in the register)."""
    numbered = list(
        enumerate(
            decision.nominations.select_related(
                "award_type", "nominee_unit", "campaign", "phase"
            ).order_by(*AWARDEE_ORDER),
            start=1,
        )
    )
    if only is not None:
        numbered = [(number, n) for number, n in numbered if n.pk in only]
    nominations = [n for _number, n in numbered]
    parent_paths = {n.nominee_unit.parent_path for n in nominations if n.nominee_unit.depth > 1}
    parents = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "name"))
    certificates = []
    for number, nomination in numbered:
        nomination.decision = decision
        certificates.append(
            certificate_context(
                nomination,
                register_number=number,
                parent_name=parents.get(nomination.nominee_unit.parent_path, ""),
            )
        )
    title = f"{_upper(decision.award_type.certificate_title)} - Quyết định số {decision.document_number}"
    return render_pdf(
        "documents/award_certificate.html", {"title": title, "certificates": certificates}
    )


def certificates_filename(decision: Decision) -> str:
    return f"bang-khen-{decision.number:02d}-{_ascii(decision.symbol)}-{decision.year}.pdf"


def certificate_filename(nomination: Nomination) -> str:
    return (
        f"bang-khen-{nomination.decision.number:02d}-{nomination.decision.year}-{nomination.pk}.pdf"
    )


# ---------------------------------------------------------------------------------------------
# The council's minutes and ballot sheets.


@dataclass
class MinutesRow:
    number: int
    name: str
    award: str
    approve: int
    reject: int
    abstain: int
    percent: str
    result: str
    reject_percent: str = ""
    abstain_percent: str = ""
    not_voted: int = 0
    written: int = 0
    threshold: int = 0


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def _council_doc(session: CouncilSession, doc_type: str, subject: str) -> OfficialDocument:
    parent_body, issuer_name = header_names(session.granting_unit)
    return OfficialDocument(
        parent_body=parent_body,
        issuer=issuer_name,
        number=document_number(None, "BB-HĐTĐKT") if doc_type == "BIÊN BẢN" else "",
        place=place_of(session.granting_unit),
        date=session.meeting_date,
        doc_type=doc_type,
        subject=subject,
    )


def _nominee_label(nomination: Nomination) -> str:
    if nomination.nominee_kind == NomineeKind.INDIVIDUAL:
        return f"{honorific(nomination)} {nomination.person_name} ({nomination.nominee_unit.name})"
    return nomination.nominee_unit.name


def minutes_context(session: CouncilSession) -> dict:
    items = list(session.items.select_related("nomination__nominee_unit", "nomination__award_type"))
    written = dict(
        Vote.objects.filter(item__session=session, written=True)
        .values("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    members = list(session.members.all())
    rows = []
    for item in items:
        item.session = session
        rows.append(
            MinutesRow(
                number=item.position,
                name=_nominee_label(item.nomination),
                award=item.nomination.award_type.name,
                approve=item.approve_count,
                reject=item.reject_count,
                abstain=item.abstain_count,
                percent=_pct(item.approve_percent),
                reject_percent=_pct(item.reject_percent),
                abstain_percent=_pct(item.abstain_percent),
                not_voted=max(session.member_count - item.cast, 0),
                written=written.get(item.pk, 0),
                threshold=item.threshold,
                result={
                    CouncilResult.APPROVED: "Đạt",
                    CouncilResult.REJECTED: "Không đạt",
                }.get(item.result, "Chưa kiểm phiếu"),
            )
        )
    voters = Vote.objects.filter(item__session=session).values("voter").distinct().count()
    return {
        "doc": _council_doc(
            session, "BIÊN BẢN", "Họp Hội đồng Thi đua - Khen thưởng xét đề nghị khen thưởng"
        ),
        "session": session,
        # Still open: nothing is counted yet, so the minutes say so instead of giving counts.
        "is_open": session.is_open,
        "rows": rows,
        "approved": sum(1 for r in items if r.result == CouncilResult.APPROVED),
        "rejected": sum(1 for r in items if r.result == CouncilResult.REJECTED),
        "voters": voters,
        "date_text": vietnamese_date(session.meeting_date),
        "threshold_note": sorted({item.threshold for item in items}),
        "members": members,
        "attended": [m for m in members if m.attended],
        "written_members": [m for m in members if m.written_opinion],
        "absent": [m for m in members if not m.attended and not m.written_opinion],
        "counted": sum(1 for m in members if m.counts_for_quorum),
        "quorum": f"{session.quorum_numerator}/{session.quorum_denominator}",
    }


def minutes_pdf(session: CouncilSession) -> bytes:
    return render_pdf("documents/council_minutes.html", minutes_context(session))


def ballots_context(session: CouncilSession) -> dict:
    items = list(session.items.select_related("nomination__nominee_unit", "nomination__award_type"))
    return {
        "doc": _council_doc(session, "PHIẾU BIỂU QUYẾT", ""),
        "session": session,
        "items": [
            (item.position, _nominee_label(item.nomination), item.nomination.award_type.name)
            for item in items
        ],
        "copies": range(max(session.member_count, 1)),
        "date_text": vietnamese_date(session.meeting_date),
    }


def ballots_pdf(session: CouncilSession) -> bytes:
    return render_pdf("documents/council_ballots.html", ballots_context(session))


def session_filename(session: CouncilSession, kind: str) -> str:
    return f"{kind}-hoi-dong-{session.meeting_date:%Y%m%d}-{session.pk}.pdf"
