#!/usr/bin/python3
"""Fills the demo redis-server with what the demo's services keep there."""
import json
import random
import sys
import time

import redis

from employees import roster

MINUTE = 60


def main(url):
    r = redis.Redis.from_url(url)
    rng = random.Random(42)
    pipe = r.pipeline(transaction=False)
    now = int(time.time())
    for i in range(1, 201):
        pipe.set(f"user:{i}", json.dumps({"id": i, "login": f"user{i}", "last_seen": now - rng.randint(0, 900)}),
                 ex=15 * MINUTE - rng.randint(0, 600))
    for i in range(1, 301):
        pipe.set(f"object:{i}", json.dumps({"id": i, "kind": rng.choice(["store", "warehouse", "kiosk"]),
                                            "capacity": rng.randint(5, 500)}), ex=15 * MINUTE - rng.randint(0, 600))
    for i in range(1, 101):
        pipe.hset(f"shift:{i}", mapping={"employee_id": rng.randint(1, 200), "start": "09:00", "end": "18:00",
                                         "branch": rng.choice(["Kazan", "Berlin", "Tokyo"])})
        pipe.expire(f"shift:{i}", 5 * MINUTE - rng.randint(0, 200))
    for name in ["daily_sales", "weekly_sales", "top_products", "churn", "visits", "refunds", "stock_levels",
                 "basket_size", "conversion", "nps"]:
        pipe.set(f"analytics:{name}", json.dumps({"name": name, "value": round(rng.uniform(0, 1000), 2)}),
                 ex=60 * MINUTE)
    # Keys without a TTL: some on purpose (configuration), some forgotten (possible leaks).
    pipe.set("config:feature_flags", json.dumps({"new_checkout": True, "dark_mode": False}))
    pipe.set("config:maintenance", "off")
    for i in range(1, 11):
        pipe.set(f"session:orphan:{i}", f"stale-session-{i}")
    # The service registry: one record per service, cached for an hour like the employees.
    services = [("hr-sync", "2.3.1", "People", "Moscow-Central"), ("analytics", "1.9.0", "Engineering", "Berlin"),
                ("checkout", "4.0.2", "Retail", "Remote"), ("stock", "3.1.0", "Logistics", "Kazan"),
                ("payroll", "1.2.7", "Finance", "Saint Petersburg"), ("support-bot", "0.9.4", "Customer care", "Lisbon")]
    pipe.set("registry", json.dumps([{"id": name, "service": name, "version": version, "owner": owner,
                                      "branch": branch, "updated_at": now - rng.randint(0, 3000)}
                                     for name, version, owner, branch in services], ensure_ascii=False),
             ex=60 * MINUTE)
    pipe.set("employees", json.dumps(roster(), ensure_ascii=False), ex=60 * MINUTE)
    pipe.delete("email_queue")
    for i in range(1, 26):
        pipe.lpush("email_queue", json.dumps({"to": f"user{i}@example.com", "template": "shift_reminder",
                                              "shift_id": rng.randint(1, 100)}))
    pipe.zadd("leaderboard:branches", {b: rng.randint(100, 5000) for b in ["Kazan", "Berlin", "Tokyo", "Lisbon"]})
    pipe.sadd("tags:popular", "sale", "new", "limited", "local")
    pipe.xadd("audit:stream", {"event": "login", "user": "user1"})
    pipe.set(b"bin:\xff\xfe", b"\x00\x01\x02binary\xff")
    pipe.execute()
    print(f"seeded {r.dbsize()} keys")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "redis://127.0.0.1:6379/0")
