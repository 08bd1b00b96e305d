"""Which files the package ships; everything else about it is in pyproject.toml.

Every package under kb/ (migrations, management commands, template tags included), and the
top-level templates/ and static/ folders, which the wheel carries inside the app as
kb/templates and kb/static: an installed app finds them there (kb/settings.py), a checkout
uses the top-level folders directly. scripts/check_install.sh proves a plain `pip install .`
works from another folder.
"""
from setuptools import find_namespace_packages, find_packages, setup

SHIPPED = {"kb.templates": "templates", "kb.static": "static"}
# Each folder of templates or static files is a data package of its own, with all its files.
DATA_PACKAGES = [
    f"{name}.{sub}" if sub else name
    for name, folder in SHIPPED.items()
    for sub in ["", *find_namespace_packages(where=folder)]
]

setup(
    packages=find_packages(include=["kb", "kb.*"]) + DATA_PACKAGES,
    package_dir=SHIPPED,
    package_data={name: ["*"] for name in DATA_PACKAGES},
)
