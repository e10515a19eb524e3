"""The campaign, a unit and the units above it read in one statement written in SQL, with a
scalar the caller names: kept only for the reports' pages (``reports/views.py``), which read
their figures' version in the same statement, and for the test of that statement
(``tests/campaigns/test_load_plan.py``). The registration pages read the same objects with
querysets (``registrations.selectors``). To delete, with its test, once
``grep -rn campaign_and_unit reports/`` finds nothing.
"""

from campaigns.models import Campaign
from emulation import sql as esql
from federation.models import Organization
from registrations.selectors.common import ancestors_list

# The levels above a unit whose ancestors :func:`campaign_and_unit` reads in its statement;
# a deeper unit's are read by :func:`ancestors_list`.
ANCESTOR_LEVELS = 16


def campaign_and_unit(campaign_pk, unit_pk=None, *, scalar: str = "", ancestors: bool = False):
    """(the campaign of id ``campaign_pk`` with its issuer or ``None``, the unit of id
    ``unit_pk`` or ``None``, the value of the scalar subquery ``scalar`` or ``None``): one
    statement written in SQL, where a page about a unit of a campaign would make two or three
    (``scalar``: a parameterless ``SELECT`` of one value, e.g. a version its cache key needs).
    ``ancestors``: the unit comes with the units above it, from the root down, as
    :func:`ancestors_list` gives them (``unit.ancestors_read``), joined in the same statement
    (one row each)."""
    campaign_columns = esql.columns(Campaign, "c")
    issuer_columns = esql.columns(Organization, "o")
    sql = f"SELECT {campaign_columns}, {issuer_columns}"
    params: list = []
    ancestors = ancestors and unit_pk is not None
    if unit_pk is not None:
        sql += f", {esql.columns(Organization, 'u')}"
    if ancestors:
        sql += f", {esql.columns(Organization, 'a')}"
    if scalar:
        sql += f", ({scalar})"
    table = Organization._meta.db_table
    sql += f" FROM {Campaign._meta.db_table} c JOIN {table} o ON o.id = c.issuer_id"
    if unit_pk is not None:
        sql += f" LEFT JOIN {table} u ON u.id = %s"
        params.append(unit_pk)
    if ancestors:
        # The paths of the levels above: prefixes of the unit's path, one step each.
        step = Organization.steplen
        prefixes = ", ".join(
            f"SUBSTR(u.path, 1, {step * level})" for level in range(1, ANCESTOR_LEVELS + 1)
        )
        sql += f" LEFT JOIN {table} a ON a.path IN ({prefixes}) AND a.depth < u.depth"
    sql += " WHERE c.id = %s"
    if ancestors:
        sql += " ORDER BY a.depth"
    # Prepared on PostgreSQL: planning the ancestors' join costs more than reading them.
    rows = esql.fetch(sql, [*params, campaign_pk], prepare=True)
    if not rows:
        return None, None, None
    row = rows[0]
    size = len(Campaign._meta.concrete_fields)
    width = len(Organization._meta.concrete_fields)
    (campaign,) = esql.loader(Campaign)([row[:size]])
    organizations = esql.loader(Organization)
    (campaign.issuer,) = organizations([row[size : size + width]])
    unit = None
    if unit_pk is not None and row[size + width] is not None:  # the unit's id: None if missing
        (unit,) = organizations([row[size + width : size + 2 * width]])
        if ancestors:
            start = size + 2 * width
            above = [r[start : start + width] for r in rows if r[start] is not None]
            if unit.depth - 1 > ANCESTOR_LEVELS:  # deeper than the statement looks
                unit.ancestors_read = ancestors_list(unit)
            else:
                unit.ancestors_read = organizations(above)
    return campaign, unit, row[-1] if scalar else None
