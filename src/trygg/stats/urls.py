from django.urls import path

from trygg.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.SeriesListView.as_view(), name="series_list"),
    path("serier/ny/", views.series_create, name="series_create"),
    path("serier/<int:pk>/", views.series_detail, name="series_detail"),
    path("serier/<int:pk>/andra/", views.series_edit, name="series_edit"),
    path("serier/<int:pk>/ta-bort/", views.series_delete, name="series_delete"),
    path("serier/<int:pk>/varden/", views.ObservationListView.as_view(), name="observation_list"),
    path("serier/<int:pk>/jamforelse/", views.comparison, name="comparison"),
    path("serier/<int:pk>/diagram.json", views.series_chart, name="series_chart"),
    path("folkmangd/ny/", views.population_set, name="population_set"),
    path("enkat/ny/", views.survey_value_set, name="survey_value_set"),
    path("import/", views.import_index, name="import_index"),
    path("import/px/variabler/", views.import_px_mapping, name="import_px_mapping"),
    path("import/<slug:fmt>/", views.import_file, name="import_file"),
    path("importer/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("importer/<int:pk>/status/", views.batch_status, name="batch_status"),
]
