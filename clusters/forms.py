from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardType
from campaigns.models import Campaign
from clusters.models import DEFAULT_VOTE_THRESHOLD, Aggregate, ClusterKind, MemberRole
from clusters.services.agreements import points_text
from emulation.forms import VersionField
from federation.models import Organization


class ClusterForm(forms.Form):
    forming_unit = forms.ModelChoiceField(
        label=gettext_lazy("Forming federation"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ClusterKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    term_start = forms.IntegerField(label=gettext_lazy("Term from (year)"), min_value=2000)
    term_end = forms.IntegerField(label=gettext_lazy("Term to (year)"), max_value=2100)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forming_unit"].queryset = units


class MemberForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Unit code"), max_length=32)

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip()
        unit = Organization.objects.filter(code__iexact=code, is_active=True).first()
        if unit is None:
            raise forms.ValidationError(_("No active unit has the code %(code)s.") % {"code": code})
        return unit


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=MemberRole.choices)


class AgreementForm(forms.Form):
    criteria = forms.CharField(
        label=gettext_lazy("Criteria"),
        help_text=gettext_lazy("One criterion a line: its text, a vertical bar, its points."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    aggregate = forms.ChoiceField(label=gettext_lazy("Result of a member"), choices=Aggregate)

    def clean_criteria(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            title, bar, points = line.rpartition("|")
            try:
                value = Decimal(points.strip().replace(",", "."))
            except InvalidOperation:
                value = None
            if not bar or not title.strip() or value is None or value <= 0 or value >= 10000:
                raise forms.ValidationError(
                    _("Line %(n)s: write the criterion, a vertical bar and its points (above 0).")
                    % {"n": number}
                )
            rows.append((title.strip(), value))
        if not rows:
            raise forms.ValidationError(_("Write at least one criterion with its points."))
        return rows


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (their content is checked by the service)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, with_evidence, initial_scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            score = initial_scores.get(c.pk)
            bounds = _("Between 0 and %(max)s points.") % {"max": points_text(c.max_points)}
            self.fields[f"points_{c.pk}"] = forms.DecimalField(
                label=f"{c.number}. {c.title}",
                min_value=0,
                max_value=c.max_points,
                decimal_places=2,
                initial=score.points if score else None,
                error_messages={"max_value": bounds, "min_value": bounds},
            )
            if with_evidence:
                self.fields[f"evidence_{c.pk}"] = forms.CharField(
                    label=_("Evidence for %(n)s") % {"n": c.number},
                    max_length=500,
                    required=False,
                    initial=score.evidence if score else "",
                )
                self.fields[f"file_{c.pk}"] = MultipleFileField(
                    label=_("Evidence files for %(n)s") % {"n": c.number},
                    required=False,
                    help_text=_("PDF, DOCX, XLSX, JPEG or PNG, at most 10 MB each."),
                )

    def clean(self):
        # The files are read by the service from the request (several per criterion).
        data = super().clean()
        for name in [n for n in data if n.startswith("file_")]:
            data.pop(name)
        return data

    def files_by_criterion(self) -> dict:
        if not self.files:
            return {}
        return {c.pk: self.files.getlist(f"file_{c.pk}") for c in self.criteria}

    def entries(self):
        return {
            c.pk: (
                self.cleaned_data[f"points_{c.pk}"],
                self.cleaned_data.get(f"evidence_{c.pk}", ""),
            )
            for c in self.criteria
        }


class VoteOpenForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"), queryset=Campaign.objects.none()
    )
    award_type = forms.ModelChoiceField(
        label=gettext_lazy("Award proposed"), queryset=AwardType.objects.none()
    )
    threshold = forms.IntegerField(
        label=gettext_lazy("Approvals needed (% of the member units)"),
        initial=DEFAULT_VOTE_THRESHOLD,
        min_value=50,
        max_value=100,
        error_messages=dict.fromkeys(
            ("min_value", "max_value"),
            gettext_lazy("Between 50 and 100 per cent of the member units."),
        ),
        help_text=gettext_lazy(
            "Counted on the member units of the year, not on the ballots cast: 50 is at least "
            "half of them, 67 two thirds."
        ),
    )
    candidates = forms.MultipleChoiceField(
        label=gettext_lazy("Candidates"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Every member when none is ticked."),
    )

    def __init__(self, *args, campaigns, awards, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["award_type"].queryset = awards
        self.fields["candidates"].choices = [
            (m.organization_id, m.organization.name) for m in members
        ]

    def clean_candidates(self):
        return [int(v) for v in self.cleaned_data["candidates"]]


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Summary of the cluster's year"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        error_messages={"required": gettext_lazy("Write the summary of the cluster's year.")},
    )
    version = VersionField(required=False)
