from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from kb.admin.scale import CappedAdminPaginator, IndexedSortChangeList, without_text
from kb.admin.versioned import VersionedAdmin, VersionedAdminForm
from kb.services.common import recorded
from kb.services.counts import fields_to_save, link_counts_kept
from kb.models import Citation, Claim, Entity, NonClaim, Passage, Relation, Section, Source, SourceLink
from kb.selectors.claim_rules import alias_problems
from kb.selectors.claims import claims_found


class ReadOnlyAdmin(admin.ModelAdmin):
    """Structure is derived from the text by the importer: shown, never edited by hand."""

    paginator = CappedAdminPaginator
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return IndexedSortChangeList

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug", "version", "is_current", "kind", "reliability", "text_length", "imported_at"]
    list_filter = ["kind", "reliability", "is_current", "format", "is_synthetic"]
    search_fields = ["title", "slug", "publisher"]
    exclude = ["original"]

    def get_queryset(self, request):
        # The list shows none of the text; the change form shows it (but never the bytes).
        queryset = super().get_queryset(request).defer("original")
        match = request.resolver_match
        return queryset.defer("text") if match and match.url_name.endswith("_changelist") else queryset

    # Adding a source means importing a document: "Add" leads to the import page.
    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("kb.add_source")

    def add_view(self, request, form_url="", extra_context=None):
        from django.shortcuts import redirect

        return redirect("admin:kb_source_import")

    def get_urls(self):
        from kb.admin.imports import admin_urls

        return admin_urls(self) + super().get_urls()


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "source", "level", "parent", "start", "end"]
    list_filter = ["level"]
    list_select_related = ["source", "parent"]
    search_fields = ["title", "source__slug"]

    def get_queryset(self, request):
        # A queryset that already joins something gets no list_select_related from the change
        # list: both relations are joined here (a query per row for the parent otherwise).
        return without_text(super().get_queryset(request), "source").select_related("parent")


@admin.register(Passage)
class PassageAdmin(ReadOnlyAdmin):
    list_display = ["anchor", "source", "kind", "section", "start", "end", "note"]
    list_filter = ["kind"]
    list_select_related = ["source", "section"]
    search_fields = ["anchor", "source__slug"]
    sortable_by = []  # in the text's order (source, order: an index); any column would sort them all

    def get_queryset(self, request):
        return without_text(super().get_queryset(request), "source").select_related("section")  # as for sections


class EntityAdminForm(VersionedAdminForm):
    class Meta:
        model = Entity
        fields = "__all__"

    def clean_aliases(self):
        """Refuse an alias that is a common phrase ("the war"): the claim rule generic_alias."""
        aliases = self.cleaned_data.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValidationError("Aliases are a list of names.", code="invalid_aliases")
        # The entity's own names are not "other" names, whatever its slug becomes.
        slug = self.instance.slug if self.instance.pk else self.cleaned_data.get("slug", "")
        problems = alias_problems(slug, aliases)
        if problems:
            raise ValidationError([ValidationError(p.for_editor, code=p.code) for p in problems])
        return aliases


@admin.register(Entity)
class EntityAdmin(VersionedAdmin):
    form = EntityAdminForm
    list_display = ["name", "slug", "kind", "claim_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    paginator = CappedAdminPaginator
    show_full_result_count = False
    readonly_fields = ["claim_count"]

    def save_model(self, request, obj, form, change):
        # The claim count is the claim services' (kb.services.counts): never written back from the form.
        obj.save(update_fields=fields_to_save(obj) if change else None)


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ["source", "quote", "start", "end", "attribution", "stance", "anchoring"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return without_text(super().get_queryset(request), "source")


class ClaimAdminForm(VersionedAdminForm):
    def check_current(self, current) -> None:
        from kb.services.claims import ensure_open

        ensure_open(current)


@admin.register(Claim)
class ClaimAdmin(VersionedAdmin):
    """What the claim pages own (statement, date, credibility with its rationale, status, merges)
    is shown here, not edited: those pages enforce the rationale rule, closed claims and record
    why. The admin edits what no page does (key, entities, tags), against the version it drew."""

    form = ClaimAdminForm
    list_display = ["id", "statement", "status", "credibility", "date_edtf", "origin"]
    list_filter = ["status", "kind", "credibility", "origin"]
    search_fields = ["statement", "key"]  # searched by get_search_results, through the search index
    inlines = [CitationInline]
    # A search box, not a select of every entity: the form stays the same size at any scale.
    autocomplete_fields = ["entities"]
    raw_id_fields = ["merged_into", "suggested_match"]  # should they ever be edited here
    paginator = CappedAdminPaginator
    show_full_result_count = False
    ordering = ["-id"]  # the primary key's index: no sort of every claim for a page
    sortable_by = ["id"]  # any other column would sort a million claims for each page
    readonly_fields = [
        "statement", "kind", "status", "origin", "date_edtf", "date_earliest", "date_latest", "date_precision",
        "date_wording", "credibility", "rationale", "status_reason", "merged_into", "suggested_match",
    ]

    def get_changelist(self, request, **kwargs):
        return IndexedSortChangeList

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found, capped = claims_found(queryset, search_term)
        if capped:
            self.message_user(request, f"More than {capped:,} claims have these words: {capped:,} of them are "
                                       "listed. Add words to narrow the search.", messages.WARNING)
        return found, False

    def has_add_permission(self, request):
        return False  # a claim starts from a selection in the reader, with its citation

    def has_delete_permission(self, request, obj=None):
        return False  # retract it instead: retraction is recorded and reversible

    def save_model(self, request, obj, form, change):
        recorded(obj, request.user, "entities, tags or key edited in the admin")
        # The contested flag is the relation services' (kb.services.counts): never written back.
        obj.save(update_fields=fields_to_save(obj) if change else None)

    def save_related(self, request, form, formsets, change):
        # Entities and tags chosen here move their claim counts, in the admin's transaction (the form
        # locked the claim when it checked the version).
        with link_counts_kept(form.instance.pk):
            super().save_related(request, form, formsets, change)


@admin.register(Relation)
class RelationAdmin(ReadOnlyAdmin):
    """Relations are added and removed on the claim pages, with their history."""

    list_display = ["from_claim", "type", "to_claim"]
    list_filter = ["type"]
    list_select_related = ["from_claim", "to_claim"]
    ordering = ["-id"]  # the primary key's index: the model's order sorts every relation for a page
    sortable_by = []


@admin.register(SourceLink)
class SourceLinkAdmin(ReadOnlyAdmin):
    list_display = ["source", "kind", "target", "shared_share", "method"]
    list_select_related = ["source", "target"]

    def get_queryset(self, request):
        return without_text(super().get_queryset(request), "source", "target")


@admin.register(NonClaim)
class NonClaimAdmin(ReadOnlyAdmin):
    list_display = ["source", "reason", "quote"]
    list_filter = ["reason"]
    list_select_related = ["source"]

    def get_queryset(self, request):
        return without_text(super().get_queryset(request), "source")


from kb.admin import editing, tags  # noqa: E402,F401  (register the editing models and tags)
