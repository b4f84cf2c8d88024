#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <nlohmann/json.hpp>

// The one gate for JSON and MessagePack that came from outside the process (a server's
// values, payloads, envelopes, events, result records and replies; files the operator edits).
// Nothing here throws: nlohmann's parser reports more than parse_error (`[1e400]` is
// out_of_range 406, a MessagePack array claiming 2^32 items is out_of_range 408), and those
// become a JsonError with the position. Nesting is capped while parsing, so every value that
// comes through here is at most kMaxJsonDepth deep and nlohmann's recursive operations on it
// (dump, copy, compare) cannot exhaust a thread's stack. A test fails when nlohmann's parsers
// are called anywhere else in the product.

namespace bd::connectors {

// Deeper than any message Celery, kombu or a service writes; shallow enough that a recursive
// walk of it takes well under a pool thread's stack.
constexpr int kMaxJsonDepth = 512;

// Where and why bytes are not a value, as an editor says it.
struct JsonError
{
    qint64 offset = -1; // of the offending byte; -1 when not known (MessagePack nesting)
    qint64 line = 0;    // 1-based; 0 for MessagePack (bytes have no lines)
    qint64 column = 0;  // 1-based, in characters
    QString reason;     // "number overflow parsing '1e400'", "nested deeper than 512 levels", …

    bool isEmpty() const { return reason.isEmpty(); }
    // "line 1, column 7: number overflow parsing '1e400'" (JSON) or
    // "byte 12: unexpected end of input" (MessagePack).
    QString toString() const;
};

template<class Json> struct JsonParseResult
{
    Json value; // null when !ok()
    JsonError error;
    bool ok() const { return error.isEmpty(); }
};

JsonParseResult<nlohmann::json> parseUntrustedJson(QByteArrayView bytes,
                                                   int maxDepth = kMaxJsonDepth);
// Keeps the members in document order (for writing a message back as it came).
JsonParseResult<nlohmann::ordered_json> parseUntrustedOrderedJson(QByteArrayView bytes,
                                                                  int maxDepth = kMaxJsonDepth);
// One MessagePack value that takes exactly these bytes. Strings are kept as they are and may
// not be UTF-8: print them with jsonToText / jsonToBytes, which replace what is invalid.
JsonParseResult<nlohmann::json> parseUntrustedMessagePack(QByteArrayView bytes,
                                                          int maxDepth = kMaxJsonDepth);

// A value as JSON text: compact (indent < 0) or indented. Invalid UTF-8 in strings is
// replaced with U+FFFD, never thrown about.
QByteArray jsonToBytes(const nlohmann::json &value, int indent = -1);
QByteArray jsonToBytes(const nlohmann::ordered_json &value, int indent = -1);
QString jsonToText(const nlohmann::json &value, int indent = -1);
QString jsonToText(const nlohmann::ordered_json &value, int indent = -1);

} // namespace bd::connectors
