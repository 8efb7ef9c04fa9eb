"""One answer, from its audio or typed text to its report: transcript, delivery and content."""
