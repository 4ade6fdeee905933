"""RSS 2.0 and Atom feeds of newly published agendas (meeting pages) and
minutes, for all clusters and per cluster (Django's syndication framework).

An entry is a page as first published: its date is `first_published_at`, so
republishing a correction does not push it up again (Atom's <updated> says it
changed). Only published, public pages appear; drafts, minutes awaiting
sign-off and private pages never, and a closed agenda item with its title
only.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page

from klynge_pages.dates import danish_day, danish_meeting_time
from klynge_pages.models import MeetingPage, MinutesPage
from klynge_pages.richtext import plain_text

from .calendar import agenda_titles, cluster_titles
from .public import only_published, published_cluster

FEED_LENGTH = 30


def newest_published(cluster=None, length=FEED_LENGTH):
    """The newest published meeting and minutes pages, newest first."""
    pages = Page.objects.type(MeetingPage, MinutesPage).filter(
        first_published_at__isnull=False
    )
    if cluster is not None:
        pages = pages.descendant_of(cluster)
    # Read a few more than needed: some may sit under an unpublished page.
    candidates = pages.order_by("-first_published_at", "-pk")[: length * 3]
    pages = only_published(
        Page.objects.filter(pk__in=[page.pk for page in candidates])
        .order_by("-first_published_at", "-pk")
        .specific()
    )
    return pages[:length]


class MeetingsAndMinutesFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "da"

    def get_object(self, request, slug=None):
        self.request = request
        return published_cluster(slug) if slug else None

    def title(self, cluster):
        if cluster:
            return _("Dagsordener og referater – %(cluster)s") % {
                "cluster": cluster.title
            }
        return _("Dagsordener og referater fra klyngerne")

    def link(self, cluster):
        return cluster.url if cluster else "/"

    def description(self, cluster):
        return _(
            "Nye dagsordener og godkendte referater, når de offentliggøres på "
            "Klyngeportalen."
        )

    def items(self, cluster):
        pages = newest_published(cluster)
        meetings = [p for p in pages if isinstance(p, MeetingPage)]
        minutes = [p for p in pages if isinstance(p, MinutesPage)]
        by_path = {
            meeting.path: meeting
            for meeting in MeetingPage.objects.filter(
                path__in={m.path[: -Page.steplen] for m in minutes}
            )
        }
        for page in minutes:
            page.feed_meeting = by_path.get(page.path[: -Page.steplen])
        all_meetings = meetings + [m.feed_meeting for m in minutes if m.feed_meeting]
        self._titles = agenda_titles([m.pk for m in all_meetings])
        self._clusters = cluster_titles(all_meetings)
        return pages

    def _meeting(self, page):
        return page if isinstance(page, MeetingPage) else page.feed_meeting

    def item_title(self, page):
        """“Referat: Klyngestyregruppe Midt, 6. november 2019”: what it is,
        whose and when, as people name a meeting (the pages' own titles
        often repeat “Referat fra …” or leave out the cluster)."""
        meeting = self._meeting(page)
        if meeting is None:  # minutes whose meeting is gone: nothing better
            return _("Referat: %(title)s") % {"title": page.title}
        name = _("%(cluster)s, %(date)s") % {
            "cluster": self._clusters.get(meeting.pk) or meeting.title,
            "date": danish_day(meeting.start),
        }
        if isinstance(page, MinutesPage):
            return _("Referat: %(meeting)s") % {"meeting": name}
        title = _("Dagsorden: %(meeting)s") % {"meeting": name}
        if page.cancelled:
            title += " " + _("(aflyst)")
        return title

    def item_description(self, page):
        """Plain lines, escaped: readers treat the description as HTML."""
        meeting = self._meeting(page)
        lines = []
        if meeting:
            # The page's own title, which the entry's title leaves out.
            lines.append(meeting.title)
            cluster = self._clusters.get(meeting.pk)
            if cluster:
                lines.append(cluster)
            lines.append(danish_meeting_time(meeting.start, meeting.end))
        if isinstance(page, MinutesPage):
            if page.summary:
                lines.append(Truncator(plain_text(page.summary)).words(60))
        elif meeting:
            if meeting.cancelled:
                lines.append(_("Mødet er aflyst."))
            lines += self._titles.get(meeting.pk, [])
        return "<br>\n".join(escape(line) for line in lines)

    def item_link(self, page):
        return page.url

    def item_guid(self, page):
        return f"{page.translation_key}@klyngeportal"

    item_guid_is_permalink = False

    def item_pubdate(self, page):
        return page.first_published_at

    def item_updateddate(self, page):
        return page.last_published_at

    def item_categories(self, page):
        return [_("Referat") if isinstance(page, MinutesPage) else _("Dagsorden")]


class MeetingsAndMinutesAtomFeed(MeetingsAndMinutesFeed):
    feed_type = Atom1Feed

    def subtitle(self, cluster):
        return self.description(cluster)
