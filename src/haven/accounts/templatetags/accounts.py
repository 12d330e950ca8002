"""{% two_factor_notice %}: a visible notice wherever two-factor authentication is off."""

from django import template

from haven.accounts import otp

register = template.Library()


@register.inclusion_tag("accounts/_two_factor_notice.html")
def two_factor_notice():
    return {"two_factor_off": not otp.enforced()}
