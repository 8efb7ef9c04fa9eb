"""interview-sim: an offline, voice-driven mock interview simulator for customer-service jobs.

The package is a pipeline of plain functions over typed values::

    audio file / microphone -> AudioClip -> Transcript -> DeliveryMetrics + ContentScore -> report

The Textual app in ``simulator.tui`` only drives that pipeline; nothing outside ``tui`` imports Textual.
"""

__version__ = "0.1.0"
