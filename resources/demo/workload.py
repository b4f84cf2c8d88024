#!/usr/bin/python3
"""Sends tasks as the services do, so the Timeline and Workers pages have something to show:
an add every second, a shift report every three (odd ids fail, with a traceback), and a slow
analytics rebuild every half minute. Stops when the demo script is gone."""
import os
import random
import time

from tasks.celery_tasks import add, parse_shift_report, rebuild_analytics


def main():
    rng = random.Random()
    parent = os.getppid()
    tick = 0
    while os.getppid() == parent:
        tick += 1
        add.delay(rng.randint(1, 100), rng.randint(1, 100))
        if tick % 3 == 0:
            parse_shift_report.delay(rng.randint(1, 500))
        if tick % 30 == 1:
            rebuild_analytics.delay(rng.choice(["daily_sales", "weekly_hours", "branch_load"]), 10)
        time.sleep(1)


if __name__ == "__main__":
    main()
