from django.urls import path

from trygg.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dokument/", views.document, name="document"),
    path("dokument/utkast/", views.draft_save, name="draft_save"),
    path("dokument/spara/", views.version_save, name="version_save"),
    path("versioner/<int:pk>/", views.version_detail, name="version_detail"),
    path("skapa/", views.job_create, name="job_create"),
    path("export/", views.export_create, name="export_create"),
    path("filer/<int:pk>/", views.job_detail, name="job_detail"),
    path("filer/<int:pk>/status/", views.job_status, name="job_status"),
    path("filer/<int:pk>/hamta/", views.job_download, name="job_download"),
    path("plan/<int:pk>/utbyte.docx", views.plan_exchange, name="plan_exchange"),
]
