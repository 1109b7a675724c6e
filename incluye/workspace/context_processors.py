from django.utils.functional import SimpleLazyObject


def inbox(request):
    """The navigation's inbox counts, computed only if a page shows them."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}

    def totals():
        from incluye.workspace.inbox import navigation_counts

        counted = getattr(request, "inbox_totals", None)  # the inbox page counted them already
        return counted if counted is not None else navigation_counts(membership)

    return {"inbox_counts": SimpleLazyObject(totals)}
