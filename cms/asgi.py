"""What the production server runs (`docker/serve.py`): the WSGI application (`cms/wsgi.py`)
behind the front that reads requests whole before a thread runs Django (`cms/asgi_front.py`)."""

from cms.asgi_front import serve_wsgi
from cms.wsgi import application as wsgi_application

application = serve_wsgi(wsgi_application)
