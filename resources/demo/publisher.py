#!/usr/bin/python3
"""Keeps some pub/sub traffic going on data_updates and notifications, as the services do."""
import json
import os
import random
import sys
import time

import redis


def main(url):
    r = redis.Redis.from_url(url)
    rng = random.Random()
    parent = os.getppid()
    tick = 0
    while os.getppid() == parent:  # stop when the demo script is gone
        tick += 1
        r.publish("notifications", json.dumps({"kind": rng.choice(["shift_swap", "new_message", "reminder"]),
                                               "user_id": rng.randint(1, 200), "at": time.time()}))
        if tick % 3 == 0:
            r.publish("data_updates", json.dumps({"event": "registry_updated", "at": time.time()}))
        time.sleep(0.5)


if __name__ == "__main__":
    main(sys.argv[1])
