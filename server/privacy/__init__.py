"""Personal data protection (UU 27/2022): the guestbook, encryption at rest,
masking, audit, retention, subject rights and key rotation.

Personal values never leave this package in plain text except to signed-in
staff who explicitly reveal them (audited) and to the admin CLI breach report.
"""
