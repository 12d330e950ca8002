"""Model fields whose values are encrypted in the database."""

from django.db import models

from haven.access import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; read back as plain text.

    Values cannot be filtered or ordered in SQL: pair the field with a blind-index column
    where exact lookup is needed.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt_text(value)
