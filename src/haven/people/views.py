"""The review queue of possible matches, and merges with their undo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.access import policy
from haven.audit import log as audit
from haven.errors import ActionRefused
from haven.people import actions
from haven.people.models import MatchDecision, Merge


def _visible_person_ids(user):
    if not policy.organisation_ids(user, policy.CASE_READER_ROLES):
        raise Http404("Not available")
    return policy.cases_with_section(user, "identity").values("person_id")


def _pending_for(user):
    visible = _visible_person_ids(user)
    return MatchDecision.objects.filter(
        decision=MatchDecision.Decision.PENDING, person_a__in=visible, person_b__in=visible
    ).select_related("person_a", "person_b")


@login_required
@require_GET
def review_queue(request):
    pending = _pending_for(request.user)[:100]
    visible = _visible_person_ids(request.user)
    merges = Merge.objects.filter(
        kept__in=visible, merged__in=visible, undone_at__isnull=True
    ).select_related("kept", "merged", "merged_by")[:50]
    audit.record("match.queue_view", user=request.user, details={"pending": len(pending)})
    return render(request, "people/review_queue.html", {"pending": pending, "merges": merges})


@login_required
@require_POST
def decide(request, pk):
    match = get_object_or_404(_pending_for(request.user), pk=pk)
    same = request.POST.get("decision") == "same"
    try:
        actions.decide_match(user=request.user, match=match, same=same)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Merged: she is now counted once.")
            if same
            else _("Kept apart as different persons."),
        )
    return redirect("people:review")


@login_required
@require_POST
def undo(request, pk):
    visible = _visible_person_ids(request.user)
    merge = get_object_or_404(Merge.objects.filter(kept__in=visible, merged__in=visible), pk=pk)
    try:
        actions.undo_merge(user=request.user, merge=merge)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The merge was undone; both records stand alone again."))
    return redirect("people:review")
