"""Editors' pages: thin views that check permission first, then hand the work to services."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kb.forms import editing as forms
from kb.selectors import claim_page
from kb.selectors import claims as browse
from kb.selectors import review as review_selectors
from kb.selectors.paging import CappedPaginator
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import common as edits
from kb.services import review as review_services
from kb.models import Annotation, Citation, Claim, Relation, Source
from kb.permissions import permission_needed
from kb.text.date_words import date_words
from kb.views.forms_flow import numbered_claim, submit

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
# Each candidate carries three forms (accept with its six fields, merge, reject): ten a page keep
# the page quick to render and to read.
REVIEW_PAGE_SIZE = 10


def _current_source(slug: str) -> Source:
    return get_object_or_404(Source.objects.current(), slug=slug)


def _claim(pk: int) -> Claim:
    return get_object_or_404(Claim, pk=pk)


# Claims and annotations from a selection in the reader

CLAIM_PAGE = {"title": "New claim from", "eyebrow": "new claim", "heading": "New claim from a quote",
              "fields": "kb/editing/_fields.html", "button": "Create claim"}
ANNOTATION_PAGE = {"title": "Annotate", "eyebrow": "annotation", "heading": "Annotate a passage",
                   "fields": "kb/editing/_annotation_fields.html", "button": "Save annotation"}


def _from_selection(request, slug, *, form_class, initial, write, success, then, page, also=(), context=None):
    """A write about words the editor selected in the reader (or pasted): the selection is
    checked against the source, then the form goes to `write(form, selection)`."""
    source = _current_source(slug)
    problems = []
    if request.method == "POST":
        selection_form = forms.SelectionForm(request.POST, source=source)
        form = form_class(request.POST)
        done = submit(
            request, form, lambda: write(form, selection_form.cleaned_data["selection"]),
            also=[selection_form, *also], success=success, then=then,
        )
        if done.response:
            return done.response
    else:
        selected, problems = forms.SelectionForm.initial_from_query(request.GET, source)
        selection_form = forms.SelectionForm(initial=selected, source=source)
        form = form_class(initial=initial(selected))
    return render(request, "kb/editing/from_selection.html", {
        "source": source, "selection_form": selection_form, "form": form, "problems": problems, "page": page,
        **(context or {}),
    })


@GET_POST
@permission_needed("kb.add_claim")
def claim_new(request, slug):
    choice = forms.DuplicateChoiceForm(request.POST or None)
    warning = {"duplicates": None}

    def write(form, selection):
        into = choice.cleaned_data["cite_into"]
        if into:  # the editor chose to cite these words on an existing claim instead
            return claim_services.citation_add(
                claim=numbered_claim(choice, "cite_into"), by=request.user, selection=selection,
                attribution=form.cleaned_data["attribution"], stance=form.cleaned_data["stance"],
            )
        try:
            return claim_services.claim_create_from_selection(
                by=request.user, selection=selection, fields=form.claim_fields(),
                attribution=form.cleaned_data["attribution"], stance=form.cleaned_data["stance"],
                refuse_duplicates=not choice.cleaned_data["create_anyway"],
            )
        except claim_services.PossibleDuplicate as exc:
            warning["duplicates"] = exc.found
            raise

    def success(made):
        if isinstance(made, Citation):
            return f"Your words were added as a citation of claim {made.claim_id}; no new claim was made."
        return f"Claim {made.pk} created with its citation."

    return _from_selection(
        request, slug, form_class=forms.NewClaimForm, page=CLAIM_PAGE,
        initial=lambda selected: {"statement": selected.get("quote", "")},
        write=write, success=success, then=lambda made: made.claim if isinstance(made, Citation) else made,
        also=[choice], context={"warning": warning},
    )


@GET_POST
@permission_needed("kb.add_annotation")
def selection_annotate(request, slug):
    return _from_selection(
        request, slug, form_class=forms.AnnotationForm, page=ANNOTATION_PAGE, initial=lambda selected: None,
        write=lambda form, selection: annotation_services.annotation_create(
            by=request.user, kind=form.cleaned_data["kind"], body=form.cleaned_data["body"],
            selection=selection, references=form.references(),
        ),
        success="Annotation saved.", then=lambda annotation: annotation.get_absolute_url(),
    )


# Editing a claim


@GET_POST
@permission_needed("kb.change_claim")
def claim_edit(request, pk):
    claim = _claim(pk)
    conflict = None
    if request.method == "POST":
        form = forms.ClaimEditForm(request.POST)

        def saved(_):
            if form.cleaned_data["version"] == edits.version_token(claim):
                return "Claim saved."
            return ("Claim saved. Someone else saved a change while you were editing: "
                    "the fields you did not touch keep their new values.")

        done = submit(
            request, form,
            lambda: claim_services.claim_update(
                claim=claim, by=request.user, version=form.cleaned_data["version"],
                fields=form.claim_fields(), note=form.cleaned_data["note"], merge=True,
            ),
            success=saved, then=lambda _: claim,
            rebase=lambda exc: forms.ClaimEditForm.for_conflict(exc, note=form.cleaned_data["note"]),
        )
        if done.response:
            return done.response
        form, conflict = done.form, done.conflict
    else:
        form = forms.ClaimEditForm(initial={**forms.ClaimFieldsForm.initial_for(claim), "version": edits.version_token(claim)})
    return render(request, "kb/editing/claim_edit.html", {
        "claim": claim, "form": form, "conflict": conflict, "quotes": claim_page.claim_quotes(claim),
    })


def _close_or_open(request, pk, *, write, success: str, template: str):
    """Retract or reopen: the same page (a reason, the version it was drawn from), another service."""
    claim = _claim(pk)
    form = forms.RetractForm(request.POST or None, initial={"version": edits.version_token(claim)})
    if request.method == "POST":
        done = submit(
            request, form,
            lambda: write(claim=claim, by=request.user, reason=form.cleaned_data["reason"],
                          version=form.cleaned_data["version"] or None),
            success=success, then=lambda _: claim,
        )
        if done.response:
            return done.response
    return render(request, template, {"claim": claim, "form": form})


@GET_POST
@permission_needed("kb.change_claim")
def claim_retract(request, pk):
    return _close_or_open(request, pk, write=claim_services.claim_retract, success="Claim retracted.",
                          template="kb/editing/claim_retract.html")


@GET_POST
@permission_needed("kb.change_claim")
def claim_reopen(request, pk):
    return _close_or_open(request, pk, write=claim_services.claim_reopen, success="Claim reopened.",
                          template="kb/editing/claim_reopen.html")


@GET_POST
@permission_needed("kb.change_claim")
def claim_merge(request, pk):
    claim = _claim(pk)
    form = forms.MergeForm(request.POST or None, initial={"into": _chosen(request, "into") or claim.suggested_match_id})
    if request.method == "POST":

        def merge():
            into = numbered_claim(form, "into")
            claim_services.claim_merge(claim=claim, into=into, by=request.user, reason=form.cleaned_data["reason"])
            return into

        done = submit(
            request, form, merge, then=lambda into: into,
            success=lambda into: f"Claim {claim.pk} merged into claim {into.pk}; its citations moved.",
        )
        if done.response:
            return done.response
    return render(request, "kb/editing/claim_merge.html", {
        "claim": claim, "form": form, "search": _claim_search(request, claim, "into"),
    })


# Choosing another claim by its words (relate, merge)


def _chosen(request, field: str) -> int | None:
    value = request.GET.get(field, "")
    # ASCII digits only: "²" is a digit to str.isdigit, not to int().
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else None


def _claim_search(request, claim, field: str) -> dict:
    """The search beside a claim-number field: without JavaScript, ?q= lists the matches with a
    link that fills the field (?<field>=N); with it, the same matches come from claim_lookup."""
    query = request.GET.get("q", "")[:200] if request.method != "POST" else ""
    chosen = _chosen(request, field)
    return {
        "q": query, "field": field,
        "found": browse.claim_lookup(request.user, query, exclude=claim.pk) if query.strip() else None,
        "chosen": browse.claim_lookup(request.user, str(chosen), exclude=claim.pk) if chosen else [],
    }


def lookup_item(claim) -> dict:
    return {
        "id": claim.pk, "statement": claim.statement, "url": claim.get_absolute_url(),
        "date": str(date_words(claim.date_edtf, claim.date_earliest, claim.date_latest) or "undated"),
        "grade": f"{claim.credibility} — {claim.credibility_label}" if claim.credibility else "not graded",
        "status": claim.status,
    }


@require_safe
@permission_needed("kb.change_claim")
def claim_lookup(request):
    """Claims matching ?q= (words or a number) as JSON, for the claim search fields."""
    exclude = _chosen(request, "exclude")
    found = browse.claim_lookup(request.user, request.GET.get("q", ""), exclude=exclude)
    return JsonResponse({"claims": [lookup_item(claim) for claim in found]})


# Citations and relations


@GET_POST
@permission_needed("kb.add_citation")
def citation_add(request, pk):
    claim = _claim(pk)
    data = request.POST if request.method == "POST" else None
    source_form = forms.CitationSourceForm(data, initial={"source": request.GET.get("source")})
    fields_form = forms.CitationFieldsForm(data)
    selection_form, problems = None, []
    if request.method == "POST":
        if source_form.is_valid():
            selection_form = forms.SelectionForm(data, source=source_form.cleaned_data["source"])
            done = submit(
                request, fields_form,
                lambda: claim_services.citation_add(
                    claim=claim, by=request.user, selection=selection_form.cleaned_data["selection"],
                    attribution=fields_form.cleaned_data["attribution"], stance=fields_form.cleaned_data["stance"],
                ),
                also=[selection_form], success="Citation added.", then=lambda _: claim,
            )
            if done.response:
                return done.response
    else:
        chosen = forms.CitationSourceForm({"source": request.GET.get("source", "")})
        source = chosen.cleaned_data["source"] if chosen.is_valid() else None
        initial = {}
        if source is not None:
            initial, problems = forms.SelectionForm.initial_from_query(request.GET, source)
        selection_form = forms.SelectionForm(initial=initial, source=source)
    if selection_form is None:
        selection_form = forms.SelectionForm(data, source=None)
    return render(request, "kb/editing/citation_add.html", {
        "claim": claim, "source": selection_form.source, "source_form": source_form, "selection_form": selection_form,
        "fields_form": fields_form, "problems": problems,
    })


@GET_POST
@permission_needed("kb.add_relation")
def relation_add(request, pk):
    claim = _claim(pk)
    form = forms.RelationForm(request.POST or None, initial={"other": _chosen(request, "other")})
    if request.method == "POST":

        def relate():
            other = numbered_claim(form, "other")
            ends = (claim, other) if form.cleaned_data["direction"] == "out" else (other, claim)
            return claim_services.relation_add(
                from_claim=ends[0], to_claim=ends[1], type=form.cleaned_data["type"],
                note=form.cleaned_data["note"], by=request.user,
            )

        done = submit(request, form, relate, success="Relation added.", then=lambda _: claim)
        if done.response:
            return done.response
    return render(request, "kb/editing/relation_add.html", {
        "claim": claim, "form": form, "search": _claim_search(request, claim, "other"),
    })


@require_POST
@permission_needed("kb.change_relation")
def relation_remove(request, pk):
    relation = get_object_or_404(Relation, pk=pk)
    back = _claim(relation.from_claim_id)
    form = forms.OptionalReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise forms.form_problems(form)
        claim_services.relation_remove(relation=relation, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Relation removed (it stays in the history).")
    return redirect(back)


# Annotations


def _annotate(request, *, target: dict, back, template_context: dict):
    form = forms.AnnotationForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            request, form,
            lambda: annotation_services.annotation_create(
                by=request.user, kind=form.cleaned_data["kind"], body=form.cleaned_data["body"],
                references=form.references(), **target,
            ),
            success="Annotation saved.", then=lambda annotation: annotation.get_absolute_url(),
        )
        if done.response:
            return done.response
    return render(request, "kb/editing/annotate.html", {"form": form, "back": back, **template_context})


@GET_POST
@permission_needed("kb.add_annotation")
def claim_annotate(request, pk):
    claim = _claim(pk)
    return _annotate(request, target={"claim": claim}, back=claim.get_absolute_url(), template_context={"claim": claim})


@GET_POST
@permission_needed("kb.add_annotation")
def citation_annotate(request, pk):
    citation = get_object_or_404(Citation.objects.select_related("claim"), pk=pk)
    return _annotate(
        request, target={"citation": citation}, back=citation.claim.get_absolute_url(),
        template_context={"claim": citation.claim, "citation": citation},
    )


def _own_annotation(request, pk) -> Annotation:
    # Scoped to the author: someone else's annotation is not found, not forbidden.
    return get_object_or_404(Annotation.objects.select_related("claim", "citation", "source"), pk=pk, author=request.user)


def _annotation_edit_form(annotation) -> forms.AnnotationEditForm:
    return forms.AnnotationEditForm(initial={
        "kind": annotation.kind, "body": annotation.body, "version": edits.version_token(annotation),
    })


@GET_POST
@permission_needed("kb.change_annotation")
def annotation_edit(request, pk):
    annotation = _own_annotation(request, pk)
    conflict = None
    if request.method == "POST":
        form = forms.AnnotationEditForm(request.POST)
        done = submit(
            request, form,
            lambda: annotation_services.annotation_update(
                annotation=annotation, by=request.user, kind=form.cleaned_data["kind"],
                body=form.cleaned_data["body"], version=form.cleaned_data["version"],
            ),
            success="Annotation saved.", then=lambda _: annotation.get_absolute_url(), rebase=True,
        )
        if done.response:
            return done.response
        form, conflict = done.form, done.conflict
    else:
        form = _annotation_edit_form(annotation)
    return render(request, "kb/editing/annotation_edit.html", {
        "annotation": annotation, "form": form, "reference_form": forms.ReferenceForm(), "conflict": conflict,
    })


@require_POST
@permission_needed("kb.change_annotation")
def annotation_reference_add(request, pk):
    annotation = _own_annotation(request, pk)
    form = forms.ReferenceForm(request.POST)
    done = submit(
        request, form,
        lambda: annotation_services.annotation_reference_add(
            annotation=annotation, by=request.user, fields=form.reference_fields()
        ),
        success="Reference added.", then=lambda _: annotation.get_absolute_url(),
    )
    if done.response:
        return done.response
    return render(request, "kb/editing/annotation_edit.html", {
        "annotation": annotation, "form": _annotation_edit_form(annotation), "reference_form": form, "conflict": None,
    }, status=400)


def _set_hidden(request, pk, *, hidden: bool):
    annotation = get_object_or_404(Annotation.objects.select_related("claim", "citation", "source"), pk=pk)
    form = forms.OptionalReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise forms.form_problems(form)
        annotation_services.annotation_set_hidden(
            annotation=annotation, by=request.user, hidden=hidden, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Annotation hidden." if hidden else "Annotation shown again.")
    return redirect(annotation.get_absolute_url())


@require_POST
@permission_needed("kb.hide_annotation")
def annotation_hide(request, pk):
    return _set_hidden(request, pk, hidden=True)


@require_POST
@permission_needed("kb.hide_annotation")
def annotation_unhide(request, pk):
    return _set_hidden(request, pk, hidden=False)


# Review of import candidates


@require_safe
@permission_needed("kb.change_claim")
def review_queue(request):
    candidates = review_selectors.review_candidates()
    paginator = CappedPaginator(candidates, REVIEW_PAGE_SIZE, count_source=candidates.select_related(None))
    page = paginator.get_page(request.GET.get("page"))
    candidates = list(page.object_list)
    rows = [
        {
            "claim": claim,
            "accept": forms.ClaimFieldsForm(initial=forms.ClaimFieldsForm.initial_for(claim), prefix=f"c{claim.pk}"),
            "version": edits.version_token(claim),
            # Once this one is decided it leaves the queue: the place to come back to is the next.
            "next": (candidates[i + 1] if i + 1 < len(candidates) else candidates[i - 1] if i else claim).pk,
        }
        for i, claim in enumerate(candidates)
    ]
    return render(request, "kb/editing/review_queue.html", {
        "rows": rows, "page": page, "decisions": review_selectors.review_decisions(),
    })


def _candidate(pk) -> Claim:
    return get_object_or_404(Claim, pk=pk)


def _review_done(request, exc: ValidationError | None, success: str, claim: Claim | None = None):
    """Back to the queue where the editor was: the same page, at the next candidate after a
    decision, at this one (with its number in the message) after an error."""
    page, following = request.POST.get("page", ""), request.POST.get("next", "")
    url = reverse("review-queue")
    if page.isascii() and page.isdigit() and len(page) <= 6:
        url += f"?page={page}"
    if exc is None:
        messages.success(request, success)
        if following.isascii() and following.isdigit() and len(following) <= 12:
            url += f"#candidate-{following}"
    else:
        about = f"Candidate {claim.pk}: " if claim is not None else ""
        messages.error(request, about + " ".join(exc.messages))
        if claim is not None:
            url += f"#candidate-{claim.pk}"
    return redirect(url)


@require_POST
@permission_needed("kb.change_claim")
def review_accept(request, pk):
    claim = _candidate(pk)
    form = forms.ClaimFieldsForm(request.POST, prefix=f"c{claim.pk}")
    if not form.is_valid():
        return _review_done(request, ValidationError([e for errs in form.errors.values() for e in errs]), "", claim)
    try:
        review_services.review_accept(
            claim=claim, by=request.user, fields=form.claim_fields(), version=request.POST.get("version") or None
        )
    except ValidationError as exc:
        return _review_done(request, exc, "", claim)
    return _review_done(request, None, f"Claim {claim.pk} accepted and published.")


@require_POST
@permission_needed("kb.change_claim")
def review_merge(request, pk):
    claim = _candidate(pk)
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        return _review_done(request, ValidationError("Give the number of the claim to merge into.", code="required"), "", claim)
    try:
        into = numbered_claim(form, "into")
        review_services.review_merge(claim=claim, into=into, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _review_done(request, exc, "", claim)
    return _review_done(request, None, f"Candidate {claim.pk} merged into claim {into.pk}.")


@require_POST
@permission_needed("kb.change_claim")
def review_reject(request, pk):
    claim = _candidate(pk)
    form = forms.OptionalReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise forms.form_problems(form)
        review_services.review_reject(claim=claim, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _review_done(request, exc, "", claim)
    return _review_done(request, None, f"Candidate {claim.pk} rejected.")
