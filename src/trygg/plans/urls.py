"""Pages of plans under /planer/."""

from django.urls import path

from trygg.plans import import_views, views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("ny/", views.plan_create, name="plan_create"),
    path("importera/", import_views.import_new, name="plan_import_new"),
    path("importera/<str:token>/kolumner/", import_views.import_columns, name="import_columns"),
    path("importera/<str:token>/granska/", import_views.import_preview, name="import_preview"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/andra/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/exportera.<str:fmt>", views.plan_export, name="plan_export"),
    path("<int:pk>/importera/", import_views.import_into, name="plan_import"),
    path("<int:plan_pk>/fokusomraden/ny/", views.focus_area_create, name="focus_area_create"),
    path("fokusomraden/<int:pk>/andra/", views.focus_area_edit, name="focus_area_edit"),
    path("<int:plan_pk>/aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/andra/", views.activity_edit, name="activity_edit"),
    path("<int:plan_pk>/atgarder/ny/", views.measure_create, name="measure_create"),
    path("atgarder/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("atgarder/<int:pk>/andra/", views.measure_edit, name="measure_edit"),
    path("atgarder/<int:pk>/ta-bort/", views.measure_delete, name="measure_delete"),
    path("atgarder/<int:pk>/status/", views.measure_status, name="measure_status"),
    path("atgarder/<int:pk>/mal/ny/", views.target_create, name="target_create"),
    path("mal/<int:pk>/utfall/", views.outcome_create, name="outcome_create"),
    path("statusar/", views.StatusListView.as_view(), name="status_list"),
    path("statusar/ny/", views.status_create, name="status_create"),
    path("statusar/<int:pk>/andra/", views.status_edit, name="status_edit"),
]
