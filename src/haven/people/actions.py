"""Answers about possible matches, merges and their undoing, and the registry-wide search.

Every original record is kept: a merge only points one Person at another (`merged_into`),
so statistics count her once and undo restores exactly what was there.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access import policy
from haven.audit import log as audit
from haven.errors import ActionRefused
from haven.people.linkage import find_duplicates
from haven.people.matching import record_of
from haven.people.models import MatchDecision, Merge, Person
from haven.reports.models import ReportJob

logger = logging.getLogger(__name__)


def can_see(user, person: Person) -> bool:
    """Whether the user sees the identity of some case of this person."""
    return policy.cases_with_section(user, "identity").filter(person=person).exists()


def contact_for(person: Person):
    """The organisation to contact about a person the user may not see."""
    case = person.cases.select_related("owner").order_by("-opened_at").first()
    return case.owner if case else None


def _pair(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if a.pk < b.pk else (b, a)


def note_match(a: Person, b: Person, *, score, explanation, source, decision=None, user=None):
    """Record (or update) what is known about a pair; a decided pair stays decided."""
    first, second = _pair(a, b)
    row, created = MatchDecision.objects.get_or_create(
        person_a=first,
        person_b=second,
        defaults={"score": score, "explanation": explanation, "source": source},
    )
    if decision and row.decision == MatchDecision.Decision.PENDING:
        row.decision, row.decided_by, row.decided_at = decision, user, timezone.now()
        row.save(update_fields=["decision", "decided_by", "decided_at"])
    return row


@transaction.atomic
def decide_match(*, user, match: MatchDecision, same: bool) -> MatchDecision:
    """A reviewer's answer. "Same person" merges the later record into the earlier one."""
    if match.decision != MatchDecision.Decision.PENDING:
        raise ActionRefused(_("This pair has already been decided."))
    if not (can_see(user, match.person_a) and can_see(user, match.person_b)):
        raise ActionRefused(_("You may decide only about persons whose records you can see."))
    match.decision = MatchDecision.Decision.SAME if same else MatchDecision.Decision.DIFFERENT
    match.decided_by, match.decided_at = user, timezone.now()
    match.save(update_fields=["decision", "decided_by", "decided_at"])
    audit.record(
        "match.decide",
        user=user,
        obj=match,
        details={"same": same, "persons": [match.person_a_id, match.person_b_id]},
    )
    if same:
        merge_persons(user=user, kept=match.person_a, merged=match.person_b, match=match)
    return match


@transaction.atomic
def merge_persons(*, user, kept: Person, merged: Person, match=None) -> Merge:
    kept = Person.objects.select_for_update().get(pk=kept.canonical_id)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if kept.pk == merged.pk or merged.merged_into_id == kept.pk:
        raise ActionRefused(_("These records are already one person."))
    # Records already linked to `merged` follow it to `kept`, so links stay one level deep.
    followers = list(Person.objects.filter(merged_into=merged).values_list("pk", flat=True))
    Person.objects.filter(pk__in=followers).update(merged_into=kept)
    Person.objects.filter(pk=merged.pk).update(merged_into=kept)
    record = Merge.objects.create(
        kept=kept, merged=merged, repointed=followers, match=match, merged_by=user
    )
    audit.record(
        "person.merge",
        user=user,
        obj=record,
        details={"kept": kept.pk, "merged": merged.pk, "repointed": followers},
    )
    return record


@transaction.atomic
def undo_merge(*, user, merge: Merge) -> Merge:
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ActionRefused(_("This merge has already been undone."))
    Person.objects.filter(pk=merge.merged_id).update(merged_into=None)
    Person.objects.filter(pk__in=merge.repointed).update(merged_into=merge.merged_id)
    merge.undone_at, merge.undone_by = timezone.now(), user
    merge.save(update_fields=["undone_at", "undone_by"])
    if merge.match_id:
        MatchDecision.objects.filter(pk=merge.match_id).update(
            decision=MatchDecision.Decision.DIFFERENT, decided_by=user, decided_at=timezone.now()
        )
    audit.record(
        "person.merge_undo",
        user=user,
        obj=merge,
        details={"kept": merge.kept_id, "merged": merge.merged_id},
    )
    return merge


# How far a registry search is once it has read the registry, and once linkage is done; the
# rest is saving pairs.
READ_SHARE, LINKED_SHARE = 0.2, 0.8


def dedupe_registry(progress=None, batch: int = 5000) -> int:
    """Run linkage over every unmerged person; add new candidate pairs to the review queue.

    Returns the number of pairs added. Pairs already in the queue (decided or not) are left.
    `progress(fraction, message)`, if given, hears how far the search is (0 to 1) and its step.
    """
    report = progress or (lambda fraction, message: None)
    people = Person.objects.filter(merged_into__isnull=True).select_related(
        "home_province", "home_commune"
    )
    total = max(1, people.count())
    records = []
    report(0.0, _("Reading the registry"))
    for person in people.iterator(chunk_size=batch):
        records.append(record_of(person))
        if len(records) % batch == 0:
            report(READ_SHARE * min(1, len(records) / total), _("Reading the registry"))
    report(READ_SHARE, _("Comparing records"))
    pairs, _model = find_duplicates(records, progress=_linkage_steps(report))
    added = 0
    for done, pair in enumerate(pairs, 1):
        a, b = sorted((int(pair.rec_id_a), int(pair.rec_id_b)))
        _row, created = MatchDecision.objects.get_or_create(
            person_a_id=a,
            person_b_id=b,
            defaults={"score": pair.score, "source": MatchDecision.Source.REGISTRY},
        )
        added += created
        if done % 500 == 0:
            share = LINKED_SHARE + (1 - LINKED_SHARE) * done / len(pairs)
            report(share, _("Adding pairs to the review queue"))
    audit.record("match.registry_search", details={"records": len(records), "added": added})
    report(1.0, _("Done"))
    return added


def _linkage_steps(report):
    """The linkage engine names its steps but cannot say how far it is: each step moves the
    bar a quarter of the way still left before saving, and its words go to the log."""
    reached = READ_SHARE

    def step(message: str) -> None:
        nonlocal reached
        logger.info("registry search: %s", message)
        reached += (LINKED_SHARE - reached) / 4
        report(reached, _("Comparing records"))

    return step


def queue_registry_search(*, user, language: str = "vi") -> tuple[ReportJob, bool]:
    """Ask `haven worker` to run `dedupe_registry`, unless a search is already waiting or
    running: (that job, whether it is new). The database holds at most one such job (a
    partial unique constraint), so two requests at the same moment still queue one."""
    active = active_registry_search()
    if active is not None:
        return active, False
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(
                kind=ReportJob.Kind.REGISTRY_DEDUPE,
                requested_by=user,
                params={"language": language},
            )
            audit.record("match.registry_search.queue", user=user, obj=job)
    except IntegrityError:  # another request queued one in between
        return active_registry_search() or latest_registry_search(), False
    return job, True


def active_registry_search() -> ReportJob | None:
    return (
        ReportJob.objects.filter(
            kind=ReportJob.Kind.REGISTRY_DEDUPE,
            status__in=[ReportJob.Status.PENDING, ReportJob.Status.RUNNING],
        )
        .order_by("-created_at")
        .first()
    )


def latest_registry_search() -> ReportJob | None:
    return (
        ReportJob.objects.filter(kind=ReportJob.Kind.REGISTRY_DEDUPE)
        .select_related("requested_by")
        .order_by("-created_at")
        .first()
    )
