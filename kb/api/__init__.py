"""Claimbook's JSON API under /api/ (django-ninja): the pages' reads and the editors' writes."""
