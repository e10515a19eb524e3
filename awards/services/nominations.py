"""Nominations prepared by a unit: create, edit and delete a draft (the review that sends it up
is in :mod:`awards.services.review`, its dossier in :mod:`awards.services.dossier`)."""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardType, Nomination, NomineeKind, Occasion, nominee_search_key
from awards.services.common import _delete_stored, _in_subtree, _lock_nomination, _require
from campaigns.models import Campaign, CampaignStatus
from emulation.audit import audit_record
from emulation.workflow import ReviewStatus, check_version
from federation.models import Organization

PERSON_FIELDS = ("person_name", "gender", "birth_year", "position")
EDIT_FIELDS = ("occasion", "phase", "nominee_unit", *PERSON_FIELDS, "achievement")


def _registration_approved(campaign: Campaign, unit: Organization) -> bool:
    try:
        registration_model = apps.get_model("registrations", "Registration")
    except LookupError:  # the registrations app is not installed: nothing to check against
        return True
    return registration_model.objects.filter(
        campaign=campaign, organization=unit, status=ReviewStatus.APPROVED
    ).exists()


def _check_registration(award_type: AwardType, campaign: Campaign, unit: Organization) -> None:
    if award_type.requires_registration and not _registration_approved(campaign, unit):
        raise ValidationError(
            {
                "nominee_unit": ValidationError(
                    _(
                        "“%(award)s” requires an approved registration: %(unit)s has no approved "
                        "registration for this campaign."
                    )
                    % {"award": award_type.name, "unit": unit.name},
                    code="no_registration",
                )
            }
        )


def _clean_person(data: dict, errors: dict) -> None:
    data["person_name"] = " ".join((data.get("person_name") or "").split())
    data["position"] = " ".join((data.get("position") or "").split())
    if not data["person_name"]:
        errors["person_name"] = _("Please enter the person's full name.")
    if not data.get("gender"):
        errors["gender"] = _("Please choose the person's gender.")
    year = data.get("birth_year")
    this_year = timezone.localdate().year
    if not year:
        errors["birth_year"] = _("Please enter the year of birth.")
    elif not 1900 <= int(year) <= this_year - 14:
        errors["birth_year"] = _("The year of birth must be between 1900 and %(year)s.") % {
            "year": this_year - 14
        }


def _validate_nomination(
    *,
    campaign: Campaign,
    award_type: AwardType,
    nominating_unit: Organization,
    data: dict,
    exclude_pk=None,
) -> dict:
    """Check what a unit typed for a nomination; returns the cleaned data or raises."""
    errors: dict[str, str] = {}
    data = dict(data)
    nominee_unit = data.get("nominee_unit")
    if campaign.status == CampaignStatus.DRAFT or not _in_subtree(nominating_unit, campaign.issuer):
        errors["campaign"] = _("Your unit does not take part in this campaign.")
    if not award_type.is_active:
        errors["award_type"] = _("This award is no longer in use.")
    elif not _in_subtree(nominating_unit, award_type.granting_unit):
        errors["award_type"] = _(
            "“%(award)s” is granted by %(unit)s, which is not above your unit."
        ) % {"award": award_type.name, "unit": award_type.granting_unit.name}
    occasion = data.get("occasion")
    if occasion not in Occasion.values:
        errors["occasion"] = _("Please choose the occasion.")
    phase = data.get("phase")
    if occasion == Occasion.PHASE:
        if phase is None:
            errors["phase"] = _("Please choose the phase under review.")
        elif phase.campaign_id != campaign.pk:
            errors["phase"] = _("This phase belongs to another campaign.")
    else:
        data["phase"] = None
    if nominee_unit is None:
        errors["nominee_unit"] = _("Please choose the unit.")
    elif not _in_subtree(nominee_unit, nominating_unit):
        errors["nominee_unit"] = _(
            "%(unit)s is outside your unit's branch: a unit nominates itself, units below it "
            "and their people only."
        ) % {"unit": nominee_unit.name}
    if award_type.nominee_kind == NomineeKind.INDIVIDUAL:
        _clean_person(data, errors)
    else:
        for name in PERSON_FIELDS:
            data[name] = None if name == "birth_year" else ""
    data["achievement"] = (data.get("achievement") or "").strip()
    if not data["achievement"]:
        errors["achievement"] = _("Please summarise the achievements.")
    if errors:
        raise ValidationError(errors)

    duplicates = Nomination.objects.filter(
        campaign=campaign, award_type=award_type, nominee_unit=nominee_unit
    ).select_related("nominating_unit")
    if award_type.nominee_kind == NomineeKind.INDIVIDUAL:
        duplicates = duplicates.filter(
            search_key=nominee_search_key(data["person_name"], nominee_unit)
        )
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    duplicate = duplicates.first()
    if duplicate is not None:
        field = (
            "person_name" if award_type.nominee_kind == NomineeKind.INDIVIDUAL else "nominee_unit"
        )
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "%(nominee)s is already nominated for “%(award)s” in this campaign "
                        "(by %(unit)s)."
                    )
                    % {
                        "nominee": data["person_name"] or nominee_unit.name,
                        "award": award_type.name,
                        "unit": duplicate.nominating_unit.name,
                    },
                    code="duplicate",
                )
            }
        )
    _check_registration(award_type, campaign, nominee_unit)
    return data


def _duplicate_error(award_type: AwardType) -> ValidationError:
    field = "person_name" if award_type.nominee_kind == NomineeKind.INDIVIDUAL else "nominee_unit"
    return ValidationError(
        {
            field: ValidationError(
                _("This nominee is already nominated for this award in this campaign."),
                code="duplicate",
            )
        }
    )


def nomination_create(
    *,
    by,
    campaign: Campaign,
    award_type: AwardType,
    nominating_unit: Organization,
    data: dict,
) -> Nomination:
    """A draft nomination of ``nominating_unit``; ``data`` holds occasion, phase, nominee_unit,
    the person's fields (for an individual award) and achievement."""
    _require(by, "awards.change_nomination", _Prepared(nominating_unit))
    return _create(
        by=by, campaign=campaign, award_type=award_type, nominating_unit=nominating_unit, data=data
    )


def nomination_propose(
    *,
    by,
    campaign: Campaign,
    award_type: AwardType,
    nominating_unit: Organization,
    data: dict,
    source: str,
) -> Nomination:
    """A draft nomination put before ``nominating_unit`` by a body that proposes on its behalf
    (a cluster's vote, whose own rule the caller checked): the same checks as
    :func:`nomination_create` but the person's permission in the nominating unit, and the
    audit entry names ``source``. The nominating unit then edits and sends it up as its own."""
    return _create(
        by=by,
        campaign=campaign,
        award_type=award_type,
        nominating_unit=nominating_unit,
        data=data,
        source=source,
    )


def _create(*, by, campaign, award_type, nominating_unit, data, source: str = "") -> Nomination:
    # Nothing is locked: no existing row changes. Two people creating the same nominee at once
    # are told apart by the unique constraints (the second gets the duplicate refusal).
    with transaction.atomic():
        data = _validate_nomination(
            campaign=campaign, award_type=award_type, nominating_unit=nominating_unit, data=data
        )
        nomination = Nomination(
            campaign=campaign,
            award_type=award_type,
            nominating_unit=nominating_unit,
            nominee_kind=award_type.nominee_kind,
            current_level=nominating_unit,
            created_by=by,
            **{name: data[name] for name in EDIT_FIELDS},
        )
        try:
            with transaction.atomic():
                nomination.save()
        except IntegrityError as exc:
            raise _duplicate_error(award_type) from exc
        audit_record(
            actor=by,
            action="nomination-create",
            obj=nomination,
            changes={
                "award": award_type,
                "nominee": nomination.nominee_name,
                "campaign": campaign.title,
                **({"source": source} if source else {}),
            },
        )
    return nomination


@dataclass
class _Prepared:
    """What the ``prepares_nomination`` rule needs before the nomination exists."""

    nominating_unit: Organization


def nomination_update(
    *, nomination: Nomination, by, data: dict, expected_version: int | None = None
) -> Nomination:
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if not locked.is_editable:
            raise ValidationError(
                _("This nomination was sent up and can no longer be changed (it is “%(stage)s”).")
                % {"stage": locked.get_stage_display()}
            )
        check_version(locked, expected_version)
        data = _validate_nomination(
            campaign=locked.campaign,
            award_type=locked.award_type,
            nominating_unit=locked.nominating_unit,
            data={name: data.get(name, getattr(locked, name)) for name in EDIT_FIELDS},
            exclude_pk=locked.pk,
        )
        changes = {}
        for name in EDIT_FIELDS:
            if getattr(locked, name) != data[name]:
                changes[name] = [getattr(locked, name), data[name]]
                setattr(locked, name, data[name])
        if changes:
            locked.version += 1
            try:
                with transaction.atomic():
                    locked.save()
            except IntegrityError as exc:
                raise _duplicate_error(locked.award_type) from exc
            audit_record(actor=by, action="nomination-update", obj=locked, changes=changes)
    return locked


def nomination_delete(*, nomination: Nomination, by) -> None:
    """Delete a draft that was never sent up, with its files."""
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if locked.status != ReviewStatus.DRAFT:
            raise ValidationError(_("Only a draft that was never sent up can be deleted."))
        files = [f.file.name for f in locked.files.all()]
        audit_record(
            actor=by,
            action="nomination-delete",
            obj=locked.nominating_unit,
            changes={"nominee": locked.nominee_name, "award": locked.award_type},
        )
        locked.delete()
        transaction.on_commit(lambda: [_delete_stored(name) for name in files])
