from django.urls import path

from . import views

app_name = "klynge_search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("forslag/", views.suggest, name="suggest"),
]
