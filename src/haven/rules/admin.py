from django.contrib import admin

from haven.rules.models import Parameter


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ["key", "province", "valid_from", "valid_to", "source"]
    list_filter = ["key", "province"]
    search_fields = ["key", "source"]
