"""Forms read and clean what people type; the services decide whether it may be saved."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Holiday, Phase, Theme
from campaigns.services.common import CAMPAIGN_FIELDS, HOLIDAY_FIELDS
from emulation.forms import DateInput, ModelBoundsMixin, NameField, ShownVersionMixin
from federation.models import Department, Organization, OrganizationKind, Role


def configurable_units(user):
    """The units for which ``user`` may create a campaign: those where they are staff (any
    active upper unit for a superuser)."""
    units = Organization.objects.filter(is_active=True)
    if user.is_superuser:
        return units.exclude(kind=OrganizationKind.GRASSROOTS).order_by("path")
    return units.filter(memberships__user=user, memberships__role=Role.STAFF).distinct()


TEXTAREA = {"rows": 3}
LONG_TEXTAREA = {"rows": 6}

CAMPAIGN_WIDGETS = {
    "title": forms.Textarea(attrs={"rows": 3}),
    "issue_date": DateInput(),
    "registration_deadline": DateInput(),
    "implements": forms.Textarea(attrs={"rows": 2}),
    "preamble": forms.Textarea(attrs=LONG_TEXTAREA),
    "purposes": forms.Textarea(attrs=LONG_TEXTAREA),
    "organisation": forms.Textarea(attrs=LONG_TEXTAREA),
    "closing": forms.Textarea(attrs=TEXTAREA),
    "distribution": forms.Textarea(attrs={"rows": 5}),
}


class CampaignCreateForm(ModelBoundsMixin, forms.ModelForm):
    issuer = forms.ModelChoiceField(
        label=_("Issuing unit"), queryset=Organization.objects.none(), empty_label=None
    )

    class Meta:
        model = Campaign
        fields = [
            "issuer",
            "year",
            "title",
            "number",
            "symbol",
            "place",
            "issue_date",
            "min_themes",
            "registration_deadline",
            "receiving_department",
        ]
        widgets = CAMPAIGN_WIDGETS
        field_classes = {"title": NameField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = configurable_units(user)
        self.fields["issuer"].queryset = units
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        self.fields["receiving_department"].queryset = Department.objects.filter(
            organization__in=units
        ).select_related("organization")

    def _post_clean(self):
        # The services validate the plan as a whole; the model's own checks would only repeat
        # them with other words.
        pass


class CampaignEditForm(ShownVersionMixin, ModelBoundsMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = list(CAMPAIGN_FIELDS)
        widgets = CAMPAIGN_WIDGETS
        field_classes = {"title": NameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_department"].queryset = self.instance.issuer.departments.all()

    def _post_clean(self):
        pass


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the copy"), min_value=2000, max_value=2100)


class ThemeForm(ShownVersionMixin, ModelBoundsMixin, forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["title", "text"]
        field_classes = {"title": NameField}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def _post_clean(self):
        pass


class PhaseForm(ShownVersionMixin, ModelBoundsMixin, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "start", "end", "report_deadline", "goal", "conclusion"]
        field_classes = {"name": NameField}
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "report_deadline": DateInput(),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "conclusion": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self):
        pass


class HolidayForm(ShownVersionMixin, ModelBoundsMixin, forms.ModelForm):
    class Meta:
        model = Holiday
        fields = list(HOLIDAY_FIELDS)
        field_classes = {"name": NameField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = self.fields["scope_unit"]
        if user.is_superuser:
            scope.queryset = Organization.objects.filter(is_active=True, depth__lte=2)
            scope.empty_label = _("The whole country (a national day)")
            scope.required = False
        else:
            scope.queryset = configurable_units(user)
            scope.empty_label = None
            scope.required = True
        for name in ("day", "end_day"):
            self.fields[name].widget.attrs.update({"min": 1, "max": 31})
        for name in ("month", "end_month"):
            self.fields[name].widget.attrs.update({"min": 1, "max": 12})

    def _post_clean(self):
        pass


class MilestonesForm(forms.Form):
    holidays = forms.ModelMultipleChoiceField(
        label=_("Commemorative days"),
        queryset=Holiday.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holidays"].queryset = Holiday.objects.for_issuer(campaign.issuer)
