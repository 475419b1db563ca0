"""Validation shared by the apps' models, with messages editors can act on."""

from django.core.exceptions import ValidationError


def validate_money(amount, currency, amount_field="amount", currency_field="currency"):
    errors = {}
    if amount is not None and amount < 0:
        errors[amount_field] = "A price cannot be negative."
    if currency and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        errors[currency_field] = "Use a three-letter ISO 4217 code in capitals, e.g. GBP."
    if errors:
        raise ValidationError(errors)
