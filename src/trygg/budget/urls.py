from django.urls import path

from trygg.budget import views

app_name = "budget"

urlpatterns = [
    path("", views.BudgetListView.as_view(), name="budget_list"),
    path("ny/", views.budget_create, name="budget_create"),
    path("<int:pk>/", views.budget_detail, name="budget_detail"),
    path("<int:pk>/andra/", views.budget_edit, name="budget_edit"),
    path("<int:pk>/ta-bort/", views.budget_delete, name="budget_delete"),
    path("<int:pk>/nasta-ar/", views.budget_next_year, name="budget_next_year"),
    path("<int:pk>/folkmangd/", views.population_set, name="population_set"),
    path("<int:pk>/poster/ny/", views.line_create, name="line_create"),
    path("poster/<int:pk>/", views.line_edit, name="line_edit"),
    path("poster/<int:pk>/ta-bort/", views.line_delete, name="line_delete"),
    path("insatser/<int:measure_pk>/finansiering/ny/", views.funding_create, name="funding_create"),
    path("insatser/<int:measure_pk>/kategorier/", views.measure_tags, name="measure_tags"),
    path("finansiering/<int:pk>/", views.funding_edit, name="funding_edit"),
    path("finansiering/<int:pk>/ta-bort/", views.funding_delete, name="funding_delete"),
]
