"""The use cases: one async function per user action, shared by the Telegram handlers, the
dispatcher and any other front end.

Each opens exactly one transaction, locks the user's row first, applies the pure rules of
`bot.domain` and returns a frozen outcome; nothing here sends a message. A user without a row
raises `NeedsSetup`, a button that no longer applies raises `Expired`.
"""
