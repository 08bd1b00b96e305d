"""Editors' writes: annotations, claims from text selections, review of import candidates.

models (annotations, their references, review decisions, failed logins), services (every
write, atomic and recorded), forms, views (thin, permission first), urls, roles.
"""
