"""State machines as data: States enums, TRANSITIONS tables and pure guards. No Flask, no database."""
