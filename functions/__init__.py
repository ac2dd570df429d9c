"""Scheduled Lambda handlers, listed in the `events` of zappa_settings.json.

Each handler takes `(event, context)`, builds the services it needs, calls one, and logs counts.
The local scheduler (portal/local/scheduler.py) runs the same handlers on a laptop.
"""
