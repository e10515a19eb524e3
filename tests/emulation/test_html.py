"""``emulation.html``: the escaping of the templates and addresses reversed once."""

from django.urls import reverse, set_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from emulation import html


def test_escape_as_the_templates():
    for value in ['<a href="x">Đoàn & "Hội"</a>', "l'été", 42, None, mark_safe("<b>ok</b>")]:
        assert html.escape(value) == conditional_escape(value)
    assert html.format_html("<p>{}</p>", "<i>") == "<p>&lt;i&gt;</p>"
    assert str(html.join(["<td>", "1", "</td>"])) == "<td>1</td>"


def test_url_format_gives_what_reverse_gives():
    assert html.url("reports:dashboard", 3, 45) == reverse("reports:dashboard", args=[3, 45])
    assert html.url("reports:unit", 1, 2, 3) == reverse("reports:unit", args=[1, 2, 3])
    assert html.url("registrations:index") == reverse("registrations:index")
    assert html.url_format("registrations:summary", 2).format(7, 8) == reverse(
        "registrations:summary", args=[7, 8]
    )


def test_url_format_follows_the_script_prefix():
    try:
        set_script_prefix("/thi-dua/")
        assert html.url("reports:dashboard", 3, 45) == reverse("reports:dashboard", args=[3, 45])
        assert html.url("reports:dashboard", 3, 45).startswith("/thi-dua/")
    finally:
        set_script_prefix("/")
    assert html.url("reports:dashboard", 3, 45) == "/reports/c/3/dashboard/45/"
