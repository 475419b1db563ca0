"""What a process keeps for one content generation is forgotten with it, and stays within its bound."""

import pytest

from cms.generation import KeptForGeneration, bump_generation
from cms.request_cache import request_scope

pytestmark = pytest.mark.django_db


def test_entries_last_as_long_as_their_generation():
    kept: KeptForGeneration[int, str] = KeptForGeneration(max_entries=10)
    with request_scope():
        kept.put_many({1: "Mining", 2: "Water"})
        assert kept.get_many([1, 2, 3]) == {1: "Mining", 2: "Water"}
    with request_scope():
        assert kept.get_many([1, 2]) == {1: "Mining", 2: "Water"}  # another request, same generation
    bump_generation()
    with request_scope():
        assert kept.get_many([1, 2]) == {}


def test_the_oldest_entries_go_first_beyond_the_bound():
    kept: KeptForGeneration[int, int] = KeptForGeneration(max_entries=3)
    with request_scope():
        kept.put_many({n: n for n in range(5)})
        assert kept.get_many(range(5)) == {2: 2, 3: 3, 4: 4}
