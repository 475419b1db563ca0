"""HTTP endpoints of the project itself: GraphQL and health."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView


class PublicGraphQLView(GraphQLView):
    """graphene-django's view with GraphiQL only where settings allow it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.GRAPHIQL_ENABLED)
        super().__init__(**kwargs)


# The API is read-only and takes no cookies-based writes, so CSRF does not apply.
graphql_view = csrf_exempt(PublicGraphQLView.as_view())


def healthz(request):
    return JsonResponse({"status": "ok"})
