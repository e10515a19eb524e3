from django import template

from clusters.services.votes import share_text

register = template.Library()


@register.filter
def share_of(approvals, members):
    """A candidate's approvals as a share of the member units, written as the vote page, the
    summary PDF and the nomination all write it (66.67)."""
    return share_text(approvals or 0, members or 0)
