import unicodedata

from django import forms
from django.contrib.auth import forms as auth_forms
from django.template import loader
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from emulation.forms import ModelBoundsMixin, NameField


class ProfileForm(ModelBoundsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "position"]
        field_classes = {"full_name": NameField, "position": NameField}

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your full name."))
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another account already uses this email address."))
        return email


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, whose HTML email also carries its subject as its title (as every email
    of ``emulation.mail`` does), and which reaches a person invited who never chose a password
    (Django's skips accounts without a usable password; here the reset is how they choose
    one, as the invitation's link would have let them)."""

    def get_users(self, email):
        email_field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})
        wanted = unicodedata.normalize("NFKC", email).casefold()
        return (
            user
            for user in users
            if unicodedata.normalize("NFKC", getattr(user, email_field) or "").casefold() == wanted
        )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        context = {**context, "email_subject": subject}
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
