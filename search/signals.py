"""Queue the search documents of pages whose public state changed.

Publishing, unpublishing, deleting, moving and privacy changes write a
`PendingChange` in the same transaction; workflow approvals publish, so
they are covered by `page_published`. A change to a page reaches its
descendants where their visibility depends on it (an unpublished or private
cluster hides its meetings).
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from klynge_pages.models import ClusterPage

from . import outbox
from .engines.elasticsearch import forget_cluster_names


def with_descendants(page):
    return [page, *Page.objects.descendant_of(page).specific()]


def published(sender, instance, **kwargs):
    # Republishing a cluster or meeting can make the pages below it public
    # again (a meeting's minutes, a cluster's meetings).
    outbox.queue(with_descendants(instance))


def unpublished(sender, instance, **kwargs):
    outbox.queue(with_descendants(instance))


page_published.connect(published, dispatch_uid="search_page_published")
page_unpublished.connect(unpublished, dispatch_uid="search_page_unpublished")


@receiver(pre_delete, sender=Page, dispatch_uid="search_page_pre_delete")
def page_deleted(sender, instance, **kwargs):
    # Before the delete, while the page and its parent are still there:
    # deleting minutes changes their meeting's documents, deleting a meeting
    # removes its own (its owner row finds no page and deletes them).
    outbox.queue([instance])


@receiver(post_page_move, dispatch_uid="search_page_moved")
def page_moved(sender, instance, **kwargs):
    outbox.queue(with_descendants(instance))


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="search_privacy_saved")
@receiver(
    post_delete, sender=PageViewRestriction, dispatch_uid="search_privacy_deleted"
)
def privacy_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        outbox.queue(with_descendants(page.specific))


@receiver(post_save, sender=ClusterPage, dispatch_uid="search_cluster_saved")
@receiver(post_delete, sender=ClusterPage, dispatch_uid="search_cluster_deleted")
def cluster_changed(sender, instance, **kwargs):
    # The cluster facet's labels are cached (`cluster_names`).
    forget_cluster_names()
