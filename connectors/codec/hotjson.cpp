#include "hotjson.h"

#include "codec/untrustedjson.h"

#include <charconv>
#include <cstring>

namespace bd::connectors::hotjson {

std::string_view trimmedRight(std::string_view raw)
{
    while (!raw.empty()
           && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
    return raw;
}

bool readDouble(simdjson::ondemand::value &value, double *out)
{
    std::string_view token = value.raw_json_token();
    simdjson::ondemand::number n;
    if (token.empty() || value.get_number().get(n))
        return false;
    token = trimmedRight(token);
    const char *last = token.data() + token.size();
    const auto [end, ec] = std::from_chars(token.data(), last, *out);
    return ec == std::errc() && end == last;
}

bool consume(simdjson::ondemand::value &value, int depth)
{
    // simdjson On-Demand does not stop at its maximum depth while a value is walked.
    if (depth > kMaxJsonDepth)
        return false;
    using simdjson::ondemand::json_type;
    json_type type;
    if (value.type().get(type))
        return false;
    switch (type) {
    case json_type::string: {
        std::string_view s;
        return !value.get_string().get(s);
    }
    case json_type::number: {
        double d = 0;
        return readDouble(value, &d);
    }
    case json_type::boolean: {
        bool b = false;
        return !value.get_bool().get(b);
    }
    case json_type::null: {
        bool null = false;
        return !value.is_null().get(null) && null;
    }
    case json_type::object: {
        simdjson::ondemand::object object;
        if (value.get_object().get(object))
            return false;
        for (auto field : object) {
            std::string_view key;
            simdjson::ondemand::value member;
            if (field.unescaped_key().get(key) || field.value().get(member)
                || !consume(member, depth + 1))
                return false;
        }
        return true;
    }
    case json_type::array: {
        simdjson::ondemand::array array;
        if (value.get_array().get(array))
            return false;
        for (auto element : array) {
            simdjson::ondemand::value item;
            if (element.get(item) || !consume(item, depth + 1))
                return false;
        }
        return true;
    }
    }
    return false;
}

simdjson::padded_string_view padded(QByteArrayView bytes, std::string &scratch)
{
    const size_t size = size_t(bytes.size());
    if (scratch.size() < size + simdjson::SIMDJSON_PADDING)
        scratch.resize(size + simdjson::SIMDJSON_PADDING);
    if (size)
        std::memcpy(scratch.data(), bytes.data(), size);
    return simdjson::padded_string_view(scratch.data(), size, scratch.size());
}

namespace {

constexpr quint8 kNotBase64 = 0xff;

struct Base64Table
{
    quint8 value[256];
    constexpr Base64Table()
        : value{}
    {
        for (quint8 &v : value)
            v = kNotBase64;
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (quint8 i = 0; i < 64; ++i)
            value[quint8(alphabet[i])] = i;
    }
};
constexpr Base64Table kBase64;

} // namespace

bool decodeBase64Padded(std::string_view text, std::string &scratch,
                        simdjson::padded_string_view *out)
{
    if (text.size() % 4 != 0)
        return false;
    size_t padding = 0;
    if (!text.empty() && text.back() == '=')
        padding = text[text.size() - 2] == '=' ? 2 : 1;
    const size_t size = text.size() / 4 * 3 - padding;
    if (scratch.size() < size + simdjson::SIMDJSON_PADDING)
        scratch.resize(size + simdjson::SIMDJSON_PADDING);
    const auto *in = reinterpret_cast<const unsigned char *>(text.data());
    auto *to = reinterpret_cast<unsigned char *>(scratch.data());
    const size_t whole = (text.size() - (padding ? 4 : 0)) / 4; // quads without '='
    for (size_t q = 0; q < whole; ++q, in += 4, to += 3) {
        const quint32 a = kBase64.value[in[0]], b = kBase64.value[in[1]], c = kBase64.value[in[2]],
                      d = kBase64.value[in[3]];
        if ((a | b | c | d) > 63) // kNotBase64 in any
            return false;
        const quint32 bits = a << 18 | b << 12 | c << 6 | d;
        to[0] = (unsigned char)(bits >> 16);
        to[1] = (unsigned char)(bits >> 8);
        to[2] = (unsigned char)bits;
    }
    if (padding) {
        const quint32 a = kBase64.value[in[0]], b = kBase64.value[in[1]];
        const quint32 c = padding == 1 ? kBase64.value[in[2]] : 0;
        if ((a | b | c) > 63)
            return false;
        const quint32 bits = a << 18 | b << 12 | c << 6;
        to[0] = (unsigned char)(bits >> 16);
        if (padding == 1)
            to[1] = (unsigned char)(bits >> 8);
    }
    *out = simdjson::padded_string_view(scratch.data(), size, scratch.size());
    return true;
}

} // namespace bd::connectors::hotjson
