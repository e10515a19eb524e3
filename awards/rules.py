"""Who may do what with commendation, built on the predicates of the union tree.

- Officers and leaders of a unit prepare its nominations and propose its advanced models.
- A nomination waiting at a unit is endorsed or returned by that unit's leaders or staff, or by
  staff of a provincial federation above it (as for registrations).
- Staff of the granting unit (or of a unit above) run its council sessions and issue decisions;
  only the granting unit's council members vote.
- Provincial staff publish advanced models and decide the plaques.

Memberships are read once per request, so each check is a comparison of paths.
"""

import rules

from federation import rules as tree
from federation.models import PROVINCIAL_KINDS, SUBTREE_ROLES, Organization, Role, memberships_of


def _unit(obj) -> Organization | None:
    return getattr(obj, "organization", obj)


@rules.predicate
def is_council_member(user, org: Organization | None) -> bool:
    """A council member of this very unit."""
    if org is None:
        return False
    return any(m.organization_id == org.pk and m.role == Role.COUNCIL for m in memberships_of(user))


@rules.predicate
def is_level_reviewer(user, org: Organization | None) -> bool:
    """Leader or staff of ``org`` itself, or staff of a provincial federation above it."""
    if org is None:
        return False
    for m in memberships_of(user):
        if m.organization_id == org.pk and m.role in SUBTREE_ROLES:
            return True
        if (
            m.role == Role.STAFF
            and m.organization_kind in PROVINCIAL_KINDS
            and org.path.startswith(m.organization_path)
        ):
            return True
    return False


@rules.predicate
def is_provincial_staff_over(user, org: Organization | None) -> bool:
    """Staff of a provincial federation (or the confederation) at or above ``org``."""
    if org is None:
        return False
    return any(
        m.role == Role.STAFF
        and m.organization_kind in PROVINCIAL_KINDS
        and org.path.startswith(m.organization_path)
        for m in memberships_of(user)
    )


# --- Nominations -----------------------------------------------------------------------------


@rules.predicate
def sees_nominating_unit(user, nomination) -> bool:
    return nomination is not None and tree.can_view_unit(user, nomination.nominating_unit)


@rules.predicate
def is_council_of_nomination(user, nomination) -> bool:
    """A council member of the granting unit, once the nomination has reached it."""
    if nomination is None:
        return False
    granting = nomination.award_type.granting_unit
    reached = nomination.current_level_id == granting.pk or bool(nomination.council_result)
    return reached and is_council_member(user, granting)


@rules.predicate
def prepares_nomination(user, nomination) -> bool:
    return nomination is not None and tree.is_unit_officer(user, nomination.nominating_unit)


@rules.predicate
def reviews_nomination(user, nomination) -> bool:
    return nomination is not None and is_level_reviewer(user, nomination.current_level)


can_view_nomination = tree.is_superuser | sees_nominating_unit | is_council_of_nomination

rules.add_perm("awards.view_nomination", can_view_nomination)
rules.add_perm("awards.change_nomination", tree.is_superuser | prepares_nomination)
rules.add_perm("awards.review_nomination", tree.is_superuser | reviews_nomination)


@rules.predicate
def is_officer_somewhere(user) -> bool:
    return any(m.role in (Role.OFFICER, Role.LEADER) for m in memberships_of(user))


rules.add_perm("awards.add_nomination", tree.is_superuser | is_officer_somewhere)


@rules.predicate
def records_history_of(user, org) -> bool:
    """Officers of the unit (or a unit above) and its reviewers complete its award history."""
    if org is None:
        return False
    return is_level_reviewer(user, org) or any(
        m.role in (Role.OFFICER, Role.LEADER) and org.path.startswith(m.organization_path)
        for m in memberships_of(user)
    )


rules.add_perm("awards.record_history", tree.is_superuser | records_history_of)
rules.add_perm(
    "awards.import_initiatives", tree.is_superuser | is_officer_somewhere | tree.is_any_staff
)


# --- The council and decisions ---------------------------------------------------------------


@rules.predicate
def manages_council_of(user, org) -> bool:
    """Staff of the granting unit or of a unit above it."""
    return tree.is_unit_staff(user, _unit_of_council(org))


def _unit_of_council(obj) -> Organization | None:
    if obj is None:
        return None
    if isinstance(obj, Organization):
        return obj
    for name in ("granting_unit", "issuer"):
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


@rules.predicate
def sits_on_council_of(user, obj) -> bool:
    return is_council_member(user, _unit_of_council(obj))


@rules.predicate
def reads_council_unit(user, obj) -> bool:
    return tree.is_subtree_reader(user, _unit_of_council(obj))


@rules.predicate
def is_any_council_member(user) -> bool:
    return any(m.role == Role.COUNCIL for m in memberships_of(user))


@rules.predicate
def is_open_session(user, session) -> bool:
    return session is not None and session.is_open


@rules.predicate
def has_awardee_in(user, decision) -> bool:
    """One of the decision's awardees belongs to a unit the person may see."""
    if decision is None:
        return False
    visible = Organization.objects.visible_to(user).values("pk")
    return decision.nominations.filter(nominating_unit__in=visible).exists()


can_manage_council = tree.is_superuser | manages_council_of
rules.add_perm("awards.manage_council", tree.is_superuser | tree.is_any_staff)
rules.add_perm("awards.change_session", can_manage_council)
rules.add_perm("awards.view_session", tree.is_superuser | reads_council_unit | sits_on_council_of)
rules.add_perm("awards.vote", sits_on_council_of & is_open_session)
rules.add_perm(
    "awards.view_sessions", tree.is_superuser | tree.is_upper_member | is_any_council_member
)
rules.add_perm(
    "awards.view_decision",
    tree.is_superuser | reads_council_unit | sits_on_council_of | has_awardee_in,
)
rules.add_perm("awards.change_decision", can_manage_council)


# --- Advanced models and plaques -------------------------------------------------------------


@rules.predicate
def proposes_for(user, obj) -> bool:
    return tree.is_unit_officer(user, _unit(obj))


@rules.predicate
def sees_model_unit(user, obj) -> bool:
    return tree.can_view_unit(user, _unit(obj))


@rules.predicate
def publishes_for(user, obj) -> bool:
    return is_provincial_staff_over(user, _unit(obj))


rules.add_perm("awards.view_model", tree.is_superuser | sees_model_unit | publishes_for)
rules.add_perm("awards.change_model", tree.is_superuser | proposes_for | publishes_for)
rules.add_perm("awards.publish_model", tree.is_superuser | publishes_for)
rules.add_perm("awards.add_model", tree.is_superuser | is_officer_somewhere)
rules.add_perm("awards.manage_plaques", tree.is_superuser | tree.is_provincial_staff)
