"""What a refusal looks like in the admin: 403, or Wagtail's redirect to the dashboard with its
“Sorry, you do not have permission” message (what it makes of PermissionDenied in its own views)."""


def assert_denied(response):
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/", response["Location"]
