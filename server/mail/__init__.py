"""Outgoing e-mail: message composition from catalogs, the SMTP sender and the outbox worker."""
