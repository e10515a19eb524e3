from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from campaigns.models import Campaign, CampaignStatus
from emulation.params import int_list_param
from reminders import selectors
from reminders.forms import PreferenceForm, RuleForm
from reminders.models import OutboxStatus, ReminderRule, UserPreference
from reminders.services import digest, outbox
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
    # Without an id, every notification is marked read.
    ids = int_list_param(request.POST, "id") if "id" in request.POST else None
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
    return user.is_authenticated and user.has_perm("reminders.view_outbox")


def _back_to_outbox(request):
    """The outbox page the form was sent from (its filter and page), or the outbox."""
    target = request.POST.get("next", "")
    if target.startswith(reverse("reminders:outbox")) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("reminders:outbox")


class OutboxView(LoginRequiredMixin, View):
    """Every email of the user's branch, newest first: the unit and the person it was for,
    its address, its state and why it failed; resend on each one that has not gone. Above it,
    the digests of the campaigns the user configures: preview, send, read those sent."""

    def get(self, request):
        if not _outbox_allowed(request.user):
            raise PermissionDenied
        status = request.GET.get("status", "")
        if status not in OutboxStatus.values:
            status = ""
        rows = selectors.outbox_page_rows(request.user, status)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "reminders/outbox.html",
            {
                "page_obj": page,
                "status": status,
                "statuses": OutboxStatus.choices,
                "digest_campaigns": selectors.digest_campaigns(request.user),
            },
        )


@require_POST
def outbox_resend(request, pk):
    """Send the email now, to the address its person or mailbox has today, or say why not."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if not _outbox_allowed(request.user):
        raise PermissionDenied
    message = get_object_or_404(selectors.outbox_for(request.user), pk=pk)
    outcome = outbox.outbox_resend(message)
    if outcome.sent:
        messages.success(
            request,
            _("The email was sent to %(address)s.") % {"address": outcome.message.recipient},
        )
    else:
        messages.error(
            request, _("The email was not sent: %(reason)s") % {"reason": outcome.reason}
        )
    return _back_to_outbox(request)


def _digest_campaign(request, campaign_id) -> Campaign:
    """The campaign whose digest the user previews or sends: 404 outside their branch, 403
    when they may see it but not send its digest."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("issuer", "receiving_department"), pk=campaign_id
    )
    if not request.user.has_perm("campaigns.view_campaign", campaign):
        raise Http404
    if not request.user.has_perm("reminders.send_digest", campaign):
        raise PermissionDenied
    return campaign


class DigestPreviewView(LoginRequiredMixin, View):
    """The digest the receiving department would get now, with the button that sends it."""

    def get(self, request, campaign_id):
        campaign = _digest_campaign(request, campaign_id)
        today = timezone.localdate()
        context = digest.digest_preview(campaign=campaign, today=today)
        return render(
            request,
            "reminders/digest.html",
            {
                "campaign": campaign,
                "digest": context,
                "preview": True,
                "department": campaign.receiving_department,
                "sendable": campaign.receiving_department is not None
                and campaign.status == CampaignStatus.ACTIVE,
            },
        )


@require_POST
def digest_send(request, campaign_id):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    campaign = _digest_campaign(request, campaign_id)
    from reminders.tasks import enqueue

    try:
        delivery, created = digest.digest_send(
            campaign=campaign,
            by=request.user,
            today=timezone.localdate(),
            send=lambda ids: outbox.outbox_send_now(ids, retry=enqueue),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reminders:digest-preview", campaign_id=campaign.pk)
    if created:
        messages.success(
            request,
            _("The digest was sent to %(department)s.")
            % {"department": campaign.receiving_department.name},
        )
    else:
        messages.info(
            request,
            _("Today's digest was already sent at %(time)s: here it is.")
            % {"time": formats.time_format(timezone.localtime(delivery.created_at), "H:i")},
        )
    return redirect("reminders:digest", pk=delivery.pk)


class DigestListView(LoginRequiredMixin, View):
    """The digests sent to the receiving departments of the user's branch."""

    def get(self, request):
        if not _outbox_allowed(request.user):
            raise PermissionDenied
        page = Paginator(selectors.digest_list(request.user), 30).get_page(request.GET.get("page"))
        return render(request, "reminders/digests.html", {"page_obj": page})


class DigestView(LoginRequiredMixin, View):
    """One digest as it was sent (rendered again from the figures it was sent with), and the
    emails that carried it."""

    def get(self, request, pk):
        if not _outbox_allowed(request.user):
            raise PermissionDenied
        delivery = get_object_or_404(selectors.digests_for(request.user), pk=pk)
        emails = delivery.emails.select_related("user").defer("text", "html").order_by("pk")
        return render(
            request,
            "reminders/digest.html",
            {
                "campaign": delivery.campaign,
                "digest": delivery.context,
                "delivery": delivery,
                "kind": digest.digest_kind(delivery.occurrence),
                "department": delivery.department,
                "emails": emails,
            },
        )
