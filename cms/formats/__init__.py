"""Django's date and time formats where PSG differs from a locale's defaults (FORMAT_MODULE_PATH)."""
