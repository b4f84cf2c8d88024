"""The baseline of bench_events: Celery's own event receiver feeding celery.events.state.State
(the engine Flower runs), on the same Redis and the same events as the product.

    events_baseline.py REDIS_URL TOTAL_EVENTS
Prints "ready" before it subscribes, then "done <epoch seconds> <events> <tasks held>" when TOTAL
events have been applied.
"""
import sys
import time

from celery import Celery
from celery.events.state import State

url, total = sys.argv[1], int(sys.argv[2])
app = Celery(broker=url)
state = State(max_tasks_in_memory=20000)
count = 0
finished = 0.0


class Done(Exception):
    pass


def on_event(event):
    global count, finished
    state.event(event)
    count += 1
    if count >= total:
        finished = time.time()
        raise Done()


with app.connection() as connection:
    receiver = app.events.Receiver(connection, handlers={"*": on_event})
    # The bench publishes once PUBSUB NUMPAT shows this receiver's subscription.
    print("ready", flush=True)
    try:
        receiver.capture(limit=None, timeout=None, wakeup=False)
    except Done:
        pass
print("done %.6f %d %d" % (finished, count, len(state.tasks)), flush=True)
