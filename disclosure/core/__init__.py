"""Shared machinery: database mixins, audit log, calendar, numbering, outbox, validators."""
