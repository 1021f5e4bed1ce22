"""Insatsregister: every measure, in a plan or ad hoc, filtered and exported."""

from django.urls import path

from trygg.reports import register

app_name = "register"

urlpatterns = [
    path("", register.RegisterView.as_view(), name="index"),
    path("svar-pa-skrivelse/", register.skrivelse, name="skrivelse"),
]
