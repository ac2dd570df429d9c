"""The scheduled functions: the closure sweep (S11, S12, S14, the confirmation window and its survey G3, T8),
the reminders (the S12 reminder, response commitments about to be missed or missed) and the obsolescence check
(T9, T11, G6, P1). Each reads only what it may act on, decides with the pure rules of portal.domain, and
writes each change with its marker in one conditional write, so that a second run with the same `now`
changes and sends nothing.
"""
