from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from federation.models import Organization
from federation.rules import is_provincial_staff
from reminders import selectors
from reminders.forms import PreferenceForm, RuleForm
from reminders.models import OutboxMessage, OutboxStatus, ReminderRule, UserPreference
from reminders.services import outbox
from reminders.services.notifications import notifications_mark_read, preference_set


def _campaign_for(request, campaign_id) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("issuer"), pk=campaign_id)
    if not request.user.has_perm("campaigns.change_campaign", campaign):
        raise PermissionDenied
    return campaign


class RuleListView(LoginRequiredMixin, View):
    def get(self, request, campaign_id):
        campaign = _campaign_for(request, campaign_id)
        rules = campaign.reminder_rules.select_related("phase", "milestone__holiday")
        return render(request, "reminders/rules.html", {"campaign": campaign, "rules": rules})


class RuleEditView(LoginRequiredMixin, View):
    """Add or edit a rule; the Preview button shows who it would reach, saving nothing."""

    def setup_rule(self, request, campaign_id=None, pk=None):
        if pk is not None:
            rule = get_object_or_404(ReminderRule.objects.select_related("campaign"), pk=pk)
            campaign = _campaign_for(request, rule.campaign_id)
        else:
            campaign = _campaign_for(request, campaign_id)
            rule = ReminderRule(campaign=campaign)
        return campaign, rule

    def render_form(self, request, campaign, rule, form, preview=None):
        return render(
            request,
            "reminders/rule_form.html",
            {"campaign": campaign, "rule": rule, "form": form, "preview": preview},
        )

    def get(self, request, campaign_id=None, pk=None):
        campaign, rule = self.setup_rule(request, campaign_id, pk)
        form = RuleForm(instance=rule, campaign=campaign)
        preview = selectors.preview(rule) if rule.pk else None
        return self.render_form(request, campaign, rule, form, preview)

    def post(self, request, campaign_id=None, pk=None):
        campaign, rule = self.setup_rule(request, campaign_id, pk)
        form = RuleForm(request.POST, instance=rule, campaign=campaign)
        if not form.is_valid():
            return self.render_form(request, campaign, rule, form)
        if "preview" in request.POST:
            return self.render_form(request, campaign, rule, form, selectors.preview(form.instance))
        form.save()
        messages.success(request, _("The reminder rule was saved."))
        return redirect("reminders:rules", campaign_id=campaign.pk)


class NotificationListView(LoginRequiredMixin, View):
    def get(self, request):
        queryset = request.user.notifications.all()
        page = Paginator(queryset, 30).get_page(request.GET.get("page"))
        preference = UserPreference.objects.filter(user=request.user).first()
        form = PreferenceForm(
            initial={"email_enabled": preference.email_enabled if preference else True}
        )
        return render(
            request, "reminders/notifications.html", {"page_obj": page, "preference_form": form}
        )


def badge(request):
    """The unread count, loaded by the navbar after the page (so pages keep their queries).

    Signed out (the session ended while the page stayed open), the badge is simply empty: a
    redirect would be followed by htmx, which would put the whole login page in the navbar, and
    that page would give the browser a new CSRF cookie behind the back of a login form open in
    another tab."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    count = selectors.unread_count(request.user)
    return render(request, "reminders/_badge.html", {"count": count})


@require_POST
def notifications_read(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    ids = request.POST.getlist("id") or None
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("reminders:notifications")


@require_POST
def preferences(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    form = PreferenceForm(request.POST)
    form.is_valid()
    enabled = form.cleaned_data.get("email_enabled", False)
    preference_set(user=request.user, email_enabled=enabled)
    messages.success(
        request,
        _("Reminder emails are on.") if enabled else _("Reminder emails are off for you."),
    )
    return redirect("reminders:notifications")


def _outbox_allowed(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_provincial_staff(user))


def _outbox_of(user):
    """The emails a user may see: a superuser all of them; provincial staff those of the
    campaigns issued in their own branch (never another province's)."""
    if user.is_superuser:
        return OutboxMessage.objects.all()
    return OutboxMessage.objects.filter(
        delivery__campaign__issuer__in=Organization.objects.visible_to(user)
    )


class OutboxView(LoginRequiredMixin, View):
    def get(self, request):
        if not _outbox_allowed(request.user):
            raise PermissionDenied
        queryset = _outbox_of(request.user)
        status = request.GET.get("status", "")
        if status in OutboxStatus.values:
            queryset = queryset.filter(status=status)
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "reminders/outbox.html",
            {"page_obj": page, "status": status, "statuses": OutboxStatus.choices},
        )


@require_POST
def outbox_resend(request, pk):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if not _outbox_allowed(request.user):
        raise PermissionDenied
    message = get_object_or_404(_outbox_of(request.user), pk=pk)
    message = outbox.outbox_resend(message)
    from reminders.tasks import enqueue

    enqueue([message.pk])
    messages.success(request, _("The email was queued again."))
    return redirect("reminders:outbox")
