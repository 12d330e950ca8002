import re

from django import forms
from django.utils.translation import gettext_lazy as _

SIX_DIGITS = re.compile(r"\d{6}")


class TokenForm(forms.Form):
    """The six-digit code from an authenticator app (spaces people type are ignored)."""

    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not SIX_DIGITS.fullmatch(token):
            raise forms.ValidationError(_("Enter the six digits your app shows."))
        return token
