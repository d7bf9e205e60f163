"""Web plumbing shared by every blueprint: access policies, navigation, error pages, security headers."""
