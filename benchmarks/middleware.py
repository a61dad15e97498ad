"""X-Queries: how many SQL statements a request ran (benchmark settings only).

A streamed response (a generator that reads the database as it goes, e.g. the e-Kinerja JSON)
runs most of its statements after the header is sent: with `BENCH_QUERY_LOG=<file>` in the
server's environment, the count is kept during the streaming too and `<path> <total>` is
appended to that file once the last chunk is out (bench_city_exports reads it)."""

import os

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
        log = os.environ.get("BENCH_QUERY_LOG")
        # A FileResponse keeps its file (sendfile under gunicorn): its statements are all done.
        if log and response.streaming and getattr(response, "file_to_stream", None) is None:
            response.streaming_content = _counted(
                response.streaming_content, counter, count, log, request.get_full_path()
            )
        return response

    return middleware


def _counted(content, counter, count, log: str, path: str):
    with connection.execute_wrapper(counter):
        yield from content
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"{path} {count[0]}\n")
