"""A page's script asking for a fragment after the session ended is sent to the login page as
a whole page (``emulation.middleware.HtmxLoginRedirectMiddleware``)."""

from django.urls import reverse

HTMX = {"HX-Request": "true"}


def test_an_htmx_request_without_session_gets_hx_redirect_back_to_its_page(world, client):
    tree = "http://testserver" + reverse("federation:tree") + "?q=b%C3%AAta"
    response = client.get(
        reverse("federation:tree-children", args=[world.province.pk]),
        headers={**HTMX, "HX-Current-URL": tree},
    )
    assert response.status_code == 204
    assert response.content == b""
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Funits%2Ftree%2F%3Fq%3Db%25C3%25AAta"


def test_a_script_without_htmx_headers_of_its_page_uses_the_referer(world, client):
    unit = "http://testserver" + reverse("federation:unit-detail", args=[world.district.pk])
    response = client.get(reverse("federation:lookup") + "?q=NB", headers={**HTMX, "Referer": unit})
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/accounts/login/?next=%2Funits%2F{world.district.pk}%2F"


def test_another_sites_page_is_never_the_way_back(world, client):
    response = client.get(
        reverse("federation:tree-children", args=[world.province.pk]),
        headers={**HTMX, "HX-Current-URL": "https://evil.example/units/tree/"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/"


def test_ordinary_requests_and_signed_in_ones_are_untouched(world, client, client_for):
    url = reverse("federation:tree-children", args=[world.province.pk])
    response = client.get(url)  # a link opened by hand: the usual redirect
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "HX-Redirect" not in response
    staff = client_for(world.staff)
    response = staff.get(url, headers=HTMX)
    assert response.status_code == 200
    assert world.district.name in response.content.decode()
    # A redirect elsewhere (not to the login page) is left to htmx.
    response = staff.post(reverse("reminders:notifications-read"), headers=HTMX)
    assert response.status_code == 302
