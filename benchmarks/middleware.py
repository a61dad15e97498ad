"""X-Queries: how many SQL statements a request ran (benchmark settings only)."""

from django.db import connection


def query_count(get_response):
    def middleware(request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Queries"] = str(count[0])
        return response

    return middleware
