"""The claim page's history (issue 11, minor items): the system's entries folded away, an
editor's change in full."""
from django.urls import reverse

from kb.models import Claim
from kb.services import claims as claim_services
from kb.services import common as edits


def test_system_entries_are_collapsed_and_editors_changes_shown(editor, client):
    claim = Claim.objects.get(pk=Claim.history.filter(history_user__isnull=True).values_list("id", flat=True).first())
    claim._change_reason = "loaded again"  # a second change by no one signed in
    claim.save()
    claim_services.claim_update(claim=claim, by=editor, version=edits.version_token(claim), note="reworded",
                                fields=claim_services.ClaimFields(**{**claim_services.ClaimFields.of(claim).__dict__,
                                                                     "date_wording": "a new wording"}))
    html = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    history = html[html.index('id="history"'):]
    assert "changes by the system" in history
    folded = history[history.index('class="history-entry history-system"'):]
    assert "<details>" in folded[:200]
    assert "reworded" in history[:history.index("changes by the system")]
