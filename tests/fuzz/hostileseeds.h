#pragma once

// Inputs every fuzz target runs once before anything else: the shapes that broke or could
// break the console (issue: [1e400] took it down). Too big to keep in the seed corpora (a
// 10 MB string), so they are made here; `--write-seeds DIR` of a replay program writes them
// out for libFuzzer.

#include <QByteArray>
#include <QList>
#include <QPair>

namespace bd::fuzz {

inline QList<QPair<const char *, QByteArray>> hostileSeeds()
{
    const QByteArray deepOpen(100'000, '[');
    return {
        {"overflow", "[1e400]"},
        {"negative_overflow", "-1e400"},
        {"member_overflow", R"({"a":1e400})"},
        {"deep_open", deepOpen},
        {"deep_closed", deepOpen + QByteArray(100'000, ']')},
        {"deep_objects", QByteArray(R"({"a":)").repeated(50'000)},
        {"deep_msgpack", QByteArray(100'000, '\x91') + '\xc0'},
        {"msgpack_huge_array", QByteArray::fromHex("ddffffffff")},
        {"invalid_utf8", "[\"a\xff\xfe\"]"},
        {"overlong_utf8", "[\"\xc0\xaf\xe0\x80\xaf\"]"},
        {"nul_bytes", QByteArray("{\"a\":\"\0\"}\0", 10)},
        {"string_10mb", '"' + QByteArray(10 * 1024 * 1024, 'x') + '"'},
        {"unterminated_10mb", '"' + QByteArray(10 * 1024 * 1024, 'y')},
        {"resp_deep", QByteArray("*1\r\n").repeated(100'000) + ":1\r\n"},
        {"envelope_overflow",
         R"({"body": "WzFlNDAwXQ==", "content-type": "application/json", )"
         R"("properties": {"body_encoding": "base64"}, "headers": {"task": "t", "id": "1"}})"},
    };
}

} // namespace bd::fuzz
