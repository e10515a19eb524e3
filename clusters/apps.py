from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Emulation clusters and blocks")

    def ready(self):
        from clusters import (
            rules,  # noqa: F401  (the rules register themselves)
            work,  # noqa: F401  (the items of the home page)
        )
        from emulation.audit import register_actions

        register_actions(
            {
                "cluster_create": _("Cluster created"),
                "cluster_member_add": _("Member added to the cluster"),
                "cluster_member_remove": _("Member removed from the cluster"),
                "cluster_role_set": _("Cluster leader set"),
                "agreement_draft": _("Agreement drafted"),
                "agreement_accept": _("Agreement accepted"),
                "cluster_score": _("Cluster scores saved"),
                "cluster_vote_open": _("Cluster vote opened"),
                "cluster_ballot": _("Ballot cast in the cluster vote"),
                "cluster_vote_close": _("Cluster vote closed and counted"),
                "cluster_summary_save": _("Cluster summary saved"),
            }
        )
