"""`python -m ui`: the same as `interview-station` (runs this checkout's code)."""

from ui.cli import main

main()
