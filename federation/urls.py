from django.urls import path

from federation import views

app_name = "federation"

urlpatterns = [
    path("mine/", views.MyUnitView.as_view(), name="my-unit"),
    path("tree/", views.TreeView.as_view(), name="tree"),
    path("lookup/", views.UnitLookupView.as_view(), name="lookup"),
    path("import/", views.UnitImportView.as_view(), name="import"),
    path("people/import/", views.PeopleImportView.as_view(), name="people-import"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("<int:pk>/children/", views.TreeChildrenView.as_view(), name="tree-children"),
    path("<int:pk>/history/", views.UnitHistoryView.as_view(), name="unit-history"),
    path("<int:pk>/edit/", views.UnitEditView.as_view(), name="unit-edit"),
    path("<int:pk>/add/", views.UnitAddChildView.as_view(), name="unit-add-child"),
    path("<int:pk>/move/", views.UnitMoveView.as_view(), name="unit-move"),
    path("<int:pk>/merge/", views.UnitMergeView.as_view(), name="unit-merge"),
    path("<int:pk>/delete/", views.UnitDeleteView.as_view(), name="unit-delete"),
    path("<int:pk>/members/add/", views.MemberAddView.as_view(), name="member-add"),
    path(
        "<int:pk>/members/<int:membership_id>/remove/",
        views.MemberRemoveView.as_view(),
        name="member-remove",
    ),
    path("<int:pk>/departments/add/", views.DepartmentAddView.as_view(), name="department-add"),
]
