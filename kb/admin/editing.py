"""Admin pages for annotations, review decisions and failed logins. Nothing here deletes history."""
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from kb.admin.scale import CappedAdminPaginator, without_text
from kb.admin.versioned import VersionedAdmin, VersionedAdminForm
from kb.services.annotations import annotation_set_hidden

from kb.models import Annotation, AnnotationReference, LoginFailure, ReviewDecision


class AnnotationReferenceInline(admin.TabularInline):
    model = AnnotationReference
    extra = 0
    can_delete = False
    fields = readonly_fields = ["url", "title", "publisher", "accessed"]

    def has_add_permission(self, request, obj=None):
        return False  # references are added by the note's author, whose page checks the address


class AnnotationAdminForm(VersionedAdminForm):
    def clean(self):
        data = super().clean()
        if data.get("is_hidden") and not (data.get("hidden_reason") or "").strip():
            self.add_error("hidden_reason", ValidationError("Say why it is hidden.", code="reason_required"))
        return data


@admin.register(Annotation)
class AnnotationAdmin(VersionedAdmin, SimpleHistoryAdmin):
    """A note is its author's: here an admin only hides or shows it (with a reason), through the
    same service as the hide button, and against the version the form was drawn from."""

    form = AnnotationAdminForm
    list_display = ["id", "kind", "author", "claim", "citation", "source", "is_hidden", "created_at"]
    list_filter = ["kind", "is_hidden"]
    search_fields = ["body", "quote", "author__username"]
    list_select_related = ["author", "claim", "citation__source", "source"]
    paginator = CappedAdminPaginator
    show_full_result_count = False
    fields = ["kind", "body", "claim", "citation", "source", "start", "end", "quote", "prefix", "suffix",
              "author", "created_at", "updated_at", "is_hidden", "hidden_reason"]
    readonly_fields = ["kind", "body", "claim", "citation", "source", "start", "end", "quote", "prefix", "suffix",
                       "author", "created_at", "updated_at"]
    inlines = [AnnotationReferenceInline]

    def get_queryset(self, request):
        # The change list adds no list_select_related to a queryset that already joins.
        return without_text(super().get_queryset(request), "source", "citation__source").select_related("author", "claim")

    def has_add_permission(self, request):
        return False  # notes are written on the claim pages and in the reader, with their target

    def has_delete_permission(self, request, obj=None):
        return False  # hide it instead: hiding is recorded and reversible

    def save_model(self, request, obj, form, change):
        annotation_set_hidden(annotation=obj, by=request.user, hidden=obj.is_hidden,
                              reason=obj.hidden_reason if obj.is_hidden else "")


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ["claim", "decision", "target", "editor", "decided_at"]
    list_filter = ["decision"]
    raw_id_fields = ["claim", "target", "editor"]
    list_select_related = ["claim", "target", "editor"]
    paginator = CappedAdminPaginator
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "ip", "at"]
    search_fields = ["username", "ip"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
