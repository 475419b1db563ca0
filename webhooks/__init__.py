"""Publish webhooks: signed (Standard Webhooks) POSTs to the frontend when published content changes.

payloads.py builds the event payloads (the paths come from cms/revalidation.py: the content apps'
hooks and the pages referring to what changed, from Wagtail's reference index), signing.py
signs them, delivery.py queues them after the transaction commits, tasks.py delivers them as
django-tasks tasks (attempts.py makes and logs each attempt, retries are new tasks), receivers.py
connects the signals. See docs/webhooks.md.
"""
