from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emulation.forms import ModelBoundsMixin
from reminders.models import MAX_OFFSET, ReminderRule
from reminders.texts import LABELS, MAX_BODY, MAX_SUBJECT, validate_template


def _placeholder_help():
    """``{unit} (tên đơn vị), {deadline} (hạn), ...``, in the language of the page."""
    parts = []
    for name, label in LABELS.items():
        parts += [", " if parts else "", "{" + name + "} (", label, ")"]
    return format_lazy("{}" * len(parts), *parts)


class RuleForm(ModelBoundsMixin, forms.ModelForm):
    class Meta:
        model = ReminderRule
        fields = [
            "event",
            "phase",
            "milestone",
            "offset_days",
            "audience",
            "channel",
            "subject",
            "body",
            "is_active",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "maxlength": MAX_BODY})}
        help_texts = {
            "body": format_lazy(gettext_lazy("Placeholders: {names}."), names=_placeholder_help()),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.fields["phase"].queryset = campaign.phases.all()
        self.fields["milestone"].queryset = campaign.milestones.select_related("holiday")

    def clean_offset_days(self):
        value = self.cleaned_data["offset_days"]
        if value is not None and abs(value) > MAX_OFFSET:
            raise forms.ValidationError(
                _("The offset must be within a year: from -%(max)d to %(max)d days.")
                % {"max": MAX_OFFSET},
                code="offset",
            )
        return value

    def clean_subject(self):
        value = self.cleaned_data["subject"]
        validate_template(value, max_length=MAX_SUBJECT)
        return value

    def clean_body(self):
        value = self.cleaned_data["body"]
        validate_template(value, max_length=MAX_BODY)
        return value


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=gettext_lazy("Send me reminders by email"),
        required=False,
        help_text=gettext_lazy("In-app notifications are always shown."),
    )
