"""Publish webhooks: signed (Standard Webhooks) POSTs to the frontend when published content changes.

payloads.py builds the event payloads, signing.py signs them, delivery.py sends them after the
transaction commits (a background thread, with retries), receivers.py connects the signals.
See docs/webhooks.md.
"""
