-- wrk: POST /v1/sessions as provisioner sends it (the body of one end-user), for the stand-in's raw rate.
-- The API key comes from the environment (BENCH_API_KEY), never from the command line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-AUTH-CLIENT"] = os.getenv("BENCH_API_KEY")
wrk.body = '{"verification":{"person":{"firstName":"First1","lastName":"Last1","email":"user1@example.com"},'
    .. '"vendorData":"1"}}'

local statuses = {}
response = function(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end
