"""The demo's Celery app: the tasks Brokerdesk shows, triggers and replays.

Broker and result backend come from DEMO_BROKER_URL (and DEMO_RESULT_URL, default: the
broker), the broker's global_keyprefix from DEMO_KEY_PREFIX (default: none); the employee
change feed from DEMO_EMPLOYEE_FEED_URL.
"""
import json
import os
import time
import urllib.request

import redis
from celery import Celery

BROKER = os.environ.get("DEMO_BROKER_URL", "redis://127.0.0.1:6379/0")
app = Celery("tasks", broker=BROKER, backend=os.environ.get("DEMO_RESULT_URL", BROKER))
app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    result_extended=True,
    task_track_started=True,
    task_send_sent_event=True,
    worker_send_task_events=True,
    broker_connection_retry_on_startup=True,
)
if os.environ.get("DEMO_KEY_PREFIX"):
    # kombu's global_keyprefix: every broker key and channel prefixed (celery.md §1.5).
    app.conf.broker_transport_options = {"global_keyprefix": os.environ["DEMO_KEY_PREFIX"]}

EMPLOYEES_TTL = 3600


@app.task
def fetch_and_store_employee_data():
    """Fetches the HR change feed, merges it into `employees` (1 h TTL), announces it."""
    feed = os.environ.get("DEMO_EMPLOYEE_FEED_URL", "http://127.0.0.1:8000/employee-changes")
    with urllib.request.urlopen(feed, timeout=10) as response:
        changed = json.loads(response.read().decode("utf-8"))
    r = redis.Redis.from_url(BROKER)
    current = json.loads(r.get("employees") or "[]")
    by_id = {e["id"]: e for e in current}
    for record in changed:
        if record.get("deleted"):  # the employee left
            by_id.pop(record["id"], None)
        else:
            by_id[record["id"]] = record
    merged = sorted(by_id.values(), key=lambda e: e["id"])
    r.set("employees", json.dumps(merged, ensure_ascii=False), ex=EMPLOYEES_TTL)
    r.publish("data_updates", json.dumps({"event": "employees_updated", "changed": len(changed),
                                          "total": len(merged), "at": time.time()}))
    return {"changed": len(changed), "total": len(merged)}


@app.task
def parse_shift_report(shift_id):
    """Fails for reports that do not exist (odd or negative ids), like the real parser."""
    if not isinstance(shift_id, int) or shift_id < 0:
        raise ValueError(f"shift id must be a non-negative integer, got {shift_id!r}")
    if shift_id % 2:
        raise KeyError(f"no report for shift {shift_id}")
    return {"shift_id": shift_id, "hours": 8}


@app.task
def rebuild_analytics(name="daily_sales", seconds=20):
    """A slow task: rebuilds one analytics key."""
    time.sleep(float(seconds))
    r = redis.Redis.from_url(BROKER)
    r.set(f"analytics:{name}", json.dumps({"name": name, "rebuilt_at": time.time()}), ex=3600)
    return name


@app.task
def add(x, y):
    return x + y
