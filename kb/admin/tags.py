"""Tags in the admin: named here, put on claims from each claim's form."""
from django.contrib import admin
from taggit.models import Tag

from kb.admin.scale import CappedAdminPaginator
from kb.selectors.entities import tag_claim_count, tag_in_use

# taggit's own TagAdmin puts every tagged item on a tag's form (a million claims: a page that
# never finishes) and merges tags item by item, around the kept counts and the claims' history.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "claim_count"]
    search_fields = ["name", "slug"]
    ordering = ["name", "id"]
    fields = ["name", "slug", "claim_count"]
    readonly_fields = ["claim_count"]
    prepopulated_fields = {"slug": ["name"]}
    paginator = CappedAdminPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("kept")

    @admin.display(description="published claims")
    def claim_count(self, tag):
        return tag_claim_count(tag)

    def has_delete_permission(self, request, obj=None):
        # Deleting a tag would take it off its claims with no trace in their history: only a
        # tag no claim carries may go (and never a whole selection at once).
        return obj is not None and not tag_in_use(obj) and super().has_delete_permission(request, obj)
