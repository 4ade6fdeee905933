"""Clusters, meetings, agendas and minutes as Wagtail content (reusable app)."""
