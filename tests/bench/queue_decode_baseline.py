#!/usr/bin/python3
"""The baseline of bench_queue_decode: Python decoding queue elements as kombu does.

Usage: queue_decode_baseline.py REDIS_URL QUEUE COUNT
Reads COUNT elements (LRANGE), then times only the decoding: the envelope (json), the body
(base64, then kombu.serialization.loads with its content type), and the task's headers.
Prints the messages decoded per second.
"""
import base64
import json
import sys
import time

import redis
from kombu.serialization import loads


def main(url, queue, count):
    raw = redis.Redis.from_url(url).lrange(queue, -count, -1)
    start = time.perf_counter()
    decoded = 0
    for element in raw:
        envelope = json.loads(element)
        props = envelope["properties"]
        body = envelope["body"]
        if props.get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args, kwargs, embed = loads(body, envelope["content-type"], envelope["content-encoding"],
                                    accept={"application/json"})
        headers = envelope["headers"]
        if headers.get("task") and headers.get("id") is not None and isinstance(args, list):
            decoded += 1
    elapsed = time.perf_counter() - start
    print(f"{decoded / elapsed:.0f} {decoded}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
