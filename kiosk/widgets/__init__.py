"""Reusable kiosk widgets (on-screen keyboard, choice list)."""
