from django.urls import path

from trygg.situation import chain_views, views

app_name = "situation"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("vecka/", views.weekly, name="weekly"),
    path("tid/", views.time_of_week, name="time_of_week"),
    path("platser/", views.places, name="places"),
    path("lagesbilder/", views.PictureListView.as_view(), name="picture_list"),
    path("lagesbilder/ny/", views.picture_create, name="picture_create"),
    path("lagesbilder/<int:pk>/", views.picture_detail, name="picture_detail"),
    path("lagesbilder/<int:pk>/andra/", views.picture_edit, name="picture_edit"),
    path("lagesbilder/<int:pk>/ta-bort/", views.picture_delete, name="picture_delete"),
    path("lagesbilder/<int:picture_pk>/problem/ny/", views.problem_create, name="problem_create"),
    path("problem/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problem/<int:pk>/andra/", views.problem_edit, name="problem_edit"),
    path("problem/<int:pk>/ta-bort/", views.problem_delete, name="problem_delete"),
    path("problem/<int:pk>/orsaksanalys/", views.cause_analysis_edit, name="cause_analysis_edit"),
    path("problem/<int:pk>/atgarder/", views.problem_measure_add, name="problem_measure_add"),
    path(
        "problem/<int:pk>/atgarder/<int:link_pk>/ta-bort/",
        views.problem_measure_remove,
        name="problem_measure_remove",
    ),
    path("lag/", chain_views.law_checklist_page, name="law_checklist"),
    path("samordningsfunktion/", chain_views.coordination_function, name="coordination_function"),
    path("lagesbilder/<int:pk>/kallor/ny/", chain_views.source_create, name="source_create"),
    path("kallor/<int:pk>/andra/", chain_views.source_edit, name="source_edit"),
    path("kallor/<int:pk>/ta-bort/", chain_views.source_delete, name="source_delete"),
    path("problem/<int:pk>/status/", chain_views.problem_status, name="problem_status"),
    path("planer/<int:pk>/per-problem/", chain_views.plan_by_problem, name="plan_by_problem"),
]
