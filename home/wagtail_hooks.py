"""What the home app adds to the API."""

from api.graphql.registry import register_root_query
from home.schema import HomeQuery

register_root_query(HomeQuery, order=30)
