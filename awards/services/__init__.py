"""Every change to commendation, keyword-only and in one transaction (permission, lock of the
row it changes, validation, write, audit entry), by topic: ``nominations``, ``dossier``,
``review`` (submit, endorse, return on the way up), ``council`` (sessions and the secret
ballot), ``decisions``, ``advanced_models`` and ``plaques``."""
