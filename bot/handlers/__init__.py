"""Handlers: parse the update, call a service, render, reply, return the next state."""
