import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_overdue_work_is_mailed_once_a_day_without_personal_data(personas):
    personas.border_guard.email = "guard@example.org"
    personas.border_guard.save()
    with time_machine.travel(datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC), tick=False):
        case = make_case(
            personas.border_guard,
            personas.border_post_laocai,
            person={"full_name": "Lò Thị Mỷ"},
            reception={
                "entry_route": "self_report",
                "reported_at": "commune",
                "border_kind": "",
                "handed_over_by": "",
                "received_at": timezone.now(),
            },
        )
    with time_machine.travel(datetime.datetime(2026, 3, 5, 8, tzinfo=datetime.UTC), tick=False):
        call_command("send_reminders")
        call_command("send_reminders")  # the same day: not again
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["guard@example.org"]
    assert case.reference in message.body
    assert "Lò Thị Mỷ" not in message.body and "Mỷ" not in message.subject
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, tzinfo=datetime.UTC), tick=False):
        call_command("send_reminders")
    assert len(mail.outbox) == 2


def test_nothing_is_mailed_when_nothing_is_overdue(personas):
    personas.border_guard.email = "guard@example.org"
    personas.border_guard.save()
    make_case(personas.border_guard, personas.border_post_laocai)
    call_command("send_reminders")
    assert mail.outbox == []
