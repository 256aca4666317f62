"""Reads `jfr print --json` of jdk.ThreadAllocationStatistics and jdk.ObjectAllocationSample events
(run-http-counts.sh) and prints the busiest thread's bytes allocated per request and the classes
that took most of the sampled allocation weight.

    jfr print --json --events jdk.ThreadAllocationStatistics,jdk.ObjectAllocationSample rec.jfr \\
        | python3 jfr_per_request.py NAME REQUESTS
"""
import collections
import json
import sys


def main():
    name, requests = sys.argv[1], int(sys.argv[2])
    events = json.load(sys.stdin)["recording"]["events"]
    low, high = {}, {}
    weights = collections.Counter()
    for e in events:
        v = e["values"]
        if e["type"] == "jdk.ThreadAllocationStatistics":
            thread = (v.get("thread") or {}).get("javaName") or "?"
            allocated = int(v["allocated"])
            low[thread] = min(low.get(thread, allocated), allocated)
            high[thread] = max(high.get(thread, allocated), allocated)
        elif e["type"] == "jdk.ObjectAllocationSample":
            weights[v["objectClass"]["name"]] += int(v["weight"])
    busiest = max(high, key=lambda t: high[t] - low[t])
    print(f"{name}: {requests} requests; thread {busiest} allocated "
          f"{(high[busiest] - low[busiest]) / requests:.0f} bytes per request")
    total = sum(weights.values()) or 1
    for cls, w in weights.most_common(12):
        print(f"  {100 * w / total:5.1f} %  {cls}")


if __name__ == "__main__":
    main()
