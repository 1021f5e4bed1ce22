app_name = "situation"

urlpatterns: list = []
