"""``python -m benchmarks --http``: the data and the sessions the mixes need (see
``benchmarks/under_load.py``)."""

from dataclasses import dataclass

from benchmarks.http_mixes import FLOOR, MIXES, OFFICER, REVIEWER

USERNAME = "bench-http-{role}-{n:03d}"


@dataclass
class Prepared:
    plan: dict
    officer_units: int  # distinct units of the officers
    report_forms: int  # officers whose unit may report on the open phase (a form, not a refusal)
    approvable: int  # registrations awaiting approval at the start, in all
    changed: int  # registrations whose state the preparation set


def _session(user, csrf_secret: str) -> dict[str, str]:
    """Cookies of a browser in which ``user`` is signed in: a session created server-side, as
    ``Client.force_login`` does, and a CSRF cookie."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf_secret,
    }


def _csrf_secret() -> str:
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    return get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)


def _person(role: str, n: int, unit, membership_role: str):
    """The n-th benchmark person of ``role``, with one membership: ``membership_role`` of
    ``unit`` (created, or moved there)."""
    from django.contrib.auth import get_user_model

    from federation.models import Membership

    User = get_user_model()
    username = USERNAME.format(role=role, n=n)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=f"Bench {role} {n}", email=f"{username}@x.vn")
        user.set_unusable_password()
        user.save()
    Membership.objects.filter(user=user).exclude(organization=unit, role=membership_role).delete()
    Membership.objects.get_or_create(user=user, organization=unit, role=membership_role)
    return user


def _unit_officer(n: int, units: list):
    """The n-th "unit officer" of the reviewer's mix: officer of each of ``units`` (the units
    whose registrations the n-th reviewer approves), so that it can reopen and submit them."""
    from django.contrib.auth import get_user_model

    from federation.models import Membership, Role

    User = get_user_model()
    username = USERNAME.format(role="unit", n=n)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=f"Bench unit {n}", email=f"{username}@x.vn")
        user.set_unusable_password()
        user.save()
    Membership.objects.filter(user=user).exclude(organization__in=units).delete()
    have = set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
    Membership.objects.bulk_create(
        Membership(user=user, organization=u, role=Role.OFFICER) for u in units if u.pk not in have
    )
    return user


def prepare(scenario, *, users: int) -> Prepared:
    """The plans of ``users`` virtual users per mix (plus one more per mix for the preflight),
    and the data they need. Safe to run again on a kept database: it sets the same state."""
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from emulation.workflow import EDITABLE, ReviewStatus
    from federation.models import Organization, OrganizationKind, Role
    from registrations.models import Registration
    from registrations.rollups.rebuilding import rebuild
    from reports.models import PhaseReport

    slots = users + 1  # the last plan of each mix is the preflight's
    campaign = scenario.extra["campaign"]  # the 2017 plan of the province
    registration_campaign = scenario.extra["registration_campaign"]
    reports_campaign = scenario.extra["reports_campaign"]
    phases = list(reports_campaign.phases.order_by("start"))
    open_phase, first_phase = phases[-1], phases[0]
    wide = scenario.wide_unit or scenario.upper_unit
    registrations = Registration.objects.filter(campaign=registration_campaign)

    # Officers: grassroots unions of the province outside the reviewer's unit, each with a
    # registration to save as a draft; first those whose registration for the reports campaign
    # is approved (their report form for the open phase is a form, not a refusal).
    grassroots = (
        Organization.objects.filter(
            path__startswith=scenario.province.path, kind=OrganizationKind.GRASSROOTS
        )
        .exclude(path__startswith=wide.path)
        .filter(pk__in=registrations.values("organization_id"))
        .order_by("path")
    )
    may_report = set(
        Registration.objects.filter(
            campaign=reports_campaign, status=ReviewStatus.APPROVED
        ).values_list("organization_id", flat=True)
    ) - set(
        PhaseReport.objects.filter(phase=open_phase)
        .exclude(status__in=EDITABLE)
        .values_list("organization_id", flat=True)
    )
    candidates = list(grassroots[: slots * 20])
    candidates.sort(key=lambda unit: unit.pk not in may_report)  # stable: by path within
    officer_units = [candidates[i % len(candidates)] for i in range(slots)]

    # Reviewers: the registrations of the units directly below, all awaiting approval, shared
    # out among the reviewers (none shared: two reviewers never race for one).
    pool = list(
        registrations.filter(
            organization__path__startswith=wide.path, organization__depth=wide.depth + 1
        )
        .select_related("organization")
        .order_by("organization__path")
    )
    now = timezone.now()
    with transaction.atomic():
        changed = (
            registrations.filter(organization__in=officer_units)
            .exclude(status__in=EDITABLE)
            .update(
                status=ReviewStatus.DRAFT,
                submitted_at=None,
                submitted_by=None,
                reviewed_at=None,
                reviewed_by=None,
                review_comment="",
            )
        )
        changed += (
            registrations.filter(pk__in=[r.pk for r in pool])
            .exclude(status=ReviewStatus.SUBMITTED)
            .update(
                status=ReviewStatus.SUBMITTED,
                submitted_at=now,
                reviewed_at=None,
                reviewed_by=None,
                review_comment="",
            )
        )
        if changed:  # written in bulk: the branch counters again, in one go
            rebuild(registration_campaign)
        campaign.figures_changed([registration_campaign.pk])
    versions = dict(
        Registration.objects.filter(pk__in=[r.pk for r in pool]).values_list("pk", "version")
    )

    floor = reverse("floor")
    plans: dict[str, list] = {mix.name: [] for mix in MIXES.values()}
    for n, unit in enumerate(officer_units):
        officer = _person("officer", n, unit, Role.OFFICER)
        plans[OFFICER.name].append(
            {
                "cookies": _session(officer, _csrf_secret()),
                "urls": {
                    "campaign": reverse("campaigns:detail", args=[campaign.pk]),
                    "unit": reverse("federation:unit-detail", args=[unit.pk]),
                    "registration_form": reverse(
                        "registrations:form", args=[registration_campaign.pk, unit.pk]
                    ),
                    "report_form": reverse(
                        "reports:form", args=[reports_campaign.pk, open_phase.pk, unit.pk]
                    ),
                    "badge": reverse("reminders:badge"),
                    "floor": floor,
                },
            }
        )
    queue = reverse("registrations:queue", args=[registration_campaign.pk, wide.pk])
    for n in range(slots):
        reviewer = _person("reviewer", n, wide, Role.LEADER)
        mine = pool[n::slots]
        unit_officer = _unit_officer(n, [r.organization for r in mine])
        unit_token = _csrf_secret()
        plans[REVIEWER.name].append(
            {
                "cookies": _session(reviewer, _csrf_secret()),
                "unit_cookies": _session(unit_officer, unit_token),
                "unit_token": unit_token,
                "urls": {
                    "queue": queue,
                    "approve": queue,  # the items name their own
                    "consolidation": reverse(
                        "registrations:summary", args=[registration_campaign.pk, wide.pk]
                    ),
                    "dashboard": reverse("reports:dashboard", args=[reports_campaign.pk, wide.pk])
                    + f"?phase={first_phase.pk}",
                    "floor": floor,
                },
                "items": [
                    {
                        "id": r.pk,
                        "status": "submitted",
                        "version": versions[r.pk],
                        "approve": reverse("registrations:approve", args=[r.pk]),
                        "reopen": reverse("registrations:reopen", args=[r.pk]),
                        "submit": reverse("registrations:submit", args=[r.pk]),
                        "unit": reverse(
                            "registrations:unit",
                            args=[registration_campaign.pk, r.organization_id],
                        ),
                    }
                    for r in mine
                ],
            }
        )
    # The floor, by the same people: officers and reviewers in turn.
    for n in range(slots):
        source = plans[OFFICER.name if n % 2 == 0 else REVIEWER.name][n]
        plans[FLOOR.name].append({"cookies": dict(source["cookies"]), "urls": {"floor": floor}})
    plan = {"mixes": plans}
    return Prepared(
        plan=plan,
        officer_units=len({u.pk for u in officer_units}),
        report_forms=sum(u.pk in may_report for u in officer_units),
        approvable=len(pool),
        changed=changed,
    )


def split_plan(plan: dict, users: int) -> tuple[dict, dict]:
    """(the load's plan: the first ``users`` plans of each mix, the preflight's: the last)."""
    load = {**plan, "mixes": {k: v[:users] for k, v in plan["mixes"].items()}}
    first = {**plan, "mixes": {k: v[users:] for k, v in plan["mixes"].items()}}
    return load, first
