"""The Textual app: screens and widgets on top of the headless interview in :mod:`simulator.session`."""
