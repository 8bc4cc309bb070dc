jobs = ["a", "b", "c", "d"]
for job in jobs:
    if job in ("a", "b"):
        jobs.remove(job)  # shifts the list under the loop: "b" is skipped
print(jobs)
