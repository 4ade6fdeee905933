"""What happens when a workflow completes. Named by the setting
WAGTAIL_FINISH_WORKFLOW_ACTION, which Wagtail reads while its models load, so
this module imports no models at the top."""

from contextvars import ContextVar

# True while the finished workflow publishes; signals.py tells such a publish
# from a superuser's override by it.
publishing_by_workflow = ContextVar("publishing_by_workflow", default=False)


def publish_approved(workflow_state, user=None):
    """Publish the approved revision.

    Completing the workflow is the authority to publish: the cluster's
    approvers hold no publish permission of their own, so that minutes go
    live only through the workflow (Wagtail's default action checks the last
    approver's publish permission). Who published is logged as usual.
    """
    revision = workflow_state.content_object.get_latest_revision()
    token = publishing_by_workflow.set(True)
    try:
        revision.publish(user=user, skip_permission_checks=True)
    finally:
        publishing_by_workflow.reset(token)
