"""Signatures: Standard Webhooks, whatever form the secret is given in."""

import base64
import datetime

from standardwebhooks import Webhook

from webhooks import signing


def test_raw_secret_is_its_utf8_bytes(settings):
    raw = "not-base64-secret"
    signature = signing.sign(raw, "msg_1", 1_700_000_000, '{"a":1}')
    expected = Webhook(raw.encode()).sign("msg_1", datetime.datetime.fromtimestamp(1_700_000_000), '{"a":1}')
    assert signature == expected
    as_whsec = "whsec_" + base64.b64encode(raw.encode()).decode()
    assert signing.sign(as_whsec, "msg_1", 1_700_000_000, '{"a":1}') == signature
