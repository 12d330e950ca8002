import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
application = get_wsgi_application()

# Tables built on first use, built as the worker starts instead of inside a request.
from haven.people.linkage import places  # noqa: E402

places.warm()
