"""The participation package's operations: consultations and their workflow, comments and moderation, the
published feedback, hearings and the list of major decisions."""
