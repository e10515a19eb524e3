"""The forms of the review: the reviewer's comment (returning, reopening), a later deadline,
and the filters of a reviewer's queue."""

from django import forms
from django.utils.translation import gettext_lazy as _

from emulation.forms import DateInput, VersionField, VersionFormMixin
from emulation.review.progress import QueueFilters
from emulation.text import SHORT_TEXT_LIMIT


class CommentForm(VersionFormMixin, forms.Form):
    """The reviewer's comment when returning, or the reason for reopening (the service says
    when it is missing)."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=SHORT_TEXT_LIMIT,
    )
    version = VersionField()


class ExtensionForm(forms.Form):
    until = forms.DateField(
        label=_("New deadline"),
        widget=DateInput(attrs={"class": "form-control", "data-testid": "extend-until"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=SHORT_TEXT_LIMIT,
    )


class QueueFilterForm(forms.Form):
    """A name or code, a status, a kind of unit, the overdue only. The app gives the choices:
    ``statuses`` (its "nothing yet" state among them) and ``kinds``."""

    statuses: list = []
    kinds: list = []

    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = self.statuses
        self.fields["kind"].choices = self.kinds

    def filters(self) -> QueueFilters:
        """The filters as validated (none when the query does not validate)."""
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            status=data["status"], kind=data["kind"], overdue=data["overdue"], q=data["q"]
        )
