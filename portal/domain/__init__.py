"""The charter rules as pure Python: no clock, no network, no database; `now` is passed in."""
