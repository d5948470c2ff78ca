"""Files kept beside the database (request-form attachments), outside the web root."""
