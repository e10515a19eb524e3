"""Forms read and clean what people type; the services decide whether it may be saved."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.models import (
    AwardType,
    Gender,
    Initiative,
    Nomination,
    Occasion,
    VoteChoice,
)
from awards.selectors import decision_number_holder
from awards.services.decisions import number_taken_message
from campaigns.forms import DateInput
from campaigns.models import Campaign, CampaignStatus, Phase
from emulation.forms import LongTextField, NameField, VersionField, VersionFormMixin
from emulation.text import SHORT_TEXT_LIMIT
from federation.forms import UnitChoiceField
from federation.models import Organization

OTHER_DOCUMENT = "__other__"


def campaigns_for(unit: Organization):
    """Published campaigns whose issuer is the unit or a unit above it."""
    step = Organization.steplen
    prefixes = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
    return (
        Campaign.objects.filter(issuer__path__in=prefixes)
        .exclude(status=CampaignStatus.DRAFT)
        .select_related("issuer")
        .order_by("-year", "issuer__path")
    )


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        number = f"{obj.document_number} · " if obj.document_number else ""
        return f"{obj.year} · {number}{obj.title[:90]}"


class PhaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.campaign.year} · {obj.name} ({obj.start:%d/%m} - {obj.end:%d/%m/%Y})"


class AwardTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_nominee_kind_display().lower()})"


class NominationForm(forms.Form):
    campaign = CampaignChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    award_type = AwardTypeChoiceField(label=_("Award"), queryset=AwardType.objects.none())
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Occasion.choices)
    phase = PhaseChoiceField(
        label=_("Phase"),
        queryset=Phase.objects.none(),
        required=False,
        help_text=_("For a phase review only."),
    )
    person_name = NameField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("For awards to individuals."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    position = NameField(label=_("Position"), max_length=200, required=False)
    achievement = LongTextField(
        label=_("Summary of achievements"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The first paragraph is printed on the certificate."),
    )

    def __init__(self, *args, user, unit: Organization, editing: Nomination | None = None, **kw):
        super().__init__(*args, **kw)
        self.unit = unit
        self.fields["nominee_unit"] = UnitChoiceField(
            label=_("Code of the unit"),
            help_text=_(
                "The collective nominated, or the unit the person works in: your unit or a unit "
                "below it."
            ),
            queryset_for=lambda: Organization.objects.visible_to(user).filter(is_active=True),
            widget=forms.TextInput(
                attrs={"list": "unit-options", "autocomplete": "off", "class": "unit-lookup"}
            ),
        )
        order = ["campaign", "award_type", "occasion", "phase", "nominee_unit"]
        self.order_fields(order + [n for n in self.fields if n not in order])
        campaigns = campaigns_for(unit)
        self.fields["campaign"].queryset = campaigns
        self.fields["phase"].queryset = (
            Phase.objects.filter(campaign__in=campaigns)
            .select_related("campaign")
            .order_by("-campaign__year", "start")
        )
        step = Organization.steplen
        prefixes = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
        self.fields["award_type"].queryset = AwardType.objects.filter(
            is_active=True, granting_unit__path__in=prefixes
        ).order_by("granting_unit__path", "position", "name")
        if editing is not None:
            # The campaign and the award make the nomination; they are chosen once.
            del self.fields["campaign"]
            del self.fields["award_type"]
            if not editing.is_individual:
                for name in ("person_name", "gender", "birth_year", "position"):
                    del self.fields[name]

    def clean_nominee_unit(self):
        return self.cleaned_data["nominee_unit"]


class DossierForm(forms.Form):
    document = forms.ChoiceField(label=_("Document"))
    other = forms.CharField(label=_("Name of another document"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, JPEG or PNG; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, documents: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [(d, d) for d in documents] + [
            (OTHER_DOCUMENT, _("Another document"))
        ]

    def document_name(self) -> str:
        value = self.cleaned_data["document"]
        return self.cleaned_data.get("other", "") if value == OTHER_DOCUMENT else value


class CommentForm(VersionFormMixin, forms.Form):
    comment = LongTextField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=SHORT_TEXT_LIMIT,
    )
    version = VersionField()


class NominationCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.nominee_name} · {obj.award_type.name} · {obj.nominating_unit.display_name}"


class SessionForm(forms.Form):
    title = NameField(label=pgettext_lazy("council session", "Title"), max_length=255)
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DateInput())
    place = forms.CharField(label=_("Meeting place"), max_length=200, required=False)
    nominations = NominationCheckboxes(
        label=_("Nominations on the agenda"), queryset=Nomination.objects.none(), required=False
    )

    def __init__(self, *args, nominations, issuer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = nominations
        self.issuer = issuer

    def clean(self):
        """Refuse a number the issuer already gave a decision of the same symbol that year, on
        the number field, before anything is confirmed (the service checks it again)."""
        data = super().clean()
        number, symbol, date = data.get("number"), data.get("symbol"), data.get("date")
        if self.issuer is not None and number and symbol and date:
            taken = decision_number_holder(
                self.issuer, symbol=" ".join(symbol.split()), year=date.year, number=number
            )
            if taken is not None:
                self.add_error("number", number_taken_message(taken))
        return data


class BallotForm(forms.Form):
    """One radio group per agenda item the member has not voted on yet."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=str(item.nomination),
                choices=VoteChoice.choices,
                widget=forms.RadioSelect,
                required=False,
            )

    def choices(self) -> dict[int, str]:
        return {
            int(name.removeprefix("item_")): value
            for name, value in self.cleaned_data.items()
            if value
        }


class DeclarationForm(forms.Form):
    """The declared conditions the nominating unit declares met."""

    def __init__(self, *args, rules, declared=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules"] = forms.MultipleChoiceField(
            label=_("We declare that the nominee"),
            choices=[(r.pk, r.label) for r in rules],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        if not self.is_bound:
            self.initial["rules"] = list(declared)


class PriorAwardForm(forms.Form):
    """An earlier award of the nominee, from a decision outside this system."""

    award_type = forms.ModelChoiceField(label=_("Award"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    reference = forms.CharField(
        label=_("Decision (number and date)"),
        max_length=200,
        help_text=_("e.g. 45/QĐ-LĐLĐ 28/12/2016"),
    )

    def __init__(self, *args, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = award_types


class AttendanceForm(forms.Form):
    """The members present at the meeting, ticked by the secretary."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attending"] = forms.MultipleChoiceField(
            label=_("Members present"),
            choices=[(m.pk, m.name) for m in members],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        if not self.is_bound:
            self.initial["attending"] = [m.pk for m in members if m.attended]


class WrittenOpinionForm(forms.Form):
    """An absent member's written opinion on every nomination, entered by the secretary."""

    def __init__(self, *args, members, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members}
        self.fields["member"] = forms.TypedChoiceField(
            label=_("Absent member"),
            choices=[("", "---------")] + [(m.pk, m.name) for m in members],
            coerce=int,
        )
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=str(item.nomination),
                choices=VoteChoice.choices,
                widget=forms.RadioSelect,
            )

    def member(self):
        return self.members.get(self.cleaned_data.get("member"))

    def choices(self) -> dict[int, str]:
        return {
            int(name.removeprefix("item_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_") and value
        }


class DecisionForm(forms.Form):
    # The column holds a 32-bit number.
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=2**31 - 1)
    symbol = forms.CharField(label=_("Symbol"), max_length=40)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place of issue"), max_length=100, required=False)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=500,
        required=False,
        help_text=_("Leave empty for “Về việc tặng …” with the award's name."),
    )
    grounds = LongTextField(
        label=_("Grounds (Căn cứ)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One ground per line; leave empty for the usual grounds."),
    )
    signing_authority = forms.CharField(
        label=_("Signing authority"), max_length=100, required=False
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=100, required=False)
    signer_name = NameField(label=_("Signer's name"), max_length=100)
    distribution = LongTextField(
        label=_("Recipients (Nơi nhận)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=SHORT_TEXT_LIMIT,
    )
    nominations = NominationCheckboxes(
        label=_("Awardees"), queryset=Nomination.objects.none(), required=False
    )

    def __init__(self, *args, nominations, issuer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = nominations
        self.issuer = issuer

    def clean(self):
        """Refuse a number the issuer already gave a decision of the same symbol that year, on
        the number field, before anything is confirmed (the service checks it again)."""
        data = super().clean()
        number, symbol, date = data.get("number"), data.get("symbol"), data.get("date")
        if self.issuer is not None and number and symbol and date:
            taken = decision_number_holder(
                self.issuer, symbol=" ".join(symbol.split()), year=date.year, number=number
            )
            if taken is not None:
                self.add_error("number", number_taken_message(taken))
        return data


class ModelProposalForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Proposing unit"), queryset=Organization.objects.none(), empty_label=None
    )
    title = NameField(label=_("Title"), max_length=255)
    subject = NameField(
        label=_("Person or collective"), max_length=255, help_text=_("Whose story it is.")
    )
    story = LongTextField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 8}))
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG or PNG; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units


class HistorySearchForm(forms.Form):
    q = forms.CharField(label=_("Name of a person or unit"), required=False, max_length=200)


class AttachForm(forms.Form):
    attached_on = forms.DateField(label=_("Attached on"), widget=DateInput())


class InitiativeForm(forms.ModelForm):
    """One initiative of the register, typed in by an officer of its unit or a unit above."""

    class Meta:
        model = Initiative
        fields = ["person_name", "title", "level", "recognised_on", "recognised_by", "benefit"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "recognised_on": DateInput(),
        }
        help_texts = {
            "person_name": _("Empty for an initiative of the unit itself."),
            "benefit": _("In đồng; optional."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee_unit"] = UnitChoiceField(
            label=_("Code of the unit"),
            help_text=_("The unit of the author, or the unit whose initiative it is."),
            queryset_for=lambda: Organization.objects.visible_to(user).filter(is_active=True),
            widget=forms.TextInput(
                attrs={"list": "unit-options", "autocomplete": "off", "class": "unit-lookup"}
            ),
        )
        self.order_fields(["nominee_unit", *self.Meta.fields])
        self.fields["person_name"].required = False

    def _post_clean(self):
        # The service checks the initiative as a whole, with the same checks as the import.
        pass


class InitiativeFileForm(forms.Form):
    document = forms.CharField(
        label=_("Document"),
        max_length=200,
        help_text=_("e.g. Quyết định công nhận sáng kiến, Bản mô tả sáng kiến."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, JPEG or PNG; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )
