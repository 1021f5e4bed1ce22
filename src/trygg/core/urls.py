from django.urls import path

from trygg.core import oidc, twofactor_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisationer/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("omraden/", views.AreaListView.as_view(), name="area_list"),
    path("omraden/ny/", views.area_create, name="area_create"),
    path("omraden/importera/", views.area_import, name="area_import"),
    path("omraden/<int:pk>/", views.area_detail, name="area_detail"),
    path("omraden/<int:pk>/geojson/", views.area_geojson, name="area_geojson"),
    path("platser/", views.PlaceListView.as_view(), name="place_list"),
    path("platser/ny/", views.place_create, name="place_create"),
    path("platser/<int:pk>/", views.place_edit, name="place_edit"),
    path("historik/<str:app_label>/<str:model_name>/<int:pk>/", views.history, name="history"),
    path("andringslogg/", views.AuditLogView.as_view(), name="audit_log"),
    path("konto/api-nycklar/", views.api_tokens, name="api_tokens"),
    path("konto/api-nycklar/<int:pk>/ta-bort/", views.api_token_delete, name="api_token_delete"),
    path("konto/tvastegsverifiering/", twofactor_views.overview, name="two_factor"),
    path("konto/tvastegsverifiering/aktivera/", twofactor_views.enrol, name="two_factor_enrol"),
    path("konto/tvastegsverifiering/verifiera/", twofactor_views.verify, name="two_factor_verify"),
    path(
        "konto/tvastegsverifiering/reservkoder/",
        twofactor_views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "konto/tvastegsverifiering/nya-reservkoder/",
        twofactor_views.regenerate,
        name="two_factor_regenerate",
    ),
    path("sso/", oidc.sso_start, name="sso_start"),
    path("sso/callback/", oidc.sso_callback, name="sso_callback"),
    path("konto/tvastegsverifiering/stang-av/", twofactor_views.disable, name="two_factor_disable"),
]
