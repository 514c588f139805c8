"""Development tools of the realist-review project; not part of the installed package."""
