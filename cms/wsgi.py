import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402 (after the settings module is set)

from cms.env import get_env_list  # noqa: E402
from cms.forwarded import TrustedForwardedProto  # noqa: E402
from cms.graphql.fast_path import ResponseCacheFastPath  # noqa: E402

# Repeated anonymous GraphQL requests are answered before Django builds a request
# (cms/graphql/fast_path.py); everything else goes straight through to Django. The scheme the
# proxy reports counts only from the proxy (cms/forwarded.py), before either of them looks at it.
application = TrustedForwardedProto(
    ResponseCacheFastPath(get_wsgi_application()),
    get_env_list("FORWARDED_ALLOW_IPS", "127.0.0.1"),
)
