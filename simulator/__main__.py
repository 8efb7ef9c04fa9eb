"""``python -m simulator`` is the same as the ``interview-sim`` command."""

from simulator.cli import main

raise SystemExit(main())
