"""The review queue of possible matches, merges with their undo, and the registry-wide search
that fills the queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
    if not policy.can_review_matches(user):
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
    return render(
        request,
        "people/review_queue.html",
        {
            "pending": pending,
            "merges": merges,
            "search": actions.latest_registry_search(),
        },
    )


def _may_search_registry(user) -> None:
    # Starting a search names no person, so refusing it hides nothing: 403, not 404.
    if not policy.can_review_matches(user):
        raise PermissionDenied("Not available")


@login_required
@require_POST
def registry_search(request):
    _may_search_registry(request.user)
    _job, created = actions.queue_registry_search(user=request.user, language=request.LANGUAGE_CODE)
    if created:
        messages.success(
            request,
            _(
                "The search of the whole registry is queued. New pairs will appear here "
                "when it is done."
            ),
        )
    else:
        messages.info(
            request,
            _(
                "A search of the whole registry is already waiting or running; no second one "
                "was queued."
            ),
        )
    return redirect("people:review")


@login_required
@require_GET
def registry_search_progress(request):
    _may_search_registry(request.user)
    search = actions.latest_registry_search()
    response = render(request, "people/_registry_search.html", {"search": search})
    if request.htmx and search is not None and search.finished:
        response["HX-Refresh"] = "true"  # show the pairs it added
    return response


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
