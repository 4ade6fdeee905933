"""OParl 1.1 under `<prefix>v1.1/`: the site mounts these at `oparl/`.

Ids carry no trailing slash, except the system's (the entry point)."""

from django.urls import path, re_path

from . import views

app_name = "oparl"

urlpatterns = [
    path("v1.1/", views.system, name="system"),
    path("v1.1/body", views.body_list, name="body-list"),
    path("v1.1/body/<int:key>", views.detail("body"), name="body"),
    *[
        path(
            f"v1.1/body/<int:pk>/{name}",
            views.body_objects(name),
            name=f"body-{name}",
        )
        for name in views.BODY_LISTS
    ],
    path(
        "v1.1/body/<int:pk>/legislativeterm",
        views.body_terms,
        name="body-legislativeterm",
    ),
    path("v1.1/body/<int:pk>/paper", views.empty_list("paper"), name="body-paper"),
    path(
        "v1.1/body/<int:pk>/consultation",
        views.empty_list("consultation"),
        name="body-consultation",
    ),
    path("v1.1/cluster/<int:key>", views.detail("cluster"), name="cluster"),
    path(
        "v1.1/organization/<int:key>",
        views.detail("organisation"),
        name="organisation",
    ),
    path("v1.1/person/<int:key>", views.detail("person"), name="person"),
    path("v1.1/membership/<int:key>", views.detail("membership"), name="membership"),
    path("v1.1/meeting/<int:key>", views.detail("meeting"), name="meeting"),
    path("v1.1/agendaitem/<uuid:key>", views.detail("agendaitem"), name="agendaitem"),
    path("v1.1/file/<int:key>", views.detail("file"), name="file"),
    path(
        "v1.1/file/<int:key>/access",
        views.file_content(download=False),
        name="file-access",
    ),
    path(
        "v1.1/file/<int:key>/download",
        views.file_content(download=True),
        name="file-download",
    ),
    path("v1.1/location/<int:key>", views.detail("location"), name="location"),
    path(
        "v1.1/legislativeterm/<int:key>",
        views.legislative_term,
        name="legislativeterm",
    ),
    re_path(r"^v1\.1/", views.not_found),
]
