from django.contrib import admin
from django.urls import include, path

from kb.views import browse_pages, claims, home, sources

urlpatterns = [
    path("", home.home, name="home"),
    path("claims/", claims.claim_list, name="claim-list"),
    path("claims/export.csv", claims.claim_export, {"fmt": "csv"}, name="claim-export-csv"),
    path("claims/export.jsonld", claims.claim_export, {"fmt": "jsonld"}, name="claim-export-jsonld"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim-detail"),
    path("sources/", sources.source_list, name="source-list"),
    path("sources/<slug:slug>/", sources.source_detail, name="source-detail"),
    path("sources/<slug:slug>/v<int:version>/", sources.source_version, name="source-version"),
    path("entities/", browse_pages.entity_list, name="entity-list"),
    path("entities/<slug:slug>/", browse_pages.entity_detail, name="entity-detail"),
    path("tags/<slug:slug>/", browse_pages.tag_detail, name="tag-detail"),
    path("timeline/", browse_pages.timeline_page, name="timeline"),
    path("", include("kb.editing.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "kb.views.home.not_found"
