from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from kb.api import errors as api_errors
from kb.api.api import api
from kb.forms.login import LoginForm
from kb.views import accounts, browse_pages, claims, editing, exports, health, home, password_reset, sources

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("claims/", claims.claim_list, name="claim-list"),
    path("claims/export.csv", claims.claim_export, {"fmt": "csv"}, name="claim-export-csv"),
    path("claims/export.jsonld", claims.claim_export, {"fmt": "jsonld"}, name="claim-export-jsonld"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim-detail"),
    path("claims/lookup/", editing.claim_lookup, name="claim-lookup"),
    path("exports/", exports.export_job_list, name="export-jobs"),
    path("exports/new/", exports.export_job_new, name="export-job-new"),
    path("exports/<int:pk>/", exports.export_job_detail, name="export-job"),
    path("exports/<int:pk>/download", exports.export_job_download, name="export-job-download"),
    path("sources/", sources.source_list, name="source-list"),
    path("sources/<slug:slug>/", sources.source_detail, name="source-detail"),
    path("sources/<slug:slug>/v<int:version>/", sources.source_version, name="source-version"),
    path("sources/<slug:slug>/v<int:version>/original/", sources.source_original, name="source-original"),
    path("entities/", browse_pages.entity_list, name="entity-list"),
    path("entities/<slug:slug>/", browse_pages.entity_detail, name="entity-detail"),
    path("tags/<slug:slug>/", browse_pages.tag_detail, name="tag-detail"),
    path("timeline/", browse_pages.timeline_page, name="timeline"),
    # Editors' writes.
    path("sources/<slug:slug>/claims/new/", editing.claim_new, name="claim-new"),
    path("sources/<slug:slug>/annotations/new/", editing.selection_annotate, name="selection-annotate"),
    path("claims/<int:pk>/edit/", editing.claim_edit, name="claim-edit"),
    path("claims/<int:pk>/retract/", editing.claim_retract, name="claim-retract"),
    path("claims/<int:pk>/reopen/", editing.claim_reopen, name="claim-reopen"),
    path("claims/<int:pk>/merge/", editing.claim_merge, name="claim-merge"),
    path("claims/<int:pk>/citations/new/", editing.citation_add, name="citation-add"),
    path("claims/<int:pk>/relations/new/", editing.relation_add, name="relation-add"),
    path("claims/<int:pk>/annotations/new/", editing.claim_annotate, name="claim-annotate"),
    path("relations/<int:pk>/remove/", editing.relation_remove, name="relation-remove"),
    path("citations/<int:pk>/annotations/new/", editing.citation_annotate, name="citation-annotate"),
    path("annotations/<int:pk>/edit/", editing.annotation_edit, name="annotation-edit"),
    path("annotations/<int:pk>/references/new/", editing.annotation_reference_add, name="annotation-reference-add"),
    path("annotations/<int:pk>/hide/", editing.annotation_hide, name="annotation-hide"),
    path("annotations/<int:pk>/unhide/", editing.annotation_unhide, name="annotation-unhide"),
    path("review/", editing.review_queue, name="review-queue"),
    path("review/<int:pk>/accept/", editing.review_accept, name="review-accept"),
    path("review/<int:pk>/merge/", editing.review_merge, name="review-merge"),
    path("review/<int:pk>/reject/", editing.review_reject, name="review-reject"),
    path("api/", api.urls),
    path("api/<path:rest>", api_errors.not_found_view),
    path("accounts/tokens/", accounts.token_list, name="token-list"),
    path("accounts/tokens/<int:pk>/revoke/", accounts.token_revoke_view, name="token-revoke"),
    path("accounts/", include(password_reset.password_reset_urls)),
    path("accounts/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

# Error pages that never read the request body (see kb/views/errors.py); a 500 that is the
# database being away is a 503 (kb/views/health.py).
handler400 = "kb.views.errors.bad_request"
handler403 = "kb.views.errors.permission_denied"
handler404 = "kb.views.errors.page_not_found"
handler500 = "kb.views.health.server_error"
