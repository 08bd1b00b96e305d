"""Small assertions shared by several test modules (data is built in factories.py)."""
import re

from django.core.exceptions import ValidationError


def error_codes(exc: ValidationError) -> set[str]:
    """The codes of every error a ValidationError holds: tests check codes, not wording."""
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def page(client, url, status=200):
    """The page's HTML, after checking its status."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def listed_ids(html):
    """The ids of the claims a list page shows, in order."""
    return [int(i) for i in re.findall(r'class="claim-statement" href="/claims/(\d+)/"', html)]
