"""Reusable widgets: camera preview, level meter, countdown (kiosk); video player, transcript view (desk)."""
