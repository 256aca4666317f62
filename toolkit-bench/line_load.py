#!/usr/bin/env python3
"""Line-protocol load for run-http-bench.sh: N asyncio connections, each sending a line and
waiting for its echo (ping-pong), for a fixed time; every echoed line is checked.

Prints one line: RESULT requests=N seconds=S rps=R errors=E
"""
import argparse
import asyncio
import time


async def connection(host, port, size, deadline, counts, index):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        n = 0
        while time.monotonic() < deadline:
            line = (f"{index}:{n}:".encode() + b"x" * size)[:max(size, 1)] + b"\n"
            writer.write(line)
            echoed = await reader.readline()
            if echoed != line:
                counts["errors"] += 1
                return
            counts["requests"] += 1
            n += 1
    except OSError:
        counts["errors"] += 1
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("-c", "--connections", type=int, default=50)
    parser.add_argument("-d", "--duration", type=float, default=5)
    parser.add_argument("-s", "--size", type=int, default=32, help="line length without the newline")
    args = parser.parse_args()
    counts = {"requests": 0, "errors": 0}
    start = time.monotonic()
    deadline = start + args.duration
    await asyncio.gather(*(connection(args.host, args.port, args.size, deadline, counts, i)
                           for i in range(args.connections)))
    seconds = time.monotonic() - start
    print(f"RESULT requests={counts['requests']} seconds={seconds:.3f} "
          f"rps={counts['requests'] / seconds:.0f} errors={counts['errors']}")


if __name__ == "__main__":
    asyncio.run(main())
