"""Production settings: refuse to start without a real secret; `check --deploy` is clean."""
import os
import subprocess
import sys

from django.conf import settings

STRONG = "x9!Qm2@vL7#rT4$wZ8%nB3^kY6&hD1*fG5(jP0)sA-cE_uR+iO=" * 2


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_without_secret():
    result = run_manage("check", env_extra={"DEBUG": "0", "ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_weak_secret():
    result = run_manage("check", env_extra={"DEBUG": "0", "ALLOWED_HOSTS": "example.org", "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "too weak" in result.stderr


PRODUCTION = {"DEBUG": "0", "ALLOWED_HOSTS": "claimbook.example.org", "SECRET_KEY": STRONG,
              # The operator's HSTS decisions (docs/deploy.md): without them Django warns.
              "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"}


def test_check_deploy_fails_without_the_static_manifest_and_is_clean_after_collectstatic(tmp_path):
    env = {**PRODUCTION, "STATIC_ROOT": str(tmp_path / "static")}
    missing = run_manage("check", "--deploy", env_extra=env)
    assert missing.returncode != 0
    assert "kb.E001" in missing.stderr and "collectstatic" in missing.stderr
    collected = run_manage("collectstatic", "--noinput", "--verbosity", "0", env_extra=env)
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_hsts_subdomains_and_preload_are_off_unless_the_operator_sets_them():
    env = {**PRODUCTION, "SECURE_HSTS_INCLUDE_SUBDOMAINS": "", "SECURE_HSTS_PRELOAD": ""}
    code = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_REDIRECT_EXEMPT)")
    result = run_manage("shell", "--no-imports", "-c", code, env_extra=env)
    assert result.stdout.strip() == "True 31536000 False False ['^healthz$']"


def test_database_url_default_is_sqlite_in_project_or_env():
    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert engine == "django.db.backends.postgresql"
        assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    else:
        assert engine == "django.db.backends.sqlite3"


def test_postgresql_connections_give_up_instead_of_hanging_and_web_workers_cap_statements():
    code = ("from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS']; "
            "print(o['connect_timeout'], o['keepalives'], o.get('options', '-'))")
    url = "postgres://postgres@127.0.0.1:5432/claimbook"
    plain = run_manage("shell", "--no-imports", "-c", code, env_extra={"DATABASE_URL": url})
    assert plain.stdout.split() == ["5", "1", "-"], plain.stderr
    capped = run_manage("shell", "--no-imports", "-c", code, env_extra={
        "DATABASE_URL": url + "?connect_timeout=2", "DATABASE_STATEMENT_TIMEOUT": "1234"})
    assert capped.stdout.split() == ["2", "1", "-c", "statement_timeout=1234"], capped.stderr


def test_gunicorn_sets_the_web_statement_timeout_below_its_own_timeout():
    code = "import os, kb.gunicorn_conf as g; print(g.timeout, os.environ['DATABASE_STATEMENT_TIMEOUT'])"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_TIMEOUT"}
    env["GUNICORN_TIMEOUT"] = "40"
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["40", "35000"], result.stderr
