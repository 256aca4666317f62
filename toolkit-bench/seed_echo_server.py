"""The seed's asyncio echo server (the tutorial's code), with a port argument for the benchmark.

    python3 toolkit-bench/seed_echo_server.py --port 0

It prints "READY port=N" once it listens, as the Java echo servers of toolkit-bench do.
"""
import argparse
import asyncio


async def echo(reader, writer):
    while True:
        data = await reader.read(100)
        if not data:
            break

        writer.write(data)
        await writer.drain()

    writer.close()
    await writer.wait_closed()


async def main(host, port):
    server = await asyncio.start_server(echo, host, port)
    print(f"READY port={server.sockets[0].getsockname()[1]}", flush=True)

    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8888)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
