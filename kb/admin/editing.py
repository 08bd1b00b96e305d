"""Admin pages for annotations, review decisions and failed logins. Nothing here deletes history."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kb.models import Annotation, AnnotationReference, LoginFailure, ReviewDecision


class AnnotationReferenceInline(admin.TabularInline):
    model = AnnotationReference
    extra = 0
    can_delete = False


@admin.register(Annotation)
class AnnotationAdmin(SimpleHistoryAdmin):
    list_display = ["id", "kind", "author", "claim", "citation", "source", "is_hidden", "created_at"]
    list_filter = ["kind", "is_hidden"]
    search_fields = ["body", "quote", "author__username"]
    raw_id_fields = ["claim", "citation", "source", "author"]
    readonly_fields = ["source", "start", "end", "quote", "prefix", "suffix", "author", "created_at", "updated_at"]
    inlines = [AnnotationReferenceInline]

    def has_delete_permission(self, request, obj=None):
        return False  # hide it instead: hiding is recorded and reversible


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ["claim", "decision", "target", "editor", "decided_at"]
    list_filter = ["decision"]
    raw_id_fields = ["claim", "target", "editor"]

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
