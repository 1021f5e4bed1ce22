"""Insatsregister: every measure, in a plan or ad hoc, filtered and exported."""

app_name = "register"

urlpatterns: list = []
