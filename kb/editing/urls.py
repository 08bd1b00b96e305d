from django.urls import path

from kb.editing import views

urlpatterns = [
    path("sources/<slug:slug>/claims/new/", views.claim_new, name="claim-new"),
    path("sources/<slug:slug>/annotations/new/", views.selection_annotate, name="selection-annotate"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim-edit"),
    path("claims/<int:pk>/retract/", views.claim_retract, name="claim-retract"),
    path("claims/<int:pk>/merge/", views.claim_merge, name="claim-merge"),
    path("claims/<int:pk>/citations/new/", views.citation_add, name="citation-add"),
    path("claims/<int:pk>/relations/new/", views.relation_add, name="relation-add"),
    path("claims/<int:pk>/annotations/new/", views.claim_annotate, name="claim-annotate"),
    path("relations/<int:pk>/remove/", views.relation_remove, name="relation-remove"),
    path("citations/<int:pk>/annotations/new/", views.citation_annotate, name="citation-annotate"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="annotation-edit"),
    path("annotations/<int:pk>/references/new/", views.annotation_reference_add, name="annotation-reference-add"),
    path("annotations/<int:pk>/hide/", views.annotation_hide, name="annotation-hide"),
    path("annotations/<int:pk>/unhide/", views.annotation_unhide, name="annotation-unhide"),
    path("review/", views.review_queue, name="review-queue"),
    path("review/<int:pk>/accept/", views.review_accept, name="review-accept"),
    path("review/<int:pk>/merge/", views.review_merge, name="review-merge"),
    path("review/<int:pk>/reject/", views.review_reject, name="review-reject"),
]
