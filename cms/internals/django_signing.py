"""Django's TimestampSigner, read for when a token was signed.

`TimestampSigner.unsign()` checks a token's signature and age and returns only its value. A token is
`value<sep>timestamp<sep>signature`: `TimestampSigner.sign()` appends a base-62 timestamp, then
`Signer.sign()` signs the result under the same key and salt. So `Signer.unsign()` run on the
TimestampSigner returns `value<sep>timestamp`, and `signing.b62_decode()` reads the timestamp. Django
has no public function for it.

tests/internals/test_django_signing.py fails when an upgrade changes this.
"""

import datetime

from django.core import signing


def unsign_with_timestamp(
    signer: signing.TimestampSigner, token: str, max_age: int | datetime.timedelta
) -> tuple[str, datetime.datetime]:
    """The value `token` signs and when it was signed; BadSignature (or SignatureExpired) otherwise."""
    value = signer.unsign(token, max_age=max_age)
    timestamp = signing.Signer.unsign(signer, token).rsplit(signer.sep, 1)[1]
    return value, datetime.datetime.fromtimestamp(signing.b62_decode(timestamp), tz=datetime.UTC)
