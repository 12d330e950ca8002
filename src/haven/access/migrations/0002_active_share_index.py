"""An index of the active shares only: (organisation, case) where the share has not ended.

Every access question of a user in an organisation cases are shared with starts by reading
that organisation's active shares (`policy.cases_visible_to`, `cases_with_section`). The
index on (organisation, ended_at) finds them but then reads each share row for its case;
this one holds the case ids of the active shares alone, so the list is read from the index.

Plain SQL that SQLite and PostgreSQL both run. It is not part of the model state (the
Share model is unchanged), so `makemigrations` stays clean.
"""

from django.db import migrations

INDEX = "access_share_active_case"

CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON access_share (organisation_id, case_id)"
    " WHERE ended_at IS NULL"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


class Migration(migrations.Migration):
    dependencies = [("access", "0001_consent_and_shares")]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
