"""Ops Playbook helper library."""
