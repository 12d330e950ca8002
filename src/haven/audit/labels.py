"""Readable names of audit actions, for the access log people read."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "case.view": _("opened the case"),
    "case.search": _("searched cases"),
    "case.transition": _("changed the status"),
    "case.transfer": _("transferred the case"),
    "case.access_log": _("read this access log"),
    "case.reopen": _("reopened the case"),
    "case.return_wish": _("recorded her wish after return"),
    "reception.create": _("recorded a reception"),
    "document.create": _("added a document"),
    "document.download": _("downloaded a document"),
    "handover.create": _("recorded a handover"),
    "consent.record": _("recorded a consent decision"),
    "consent.withdraw": _("recorded a consent withdrawal"),
    "share.create": _("shared the case"),
    "share.end": _("ended a share"),
    "screening.create": _("recorded a screening"),
    "identification.decide": _("recorded an identification decision"),
    "service.add": _("added a service"),
    "service.deliver": _("recorded a delivered service"),
    "service.decline": _("recorded a declined service"),
    "closure.request": _("requested closure"),
    "closure.approve": _("approved closure"),
    "closure.refuse": _("refused closure"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
