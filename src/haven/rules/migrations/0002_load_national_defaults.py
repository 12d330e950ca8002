"""National defaults for deadlines, caps, schedules and eligibility, each with its source.

"to confirm" marks a documented default that awaits a legal reading; administrators edit
or supersede rows (a new row with a later valid_from), never code.
"""

import datetime

from django.db import migrations

SINCE_LAW_53 = datetime.date(2025, 7, 1)
LONG_AGO = datetime.date(2012, 1, 1)

ALL_TYPES = ["essential_needs", "medical", "interpretation", "legal_information", "legal_aid",
             "travel_costs", "psychological", "schooling", "vocational", "allowance"]
ELIGIBILITY = {
    "victim": ALL_TYPES,
    "accompanying_child": ALL_TYPES[:8],
    "being_identified_abroad": ALL_TYPES[:4],
    "being_identified_in_vietnam": ALL_TYPES[:7],
    "foreigner": ["essential_needs", "medical", "interpretation", "legal_information",
                  "legal_aid", "psychological"],
}

DEFAULTS = [
    ("support.eligibility", ELIGIBILITY, LONG_AGO,
     "Law 53/2024/QH15 Art. 37 (also applied to cases before 1 July 2025 pending a reading "
     "of Law 66/2011 and Decree 09/2013; to confirm)",
     "Support types each identification status is eligible for"),
    ("deadline.self_report_verification_days", 3, LONG_AGO,
     "Law 53/2024/QH15 Art. 27 (initial verification within 3 days)",
     "Days from a self-report to the initial verification with police"),
    ("cap.essential_needs_days", 120, LONG_AGO, "Decree 162/2025/ND-CP Art. 17",
     "Days of essential-needs support before an extension is needed"),
    ("schedule.follow_up_months", [1, 3, 6, 12], LONG_AGO,
     "Haven default from practitioners' guidance (to confirm per province)",
     "Months after reintegration at which follow-up visits are due"),
    ("schedule.risk_review_days", {"high": 7, "medium": 30, "low": 90}, LONG_AGO,
     "Haven default (to confirm)", "Days until a risk assessment must be repeated"),
    ("deadline.return_step_days",
     {"verify_identity": 15, "coordinate_foreign_agency": 15, "arrange_papers": 30,
      "arrange_travel": 30, "receive_at_border": 45, "hand_over_to_social_affairs": 46,
      "escort_or_notify_relatives": 46},
     LONG_AGO, "Haven default (Law 53/2024/QH15 Art. 30 sets no day counts; to confirm)",
     "Days from the start of a return to each step's due date"),
    ("deadline.identification_days", 30, LONG_AGO, "Haven default (to confirm)",
     "Days from reception to an identification decision, for routes without a legal limit"),
    ("deadline.closure_approval_days", 7, LONG_AGO, "Haven default (to confirm)",
     "Days a supervisor has to approve or refuse a closure"),
    ("identification.authorised_roles", ["public_security", "defence", "social_affairs"],
     LONG_AGO, "Law 53/2024/QH15 Art. 32 (which bodies decide: to confirm)",
     "Framework roles whose organisations may decide identification"),
]


def load(apps, schema_editor):
    Parameter = apps.get_model("rules", "Parameter")
    for key, value, since, source, description in DEFAULTS:
        Parameter.objects.update_or_create(
            key=key, province=None, valid_from=since,
            defaults={"value": value, "source": source, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
