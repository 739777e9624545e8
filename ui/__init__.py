"""Everything Qt: kiosk, review desk, admin windows and widgets."""
