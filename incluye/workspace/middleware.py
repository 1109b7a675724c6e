from rest_framework.permissions import SAFE_METHODS

from incluye.workspace.inbox import navigation_counts_forget


class NavigationCountsMiddleware:
    """The navigation keeps the inbox's count for a minute (`navigation_counts`): after a change the
    user made themselves (a write that succeeded), the next page counts afresh, so their own work
    shows at once; what others send them shows within the minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        membership = getattr(request, "membership", None)
        if request.method not in SAFE_METHODS and membership is not None and response.status_code < 400:
            navigation_counts_forget(membership)
        return response
