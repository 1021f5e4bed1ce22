from django.urls import path

from trygg.situation import views

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
]
