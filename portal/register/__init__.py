"""The register sync (issue 18): one engine for the file import and the REST API, called
through `portal.services.import_employees`.

- `parse`: a CSV or XLSX export into rows keyed by the portal's column names;
- `validate`: every check of every row before anything is written (`check_rows`);
- `write`: the sync lock, the people's details and audit in bulk, their posts through the
  staffing writer (`portal.staffing.bulk`);
- `result`: `ImportResult` and `RowError`, what the caller shows.
"""
