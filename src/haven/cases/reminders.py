"""E-mail reminders of overdue work. They carry case references and kinds of work only:
never a name or anything else about the person, since mail leaves Haven's protection."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haven.agencies.models import Membership
from haven.cases.models import Task
from haven.cases.tasks import overdue

REMIND_AGAIN_AFTER = datetime.timedelta(days=1)


def _recipients_by_organisation(org_ids) -> dict[int, list[str]]:
    emails = defaultdict(set)
    members = (
        Membership.objects.filter(
            organisation_id__in=org_ids,
            is_active=True,
            user__is_active=True,
            role__in=["intake_officer", "case_worker", "supervisor"],
        )
        .exclude(user__email="")
        .values_list("organisation_id", "user__email")
    )
    for org_id, email in members:
        emails[org_id].add(email)
    return {org_id: sorted(addresses) for org_id, addresses in emails.items()}


def send_overdue_reminders(now=None) -> int:
    """Mail each organisation's staff the overdue tasks not reminded in the last day."""
    now = now or timezone.now()
    from haven.referrals.actions import return_overdue_referrals

    return_overdue_referrals(now)  # unanswered referrals go back to their senders first
    due = (
        overdue(Task.objects.filter(done_at__isnull=True))
        .exclude(reminded_at__gt=now - REMIND_AGAIN_AFTER)
        .select_related("case")
    )
    by_org = defaultdict(list)
    for task in due:
        by_org[task.organisation_id].append(task)
    recipients = _recipients_by_organisation(by_org)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for org_id, org_tasks in by_org.items():
            if not recipients.get(org_id):
                continue
            lines = [
                f"- {t.case.reference}: {t.get_kind_display()} "
                f"({timezone.localtime(t.due_at):%Y-%m-%d})"
                for t in org_tasks
            ]
            send_mail(
                _("Haven: %(n)s overdue items") % {"n": len(org_tasks)},
                _("These items are overdue. Open Haven to see them:") + "\n" + "\n".join(lines),
                settings.DEFAULT_FROM_EMAIL,
                recipients[org_id],
            )
            Task.objects.filter(pk__in=[t.pk for t in org_tasks]).update(reminded_at=now)
            sent += 1
    return sent
