"""The forms of the grading pages: one field per criterion (points, justification, a file) for
the unit, a verified score and a comment per criterion for the reviewer. The services check
the bounds and what is required, so the messages are the same whatever the page."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from grading.models import Criterion, CriterionGroup, Grade, KnockOut, ScoreSheet, UnitType
from grading.services.assessments import Entry, files_field, justification_field, points_field
from grading.services.verification import Verified, comment_field

POINTS = {"class": "form-control form-control-sm points", "inputmode": "decimal"}


class PointsField(forms.DecimalField):
    """Points typed with a decimal comma (7,5) or point (7.5)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _points(label, **attrs):
    return PointsField(
        label=label,
        required=False,
        max_digits=6,
        decimal_places=2,
        widget=forms.TextInput(attrs={**POINTS, **attrs}),
    )


class ScoreForm(forms.Form):
    """The unit's scores on ``sheet`` (its groups and criteria read)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c for g in sheet.groups.all() for c in g.criteria.all()]
        for criterion in self.criteria:
            self.fields[points_field(criterion.pk)] = _points(
                _("Points"), **{"data-max": str(criterion.max_points)}
            )
            self.fields[justification_field(criterion.pk)] = forms.CharField(
                label=_("Justification"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
            )
            self.fields[files_field(criterion.pk)] = forms.FileField(
                label=_("Evidence file"),
                required=False,
                widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}),
            )
        self.events = [k for k in sheet.knockouts.all() if k.group_id is None]
        self.fields["declared"] = forms.MultipleChoiceField(
            label=_("Events in the year"),
            required=False,
            choices=[(str(k.pk), k.description) for k in self.events],
            widget=forms.CheckboxSelectMultiple,
        )

    def entries(self) -> dict[int, Entry]:
        data = self.cleaned_data
        return {
            c.pk: Entry(
                points=data.get(points_field(c.pk)),
                justification=data.get(justification_field(c.pk)) or "",
                files=[data[files_field(c.pk)]] if data.get(files_field(c.pk)) else [],
            )
            for c in self.criteria
        }

    def declared(self) -> set[int]:
        return {int(v) for v in self.cleaned_data.get("declared") or []}


class VerifyForm(forms.Form):
    """The reviewer's verified score and comment for each criterion (empty: as the unit
    scored it)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c for g in sheet.groups.all() for c in g.criteria.all()]
        for criterion in self.criteria:
            self.fields[points_field(criterion.pk)] = _points(_("Verified points"))
            self.fields[comment_field(criterion.pk)] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
            )

    def verified(self) -> dict[int, Verified]:
        data = self.cleaned_data
        return {
            c.pk: Verified(
                points=data.get(points_field(c.pk)), comment=data.get(comment_field(c.pk)) or ""
            )
            for c in self.criteria
        }


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


# --- The sheet builder -----------------------------------------------------------------------
# The services check what depends on the rest of the sheet (sums, ranks and codes once, the
# sheet in use); the forms read what was typed.


class _BuilderForm(forms.ModelForm):
    def validate_unique(self):
        """The services check the uniqueness of a year's sheet and of a grade's rank and code,
        with messages on the field."""


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SheetForm(_BuilderForm):
    total = forms.IntegerField(label=_("Total points"), min_value=1, max_value=1000)

    class Meta:
        model = ScoreSheet
        fields = [
            "year",
            "unit_type",
            "title",
            "basis",
            "total",
            "opens_on",
            "deadline",
            "top_grade_cap",
            "note",
        ]
        widgets = {
            "opens_on": _date_widget(),
            "deadline": _date_widget(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.IntegerField(
            label=self.fields["year"].label, min_value=2000, max_value=2100
        )


class PointsInput(forms.TextInput):
    """Points shown as typed in Vietnamese: 7,5 rather than 7.50."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return f"{value.normalize():f}".replace(".", ",")
        return super().format_value(value)


def _builder_points(label):
    return PointsField(
        label=label,
        max_digits=6,
        decimal_places=2,
        widget=PointsInput(attrs={"inputmode": "decimal"}),
    )


class GroupForm(_BuilderForm):
    max_points = _builder_points(_("Maximum points"))

    class Meta:
        model = CriterionGroup
        fields = ["number", "title", "kind", "max_points"]

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)


class CriterionForm(_BuilderForm):
    max_points = _builder_points(_("Maximum points"))

    class Meta:
        model = Criterion
        fields = [
            "group",
            "number",
            "title",
            "max_points",
            "guidance",
            "evidence",
            "justification_required",
        ]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = sheet.groups.all()


class GradeForm(_BuilderForm):
    min_score = _builder_points(_("Minimum score"))

    class Meta:
        model = Grade
        fields = ["rank", "name", "code", "min_score"]

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rank"].help_text = _("1 is the top grade.")
        self.fields["code"].help_text = _("A short code without accents, e.g. xuat-sac.")


class KnockOutForm(_BuilderForm):
    class Meta:
        model = KnockOut
        fields = ["description", "group", "min_share", "caps_at"]

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = sheet.groups.all()
        self.fields["group"].help_text = _(
            "A group scored under the share below caps the grade; no group: an event the unit "
            "declares."
        )
        self.fields["caps_at"].queryset = sheet.grades.all()
        self.fields["min_share"].max_value = 100


class SheetImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit_type = forms.ChoiceField(label=_("Type of grassroots union"), choices=UnitType.choices)
    file = forms.FileField(label=_("File (XLSX)"))
