"""Every email is three templates: ``emails/<name>-subject.txt``, ``-body.txt`` and ``-body.html``."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    # The bodies may show the subject (the HTML's <title>).
    context.setdefault("subject", subject)
    text = render_to_string(f"emails/{name}-body.txt", context)
    # The HTML part names its language and carries the subject as its title (_head.html).
    html = render_to_string(f"emails/{name}-body.html", {**context, "email_subject": subject})
    return subject, text, html


def send_templated_email(name: str, context: dict, to: list[str]) -> int:
    subject, text, html = render_email(name, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    return message.send()
