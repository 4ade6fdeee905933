"""“Tilføj klyngens medlemmer”: invite a body's members to its meeting in one
click on the meeting's participants panel.

A cluster's members are people, not organisations: the people in the
register ("Personer") who belong to the cluster (`Person.cluster`) and work
for one of its member organisations (`ClusterPage.memberships`). Neither
alone will do. Region Nordjylland and PLO are members of every political
cluster, so "everyone at a member organisation" would invite Klynge Nord's
regional politicians to Klynge Midt; and someone registered with the cluster
whose organisation is not (or no longer) a member is a guest, added by hand.
The demo registers the participants of Klyngestyregruppe Midt's minutes with
that steering group in the same way.

The browser asks `cluster_members_view` for them (meeting_editor.js); it
answers only those who may add or edit the cluster's meetings, with what the
person chooser would show them anyway.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .models import Attendance, ClusterPage, ParticipantRole, Person
from .permissions import ClusterRegisterPolicy, may_invite_members


def cluster_members(cluster):
    """The people of `cluster`'s member organisations registered with the
    cluster: by the memberships' order, then by name."""
    order = {
        membership.organisation_id: position
        for position, membership in enumerate(cluster.memberships.all())
    }
    people = Person.objects.filter(
        cluster=cluster, organisation_id__in=list(order)
    ).select_related("organisation")
    return sorted(
        people, key=lambda person: (order[person.organisation_id], person.name)
    )


def _edit_url(person, user, policy):
    if not policy.user_has_permission_for_instance(user, "change", person):
        return None
    return reverse(Person.snippet_viewset.get_url_name("edit"), args=(person.pk,))


def cluster_members_view(request, cluster_id):
    """The members as the person chooser's state ({id, string, edit_url}),
    each with the role and attendance a new participant row gets."""
    cluster = get_object_or_404(ClusterPage, pk=cluster_id)
    if not may_invite_members(request.user, cluster):
        raise PermissionDenied
    policy = ClusterRegisterPolicy(Person)
    return JsonResponse(
        {
            "members": [
                {
                    "id": person.pk,
                    "string": str(person),
                    "edit_url": _edit_url(person, request.user, policy),
                    # The chair is the host's ("værten leder mødet"), which
                    # rotates: the editor names them; the others are members.
                    "role": ParticipantRole.MEMBER,
                    "attendance": Attendance.INVITED,
                }
                for person in cluster_members(cluster)
            ]
        }
    )
