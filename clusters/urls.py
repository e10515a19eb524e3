from django.urls import path

from clusters import views

app_name = "clusters"

# ``pk`` is always the cluster.
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:pk>/", views.ClusterView.as_view(), name="cluster"),
    path("<int:pk>/<int:year>/members/", views.MemberAddView.as_view(), name="member-add"),
    path(
        "<int:pk>/members/<int:member_id>/remove/",
        views.MemberRemoveView.as_view(),
        name="member-remove",
    ),
    path("<int:pk>/members/<int:member_id>/role/", views.RoleView.as_view(), name="role"),
    path("<int:pk>/<int:year>/agreement/", views.AgreementView.as_view(), name="agreement"),
    path("<int:pk>/<int:year>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/<int:year>/agreement.pdf", views.AgreementPdfView.as_view(), name="pdf"),
    path("<int:pk>/<int:year>/score/<int:scored_id>/", views.ScoreView.as_view(), name="score"),
    path("<int:pk>/<int:year>/results.xlsx", views.XlsxView.as_view(), name="xlsx"),
    path("<int:pk>/<int:year>/vote/", views.VoteOpenView.as_view(), name="vote-open"),
    path("<int:pk>/votes/<int:vote_id>/", views.VoteView.as_view(), name="vote"),
    path("<int:pk>/votes/<int:vote_id>/ballot/", views.BallotView.as_view(), name="ballot"),
    path("<int:pk>/votes/<int:vote_id>/close/", views.VoteCloseView.as_view(), name="vote-close"),
    path("<int:pk>/<int:year>/summary/", views.SummaryView.as_view(), name="summary"),
    path(
        "<int:pk>/<int:year>/summary/approve/",
        views.SummaryApproveView.as_view(),
        name="summary-approve",
    ),
    path(
        "<int:pk>/<int:year>/summary/return/",
        views.SummaryReturnView.as_view(),
        name="summary-return",
    ),
    path("<int:pk>/<int:year>/summary.pdf", views.SummaryPdfView.as_view(), name="summary-pdf"),
    path("<int:pk>/evidence/<int:file_id>/", views.EvidenceView.as_view(), name="evidence"),
]
