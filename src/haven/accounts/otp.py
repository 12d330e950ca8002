"""Who must use a second factor, and their authenticator (TOTP) device.

A second factor is required of everyone who can read identities: members holding one of the
access policy's case-reading roles; administrators, who can give any account such a role; and
staff, whose Django admin bypasses the access policy. HAVEN_2FA_REQUIRED=0 (the demo's
default) switches the requirement off, never silently: see `templatetags/accounts.py`.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.access import policy
from haven.agencies.models import Role

DEVICE_NAME = "authenticator"
SECOND_FACTOR_ROLES = {*policy.CASE_READER_ROLES, Role.ADMINISTRATOR}


def enforced() -> bool:
    return settings.HAVEN_2FA_REQUIRED


def needs_second_factor(user) -> bool:
    """True if `user` may only work once verified by a second factor (when enforced)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(policy.organisation_ids(user, SECOND_FACTOR_ROLES))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The user's device being enrolled, kept until confirmed so a reload shows the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def readable_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URI as an inline SVG QR code, drawn on the server (no script).

    segno writes only numbers and escapes the title, so the markup is safe to embed.
    """
    code = segno.make(device.config_url, error="m")
    return code.svg_inline(
        scale=5,
        dark="#000",
        light="#fff",
        svgclass="qr",
        title=_("QR code for your authenticator app"),
    )
