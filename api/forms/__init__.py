"""Forms editors build on pages, shown to frontends and submitted through the GraphQL API.

A page type gets a form by subclassing `pages.FormPageMixin` (Wagtail's `FormMixin` with what a
headless site needs) and declaring a `pages.FormField` subclass keyed to it; the delivery layer
finds such pages by that mixin, never by app. docs/frontend.md ("Forms") is the contract.
"""
