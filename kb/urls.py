from django.contrib import admin
from django.urls import include, path

from kb.views import home, sources

urlpatterns = [
    path("", home.home, name="home"),
    path("sources/", sources.source_list, name="source-list"),
    path("sources/<slug:slug>/", sources.source_detail, name="source-detail"),
    path("sources/<slug:slug>/v<int:version>/", sources.source_version, name="source-version"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "kb.views.home.not_found"
