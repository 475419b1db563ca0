"""Hidden content next to public content, and a walker that asks every root field and relation for it.

`content.build()` makes the fixture; `walker` turns the live schema into requests. The tests are in
tests/api/test_hidden_content.py.
"""
