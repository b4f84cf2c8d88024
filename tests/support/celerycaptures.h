#pragma once

// Messages captured from real Celery 5 (../shared/protocol/celery.md and its captures/), for
// the codec's tests.

#include <QByteArray>

namespace bd::test {

// The LRANGE element captured from tasks.add.apply_async((2, 3)) (celery.md §2).
inline const QByteArray kCapturedTask =
    R"json({"body": "W1syLCAzXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwgImNob3JkIjogbnVsbH1d", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": "py", "task": "tasks.add", "id": "11111111-1111-1111-1111-111111111111", "shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, "retries": 0, "timelimit": [null, null], "root_id": "11111111-1111-1111-1111-111111111111", "parent_id": null, "argsrepr": "(2, 3)", "kwargsrepr": "{}", "origin": "gen9194@vm", "ignore_result": false}, "properties": {"correlation_id": "11111111-1111-1111-1111-111111111111", "reply_to": "92133123-56f7-3938-8f64-db3d096042b7", "delivery_mode": 2, "delivery_info": {"exchange": "", "routing_key": "celery"}, "priority": 0, "body_encoding": "base64", "delivery_tag": "557ec495-f999-41e5-8bb6-8dd6f69d0102"}})json";

// A protocol-1 message (task_protocol=1) on queue v1q, captured in 13_proto1.txt.
inline const QByteArray kCapturedProtocol1 =
    R"json({"body": "eyJ0YXNrIjogInRhc2tzLmFkZCIsICJpZCI6ICIxMDEwMTAxMC0xMDEwLTEwMTAtMTAxMC0xMDEwMTAxMDEwMTAiLCAiYXJncyI6IFs1LCA2XSwgImt3YXJncyI6IHt9LCAiZ3JvdXAiOiBudWxsLCAiZ3JvdXBfaW5kZXgiOiBudWxsLCAicmV0cmllcyI6IDAsICJldGEiOiAiMjAyNi0xMS0yMlQwMjo1NTozMC42NjMyMDQrMDA6MDAiLCAiZXhwaXJlcyI6IG51bGwsICJ1dGMiOiB0cnVlLCAiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgInRpbWVsaW1pdCI6IFtudWxsLCBudWxsXSwgInRhc2tzZXQiOiBudWxsLCAiY2hvcmQiOiBudWxsfQ==", "content-encoding": "utf-8", "content-type": "application/json", "headers": {}, "properties": {"correlation_id": "10101010-1010-1010-1010-101010101010", "reply_to": "ebbfad11-ae0e-3c25-af2a-22a982654c26", "delivery_mode": 2, "delivery_info": {"exchange": "", "routing_key": "v1q"}, "priority": 0, "body_encoding": "base64", "delivery_tag": "472724c3-f720-42a2-a9c6-82ef9cb57c1a"}})json";

// The headers and body of add.s(1, 2) | add.s(10) | echo.s(), captured in 14_canvas.txt.
inline const QByteArray kCapturedChainHeaders =
    R"json({"lang": "py", "task": "tasks.add", "id": "3fa902e8-5edc-4364-b9ad-bd6aac04b919", "shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, "retries": 0, "timelimit": [null, null], "root_id": "3fa902e8-5edc-4364-b9ad-bd6aac04b919", "parent_id": null, "argsrepr": "(1, 2)", "kwargsrepr": "{}", "origin": "gen13431@vm", "ignore_result": false})json";
inline const QByteArray kCapturedChainBody =
    R"json([[1, 2], {}, {"callbacks": null, "errbacks": null, "chain": [{"task": "tasks.echo", "args": [], "kwargs": {}, "options": {"task_id": "5c934caa-d748-4392-a6ea-e5866b3eb026", "reply_to": "921a1f8c-7ddf-3cfc-9445-004c5b7d2b65"}, "subtask_type": null, "immutable": false}, {"task": "tasks.add", "args": [10], "kwargs": {}, "options": {"task_id": "0fc25009-e2eb-42e8-8826-07aa068b709d", "reply_to": "921a1f8c-7ddf-3cfc-9445-004c5b7d2b65"}, "subtask_type": null, "immutable": false}], "chord": null}])json";

} // namespace bd::test
