from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "haven.audit"
    verbose_name = _("Audit")

    def ready(self):
        from haven.audit import signals  # noqa: F401  (login and failed-login records)
