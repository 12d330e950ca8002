import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps no facts")
def test_refresh_statistics_says_the_facts_are_postgresqls():
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("refresh_statistics")
