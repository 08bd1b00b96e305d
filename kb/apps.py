from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Claimbook"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kb import checks  # noqa: F401  (registers the deploy checks)
