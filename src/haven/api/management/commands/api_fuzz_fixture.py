"""A small world for fuzzing the API (`.ci/fuzz-api`): never run it on a real database."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from haven.agencies.models import Membership, Organisation, Role, User
from haven.api import clients
from haven.api.models import Scope
from haven.cases import actions
from haven.places.models import Province


class Command(BaseCommand):
    help = "Create an organisation, a case and an API client with every scope; print the token."

    def handle(self, *args, **options):
        if Organisation.objects.filter(code="fuzz-centre").exists():
            raise CommandError("already run on this database")
        if not settings.DEBUG and "fuzz" not in str(settings.VAR_DIR):
            self.stderr.write("note: creating fuzzing data outside a throw-away directory")
        centre = Organisation.objects.create(
            code="fuzz-centre",
            name_vi="Trung tâm thử",
            name_en="Fuzz centre",
            kind="facility",
            framework_role="social_affairs",
        )
        other = Organisation.objects.create(
            code="fuzz-shelter",
            name_vi="Nhà tạm lánh thử",
            name_en="Fuzz shelter",
            kind="facility",
            framework_role="social_affairs",
        )
        worker = User.objects.create(username="fuzz-worker")
        Membership.objects.create(user=worker, organisation=centre, role=Role.CASE_WORKER)
        admin = User.objects.create(username="fuzz-admin")
        Membership.objects.create(user=admin, organisation=centre, role=Role.ADMINISTRATOR)
        for days in (3, 2):
            actions.receive_person(
                user=worker,
                organisation=centre,
                person_fields={
                    "full_name": "Nguyễn Thị Thử",
                    "sex": "F",
                    "other_names": "",
                    "languages": "",
                    "home_address": "",
                    "phone": "",
                },
                reception_fields={
                    "entry_route": "police",
                    "received_at": timezone.now() - datetime.timedelta(days=days),
                    "province": Province.objects.get(code="15"),
                },
            )
        _client, token = clients.create_client(
            admin=admin, organisation=centre, name="fuzz", scopes=Scope.values
        )
        assert other.pk
        self.stdout.write(token)
