"""Every write: atomic, keyword-only, named <entity>_<action>."""
