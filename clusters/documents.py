"""The agreement as an official document ("Giao ước thi đua cụm ..."): its criteria and points,
and the signature block of every member."""

from django.utils import timezone

from clusters.models import ClusterKind, ClusterMember, MemberRole
from emulation.documents import OfficialDocument, paragraphs, place_of, render_pdf


def _name(cluster) -> tuple[str, str]:
    """The cluster's word ("cụm", "khối") and its name as a sentence writes it."""
    word = "cụm" if cluster.kind == ClusterKind.CLUSTER else "khối"
    # "Cụm thi đua số 1" is named as it is; "các huyện phía Nam" becomes "cụm thi đua các ...".
    name = cluster.name
    if not name.lower().startswith(word):
        name = f"{word} thi đua {name}"
    return word, name[:1].lower() + name[1:]


def agreement_pdf(agreement) -> bytes:
    cluster = agreement.cluster
    members = list(
        ClusterMember.objects.filter(cluster=cluster, year=agreement.year)
        .select_related("organization")
        .order_by("organization__path")
    )
    leader = next((m for m in members if m.role == MemberRole.LEADER), None)
    word = "cụm" if cluster.kind == ClusterKind.CLUSTER else "khối"
    # "Cụm thi đua số 1" is named as it is; "các huyện phía Nam" becomes "cụm thi đua các ...".
    name = cluster.name
    if not name.lower().startswith(word):
        name = f"{word} thi đua {name}"
    name = name[:1].lower() + name[1:]
    doc = OfficialDocument(
        parent_body=cluster.forming_unit.name.upper(),
        issuer=name.upper(),
        doc_type="Giao ước thi đua",
        subject=f"{name} năm {agreement.year}",
        place=place_of(cluster.forming_unit),
        date=timezone.localdate(agreement.agreed_at) if agreement.agreed_at else None,
        recipients=[f"{cluster.forming_unit.name};", "Các đơn vị trong " + word + ";", "Lưu."],
    )
    return render_pdf(
        "clusters/agreement_pdf.html",
        {
            "doc": doc,
            "agreement": agreement,
            "cluster": cluster,
            "criteria": list(agreement.criteria.all()),
            "total": sum(c.max_points for c in agreement.criteria.all()),
            "members": members,
            "leader": leader,
            "word": word,
        },
    )


def summary_pdf(cluster, year: int, page, summary, votes) -> bytes:
    """The year's summary of the cluster (Báo cáo tổng kết): the leader's text, the members
    with their scores and ranks, and the result of each vote; signed by the leader."""
    word, name = _name(cluster)
    leader = page.leader
    doc = OfficialDocument(
        parent_body=cluster.forming_unit.name.upper(),
        issuer=name.upper(),
        doc_type="Báo cáo",
        subject=f"Tổng kết phong trào thi đua {name} năm {year}",
        place=place_of(cluster.forming_unit),
        date=timezone.localdate(summary.submitted_at) if summary and summary.submitted_at else None,
        recipients=[f"{cluster.forming_unit.name};", "Các đơn vị trong " + word + ";", "Lưu."],
        signing_authority=f"TM. {word.upper()} TRƯỞNG" if leader else "",
        signer_title=leader.name.upper() if leader else "",
    )
    return render_pdf(
        "clusters/summary_pdf.html",
        {
            "doc": doc,
            "cluster": cluster,
            "year": year,
            "page": page,
            "summary": summary,
            "paragraphs": paragraphs(summary.text) if summary else [],
            "votes": votes,
            "word": word,
        },
    )
