"""Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`."""

import base64
import hashlib
import hmac

SECRET_PREFIX = "whsec_"  # noqa: S105  (a prefix, not a secret)


def secret_key(secret: str) -> bytes:
    """The HMAC key: `whsec_<base64>` decodes to its bytes; any other string is used as UTF-8 bytes.

    A raw secret `s` is therefore the same key as `whsec_` + base64(s), which is what receivers
    using a Standard Webhooks library should be given.
    """
    if secret.startswith(SECRET_PREFIX):
        encoded = secret[len(SECRET_PREFIX) :]
        return base64.b64decode(encoded + "=" * (-len(encoded) % 4))
    return secret.encode()


def sign(secret: str, message_id: str, timestamp: float, body: str) -> str:
    """The `webhook-signature` header value for `body` (a str) sent at `timestamp` (unix seconds)."""
    signed = f"{message_id}.{int(timestamp)}.{body}".encode()
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return f"v1,{base64.b64encode(digest).decode()}"


def headers(secret: str, message_id: str, timestamp: float, body: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp)),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }
