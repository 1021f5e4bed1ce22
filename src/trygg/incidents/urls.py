from django.urls import path

from trygg.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("ny/", views.report_create, name="report_create"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("importera/", views.report_import, name="report_import"),
    path("importera/<int:pk>/", views.import_detail, name="import_detail"),
    path("importera/varningar/", views.import_warnings, name="import_warnings"),
    path(
        "importera/<int:pk>/varningar/",
        views.import_batch_warnings,
        name="import_batch_warnings",
    ),
    path("importera/<int:pk>/status/", views.import_status, name="import_status"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/granska/", views.report_review, name="report_review"),
    path("foton/<int:pk>/", views.report_photo, name="report_photo"),
    path("kategorier/", views.CategoryListView.as_view(), name="category_list"),
    path("kategorier/ny/", views.category_create, name="category_create"),
    path("kategorier/standard/", views.category_defaults, name="category_defaults"),
    path("kategorier/<int:pk>/", views.category_edit, name="category_edit"),
    path("polisen/", views.PoliceEventListView.as_view(), name="police_event_list"),
    path("polisen/<int:pk>/", views.police_event_detail, name="police_event_detail"),
]
