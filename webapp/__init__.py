"""The Mini App: a web view opened from the chat (catalog, an offering, my picks, my plan), served by the bot."""
