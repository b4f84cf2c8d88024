#!/usr/bin/env bash
# The Brokerdesk demo: a local redis-server filled like production, a real Celery worker with
# the demo's tasks, an HR change feed, pub/sub traffic, and the console connected to it all.
# Everything runs on free loopback ports with its data in a temporary folder, and everything is
# stopped when the console exits (or this script is interrupted).
#
#   run-demo.sh [--screenshot FILE] path/to/brokerdesk
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3
[[ -x $python ]] || python=python3

screenshot=""
if [[ ${1:-} == --screenshot ]]; then
    screenshot=$(realpath -m "$2")
    shift 2
fi
brokerdesk=$(realpath "${1:?usage: run-demo.sh [--screenshot FILE] path/to/brokerdesk}")

work=$(mktemp -d -t brokerdesk-demo.XXXXXX)
pids=()
cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

redis_port=$(free_port)
feed_port=$(free_port)
broker="redis://127.0.0.1:${redis_port}/0"

echo "demo: redis-server on 127.0.0.1:${redis_port} (data in ${work})"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no \
    --notify-keyspace-events "" --logfile "$work/redis.log" &
pids+=($!)
for _ in $(seq 100); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.05
done

cd "$here"
"$python" seed.py "$broker"

"$python" employee_feed.py "$feed_port" &
pids+=($!)

echo "demo: Celery worker (log: $work/worker.log)"
DEMO_BROKER_URL="$broker" DEMO_EMPLOYEE_FEED_URL="http://127.0.0.1:${feed_port}/employee-changes" \
    "$python" -m celery -A tasks.celery_tasks worker -E -l info -n "demo@%h" -c 2 \
    >"$work/worker.log" 2>&1 &
pids+=($!)

"$python" publisher.py "$broker" &
pids+=($!)

# Tasks as the services send them: the Tasks page's timeline and the Workers page stay busy.
DEMO_BROKER_URL="$broker" "$python" workload.py >"$work/workload.log" 2>&1 &
pids+=($!)

export CELERY_BROKER_URL="$broker"
# The Pub/Sub page follows the services' channels and Celery's events from the start; the
# Queues page shows the plain email_queue list beside Celery's queues.
args=(--connect "$broker" --profile-name Demo --no-keychain --profiles "$work/profiles.json"
      --subscribe data_updates --subscribe notifications --subscribe '/0.celeryev/*'
      --queue email_queue)

if [[ -n $screenshot ]]; then
    # A picture for the README: the console in a virtual X server, a few commands typed.
    mkdir -p "$(dirname "$screenshot")"
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
        "$0" "${@:2}" & app=$!
        wid=$(timeout 20 xdotool search --sync --name "Demo" | head -1)
        sleep 2
        xdotool windowsize "$wid" 1280 800 windowmove "$wid" 0 0 windowfocus --sync "$wid" || true
        sleep 1
        # The Keys page, with the user namespace open (type-ahead finds it).
        xdotool mousemove 300 130 click 1; sleep 0.3
        xdotool type --delay 40 "user"; xdotool key Right; sleep 1
        xdotool key Down Down; sleep 2.5 # user:2, its value in the detail pane
        import -window root "$1"
        kill $app; wait $app 2>/dev/null || true
    ' "$brokerdesk" "$screenshot" "${args[@]}"
    echo "demo: screenshot in $screenshot"
else
    if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
        echo "demo: no display; running the console under xvfb-run (use a desktop session to see it)" >&2
        xvfb-run -a "$brokerdesk" "${args[@]}"
    else
        "$brokerdesk" "${args[@]}"
    fi
fi
