"""Haven's JSON API, /api/v1/: thin routers over the same actions and access policy as the pages.

Browsers use their signed-in session (CSRF-protected); other systems use an organisation's
API client token. See `haven.api.main` for the contract (errors, idempotency, pagination).
"""
