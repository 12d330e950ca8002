"""Consent and sharing: each change atomic, on the case timeline and in the audit log."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from haven.access.models import ALL_SECTIONS, Consent, Section, Share
from haven.audit import log as audit
from haven.errors import ActionRefused

# What an organisation receiving the person in a handover needs to take her in (Law 53/2024
# Art. 30; framework Art. 8): everything but the legal file.
HANDOVER_SECTIONS = frozenset(ALL_SECTIONS - {Section.LEGAL})
# Stored in English and translated when shown (gettext_noop marks it for the catalogue), so
# each reader sees it in her language; bases typed by users stay as typed.
HANDOVER_LEGAL_BASIS = gettext_noop("Law 53/2024/QH15 Art. 30; coordination framework Art. 8")


def _event(case, kind, user, organisation, **data):
    from haven.cases.actions import add_event  # cases.actions imports this module

    add_event(case, kind, user=user, organisation=organisation, **data)


@transaction.atomic
def record_consent(
    *,
    user,
    organisation,
    case,
    purpose,
    decision,
    informed_in_language,
    decided_at=None,
    recipient_organisation=None,
    recipient_kind="",
    given_by=Consent.GivenBy.PERSON,
    representative_name="",
    interpreter_used=False,
) -> Consent:
    """Record her decision on one purpose. A child's consent is given by a representative."""
    if decision == Consent.Decision.WITHDRAWN:
        raise ActionRefused(_("Record a decision first; withdraw it afterwards."), field="decision")
    if purpose == Consent.Purpose.SHARE and not (recipient_organisation or recipient_kind):
        raise ActionRefused(
            _(
                "Say which organisation, or which kind of organisation, "
                "this consent to share is for."
            ),
            field="recipient_organisation",
        )
    if case.person.is_child and given_by != Consent.GivenBy.REPRESENTATIVE:
        raise ActionRefused(
            _("She is a child: consent is given by her legal representative."), field="given_by"
        )
    if given_by == Consent.GivenBy.REPRESENTATIVE and not representative_name.strip():
        raise ActionRefused(
            _("Enter the legal representative's name."), field="representative_name"
        )
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        decision=decision,
        recipient_organisation=recipient_organisation,
        recipient_kind=recipient_kind,
        given_by=given_by,
        representative_name=representative_name,
        informed_in_language=informed_in_language,
        interpreter_used=interpreter_used,
        decided_at=decided_at or timezone.now(),
        recorded_by=user,
    )
    _event(
        case, "consent", user, organisation, consent=consent.pk, purpose=purpose, decision=decision
    )
    audit.record(
        "consent.record",
        user=user,
        organisation=organisation,
        obj=consent,
        details={"case": case.reference, "purpose": purpose, "decision": decision},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, user, organisation, consent: Consent) -> list[Share]:
    """Withdraw a given consent; every share resting on it ends in the same transaction."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.decision != Consent.Decision.GIVEN:
        raise ActionRefused(_("Only a consent that was given can be withdrawn."))
    now = timezone.now()
    consent.decision = Consent.Decision.WITHDRAWN
    consent.withdrawn_at = now
    consent.save(update_fields=["decision", "withdrawn_at"])
    ended = list(consent.shares.filter(ended_at__isnull=True))
    for share in ended:
        _end(share, now, gettext_noop("consent withdrawn"))
    _event(
        consent.case,
        "consent",
        user,
        organisation,
        consent=consent.pk,
        purpose=consent.purpose,
        decision=Consent.Decision.WITHDRAWN,
        shares_ended=[s.pk for s in ended],
    )
    audit.record(
        "consent.withdraw",
        user=user,
        organisation=organisation,
        obj=consent,
        details={"case": consent.case.reference, "shares_ended": [s.pk for s in ended]},
    )
    return ended


def _end(share: Share, at, reason: str) -> None:
    share.ended_at = at
    share.ended_reason = reason
    share.save(update_fields=["ended_at", "ended_reason"])


def check_basis(*, user_is_supervisor, case, organisation, basis, consent, legal_basis):
    """Refuse (ActionRefused) unless `basis` lets `case` be shared with `organisation`:
    a given consent to share that covers it, or a cited legal basis. Shares and referrals
    both rest on this check."""
    if basis == Share.Basis.CONSENT:
        if consent is None:
            raise ActionRefused(_("Choose the consent this share rests on."), field="consent")
        if consent.case_id != case.pk or consent.purpose != Consent.Purpose.SHARE:
            raise ActionRefused(
                _("That consent is not a consent to share this case."), field="consent"
            )
        if consent.decision != Consent.Decision.GIVEN:
            raise ActionRefused(_("That consent was refused or withdrawn."), field="consent")
        if not consent.covers(organisation):
            raise ActionRefused(
                _("That consent does not cover this organisation."), field="consent"
            )
        return
    if not legal_basis.strip():
        raise ActionRefused(_("Cite the decision, order or provision of law."), field="legal_basis")
    if basis == Share.Basis.BEST_INTERESTS and not case.person.is_child:
        raise ActionRefused(_("A best-interests decision applies to children only."), field="basis")
    if basis == Share.Basis.BEST_INTERESTS and not user_is_supervisor:
        raise ActionRefused(
            _("Only a supervisor can decide in a child's best interests."), field="basis"
        )


@transaction.atomic
def share_case(
    *,
    user,
    organisation,
    case,
    recipient,
    sections,
    basis,
    consent=None,
    legal_basis: str = "",
    user_is_supervisor: bool = False,
) -> Share:
    """Open `sections` of `case` to `recipient` on a consent or a recorded legal basis."""
    sections = frozenset(sections)
    if not sections or not sections <= ALL_SECTIONS:
        raise ActionRefused(_("Choose at least one section to share."), field="sections")
    if recipient.pk == case.owner_id:
        raise ActionRefused(_("This organisation already owns the case."), field="recipient")
    check_basis(
        user_is_supervisor=user_is_supervisor,
        case=case,
        organisation=recipient,
        basis=basis,
        consent=consent,
        legal_basis=legal_basis,
    )
    share = Share.objects.create(
        case=case,
        organisation=recipient,
        sections=",".join(sorted(sections)),
        basis=basis,
        consent=consent if basis == Share.Basis.CONSENT else None,
        legal_basis=legal_basis,
        created_by=user,
    )
    _event(
        case,
        "share",
        user,
        organisation,
        share=share.pk,
        recipient=recipient.pk,
        sections=sorted(sections),
        basis=basis,
    )
    audit.record(
        "share.create",
        user=user,
        organisation=organisation,
        obj=share,
        details={
            "case": case.reference,
            "recipient": recipient.pk,
            "sections": sorted(sections),
            "basis": basis,
        },
    )
    return share


@transaction.atomic
def end_share(*, user, organisation, share: Share, reason: str = "") -> Share:
    share = Share.objects.select_for_update().get(pk=share.pk)
    if share.ended_at is not None:
        raise ActionRefused(_("This share has already ended."))
    _end(share, timezone.now(), reason or gettext_noop("ended by the owning organisation"))
    _event(
        share.case,
        "share_ended",
        user,
        organisation,
        share=share.pk,
        recipient=share.organisation_id,
    )
    audit.record(
        "share.end",
        user=user,
        organisation=organisation,
        obj=share,
        details={"case": share.case.reference},
    )
    return share


def share_for_handover(*, user, case, recipient) -> Share:
    """Handing the person over opens her case to the receiver, as the law requires."""
    share = Share.objects.create(
        case=case,
        organisation=recipient,
        sections=",".join(sorted(HANDOVER_SECTIONS)),
        basis=Share.Basis.LAW,
        legal_basis=HANDOVER_LEGAL_BASIS,
        created_by=user,
    )
    return share
