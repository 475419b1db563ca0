import os

from django.core.wsgi import get_wsgi_application

from cms.graphql.fast_path import ResponseCacheFastPath

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

# Repeated anonymous GraphQL requests are answered before Django builds a request
# (cms/graphql/fast_path.py); everything else goes straight through to Django.
application = ResponseCacheFastPath(get_wsgi_application())
