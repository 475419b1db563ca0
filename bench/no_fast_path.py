"""The server `make bench` measures, without the response cache's fast path.

Django's own WSGI application (`cms.wsgi.django_application`, what `cms.wsgi.application` wraps in
`api.graphql.fast_path.ResponseCacheFastPath`) behind the same front, forwarded-header handling and
rate-limit shortcut as production's `cms.asgi.application`, with the same settings: a cached answer
comes from the response cache inside Django, as it would if the fast path were not there. Its
*GraphQL cached, no fast path* rows against the *GraphQL cached* rows show what the fast path buys a
deployment without the HTTP cache tier.
"""

from cms.asgi import serve
from cms.wsgi import django_application

asgi_application = serve(django_application)
