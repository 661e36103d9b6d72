"""The Telegram Mini App: its web server, the launch-data check and the JSON API (the page's
static files are in bot/web/static)."""
