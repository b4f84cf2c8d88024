#pragma once

#include <QByteArrayView>

#include <simdjson.h>
#include <string>
#include <string_view>

// Helpers of the hot JSON paths (simdjson On-Demand, DESIGN.md "Libraries"). A hot decoder
// reads what it needs straight into its rows and must answer as the reference (nlohmann through
// the untrusted-JSON gate) answers, or give up so the reference decides. These read values the
// way the gate reads them. Included by connectors' sources only (simdjson is private to them).

namespace bd::connectors::hotjson {

// A token without the whitespace simdjson leaves after it.
std::string_view trimmedRight(std::string_view raw);

// A number read into a double as the reference reads it (strtod's correct rounding: simdjson
// checks the grammar, from_chars reads the token). False when either refuses it (1e400, a
// token past what a double holds): the caller gives up.
bool readDouble(simdjson::ondemand::value &value, double *out);

// Reads a whole value (every string unescaped, every number parsed, every nested value), so a
// hot decoder that skips a field still fails wherever the reference fails. depth: the value's
// own (the root is 1); deeper than the gate's kMaxJsonDepth fails (On-Demand would recurse on).
bool consume(simdjson::ondemand::value &value, int depth);

// bytes padded as simdjson needs (it reads up to SIMDJSON_PADDING past the end): copied into
// scratch, whose capacity is kept between calls.
simdjson::padded_string_view padded(QByteArrayView bytes, std::string &scratch);

// Standard base64 in its strict form (the alphabet A-Z a-z 0-9 + /, a length that is a multiple
// of four, '=' only as the last one or two characters) decoded into scratch, padded as
// simdjson needs. False for anything else (whitespace, URL-safe letters, missing padding): the
// caller gives up and the reference (QByteArray::fromBase64Encoding) decides, so what this
// accepts decodes to what the reference gives.
bool decodeBase64Padded(std::string_view text, std::string &scratch,
                        simdjson::padded_string_view *out);

} // namespace bd::connectors::hotjson
