# The English formats (dates show as dd/mm/yyyy everywhere), with Vietnamese number separators.
from emulation.formats.en.formats import *  # noqa: F403

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
