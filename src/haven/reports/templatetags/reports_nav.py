from django import template

from haven.access import policy

register = template.Library()


@register.filter
def sees_statistics(user) -> bool:
    """Whether the main menu shows Statistics (analysts and supervisors)."""
    return policy.can_see_statistics(user)
