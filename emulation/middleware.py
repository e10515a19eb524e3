from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language with the language button.

    The browser's Accept-Language is not followed: union officers often run an English
    operating system, yet the system speaks Vietnamese to them until they ask otherwise.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class HtmxLoginRedirectMiddleware:
    """A request made from a page's script (htmx, or our own with ``HX-Request``) after the
    session ended is sent to the login page as a whole page, back to the page afterwards.

    Answered with a redirect, the browser would follow it inside the script's request and
    htmx would put the login page where a fragment was expected (a tree node, suggestions).
    The answer is empty with ``HX-Redirect``, which htmx (and ``unit-lookup.js``) follow."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code != 302:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login:
            return response
        page = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
        if not url_has_allowed_host_and_scheme(
            page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            page = ""
        parts = urlsplit(page)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
        answer = HttpResponse(status=204)
        answer["HX-Redirect"] = f"{login}?{urlencode({'next': back})}" if back else login
        return answer


class RefuseNulMiddleware:
    """A query string holding NUL (``%00``) answers 400: no text column of PostgreSQL can hold
    it, and a search or filter reading it would fail there. Forms refuse it on their fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            return HttpResponseBadRequest()
        return self.get_response(request)
