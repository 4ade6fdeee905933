"""What happens when a workflow completes. Named by the setting
WAGTAIL_FINISH_WORKFLOW_ACTION, which Wagtail reads while its models load, so
this module imports no models at the top."""

from contextvars import ContextVar

# True while the finished workflow publishes; signals.py tells such a publish
# from a superuser's override by it.
publishing_by_workflow = ContextVar("publishing_by_workflow", default=False)


def publish_approved(workflow_state, user=None):
    """Publish what the workflow approved.

    Completing the workflow is the authority to publish. Minutes go live only
    through it: their permission tester lets no one but a superuser publish
    them directly, although the cluster's groups hold `publish_page` on the
    cluster (sharing.py: for its meetings and agendas), so Wagtail's default
    action, which asks the last approver's permission to publish, would
    refuse. For minutes, that is exactly the revision
    the approvers signed, and only if its digest is still the one they
    signed (klynge_pages/signoff.py); for other pages, the latest revision,
    as Wagtail does. Who published is logged as usual.
    """
    page = workflow_state.content_object.specific
    signed_revision = getattr(page, "signed_revision", None)
    revision = (
        signed_revision(workflow_state)
        if signed_revision
        else page.get_latest_revision()
    )
    token = publishing_by_workflow.set(True)
    try:
        revision.publish(user=user, skip_permission_checks=True)
    finally:
        publishing_by_workflow.reset(token)
