"""The kiosk: the full-screen flow a candidate goes through, locked down and safe to leave unattended."""
