"""URL root. Each app mounts its own urls.py; the API lives under /api/."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from trygg.api import api
from trygg.core.oidc import LogoutView
from trygg.core.views import (
    PasswordResetView,
    error_403,
    error_404,
    error_500,
    set_language,
)

urlpatterns = [
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", LogoutView.as_view(), name="logout"),
    # Glömt lösenord: a link by e-mail (Django's mail settings) that works once.
    path(
        "losenord/glomt/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "losenord/nytt/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    path("planer/", include("trygg.plans.urls")),
    path("insatser/", include("trygg.reports.register_urls")),
    path("samverkan/", include("trygg.forums.urls")),
    path("budget/", include("trygg.budget.urls")),
    path("handelser/", include("trygg.incidents.urls")),
    path("statistik/", include("trygg.stats.urls")),
    path("lagesbild/", include("trygg.situation.urls")),
    path("ungdomar/", include("trygg.cases.urls")),
    path("rapporter/", include("trygg.reports.urls")),
    path("", include("trygg.core.urls")),
]

handler403 = error_403
handler404 = error_404
handler500 = error_500
