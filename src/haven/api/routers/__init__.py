"""One router per resource; adding a resource (referrals, providers, statistics…) is one
module here and one `api.add_router` line in `haven.api.main`."""
