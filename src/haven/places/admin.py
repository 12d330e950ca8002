from django.contrib import admin

from haven.places.models import Commune, Country, Ethnicity, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "valid_from", "valid_to", "successor"]
    search_fields = ["name_vi", "name_en", "code"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "province"]
    search_fields = ["name_vi", "code"]
    list_select_related = ["province"]


admin.site.register(Country)
admin.site.register(Ethnicity)
