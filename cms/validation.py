"""Validation shared by the apps' models, with messages editors can act on."""

from decimal import Decimal

from django.core.exceptions import ValidationError

# ISO 4217's active currency codes (list one, as amended to 2025), for prices: without the fund
# codes (BOV, CHE, CLF…), precious metals, drawing rights and testing codes (X…) that nobody pays a
# ticket or a membership in, and without those withdrawn: ANG (for XCG, 2025), BGN (for EUR, 2026),
# CUC, HRK, SLL, ZWL. No package in the environment carries the list; it changes a few times a decade.
ISO_4217_CURRENCIES = frozenset(
    """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW
    KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR
    MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR
    SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
    USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()
)
CURRENCY_EXAMPLES = "GBP, EUR, USD or PEN"


def currency_error(currency: str) -> str | None:
    """Why `currency` is no currency code to price in, or None if it is one."""
    if currency in ISO_4217_CURRENCIES:
        return None
    if currency.strip().upper() in ISO_4217_CURRENCIES:
        return f"Currency: ISO 4217 codes are in capitals: write {currency.strip().upper()}."
    return (
        f"Currency: “{currency}” is not an ISO 4217 currency code. Use the three capital letters of "
        f"one, e.g. {CURRENCY_EXAMPLES}."
    )


def validate_money(
    amount: Decimal | None, currency: str, amount_field: str = "amount", currency_field: str = "currency"
) -> None:
    """A price's amount and currency, both prices (events) and membership options (home) alike."""
    errors: dict[str, str] = {}
    if amount is not None and amount < 0:
        errors[amount_field] = "A price cannot be negative."
    if currency and (message := currency_error(currency)):
        errors[currency_field] = message
    if errors:
        raise ValidationError(errors)
