import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
application = get_wsgi_application()

# Tables built on first use, built as the worker starts instead of inside a request.
from haven.people.linkage import places  # noqa: E402

places.warm()
# Every view module, imported by the URL configuration now rather than by the first request.
reverse("health")

# What the worker has loaded so far (modules, models, views, the tables above) lives as long
# as it does: take it out of the garbage collector's full passes, which otherwise walk all of
# it, about 250,000 objects and 90-200 ms, inside whichever request happens to trigger one.
gc.collect()
gc.freeze()
