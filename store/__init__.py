"""Persistence for people: users, profiles, recommendations shown, feedback, enrollments, nudges."""
