"""An interview, headless: the questions planned, each answer listened to until it is over, follow-ups
and role-play turns, and the session stored as it goes. The Textual screens only render its events."""
