from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reminders.models import MAX_OFFSET, ReminderRule
from reminders.texts import PLACEHOLDERS, validate_template


class RuleForm(forms.ModelForm):
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
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "body": gettext_lazy("Placeholders: %(names)s.")
            % {"names": ", ".join("{" + name + "}" for name in PLACEHOLDERS)},
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
        validate_template(value)
        return value

    def clean_body(self):
        value = self.cleaned_data["body"]
        validate_template(value)
        return value


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=gettext_lazy("Send me reminders by email"),
        required=False,
        help_text=gettext_lazy("In-app notifications are always shown."),
    )
