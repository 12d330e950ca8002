from django import template

from haven.audit.labels import action_label

register = template.Library()
register.filter("action_label", action_label)
