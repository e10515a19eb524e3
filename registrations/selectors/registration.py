"""One unit's registration: what its page shows and what the person may do on it now."""

import datetime as dt
from dataclasses import dataclass, field, fields

from campaigns.models import Campaign, CampaignStatus
from federation.models import Organization
from registrations import services
from registrations.content import CONTENT_PREFETCH, Content, content_of
from registrations.models import (
    NOT_REGISTERED,
    DeadlineExtension,
    Registration,
    effective_deadline,
)
from registrations.selectors.common import status_label


def registration_for(campaign: Campaign, organization: Organization) -> Registration | None:
    """The registration of a unit with everything its page shows (four queries)."""
    return (
        Registration.objects.filter(campaign=campaign, organization=organization)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related(*CONTENT_PREFETCH)
        .first()
    )


def extension_of(campaign: Campaign, organization: Organization) -> DeadlineExtension | None:
    return services.EXTENSIONS.of(campaign, organization)


def leader_of(organization: Organization):
    """The person who signs for the unit: its leader (the earliest appointed)."""
    membership = (
        organization.memberships.filter(role="leader", user__is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return membership.user if membership else None


@dataclass
class RegistrationPage:
    """The registration of a unit as its page shows it, and what the person may do on it now
    (each ``can_…`` by the rules for the unit, the campaign's state and the registration's)."""

    registration: Registration | None
    content: Content
    status: str
    status_label: str
    extension: DeadlineExtension | None
    deadline: dt.date | None
    overdue: bool  # the deadline has passed and nothing was sent
    can_edit: bool  # write the registration (a new one, or one not yet sent)
    can_submit: bool
    can_review: bool  # approve or return it
    can_reopen: bool  # start a new revision of the approved registration
    can_extend: bool  # grant a later deadline
    problems: list = field(default_factory=list)  # what keeps it from being submitted
    revisions: list = field(default_factory=list)
    reviewer: Organization | None = None  # the unit above

    def context(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def registration_page(
    user, campaign: Campaign, unit: Organization, *, today: dt.date
) -> RegistrationPage:
    """The registration of ``unit`` in ``campaign`` for ``user`` (seven queries with a
    registration: it and its content, the extension, its revisions, the unit above)."""
    registration = registration_for(campaign, unit)
    extension = extension_of(campaign, unit)
    content = content_of(registration) if registration else Content()
    if registration is not None:
        registration.campaign = campaign
        registration.organization = unit
    status = registration.status if registration else NOT_REGISTERED
    active = campaign.status == CampaignStatus.ACTIVE
    may_edit = active and user.has_perm("registrations.change_registration", unit)
    may_review = active and user.has_perm("registrations.review_registration", unit)
    editable = registration is not None and registration.is_editable
    deadline = effective_deadline(campaign, extension.until if extension else None)
    problems = []
    if editable and may_edit:
        problems = services.submission_problems(registration, content, today=today)
    return RegistrationPage(
        registration=registration,
        content=content,
        status=status,
        status_label=status_label(status),
        extension=extension,
        deadline=deadline,
        overdue=bool(
            active and deadline and today > deadline and status not in ("submitted", "approved")
        ),
        can_edit=may_edit and (registration is None or editable),
        can_submit=may_edit and editable,
        can_review=may_review and registration is not None and registration.is_submitted,
        can_reopen=active
        and registration is not None
        and registration.is_approved
        and user.has_perm("registrations.reopen_registration", unit),
        can_extend=may_review
        and campaign.registration_deadline is not None
        and status not in ("submitted", "approved"),
        problems=problems,
        revisions=list(registration.revisions.all()) if registration else [],
        reviewer=unit.parent_unit(),
    )
