"""Django messages whose Vietnamese we word better than Django's own catalogue does.

Listing them here puts them in our catalogue, which takes precedence over Django's.
"""

from django.utils.translation import gettext_noop

OVERRIDES = [
    gettext_noop("Enter a valid email address."),
    gettext_noop("This field is required."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid date."),
]
