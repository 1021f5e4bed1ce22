from django.urls import path

from trygg.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("ny/", views.case_create, name="case_create"),
    path("statistik/", views.statistics, name="statistics"),
    path("atkomstlogg/", views.access_log, name="access_log"),
    path("bryt-glaset/", views.emergency, name="emergency"),
    path("behorigheter/", views.case_roles, name="case_roles"),
    path("behorigheter/<int:pk>/ta-bort/", views.case_role_revoke, name="case_role_revoke"),
    path("mote/<int:meeting_pk>/anteckning/", views.meeting_note_add, name="meeting_note_add"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/andra/", views.case_edit, name="case_edit"),
    path("<int:pk>/avsluta/", views.case_close, name="case_close"),
    path("<int:pk>/plan/ny/", views.plan_entry_add, name="plan_entry_add"),
    path("<int:pk>/anteckning/ny/", views.note_add, name="note_add"),
    path("<int:pk>/nojdhet/ny/", views.satisfaction_add, name="satisfaction_add"),
    path("<int:pk>/samtycke/ny/", views.consent_add, name="consent_add"),
    path("<int:pk>/deltagare/ny/", views.participant_add, name="participant_add"),
    path("<int:pk>/atkomstlogg/", views.access_log, name="case_access_log"),
    path("plan/<int:pk>/uppfoljning/", views.plan_follow_up, name="plan_follow_up"),
    path("samtycke/<int:pk>/aterkalla/", views.consent_withdraw, name="consent_withdraw"),
    path("deltagare/<int:pk>/ta-bort/", views.participant_remove, name="participant_remove"),
]
