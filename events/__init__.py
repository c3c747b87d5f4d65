"""Healing events and messages of healing: submission, privacy-safe locations, moderation."""
