from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def health(request):
    """Liveness for load balancers and monitors: the database and the task backend answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        checks["database"] = "error"
    try:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()  # the task store, where db_worker takes its work from
        checks["tasks"] = "ok"
    except DatabaseError:
        checks["tasks"] = "error"
    healthy = checks["database"] == "ok" and checks["tasks"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
