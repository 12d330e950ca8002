from django.contrib import admin

from haven.referrals.models import Activity, Assessment, Funding, Provider


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name_vi", "kind", "maintained_by", "places", "occupancy", "updated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_vi", "name_en"]
    inlines = [FundingInline]
    raw_id_fields = ["organisation", "maintained_by", "updated_by"]
    filter_horizontal = ["provinces"]
    exclude = ["communes"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["provider", "assessed_on", "kind", "assessor_organisation"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "held_from", "organiser"]
