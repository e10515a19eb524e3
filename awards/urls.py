from django.urls import path

from awards.views.advanced_models import (
    GalleryDetailView,
    GalleryFeed,
    GalleryView,
    ModelCreateView,
    ModelDetailView,
    ModelListView,
    ModelPhotoView,
    ModelPublishView,
)
from awards.views.council import (
    BallotsPdfView,
    MinutesPdfView,
    SessionAttendanceView,
    SessionCloseView,
    SessionCreateView,
    SessionDetailView,
    SessionListView,
    SessionVoteView,
    SessionWrittenOpinionView,
)
from awards.views.decisions import (
    DecisionCertificatesPdfView,
    DecisionCreateView,
    DecisionDetailView,
    DecisionListView,
    DecisionPdfView,
    DecisionsXlsxView,
)
from awards.views.history import CatalogueView, HistoryView
from awards.views.nominations import (
    CertificateView,
    DossierAddView,
    DossierFileView,
    DossierRemoveView,
    NominationCreateView,
    NominationDeleteView,
    NominationDetailView,
    NominationEditView,
    NominationEndorseView,
    NominationHistoryView,
    NominationListView,
    NominationReturnView,
    NominationSubmitView,
    NominationsXlsxView,
)
from awards.views.plaques import PlaqueAttachView, PlaqueGrantView, PlaqueListView, PlaquesXlsxView

app_name = "awards"

urlpatterns = [
    path("", NominationListView.as_view(), name="nominations"),
    path("nominations.xlsx", NominationsXlsxView.as_view(), name="nominations-xlsx"),
    path("new/", NominationCreateView.as_view(), name="nomination-create"),
    path("<int:pk>/", NominationDetailView.as_view(), name="nomination-detail"),
    path("<int:pk>/edit/", NominationEditView.as_view(), name="nomination-edit"),
    path("<int:pk>/delete/", NominationDeleteView.as_view(), name="nomination-delete"),
    path("<int:pk>/history/", NominationHistoryView.as_view(), name="nomination-history"),
    path("<int:pk>/dossier/", DossierAddView.as_view(), name="dossier-add"),
    path("<int:pk>/dossier/<int:file_id>/", DossierFileView.as_view(), name="dossier-file"),
    path(
        "<int:pk>/dossier/<int:file_id>/remove/",
        DossierRemoveView.as_view(),
        name="dossier-remove",
    ),
    path("<int:pk>/submit/", NominationSubmitView.as_view(), name="nomination-submit"),
    path("<int:pk>/endorse/", NominationEndorseView.as_view(), name="nomination-endorse"),
    path("<int:pk>/return/", NominationReturnView.as_view(), name="nomination-return"),
    path("<int:pk>/certificate.pdf", CertificateView.as_view(), name="certificate"),
    path("council/", SessionListView.as_view(), name="sessions"),
    path("council/new/", SessionCreateView.as_view(), name="session-create"),
    path("council/<int:pk>/", SessionDetailView.as_view(), name="session-detail"),
    path("council/<int:pk>/vote/", SessionVoteView.as_view(), name="session-vote"),
    path(
        "council/<int:pk>/attendance/", SessionAttendanceView.as_view(), name="session-attendance"
    ),
    path(
        "council/<int:pk>/written/",
        SessionWrittenOpinionView.as_view(),
        name="session-written-opinion",
    ),
    path("council/<int:pk>/close/", SessionCloseView.as_view(), name="session-close"),
    path("council/<int:pk>/minutes.pdf", MinutesPdfView.as_view(), name="session-minutes"),
    path("council/<int:pk>/ballots.pdf", BallotsPdfView.as_view(), name="session-ballots"),
    path("decisions/", DecisionListView.as_view(), name="decisions"),
    path("decisions.xlsx", DecisionsXlsxView.as_view(), name="decisions-xlsx"),
    path("decisions/new/", DecisionCreateView.as_view(), name="decision-create"),
    path("decisions/<int:pk>/", DecisionDetailView.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/decision.pdf", DecisionPdfView.as_view(), name="decision-pdf"),
    path(
        "decisions/<int:pk>/certificates.pdf",
        DecisionCertificatesPdfView.as_view(),
        name="decision-certificates",
    ),
    path("history/", HistoryView.as_view(), name="history"),
    path("catalogue/", CatalogueView.as_view(), name="catalogue"),
    path("models/", ModelListView.as_view(), name="models"),
    path("models/new/", ModelCreateView.as_view(), name="model-create"),
    path("models/<int:pk>/", ModelDetailView.as_view(), name="model-detail"),
    path("models/<int:pk>/publish/", ModelPublishView.as_view(), name="model-publish"),
    path("models/<int:model_id>/photo", ModelPhotoView.as_view(), name="model-photo"),
    path("plaques/", PlaqueListView.as_view(), name="plaques"),
    path("plaques.xlsx", PlaquesXlsxView.as_view(), name="plaques-xlsx"),
    path("plaques/grant/<int:key_work_id>/", PlaqueGrantView.as_view(), name="plaque-grant"),
    path("plaques/<int:pk>/attach/", PlaqueAttachView.as_view(), name="plaque-attach"),
    path("gallery/", GalleryView.as_view(), name="gallery"),
    path("gallery/<int:model_id>/", GalleryDetailView.as_view(), name="gallery-detail"),
    path("gallery/feed.atom", GalleryFeed(), name="gallery-feed"),
]
