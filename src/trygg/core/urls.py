from django.urls import path

from trygg.core import administration, oidc, twofactor_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisationer/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisationer/ny/", administration.organisation_create, name="organisation_create"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path(
        "organisationer/<int:pk>/andra/", administration.organisation_edit, name="organisation_edit"
    ),
    path(
        "organisationer/<int:pk>/avaktivera/",
        administration.organisation_deactivate,
        name="organisation_deactivate",
    ),
    path("samverkansavtal/ny/", administration.partnership_create, name="partnership_create"),
    path("samverkansavtal/<int:pk>/", administration.partnership_detail, name="partnership_detail"),
    path(
        "samverkansavtal/<int:pk>/avsluta/",
        administration.partnership_end,
        name="partnership_end",
    ),
    path("kom-igang/", administration.first_run, name="first_run"),
    path("personer/", administration.PeopleListView.as_view(), name="people"),
    path("personer/<int:pk>/", administration.membership_edit, name="membership_edit"),
    path(
        "personer/<int:pk>/avsluta/",
        administration.membership_deactivate,
        name="membership_deactivate",
    ),
    path(
        "personer/<int:pk>/ateraktivera/",
        administration.membership_reactivate,
        name="membership_reactivate",
    ),
    path("inbjudningar/", administration.InvitationListView.as_view(), name="invitation_list"),
    path("inbjudningar/ny/", administration.invitation_create, name="invitation_create"),
    path(
        "inbjudningar/<int:pk>/skicka-igen/",
        administration.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "inbjudningar/<int:pk>/aterkalla/",
        administration.invitation_revoke,
        name="invitation_revoke",
    ),
    path("inbjudan/<str:key>/", administration.invitation_accept, name="invitation_accept"),
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
