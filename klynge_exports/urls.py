from django.urls import path

from . import views

app_name = "klynge_exports"

urlpatterns = [
    path("eksport/moede/<int:pk>/dagsorden.pdf", views.agenda_pdf, name="agenda_pdf"),
    path(
        "eksport/moede/<int:pk>/bilag.zip",
        views.attachments_zip,
        name="attachments_zip",
    ),
    path("eksport/referat/<int:pk>/referat.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("kalender/moeder.ics", views.calendar_all, name="calendar"),
    path(
        "kalender/klynge/<str:slug>.ics",
        views.calendar_cluster,
        name="calendar_cluster",
    ),
    path(
        "kalender/moede/<int:pk>.ics", views.calendar_meeting, name="calendar_meeting"
    ),
    path("feeds/rss/", views.rss, name="rss"),
    path("feeds/atom/", views.atom, name="atom"),
    path("feeds/klynge/<str:slug>/rss/", views.rss, name="rss_cluster"),
    path("feeds/klynge/<str:slug>/atom/", views.atom, name="atom_cluster"),
]
