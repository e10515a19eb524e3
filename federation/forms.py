from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from emulation.forms import ModelBoundsMixin, NameField, ShownVersionMixin
from emulation.tabular import too_big
from federation import kinds
from federation.models import Department, Organization, OrganizationKind, Role


class UnitForm(ShownVersionMixin, ModelBoundsMixin, forms.ModelForm):
    """A unit's details. ``parent`` is the unit it stands (or will stand) under; the kinds
    offered are those its parent's kind allows. A unit's kind is shown read-only to those who
    may not change it (its own staff: only the staff above may, see federation.kinds)."""

    class Meta:
        model = Organization
        fields = ["code", "name", "short_name", "kind", "member_count", "email"]
        field_classes = {"name": NameField, "short_name": NameField}

    def __init__(self, *args, user, parent: Organization | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        field = self.fields["kind"]
        if self.instance.pk and not user.has_perm("federation.change_unit_kind", self.instance):
            field.disabled = True
            field.help_text = _("Only the staff of a unit above may change the kind of this unit.")
            return
        offered = kinds.kinds_under(parent.kind if parent else None)
        if self.instance.pk and self.instance.kind not in offered:
            offered.append(self.instance.kind)
        # Only the widget's list: a kind posted from outside it gets the rule's own message.
        field.widget.choices = [
            choice for choice in field.choices if not choice[0] or choice[0] in offered
        ]

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if not self.fields["kind"].disabled and (
            not self.instance.pk or kind != self.instance.kind
        ):
            problem = kinds.placement_problem(kind, self.parent.kind if self.parent else None)
            if problem:
                raise forms.ValidationError(problem)
        return kind

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError(_("Please enter a code."))
        if Organization.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another unit already has this code."))
        return code


class UnitChoiceField(forms.CharField):
    """A unit chosen by its code, with suggestions from the unit look-up."""

    def __init__(self, *, queryset_for, **kwargs):
        self.queryset_for = queryset_for
        super().__init__(max_length=32, **kwargs)

    def clean(self, value):
        code = super().clean(value).strip()
        unit = self.queryset_for().filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("No unit with code “%(code)s” in your branch."), params={"code": code}
            )
        return unit


class UnitPickForm(forms.Form):
    """Choose another unit by its code (for moving and merging)."""

    def __init__(self, *args, user, field_name, label, help_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_name = field_name
        self.fields[field_name] = UnitChoiceField(
            label=label,
            help_text=help_text,
            queryset_for=lambda: Organization.objects.visible_to(user).filter(is_active=True),
            widget=forms.TextInput(
                attrs={"list": "unit-options", "autocomplete": "off", "class": "unit-lookup"}
            ),
        )


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = NameField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_(
            "Needed only for a person who has no account yet; they receive an email to set a password."
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        departments = organization.departments.all()
        if departments:
            self.fields["department"].queryset = departments
        else:
            del self.fields["department"]

    def clean(self):
        data = super().clean()
        email = (data.get("email") or "").lower()
        data["email"] = email
        data["user"] = (
            get_user_model().objects.filter(email__iexact=email).first() if email else None
        )
        if email and data["user"] is None and not " ".join((data.get("full_name") or "").split()):
            self.add_error(
                "full_name", _("This person has no account yet: please enter their full name.")
            )
        return data


class DepartmentForm(ModelBoundsMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "email"]
        field_classes = {"name": NameField, "short_name": NameField}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        validators=[
            FileExtensionValidator(
                ["xlsx", "csv"], message=_("Please choose an .xlsx or .csv file.")
            )
        ],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_big(upload.size))
        return upload


class TreeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or code"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganizationKind.choices]
    )
