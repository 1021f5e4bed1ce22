from django.urls import path

from trygg.forums import views

app_name = "forums"

urlpatterns = [
    path("", views.ForumListView.as_view(), name="forum_list"),
    path("ny/", views.forum_create, name="forum_create"),
    path("uppfoljning/", views.FollowupView.as_view(), name="followup"),
    path("forum/<int:pk>/", views.forum_detail, name="forum_detail"),
    path("forum/<int:pk>/andra/", views.forum_edit, name="forum_edit"),
    path("forum/<int:pk>/nytt-mote/", views.meeting_create, name="meeting_create"),
    path("forum/<int:pk>/planera/", views.meeting_series, name="meeting_series"),
    path("forum/<int:pk>/kalender.ics", views.forum_ics, name="forum_ics"),
    path("forum/<int:pk>/prenumerera/", views.forum_subscribe, name="forum_subscribe"),
    path("kalender/", views.calendar_feeds, name="calendar_feeds"),
    path("kalender/<int:pk>/aterkalla/", views.calendar_feed_delete, name="calendar_feed_delete"),
    path("kalender/<str:key>.ics", views.calendar_feed, name="calendar_feed"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moten/<int:pk>/andra/", views.meeting_edit, name="meeting_edit"),
    path("moten/<int:pk>/ta-bort/", views.meeting_delete, name="meeting_delete"),
    path("moten/<int:pk>/bilagor/", views.attachment_upload, name="attachment_upload"),
    path("moten/<int:pk>/nytt-beslut/", views.decision_create, name="decision_create"),
    path("bilagor/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("bilagor/<int:pk>/ta-bort/", views.attachment_delete, name="attachment_delete"),
    path("beslut/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("beslut/<int:pk>/andra/", views.decision_edit, name="decision_edit"),
    path("beslut/<int:pk>/status/", views.decision_status, name="decision_status"),
    path(
        "beslut/<int:pk>/ny-atgard/", views.decision_measure_create, name="decision_measure_create"
    ),
]
