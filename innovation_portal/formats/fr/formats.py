"""French formats: Django's, with a narrow no-break space between thousands (« 12 345,50 »), as French
typography writes them; everything else (dates, decimal comma) is Django's own (settings.FORMAT_MODULE_PATH)."""

THOUSAND_SEPARATOR = "\u202f"
