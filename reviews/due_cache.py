"""Keeping the due counts current: every write to a candidate's cards calls forget()."""


def forget(user_id: int) -> None:
    """Nothing is cached across requests yet; the counts are one query per page."""
