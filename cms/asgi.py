"""What the production server runs (`docker/serve.py`): the WSGI application (`cms/wsgi.py`),
with X-Forwarded-Proto only from FORWARDED_ALLOW_IPS (`cms/forwarded.py`, before the response
cache's fast path or Django look at it), behind the front that reads requests whole before a
thread runs Django (`cms/asgi_front.py`)."""

from cms.asgi_front import serve_wsgi
from cms.env import get_env_list
from cms.forwarded import TrustedForwardedProto
from cms.wsgi import application as wsgi_application

trusted_proxies = get_env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")
application = serve_wsgi(TrustedForwardedProto(wsgi_application, trusted_proxies))
