"""What cms/internals/django_signing.py relies on in Django's TimestampSigner still holds."""

import datetime

import pytest
from django.core import signing
from freezegun import freeze_time

from cms.internals.django_signing import unsign_with_timestamp

SIGNED_AT = datetime.datetime(2026, 11, 27, 12, 0, 5, tzinfo=datetime.UTC)


def signed(value="id=3"):
    with freeze_time(SIGNED_AT):
        return signing.TimestampSigner(salt="probe").sign(value)


def test_the_value_and_the_second_it_was_signed_are_read_back():
    token = signed()
    with freeze_time(SIGNED_AT + datetime.timedelta(minutes=5)):
        value, issued = unsign_with_timestamp(signing.TimestampSigner(salt="probe"), token, max_age=3600)
    assert (value, issued) == ("id=3", SIGNED_AT)


def test_the_plain_signer_reads_value_and_timestamp_under_the_same_signature():
    token = signed()
    signer = signing.TimestampSigner(salt="probe")
    value, timestamp = signing.Signer.unsign(signer, token).rsplit(signer.sep, 1)
    assert value == "id=3"
    assert signing.b62_decode(timestamp) == int(SIGNED_AT.timestamp())


def test_expired_forged_or_other_salt_tokens_are_refused():
    token = signed()
    with freeze_time(SIGNED_AT + datetime.timedelta(hours=2)), pytest.raises(signing.SignatureExpired):
        unsign_with_timestamp(signing.TimestampSigner(salt="probe"), token, max_age=3600)
    with freeze_time(SIGNED_AT), pytest.raises(signing.BadSignature):
        unsign_with_timestamp(signing.TimestampSigner(salt="probe"), token[:-2] + "xx", max_age=3600)
    with freeze_time(SIGNED_AT), pytest.raises(signing.BadSignature):
        unsign_with_timestamp(signing.TimestampSigner(salt="other"), token, max_age=3600)
    # A later timestamp under the original signature is a forgery too.
    value, _timestamp, signature = token.split(":")
    later = f"{value}:{signing.b62_encode(int(SIGNED_AT.timestamp()) + 60)}:{signature}"
    with freeze_time(SIGNED_AT), pytest.raises(signing.BadSignature):
        unsign_with_timestamp(signing.TimestampSigner(salt="probe"), later, max_age=3600)
