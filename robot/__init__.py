"""crm-robot: converts InvoiceCloud billers from IMT MIPS APPS to IMT Spectrum in a real browser."""

__version__ = "0.1.0"
