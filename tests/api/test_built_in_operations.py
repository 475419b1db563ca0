"""What the CMS's own apps register as persisted queries would run anywhere, production's switches on."""

import pytest

from api.graphql.persisted import built_in_operations
from api.graphql.view import query_refusal

pytestmark = pytest.mark.django_db


def test_the_apps_register_their_operations():
    assert built_in_operations(), "no app registers a persisted query: the news widget should"


@pytest.mark.parametrize("sha256_hash", sorted(built_in_operations()))
def test_each_built_in_operation_passes_every_check_a_loaded_one_does(sha256_hash, settings):
    # Production's switches: a document that needs introspection would fail here.
    settings.GRAPHQL_INTROSPECTION = False
    settings.GRAPHQL_FIELD_SUGGESTIONS = False
    assert query_refusal(built_in_operations()[sha256_hash]) is None
