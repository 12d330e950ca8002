from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "haven.agencies"
    verbose_name = _("Organisations and users")
