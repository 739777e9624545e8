"""The interview session: the state machine a kiosk (or the headless runner) drives, with a crash journal."""
