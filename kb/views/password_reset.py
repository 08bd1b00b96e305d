"""Password reset only where it can work: with mail configured (EMAIL_HOST), else no such page.

Django's reset page says "we've emailed you instructions" whatever happens; on a site with
no mail server that is a promise nobody keeps, so the pages answer 404 until mail is set up.
"""
from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import path


def mail_configured() -> bool:
    return bool(settings.EMAIL_HOST)


def mail_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not mail_configured():
            raise Http404("Password reset needs mail, which this site does not have.")
        return view(request, *args, **kwargs)

    return wrapped


# Ahead of django.contrib.auth.urls in kb/urls.py, so these names resolve here first.
password_reset_urls = [
    path("password_reset/", mail_required(auth_views.PasswordResetView.as_view()), name="password_reset"),
    path("password_reset/done/", mail_required(auth_views.PasswordResetDoneView.as_view()), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", mail_required(auth_views.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("reset/done/", mail_required(auth_views.PasswordResetCompleteView.as_view()), name="password_reset_complete"),
]
